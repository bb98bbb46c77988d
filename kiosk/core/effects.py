"""What an approved case changes in the local registries, inside the case's own transaction.

The vocabulary is fixed (an item lists the effects it has in its data file); each effect
reads the case's answers and writes the business registry and the name registry, so the next
resident at this terminal sees the change even before the centre does.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from forms.business import compose_name
from forms.reference import id_hash


def _register(
    conn: sqlite3.Connection,
    code: str,
    answers: Mapping[str, Any],
    applicant_id: str,
    division_code: str,
    division_name: str,
    today: dt.date,
) -> None:
    trade, industry = (answers.get("trade_name") or "").strip(), answers.get("industry", "")
    name = compose_name(division_name, trade, industry, answers.get("organisation_form", ""))
    conn.execute(
        "INSERT INTO business_registry(credit_code, name, operator_id_hash, organisation_type, industry,"
        " scope, premises, status, has_food_filing, registered_on, source)"
        " VALUES (?,?,?,?,?,?,?, 'active', 0, ?, 'terminal')",
        (
            code,
            name,
            id_hash(applicant_id),
            answers.get("organisation_type") or "个人经营",
            industry,
            json.dumps(list(answers.get("business_scope") or [])),
            answers.get("premises", ""),
            today.isoformat(),
        ),
    )
    if trade:
        conn.execute(
            "INSERT OR IGNORE INTO name_registry(division_code, industry, trade_name, source) "
            "VALUES (?,?,?, 'terminal')",
            (division_code, industry, trade),
        )


def _change(
    conn: sqlite3.Connection, code: str, answers: Mapping[str, Any], division_code: str, division_name: str
) -> None:
    changes = answers.get("change_items") or []
    if "名称" in changes:
        trade, industry = answers["new_trade_name"].strip(), answers["new_industry"]
        name = compose_name(division_name, trade, industry, answers["new_organisation_form"])
        conn.execute(
            "UPDATE business_registry SET name = ?, industry = ? WHERE credit_code = ?",
            (name, industry, code),
        )
        conn.execute(
            "INSERT OR IGNORE INTO name_registry(division_code, industry, trade_name, source) "
            "VALUES (?,?,?, 'terminal')",
            (division_code, industry, trade),
        )
    if "经营范围" in changes:
        conn.execute(
            "UPDATE business_registry SET scope = ? WHERE credit_code = ?",
            (json.dumps(list(answers["new_scope"])), code),
        )
    if "经营场所" in changes:
        conn.execute(
            "UPDATE business_registry SET premises = ? WHERE credit_code = ?", (answers["new_premises"], code)
        )


def apply_effects(
    conn: sqlite3.Connection,
    effects: tuple[str, ...],
    code: str,
    answers: Mapping[str, Any],
    applicant_id: str,
    division_code: str,
    division_name: str,
    today: dt.date,
) -> None:
    """Apply an approved case's effects to the registries inside the caller's transaction."""
    for effect in effects:
        if effect == "register_business":
            _register(conn, code, answers, applicant_id, division_code, division_name, today)
        elif effect == "change_business":
            _change(conn, code, answers, division_code, division_name)
        elif effect == "deregister_business":
            conn.execute(
                "UPDATE business_registry SET status = 'deregistered' WHERE credit_code = ?", (code,)
            )
        elif effect == "file_food_sales":
            conn.execute("UPDATE business_registry SET has_food_filing = 1 WHERE credit_code = ?", (code,))
        else:
            raise ValueError(f"unknown effect {effect!r}")
