"""`python -m installer`: the technician's command. Guided by default on a terminal; with
`--answers FILE --non-interactive` it asks nothing; `--dry-run` prints what it would do."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from installer.actions import Context, StepFailedError
from installer.answers import Answers, Prompter
from installer.layout import USER, Layout
from installer.run import Run
from installer.steps.calibrate import calibrate
from installer.steps.configure import configure, hand_over, release
from installer.steps.enrol import enrol
from installer.steps.packages import packages
from installer.steps.preflight import preflight
from installer.steps.probe import selftest
from installer.steps.services import services
from installer.steps.uninstall import uninstall
from installer.steps.upgrade import upgrade
from installer.steps.user import user

Step = Callable[[Run], str]
STEPS: tuple[tuple[str, str, Step], ...] = (
    ("preflight", "预检", preflight),
    ("packages", "安装软件包", packages),
    ("user", "建立 kiosk 用户", user),
    ("config", "写入终端配置", configure),
    ("release", "登记软件版本", release),
    ("enrol", "向中心平台注册", enrol),
    ("selftest", "设备探测与自检", selftest),
    ("calibrate", "套打校准", calibrate),
    ("services", "安装系统服务", services),
)
STEP_NAMES = [name for name, _, _ in STEPS]
STATUS_WORDS = {
    "checked": "已检查",
    "ok": "已是如此",
    "changed": "已完成",
    "skipped": "跳过",
    "warning": "完成（有注意事项）",
}
DRY_RUN_WORDS = {"changed": "将做改动", "warning": "将做改动（有注意事项）"}


def main(argv: list[str] | None = None) -> int:
    """Entry point; the exit status is 0 when every step ran (warnings allowed), 1 when one failed."""
    args = build_parser().parse_args(argv)
    transcript: list[str] = []

    def say(line: str) -> None:
        transcript.append(line)
        print(line, flush=True)

    layout = Layout(Path(args.prefix))
    ctx = Context(layout, dry_run=args.dry_run, say=say)
    ctx.load_manifest()
    answers = Answers.from_file(Path(args.answers)) if args.answers else Answers()
    interactive = not args.non_interactive and (args.guided or sys.stdin.isatty())
    run = Run(ctx, answers, Prompter(interactive, say=say))
    mode = "，演练（不做任何改动）" if args.dry_run else ""
    say(f"乡镇便民服务终端 安装程序 — {args.command}（目标：{layout.prefix}{mode}）")
    try:
        code = args.func(run, args)
    except StepFailedError as exc:
        say(f"\n失败：{exc}")
        code = 1
    except KeyboardInterrupt:
        say("\n已中断：已完成的步骤保留，重新运行会从头检查并继续")
        code = 1
    if run.warnings:
        say("\n注意事项：")
        for warning in run.warnings:
            say(f"  - {warning}")
    if not (args.command == "uninstall" and args.purge):
        _keep_transcript(run, args.command, transcript)
        ctx.save_manifest()
    return code


def cmd_install(run: Run, args: argparse.Namespace) -> int:
    """Run the chosen steps in order."""
    chosen = _chosen_steps(args)
    for number, (name, title, step) in enumerate(chosen, start=1):
        run.ctx.say(f"\n[{number}/{len(chosen)}] {title}（{name}）")
        before = run.ctx.changed
        status = step(run)
        if run.ctx.dry_run and status == "ok" and run.ctx.changed > before:
            status = "changed"
        words = {**STATUS_WORDS, **DRY_RUN_WORDS} if run.ctx.dry_run else STATUS_WORDS
        run.ctx.say(f"  → {words.get(status, status)}")
    hand_over(run)
    if run.ctx.dry_run:
        run.ctx.say(f"\n演练完成：{len(chosen)} 步，将改动 {run.ctx.changed} 处；未做任何改动")
    else:
        run.ctx.say(f"\n完成：{len(chosen)} 步，改动 {run.ctx.changed} 处")
    return 0


def cmd_upgrade(run: Run, args: argparse.Namespace) -> int:
    """Upgrade to the release folder given."""
    run.ctx.say("\n[1/1] 升级（upgrade）")
    status = upgrade(run, Path(args.release))
    run.ctx.say(f"  → {STATUS_WORDS.get(status, status)}")
    return 0


def cmd_uninstall(run: Run, args: argparse.Namespace) -> int:
    """Remove the kiosk (its data too with --purge)."""
    run.ctx.say("\n[1/1] 卸载（uninstall）")
    uninstall(run, purge=args.purge, force=args.force)
    run.ctx.say("  → 已完成")
    return 0


def _chosen_steps(args: argparse.Namespace) -> list[tuple[str, str, Step]]:
    only = _names(args.only) if args.only else STEP_NAMES
    skip = _names(args.skip) if args.skip else []
    return [step for step in STEPS if step[0] in only and step[0] not in skip]


def _names(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in STEP_NAMES]
    if unknown:
        raise SystemExit(f"未知的步骤：{', '.join(unknown)}；可选：{', '.join(STEP_NAMES)}")
    return names


def _keep_transcript(run: Run, command: str, transcript: list[str]) -> None:
    """What the installer printed, kept with the self-test reports for the centre."""
    if run.ctx.dry_run or run.ctx.kiosk_owner() is None:
        return
    if not run.layout.host(run.layout.data).is_dir():
        return
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = run.layout.reports / f"{command}-{stamp}.txt"
    quiet = Context(run.layout, say=lambda _: None, manifest=run.ctx.manifest)
    quiet.directory(run.layout.reports, 0o750, USER)
    quiet.write(target, "\n".join(transcript) + "\n", 0o640, USER)


def build_parser() -> argparse.ArgumentParser:
    """The installer's command line."""
    parser = argparse.ArgumentParser(prog="python -m installer", description="乡镇便民服务终端安装程序")
    parser.add_argument("--prefix", default="/", help="install under this folder instead of / (tests)")
    parser.add_argument("--answers", help="answers file (TOML): kiosk.toml's keys plus [installer]")
    parser.add_argument("--non-interactive", action="store_true", help="ask nothing; a missing answer fails")
    parser.add_argument("--guided", action="store_true", help="ask even when input is not a terminal")
    parser.add_argument("--dry-run", action="store_true", help="print what would be done, change nothing")
    sub = parser.add_subparsers(dest="command", required=True)
    install = sub.add_parser("install", help="every step, in order (idempotent: run it again at any time)")
    install.add_argument("--only", help=f"only these steps (comma-separated): {', '.join(STEP_NAMES)}")
    install.add_argument("--skip", help="skip these steps (comma-separated)")
    install.set_defaults(func=cmd_install)
    for name, title, _ in STEPS:
        single = sub.add_parser(name, help=f"only the step {title}")
        single.set_defaults(func=cmd_install, only=name, skip=None)
    up = sub.add_parser(
        "upgrade", help="upgrade to a new release folder (backup, migrate, roll back on failure)"
    )
    up.add_argument("--release", required=True, help="the new release's folder")
    up.set_defaults(func=cmd_upgrade)
    remove = sub.add_parser("uninstall", help="remove the service; data stays unless --purge")
    remove.add_argument("--purge", action="store_true", help="also delete the configuration, data and user")
    remove.add_argument(
        "--force", action="store_true", help="purge even with cases the centre has not received"
    )
    remove.set_defaults(func=cmd_uninstall)
    return parser
