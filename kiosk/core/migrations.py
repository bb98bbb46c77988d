"""Numbered schema migrations of the terminal's SQLite file.

Never drop and recreate: unsynced cases live here. Each migration runs in one transaction
with the new `user_version`, so a failure leaves the file at the previous version.
"""

from __future__ import annotations

import sqlite3

V1 = """
CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    item_id TEXT NOT NULL,
    item_version TEXT NOT NULL,
    rules_version TEXT NOT NULL,
    state TEXT NOT NULL,
    outcome TEXT NOT NULL,
    personal BLOB,
    summary TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE case_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id TEXT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    at TEXT NOT NULL
) STRICT;
CREATE INDEX case_events_case ON case_events(case_id);
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_uuid TEXT NOT NULL UNIQUE,
    case_id TEXT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    payload BLOB NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""

# Version 2: counters instead of clocks for ordering and numbering, licence-number blocks
# pre-allocated by the centre, and the journal of issued documents.
V2 = """
CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) STRICT;

ALTER TABLE cases ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE cases SET seq = rowid;
UPDATE outbox SET seq = id;
INSERT INTO counters(name, value) SELECT 'case_seq', COALESCE(MAX(seq), 0) FROM cases;

CREATE TABLE licence_blocks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    block_id TEXT NOT NULL UNIQUE,
    first_serial INTEGER NOT NULL,
    last_serial INTEGER NOT NULL,
    next_serial INTEGER NOT NULL,
    CHECK (next_serial BETWEEN first_serial AND last_serial + 1)
) STRICT;

CREATE TABLE issued_documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id TEXT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    fields_hash TEXT NOT NULL,
    print_count INTEGER NOT NULL DEFAULT 0,
    recorded_at TEXT NOT NULL,
    UNIQUE (kind, number)
) STRICT;
"""

# Version 3: the reference data the rules consult, kept locally and updated by sync.
V3 = """
CREATE TABLE name_registry (
    division_code TEXT NOT NULL,
    industry TEXT NOT NULL,
    trade_name TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT 'centre',
    PRIMARY KEY (division_code, industry, trade_name)
) STRICT, WITHOUT ROWID;

CREATE TABLE dishonesty_list (
    id_hash TEXT PRIMARY KEY,
    reason TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE forbidden_words (
    word TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

CREATE TABLE business_registry (
    credit_code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    operator_id_hash TEXT NOT NULL,
    organisation_type TEXT NOT NULL DEFAULT '个人经营',
    industry TEXT NOT NULL,
    scope TEXT NOT NULL,
    premises TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'deregistered', 'abnormal')),
    has_food_filing INTEGER NOT NULL DEFAULT 0,
    registered_on TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT 'centre'
) STRICT;

CREATE TABLE scope_entries (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('general', 'licensed')),
    permit TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE reference_versions (
    name TEXT PRIMARY KEY,
    version TEXT NOT NULL,
    applied_at TEXT NOT NULL
) STRICT;
"""

# v4: the central platform's acknowledgement of each sent entry, kept as received.
V4 = """
ALTER TABLE outbox ADD COLUMN ack TEXT;
ALTER TABLE outbox ADD COLUMN sent_at TEXT;
"""

# v5: a request to the centre whose answer must not be asked for twice (a lost answer is
# fetched again with the same UUID, never doubled).
V5 = """
CREATE TABLE pending_requests (
    kind TEXT PRIMARY KEY,
    request_uuid TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
"""

# v6: photos, signatures and captured pages of a case, encrypted, until the centre holds them.
V6 = """
CREATE TABLE attachments (
    sha256 TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    length INTEGER NOT NULL,
    sealed BLOB NOT NULL,
    uploaded INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX attachments_waiting ON attachments(uploaded, created_at);
"""

# v7: which resident a case belongs to, as a keyed tag of the ID number (办件查询 by ID card);
# cases from before it are tagged when the store opens (CaseRepository.tag_untagged_cases).
V7 = """
ALTER TABLE cases ADD COLUMN applicant_tag TEXT;
CREATE INDEX cases_applicant ON cases(applicant_tag);
"""

# v8: hall staff and technicians who may unlock admin mode (PINs as slow salted hashes, the
# staff card's key sealed), and the count of wrong PINs, kept across restarts.
V8 = """
CREATE TABLE staff (
    staff_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('staff', 'technician')),
    pin_hash TEXT NOT NULL,
    card_key BLOB,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
) STRICT;
CREATE TABLE admin_lockout (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    failures INTEGER NOT NULL,
    locked_until REAL NOT NULL
) STRICT;
"""

# The retention purge and a case's outbox look entries and attachments up by case: without
# these, the first purge on a terminal with months of cases scans both tables per case.
V9 = """
CREATE INDEX outbox_case ON outbox(case_id);
CREATE INDEX attachments_case ON attachments(case_id);
"""

# v10: reference documents the centre publishes whole (the name rules, the national division
# table), kept as received; and what a scope entry needs after the licence (a filing) and which
# service items grant its permit or filing (证照联办).
V10 = """
CREATE TABLE reference_documents (
    kind TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    content TEXT NOT NULL
) STRICT;
ALTER TABLE scope_entries ADD COLUMN filing TEXT NOT NULL DEFAULT '';
ALTER TABLE scope_entries ADD COLUMN items TEXT NOT NULL DEFAULT '[]';
UPDATE scope_entries SET filing = '仅销售预包装食品经营者备案', items = '["prepackaged-food-filing"]'
    WHERE code = 'F1203';
"""

# v11: facts about the store itself: its identity (so a replaced or emptied store is noticed),
# the check value of the key its personal data is sealed with, the last full integrity check.
V11 = """
CREATE TABLE store_meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT, WITHOUT ROWID;
"""

MIGRATIONS: tuple[tuple[int, str], ...] = (
    (1, V1), (2, V2), (3, V3), (4, V4), (5, V5), (6, V6), (7, V7), (8, V8), (9, V9), (10, V10),
    (11, V11),
)
LATEST = MIGRATIONS[-1][0]


class NewerSchemaError(sqlite3.DatabaseError):
    """The file was migrated by a later release: this one must not write to it (a rolled-back
    upgrade restores the backup instead)."""


def current_version(conn: sqlite3.Connection) -> int:
    """The schema version recorded in the file."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int = LATEST) -> list[int]:
    """Apply every migration above the file's version up to `target`; return those applied."""
    found = current_version(conn)
    if found > LATEST:
        raise NewerSchemaError(f"the store is at schema {found}, newer than this release's {LATEST}")
    applied = []
    for version, script in MIGRATIONS:
        if version <= current_version(conn) or version > target:
            continue
        # executescript commits first; wrap the whole script so a failure rolls it all back.
        try:
            conn.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")
        except sqlite3.Error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied
