"""Service-item catalogue, validators, the 秒批 rule engine and document layouts.

Pure Python: no Qt, no network, no device. Importable and testable alone.
"""
