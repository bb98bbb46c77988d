"""Fuzzing every parser the terminal feeds with outside bytes or text, and every form field with a
catalogue of bad input: each input gets its documented answer (a value, or the parser's own error,
or a message in Chinese for the resident); nothing else escapes, nothing crashes, nothing is lost.

The profile is set by KIOSK_FUZZ_PROFILE: `suite` (the default, a few hundred examples each) or
`long` (`kiosk prove fuzz`: tens of thousands)."""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devices.camera.qr_payloads import QrPayload, QrProblem, parse_payload
from devices.sam.frames import FrameError, decode_response, find_frame
from devices.sam.text import TEXT_BYTES, TextBlockError, parse_text
from devices.ss_card import TlvError, decode_field, parse_tlv
from forms import validators
from forms.ids import parse_resident_id
from kiosk.devtools.escpos_preview import UnknownCommandError, parse_escpos

settings.register_profile(
    "suite", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("long", max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("KIOSK_FUZZ_PROFILE", "suite"))

# The bad-input catalogue of issue 10, and what residents really type.
BAD_INPUTS = [
    "'; DROP TABLE cases; --",
    '" OR 1=1 --',
    "x" * 10_000,
    "王" * 10_000,
    "\x00\x01\x07\x1b[2J\x7f",
    "\u202e右至左\u202c",
    "\u200f\u200e\u2066隔离\u2069",
    "😀🏪👨‍👩‍👧",
    "王䶮",  # U+4DAE, an Extension A character
    "𠮷野家",  # U+20BB7, beyond the BMP
    "１３９１２３４５６７８",  # full-width digits
    "",
    "   ",
    "\ud800" if False else "\ufffd",
    "<script>alert(1)</script>",
    "${jndi:ldap://x}",
    "%s%n%x",
    "\n\n\n",
]
CJK = re.compile(r"[\u4e00-\u9fff]")


@given(st.binary(max_size=600))
def test_sam_frames_parse_or_say_what_is_wrong(data: bytes) -> None:
    try:
        body, used = find_frame(data)
    except FrameError:
        return
    assert 0 <= used <= len(data)
    if body is not None:
        try:
            decode_response(body)
        except FrameError:
            pass


@given(st.binary(min_size=TEXT_BYTES, max_size=TEXT_BYTES) | st.binary(max_size=300))
def test_the_id_card_text_block_parses_or_is_refused(block: bytes) -> None:
    try:
        parse_text(block)
    except TextBlockError:
        pass


@given(st.binary(max_size=400), st.sampled_from(["ascii", "gbk", "bcd"]))
def test_social_security_card_records_parse_or_are_refused(data: bytes, encoding: str) -> None:
    try:
        fields = parse_tlv(data)
    except TlvError:
        return
    for raw in fields.values():
        try:
            assert isinstance(decode_field(raw, encoding), str)
        except TlvError:
            pass


@given(st.text(max_size=3000) | st.sampled_from(BAD_INPUTS))
def test_qr_payloads_are_read_or_explained(text: str) -> None:
    result = parse_payload(text)
    assert isinstance(result, QrPayload | QrProblem)
    if isinstance(result, QrProblem):
        assert result.reason


@given(st.binary(max_size=800))
def test_the_receipt_preview_reads_any_bytes_or_names_the_command(data: bytes) -> None:
    try:
        parse_escpos(data)
    except UnknownCommandError:
        pass


@given(st.text(max_size=40) | st.sampled_from(BAD_INPUTS))
def test_every_validator_answers_none_or_a_chinese_message(text: str) -> None:
    for name in dir(validators):
        check = getattr(validators, name)
        if name.startswith(("validate_", "warn_")) and callable(check):
            problem = check(text)
            assert problem is None or CJK.search(problem), (name, text, problem)
    assert parse_resident_id(text) is None or len(text.strip()) == 18


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
        max_leaves=12,
    )
)
def test_update_documents_of_any_shape_are_refused_unless_signed(document) -> None:  # noqa: ANN001
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from sync.updates import verify_update

    assert verify_update(document, Ed25519PrivateKey.generate().public_key()) in (
        "malformed",
        "unsigned",
        "bad_signature",
    )


