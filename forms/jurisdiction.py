"""The national division table (GB/T 2260 to county level) and the county a premises address lies in.

The table ships as ``forms/data/divisions_gb2260.json`` (see ``forms/data/DIVISIONS.md``) and can
be replaced by the same document arriving in a signed update (:meth:`DivisionTable.from_mapping`).
Codes carry the hierarchy: ``XX0000`` is a province, ``XXXX00`` a prefecture-level division and
anything else a county-level one, under ``XXXX00`` when that is in the table and otherwise
directly under its province (直辖市 districts, 省直辖县级行政区划 such as 济源市). A prefecture-level
city without counties (东莞市, 中山市, 儋州市, 嘉峪关市) is itself a registration area.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

DATA_DIR = Path(__file__).parent / "data"
TABLE_FILE = DATA_DIR / "divisions_gb2260.json"
ETHNICITIES_FILE = DATA_DIR / "ethnicities.toml"
AUTHORITY_SUFFIX = "市场监督管理局"

# Dropped for the short form used as a word (淄博市 → 淄博); compound suffixes before their tails.
_SUFFIXES: tuple[str, ...] = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "新区", "林区", "特区")
_SUFFIXES += ("地区", "省", "市", "区", "县", "盟", "旗")
_BANNER_PARTS = ("左", "右", "中", "前", "后", "联合")
_AUTONOMOUS = ("自治区", "自治州", "自治县", "自治旗")
_COUNTRY = ("中华人民共和国", "中国")
_CODE = re.compile(r"[1-9]\d{5}")

Status = Literal["inside", "outside", "unresolved"]
_Index = tuple[dict[str, tuple[str, ...]], tuple[int, ...]]  # name → codes, name lengths longest first


@dataclass(frozen=True)
class Area:
    """A registration area: a county-level division, or a prefecture-level city without counties.

    ``city`` is "" for a county directly under its province (直辖市 districts, 济源市, 仙桃市);
    ``county`` is "" for a prefecture-level city without counties (东莞市).
    """

    code: str
    province: str
    city: str
    county: str

    @property
    def full_name(self) -> str:
        """The name the area's authority goes by: 枣庄市山亭区, 北京市朝阳区, 滕州市, 济源市, 东莞市."""
        if not self.county:
            return self.city
        if self.county.endswith("市") or not (self.city or self.province.endswith("市")):
            return self.county  # county-level cities and counties directly under a province
        return f"{self.city or self.province}{self.county}"

    @property
    def authority(self) -> str:
        """The registration authority: 枣庄市山亭区市场监督管理局, 滕州市市场监督管理局."""
        return self.full_name + AUTHORITY_SUFFIX


@dataclass(frozen=True)
class Resolution:
    """Where a premises address lies relative to the terminal's county.

    ``inside``: in the home county (``area`` is it); ``outside``: in another county (``area`` is
    that county, whose ``authority`` the resident is sent to); ``unresolved``: not decidable from
    the text (``candidates`` lists the counties an ambiguous name could mean, if any).
    """

    status: Status
    area: Area | None = None
    candidates: tuple[Area, ...] = ()


@cache
def _ethnic_words() -> tuple[str, ...]:
    """Ethnic names as they appear in autonomous divisions' names, longest first."""
    codes = tomllib.loads(ETHNICITIES_FILE.read_text(encoding="utf-8"))["codes"]
    names = [name for code, name in codes.items() if "01" <= code <= "56"]
    words = {f"{name}族" for name in names} | {name for name in names if len(name) >= 2} | {"各族"}
    return tuple(sorted(words, key=len, reverse=True))


def short_forms(name: str) -> tuple[str, ...]:
    """The short forms of a division name used as a word (山东省 → 山东, 恩施土家族苗族自治州 → 恩施, 恩施州).

    Forms of one character are never returned (易县 has none).
    """
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            if suffix == "旗" and stem.endswith(_BANNER_PARTS):
                return ()  # 巴林左旗 is never called 巴林左
            if suffix not in _AUTONOMOUS:
                return (stem,) if len(stem) >= 2 else ()
            stripped = True
            while stripped:
                stripped = False
                for word in _ethnic_words():
                    if stem.endswith(word) and len(stem) - len(word) >= 2:
                        stem, stripped = stem[: -len(word)], True
                        break
            if stem.endswith("族") and stem[:-1] in _ethnic_words():
                stem = stem[:-1]  # 东乡族自治县 → 东乡
            forms = (stem, stem + "州") if suffix == "自治州" else (stem,)
            return forms if len(stem) >= 2 else ()
    return ()


