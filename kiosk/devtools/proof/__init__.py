"""Harnesses that prove the kiosk's guarantees by running it: crash consistency under SIGKILL,
long soak runs. Each is a `python -m kiosk.devtools prove …` command that prints its figures."""
