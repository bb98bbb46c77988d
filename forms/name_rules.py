"""The rules an individual-business name must keep, as data the centre publishes and signs.

Each clause of 个体工商户名称登记管理办法 and 企业名称登记管理规定 that can be checked by a
machine is one `NameClause` in `forms/data/name_rules.toml` (which article it encodes is in
its `basis`; `forms/data/NAME_RULES.md` is the table for reviewers). A clause finds the word
that breaks it in the name's 字号, industry and organisation form (`contains`), in the 字号
alone (`equals`), a character that is not a standard simplified one (`traditional`, by
OpenCC's tables), or, for `division`, a county-or-higher division name used as the 字号 from
the national division table. The item files' rules call `name_hit(...)` and say
the word back to the resident.
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
from typing import Any

NAME_RULES_FILE = Path(__file__).parent / "data" / "name_rules.toml"
MATCH_KINDS = ("contains", "equals", "division", "traditional")
_CLAUSE_ID = re.compile(r"^[a-z][a-z0-9-]{1,40}$")
_MAX_PATTERN = 200


class NameRulesError(ValueError):
    """Name-rule data that cannot be used; the message says where."""


@dataclass(frozen=True)
class NameClause:
    """One clause of the name regulations: the words (or patterns) that break it."""

    id: str
    title: str
    basis: tuple[str, ...]
    match: str
    words: frozenset[str]
    patterns: tuple[re.Pattern[str], ...] = ()
    allow: tuple[str, ...] = ()  # longer words that contain a listed word yet are fine (朝鲜族)
    together: tuple[tuple[str, ...], ...] = ()  # words that break the clause only together
    own_name_exempt: bool = False  # 第八条: the operator's own name may be the 字号


@dataclass(frozen=True)
class NameRules:
    """Every clause, the division names' other meanings, and a version for the case record."""

    version: str
    clauses: Mapping[str, NameClause]
    other_meaning: frozenset[str]
    content_hash: str

    @classmethod
    def from_mapping(cls, content: Mapping[str, Any]) -> NameRules:
        """Build from the data's mapping (the shipped TOML or a signed update's content)."""
        if not isinstance(content, Mapping):
            raise NameRulesError("name rules: not a table")
        clauses: dict[str, NameClause] = {}
        raw_clauses = content.get("clauses")
        if not isinstance(raw_clauses, list) or not raw_clauses:
            raise NameRulesError("name rules: 'clauses' must be a non-empty list")
        for i, raw in enumerate(raw_clauses):
            clause = _clause(raw, f"clauses[{i}]")
            if clause.id in clauses:
                raise NameRulesError(f"name rules: clause '{clause.id}' appears twice")
            clauses[clause.id] = clause
        version = content.get("version")
        if not isinstance(version, str) or not version:
            raise NameRulesError("name rules: 'version' must be a string")
        canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, default=str)
        return cls(
            version,
            clauses,
            frozenset(_strings(content.get("other_meaning", []), "other_meaning")),
            hashlib.sha256(canonical.encode()).hexdigest(),
        )


def _strings(value: Any, where: str, normalise: bool = True) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise NameRulesError(f"name rules: {where} must be a list of words")
    return [_normal(v) for v in value] if normalise else list(value)


def _clause(raw: Any, where: str) -> NameClause:
    if not isinstance(raw, Mapping):
        raise NameRulesError(f"name rules: {where} is not a table")
    clause_id, match = raw.get("id"), raw.get("match", "contains")
    if not isinstance(clause_id, str) or not _CLAUSE_ID.match(clause_id):
        raise NameRulesError(f"name rules: {where}.id must be lower-case letters, digits and '-'")
    if match not in MATCH_KINDS:
        raise NameRulesError(f"name rules: {where}.match must be one of {', '.join(MATCH_KINDS)}")
    patterns = []
    for text in _strings(raw.get("patterns", []), f"{where}.patterns"):
        if len(text) > _MAX_PATTERN:
            raise NameRulesError(f"name rules: {where}.patterns: a pattern over {_MAX_PATTERN} characters")
        try:
            patterns.append(re.compile(text))
        except re.error as exc:
            raise NameRulesError(f"name rules: {where}.patterns: {text!r}: {exc}") from None
    together = tuple(tuple(_strings(group, f"{where}.together")) for group in raw.get("together", []))
    basis = _strings(raw.get("basis", []), f"{where}.basis", normalise=False)
    if not basis:
        raise NameRulesError(f"name rules: {where}.basis must name the article it encodes")
    return NameClause(
        clause_id,
        str(raw.get("title", clause_id)),
        tuple(basis),
        match,
        frozenset(_strings(raw.get("words", []), f"{where}.words")),
        tuple(patterns),
        tuple(sorted(_strings(raw.get("allow", []), f"{where}.allow"), key=len, reverse=True)),
        together,
        bool(raw.get("own_name_exempt", False)),
    )


