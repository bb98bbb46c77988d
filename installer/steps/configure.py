"""The terminal's configuration (kiosk.toml) and its folders, and the link to the release."""

from __future__ import annotations

from installer.config_file import read_config, render_config
from installer.layout import USER
from installer.run import Run
from installer.steps.probe import inventory_hints


def configure(run: Run) -> str:
    """Settle the answers, check them as the kiosk will, and write kiosk.toml (root-owned,
    readable by the kiosk: a resident who escaped the UI still could not change it)."""
    from installer.answers import settle_config

    layout, ctx = run.layout, run.ctx
    existing = read_config(layout.host(layout.config))
    values = settle_config(run.answers, existing, run.prompter, inventory_hints())
    values["data_dir"] = str(layout.data)
    values.setdefault("demo", False)
    run.planned = values
    ctx.directory(layout.etc, 0o755)
    changed = ctx.write(layout.config, render_config(values), 0o640, f"root:{USER}")
    folders(run)
    return "changed" if changed else "ok"


def folders(run: Run) -> None:
    """The data folder and its key folder, the kiosk user's alone."""
    layout, ctx = run.layout, run.ctx
    ctx.directory(layout.data, 0o700, USER)  # the kiosk repairs it to 0700 at start too
    ctx.directory(layout.data / "keys", 0o700, USER)
    # What the terminal trusts (the centre's update key) is root's: readable, never replaceable, by the kiosk.
    ctx.directory(layout.data / "trust", 0o750, f"root:{USER}")
    ctx.directory(layout.reports, 0o750, USER)
    ctx.directory(layout.backups, 0o700, USER)


def hand_over(run: Run) -> None:
    """Everything in the data folder to the kiosk user, but the installer's manifest and the trust folder."""
    run.ctx.own_tree(run.layout.data, USER, keep=(run.layout.manifest.parent, run.layout.data / "trust"))


def release(run: Run) -> str:
    """Point /opt/township-kiosk/current at this release (an upgrade moves it later)."""
    run.ctx.directory(run.layout.opt, 0o755)
    before = run.ctx.changed
    run.ctx.symlink(run.layout.current, str(run.release))
    return "changed" if run.ctx.changed > before else "ok"
