"""The synthetic residents and demo reference data, as the engine sees them."""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import cache
from pathlib import Path

from devices.demo_residents import demo_residents
from forms.catalogue import load_catalogue
from forms.facts import Applicant
from forms.reference import BusinessRecord, InMemoryReference, id_hash
from forms.rules import Engine

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 23)
DIVISION = ("370302", "淄川区")


@cache
def applicants() -> dict[str, Applicant]:
    """Every synthetic resident as an applicant identified by ID card."""
    return {key: Applicant.from_mapping(card.as_applicant()) for key, (_, card) in demo_residents().items()}


def demo_reference() -> InMemoryReference:
    """The demo terminal's reference data (names, businesses, dishonesty list) in memory."""
    data = tomllib.loads((ROOT / "assets/demo/reference.toml").read_text(encoding="utf-8"))
    return InMemoryReference(
        names={(n["division"], n["industry"], n["trade_name"]) for n in data["names"]},
        dishonest={id_hash(d["id_number"]): d["reason"] for d in data["dishonest"]},
        businesses={
            b["credit_code"]: BusinessRecord(
                b["credit_code"],
                b["name"],
                id_hash(b["operator_id_number"]),
                b["industry"],
                tuple(b["scope"]),
                b["premises"],
                b["status"],
                b.get("food_filing", False),
            )
            for b in data["businesses"]
        },
    )


@cache
def catalogue():  # noqa: ANN201
    """The shipped catalogue, loaded once per test process."""
    return load_catalogue()


def demo_engine() -> Engine:
    """An engine for the demo terminal's division over the demo reference data."""
    return Engine(demo_reference(), *DIVISION)


def sign_every_signature_field(session) -> None:  # noqa: ANN001 (a kiosk.core.session.Session)
    """What the signature pad does: a drawn signature kept in the session for each signature
    field of the item, as the form's answer."""
    from kiosk.ui.capture_flow import picture_of
    from kiosk.ui.signatures import render_signature

    strokes = [[(300, 100), (600, 100)], [(320, 200), (580, 200)], [(450, 100), (450, 300)]]
    for field in session.item.fields:
        if field.type == "signature":
            token, kind, png = picture_of("signature", render_signature(strokes, 900, 400))
            session.captures[token] = (kind, png)
            session.answers[field.id] = token
