"""Live queries of the registers a document needs (参保, 户籍, the household register's photo)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter

from sync.protocol import (
    InsuranceAnswer,
    InsuranceQuery,
    PersonQuery,
    PopulationAnswer,
    ReferencePhotoAnswer,
)
from sync.server import problems
from sync.server.printable import printable
from sync.server.routes.common import AUTHENTICATED as authenticated
from sync.server.routes.common import SIGNED, Centre, new_router

log = logging.getLogger(__name__)


def router(centre: Centre) -> APIRouter:
    """The routes of this resource over `centre`."""
    registers = centre.registers
    router = new_router()

    @router.post(
        "/v1/queries/insurance-record", response_model=InsuranceAnswer, responses=problems.responses(*SIGNED)
    )
    def insurance_record(query: InsuranceQuery, terminal_id: str = authenticated) -> Any:
        """Live query of a 参保证明: the person's contribution months for the period."""
        log.info("insurance query from %s", printable(terminal_id))
        return registers.insurance_record(query.id_number, query.name, query.period)

    @router.post(
        "/v1/queries/population-record",
        response_model=PopulationAnswer,
        responses=problems.responses(*SIGNED),
    )
    def population_record(query: PersonQuery, terminal_id: str = authenticated) -> Any:
        """Live query of a 临时身份证明: is the person in the household register here."""
        log.info("population query from %s", printable(terminal_id))
        return registers.population_record(query.id_number, query.name)

    @router.post(
        "/v1/queries/reference-photo",
        response_model=ReferencePhotoAnswer,
        responses=problems.responses(*SIGNED),
    )
    def reference_photo(query: PersonQuery, terminal_id: str = authenticated) -> Any:
        """人证核验 without a card: the household register's photo, compared on the terminal in
        memory and dropped there (never stored with the case)."""
        log.info("reference photo query from %s", printable(terminal_id))
        return registers.reference_photo(query.id_number, query.name)

    return router
