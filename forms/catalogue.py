"""Service items (事项) as data files: loading, checking and versioning.

Each item is a TOML file under `forms/items/`, checked against the published JSON Schema
(`forms/schema/service-item.schema.json`) and then for meaning: every condition parses in the
sandboxed expression language and reads only known fields, facts and functions; a remedy
that points at a field names a real one; an item that can be approved on commitment carries
the commitment text. Every problem names the file and the place in it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import py_compile
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from forms.expressions import FUNCTIONS, ExpressionError, compile_expression, names_used
from forms.facts import STANDARD_FACTS
from forms.outcomes import Outcome
from forms.reference import REFERENCE_FUNCTIONS

ITEMS_DIR = Path(__file__).parent / "items"
SCHEMA_FILE = Path(__file__).parent / "schema" / "service-item.schema.json"
RULE_FUNCTIONS = frozenset(FUNCTIONS) | REFERENCE_FUNCTIONS
# Field types answered by a picture the terminal takes (the answer is the capture's token).
PICTURE_TYPES = ("document", "face", "signature")
# A place in a rule's message or remedy filled from its `explain` when the rule fails.
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
# What each picture field type is kept as (kiosk/core/attachments.py).
ATTACHMENT_KIND = {"document": "document_page", "face": "face_photo", "signature": "signature"}


class ItemFileError(ValueError):
    """A service-item file that cannot be used; the message names the file and the place."""


@dataclass(frozen=True)
class Remedy:
    """What the resident can do about a failed rule."""

    action: str
    text: str
    field: str | None = None
    place: str | None = None
    within_days: int | None = None


@dataclass(frozen=True)
class Rule:
    """One decision rule: `require` must hold, otherwise `outcome` applies.

    `explain` names expressions evaluated only when the rule fails; their values fill the
    `{name}` places of the message and the remedy (the word that broke a name rule, the
    authority competent for premises elsewhere).
    """

    id: str
    require: str
    outcome: Outcome
    message: str
    remedy: Remedy
    explain: tuple[tuple[str, str], ...] = ()


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
    max_length: int | None = None
    visible_when: str | None = None
    statement: str = ""
    default: str | None = None  # a choice made until the resident picks another


@dataclass(frozen=True)
class FormPage:
    """A page of the form, shown on one screen."""

    id: str
    title: str
    fields: tuple[FormField, ...]
    visible_when: str | None = None


@dataclass(frozen=True)
class DocumentSpec:
    """A document the item issues, optionally only when a condition holds."""

    kind: str
    title: str
    when: str | None = None


@dataclass(frozen=True)
class Tile:
    """The item on the choose-an-item screen: a short plain label, its department, its icon."""

    label: str
    department: str
    icon: str


OTHER_DEPARTMENT = "其他事项"


@dataclass(frozen=True)
class ServiceItem:
    """A service item with its standard elements, form, rules and documents."""

    id: str
    version: str
    kind: str
    standard: dict[str, Any]
    pages: tuple[FormPage, ...]
    rules: tuple[Rule, ...]
    documents: tuple[DocumentSpec, ...]
    network_required: bool
    outcome_when_all_pass: Outcome
    commitment: str
    offline_alternative: str
    identify_with: tuple[str, ...]
    needs: tuple[str, ...]
    effects: tuple[str, ...]
    fixed_answers: dict[str, Any]
    content_hash: str
    rules_hash: str
    source: Path = field(compare=False)
    identity_assurance: str = ""
    print_straight_away: bool = False  # card → the choices → 打印 (see the schema)
    tile: Tile | None = None

    @property
    def name(self) -> str:
        """The item's name as residents see it."""
        return str(self.standard["name"])

    @property
    def shown_as(self) -> Tile:
        """The item's tile, or the official name under 其他事项 for an item that gives none."""
        return self.tile or Tile(label=self.name, department=OTHER_DEPARTMENT, icon="item")

    @property
    def fields(self) -> tuple[FormField, ...]:
        """Every field on every page, in order."""
        return tuple(f for p in self.pages for f in p.fields)

    def field(self, field_id: str) -> FormField:
        """One field by id."""
        return next(f for f in self.fields if f.id == field_id)

    @property
    def version_label(self) -> str:
        """Item version plus the first characters of its content hash, recorded on each case."""
        return f"{self.version}+{self.content_hash[:12]}"

    @property
    def rules_version_label(self) -> str:
        """The hash that identifies this item's rule set, recorded on each case."""
        return self.rules_hash[:16]

    @property
    def document_kinds(self) -> tuple[str, ...]:
        """The kinds of documents this item can issue."""
        return tuple(d.kind for d in self.documents)


@cache
def item_schema() -> dict[str, Any]:
    """The published JSON Schema of item files."""
    schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return schema


