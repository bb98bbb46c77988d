"""套打 calibration: print the calibration page on the pre-printed licence stock, take the
offsets the technician measured, write them to the configuration, print a check page."""

from __future__ import annotations

from installer.actions import StepFailedError
from installer.config_file import render_config
from installer.layout import USER
from installer.run import Run

LIMIT_MM = 20.0


def calibrate(run: Run) -> str:
    """Skipped where the licence prints in full on plain paper (nothing to line up)."""
    from forms.layouts.licence import Calibration, render_calibration_pdf

    ctx = run.ctx
    raw = run.config()
    if not raw:
        raise StepFailedError("还没有终端配置：请先运行 config 步骤")
    printing = dict(raw.get("printing", {}))
    if printing.get("licence_mode", "full") != "overlay":
        ctx.say("  跳过   营业执照整页打印在白纸上（licence_mode = full），无需套打校准")
        return "skipped"
    current = Calibration(
        float(printing.get("overlay_offset_x_mm", 0.0)),
        float(printing.get("overlay_offset_y_mm", 0.0)),
        float(printing.get("overlay_scale", 1.0)),
    )
    given = run.answers.installer
    if "calibration_offset_x_mm" in given and "calibration_offset_y_mm" in given:
        # From the answers file: the offsets themselves (measured on this stock before).
        x, y = float(given["calibration_offset_x_mm"]), float(given["calibration_offset_y_mm"])
        if max(abs(x), abs(y)) > LIMIT_MM:
            raise StepFailedError(f"应答文件中的套打偏移应在 ±{LIMIT_MM:g} 毫米之内")
        if (x, y) == (current.offset_x_mm, current.offset_y_mm):
            ctx.say(f"  未变   已校准：水平 {x:+.1f} mm，垂直 {y:+.1f} mm")
            return "ok"
        _print(run, render_calibration_pdf(current), "校准页")
    elif run.prompter.interactive:
        _print(run, render_calibration_pdf(current), "校准页")
        ctx.say("  请把校准页放在预印执照纸上核对：红色虚线框应正好落在预印栏目里。")
        dx = run.prompter.number("dx", "红框还需向右移动多少毫米（向左填负数）", 0.0, LIMIT_MM)
        dy = run.prompter.number("dy", "红框还需向下移动多少毫米（向上填负数）", 0.0, LIMIT_MM)
        x, y = round(current.offset_x_mm + dx, 1), round(current.offset_y_mm + dy, 1)
        if max(abs(x), abs(y)) > LIMIT_MM:
            raise StepFailedError(f"合计偏移 {x:+.1f}/{y:+.1f} 毫米超过 ±{LIMIT_MM:g}：请检查进纸导板")
    else:
        raise StepFailedError(
            "套打需要校准：应答文件 [installer] 请给出 calibration_offset_x_mm 和 calibration_offset_y_mm"
        )
    printing.update(overlay_offset_x_mm=x, overlay_offset_y_mm=y)
    changed = ctx.write(run.layout.config, render_config(dict(raw, printing=printing)), 0o640, f"root:{USER}")
    ctx.say(f"  {'[演练] 将校准为' if ctx.dry_run else '校准  '} 水平 {x:+.1f} mm，垂直 {y:+.1f} mm")
    _print(run, render_calibration_pdf(Calibration(x, y, current.scale), check=True), "核对页")
    return "changed" if changed else "ok"


def _print(run: Run, pdf: bytes, what: str) -> None:
    """Print on the terminal's configured A4 printer, through its real driver."""
    from devices.factory import make_devices
    from kiosk.config import config_from_dict

    if run.ctx.dry_run:
        run.ctx.say(f"  [演练] 将打印套打{what}")
        return
    config = config_from_dict(run.config())
    devices = make_devices(config.devices, run.layout.host(run.layout.data) / "spool")
    try:
        result = devices.document_printer.print_pdf(pdf, f"calibration-{what}")
    finally:
        devices.stop()
    if not result.ok:
        raise StepFailedError(f"套打{what}没有打印出来（{result.status.value}）：请检查A4打印机和纸张")
    run.ctx.say(f"  打印   套打{what}")
