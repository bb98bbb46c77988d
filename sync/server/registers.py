"""The live queries the centre answers for online items (参保证明, 临时身份证明), from its
sample registers. A record is found only when the ID number and the name both match: a
terminal learns nothing about a number typed by someone else. The register's photos (data/photos,
one per ID number) are public-domain pictures standing in for the residents' own."""

from __future__ import annotations

import base64
import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

SAMPLE_REGISTERS = Path(__file__).resolve().parent / "data" / "sample_registers.toml"
MAX_PHOTO_BYTES = 100_000  # an ID photo is a few kB; anything larger is not one
PERIODS = {"近6个月": 6, "近12个月": 12, "近36个月": 36, "全部参保期间": 0}


class Registers:
    """The social-insurance and household registers, loaded once."""

    def __init__(self, path: Path = SAMPLE_REGISTERS, today: dt.date | None = None) -> None:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        self._insurance = {r["id_number"]: r for r in data.get("insurance", [])}
        self._population = {r["id_number"]: r for r in data.get("population", [])}
        self._today = today
        self._photos = path.parent / "photos"

    def insurance_record(self, id_number: str, name: str, period: str) -> dict[str, Any]:
        """The contribution months of `period` (a 参保证明 choice), newest last."""
        record = self._insurance.get(id_number.upper())
        if record is None or record["name"] != name:
            return {"found": False}
        today = self._today or dt.date.today()
        since = dt.date.fromisoformat(record["since"] + "-01")
        months = _months(since, today)
        wanted = PERIODS.get(period, 12)
        if wanted:
            months = months[-wanted:]
        base = float(record["base"])
        personal = round(base * float(record["personal_rate"]), 2)
        return {
            "found": True,
            "insured_type": record["insured_type"],
            "agency": record["agency"],
            "records": [[month, f"{base:.2f}", f"{personal:.2f}", "已缴费"] for month in months],
        }

    def population_record(self, id_number: str, name: str) -> dict[str, Any]:
        """Whether the household register holds this person here, and where."""
        record = self._population.get(id_number.upper())
        if record is None or record["name"] != name:
            return {"found": False}
        return {
            "found": True,
            "household_address": record["household_address"],
            "police_station": record["police_station"],
        }

    def reference_photo(self, id_number: str, name: str) -> dict[str, Any]:
        """The household register's photo of the person (base64 JPEG), for a terminal's face
        comparison when the resident has no card with them; found only for number and name."""
        record = self._population.get(id_number.upper())
        if record is None or record["name"] != name or not record.get("photo"):
            return {"found": False}
        path = self._photos / Path(record["photo"]).name
        if not path.is_file() or path.stat().st_size > MAX_PHOTO_BYTES:
            return {"found": False}
        return {"found": True, "photo": base64.b64encode(path.read_bytes()).decode("ascii")}


def _months(since: dt.date, today: dt.date) -> list[str]:
    """Each month from `since` up to the month before `today` (the current one is not yet paid)."""
    out, year, month = [], since.year, since.month
    while (year, month) < (today.year, today.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