def _index(pairs: Iterable[tuple[str, str]]) -> _Index:
    """Name → codes, and the distinct name lengths, longest first."""
    index: dict[str, tuple[str, ...]] = {}
    for name, code in pairs:
        if code not in index.get(name, ()):
            index[name] = (*index.get(name, ()), code)
    return index, tuple(sorted({len(name) for name in index}, reverse=True))


def _prefixes(index: _Index, text: str, at: int) -> list[tuple[tuple[str, ...], int]]:
    """(codes, end) for every name in the index that starts ``text`` at ``at``."""
    names, lengths = index
    return [(names[text[at : at + n]], at + n) for n in lengths if text[at : at + n] in names]


class DivisionTable:
    """The GB/T 2260 table to county level, with the indexes the address resolver needs.

    ``provinces`` and ``cities`` map codes to names; ``leaf_cities`` are the prefecture-level
    codes without counties; ``source`` is the document's source header.
    """

    def __init__(self, names: Mapping[str, str], source: Mapping[str, Any] | None = None) -> None:
        """Build from code → name (use :meth:`from_mapping` for a JSON document's content)."""
        self.source: dict[str, Any] = dict(source or {})
        self._names = dict(sorted(names.items()))
        self.provinces = {c: n for c, n in self._names.items() if c.endswith("0000")}
        self.cities = {c: n for c, n in self._names.items() if c.endswith("00") and c not in self.provinces}
        self._areas: dict[str, Area] = {}
        for code, name in self._names.items():
            if code[:2] + "0000" not in self.provinces:
                raise ValueError(f"division {code} {name}: no province {code[:2]}0000")
            if code not in self.provinces and code not in self.cities:
                city = self.cities.get(code[:4] + "00", "")
                self._areas[code] = Area(code, self.provinces[code[:2] + "0000"], city, name)
        parents = {code[:4] + "00" for code in self._areas}
        self.leaf_cities = frozenset(self.cities.keys() - parents)
        for code in self.leaf_cities:
            self._areas[code] = Area(code, self.provinces[code[:2] + "0000"], self.cities[code], "")
        self._areas = dict(sorted(self._areas.items()))
        self._province_index = _index(
            (form, code) for code, name in self.provinces.items() for form in (name, *short_forms(name))
        )
        self._city_index = _index(
            (form, code) for code, name in self.cities.items() for form in (name, *short_forms(name))
        )
        self._county_index = _index((a.county, c) for c, a in self._areas.items() if a.county)
        every = (*self.provinces.values(), *self.cities.values(), *(a.county for a in self._areas.values()))
        self._names_set = frozenset(f for n in every if n for f in (n, *short_forms(n)) if len(f) >= 2)
        canonical = json.dumps(self._names, ensure_ascii=False, separators=(",", ":"))
        self._version = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]

    @classmethod
    def from_mapping(cls, content: Mapping[str, Any]) -> DivisionTable:
        """The table from a JSON document's content: ``{"source": {...}, "divisions": {code: name}}``.

        Raises ValueError on a malformed document (a code that is not 6 digits, an empty name,
        a division whose province is missing).
        """
        divisions = content.get("divisions")
        if not isinstance(divisions, Mapping) or not divisions:
            raise ValueError("the document has no divisions")
        for code, name in divisions.items():
            if not (isinstance(code, str) and _CODE.fullmatch(code) and isinstance(name, str) and name):
                raise ValueError(f"bad division entry {code!r}: {name!r}")
        source = content.get("source") or {}
        if not isinstance(source, Mapping):
            raise ValueError("source must be a mapping")
        return cls(divisions, source)

    @property
    def version(self) -> str:
        """A hash of the divisions' content (16 hex digits): equal tables have equal versions."""
        return self._version

    @property
    def data_date(self) -> str:
        """The date of the data as recorded in the document's source header ("" if none)."""
        return str(self.source.get("data_date", ""))

    def area(self, code: str) -> Area | None:
        """The registration area with this code; None if unknown, a province or a city with counties."""
        return self._areas.get(code)

    def areas(self) -> tuple[Area, ...]:
        """Every registration area, in code order."""
        return tuple(self._areas.values())

    def names_of_county_or_higher(self) -> frozenset[str]:
        """Every province, city and county name, in full and in its short forms (none of one character)."""
        return self._names_set

    def _parent_unit(self, home: Area) -> str | None:
        """The code that, named before a home township, places an address in the home county."""
        if home.code in self.leaf_cities:
            return home.code
        if home.code[:4] + "00" in self.cities:
            return home.code[:4] + "00"
        province = home.code[:2] + "0000"
        return province if self.provinces[province].endswith("市") else None

    def resolve(self, address: str, home_code: str, townships: Iterable[str]) -> Resolution:
        """See :func:`resolve_premises`."""
        townships = tuple(townships)
        text = "".join(unicodedata.normalize("NFKC", address).split())
        for country in _COUNTRY:
            if text.startswith(country):
                text = text[len(country) :]
                break
        home = self._areas.get(home_code)
        if home is not None and any(t and text.startswith(t) for t in townships):
            return Resolution("inside", home)
        found: dict[str, int] = {}  # area code → end of the longest reading naming it
        named: list[tuple[str, int]] = []  # (province or city code, end) readings without a county
        for provinces, at in [((None,), 0), *_prefixes(self._province_index, text, 0)]:
            for province in provinces:
                cities = [((None,), at), *_prefixes(self._city_index, text, at)]
                for city_codes, after in cities:
                    for city in city_codes:
                        if city and province and city[:2] + "0000" != province:
                            continue
                        unit = city or province
                        if city in self.leaf_cities and (province or self.cities[city] == text[at:after]):
                            found[city] = max(found.get(city, 0), after)
                        elif unit:
                            named.append((unit, after))
                        for codes, end in _prefixes(self._county_index, text, after):
                            for code in codes:
                                if unit is None or code.startswith(unit[:4] if city else unit[:2]):
                                    found[code] = max(found.get(code, 0), end)
        if found:
            longest = max(found.values())
            candidates = tuple(self._areas[c] for c in sorted(found) if found[c] == longest)
            if len(candidates) == 1:
                area = candidates[0]
                return Resolution("inside" if area.code == home_code else "outside", area)
            if home in candidates:
                return Resolution("inside", home)
            return Resolution("unresolved", None, candidates)
        if home is not None:
            parent = self._parent_unit(home)
            for unit, after in named:
                if unit == parent and any(t and text.startswith(t, after) for t in townships):
                    return Resolution("inside", home)
        return Resolution("unresolved")


