"""The county's view of its terminals: the latest heartbeat of each (and a bounded history), and
what needs a person first: a terminal offline too long, out of paper, a printer or reader fault,
cases stuck, disk low, an update that failed, a terminal out of service.

`kiosk-central fleet` prints it; the thresholds are its options.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sync.server.db import CentralStore

HISTORY_PER_TERMINAL = 500  # about a day and a half of minute-rounds
READERS = {"id_card": "身份证阅读器", "ss_card": "社保卡读卡器", "camera": "摄像头"}
PRINTERS = {"receipt": "回执打印机", "a4": "A4打印机"}
NO_PAPER_STATES = {"no_paper"}
# What a driver says of a device that is simply there and working (devices_report.GOOD).
FINE_STATES = {"online", "idle", "waiting", "streaming", "printing", "card_present", "remove_card",
               "not_configured", "paper_near_end"}  # fmt: skip


@dataclass(frozen=True)
class Thresholds:
    """When a terminal needs a person."""

    offline_minutes: float = 30.0
    stuck_hours: float = 4.0  # an unsent case older than this
    disk_low_mb: int = 1024


@dataclass(frozen=True)
class Problem:
    """One thing a person must see to, in words and as a code for scripts."""

    code: str  # offline, no_paper, printer_fault, reader_fault, cases_stuck, disk_low, update_failed, ...
    words: str


@dataclass
class TerminalView:
    """A terminal as the fleet list shows it."""

    terminal_id: str
    division_code: str
    received_at: str  # the centre's clock; '' if it never sent a heartbeat
    heartbeat: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def record_heartbeat(store: CentralStore, terminal_id: str, heartbeat: dict[str, Any]) -> str:
    """Keep `heartbeat` as the terminal's latest and in its history (the oldest beyond the bound
    dropped); the centre's time of receipt."""
    received_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    body = json.dumps(heartbeat, ensure_ascii=False, sort_keys=True)

    def record(tx: Any) -> None:
        tx.execute(
            "INSERT INTO terminal_status(terminal_id, received_at, heartbeat) VALUES (?,?,?)"
            " ON CONFLICT(terminal_id) DO UPDATE SET received_at = excluded.received_at,"
            " heartbeat = excluded.heartbeat",
            (terminal_id, received_at, body),
        )
        last = "SELECT MAX(seq) FROM terminal_heartbeats WHERE terminal_id = ?"
        row = tx.execute(last, (terminal_id,)).fetchone()
        seq = (row[0] or 0) + 1
        tx.execute(
            "INSERT INTO terminal_heartbeats(terminal_id, seq, received_at, heartbeat) VALUES (?,?,?,?)",
            (terminal_id, seq, received_at, body),
        )
        tx.execute(
            "DELETE FROM terminal_heartbeats WHERE terminal_id = ? AND seq <= ?",
            (terminal_id, seq - HISTORY_PER_TERMINAL),
        )

    store.db.transaction(record)
    return received_at


def heartbeat_history(store: CentralStore, terminal_id: str, limit: int = 50) -> list[dict[str, Any]]:
    """The terminal's latest heartbeats, newest first, with the centre's time of receipt."""
    rows = store.db.read(
        lambda tx: tx.execute(
            "SELECT received_at, heartbeat FROM terminal_heartbeats WHERE terminal_id = ?"
            " ORDER BY seq DESC LIMIT ?",
            (terminal_id, limit),
        ).fetchall()
    )
    return [{"received_at": at, **json.loads(body)} for at, body in rows]


def _age_hours(iso: str, now: dt.datetime) -> float | None:
    try:
        then = dt.datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return None
    if then.tzinfo is None:
        then = then.replace(tzinfo=now.tzinfo)  # a terminal's local clock: close enough for hours
    return (now - then).total_seconds() / 3600


