"""Plain dicts and lists for QML, built from the session (no Qt, no logic beyond shaping)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from forms.business import compose_name
from forms.catalogue import PICTURE_TYPES, FormField, ServiceItem
from forms.outcomes import OUTCOME_LABELS, Outcome
from forms.privacy import mask_id_number
from forms.rules import Decision
from forms.scope import ScopeEntry
from kiosk.core.session import Session

if TYPE_CHECKING:
    from kiosk.core.follow_on import FollowOn


def item_groups(catalogue: dict[str, ServiceItem]) -> list[dict[str, Any]]:
    """The choose-an-item screen: the items as tiles, grouped by department in catalogue order."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in catalogue.values():
        tile = item.shown_as
        groups.setdefault(tile.department, []).append(
            {
                "id": item.id,
                "label": tile.label,
                "icon": tile.icon,
                "timeLimit": item.standard["time_limit"],
                "needsNetwork": item.network_required,
                "offline": item.offline_alternative,
            }
        )
    return [{"department": department, "items": items} for department, items in groups.items()]


def guide(item: ServiceItem | None) -> dict[str, Any]:
    """The 一次告知 guide: conditions, materials, time limit, fees, legal basis, window."""
    if item is None:
        return {}
    s = item.standard
    return {
        "name": s["name"],
        "conditions": list(s["conditions"]),
        "materials": list(s["materials"]),
        "timeLimit": s["time_limit"],
        "fees": s["fees"],
        "legalBasis": "、".join(s["legal_basis"]),
        "target": s["target"],
        "window": s.get("window", ""),
        "offline": item.offline_alternative,
        "needsNetwork": item.network_required,
    }


IDENTIFY_WAY_NAMES = {
    "id_card": "居民身份证",
    "social_security_card": "社会保障卡",
    "e_id": "电子身份证二维码",
    "manual_with_face": "手动输入身份证号码并拍照",
}


def identify_ways(item: ServiceItem) -> str:
    """How this item can be identified, in one phrase: 居民身份证或电子身份证二维码."""
    names = [IDENTIFY_WAY_NAMES[w] for w in item.identify_with if w in IDENTIFY_WAY_NAMES]
    return "、".join(names[:-1]) + "或" + names[-1] if len(names) > 1 else "".join(names)


def display(field: FormField, value: Any, scope: Mapping[str, ScopeEntry]) -> str:
    """An answer as the resident reads it back (ID numbers masked)."""
    if field.masked and isinstance(value, str):
        return mask_id_number(value)
    if field.type == "scope":
        return "；".join(scope[c].name for c in value or [] if c in scope)
    if field.type == "multi_choice":
        return "、".join(value or [])
    if field.type == "confirm":
        return "已确认" if value is True else ""
    if field.type in ("document", "face"):
        return "已拍摄" if value else ""
    if field.type == "signature":
        return "已签名" if value else ""
    return "" if value is None else str(value)


