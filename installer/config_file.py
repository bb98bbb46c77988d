"""kiosk.toml as the installer writes it: the checked values, sections in a fixed order, and a
header that says who wrote it. Strings are written as TOML basic strings (JSON's escapes are
TOML's), so any name the technician types survives a round trip."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

SECTIONS = ("devices", "timeouts", "printing", "admin")
HEADER = """# 本终端的配置，由安装程序写入（python -m installer）。
# 修改后请运行 kiosk check-config 检查，再重启服务：systemctl restart township-kiosk
"""


def read_config(path: Path) -> dict[str, Any]:
    """The existing configuration's values ({} when there is none)."""
    if not path.exists():
        return {}
    return tomllib.loads(path.read_text(encoding="utf-8"))


def render_config(values: dict[str, Any]) -> str:
    """The TOML text for `values` (top-level keys, then each section)."""
    lines = [HEADER]
    for key, value in values.items():
        if not isinstance(value, dict):
            lines.append(f"{key} = {_value(value)}")
    for section in (*SECTIONS, *sorted(set(values) - set(SECTIONS))):
        table = values.get(section)
        if not isinstance(table, dict) or not table:
            continue
        lines.append(f"\n[{section}]")
        lines.extend(f"{key} = {_value(value)}" for key, value in table.items())
    return "\n".join(lines) + "\n"


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)
