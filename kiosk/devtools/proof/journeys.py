"""Residents without a screen: complete journeys through the kiosk's own session and journey code
(what the QML UI drives), for the harnesses that run thousands of them."""

from __future__ import annotations

import hashlib
import io
import random
from dataclasses import dataclass

from devices.demo_residents import demo_residents
from forms.catalogue import ATTACHMENT_KIND, ServiceItem, load_catalogue
from kiosk.core.attachments import token_for
from kiosk.core.identity import Identity
from kiosk.core.session import Session
from kiosk.services import KioskServices

# Characters residents pick for a 字号 (standard simplified forms): random ones from the whole
# ideograph block are mostly traditional or rare, which the name rules refuse, and the proofs
# would then see few licences. Some pairs still make a county's name (德阳), as in life.
HAN = list(
    "华星鑫源聚福满多兴隆家和顺达金银宝泰康乐美佳丽红新盛旺昌荣德瑞祥"
    "发恒通利丰宏运晨曦春秋明亮光辉锦绣鸿鹏飞凯越诚信益友邦合力创意优品香甜"
)
SCOPES = ["F1201", "F1203", "F1265", "O8011", "F1221", "H6201"]


@dataclass(frozen=True)
class Seen:
    """What the resident saw: the decision, and what was printed for them."""

    case_id: str
    number: str
    outcome: str
    documents: tuple[str, ...] = ()


def signature_png(rng: random.Random) -> bytes:
    """A drawn signature, as the pad would keep it (three strokes, never twice the same)."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (900, 400), 255)
    draw = ImageDraw.Draw(image)
    for _ in range(3):
        points = [(rng.randint(100, 800), rng.randint(80, 320)) for _ in range(4)]
        draw.line(points, fill=0, width=8)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def registration_answers(rng: random.Random) -> dict:
    """A 个体工商户设立登记 form filled as residents fill it: a fresh two- to four-character 字号."""
    return {
        "phone": "139" + "".join(rng.choices("0123456789", k=8)),
        "organisation_type": "个人经营",
        "trade_name": "".join(rng.choices(HAN, k=rng.randint(2, 4))),
        "industry": rng.choice(["百货", "超市", "便利", "理发", "五金", "服装", "水果", "早餐"]),
        "organisation_form": "店",
        "business_scope": rng.sample(SCOPES[:3], rng.randint(1, 2)),
        "premises": "山东省淄博市淄川区般阳路街道东关村125号",
        "premises_proof": "签署住所申报承诺",
        "premises_document": "",
    }


def signed_registration(item: ServiceItem, resident: Identity, rng: random.Random, **answers: str) -> Session:
    """A registration session with its form filled (`answers` override), identified as
    `resident` and signed, ready to be decided."""
    session = Session(90, 15)
    session.start()
    session.choose_item(item)
    session.identified(resident)
    session.answers.update(registration_answers(rng), **answers)
    png = signature_png(rng)
    token = token_for(hashlib.sha256(png).hexdigest())
    session.captures[token] = (ATTACHMENT_KIND["signature"], png)
    session.answers["signature"] = token
    return session


def registration(services: KioskServices, rng: random.Random, decided=None) -> Seen:  # noqa: ANN001
    """One resident registers a business: identified by ID card, decided, the commitment signed,
    the licence printed. `decided(seen)` is called the moment the decision is on the screen."""
    item = load_catalogue()["individual-business-registration"]
    # Residents who may register (and one on the dishonesty list, refused with what to do).
    residents = [demo_residents()[key][1] for key in ("adult", "elder", "rare_name", "minority", "dishonest")]
    session = signed_registration(item, rng.choice(residents), rng)
    decision = services.journey.decide(session)
    case = services.journey.commit(session, decision)
    seen = Seen(case.id, case.number, case.outcome)
    if decided is not None:
        decided(seen)
    if case.outcome == "approved_on_commitment":
        case = services.journey.accept_commitment(case, item)
    if case.outcome in ("approved", "approved_on_commitment"):
        result = services.journey.issue(case)
        seen = Seen(case.id, case.number, case.outcome, tuple(result.documents))
    session.reset()
    return seen
