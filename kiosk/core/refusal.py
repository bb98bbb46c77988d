"""The terminal refuses to serve: the error a start check raises when a technician must act first.

Three audiences, three texts: the resident sees one plain sentence (never the cause), the hall
staff and the technician get the cause in Chinese with what to do, and the log gets the check,
the file and the exact finding.
"""

from __future__ import annotations

from pathlib import Path

RESIDENT_MESSAGE = "本机暂停服务，请到窗口办理。已通知工作人员。"


class TerminalRefusedError(RuntimeError):
    """A check found the terminal unfit to serve residents; nothing was changed or lost."""

    def __init__(self, check: str, path: Path | str, detail: str, technician: str) -> None:
        self.check = check  # which check: store_key, store_identity, store_integrity, …
        self.path = str(path)  # the file or folder at fault
        self.detail = detail  # the exact finding, for the log
        self.technician = technician  # for staff and technicians, in Chinese
        self.screen = RESIDENT_MESSAGE  # for the resident
        super().__init__(f"{technician} [{check}] {self.path}: {detail}")

    def log_fields(self) -> dict[str, str]:
        """The structured fields of the log line."""
        return {"check": self.check, "file": self.path, "detail": self.detail}
