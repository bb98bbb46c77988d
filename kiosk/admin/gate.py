"""The way into admin mode: a staff card and its holder's PIN (or, where configured, a PIN
alone), bounded by the lockout, and every attempt written to the audit log."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from devices.staff_card import StaffCardAnswer, genuine
from kiosk.admin.lockout import Lockout
from kiosk.admin.staff import StaffMember, StaffRegistry
from kiosk.config import AdminConfig
from kiosk.core.audit import append_audit
from kiosk.core.store import Store

log = logging.getLogger(__name__)

REFUSALS = {
    "locked": "输入错误次数过多，请{seconds}秒后再试。",
    "card_needed": "请先把工作人员卡放在读卡器上。",
    "no_reader": "读卡器暂时无法使用。请联系运维技术员。",
    "not_staff_card": "这张卡不是工作人员卡。",
    "unknown_card": "这张工作人员卡没有在本终端登记。",
    "not_genuine": "这张工作人员卡无法通过验证。",
    "wrong_pin": "密码不正确。",
}


@dataclass(frozen=True)
class Refused:
    """Why admin mode stays locked, with what to tell the staff member."""

    reason: str
    seconds: int = 0

    @property
    def message(self) -> str:
        """In Chinese, for the unlock screen."""
        return REFUSALS.get(self.reason, REFUSALS["wrong_pin"]).format(seconds=self.seconds)


class AdminGate:
    """Checks a card and a PIN against the staff registry, under the lockout."""

    def __init__(
        self, store: Store, config: AdminConfig, card: Any | None, clock: Callable[[], float] = time.time
    ) -> None:
        self.store, self.config, self.card = store, config, card
        self.staff = StaffRegistry(store)
        self.lockout = Lockout(store, config, clock)

    def unlock(self, pin: str) -> StaffMember | Refused:
        """The staff member whose card is on the reader and whose PIN this is (or whose PIN this
        is alone, on a PIN-only terminal); otherwise why not."""
        wait = self.lockout.seconds_left()
        if wait > 0:
            self._audit("?", "admin_unlock_refused", {"reason": "locked", "seconds": wait})
            return Refused("locked", wait)
        claimed = self._card_holder()
        if isinstance(claimed, Refused):
            self._audit("?", "admin_unlock_refused", {"reason": claimed.reason})
            return claimed
        if claimed is None:
            member = self.staff.whose_pin(pin)
        else:
            member = self.staff.member(claimed) if self.staff.pin_is(claimed, pin) else None
        if member is None:
            delay = self.lockout.record_failure()
            self._audit(
                claimed or "?", "admin_unlock_refused", {"reason": "wrong_pin", "lockout_seconds": delay}
            )
            log.warning("admin unlock: wrong PIN", extra={"failures": self.lockout.failures()})
            return Refused("locked", delay) if delay else Refused("wrong_pin")
        self.lockout.record_success()
        self._audit(
            member.staff_id, "admin_unlocked", {"role": member.role, "by": "card+pin" if claimed else "pin"}
        )
        log.info("admin mode unlocked", extra={"staff": member.staff_id, "role": member.role})
        return member

    def _card_holder(self) -> str | None | Refused:
        """The staff id a genuine card on the reader names; None on a PIN-only terminal."""
        if self.config.pin_only:
            return None
        if self.card is None:
            return Refused("no_reader")
        challenge = os.urandom(16)
        answer = self.card.ask(challenge)
        if isinstance(answer, str):
            return Refused(
                {"no_card": "card_needed"}.get(answer, answer if answer in REFUSALS else "not_staff_card")
            )
        assert isinstance(answer, StaffCardAnswer)
        key = self.staff.card_key(answer.staff_id)
        if key is None:
            return Refused("unknown_card")
        if not genuine(answer, key, challenge):
            log.warning("admin unlock: a staff card failed its challenge", extra={"staff": answer.staff_id})
            return Refused("not_genuine")
        return answer.staff_id

    def record(self, member: StaffMember, action: str, detail: dict[str, Any]) -> None:
        """One admin action, with who did it, in the hash-chained audit log."""
        self._audit(member.staff_id, action, detail)

    def _audit(self, actor: str, action: str, detail: dict[str, Any]) -> None:
        with self.store.durable() as conn:
            append_audit(conn, actor, action, detail)
