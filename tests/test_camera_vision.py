"""QR decoding, face quality and document straightening on generated frames (real OpenCV)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.camera import synthetic
from devices.camera.document import A4_SIZE, capture_document
from devices.camera.face import check_face, crop_face
from devices.camera.qr_decoder import QrDecoder, decode_image
from devices.camera.qr_payloads import QrPayload, QrProblem, parse_payload
from forms.ids import credit_code_check_char, resident_id_check_char
from kiosk.core.codes import checked_payload

CREDIT_CODE = "92370481MA3C4D5E6" + credit_code_check_char("92370481MA3C4D5E6")
RESIDENT_ID = "37030219750308011" + resident_id_check_char("37030219750308011")
DOCUMENT = (
    '{"at":"2026-11-23T10:00:00+08:00","h":"abcdef0123456789abcdef01","k":"T-370481-0001",'
    '"n":"' + CREDIT_CODE + '","s":"' + "A" * 86 + '","t":"licence"}'
)


# ---- payload formats ----------------------------------------------------------------------------
def test_our_signed_document_payload_is_a_document() -> None:
    result = parse_payload(DOCUMENT)
    assert isinstance(result, QrPayload)
    assert (result.format, result.kind) == ("kiosk_document", "document")
    assert result.fields["number"] == CREDIT_CODE and result.fields["document_type"] == "licence"


@pytest.mark.parametrize(
    "text",
    [CREDIT_CODE, f"  {CREDIT_CODE}\n", f"https://zzlz.example.gov.cn/verify?uscc={CREDIT_CODE}&from=app"],
)
def test_a_bare_credit_code_or_an_e_licence_link_is_an_e_licence(text: str) -> None:
    result = parse_payload(text)
    assert isinstance(result, QrPayload) and result.kind == "e_licence"
    assert result.fields == {"credit_code": CREDIT_CODE}


def test_an_e_id_credential_is_an_identity() -> None:
    text = f'{{"v":"eid1","name":"王建国","id":"{RESIDENT_ID}","exp":"2036-03-08","iss":"demo","s":"x"}}'
    result = parse_payload(text)
    assert isinstance(result, QrPayload) and result.kind == "identity"
    assert result.fields["name"] == "王建国" and result.fields["id_number"] == RESIDENT_ID


def test_a_credit_code_with_a_wrong_check_character_fails_its_check() -> None:
    wrong = CREDIT_CODE[:-1] + ("0" if CREDIT_CODE[-1] != "0" else "1")
    read = parse_payload(wrong)
    assert isinstance(read, QrPayload) and read.checks == {"credit_code": "credit_code"}
    assert checked_payload(read) == QrProblem(
        "failed_check", "credit_code: credit_code fails its credit_code check"
    )
    assert checked_payload(parse_payload(CREDIT_CODE)) == parse_payload(CREDIT_CODE)


@pytest.mark.parametrize("text", ["", "hello", "{}", "[1,2]", '{"v":"eid1"}', "https://example.org/?uscc=X"])
def test_text_of_no_known_format_is_unknown(text: str) -> None:
    result = parse_payload(text)
    assert isinstance(result, QrProblem) and result.reason == "unknown_format"


def test_an_overlong_payload_is_refused_before_parsing() -> None:
    assert parse_payload("{" * 10_000).reason == "too_long"


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=400), st.binary(max_size=400).map(lambda b: b.decode("latin-1"))))
def test_random_text_never_breaks_the_payload_parser(text: str) -> None:
    result = parse_payload(text)
    assert isinstance(result, QrPayload | QrProblem)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["t", "n", "h", "at", "k", "s", "v", "name", "id", "exp", "iss"]),
        st.one_of(st.text(max_size=20), st.integers(), st.none(), st.lists(st.integers())),
    )
)
def test_random_json_objects_never_break_the_payload_parser(body: dict) -> None:
    import json

    result = parse_payload(json.dumps(body, ensure_ascii=False))
    assert isinstance(result, QrPayload | QrProblem)


# ---- decoding frames --------------------------------------------------------------------------------
@pytest.mark.parametrize("angle", [0, 30, 45, 90, 135, 180, 270, 330])
def test_a_qr_code_held_at_any_angle_decodes(angle: int) -> None:
    assert QrDecoder().decode(synthetic.qr_frame(DOCUMENT, angle=angle)) == [DOCUMENT]


def test_a_lightly_smudged_code_still_decodes_thanks_to_error_correction() -> None:
    frame = synthetic.qr_frame(CREDIT_CODE, damage=0.02, seed=1)
    clean = synthetic.qr_frame(CREDIT_CODE, seed=1)
    assert not np.array_equal(frame, clean)
    assert QrDecoder().decode(frame) == [CREDIT_CODE]


@pytest.mark.parametrize("damage", [0.15, 0.4])
def test_a_badly_damaged_code_gives_nothing_rather_than_garbage(damage: float) -> None:
    assert QrDecoder().decode(synthetic.qr_frame(CREDIT_CODE, damage=damage, seed=2)) == []


def test_a_frame_without_a_code_gives_nothing() -> None:
    assert QrDecoder().decode(synthetic.blank_frame()) == []
    assert QrDecoder().decode(synthetic.face_frame()) == []


def test_a_small_code_in_a_still_image_needs_the_thorough_search() -> None:
    frame = synthetic.qr_frame(CREDIT_CODE, module_px=3)
    assert QrDecoder().decode(frame) == []
    assert decode_image(frame) == [CREDIT_CODE]


@settings(max_examples=30, deadline=None)
@given(st.binary(min_size=1, max_size=5000), st.integers(8, 400), st.integers(8, 400))
def test_random_pixels_never_break_the_decoder(data: bytes, width: int, height: int) -> None:
    pixels = np.resize(np.frombuffer(data, np.uint8), (height, width))
    assert isinstance(QrDecoder().decode(pixels, thorough=True), list)


# ---- faces ------------------------------------------------------------------------------------------
def test_one_sharp_well_lit_face_close_enough_is_usable() -> None:
    frame = synthetic.face_frame()
    check = check_face(frame)
    assert check.ok and check.problem == ""
    x, y, w, h = check.box
    assert abs((x + w / 2) - 960) < 40 and abs((y + h / 2) - 540) < 60
    photo = crop_face(frame, check)
    assert photo.shape[0] > h and photo.shape[1] > w


@pytest.mark.parametrize(
    ("scene", "problem"),
    [
        ({"faces": 0}, "no_face"),
        ({"faces": 2}, "several_faces"),
        ({"face_height": 200}, "too_far"),
        ({"blur": 6.0}, "blurred"),
        ({"brightness": 0.35}, "too_dark"),
        ({"brightness": 1.8}, "too_bright"),
    ],
)
def test_each_flaw_of_a_face_photo_is_named(scene: dict, problem: str) -> None:
    assert check_face(synthetic.face_frame(**scene)).problem == problem


def test_a_face_crop_needs_a_face() -> None:
    with pytest.raises(ValueError):
        crop_face(synthetic.blank_frame(), check_face(synthetic.blank_frame()))


# ---- documents -------------------------------------------------------------------------------------
def _likeness(page: np.ndarray, straightened: np.ndarray) -> float:
    a = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY).astype(np.float32).ravel()
    b = cv2.cvtColor(straightened, cv2.COLOR_BGR2GRAY).astype(np.float32).ravel()
    return float(np.corrcoef(a, b)[0, 1])


@pytest.mark.parametrize(
    "corners",
    [
        [[700, 120], [1350, 220], [1250, 1000], [520, 900]],  # tilted, leaning back
        [[560, 60], [1360, 60], [1460, 1040], [460, 1040]],  # straight on, seen from below
        [[1500, 200], [1600, 900], [300, 1000], [250, 300]],  # lying on its side
    ],
)
def test_a_page_photographed_at_an_angle_comes_out_upright_a4(corners: list) -> None:
    page = synthetic.a4_page()
    capture = capture_document(synthetic.photographed_page(page, np.float32(corners)))
    assert capture.ok
    assert capture.image.shape[:2] == (A4_SIZE[1], A4_SIZE[0])
    assert _likeness(page, capture.image) > 0.9


def test_no_page_in_view_is_said() -> None:
    assert capture_document(synthetic.blank_frame()).problem == "no_page"


def test_a_page_too_far_away_is_said() -> None:
    corners = np.float32([[900, 450], [1060, 450], [1060, 680], [900, 680]])
    assert capture_document(synthetic.photographed_page(synthetic.a4_page(), corners)).problem == "too_small"
