"""Where an installed terminal keeps everything, as paths on the terminal (`/etc/…`) and as the
files the installer writes under its prefix (`/` on a terminal, a temporary folder in tests)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

SERVICE = "township-kiosk.service"
USER = "kiosk"


@dataclass(frozen=True)
class Layout:
    """The installed terminal's paths; `host()` turns one into the file under the prefix."""

    prefix: Path
    etc: PurePosixPath = PurePosixPath("/etc/township-kiosk")
    data: PurePosixPath = PurePosixPath("/var/lib/township-kiosk")
    opt: PurePosixPath = PurePosixPath("/opt/township-kiosk")
    systemd: PurePosixPath = PurePosixPath("/etc/systemd/system")

    @property
    def config(self) -> PurePosixPath:
        """The terminal's configuration file."""
        return self.etc / "kiosk.toml"

    @property
    def current(self) -> PurePosixPath:
        """The link to the release that runs; an upgrade moves it, a rollback leaves it."""
        return self.opt / "current"

    @property
    def unit(self) -> PurePosixPath:
        """The kiosk's systemd unit."""
        return self.systemd / SERVICE

    @property
    def pam(self) -> PurePosixPath:
        """The PAM service the unit's session opens (logind gives cage the seat's devices)."""
        return PurePosixPath("/etc/pam.d/township-kiosk")

    @property
    def journald(self) -> PurePosixPath:
        """The journal's size limits for a terminal that runs for years."""
        return PurePosixPath("/etc/systemd/journald.conf.d/township-kiosk.conf")

    @property
    def udev(self) -> PurePosixPath:
        """Device permissions for the kiosk user (USB receipt printer)."""
        return PurePosixPath("/etc/udev/rules.d/70-township-kiosk.rules")

    @property
    def polkit(self) -> PurePosixPath:
        """Lets the kiosk user use pcscd where Debian's pcscd asks polkit."""
        return PurePosixPath("/etc/polkit-1/rules.d/70-township-kiosk.rules")

    @property
    def store(self) -> PurePosixPath:
        """The terminal's SQLite store."""
        return self.data / "kiosk.sqlite3"

    @property
    def reports(self) -> PurePosixPath:
        """Self-test and installation reports."""
        return self.data / "reports"

    @property
    def backups(self) -> PurePosixPath:
        """Store backups made before each upgrade."""
        return self.data / "backups"

    @property
    def manifest(self) -> PurePosixPath:
        """What the installer wrote, with each file's digest, mode and owner."""
        return self.data / "installer" / "manifest.json"

    def host(self, target: PurePosixPath | str) -> Path:
        """The file under the prefix that stands for `target` on the terminal."""
        relative = PurePosixPath(target).relative_to("/")
        return self.prefix / relative

    @property
    def on_terminal(self) -> bool:
        """True when installing onto this machine itself (prefix `/`)."""
        return self.prefix.resolve() == Path("/")
