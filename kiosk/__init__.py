"""The township self-service kiosk application."""