def schema_cache_dir() -> Path:
    """Where the compiled item-schema validator is kept (XDG cache; overridable for tests)."""
    base = (
        os.environ.get("KIOSK_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    )
    return Path(base) / "township-kiosk"


@cache
def _validator() -> Callable[[dict[str, Any]], Any]:
    """The item-schema validator, compiled by fastjsonschema and cached as a module per schema hash.

    fastjsonschema imports in ~10 ms where the reference jsonschema package takes ~90 ms (the
    tests check both agree on every shipped item); compiling takes ~40 ms, so the generated
    code is kept and later starts import it from Python's bytecode cache.
    """
    import fastjsonschema

    raw = SCHEMA_FILE.read_bytes()
    module_path = schema_cache_dir() / f"item_schema_{hashlib.sha256(raw).hexdigest()[:16]}.py"
    if not module_path.exists():
        try:
            module_path.parent.mkdir(parents=True, exist_ok=True)
            temporary = module_path.with_suffix(f".{os.getpid()}.tmp")
            from fastjsonschema.ref_resolver import RefResolver

            # compile() finds the root function the same way; name it `validate` in the module.
            root = RefResolver.from_schema(item_schema(), store={}).get_scope_name()
            code = fastjsonschema.compile_to_code(item_schema())
            temporary.write_text(f"{code}\n\nvalidate = {root}\n", encoding="utf-8")
            temporary.replace(module_path)  # atomic: another process never sees half a file
            # Written explicitly: imports read bytecode even where PYTHONDONTWRITEBYTECODE is set.
            py_compile.compile(str(module_path), doraise=True)
        except OSError:
            return fastjsonschema.compile(item_schema())  # read-only home: compile in memory
    spec = importlib.util.spec_from_file_location(module_path.stem, module_path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    validate: Callable[[dict[str, Any]], Any] = module.validate
    return validate


def _location(path: Any) -> str:
    """`rules[0].remedy` from a path of keys and indexes (indexes may come as digit strings)."""
    out = ""
    for part in path:
        if isinstance(part, int) or (isinstance(part, str) and part.isdigit()):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _schema_errors(data: dict[str, Any], where: str) -> None:
    import fastjsonschema

    try:
        _validator()(data)
    except fastjsonschema.JsonSchemaValueException as exc:
        place = _location(exc.path[1:]) if exc.path else "(top level)"
        detail = exc.message.removeprefix(exc.name).strip() if exc.name else exc.message
        raise ItemFileError(f"{where}: {place}: {detail}") from None


def _condition(source: str | None, where: str, known: frozenset[str]) -> None:
    if source is None:
        return
    try:
        tree = compile_expression(source, RULE_FUNCTIONS)
    except ExpressionError as exc:
        raise ItemFileError(f"{where}: {exc}") from exc
    unknown = names_used(tree) - known
    if unknown:
        raise ItemFileError(f"{where}: unknown name(s) {', '.join(sorted(unknown))} in {source!r}")


def parse_item(raw: bytes, source: Path) -> ServiceItem:
    """Parse and check one item file's bytes."""
    where = source.name
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ItemFileError(f"{where}: {exc}") from exc
    _schema_errors(data, where)

    pages = tuple(
        FormPage(p["id"], p["title"], tuple(_field(f) for f in p["fields"]), p.get("visible_when"))
        for p in data.get("pages", [])
    )
    field_ids = [f.id for p in pages for f in p.fields]
    duplicates = {f for f in field_ids if field_ids.count(f) > 1}
    if duplicates:
        raise ItemFileError(f"{where}: pages: field id(s) used twice: {', '.join(sorted(duplicates))}")
    clashes = set(data.get("fixed_answers", {})) & set(field_ids)
    if clashes:
        raise ItemFileError(f"{where}: fixed_answers: {', '.join(sorted(clashes))} is also a field")
    for f in (f for p in pages for f in p.fields):
        if f.default is not None and (f.type != "choice" or f.default not in f.choices):
            raise ItemFileError(f"{where}: field {f.id}: default {f.default!r} is not one of its choices")
    known = frozenset(field_ids) | frozenset(data.get("fixed_answers", {})) | STANDARD_FACTS
    for i, page in enumerate(data.get("pages", [])):
        _condition(page.get("visible_when"), f"{where}: pages[{i}].visible_when", known)
        for j, f in enumerate(page["fields"]):
            _condition(f.get("visible_when"), f"{where}: pages[{i}].fields[{j}].visible_when", known)

    rules = []
    for i, r in enumerate(data.get("rules", [])):
        _condition(r["require"], f"{where}: rules[{i}].require", known)
        explain = tuple(r.get("explain", {}).items())
        for name, expression in explain:
            _condition(expression, f"{where}: rules[{i}].explain.{name}", known)
        _check_placeholders(r, {name for name, _ in explain}, f"{where}: rules[{i}]")
        remedy = r["remedy"]
        if remedy["action"] == "fix_field" and remedy.get("field") not in field_ids:
            raise ItemFileError(
                f"{where}: rules[{i}].remedy.field: '{remedy.get('field')}' is not a field of this item"
            )
        rules.append(
            Rule(
                r["id"],
                r["require"],
                Outcome(r["outcome"]),
                r["message"],
                Remedy(
                    remedy["action"],
                    remedy["text"],
                    remedy.get("field"),
                    remedy.get("place"),
                    remedy.get("within_days"),
                ),
                explain,
            )
        )
    rule_ids = [r.id for r in rules]
    if len(set(rule_ids)) != len(rule_ids):
        raise ItemFileError(f"{where}: rules: a rule id is used twice")

    documents = []
    for i, d in enumerate(data["documents"]):
        _condition(d.get("when"), f"{where}: documents[{i}].when", known)
        documents.append(DocumentSpec(d["kind"], d["title"], d.get("when")))

    _check_needs(data, pages, where)

    on_commitment = data["outcome_when_all_pass"] == Outcome.APPROVED_ON_COMMITMENT or any(
        r.outcome == Outcome.APPROVED_ON_COMMITMENT for r in rules
    )
    if on_commitment and not data.get("commitment"):
        raise ItemFileError(
            f"{where}: commitment: an item that can be approved on commitment must carry "
            f"the text the resident signs"
        )

    canonical_rules = json.dumps(data.get("rules", []), ensure_ascii=False, sort_keys=True)
    return ServiceItem(
        id=data["id"],
        version=data["version"],
        kind=data["kind"],
        standard=data["standard"],
        pages=pages,
        rules=tuple(rules),
        documents=tuple(documents),
        network_required=data.get("network_required", False),
        outcome_when_all_pass=Outcome(data["outcome_when_all_pass"]),
        commitment=data.get("commitment", ""),
        offline_alternative=data.get("offline_alternative", ""),
        identify_with=tuple(data.get("identify_with", ["id_card"])),
        needs=tuple(data.get("needs", [])),
        effects=tuple(data.get("effects", [])),
        fixed_answers=dict(data.get("fixed_answers", {})),
        content_hash=hashlib.sha256(raw).hexdigest(),
        rules_hash=hashlib.sha256(canonical_rules.encode()).hexdigest(),
        source=source,
        identity_assurance=data.get("identity_assurance", ""),
        print_straight_away=data.get("print_straight_away", False),
        tile=Tile(**data["tile"]) if "tile" in data else None,
    )


def _check_placeholders(rule: dict[str, Any], names: set[str], where: str) -> None:
    """Every `{name}` in a rule's message and remedy must be one its `explain` defines."""
    for part, text in (("message", rule["message"]), ("remedy.text", rule["remedy"]["text"])):
        unknown = set(PLACEHOLDER.findall(text)) - names
        if unknown:
            raise ItemFileError(
                f"{where}.{part}: {{{', '.join(sorted(unknown))}}} is not defined in the rule's explain"
            )


# Effects that write the business register: real-name verification of the operator is required
# (市场监管总局, 2020: registration, change and deregistration of individual businesses).
REGISTER_EFFECTS = frozenset({"register_business", "change_business", "deregister_business"})


def _check_needs(data: dict[str, Any], pages: tuple[FormPage, ...], where: str) -> None:
    """What an item says it needs must be on its form: a face field for a face capture (and for
    manual identification, which only a photo makes trustworthy), a signature field to sign."""
    types = {f.type: f for p in pages for f in p.fields}
    face = types.get("face")
    needs, identify_with = data.get("needs", []), data.get("identify_with", [])
    face_needed = "face_capture" in needs or "manual_with_face" in identify_with
    if face_needed and (face is None or not face.required or face.visible_when):
        raise ItemFileError(
            f"{where}: pages: a face capture (or manual identification) needs a required, always "
            f"shown field of type 'face'"
        )
    if "signature" in needs and "signature" not in types:
        raise ItemFileError(f"{where}: pages: needs 'signature' but no field of type 'signature'")
    changes = sorted(set(data.get("effects", [])) & REGISTER_EFFECTS)
    if changes and data.get("identity_assurance") != "face":
        raise ItemFileError(
            f"{where}: effects {', '.join(changes)} change the business register, so the item needs "
            f'identity_assurance = "face" (人证核验 of the operator before the form)'
        )


def _field(f: dict[str, Any]) -> FormField:
    return FormField(
        id=f["id"],
        label=f["label"],
        type=f["type"],
        prefill=f.get("prefill"),
        readonly=f.get("readonly", False),
        required=f.get("required", False),
        masked=f.get("masked", False),
        validate=f.get("validate"),
        input=f.get("input", "pinyin"),
        help=f.get("help", ""),
        choices=tuple(f.get("choices", ())),
        max_length=f.get("max_length"),
        visible_when=f.get("visible_when"),
        statement=f.get("statement", ""),
        default=f.get("default"),
    )


def load_item(path: Path) -> ServiceItem:
    """Load and check one item file."""
    return parse_item(path.read_bytes(), path)


def load_catalogue(directory: Path = ITEMS_DIR) -> dict[str, ServiceItem]:
    """Load every item file in `directory`, keyed by item id, in file-name order."""
    items: dict[str, ServiceItem] = {}
    for path in sorted(directory.glob("*.toml")):
        item = load_item(path)
        if item.id in items:
            raise ItemFileError(
                f"{path.name}: item id '{item.id}' already used by {items[item.id].source.name}"
            )
        items[item.id] = item
    return items