@cache
def shipped_division_table() -> DivisionTable:
    """The table shipped in ``forms/data/divisions_gb2260.json`` (loaded once)."""
    return DivisionTable.from_mapping(json.loads(TABLE_FILE.read_text(encoding="utf-8")))


def resolve_premises(
    address: str, home_code: str, table: DivisionTable, townships: Iterable[str]
) -> Resolution:
    """Whether a premises address lies in the home county, another county, or cannot be told.

    The address is NFKC-normalised and its white space removed; a leading 中国 is skipped. It may
    start with a province (山东省 or 山东), then a city (淄博市 or 淄博), then a county (full name):

    - a county resolves to itself; a name several counties share (鼓楼区) is narrowed by the
      province or city before it, and if still ambiguous resolves to the home county when that is
      among them, otherwise stays unresolved (with the candidates);
    - a province or city that contradicts the county (山东省北京市朝阳区) leaves it unresolved;
    - the home county's city (or 直辖市) followed by one of ``townships`` is inside;
    - no division at all, but starting with one of ``townships`` (the home county's), is inside;
    - anything else is unresolved.

    ``inside`` means the area is ``home_code``'s. With a ``home_code`` not in the table nothing is
    inside and every named county is ``outside``.
    """
    return table.resolve(address, home_code, townships)