def problems_of(view: TerminalView, now: dt.datetime, limits: Thresholds) -> list[Problem]:
    """What needs a person at this terminal, most urgent first."""
    if not view.received_at:
        return [Problem("offline", "从未报告状态（注册后没有联网同步过）")]
    found = []
    beat = view.heartbeat
    silent = _age_hours(view.received_at, now)
    if silent is not None and silent * 60 > limits.offline_minutes:
        found.append(Problem("offline", f"离线 {silent * 60:.0f} 分钟（最后报告 {view.received_at}）"))
    if not beat.get("in_service", True):
        found.append(Problem("out_of_service", "暂停服务：" + "；".join(beat.get("faults") or ["原因未报"])))
    devices = {d.get("key"): d for d in beat.get("devices", [])}
    paper = {p.get("device"): p for p in beat.get("paper", [])}
    for key, name in PRINTERS.items():
        state = str(devices.get(key, {}).get("state", ""))
        if state in NO_PAPER_STATES or (key in paper and paper[key].get("left") == 0):
            found.append(Problem("no_paper", f"{name}缺纸"))
        elif state and state not in FINE_STATES:
            found.append(Problem("printer_fault", f"{name}故障：{state}"))
    for key, name in READERS.items():
        state = str(devices.get(key, {}).get("state", ""))
        if state and state not in FINE_STATES:
            found.append(Problem("reader_fault", f"{name}故障：{state}"))
    oldest = _age_hours(str(beat.get("outbox_oldest") or ""), now)
    if oldest is not None and oldest > limits.stuck_hours:
        pending = beat.get("outbox_pending", 0)
        found.append(Problem("cases_stuck", f"{pending} 件未上传，最早的已 {oldest:.0f} 小时"))
    if beat.get("outbox_parked"):
        found.append(Problem("cases_stuck", f"{beat['outbox_parked']} 件被中心拒收，等工作人员处理"))
    if isinstance(beat.get("free_disk_mb"), int) and beat["free_disk_mb"] < limits.disk_low_mb:
        found.append(Problem("disk_low", f"存储空间只剩 {beat['free_disk_mb']} MB"))
    update = str(beat.get("update") or "")
    if update.startswith(("failed", "rolled_back")):
        found.append(Problem("update_failed", f"软件更新失败：{update}"))
    for key in devices.keys() - PRINTERS.keys() - READERS.keys():
        state = str(devices[key].get("state", ""))
        if state and state not in FINE_STATES:
            found.append(Problem("device_fault", f"{key} 故障：{state}"))
    return found


def fleet(
    store: CentralStore, now: dt.datetime | None = None, limits: Thresholds = Thresholds()
) -> list[TerminalView]:
    """Every enrolled terminal with its latest heartbeat and problems: those with problems first
    (the longest list first), then by terminal id."""
    now = now or dt.datetime.now(dt.UTC)
    rows = store.db.read(
        lambda tx: tx.execute(
            "SELECT t.terminal_id, t.division_code, s.received_at, s.heartbeat FROM terminals t"
            " LEFT JOIN terminal_status s ON s.terminal_id = t.terminal_id ORDER BY t.terminal_id"
        ).fetchall()
    )
    views = []
    for terminal_id, division, received_at, body in rows:
        view = TerminalView(terminal_id, division, received_at or "", json.loads(body) if body else {})
        view.problems = problems_of(view, now, limits)
        views.append(view)
    return sorted(views, key=lambda v: (not v.problems, -len(v.problems), v.terminal_id))


def fleet_text(views: list[TerminalView]) -> str:
    """The fleet list for a person: who needs attention and why, then the rest in one line each."""
    lines = []
    needing = [v for v in views if v.problems]
    lines.append(f"终端 {len(views)} 台，需要处理 {len(needing)} 台")
    for view in views:
        beat = view.heartbeat
        head = (
            f"{view.terminal_id}  区划 {view.division_code}  版本 {beat.get('version', '—')}"
            f"  最后报告 {view.received_at or '从未'}  待传 {beat.get('outbox_pending', '—')}"
        )
        lines.append(("！ " if view.problems else "  ") + head)
        lines.extend(f"      [{p.code}] {p.words}" for p in view.problems)
    return "\n".join(lines) + "\n"
