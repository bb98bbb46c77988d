"""Admin mode for hall staff and technicians: who they are, how they unlock, what they did."""
