"""The ID card reader driver: the SAM byte protocol over a serial port (or a USB reader that
presents as one), with retries, timeouts, and the rule that a card must leave the field before
it can be read again. Every failure comes back as an IdCardRead with a reason, never a raise."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from devices.id_card import IdCardRead, IdCardStatus, StatusListener
from devices.sam.frames import Command, FrameError, Response, Sw3, decode_response, find_frame, request
from devices.sam.text import PHOTO_BYTES, TEXT_BYTES, TextBlockError, parse_text

log = logging.getLogger(__name__)


class ReaderError(Exception):
    """A transaction that failed after its retries; `reason` is one of the codes below."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


# Reasons an IdCardRead can carry in `detail`, for the UI's message and the staff log.
TIMEOUT, CHECKSUM, REMOVED_MID_READ, INVALID_CARD, NO_DEVICE = (
    "timeout",
    "checksum",
    "removed_mid_read",
    "invalid_card",
    "no_device",
)


def _open_serial(port: str, baudrate: int, timeout: float) -> Any:
    import serial

    return serial.Serial(port=port, baudrate=baudrate, timeout=timeout)


class SamIdCardReader:
    """A SAM ID card reader on `port`; `poll()` (or the polling thread) tracks the card."""

    def __init__(
        self,
        port: str,
        baudrate: int = 115200,
        timeout: float = 1.0,
        retries: int = 2,
        open_serial: Callable[[str, int, float], Any] = _open_serial,
    ) -> None:
        self.port, self.baudrate, self.timeout, self.retries = port, baudrate, timeout, retries
        self._open_serial = open_serial
        self._serial: Any = None
        self._lock = threading.RLock()
        self._status = IdCardStatus.WAITING
        self._read_done = False
        self._listeners: list[StatusListener] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ---- the interface shared with the simulator --------------------------------------------
    def on_status_change(self, listener: StatusListener) -> None:
        """Call `listener` with the new status whenever it changes."""
        self._listeners.append(listener)

    def status(self) -> IdCardStatus:
        """The reader's last known state."""
        return self._status

    def _set(self, status: IdCardStatus) -> None:
        if status is not self._status:
            self._status = status
            for listener in list(self._listeners):
                listener(status)

    # ---- serial transactions --------------------------------------------------------------
    def _port(self) -> Any:
        if self._serial is None:
            try:
                self._serial = self._open_serial(self.port, self.baudrate, self.timeout)
            except Exception as exc:  # serial.SerialException, OSError: the reader is not there
                raise ReaderError(NO_DEVICE, str(exc)) from exc
        return self._serial

    def _transact(self, command: Command, expect_bytes: int = 0) -> Response:
        """Send a request and return its response, retrying checksum errors and timeouts."""
        last = ReaderError(TIMEOUT, command.name)
        for _ in range(self.retries + 1):
            port = self._port()
            port.reset_input_buffer()
            port.write(request(command))
            try:
                return self._receive(port, command, expect_bytes)
            except ReaderError as exc:
                last = exc
                log.warning("SAM %s failed (%s), retrying", command.name, exc.reason)
        raise last

    def _receive(self, port: Any, command: Command, expect_bytes: int) -> Response:
        # A base-info read at 115200 baud takes ~0.12 s; allow for it on top of the timeout.
        deadline = time.monotonic() + self.timeout + expect_bytes * 10 / self.baudrate
        buffer = b""
        while time.monotonic() < deadline:
            chunk = port.read(max(1, port.in_waiting or 1))
            if chunk:
                buffer += chunk
                try:
                    body, _ = find_frame(buffer)
                except FrameError as exc:
                    raise ReaderError(CHECKSUM, f"{command.name}: {exc}") from exc
                if body is not None:
                    try:
                        return decode_response(body)
                    except FrameError as exc:
                        raise ReaderError(CHECKSUM, f"{command.name}: {exc}") from exc
        raise ReaderError(TIMEOUT, f"{command.name}: {len(buffer)} bytes in {self.timeout:.1f} s")

    # ---- finding and reading ----------------------------------------------------------------
    def poll(self) -> IdCardStatus:
        """Ask the SAM whether a card is in the field and update the status."""
        with self._lock:
            try:
                found = self._transact(Command.FIND).sw3 == Sw3.CARD_FOUND
            except ReaderError as exc:
                self._set(IdCardStatus.NO_DEVICE if exc.reason in (NO_DEVICE, TIMEOUT) else self._status)
                return self._status
            if found:
                self._read_done = False  # the SAM finds a card again only after it has left the field
                self._set(IdCardStatus.CARD_PRESENT)
            else:
                self._set(IdCardStatus.REMOVE_CARD if self._read_done else IdCardStatus.WAITING)
            return self._status

    def read(self) -> IdCardRead:
        """Select and read the card in the field; the reason for any failure is in `detail`.

        Only a card found since it entered the field is read: after a read it must leave first.
        """
        with self._lock:
            if self._status is not IdCardStatus.CARD_PRESENT:
                return IdCardRead(self._status)
            try:
                if self._transact(Command.SELECT).sw3 != Sw3.OK:
                    return IdCardRead(IdCardStatus.CARD_ERROR, None, INVALID_CARD)
                response = self._transact(Command.READ_BASE, expect_bytes=TEXT_BYTES + PHOTO_BYTES + 16)
            except ReaderError as exc:
                if exc.reason == NO_DEVICE:
                    self._set(IdCardStatus.NO_DEVICE)
                    return IdCardRead(IdCardStatus.NO_DEVICE, None, NO_DEVICE)
                # A reply that stops or garbles mid-read: most often the card was pulled away.
                self._read_done = False
                self._set(IdCardStatus.WAITING)
                reason = REMOVED_MID_READ if exc.reason == TIMEOUT else exc.reason
                log.warning("ID card read failed: %s", exc)
                return IdCardRead(IdCardStatus.WAITING, None, reason)
            if response.sw3 != Sw3.OK:
                return self._read_failed()
            try:
                text_len = int.from_bytes(response.data[0:2], "big")
                photo_len = int.from_bytes(response.data[2:4], "big")
                text = response.data[4 : 4 + text_len]
                photo = response.data[4 + text_len : 4 + text_len + photo_len]
                parsed = parse_text(text, photo)
            except (TextBlockError, ValueError) as exc:
                log.warning("ID card text block rejected: %s", exc)
                return IdCardRead(IdCardStatus.CARD_ERROR, None, INVALID_CARD)
            # The card read: whether its number passes the national check is the core's call
            # (kiosk.core.identity.checked_card), not the reader's.
            self._read_done = True
            self._set(IdCardStatus.REMOVE_CARD)
            return IdCardRead(IdCardStatus.CARD_PRESENT, parsed.card)

    def _read_failed(self) -> IdCardRead:
        """READ_FAILED means a damaged card or one that just left: a FIND tells them apart."""
        try:
            still_there = self._transact(Command.FIND).sw3 == Sw3.CARD_FOUND
        except ReaderError:
            still_there = False
        if still_there:
            self._set(IdCardStatus.CARD_ERROR)
            return IdCardRead(IdCardStatus.CARD_ERROR, None, INVALID_CARD)
        self._set(IdCardStatus.WAITING)
        return IdCardRead(IdCardStatus.WAITING, None, REMOVED_MID_READ)

    # ---- background polling -----------------------------------------------------------------
    def start(self, interval: float = 0.25) -> None:
        """Poll in a background thread until `stop()`."""

        def loop() -> None:
            while not self._stop.wait(interval):
                if self._status is not IdCardStatus.CARD_PRESENT:
                    self.poll()

        self._thread = threading.Thread(target=loop, name="sam-poll", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop polling and close the port."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self._lock:
            if self._serial is not None:
                self._serial.close()
                self._serial = None
