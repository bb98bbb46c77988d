"""The social-security card (社会保障卡) over PC/SC with pyscard: SELECT the SSSE application,
read the card number and the holder's records (TLV), follow 61xx with GET RESPONSE. The APDUs
are data (devices/data/ss_card_apdus.toml, unverified). Failures come back as values."""

from __future__ import annotations

import datetime as dt
import enum
import logging
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from devices.id_card import applicant_fields

log = logging.getLogger(__name__)
APDU_FILE = Path(__file__).parent / "data" / "ss_card_apdus.toml"
# PC/SC results meaning the card is not (or no longer) there: no smart card, removed card.
CARD_GONE = (0x8010000C, 0x80100069)


class SsCardStatus(enum.Enum):
    """Every state the social-security card reader can be in."""

    NO_READER = "no_reader"
    WAITING = "waiting"
    CARD_PRESENT = "card_present"
    CARD_ERROR = "card_error"


@dataclass(frozen=True)
class SsCardData:
    """What the card says about its holder."""

    card_number: str
    ss_number: str
    name: str
    sex: str
    ethnicity: str
    birth_date: dt.date

    @property
    def id_number(self) -> str:
        """The social-security number is the holder's resident ID number."""
        return self.ss_number

    @property
    def address(self) -> str:
        """The card carries no address: the form asks for it."""
        return ""

    @property
    def valid_to(self) -> None:
        """The card carries no ID expiry."""
        return None

    def as_applicant(self) -> dict[str, object]:
        """The fields forms and rules read (the social-security number is the ID number)."""
        return applicant_fields(self, "social_security_card")


@dataclass(frozen=True)
class SsCardRead:
    """The result of one read: data, or a status and a reason (removed_mid_read, not_ssse, …)."""

    status: SsCardStatus
    data: SsCardData | None = None
    detail: str = ""


class TlvError(ValueError):
    """Bytes that are not the TLV record they should be."""


@cache
def apdus() -> dict[str, Any]:
    """The APDU table."""
    return tomllib.loads(APDU_FILE.read_text(encoding="utf-8"))


def parse_tlv(data: bytes) -> dict[int, bytes]:
    """Tag → value for a run of one-byte-tag, one-byte-length TLVs; TlvError if malformed."""
    out, at = {}, 0
    while at < len(data):
        if data[at] in (0x00, 0xFF):  # padding after the last record
            break
        if at + 2 > len(data):
            raise TlvError(f"TLV header cut at byte {at}")
        tag, length = data[at], data[at + 1]
        if at + 2 + length > len(data):
            raise TlvError(f"TLV {tag:02X} claims {length} bytes, {len(data) - at - 2} left")
        out[tag] = data[at + 2 : at + 2 + length]
        at += 2 + length
    return out


def decode_field(raw: bytes, encoding: str) -> str:
    """A record value as text: ascii/gbk with padding stripped, or BCD digits."""
    if encoding == "bcd":
        digits = "".join(f"{b >> 4}{b & 0x0F}" for b in raw)
        if not digits.isdigit():
            raise TlvError(f"not BCD: {raw.hex()}")
        return digits
    try:
        return raw.decode(encoding).strip(" \x00")
    except UnicodeDecodeError as exc:
        raise TlvError(f"not {encoding}: {raw.hex()}") from exc


class CardRemovedError(Exception):
    """The card left the reader during a transmission."""


