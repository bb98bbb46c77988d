"""Reference data the rules consult, and the rule functions bound to it.

The terminal keeps these in local tables that sync updates (kiosk/core/reference_store.py);
tests and tools use `InMemoryReference`. Rules see only the functions below, never the data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from forms.business import compose_name
from forms.ids import is_valid_credit_code, is_valid_resident_id, normalise_resident_id
from forms.jurisdiction import DivisionTable, Resolution, resolve_premises, shipped_division_table
from forms.name_rules import NameChecker, NameRules, shipped_name_rules
from forms.places import townships
from forms.scope import ScopeEntry, scope_catalogue


def id_hash(id_number: str) -> str:
    """How lists of people are keyed: a hash of the normalised ID number, never the number."""
    return hashlib.sha256(normalise_resident_id(id_number).encode()).hexdigest()


@dataclass(frozen=True)
class BusinessRecord:
    """A registered individual business known to this terminal's division."""

    credit_code: str
    name: str
    operator_id_hash: str
    industry: str
    scope: tuple[str, ...]
    premises: str
    status: str  # active | deregistered | abnormal (经营异常名录)
    has_food_filing: bool = False


class ReferenceData(Protocol):
    """Read access to the synced reference tables."""

    def trade_name_taken(self, division_code: str, industry: str, trade_name: str) -> bool:
        """True when the 字号 is registered already in the division and industry."""
        ...

    def dishonesty_entry(self, id_number: str) -> str | None:
        """The reason an operator is on the serious-dishonesty list, or None."""
        ...

    def extra_forbidden_words(self) -> frozenset[str]:
        """Offensive or misleading words synced from the centre."""
        ...

    def scope_entries(self) -> Mapping[str, ScopeEntry]:
        """The business-scope catalogue."""
        ...

    def business(self, credit_code: str) -> BusinessRecord | None:
        """A registered business by its credit code."""
        ...

    def name_rules(self) -> NameRules:
        """The name rules in force (shipped, or the centre's latest signed update)."""
        ...

    def division_table(self) -> DivisionTable:
        """The national division table in force (shipped, or the centre's latest signed update)."""
        ...


@dataclass
class InMemoryReference:
    """Reference data held in memory (tests, tools, the benchmark's baseline)."""

    names: set[tuple[str, str, str]] = field(default_factory=set)
    dishonest: dict[str, str] = field(default_factory=dict)  # id hash -> reason
    forbidden: frozenset[str] = frozenset()
    businesses: dict[str, BusinessRecord] = field(default_factory=dict)

    def trade_name_taken(self, division_code: str, industry: str, trade_name: str) -> bool:
        """True when the 字号 is registered already in the division and industry."""
        return (division_code, industry, trade_name) in self.names

    def dishonesty_entry(self, id_number: str) -> str | None:
        """The reason an operator is on the serious-dishonesty list, or None."""
        return self.dishonest.get(id_hash(id_number))

    def extra_forbidden_words(self) -> frozenset[str]:
        """Offensive or misleading words synced from the centre."""
        return self.forbidden

    def scope_entries(self) -> Mapping[str, ScopeEntry]:
        """The business-scope catalogue shipped with the terminal."""
        return scope_catalogue()

    def business(self, credit_code: str) -> BusinessRecord | None:
        """A registered business by its credit code."""
        return self.businesses.get(credit_code.strip().upper())

    def name_rules(self) -> NameRules:
        """The name rules shipped with the software."""
        return shipped_name_rules()

    def division_table(self) -> DivisionTable:
        """The division table shipped with the software."""
        return shipped_division_table()


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _codes(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list | tuple) else []


