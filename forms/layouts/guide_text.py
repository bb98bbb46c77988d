"""An item's guide (一次告知) and its rules as plain text tables, for hall staff and reviewers."""

from __future__ import annotations

import textwrap
import unicodedata

from forms.catalogue import ServiceItem
from forms.outcomes import OUTCOME_LABELS


def display_width(text: str) -> int:
    """Columns a string takes in a terminal (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    """`text` padded with spaces to `width` terminal columns."""
    return text + " " * max(0, width - display_width(text))


def wrap(text: str, width: int) -> list[str]:
    """Break text into lines of at most `width` terminal columns."""
    lines, current = [], ""
    for char in text:
        if display_width(current + char) > width:
            lines.append(current)
            current = ""
        current += char
    return lines + [current] if current or not lines else lines


def guide_text(item: ServiceItem) -> str:
    """The item's guide: the ten standard elements and the form, as residents would be told."""
    s = item.standard
    out = [
        f"{s['name']}  ({item.id} {item.version_label}, 规则 {item.rules_version_label})",
        f"事项编码 {s['code']} · {s['type']} · {s['level']} · 对象：{s['target']}",
        f"办理时限：{s['time_limit']} · 收费：{s['fees']} · 窗口：{s.get('window', '')}",
        f"设定依据：{'、'.join(s['legal_basis'])}",
    ]
    if item.network_required:
        out.append(f"需要联网。断网时：{item.offline_alternative}")
    out.append("办理条件：")
    out += [f"  · {c}" for c in s["conditions"]]
    out.append("所需材料：")
    out += [f"  · {m}" for m in s["materials"]]
    if item.pages:
        out.append("填写内容：")
        for page in item.pages:
            labels = [f.label + ("*" if f.required else "") for f in page.fields]
            out.append(f"  {page.title}：{'、'.join(labels)}")
    if item.commitment:
        out.append("告知承诺：")
        out += ["  " + line for line in textwrap.wrap(item.commitment, 40)]
    out.append(f"出具：{'、'.join(d.title for d in item.documents)}")
    return "\n".join(out)


def rules_table(item: ServiceItem, width: int = 36) -> str:
    """The rules as a table: id, outcome, condition, what the resident is told and can do."""
    columns = [("规则", 26), ("结果", 18), ("条件（须成立）", width), ("告知与办法", width + 8)]
    header = " ".join(pad(name, w) for name, w in columns)
    out = [header, "-" * display_width(header)]
    if not item.rules:
        out.append(f"（无规则：{OUTCOME_LABELS[item.outcome_when_all_pass]}）")
    for rule in item.rules:
        cells = [
            [rule.id],
            [OUTCOME_LABELS[rule.outcome]],
            wrap(rule.require, width),
            wrap(
                f"{rule.message} {rule.remedy.text}"
                + (f"（{rule.remedy.place}）" if rule.remedy.place else ""),
                width + 8,
            ),
        ]
        for row in range(max(len(c) for c in cells)):
            out.append(
                " ".join(
                    pad(c[row] if row < len(c) else "", w) for c, (_, w) in zip(cells, columns, strict=True)
                )
            )
    out.append(f"全部规则成立：{OUTCOME_LABELS[item.outcome_when_all_pass]}")
    return "\n".join(out)
