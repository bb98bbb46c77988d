"""Named failpoints for crash tests: with KIOSK_FAILPOINT=<name> the process announces the
point in its log and stops there until it is killed (SIGKILL by the test)."""

from __future__ import annotations

import logging
import os
import sys
import time

log = logging.getLogger(__name__)


def failpoint(name: str) -> None:
    """Hang at this point when the environment asks for it; otherwise do nothing."""
    if os.environ.get("KIOSK_FAILPOINT") != name:
        return
    log.warning("failpoint reached", extra={"failpoint": name})
    print(f"FAILPOINT {name}", file=sys.stderr, flush=True)
    while True:
        time.sleep(3600)
