"""The technician's installer: from a bare Debian 12 terminal to an enrolled, calibrated kiosk."""
