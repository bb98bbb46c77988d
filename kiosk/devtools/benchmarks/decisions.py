"""Decision benchmark: individual-business registrations decided against a name registry of
200,000 names and a dishonesty list of 100,000 entries in the terminal's own SQLite tables, with
the full name rules, the national division table and the fonts' character check in force,
against the same decisions over empty registries (the baseline, same run). Also the time to
load the catalogue, cold (a fresh interpreter) and warm.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from devices.demo_residents import demo_residents
from forms.catalogue import load_catalogue
from forms.facts import Applicant, TerminalFacts
from forms.ids import resident_id_check_char
from forms.reference import id_hash
from forms.rules import Engine
from kiosk.core.attachments import token_for
from kiosk.core.reference_store import SqliteReference, seed_scope_catalogue
from kiosk.core.store import Store
from kiosk.devtools.benchmarks.figures import record

NAMES, DISHONEST, DECISIONS = 200_000, 100_000, 2_000
# The signature pad's answer (a picture's token): without it every form stops at the signature
# field and the benchmark would time validation alone, never the rules.
SIGNATURE = token_for("5" * 64)
P99_TARGET_MS, LOAD_TARGET_MS = 20.0, 100.0
HAN = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
INDUSTRIES = ["百货", "超市", "便利", "理发", "美容", "五金", "服装", "水果", "早餐", "维修", "文具", "茶叶"]
DIVISIONS = ["370302", "371703", "370406"]
# Premises the resolver reads against the national division table: inside the county (with and
# without the county written), a neighbouring county, another province, and no division at all.
PREMISES = [
    "山东省淄博市淄川区般阳路街道东关村125号",
    "淄川区昆仑镇磁村8号",
    "岭子镇黄家峪村16号",
    "山东省淄博市张店区华光路100号",
    "江苏省南京市鼓楼区中山北路8号",
    "东关村125号",
]


def _fill(store: Store, rng: random.Random) -> None:
    names = {
        (rng.choice(DIVISIONS), rng.choice(INDUSTRIES), "".join(rng.choices(HAN, k=rng.randint(2, 4))))
        for _ in range(int(NAMES * 1.05))
    }
    ids = []
    for n in range(DISHONEST):
        born = dt.date(1950, 1, 1) + dt.timedelta(days=37 * (n // 1000))  # unique: a date per 1000
        first17 = f"370302{born:%Y%m%d}{n % 1000:03d}"
        ids.append((id_hash(first17 + resident_id_check_char(first17)), "benchmark entry"))
    with store.transaction() as conn:
        conn.executemany(
            "INSERT OR IGNORE INTO name_registry(division_code, industry, trade_name) VALUES (?,?,?)",
            list(names)[:NAMES],
        )
        conn.executemany("INSERT OR IGNORE INTO dishonesty_list(id_hash, reason) VALUES (?,?)", ids)


def _applications(rng: random.Random, taken: list[str]) -> list[tuple[dict, Applicant]]:
    residents = [Applicant.from_mapping(card.as_applicant()) for _, card in demo_residents().values()]
    scope = ["F1201", "F1203", "F1265", "O8011", "F1221", "H6201"]
    out = []
    for n in range(DECISIONS):
        trade = rng.choice(taken) if n % 4 == 0 else "".join(rng.choices(HAN, k=rng.randint(2, 4)))
        out.append(
            (
                {
                    "phone": "13912345678",
                    "organisation_type": "个人经营",
                    "trade_name": trade,
                    "industry": rng.choice(INDUSTRIES),
                    "organisation_form": "店",
                    "business_scope": rng.sample(scope, rng.randint(1, 3)),
                    "premises": rng.choice(PREMISES),
                    "premises_proof": rng.choice(["签署住所申报承诺", "拍摄场所使用证明"]),
                    "premises_document": rng.choice(["", "capture-1"]),
                    "signature": SIGNATURE,
                },
                rng.choice(residents),
            )
        )
    return out


def _latencies(
    store: Store, applications: list[tuple[dict, Applicant]]
) -> tuple[list[float], dict[str, int]]:
    item = load_catalogue()["individual-business-registration"]
    engine = Engine(SqliteReference(store), "370302", "淄川区")
    terminal = TerminalFacts(dt.date(2026, 11, 23), "370302", "淄川区")
    times: list[float] = []
    outcomes: dict[str, int] = {}
    for answers, applicant in applications:
        start = time.perf_counter()
        assessment = engine.assess(item, answers, applicant, terminal)
        times.append((time.perf_counter() - start) * 1000)
        key = assessment.decision.outcome if assessment.decision else "field_errors"
        outcomes[key] = outcomes.get(key, 0) + 1
    return times, outcomes


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def _cold_load_ms(code: str, env: dict[str, str] | None = None) -> float:
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
    )
    return float(out.stdout.strip())


def main() -> None:
    """Print the decision latencies and catalogue load times with their baselines."""
    rng = random.Random(20261123)
    print("\n== decisions (个体工商户设立登记, full assess: validation, facts, every rule)")
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        full, empty = Store.open(Path(tmp) / "full"), Store.open(Path(tmp) / "empty")
        for store in (full, empty):
            seed_scope_catalogue(store)
        started = time.perf_counter()
        _fill(full, rng)
        fill_s = time.perf_counter() - started
        taken = [r[0] for r in full.conn.execute("SELECT trade_name FROM name_registry LIMIT 5000")]
        names = full.conn.execute("SELECT COUNT(*) FROM name_registry").fetchone()[0]
        dishonest = full.conn.execute("SELECT COUNT(*) FROM dishonesty_list").fetchone()[0]
        applications = _applications(rng, taken)
        _latencies(full, applications[:200])  # warm caches and the statement cache
        base_times, _ = _latencies(empty, applications)
        full_times, outcomes = _latencies(full, applications)
        full.close()
        empty.close()
    print(
        f"registries: {names:,} names, {dishonest:,} dishonesty entries (filled in {fill_s:.1f} s); "
        f"{DECISIONS} decisions: {outcomes}"
    )
    if outcomes.get("field_errors", 0) > DECISIONS // 10:
        raise RuntimeError(f"forms stopped at a field ({outcomes}): it would time validation only")
    print(f"{'measure':<44} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for label, values in (("with the registries", full_times), ("baseline: empty registries", base_times)):
        print(
            f"{label:<44} {_percentile(values, 50):>8.3f} {_percentile(values, 99):>8.3f} {max(values):>8.3f}"
        )
    p99 = _percentile(full_times, 99)
    print(f"ratio p99 registries/baseline: {p99 / _percentile(base_times, 99):.2f}")
    verdict = "met" if p99 <= P99_TARGET_MS else "NOT met"
    print(f"p99 with registries: {p99:.3f} ms (target <= {P99_TARGET_MS}: {verdict})")
    base_p99 = _percentile(base_times, 99)
    record(
        "decisions",
        f"秒批 p99, {names:,} names and {dishonest:,} dishonesty entries",
        p99,
        "ms",
        P99_TARGET_MS,
        baseline=f"empty registries {base_p99:.3f} ms; ×{p99 / base_p99:.2f}",
    )

    print("\n== catalogue load (10 items, JSON Schema validation and condition checks)")
    load = (
        "import time; s = time.perf_counter(); from forms.catalogue import load_catalogue; load_catalogue(); "
        "print((time.perf_counter() - s) * 1000)"
    )
    parse = (
        "import time; s = time.perf_counter(); import tomllib, pathlib, forms; "
        "folder = pathlib.Path(forms.__file__).parent / 'items'; "
        "[tomllib.loads(p.read_text()) for p in folder.glob('*.toml')]; "
        "print((time.perf_counter() - s) * 1000)"
    )
    with tempfile.TemporaryDirectory(prefix="kiosk-schema-") as cache:
        first = [_cold_load_ms(load, {"KIOSK_CACHE_DIR": f"{cache}/{n}"}) for n in range(3)]
    cold = [_cold_load_ms(load) for _ in range(5)]
    baseline = [_cold_load_ms(parse) for _ in range(5)]
    warm = []
    for _ in range(20):
        started = time.perf_counter()
        load_catalogue()
        warm.append((time.perf_counter() - started) * 1000)
    print(f"{'measure':<52} {'median ms':>10}")
    print(f"{'cold: fresh interpreter, imports included':<52} {statistics.median(cold):>10.1f}")
    print(f"{'cold, first ever (schema validator compiled)':<52} {statistics.median(first):>10.1f}")
    print(f"{'warm: reload in a running kiosk':<52} {statistics.median(warm):>10.1f}")
    print(f"{'baseline: fresh interpreter, TOML parse only':<52} {statistics.median(baseline):>10.1f}")
    cold_ms = statistics.median(cold)
    print(f"ratio cold load/baseline: {cold_ms / statistics.median(baseline):.2f}")
    verdict = "met" if cold_ms <= LOAD_TARGET_MS else "NOT met"
    print(f"cold load: {cold_ms:.1f} ms (target <= {LOAD_TARGET_MS}: {verdict})")
    parse_ms = statistics.median(baseline)
    record(
        "catalogue",
        "load, fresh interpreter",
        cold_ms,
        "ms",
        LOAD_TARGET_MS,
        baseline=f"TOML parse only {parse_ms:.1f} ms; ×{cold_ms / parse_ms:.2f}",
    )
