"""Build the terminal's services from its configuration (no Qt): the composition root, above
kiosk.admin and kiosk.core (it wires both), below the UI and the commands that start it."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from devices.factory import Devices, make_devices
from forms.catalogue import ServiceItem
from kiosk.config import KioskConfig
from kiosk.core.availability import Availability, Fault
from kiosk.core.cases import CaseRepository, settle_unfinished
from kiosk.core.disk_watch import MB, DiskWatch
from kiosk.core.health import HealthWatch
from kiosk.core.identity import trusted_issuers
from kiosk.core.integrity import NightlyIntegrity
from kiosk.core.journey import JourneyService
from kiosk.core.licence_serials import add_licence_block, licence_serials_left
from kiosk.core.reference_store import load_demo_reference, seed_scope_catalogue
from kiosk.core.refusal import TerminalRefusedError
from kiosk.core.signing_key import check_signing_key, signing_key_loader
from kiosk.core.store import Store
from kiosk.core.sync_worker import SyncWorker
from kiosk.core.updates import load_catalogue_in_force
from kiosk.logs import configure_logging
from sync.client import CentralClient
from sync.credentials import load_secret, tls_verify
from sync.keys import load_or_create_signing_key, public_key_pem

log = logging.getLogger(__name__)

DEMO_LICENCE_BLOCK = ("DEMO-BLOCK-0001", 1, 9_999)
DEMO_E_ID_ISSUER = "demo-e-id"
DEMO_REFERENCE = Path(__file__).resolve().parents[1] / "assets" / "demo" / "reference.toml"


def demo_credit_code() -> str:
    """The first demo business's credit code (王建国's hardware shop): the dev dock's e-licence."""
    import tomllib

    return tomllib.loads(DEMO_REFERENCE.read_text(encoding="utf-8"))["businesses"][0]["credit_code"]


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
    e_id_issuers: dict[str, Ed25519PublicKey] = field(default_factory=dict)
    demo_e_id_key: Ed25519PrivateKey | None = None  # demo only: the simulated e-ID app signs with it
    sync: SyncWorker | None = None
    availability: Availability = field(default_factory=Availability)  # out of service, and why
    health: HealthWatch | None = None  # free disk space, the daily integrity check

    def start_sync(self, interval: float = 60.0) -> SyncWorker:
        """Start the background work: the sync (it reports "not enrolled" until the installer has
        enrolled) and the health watch."""
        if self.health is not None:
            self.health.start()
        if self.sync is None:
            from kiosk.admin.heartbeat import HeartbeatSource

            self.sync = SyncWorker(self, interval, heartbeat=HeartbeatSource(self))
            self.sync.start()
        return self.sync

    def out_of_service(self) -> Fault | None:
        """Why no new session may start now (disk full, damaged store), or None: in service.
        The resident sees `fault.screen`; staff see `fault.staff`."""
        return self.availability.current()

    def reload_catalogue(self) -> None:
        """A catalogue update was applied: new sessions use the items now in force."""
        self.catalogue = load_catalogue_in_force(self.config.data_dir)

    def close(self) -> None:
        """Stop device threads and release the store."""
        self.devices.stop()
        if self.sync is not None:
            self.sync.stop()
        if self.health is not None:
            self.health.stop()
        self.store.close()


def recover_interrupted_cases(cases: CaseRepository) -> list[str]:
    """Cases a crash left between decision and paper: settle each where it can be picked up again."""
    recovered = []
    for case in cases.all():
        if settle_unfinished(cases, case.id, "interrupted before printing finished"):
            recovered.append(case.number)
    if recovered:
        log.warning("recovered interrupted cases", extra={"cases": recovered})
    return recovered


def build_services(config: KioskConfig, spool_dir: Path | None = None) -> KioskServices:
    """Open the store, build the devices and the journey; recover what a crash left behind."""
    data = config.data_dir
    data.mkdir(parents=True, exist_ok=True, mode=0o700)  # the kiosk user's alone (see file_modes)
    log_path = configure_logging(data / "logs")
    if config.demo:
        log.warning(
            "DEMO TERMINAL: demo staff with published PINs, a demo licence block, a demo e-ID issuer"
            " and the dev dock are on (demo = true in the configuration)",
            extra={"terminal": config.terminal_id},
        )
    try:
        store = Store.open(data)
        try:
            check_signing_key(data, store)
        except TerminalRefusedError:
            store.close()
            raise
    except TerminalRefusedError as refused:
        log.critical("the terminal refuses to start: %s", refused.detail, extra=refused.log_fields())
        raise
    cases = CaseRepository(store, config.terminal_id)
    seed_scope_catalogue(store)
    if config.demo:
        if licence_serials_left(store) == 0:
            add_licence_block(store, *DEMO_LICENCE_BLOCK)
        load_demo_reference(store, DEMO_REFERENCE)
        from kiosk.admin.demo_staff import seed_demo_staff

        seed_demo_staff(store)
    recover_interrupted_cases(cases)
    try:
        if tagged := cases.tag_untagged_cases():
            log.info("cases tagged for lookup by ID card", extra={"cases": tagged})
    except InvalidTag:  # a damaged sealed row: 办件查询 by ID card misses those cases, nothing else
        log.error("cases not tagged for lookup: a sealed row does not open", extra={"file": str(store.path)})
    devices = make_devices(config.devices, spool_dir or data / "spool", config.printing.receipt_encoding)
    from kiosk.admin.consumables import CountingDocumentPrinter, CountingReceiptPrinter

    devices.receipt_printer = CountingReceiptPrinter(devices.receipt_printer, store)
    devices.document_printer = CountingDocumentPrinter(devices.document_printer, store)
    journey = JourneyService(config, cases, devices, signing_key_loader(data))
    journey.central_client = lambda: central_client(config, timeout=8.0)
    demo_e_id_key = demo_e_id_issuer(data) if config.demo else None
    issuers = trusted_issuers(data / "trust" / "e-id")
    availability = Availability()
    health = HealthWatch(
        DiskWatch(data, store.path, config.min_free_mb * MB, availability),
        NightlyIntegrity(store, availability),
    )
    store.on_disk_full = health.wake
    health.disk.check()  # a terminal that starts on a full disk is out of service from the first touch
    log.info("kiosk services ready", extra={"terminal": config.terminal_id, "demo": config.demo})
    return KioskServices(
        config,
        store,
        cases,
        devices,
        journey,
        load_catalogue_in_force(data),
        log_path,
        issuers,
        demo_e_id_key,
        availability=availability,
        health=health,
    )


def central_client(config: KioskConfig, timeout: float = 10.0) -> CentralClient | None:
    """A signed client to the centre, or None while the terminal is not enrolled."""
    secret = load_secret(config.data_dir)
    if secret is None:
        return None
    return CentralClient(
        config.central_url, config.terminal_id, secret, timeout=timeout, verify=tls_verify(config.data_dir)
    )


def demo_e_id_issuer(data: Path) -> Ed25519PrivateKey:
    """The demo's stand-in for the e-ID platform: a key of its own, trusted by this terminal only."""
    key = load_or_create_signing_key(data / "demo" / "e-id-issuer.pem")
    trust = data / "trust" / "e-id" / f"{DEMO_E_ID_ISSUER}.pem"
    trust.parent.mkdir(parents=True, exist_ok=True)
    trust.write_text(public_key_pem(key), encoding="ascii")
    return key
