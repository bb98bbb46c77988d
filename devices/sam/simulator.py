"""A SAM ID card reader simulated on the master side of a pseudo-terminal: the real byte
protocol, paced at the serial line's speed, with the faults a real reader shows."""

from __future__ import annotations

import os
import select
import threading
import time
import tty
from dataclasses import dataclass

from devices.id_card import IdCardData
from devices.sam.frames import Command, FrameError, Sw3, encode_frame, find_frame
from devices.sam.text import encode_text

_BY_VALUE = {command.value: command for command in Command}


@dataclass
class Faults:
    """Faults injected into the next responses."""

    bad_checksums: int = 0  # responses sent with a wrong checksum
    truncate_next_read: bool = False  # the next base-info reply stops half way
    pull_card_mid_read: bool = False  # …and the card has left the field
    delay_seconds: float = 0.0  # wait before each reply (a slow reader)
    silent: bool = False  # the reader does not answer at all


class SamSimulator:
    """Owns a pty pair; the driver opens `port` like a serial device."""

    def __init__(self, baudrate: int = 115200, paced: bool = True) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.port = os.ttyname(self.slave)
        self.baudrate, self.paced = baudrate, paced
        self.card: IdCardData | None = None
        self.damaged = False
        self.faults = Faults()
        self._read_since_entry = False
        self._stop = threading.Event()
        self.requests: list[Command] = []
        self._thread = threading.Thread(target=self._serve, name="sam-simulator", daemon=True)
        self._thread.start()

    def insert(self, card: IdCardData | None, damaged: bool = False) -> None:
        """A card enters the field (a damaged one answers select but not read)."""
        self.card, self.damaged, self._read_since_entry = card, damaged, False

    def remove(self) -> None:
        """The card leaves the field."""
        self.card, self.damaged, self._read_since_entry = None, False, False

    def close(self) -> None:
        """Stop answering and close both ends."""
        self._stop.set()
        self._thread.join(timeout=2)
        for fd in (self.master, self.slave):
            try:
                os.close(fd)
            except OSError:
                pass

    # ---- the reader's side ------------------------------------------------------------------
    def _send(self, body: bytes, corrupt: bool = False, cut: int | None = None) -> None:
        frame = encode_frame(body)
        if corrupt:
            frame = frame[:-1] + bytes([frame[-1] ^ 0xFF])
        if cut is not None:
            frame = frame[:cut]
        if self.faults.delay_seconds:
            time.sleep(self.faults.delay_seconds)
        step = 64
        for at in range(0, len(frame), step):
            os.write(self.master, frame[at : at + step])
            if self.paced:  # 10 bits a byte on an 8N1 line
                time.sleep(len(frame[at : at + step]) * 10 / self.baudrate)

    def _answer(self, command: Command) -> None:
        corrupt = self.faults.bad_checksums > 0
        if corrupt:
            self.faults.bad_checksums -= 1
        status = b"\x00\x00"
        if command is Command.FIND:
            found = (self.card is not None or self.damaged) and not self._read_since_entry
            self._send(status + bytes([Sw3.CARD_FOUND if found else Sw3.FIND_FAILED]) + b"\x00" * 4, corrupt)
        elif command is Command.SELECT:
            ok = self.card is not None or self.damaged
            self._send(status + bytes([Sw3.OK if ok else Sw3.SELECT_FAILED]) + b"\x00" * 8, corrupt)
        elif command is Command.READ_BASE:
            if self.card is None or self.damaged:
                self._send(status + bytes([Sw3.READ_FAILED]), corrupt)
                return
            photo = self.card.photo.ljust(1024, b"\x00")[:1024]
            body = status + bytes([Sw3.OK]) + (256).to_bytes(2, "big") + (1024).to_bytes(2, "big")
            body += encode_text(self.card) + photo
            if self.faults.truncate_next_read or self.faults.pull_card_mid_read:
                self._send(body, cut=600)
                self.faults.truncate_next_read = False
                if self.faults.pull_card_mid_read:
                    self.faults.pull_card_mid_read = False
                    self.remove()
                return
            self._send(body, corrupt)
            if not corrupt:
                self._read_since_entry = True
        else:
            self._send(status + bytes([Sw3.OK]), corrupt)

    def _serve(self) -> None:
        buffer = b""
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                buffer += os.read(self.master, 4096)
            except OSError:
                return
            while True:
                try:
                    body, used = find_frame(buffer)
                except FrameError:
                    buffer = buffer[5:]  # drop the bad frame's preamble and resynchronise
                    continue
                buffer = buffer[used:]
                if body is None:
                    break
                command = _BY_VALUE.get(body[:2])
                if command is None:
                    continue
                self.requests.append(command)
                if not self.faults.silent:
                    self._answer(command)
