"""Build the terminal's services from its configuration (no Qt): the composition root."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from devices.factory import Devices, make_devices
from forms.catalogue import ServiceItem, load_catalogue
from kiosk.config import KioskConfig
from kiosk.core.cases import CaseRepository, add_licence_block, licence_serials_left
from kiosk.core.journey import JourneyService
from kiosk.core.keys import load_or_create_signing_key
from kiosk.core.lifecycle import CaseState
from kiosk.core.store import Store
from kiosk.logs import configure_logging

log = logging.getLogger(__name__)

DEMO_LICENCE_BLOCK = ("DEMO-BLOCK-0001", 1, 9_999)


@dataclass
class KioskServices:
    """Everything the UI and the command line work with."""

    config: KioskConfig
    store: Store
    cases: CaseRepository
    devices: Devices
    journey: JourneyService
    catalogue: dict[str, ServiceItem]
    log_path: Path

    def close(self) -> None:
        """Release the store."""
        self.store.close()


def recover_interrupted_cases(cases: CaseRepository) -> list[str]:
    """Cases decided before a crash whose printing never finished: mark them print-pending.

    The resident saw a decision; the documents can be printed later here or at a window.
    """
    recovered = []
    for case in cases.all():
        if case.state is CaseState.DECIDED:
            target = (
                CaseState.AWAITING_REVIEW
                if case.outcome in ("manual_review", "accepted_pending")
                else CaseState.PRINT_PENDING
            )
            cases.move(case.id, target, {"reason": "interrupted before printing finished"})
            recovered.append(case.number)
    if recovered:
        log.warning("recovered interrupted cases", extra={"cases": recovered})
    return recovered


def build_services(config: KioskConfig, spool_dir: Path | None = None) -> KioskServices:
    """Open the store, build the devices and the journey; recover what a crash left behind."""
    data = config.data_dir
    log_path = configure_logging(data / "logs")
    store = Store.open(data)
    cases = CaseRepository(store, config.terminal_id)
    if config.demo and licence_serials_left(store) == 0:
        add_licence_block(store, *DEMO_LICENCE_BLOCK)
    recover_interrupted_cases(cases)
    devices = make_devices(config.devices, spool_dir or data / "spool")
    key_path = data / "keys" / "terminal_ed25519.pem"
    journey = JourneyService(config, cases, devices, lambda: load_or_create_signing_key(key_path))
    log.info("kiosk services ready", extra={"terminal": config.terminal_id, "demo": config.demo})
    return KioskServices(config, store, cases, devices, journey, load_catalogue(), log_path)
