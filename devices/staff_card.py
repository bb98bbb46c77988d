"""Staff cards: a card in the PC/SC reader that names a staff member and proves it is theirs.

The card answers SELECT of the kiosk staff applet, GET DATA of the staff id, and INTERNAL
AUTHENTICATE of a fresh challenge with HMAC-SHA256(its key, challenge ‖ staff id), so a copy of
what the card says is worth nothing without the key inside it. The terminal checks the answer
against the key enrolled for that staff member (kiosk/admin)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

STAFF_AID = bytes.fromhex("F04B494F534B5354414646")  # F0 (proprietary) "KIOSKSTAFF"
SELECT = [0x00, 0xA4, 0x04, 0x00]
GET_STAFF_ID = [0x80, 0xCA, 0x01, 0x01, 0x00]
INTERNAL_AUTHENTICATE = [0x00, 0x88, 0x00, 0x00]


@dataclass(frozen=True)
class StaffCardAnswer:
    """What a staff card said: who, and its answer to the challenge."""

    staff_id: str
    response: bytes


def card_response(key: bytes, challenge: bytes, staff_id: str) -> bytes:
    """The answer a genuine card gives to `challenge`."""
    return hmac.new(key, challenge + staff_id.encode("ascii"), hashlib.sha256).digest()


def genuine(answer: StaffCardAnswer, key: bytes, challenge: bytes) -> bool:
    """Whether the card that answered holds `key`."""
    return hmac.compare_digest(answer.response, card_response(key, challenge, answer.staff_id))


class StaffCardReader:
    """A staff card through pcscd (pyscard): ask it who it is and to answer a challenge."""

    def __init__(self, reader_filter: str = "", list_readers: Callable[[], list[Any]] | None = None) -> None:
        self.reader_filter = reader_filter
        self._list_readers = list_readers

    def _reader(self) -> Any | None:
        if self._list_readers is None:
            from smartcard.System import readers

            self._list_readers = readers
        try:
            found = [r for r in self._list_readers() if self.reader_filter in str(r)]
        except Exception as exc:  # pcscd not running: no reader, said so
            log.warning("staff card: no PC/SC service: %s", exc)
            return None
        return found[0] if found else None

    def ask(self, challenge: bytes) -> StaffCardAnswer | str:
        """The card's answer, or why there is none: no_reader, no_card, not_staff_card, bad_answer."""
        from smartcard.Exceptions import CardConnectionException, NoCardException

        reader = self._reader()
        if reader is None:
            return "no_reader"
        connection = reader.createConnection()
        try:
            connection.connect()
            _, sw1, sw2 = connection.transmit(SELECT + [len(STAFF_AID), *STAFF_AID])
            if (sw1, sw2) != (0x90, 0x00):
                return "not_staff_card"
            data, sw1, sw2 = connection.transmit(GET_STAFF_ID)
            if (sw1, sw2) != (0x90, 0x00) or not data:
                return "bad_answer"
            staff_id = bytes(data).decode("ascii", errors="replace")
            data, sw1, sw2 = connection.transmit(INTERNAL_AUTHENTICATE + [len(challenge), *challenge, 0x00])
            if (sw1, sw2) != (0x90, 0x00) or len(data) != 32:
                return "bad_answer"
            return StaffCardAnswer(staff_id, bytes(data))
        except NoCardException:
            return "no_card"
        except CardConnectionException as exc:
            log.warning("staff card: connection lost: %s", exc)
            return "no_card"
        finally:
            try:
                connection.disconnect()
            except Exception:  # already gone with the card
                pass


class SimulatedStaffCard:
    """The demo's and the UI tests' staff card: put a member's card on the reader, or take it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._card: tuple[str, bytes] | None = None

    def insert(self, staff_id: str, key: bytes) -> None:
        """A staff member's card on the reader."""
        with self._lock:
            self._card = (staff_id, key)

    def remove(self) -> None:
        """No card on the reader."""
        with self._lock:
            self._card = None

    def ask(self, challenge: bytes) -> StaffCardAnswer | str:
        """The card's answer, or no_card."""
        with self._lock:
            card = self._card
        if card is None:
            return "no_card"
        staff_id, key = card
        return StaffCardAnswer(staff_id, card_response(key, challenge, staff_id))
