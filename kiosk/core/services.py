"""Build the terminal's services from its configuration (no Qt): the composition root."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from devices.factory import Devices, make_devices
from forms.catalogue import ServiceItem
from kiosk.config import KioskConfig
from kiosk.core.cases import CaseRepository, add_licence_block, licence_serials_left, settle_unfinished
from kiosk.core.identity import trusted_issuers
from kiosk.core.journey import JourneyService
from kiosk.core.reference_store import load_demo_reference, seed_scope_catalogue
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
DEMO_REFERENCE = Path(__file__).resolve().parents[2] / "assets" / "demo" / "reference.toml"


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

    def start_sync(self, interval: float = 60.0) -> SyncWorker:
        """Start the background sync (it reports "not enrolled" until the installer has enrolled)."""
        if self.sync is None:
            self.sync = SyncWorker(self, interval)
            self.sync.start()
        return self.sync

    def reload_catalogue(self) -> None:
        """A catalogue update was applied: new sessions use the items now in force."""
        self.catalogue = load_catalogue_in_force(self.config.data_dir)

    def close(self) -> None:
        """Stop device threads and release the store."""
        self.devices.stop()
        if self.sync is not None:
            self.sync.stop()
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
    log_path = configure_logging(data / "logs")
    store = Store.open(data)
    cases = CaseRepository(store, config.terminal_id)
    seed_scope_catalogue(store)
    if config.demo:
        if licence_serials_left(store) == 0:
            add_licence_block(store, *DEMO_LICENCE_BLOCK)
        load_demo_reference(store, DEMO_REFERENCE)
        from kiosk.admin.demo_staff import seed_demo_staff

        seed_demo_staff(store)
    recover_interrupted_cases(cases)
    if tagged := cases.tag_untagged_cases():
        log.info("cases tagged for lookup by ID card", extra={"cases": tagged})
    devices = make_devices(config.devices, spool_dir or data / "spool", config.printing.receipt_encoding)
    from kiosk.admin.consumables import CountingDocumentPrinter, CountingReceiptPrinter

    devices.receipt_printer = CountingReceiptPrinter(devices.receipt_printer, store)
    devices.document_printer = CountingDocumentPrinter(devices.document_printer, store)
    key_path = data / "keys" / "terminal_ed25519.pem"
    journey = JourneyService(config, cases, devices, lambda: load_or_create_signing_key(key_path))
    journey.central_client = lambda: central_client(config, timeout=8.0)
    demo_e_id_key = demo_e_id_issuer(data) if config.demo else None
    issuers = trusted_issuers(data / "trust" / "e-id")
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