def page_fields(
    session: Session,
    shown: set[str],
    scope: Mapping[str, ScopeEntry],
    warnings: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The shown fields of the current form page with their values and problems."""
    assert session.item is not None
    out = []
    for f in session.item.pages[session.page_index].fields:
        if f.id not in shown:
            continue
        value = session.answers.get(f.id)
        suggestion = session.suggestions.get(f.id, "")
        choices: list[dict[str, Any]] = [{"value": c, "label": c} for c in f.choices]
        if f.type == "scope":
            choices = [
                {"value": e.code, "label": e.name, "licensed": e.kind == "licensed"} for e in scope.values()
            ]
        multi = f.type in ("scope", "multi_choice")
        out.append(
            {
                "id": f.id,
                "label": f.label,
                "type": f.type,
                "help": f.help,
                "input": f.input,
                "readonly": f.readonly,
                "required": f.required,
                "choices": choices,
                "statement": f.statement,
                "maxLength": f.max_length or 100,
                "value": "" if multi else display(f, value, scope),
                "checked": value is True,
                "token": value if f.type in PICTURE_TYPES and isinstance(value, str) else "",
                "selected": list(value or []) if multi else [],
                "error": session.field_errors.get(f.id, ""),
                "warning": (warnings or {}).get(f.id, ""),
                "focus": session.focus_field == f.id,
                # the card's address, offered until it is the answer (never taken silently)
                "suggestion": suggestion if suggestion and value != suggestion else "",
            }
        )
    return out


def review_groups(session: Session, shown: set[str], scope: Mapping[str, ScopeEntry]) -> list[dict[str, Any]]:
    """The review screen's groups, one per form page with an answer shown: its title, the page's
    index (修改 goes back to it) and its label/value rows."""
    if session.item is None:
        return []
    groups = []
    for index, page in enumerate(session.item.pages):
        rows = [
            {"label": f.label, "value": display(f, session.answers.get(f.id), scope) or "（未填写）"}
            for f in page.fields
            if f.id in shown
        ]
        if rows:
            groups.append({"title": page.title, "page": index, "rows": rows})
    return groups


NO_NAME_SHOWN = "不使用名称（执照的名称一栏印“—”）"


def printed_name(session: Session, shown: set[str], division_name: str) -> dict[str, Any]:
    """The business name exactly as the licence will print it (行政区划 + 字号 + 行业 + 组织形式),
    for a registration or a change of name; empty for other items. `parts` are where the name may
    break onto a second line: after the division, never inside the 字号."""
    answers = session.answers
    for prefix, label in (("", "营业执照上的名称"), ("new_", "变更后营业执照上的名称")):
        parts = [f"{prefix}trade_name", f"{prefix}industry", f"{prefix}organisation_form"]
        if all(part in shown for part in parts):
            trade, industry, form = (str(answers.get(part) or "") for part in parts)
            name = compose_name(division_name, trade, industry, form)
            parts = [division_name, name.removeprefix(division_name)] if name else [NO_NAME_SHOWN]
            return {"label": label, "value": name or NO_NAME_SHOWN, "parts": parts}
    return {}


def decision_view(
    decision: Decision | None,
    case_number: str | None,
    follow: Sequence[FollowOn] = (),
    guide_printable: bool = False,
) -> dict[str, Any]:
    """The outcome, what failed and what the resident can do about it; the permits and filings
    the chosen scope still needs (`follow`), each with the item that starts here next or where
    to go; whether the item's guide can be printed for a resident sent elsewhere."""
    if decision is None:
        return {}
    label = OUTCOME_LABELS[decision.outcome]
    pending = [f for f in decision.failures if f.outcome == Outcome.ACCEPTED_PENDING]
    waiting = pending and all(f.remedy.action == "wait" for f in pending)
    if decision.outcome == Outcome.ACCEPTED_PENDING and waiting:
        label = "已登记，联网后办理"  # nothing is missing from the resident: the centre is away
    fixing = decision.outcome == Outcome.NEEDS_FIXING
    go_to = fixing and any(f.remedy.action == "go_to" for f in decision.failures)
    return {
        "outcome": decision.outcome,
        "label": label,
        "caseNumber": case_number or "",
        "issuesNow": decision.issues_documents_now,
        "commitment": decision.commitment,
        "failures": [
            {
                "rule": f.rule_id,
                "message": f.message,
                "remedy": f.remedy.text,
                "field": (f.remedy.field or "") if f.outcome == Outcome.NEEDS_FIXING else "",
                "place": f.remedy.place or "",
                "action": f.remedy.action,
            }
            for f in decision.failures
            if f.outcome != Outcome.APPROVED_ON_COMMITMENT
        ],
        # nothing here leads to a field: the resident goes back to the review to change an answer
        "canReview": fixing and not any(f.remedy.field for f in decision.failures),
        "printGuide": go_to and guide_printable,
        "permits": [
            {
                "text": f.sentence,
                "kind": f.need.kind,
                "itemId": f.item.id if f.item is not None and f.can_start else "",
                "itemName": f.item.name if f.item is not None else "",
                "where": f.where,
            }
            for f in ([] if fixing else follow)
        ],
    }
