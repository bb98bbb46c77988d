"""systemd's notify protocol (sd_notify(3)) in a few lines: READY, STATUS, WATCHDOG and STOPPING
as one datagram to the socket systemd names in $NOTIFY_SOCKET. Nothing happens where it is unset
(a developer's shell, the tests, the demo)."""

from __future__ import annotations

import os
import socket


def notify(*fields: str) -> bool:
    """Send `fields` (e.g. "READY=1", "STATUS=…"); True when systemd was told."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):  # an abstract socket
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall("\n".join(fields).encode("utf-8"))
    except OSError:
        return False
    return True


def watchdog_interval() -> float | None:
    """How often to ping the watchdog (half its timeout, as sd_watchdog_enabled(3) advises), or
    None when no watchdog is set for us. WATCHDOG_PID names cage when the kiosk runs under it,
    so a PID other than ours or our parent's means the variable was meant for someone else."""
    usec = os.environ.get("WATCHDOG_USEC", "")
    pid = os.environ.get("WATCHDOG_PID", "")
    if not usec.isdigit() or int(usec) == 0:
        return None
    if pid and pid.isdigit() and int(pid) not in (os.getpid(), os.getppid()):
        return None
    return int(usec) / 2_000_000