class SsCardReader:
    """A PC/SC reader holding (or waiting for) a social-security card."""

    def __init__(self, reader_filter: str = "", list_readers: Callable[[], list[Any]] | None = None) -> None:
        self.reader_filter = reader_filter
        self._list_readers = list_readers or self._pcsc_readers
        self._listeners: list[Callable[[SsCardStatus], None]] = []
        self._status = SsCardStatus.WAITING
        self._monitor: Any = None
        self._observer: Any = None
        self._lock = threading.Lock()

    @staticmethod
    def _pcsc_readers() -> list[Any]:
        from smartcard.System import readers

        return readers()

    def reader(self) -> Any | None:
        """The PC/SC reader to use (the first whose name contains the filter), or None."""
        try:
            found = [r for r in self._list_readers() if self.reader_filter in str(r)]
        except Exception as exc:  # pcscd not running: no reader to speak of
            log.warning("PC/SC unavailable: %s", exc)
            return None
        return found[0] if found else None

    # ---- status -----------------------------------------------------------------------------
    def on_status_change(self, listener: Callable[[SsCardStatus], None]) -> None:
        """Call `listener` when a card arrives or leaves (after `start_monitoring`)."""
        self._listeners.append(listener)

    def status(self) -> SsCardStatus:
        """The last known state."""
        return self._status

    def _set(self, status: SsCardStatus) -> None:
        if status is not self._status:
            self._status = status
            for listener in list(self._listeners):
                listener(status)

    def start_monitoring(self) -> None:
        """Follow the reader (plugged, unplugged) and the card (in, out) with pyscard's monitors."""
        from smartcard.CardMonitoring import CardMonitor, CardObserver
        from smartcard.ReaderMonitoring import ReaderMonitor, ReaderObserver

        try:
            self._list_readers()
        except Exception as exc:  # no PC/SC service: pyscard's monitor threads would die with a traceback
            log.warning("PC/SC unavailable, card monitoring off until the kiosk restarts: %s", exc)
            self._set(SsCardStatus.NO_READER)
            return
        reader = self

        class Cards(CardObserver):
            def update(self, observable: Any, actions: Any) -> None:
                added, removed = actions
                reader.cards_changed([str(c.reader) for c in added], [str(c.reader) for c in removed])

        class Readers(ReaderObserver):
            def update(self, observable: Any, actions: Any) -> None:
                added, removed = actions
                reader.readers_changed([str(r) for r in added], [str(r) for r in removed])

        # Kept on self: pyscard's monitors hold only weak links to their observers.
        self._observer = (Cards(), Readers())
        self._monitor = (CardMonitor(), ReaderMonitor())
        self._monitor[0].addObserver(self._observer[0])
        self._monitor[1].addObserver(self._observer[1])

    def stop_monitoring(self) -> None:
        """Stop following the reader and the card."""
        if self._monitor is not None:
            for monitor, observer in zip(self._monitor, self._observer, strict=True):
                monitor.deleteObserver(observer)
            self._monitor = None

    def cards_changed(self, added: list[str], removed: list[str]) -> None:
        """The card monitor saw cards arrive in or leave the named readers."""
        if any(self.reader_filter in name for name in removed):
            self._set(SsCardStatus.WAITING)
        if any(self.reader_filter in name for name in added):
            self._set(SsCardStatus.CARD_PRESENT)

    def readers_changed(self, added: list[str], removed: list[str]) -> None:
        """The reader monitor saw readers plugged in or pulled out."""
        if any(self.reader_filter in name for name in removed) and self.reader() is None:
            log.warning("social-security card reader unplugged")
            self._set(SsCardStatus.NO_READER)
        if any(self.reader_filter in name for name in added) and self._status is SsCardStatus.NO_READER:
            self._set(SsCardStatus.WAITING)

    # ---- reading ----------------------------------------------------------------------------
    def read(self) -> SsCardRead:
        """Read the card in the reader; NO_READER, WAITING (no card / pulled) or CARD_ERROR otherwise."""
        from smartcard.Exceptions import CardConnectionException, NoCardException

        with self._lock:
            reader = self.reader()
            if reader is None:
                self._set(SsCardStatus.NO_READER)
                return SsCardRead(SsCardStatus.NO_READER, None, "no_reader")
            connection = reader.createConnection()
            try:
                connection.connect()
            except NoCardException:
                _close(connection)
                self._set(SsCardStatus.WAITING)
                return SsCardRead(SsCardStatus.WAITING, None, "no_card")
            except CardConnectionException as exc:
                _close(connection)
                if (getattr(exc, "hresult", 0) & 0xFFFFFFFF) in CARD_GONE:
                    self._set(SsCardStatus.WAITING)
                    return SsCardRead(SsCardStatus.WAITING, None, "no_card")
                log.warning(
                    "social-security card: cannot connect (0x%08X): %s",
                    getattr(exc, "hresult", 0) & 0xFFFFFFFF,
                    exc,
                )
                return SsCardRead(SsCardStatus.CARD_ERROR, None, "cannot_connect")
            try:
                data = self._read_records(connection)
            except CardRemovedError:
                self._set(SsCardStatus.WAITING)
                return SsCardRead(SsCardStatus.WAITING, None, "removed_mid_read")
            except TlvError as exc:
                log.warning("social-security card: bad record: %s", exc)
                return SsCardRead(SsCardStatus.CARD_ERROR, None, "bad_record")
            except _NotSsse:
                return SsCardRead(SsCardStatus.CARD_ERROR, None, "not_ssse")
            finally:
                _close(connection)
            self._set(SsCardStatus.CARD_PRESENT)
            return SsCardRead(SsCardStatus.CARD_PRESENT, data)

    def _transmit(self, connection: Any, apdu_hex: str) -> tuple[bytes, int, int]:
        from smartcard.Exceptions import CardConnectionException

        try:
            data, sw1, sw2 = connection.transmit(list(bytes.fromhex(apdu_hex)))
            if sw1 == 0x61:  # more data waiting: GET RESPONSE for sw2 bytes
                more, sw1, sw2 = connection.transmit(
                    list(bytes.fromhex(apdus()["get_response"].format(length=sw2)))
                )
                data = data + more
            elif sw1 == 0x6C:  # wrong length: the card says which
                data, sw1, sw2 = connection.transmit(list(bytes.fromhex(apdu_hex[:-2] + f"{sw2:02X}")))
        except CardConnectionException as exc:
            raise CardRemovedError(str(exc)) from exc
        return bytes(data), sw1, sw2

    def _read_records(self, connection: Any) -> SsCardData:
        table = apdus()
        _, sw1, sw2 = self._transmit(connection, table["select_ssse"])
        if (sw1, sw2) != (0x90, 0x00):
            raise _NotSsse()
        number_record, sw1, _ = self._transmit(connection, table["read_card_number"])
        if sw1 != 0x90:
            raise TlvError("no card-number record")
        card_number = decode_field(next(iter(parse_tlv(number_record).values()), b""), "ascii")
        self._transmit(connection, table["select_ef06"])
        fields: dict[str, str] = {}
        for record_hex, spec in table["records"].items():
            record = int(record_hex, 16)
            raw, sw1, _ = self._transmit(
                connection, table["read_record_current"].format(record=record, length=spec["length"])
            )
            if sw1 != 0x90:
                raise TlvError(f"record {record_hex} unreadable")
            value = parse_tlv(raw).get(record)
            if value is None:
                raise TlvError(f"record {record_hex} missing its tag")
            fields[spec["field"]] = decode_field(value, spec["encoding"])
        birth = fields["birth_date"]
        try:
            birth_date = dt.date(int(birth[0:4]), int(birth[4:6]), int(birth[6:8]))
        except ValueError as exc:
            raise TlvError(f"birth date {birth!r}") from exc
        return SsCardData(
            card_number,
            fields["ss_number"],
            fields["name"],
            fields["sex"],
            fields["ethnicity"][-2:],
            birth_date,
        )


