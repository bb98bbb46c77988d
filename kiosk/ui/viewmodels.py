"""Plain dicts and lists for QML, built from the session (no Qt, no logic beyond shaping)."""

from __future__ import annotations

from typing import Any

from forms.catalogue import FormField, ServiceItem
from forms.privacy import mask_id_number
from forms.rules import OUTCOME_LABELS, Decision
from forms.scope import scope_catalogue
from kiosk.core.session import Session


def item_tiles(catalogue: dict[str, ServiceItem]) -> list[dict[str, Any]]:
    """The items on the choose-an-item screen."""
    return [
        {
            "id": item.id,
            "name": item.name,
            "timeLimit": item.standard["time_limit"],
            "needsNetwork": item.network_required,
        }
        for item in catalogue.values()
    ]


def guide(item: ServiceItem | None) -> dict[str, Any]:
    """The 一次告知 guide: conditions, materials, time limit, fees, legal basis."""
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
    }


def _display(field: FormField, value: Any) -> str:
    if field.masked and isinstance(value, str):
        return mask_id_number(value)
    if field.type == "scope":
        scope = scope_catalogue()
        return "；".join(scope[c].name for c in value or [] if c in scope)
    return "" if value is None else str(value)


def page_fields(session: Session) -> list[dict[str, Any]]:
    """The fields of the current form page with their values and problems."""
    if session.item is None or session.screen.value != "form":
        return []
    page = session.item.pages[session.page_index]
    out = []
    for f in page.fields:
        value = session.answers.get(f.id)
        choices: list[dict[str, Any]] = [{"value": c, "label": c} for c in f.choices]
        if f.type == "scope":
            choices = [
                {"value": e.code, "label": e.name, "licensed": e.kind == "licensed"}
                for e in scope_catalogue().values()
            ]
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
                "value": value if f.type == "scope" else _display(f, value),
                "selected": list(value or []) if f.type == "scope" else [],
                "error": session.field_errors.get(f.id, ""),
                "focus": session.focus_field == f.id,
            }
        )
    return out


def review_rows(session: Session) -> list[dict[str, str]]:
    """Label/value rows for the review screen."""
    if session.item is None:
        return []
    return [
        {"label": f.label, "value": _display(f, session.answers.get(f.id)) or "（未填写）"}
        for f in session.item.fields
    ]


def decision_view(decision: Decision | None, case_number: str | None) -> dict[str, Any]:
    """The outcome, what failed and what the resident can do about it."""
    if decision is None:
        return {}
    return {
        "outcome": decision.outcome,
        "label": OUTCOME_LABELS[decision.outcome],
        "caseNumber": case_number or "",
        "issuesNow": decision.issues_documents_now,
        "failures": [
            {
                "rule": f.rule_id,
                "message": f.message,
                "remedy": f.remedy.text,
                "field": f.remedy.field or "",
                "place": f.remedy.place or "",
            }
            for f in decision.failures
        ],
    }
