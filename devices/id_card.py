"""Second-generation resident ID card readers: the interface, its states, and the simulator."""

from __future__ import annotations

import datetime as dt
import enum
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class IdCardStatus(enum.Enum):
    """Every state an ID card reader can be in."""

    NO_DEVICE = "no_device"
    WAITING = "waiting"  # ready, no card on the reader
    CARD_PRESENT = "card_present"
    CARD_ERROR = "card_error"  # a card is there but cannot be read (damaged, not an ID card)
    REMOVE_CARD = "remove_card"  # read done; the card must leave the field before the next read


@dataclass(frozen=True)
class IdCardData:
    """What the card's text block and photo hold."""

    name: str
    sex: str
    ethnicity: str
    birth_date: dt.date
    address: str
    id_number: str
    issuer: str
    valid_from: dt.date
    valid_to: dt.date | None  # None: 长期 (no expiry)
    photo: bytes = b""

    def as_applicant(self) -> dict[str, object]:
        """The fields forms and rules read, as a plain mapping."""
        return applicant_fields(self, "id_card")


def applicant_fields(identity: Any, identified_by: str) -> dict[str, object]:
    """What forms and rules read of any identity (ID card, social-security card, e-ID)."""
    return {
        "name": identity.name,
        "sex": identity.sex,
        "birth_date": identity.birth_date,
        "address": identity.address,
        "id_number": identity.id_number,
        "valid_to": identity.valid_to,
        "identified_by": identified_by,
    }


@dataclass(frozen=True)
class IdCardRead:
    """The result of one read: data, or a status saying why there is none."""

    status: IdCardStatus
    data: IdCardData | None = None
    detail: str = ""


StatusListener = Callable[[IdCardStatus], None]


class SimulatedIdCardReader:
    """A reader driven by the demo's dev dock and the tests: insert, remove, unplug."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._card: IdCardData | None = None
        self._damaged = False
        self._connected = True
        self._read_done = False
        self._pull_next_read = False
        self._listeners: list[StatusListener] = []

    def on_status_change(self, listener: StatusListener) -> None:
        """Call `listener` with the new status whenever it changes."""
        self._listeners.append(listener)

    def status(self) -> IdCardStatus:
        """The reader's current state."""
        with self._lock:
            return self._status_locked()

    def _status_locked(self) -> IdCardStatus:
        if not self._connected:
            return IdCardStatus.NO_DEVICE
        if self._card is None and not self._damaged:
            return IdCardStatus.WAITING
        if self._damaged:
            return IdCardStatus.CARD_ERROR
        return IdCardStatus.REMOVE_CARD if self._read_done else IdCardStatus.CARD_PRESENT

    def _changed(self) -> None:
        status = self.status()
        for listener in list(self._listeners):
            listener(status)

    def insert(self, card: IdCardData) -> None:
        """Put a card on the reader."""
        with self._lock:
            self._card, self._damaged, self._read_done = card, False, False
        self._changed()

    def insert_damaged(self) -> None:
        """Put an unreadable card on the reader."""
        with self._lock:
            self._card, self._damaged, self._read_done = None, True, False
        self._changed()

    def remove(self) -> None:
        """Take the card away."""
        with self._lock:
            self._card, self._damaged, self._read_done = None, False, False
        self._changed()

    def pull_during_next_read(self) -> None:
        """The resident will take the card away while the next read is under way."""
        with self._lock:
            self._pull_next_read = True

    def set_connected(self, connected: bool) -> None:
        """Plug the reader in or unplug it."""
        with self._lock:
            self._connected = connected
        self._changed()

    def read(self) -> IdCardRead:
        """Read the card on the reader once; a second read needs the card to leave first."""
        with self._lock:
            status = self._status_locked()
            if status is not IdCardStatus.CARD_PRESENT or self._card is None:
                return IdCardRead(status)
            if self._pull_next_read:  # as the SAM reader reports a reply cut off mid-read
                self._pull_next_read, self._card = False, None
                result = IdCardRead(IdCardStatus.CARD_ERROR, None, "removed_mid_read")
            else:
                result = IdCardRead(IdCardStatus.CARD_PRESENT, self._card)
            if result.data is not None:
                self._read_done = True
        self._changed()
        return result
