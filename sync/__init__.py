"""Outbox, sync client, wire protocol and the reference central platform. Never imports Qt."""
