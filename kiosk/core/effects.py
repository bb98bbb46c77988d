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
from dataclasses import dataclass
from typing import Any

from forms.business import compose_name
from forms.reference import id_hash


@dataclass(frozen=True)
class EffectContext:
    """One approved case as the effects see it."""

    conn: sqlite3.Connection
    credit_code: str
    answers: Mapping[str, Any]
    applicant_id: str
    division_code: str
    division_name: str
    today: dt.date


def _take_name(ctx: EffectContext, industry: str, trade_name: str) -> None:
    ctx.conn.execute(
        "INSERT OR IGNORE INTO name_registry(division_code, industry, trade_name, source) "
        "VALUES (?,?,?, 'terminal')",
        (ctx.division_code, industry, trade_name),
    )


def _register(ctx: EffectContext) -> None:
    answers = ctx.answers
    trade, industry = (answers.get("trade_name") or "").strip(), answers.get("industry", "")
    ctx.conn.execute(
        "INSERT INTO business_registry(credit_code, name, operator_id_hash, organisation_type, industry,"
        " scope, premises, status, has_food_filing, registered_on, source)"
        " VALUES (?,?,?,?,?,?,?, 'active', 0, ?, 'terminal')",
        (
            ctx.credit_code,
            compose_name(ctx.division_name, trade, industry, answers.get("organisation_form", "")),
            id_hash(ctx.applicant_id),
            answers.get("organisation_type") or "个人经营",
            industry,
            json.dumps(list(answers.get("business_scope") or [])),
            answers.get("premises", ""),
            ctx.today.isoformat(),
        ),
    )
    if trade:
        _take_name(ctx, industry, trade)


def _change(ctx: EffectContext) -> None:
    answers, code = ctx.answers, ctx.credit_code
    changes = answers.get("change_items") or []
    if "名称" in changes:
        trade, industry = answers["new_trade_name"].strip(), answers["new_industry"]
        name = compose_name(ctx.division_name, trade, industry, answers["new_organisation_form"])
        ctx.conn.execute(
            "UPDATE business_registry SET name = ?, industry = ? WHERE credit_code = ?",
            (name, industry, code),
        )
        _take_name(ctx, industry, trade)
    if "经营范围" in changes:
        ctx.conn.execute(
            "UPDATE business_registry SET scope = ? WHERE credit_code = ?",
            (json.dumps(list(answers["new_scope"])), code),
        )
    if "经营场所" in changes:
        ctx.conn.execute(
            "UPDATE business_registry SET premises = ? WHERE credit_code = ?", (answers["new_premises"], code)
        )


def _deregister(ctx: EffectContext) -> None:
    ctx.conn.execute(
        "UPDATE business_registry SET status = 'deregistered' WHERE credit_code = ?", (ctx.credit_code,)
    )


def _file_food_sales(ctx: EffectContext) -> None:
    ctx.conn.execute(
        "UPDATE business_registry SET has_food_filing = 1 WHERE credit_code = ?", (ctx.credit_code,)
    )


EFFECTS = {
    "register_business": _register,
    "change_business": _change,
    "deregister_business": _deregister,
    "file_food_sales": _file_food_sales,
}


def apply_effects(effects: tuple[str, ...], ctx: EffectContext) -> None:
    """Apply an approved case's effects to the registries inside the caller's transaction."""
    for effect in effects:
        EFFECTS[effect](ctx)