@given(
    st.dictionaries(
        st.sampled_from(
            [
                "terminal_id",
                "hall_name",
                "division_code",
                "central_url",
                "demo",
                "devices",
                "timeouts",
                "printing",
                "nonsense",
            ]
        ),
        st.none()
        | st.booleans()
        | st.integers(-5, 10**6)
        | st.text(max_size=30)
        | st.dictionaries(st.text(max_size=12), st.integers() | st.text(max_size=8), max_size=3),
        max_size=5,
    )
)
def test_configuration_values_of_any_kind_load_or_name_the_key(raw: dict) -> None:
    from kiosk.config import ConfigError, config_from_dict

    try:
        config_from_dict({k: v for k, v in raw.items() if v is not None})
    except ConfigError as exc:
        assert "'" in str(exc)  # names the key or the value


# ---- every form field of every item, through the journey's own page checks ---------------------
def _sessions():  # noqa: ANN202
    """Each item's session with the resident identified (where the item identifies anyone)."""
    from devices.demo_residents import demo_residents
    from kiosk.core.session import Session
    from tests.demo_data import catalogue

    for item in catalogue().values():
        session = Session(90, 15)
        session.start()
        session.choose_item(item)
        if session.screen.value == "identify":
            session.identified(demo_residents()["adult"][1])
        yield item, session


def test_every_form_field_takes_the_bad_input_catalogue_with_a_chinese_answer(services) -> None:  # noqa: ANN001
    checked = 0
    for item, session in _sessions():
        for form_field in item.fields:
            if form_field.type not in ("text", "choice", "scope", "multi_choice", "number", "date"):
                continue
            for bad in BAD_INPUTS:
                session.answers[form_field.id] = bad
                problems = services.journey.page_problems(session)
                warnings = services.journey.page_warnings(session)
                for message in (*problems.values(), *warnings.values()):
                    assert CJK.search(message), (item.id, form_field.id, bad[:20], message)
                checked += 1
            session.answers.pop(form_field.id, None)
    assert checked > 200


@pytest.mark.parametrize("trade_name", ["𠮷祥", "王䶮", "晨光"])
def test_rare_characters_survive_from_the_form_to_the_store_and_the_licence(
    services, trade_name: str
) -> None:  # noqa: ANN001
    import subprocess

    from devices.demo_residents import demo_residents
    from kiosk.devtools.proof.journeys import signed_registration
    from tests.demo_data import catalogue

    item = catalogue()["individual-business-registration"]
    resident = demo_residents()["rare_name"][1]
    session = signed_registration(item, resident, random.Random(1), trade_name=trade_name)
    decision = services.journey.decide(session)
    assert decision.outcome == "approved_on_commitment", decision
    case = services.journey.commit(session, decision)
    assert services.cases.personal(case.id)["applicant"]["name"] == "王䶮"
    case = services.journey.accept_commitment(case, item)
    result = services.journey.issue(case)
    assert result.problems == []
    pdf = next(services.config.data_dir.parent.glob("spool/licence-*.pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert trade_name in "".join(text.split()) and "王䶮" in text


ITEM = (
    Path(__file__).resolve().parents[1] / "forms" / "items" / "01_individual_business_registration.toml"
).read_bytes()


@given(
    st.binary(max_size=400)
    | st.integers(0, len(ITEM)).flatmap(
        lambda cut: st.binary(max_size=40).map(lambda junk: ITEM[:cut] + junk + ITEM[cut + len(junk) :])
    )
)
def test_item_files_parse_or_say_where_they_are_wrong(raw: bytes) -> None:
    from forms.catalogue import ItemFileError, parse_item

    try:
        item = parse_item(raw, Path("01_individual_business_registration.toml"))
    except ItemFileError as exc:
        assert str(exc).startswith("01_individual_business_registration.toml")
    else:
        assert item.id


@given(st.binary(max_size=600))
def test_the_installers_answers_files_load_or_say_why(tmp_path_factory, raw: bytes) -> None:  # noqa: ANN001
    from installer.actions import StepFailedError
    from installer.answers import Answers

    path = tmp_path_factory.mktemp("answers") / "a.toml"
    path.write_bytes(raw)
    try:
        Answers.from_file(path)
    except StepFailedError as exc:
        assert CJK.search(str(exc))