def _normal(text: str) -> str:
    """NFKC with spaces removed: full-width letters and stray spaces hide nothing."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@cache
def shipped_name_rules() -> NameRules:
    """The name rules shipped with the software (in force until the centre publishes newer)."""
    return NameRules.from_mapping(tomllib.loads(NAME_RULES_FILE.read_text(encoding="utf-8")))


class NameChecker:
    """Finds the word that breaks a clause; built once per rules and division-name set."""

    def __init__(self, rules: NameRules, division_names: Iterable[str]) -> None:
        self.rules = rules
        self.division_names = frozenset(_normal(n) for n in division_names if len(n) >= 2)
        self._longest = {c.id: max((len(w) for w in c.words), default=0) for c in rules.clauses.values()}
        self._longest_division = max((len(n) for n in self.division_names), default=0)

    def hit(
        self, clause_id: str, trade_name: str, industry: str = "", form: str = "", own_name: str = ""
    ) -> str:
        """The word of the name that breaks clause `clause_id`, or '' when it holds.

        An unknown clause id raises KeyError: a rule naming a clause the data lacks is a fault
        in rule data, which sends the case to a person rather than approving it.
        """
        clause = self.rules.clauses[clause_id]
        trade = _normal(trade_name or "")
        if not trade:
            return ""  # a business without a name breaks no name rule
        if clause.own_name_exempt and own_name and trade == _normal(own_name):
            return ""
        if clause.match == "division":
            return self._division_hit(trade)
        if clause.match == "traditional":
            return _first_traditional(trade)
        if clause.match == "equals":
            return trade if trade in clause.words else ""
        text = trade + _normal(industry or "") + _normal(form or "")
        for allowed in clause.allow:
            text = text.replace(allowed, "·")
        found = _first_word(text, clause.words, self._longest[clause.id])
        if found:
            return found
        for pattern in clause.patterns:
            match = pattern.search(text)
            if match:
                return match.group(0)
        for group in clause.together:
            if all(word in text for word in group):
                return "”和“".join(group)
        return ""

    def _division_hit(self, trade: str) -> str:
        """A division name as the 字号, or opening it before a 字号 of its own (淄川华星)."""
        if trade in self.division_names and trade not in self.rules.other_meaning:
            return trade
        for size in range(min(self._longest_division, len(trade) - 2), 1, -1):
            head = trade[:size]
            if head in self.division_names and head not in self.rules.other_meaning:
                return head
        return ""


@cache
def _to_simplified() -> Any:
    import opencc  # the OpenCC project's own tables: traditional → simplified, phrase by phrase

    return opencc.OpenCC("t2s")


def _first_traditional(text: str) -> str:
    """The first character the standard simplified form writes differently (聯 → 联), or ''."""
    simplified = _to_simplified().convert(text)
    if len(simplified) != len(text):
        return text if simplified != text else ""
    return next((a for a, b in zip(text, simplified, strict=True) if a != b), "")


def _first_word(text: str, words: frozenset[str], longest: int) -> str:
    """The earliest, then longest, listed word inside `text` (every substring looked up once)."""
    for start in range(len(text)):
        for end in range(min(len(text), start + longest), start, -1):
            if text[start:end] in words:
                return text[start:end]
    return ""