def _close(connection: Any) -> None:
    """Disconnect and release the PC/SC context: a held context keeps the reader busy."""
    from smartcard.Exceptions import SmartcardException

    for step in ("disconnect", "release"):
        try:
            getattr(connection, step, lambda: None)()
        except SmartcardException as exc:
            log.debug("social-security card: %s failed: %s", step, exc)


class _NotSsse(Exception):
    """The card in the reader has no SSSE application (another kind of card)."""


class SimulatedSsCardReader:
    """A social-security card reader the dev dock and the tests drive: insert, remove, unplug."""

    def __init__(self) -> None:
        self._card: SsCardData | None = None
        self._damaged = False
        self._connected = True
        self._listeners: list[Callable[[SsCardStatus], None]] = []

    def on_status_change(self, listener: Callable[[SsCardStatus], None]) -> None:
        """Call `listener` with the new status whenever it changes."""
        self._listeners.append(listener)

    def status(self) -> SsCardStatus:
        """The reader's current state."""
        if not self._connected:
            return SsCardStatus.NO_READER
        if self._damaged:
            return SsCardStatus.CARD_ERROR
        return SsCardStatus.WAITING if self._card is None else SsCardStatus.CARD_PRESENT

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener(self.status())

    def insert(self, card: SsCardData) -> None:
        """Put a card in the reader."""
        self._card, self._damaged = card, False
        self._changed()

    def insert_damaged(self) -> None:
        """Put a card in that cannot be read."""
        self._card, self._damaged = None, True
        self._changed()

    def remove(self) -> None:
        """Take the card out."""
        self._card, self._damaged = None, False
        self._changed()

    def set_connected(self, connected: bool) -> None:
        """Plug the reader in or unplug it."""
        self._connected = connected
        self._changed()

    def read(self) -> SsCardRead:
        """Read the card as the real driver would report it."""
        status = self.status()
        if status is SsCardStatus.CARD_ERROR:
            return SsCardRead(status, None, "bad_record")
        if self._card is None:
            return SsCardRead(status, None, "no_reader" if status is SsCardStatus.NO_READER else "no_card")
        return SsCardRead(SsCardStatus.CARD_PRESENT, self._card)

    def start_monitoring(self) -> None:
        """Nothing to follow: insert and remove report directly."""

    def stop_monitoring(self) -> None:
        """Nothing to stop."""
