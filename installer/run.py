"""One installer run: the context that changes files, the answers, and the release it installs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from installer.actions import Context
from installer.answers import Answers, Prompter
from installer.config_file import read_config

RELEASE = Path(__file__).resolve().parents[1]  # the folder this installer came in (a checkout or a release)


@dataclass
class Run:
    """What every step gets: where to write, what the technician answered, which release."""

    ctx: Context
    answers: Answers
    prompter: Prompter
    release: Path = RELEASE
    warnings: list[str] = field(default_factory=list)
    planned: dict[str, Any] | None = None  # the configuration a dry run would have written

    @property
    def layout(self):  # noqa: ANN201 (a Layout; spelled out in installer.layout)
        """The installed terminal's paths."""
        return self.ctx.layout

    def config(self) -> dict[str, Any]:
        """The terminal's configuration as written so far ({} before the config step); in a dry
        run, what the config step would have written."""
        if self.ctx.dry_run and self.planned is not None:
            return dict(self.planned)
        return read_config(self.layout.host(self.layout.config))

    def warn(self, message: str) -> None:
        """Note a problem that does not stop the installation; it is repeated at the end."""
        self.warnings.append(message)
        self.ctx.say(f"  注意   {message}")
