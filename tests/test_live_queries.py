"""Online items ask the centre's registers at the moment of deciding (参保证明: contribution
months; 临时身份证明: the household record), and print from exactly what was answered. A centre
that is down or answers nonsense registers the request for later, never a guess."""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

import pytest

from kiosk.services import KioskServices
from sync.client import CentralClient
from sync.server.registers import Registers
from tests.central import CentralServer
from tests.test_reference_store import session_for
from tests.test_sync import _portal

INSURANCE = {"certificate_type": "城乡居民养老保险参保证明", "period": "近12个月"}



def test_an_insured_resident_gets_a_certificate_of_the_months_the_centre_holds(
    services: KioskServices, online: CentralServer, tmp_path: Path
) -> None:
    session = session_for("social-insurance-certificate", "elder", INSURANCE)
    decision = services.journey.decide(session)
    assert decision.outcome == "approved", decision.failures
    months = session.live["insurance"]["records"]
    assert len(months) == 12 and all(status == "已缴费" for *_, status in months)
    case = services.journey.commit(session, decision)
    assert services.cases.personal(case.id)["live"]["insurance"]["records"] == months
    result = services.journey.issue(case)
    assert result.documents == ["社会保险参保证明"] and result.problems == []
    [pdf] = (tmp_path / "spool").glob("insurance_certificate-*.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "李秀兰" in text and months[-1][0] in text


def test_someone_not_in_the_register_is_sent_to_the_window_with_the_reason(
    services: KioskServices, online: CentralServer
) -> None:
    session = session_for("social-insurance-certificate", "minor", INSURANCE)
    decision = services.journey.decide(session)
    assert decision.outcome == "needs_fixing"
    assert [f.rule_id for f in decision.failures] == ["record-found"]
    assert "社保窗口" in decision.failures[0].remedy.place


def test_the_household_check_of_a_temporary_identity_proof(
    services: KioskServices, online: CentralServer
) -> None:
    local = session_for(
        "temporary-identity-proof", "adult", {"reason": "身份证遗失", "purpose": "办理银行业务"}
    )
    answered = services.journey.ask_live(local)
    assert answered.facts["population_record_found"] is True and not answered.unreachable
    assert "般阳路派出所" in answered.facts["population"]["police_station"]
    assert local.live == {}  # asking leaves the session alone: the UI thread keeps the answers
    elsewhere = session_for(
        "temporary-identity-proof", "expired", {"reason": "身份证遗失", "purpose": "办理银行业务"}
    )
    assert services.journey.ask_live(elsewhere).facts["population_record_found"] is False


@pytest.mark.parametrize("answer", [503, 200], ids=["centre-error", "portal-page"])
def test_a_centre_that_fails_the_query_registers_the_request_for_later(
    services: KioskServices, answer: int
) -> None:
    portal, url = _portal(answer)
    services.journey.central_client = lambda: CentralClient(url, services.config.terminal_id, b"x" * 32, 2)
    services.journey.network_online = True
    try:
        session = session_for("social-insurance-certificate", "elder", INSURANCE)
        decision = services.journey.decide(session)
    finally:
        portal.shutdown()
    assert session.live_unreachable and decision.outcome == "accepted_pending"
    assert [f.rule_id for f in decision.failures] == ["network-online"]


def test_a_name_that_does_not_match_the_number_finds_nothing() -> None:
    registers = Registers()
    assert registers.insurance_record("370302195806140025", "李秀兰", "近6个月")["found"]
    assert not registers.insurance_record("370302195806140025", "王建国", "近6个月")["found"]
    assert not registers.population_record("370302195806140025", "王建国")["found"]


def test_the_register_photo_is_found_only_for_the_number_and_its_name() -> None:
    registers = Registers()
    found = registers.reference_photo("370302195806140025", "李秀兰")
    assert found["found"] and base64.b64decode(found["photo"]).startswith(b"\xff\xd8\xff")
    assert registers.reference_photo("370302195806140025", "王建国") == {"found": False}
    assert registers.reference_photo("370302197503080116", "王建国") == {"found": False}  # none on file
