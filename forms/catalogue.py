"""Service items (事项) as data files: loading, checking and versioning.

Each item is a TOML file under `forms/items/`. The loader checks every file and names the
file and the key of each problem; an item whose refusing rule has no remedy is rejected,
because the terminal never answers a bare "no" (窗口无否决权).
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forms.expressions import ExpressionError, compile_expression

ITEMS_DIR = Path(__file__).parent / "items"
OUTCOMES = ("approved", "approved_on_commitment", "accepted_pending", "manual_review", "needs_fixing")
STANDARD_ELEMENTS = (
    "name",
    "code",
    "type",
    "legal_basis",
    "level",
    "conditions",
    "target",
    "materials",
    "time_limit",
    "fees",
)
FIELD_TYPES = ("text", "choice", "scope")


class ItemFileError(ValueError):
    """A service-item file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Remedy:
    """What the resident can do about a failed rule."""

    action: str
    text: str
    field: str | None = None
    place: str | None = None


@dataclass(frozen=True)
class Rule:
    """One decision rule: `require` must hold, otherwise `outcome` applies."""

    id: str
    require: str
    outcome: str
    message: str
    remedy: Remedy


@dataclass(frozen=True)
class FormField:
    """One field of an item's form."""

    id: str
    label: str
    type: str
    prefill: str | None = None
    readonly: bool = False
    required: bool = False
    masked: bool = False
    validate: str | None = None
    input: str = "pinyin"
    help: str = ""
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormPage:
    """A page of the form, shown on one screen."""

    id: str
    title: str
    fields: tuple[FormField, ...]


@dataclass(frozen=True)
class ServiceItem:
    """A service item with its standard elements, form, rules and documents."""

    id: str
    version: str
    standard: dict[str, Any]
    pages: tuple[FormPage, ...]
    rules: tuple[Rule, ...]
    documents: tuple[dict[str, str], ...]
    network_required: bool
    outcome_when_all_pass: str
    content_hash: str
    rules_hash: str
    source: Path = field(compare=False)

    @property
    def name(self) -> str:
        """The item's name as residents see it."""
        return self.standard["name"]

    @property
    def fields(self) -> tuple[FormField, ...]:
        """Every field on every page, in order."""
        return tuple(f for p in self.pages for f in p.fields)

    @property
    def version_label(self) -> str:
        """Item version plus the first characters of its content hash, recorded on each case."""
        return f"{self.version}+{self.content_hash[:12]}"

    @property
    def rules_version_label(self) -> str:
        """The hash that identifies this item's rule set, recorded on each case."""
        return self.rules_hash[:16]


def _require(data: dict[str, Any], key: str, where: str, kind: type | tuple[type, ...]) -> Any:
    if key not in data:
        raise ItemFileError(f"{where}: missing key '{key}'")
    value = data[key]
    if not isinstance(value, kind):
        raise ItemFileError(f"{where}.{key}: expected {getattr(kind, '__name__', kind)}")
    return value


def parse_item(raw: bytes, source: Path) -> ServiceItem:
    """Parse and check one item file's bytes."""
    where = source.name
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ItemFileError(f"{where}: {exc}") from exc
    standard = _require(data, "standard", where, dict)
    for element in STANDARD_ELEMENTS:
        _require(standard, element, f"{where}: standard", (str, list))
    pages = tuple(
        _parse_page(p, f"{where}: pages[{i}]") for i, p in enumerate(_require(data, "pages", where, list))
    )
    field_ids = {f.id for p in pages for f in p.fields}
    rules = tuple(
        _parse_rule(r, f"{where}: rules[{i}]", field_ids) for i, r in enumerate(data.get("rules", []))
    )
    outcome = data.get("outcome_when_all_pass", "approved")
    if outcome not in ("approved", "approved_on_commitment"):
        raise ItemFileError(f"{where}.outcome_when_all_pass: must be approved or approved_on_commitment")
    canonical_rules = json.dumps(data.get("rules", []), ensure_ascii=False, sort_keys=True)
    return ServiceItem(
        id=_require(data, "id", where, str),
        version=_require(data, "version", where, str),
        standard=standard,
        pages=pages,
        rules=rules,
        documents=tuple(data.get("documents", [])),
        network_required=bool(data.get("network_required", False)),
        outcome_when_all_pass=outcome,
        content_hash=hashlib.sha256(raw).hexdigest(),
        rules_hash=hashlib.sha256(canonical_rules.encode()).hexdigest(),
        source=source,
    )


def _parse_page(data: dict[str, Any], where: str) -> FormPage:
    fields = []
    for i, f in enumerate(_require(data, "fields", where, list)):
        fw = f"{where}.fields[{i}]"
        ftype = _require(f, "type", fw, str)
        if ftype not in FIELD_TYPES:
            raise ItemFileError(f"{fw}.type: '{ftype}' is not one of {', '.join(FIELD_TYPES)}")
        fields.append(
            FormField(
                id=_require(f, "id", fw, str),
                label=_require(f, "label", fw, str),
                type=ftype,
                prefill=f.get("prefill"),
                readonly=f.get("readonly", False),
                required=f.get("required", False),
                masked=f.get("masked", False),
                validate=f.get("validate"),
                input=f.get("input", "pinyin"),
                help=f.get("help", ""),
                choices=tuple(f.get("choices", ())),
            )
        )
    return FormPage(_require(data, "id", where, str), _require(data, "title", where, str), tuple(fields))


def _parse_rule(data: dict[str, Any], where: str, field_ids: set[str]) -> Rule:
    require = _require(data, "require", where, str)
    try:
        compile_expression(require)
    except ExpressionError as exc:
        raise ItemFileError(f"{where}.require: {exc}") from exc
    outcome = _require(data, "outcome", where, str)
    if outcome not in OUTCOMES or outcome == "approved":
        raise ItemFileError(f"{where}.outcome: '{outcome}' is not a refusing outcome {OUTCOMES[1:]}")
    remedy = data.get("remedy")
    if not isinstance(remedy, dict) or not remedy.get("text"):
        raise ItemFileError(f"{where}.remedy: a rule that can refuse must say how to fix it")
    if remedy.get("action") == "fix_field" and remedy.get("field") not in field_ids:
        raise ItemFileError(f"{where}.remedy.field: '{remedy.get('field')}' is not a field of this item")
    return Rule(
        id=_require(data, "id", where, str),
        require=require,
        outcome=outcome,
        message=_require(data, "message", where, str),
        remedy=Remedy(
            action=remedy.get("action", "info"),
            text=remedy["text"],
            field=remedy.get("field"),
            place=remedy.get("place"),
        ),
    )


def load_item(path: Path) -> ServiceItem:
    """Load and check one item file."""
    return parse_item(path.read_bytes(), path)


def load_catalogue(directory: Path = ITEMS_DIR) -> dict[str, ServiceItem]:
    """Load every item file in `directory`, keyed by item id."""
    items: dict[str, ServiceItem] = {}
    for path in sorted(directory.glob("*.toml")):
        item = load_item(path)
        if item.id in items:
            raise ItemFileError(
                f"{path.name}: item id '{item.id}' already used by {items[item.id].source.name}"
            )
        items[item.id] = item
    return items
