"""The reference central platform: what the tests and the demo talk to, and what a county can run
as its gateway (`kiosk-central serve`)."""
