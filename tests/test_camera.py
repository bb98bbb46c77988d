"""The camera's frame thread, its users, and the QR scanner, on video files and the simulator."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

from devices.camera import synthetic
from devices.camera.camera import Camera, CameraStatus
from devices.camera.opencv_source import OpenCvSource
from devices.camera.qr_payloads import QrPayload, QrProblem
from devices.camera.scanner import QrScanner
from devices.camera.simulated import SimulatedSource
from forms.ids import credit_code_check_char
from tests.waiting import wait_until

CREDIT_CODE = "92370481MA3C4D5E6" + credit_code_check_char("92370481MA3C4D5E6")
SIZE = (1280, 720)


def write_video(path: Path, frames: list[np.ndarray], fps: float = 30.0) -> Path:
    """An MJPG AVI, as a USB camera's stream would be compressed."""
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (width, height))
    assert writer.isOpened(), "OpenCV cannot write MJPG video here"
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path


@pytest.fixture
def qr_video(tmp_path: Path) -> Path:
    """Half a second of wall, then a second of a resident holding up an e-licence code."""
    wall = synthetic.blank_frame(SIZE)
    code = synthetic.qr_frame(CREDIT_CODE, module_px=8, angle=20, size=SIZE)
    return write_video(tmp_path / "scan.avi", [wall] * 15 + [code] * 30)


def test_a_code_shown_in_a_video_is_reported_once(qr_video: Path) -> None:
    camera = Camera(OpenCvSource(str(qr_video), loop=False))
    results: list = []
    scanner = QrScanner(camera, results.append)
    scanner.start()
    try:
        assert wait_until(lambda: results)
        assert wait_until(lambda: camera.status() is CameraStatus.ERROR)  # the file ended
    finally:
        scanner.stop()
    assert len(results) == 1, "the same code in view is one scan, not one per frame"
    assert isinstance(results[0], QrPayload) and results[0].fields == {"credit_code": CREDIT_CODE}
    assert scanner.frames_decoded >= 2
    assert camera.status() is CameraStatus.IDLE and camera.users() == set()


def test_a_garbled_code_is_reported_as_a_problem(tmp_path: Path) -> None:
    frame = synthetic.qr_frame("@@not-a-known-payload@@", module_px=8, size=SIZE)
    camera = Camera(OpenCvSource(str(write_video(tmp_path / "g.avi", [frame] * 10)), loop=True))
    results: list = []
    scanner = QrScanner(camera, results.append)
    scanner.start()
    try:
        assert wait_until(lambda: results)
    finally:
        scanner.stop()
    assert results[0] == QrProblem("unknown_format", "23 characters")


def test_the_camera_opens_for_the_first_user_and_closes_after_the_last() -> None:
    source = SimulatedSource(fps=60, size=SIZE)
    camera = Camera(source)
    seen: list[CameraStatus] = []
    camera.on_status_change(seen.append)
    assert not source.is_open()
    camera.acquire("face")
    camera.acquire("qr")
    assert wait_until(lambda: camera.latest_frame() is not None)
    assert source.is_open() and camera.status() is CameraStatus.STREAMING
    camera.release("face")
    assert source.is_open(), "another screen still needs it"
    camera.release("qr")
    assert not source.is_open() and camera.latest_frame() is None
    assert seen == [CameraStatus.STREAMING, CameraStatus.IDLE]


def test_an_unplugged_camera_says_so_and_comes_back_when_plugged_in() -> None:
    source = SimulatedSource(fps=60, size=SIZE)
    source.set_plugged(False)
    camera = Camera(source, failures_before_error=3)
    camera.acquire("qr")
    try:
        assert wait_until(lambda: camera.status() is CameraStatus.NO_DEVICE)
        source.set_plugged(True)
        assert wait_until(lambda: camera.status() is CameraStatus.STREAMING)
        source.set_plugged(False)  # pulled while streaming: frames stop
        assert wait_until(lambda: camera.status() is CameraStatus.ERROR)
    finally:
        camera.release("qr")


def test_a_missing_device_is_no_device() -> None:
    camera = Camera(OpenCvSource("/dev/video-that-is-not-there"))
    camera.acquire("qr")
    try:
        assert wait_until(lambda: camera.status() is CameraStatus.NO_DEVICE)
    finally:
        camera.release("qr")
    assert camera.status() is CameraStatus.NO_DEVICE


def test_the_simulated_camera_shows_what_the_dev_dock_sets() -> None:
    source = SimulatedSource(fps=60, size=SIZE)
    camera = Camera(source)
    results: list = []
    scanner = QrScanner(camera, results.append, repeat_after=0.0)
    scanner.start()
    try:
        source.show_qr(CREDIT_CODE)
        assert wait_until(lambda: results)
    finally:
        scanner.stop()
    assert results[0].kind == "e_licence"


def test_a_slow_listener_never_holds_up_the_frames() -> None:
    source = SimulatedSource(fps=200, size=(320, 240))
    camera = Camera(source)
    frames = []
    gate = threading.Event()
    camera.on_frame(lambda frame: frames.append(frame))
    scanner = QrScanner(camera, lambda _: gate.wait())  # a listener that never returns
    source.show_qr(CREDIT_CODE)
    scanner.start()
    try:
        assert wait_until(lambda: len(frames) > 50), "frames kept coming while the scanner was stuck"
    finally:
        gate.set()
        scanner.stop()


def test_a_face_photo_is_taken_once_the_resident_is_in_view() -> None:
    from devices.camera.capture import take_face_photo

    source = SimulatedSource(fps=60, size=SIZE)
    camera = Camera(source)
    problems: list[str] = []

    def coached(problem: str) -> None:  # told there is nobody there, the resident steps up
        problems.append(problem)
        source.show_face()

    photo = take_face_photo(camera, timeout=10, on_problem=coached)
    assert photo.ok and photo.image.shape[0] > SIZE[1] * 0.25
    assert problems == ["no_face"], "the screen was told why the wall alone would not do"
    assert not source.is_open() and camera.users() == set()


def test_a_document_photo_comes_out_upright_a4() -> None:
    from devices.camera.capture import take_document_photo
    from devices.camera.document import A4_SIZE

    source = SimulatedSource(fps=60, size=SIZE)
    source.show_document()
    photo = take_document_photo(Camera(source), timeout=10)
    assert photo.ok and photo.image.shape[:2] == (A4_SIZE[1], A4_SIZE[0])


def test_without_a_camera_the_capture_says_so_instead_of_waiting() -> None:
    from devices.camera.capture import take_face_photo

    source = SimulatedSource(fps=60, size=SIZE)
    source.set_plugged(False)
    assert take_face_photo(Camera(source), timeout=10).problem == "no_device"


def test_a_face_that_never_comes_gives_the_last_problem() -> None:
    from devices.camera.capture import take_face_photo

    assert take_face_photo(Camera(SimulatedSource(fps=60, size=SIZE)), timeout=0.5).problem == "no_face"