def rule_functions(
    reference: ReferenceData, division_code: str, division_name: str, builtin_forbidden: Iterable[str]
) -> dict[str, Callable[..., Any]]:
    """The reference-backed functions rules may call, bound to one terminal's data."""
    forbidden = frozenset(builtin_forbidden) | reference.extra_forbidden_words()
    scope = reference.scope_entries()
    premises = PremisesLookup(reference, division_code)
    names = NameLookup(reference)

    def business_field(code: Any, attribute: str, default: Any) -> Any:
        record = reference.business(_text(code)) if _text(code) else None
        return getattr(record, attribute) if record else default

    return {
        "compose_name": lambda trade, industry, form: compose_name(
            division_name, _text(trade), _text(industry), _text(form)
        ),
        "name_taken": lambda trade, industry: (
            bool(_text(trade))
            and reference.trade_name_taken(division_code, _text(industry), _text(trade).strip())
        ),
        "has_forbidden_word": lambda text: any(word in _text(text) for word in forbidden),
        "name_hit": lambda clause, trade, industry, form, own_name: names.checker().hit(
            _text(clause), _text(trade), _text(industry), _text(form), _text(own_name)
        ),
        "premises_status": lambda address: (
            premises.resolve(_text(address)).status if _text(address).strip() else "empty"
        ),
        "home_authority": lambda: premises.home_authority(),
        "premises_area": lambda address: premises.area_name(_text(address)),
        "premises_authority": lambda address: premises.authority(_text(address)),
        "permits_of": lambda codes: list(
            dict.fromkeys(scope[c].permit for c in _codes(codes) if c in scope and scope[c].permit)
        ),
        "licensed_scope_names": lambda codes: [
            scope[c].name for c in _codes(codes) if c in scope and scope[c].kind == "licensed"
        ],
        "dishonest": lambda id_number: (
            bool(_text(id_number)) and reference.dishonesty_entry(_text(id_number)) is not None
        ),
        "scope_kinds": lambda codes: [scope[c].kind if c in scope else "unknown" for c in _codes(codes)],
        "scope_includes": lambda codes, code: code in _codes(codes),
        "valid_credit_code": lambda code: is_valid_credit_code(_text(code)),
        "valid_resident_id": lambda number: is_valid_resident_id(_text(number)),
        "business_exists": lambda code: business_field(code, "credit_code", None) is not None,
        "business_status": lambda code: business_field(code, "status", "unknown"),
        "business_in_division": lambda code: _text(code)[2:8] == division_code,
        "business_has_scope": lambda code, entry: entry in business_field(code, "scope", ()),
        "business_has_food_filing": lambda code: bool(business_field(code, "has_food_filing", False)),
        "operated_by": lambda code, id_number: (
            bool(_text(id_number))
            and business_field(code, "operator_id_hash", None) == id_hash(_text(id_number))
        ),
    }


class NameLookup:
    """The name checker for the rules and division table in force, rebuilt when either changes."""

    def __init__(self, reference: ReferenceData) -> None:
        self.reference = reference
        self._key: tuple[int, int] | None = None
        self._checker: NameChecker | None = None

    def checker(self) -> NameChecker:
        """The checker over the reference's current name rules and division names."""
        rules, table = self.reference.name_rules(), self.reference.division_table()
        key = (id(rules), id(table))
        if self._checker is None or key != self._key:
            self._checker = NameChecker(rules, table.names_of_county_or_higher())
            self._key = key
        return self._checker


class PremisesLookup:
    """Where a premises address lies, against the division table in force (remembered per address)."""

    def __init__(self, reference: ReferenceData, home_code: str) -> None:
        self.reference = reference
        self.home_code = home_code
        self._seen: dict[tuple[int, str], Resolution] = {}

    def resolve(self, address: str) -> Resolution:
        """The address's resolution: inside, outside (with the area) or unresolved."""
        table = self.reference.division_table()
        key = (id(table), address)
        found = self._seen.get(key)
        if found is None:
            if len(self._seen) > 256:
                self._seen.clear()
            names = [t.name for t in townships(self.home_code)]
            found = self._seen[key] = resolve_premises(address, self.home_code, table, names)
        return found

    def home_authority(self) -> str:
        """The registration authority this terminal registers for."""
        area = self.reference.division_table().area(self.home_code)
        return area.authority if area else ""

    def area_name(self, address: str) -> str:
        """The county the address lies in, as people write it (枣庄市山亭区), or ''."""
        area = self.resolve(address).area
        return area.full_name if area else ""

    def authority(self, address: str) -> str:
        """The registration authority competent for the address, or ''."""
        area = self.resolve(address).area
        return area.authority if area else ""


REFERENCE_FUNCTIONS = frozenset(rule_functions(InMemoryReference(), "000000", "", ()))
