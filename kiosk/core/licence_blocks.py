"""Keep licence numbers in hand: when the serials left fall to the low-water mark and the centre
can be reached, ask it for another block.

The request's UUID is stored before it is sent and kept until the block is stored, so an answer
lost on the way is asked for again with the same UUID and the centre returns the same block:
a terminal never holds two blocks for one request, and blocks of different terminals never
overlap (the centre allocates them).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

import httpx

from kiosk.core.licence_serials import insert_licence_block, licence_serials_left
from kiosk.core.store import Store

log = logging.getLogger(__name__)
KIND = "licence_block"


def _request_uuid(store: Store) -> str:
    with store.durable() as conn:
        row = conn.execute("SELECT request_uuid FROM pending_requests WHERE kind = ?", (KIND,)).fetchone()
        if row:
            return str(row[0])
        request_uuid = str(uuid.uuid4())
        conn.execute(
            "INSERT INTO pending_requests(kind, request_uuid, created_at) VALUES (?,?,?)",
            (KIND, request_uuid, dt.datetime.now().isoformat(timespec="seconds")),
        )
        return request_uuid


def refill(client: Any, store: Store, low_water: int = 200, block_size: int = 1000) -> str:
    """Ask for a block when serials are at or below `low_water`; what happened, for the status line.

    Outcomes: enough, added BLOCK-ID, failed: why.
    """
    if licence_serials_left(store) > low_water:
        return "enough"
    request_uuid = _request_uuid(store)
    try:
        response = client.request(
            "POST", "/v1/licence-blocks", {"request_uuid": request_uuid, "size": block_size}
        )
        if response.status_code != 200:
            raise ValueError(f"the centre answered {response.status_code}")
        from sync.protocol import LicenceBlock  # the wire model the centre answers with

        block = LicenceBlock.model_validate_json(response.content)
        block_id, first, last = block.block_id, block.first_serial, block.last_serial
    except (httpx.HTTPError, ValueError) as exc:  # a reply not of the protocol is a ValueError
        log.warning("licence block not received", extra={"error": f"{type(exc).__name__}: {exc}"[:200]})
        return "failed: no block received"
    if not 0 < first <= last:
        log.error("licence block refused: impossible range", extra={"block": block_id})
        return "failed: impossible range"
    with store.durable() as conn:  # the block and the end of its request, together
        insert_licence_block(conn, block_id, first, last)
        conn.execute("DELETE FROM pending_requests WHERE kind = ? AND request_uuid = ?", (KIND, request_uuid))
    log.info("licence block added", extra={"block": block_id, "first": first, "last": last})
    return f"added {block_id}"
