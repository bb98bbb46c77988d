"""The reference tables in the terminal's store: what the rules consult, offline.

Sync replaces them from signed updates (later); the terminal adds its own registrations in
the same transaction as the case, so a name taken here is taken before the centre hears of it.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from forms.jurisdiction import DivisionTable, shipped_division_table
from forms.name_rules import NameRules, shipped_name_rules
from forms.reference import BusinessRecord, id_hash
from forms.scope import ScopeEntry, scope_catalogue
from kiosk.core.store import Store


class SqliteReference:
    """ReferenceData over the store's tables (point lookups on primary keys)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._scope: dict[str, ScopeEntry] | None = None
        self._forbidden: frozenset[str] | None = None
        self._name_rules: NameRules | None = None
        self._divisions: DivisionTable | None = None

    def _one(self, sql: str, args: tuple[object, ...]) -> sqlite3.Row | None:
        with self.store.lock:
            row: sqlite3.Row | None = self.store.conn.execute(sql, args).fetchone()
            return row

    def trade_name_taken(self, division_code: str, industry: str, trade_name: str) -> bool:
        """True when the 字号 is registered already in the division and industry."""
        return (
            self._one(
                "SELECT 1 FROM name_registry WHERE division_code = ? AND industry = ? AND trade_name = ?",
                (division_code, industry, trade_name),
            )
            is not None
        )

    def dishonesty_entry(self, id_number: str) -> str | None:
        """The reason an operator is on the serious-dishonesty list, or None."""
        row = self._one("SELECT reason FROM dishonesty_list WHERE id_hash = ?", (id_hash(id_number),))
        return row[0] if row else None

    def extra_forbidden_words(self) -> frozenset[str]:
        """Offensive or misleading words synced from the centre."""
        if self._forbidden is None:
            with self.store.lock:
                self._forbidden = frozenset(
                    r[0] for r in self.store.conn.execute("SELECT word FROM forbidden_words")
                )
        return self._forbidden

    def scope_entries(self) -> Mapping[str, ScopeEntry]:
        """The business-scope catalogue from its table (seeded from the shipped file)."""
        if self._scope is None:
            with self.store.lock:
                rows = self.store.conn.execute(
                    "SELECT code, name, kind, permit, filing, items FROM scope_entries ORDER BY rowid"
                )
                self._scope = {
                    r[0]: ScopeEntry(r[0], r[1], r[2], r[3], r[4], tuple(json.loads(r[5]))) for r in rows
                }
        return self._scope

    def name_rules(self) -> NameRules:
        """The centre's latest name rules, or the shipped ones before any update arrived."""
        if self._name_rules is None:
            content = self._document("name_rules")
            self._name_rules = NameRules.from_mapping(content) if content else shipped_name_rules()
        return self._name_rules

    def division_table(self) -> DivisionTable:
        """The centre's latest division table, or the shipped one before any update arrived."""
        if self._divisions is None:
            content = self._document("division_table")
            self._divisions = DivisionTable.from_mapping(content) if content else shipped_division_table()
        return self._divisions

    def _document(self, kind: str) -> dict[str, Any] | None:
        row = self._one("SELECT content FROM reference_documents WHERE kind = ?", (kind,))
        return json.loads(row[0]) if row else None

    def business(self, credit_code: str) -> BusinessRecord | None:
        """A registered business by its credit code."""
        row = self._one(
            "SELECT * FROM business_registry WHERE credit_code = ?", (credit_code.strip().upper(),)
        )
        if row is None:
            return None
        return BusinessRecord(
            row["credit_code"],
            row["name"],
            row["operator_id_hash"],
            row["industry"],
            tuple(json.loads(row["scope"])),
            row["premises"],
            row["status"],
            bool(row["has_food_filing"]),
        )

    def business_details(self, credit_code: str) -> dict[str, str] | None:
        """The registry row as a mapping (for documents: organisation type, registration date)."""
        row = self._one("SELECT * FROM business_registry WHERE credit_code = ?", (credit_code,))
        return dict(row) if row else None

    def forget_cached(self) -> None:
        """Drop cached scope and word lists after an update."""
        self._scope = None
        self._forbidden = None
        self._name_rules = None
        self._divisions = None


def seed_scope_catalogue(store: Store, entries: Iterable[ScopeEntry] | None = None) -> int:
    """Fill an empty scope table from the shipped catalogue file; returns rows added."""
    with store.transaction() as conn:
        if conn.execute("SELECT COUNT(*) FROM scope_entries").fetchone()[0]:
            return 0
        rows = [
            (e.code, e.name, e.kind, e.permit, e.filing, json.dumps(list(e.items)))
            for e in (entries or scope_catalogue().values())
        ]
        conn.executemany(
            "INSERT INTO scope_entries(code, name, kind, permit, filing, items) VALUES (?,?,?,?,?,?)", rows
        )
        return len(rows)


def load_demo_reference(store: Store, path: Path) -> None:
    """Demo mode: registered names, businesses and a dishonesty entry for the synthetic residents."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    with store.transaction() as conn:
        if conn.execute("SELECT 1 FROM reference_versions WHERE name = 'demo'").fetchone():
            return
        conn.executemany(
            "INSERT OR IGNORE INTO name_registry(division_code, industry, trade_name, source) "
            "VALUES (?,?,?, 'demo')",
            [(n["division"], n["industry"], n["trade_name"]) for n in data.get("names", [])],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO dishonesty_list(id_hash, reason) VALUES (?,?)",
            [(id_hash(d["id_number"]), d["reason"]) for d in data.get("dishonest", [])],
        )
        for b in data.get("businesses", []):
            conn.execute(
                "INSERT OR IGNORE INTO business_registry(credit_code, name, operator_id_hash,"
                " organisation_type, industry, scope, premises, status, has_food_filing,"
                " registered_on, source)"
                " VALUES (?,?,?,?,?,?,?,?,?,?, 'demo')",
                (
                    b["credit_code"],
                    b["name"],
                    id_hash(b["operator_id_number"]),
                    b.get("organisation_type", "个人经营"),
                    b["industry"],
                    json.dumps(b["scope"]),
                    b["premises"],
                    b["status"],
                    int(b.get("food_filing", False)),
                    b["registered_on"],
                ),
            )
        conn.execute(
            "INSERT INTO reference_versions(name, version, applied_at) VALUES ('demo', '1', ?)",
            (dt.datetime.now().isoformat(timespec="seconds"),),
        )
