"""Signed updates from the reference server: applied whole when authentic and newer, refused
otherwise with the catalogue and lists in force untouched."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from forms.catalogue import ITEMS_DIR
from forms.reference import id_hash
from kiosk.core.reference_store import SqliteReference
from kiosk.core.store import Store
from kiosk.core.updates import catalogue_dir, fetch_updates, load_catalogue_in_force
from sync.client import CentralClient
from sync.keys import load_public_key
from tests.central import CentralServer
from tests.test_sync import TERMINAL

LISTED = "370302198001010011"  # synthetic, valid check character


@pytest.fixture
def central(tmp_path: Path, central_database: str | None) -> Iterator[CentralServer]:
    server = CentralServer(tmp_path / "central", database=central_database)
    server.db.parent.mkdir(parents=True)
    server.secret = server.enrol(TERMINAL)
    server.key = tmp_path / "central" / "centre.pem"
    server.start()
    yield server
    server.stop()


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[tuple[Store, Path]]:
    data_dir = tmp_path / "terminal"
    store = Store.open(data_dir)
    yield store, data_dir
    store.close()


def publish(central: CentralServer, kind: str, content: dict, tmp_path: Path) -> None:
    path = tmp_path / f"{kind}.json"
    path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    run = [sys.executable, "-m", "sync.server.main"]
    subprocess.run(
        [*run, "publish", kind, str(path), "--key", str(central.key), "--db", central.database], check=True
    )


def centre_public_key(central: CentralServer):  # noqa: ANN201
    run = [sys.executable, "-m", "sync.server.main", "public-key", "--key", str(central.key)]
    return load_public_key(subprocess.run(run, capture_output=True, check=True).stdout)


def fetch(central: CentralServer, terminal: tuple[Store, Path], key=None) -> dict[str, str]:  # noqa: ANN001
    store, data_dir = terminal
    client = CentralClient(central.url, TERMINAL, central.secret)
    return fetch_updates(client, store, data_dir, key or centre_public_key(central))


def tamper(central: CentralServer, kind: str, change) -> None:  # noqa: ANN001
    """Change the newest published document in the centre's database, behind its signature."""

    def rewrite(tx) -> None:  # noqa: ANN001
        version, text = tx.execute(
            "SELECT version, document FROM updates WHERE kind = ? ORDER BY version DESC LIMIT 1", (kind,)
        ).fetchone()
        document = json.loads(text)
        change(document)
        tx.execute(
            "UPDATE updates SET document = ? WHERE kind = ? AND version = ?",
            (json.dumps(document, ensure_ascii=False), kind, version),
        )

    central.store().db.transaction(rewrite)


def dishonesty(store: Store) -> str | None:
    return SqliteReference(store).dishonesty_entry(LISTED)


def test_a_signed_list_update_is_applied_once_then_the_terminal_is_current(
    central, terminal, tmp_path
) -> None:
    publish(
        central,
        "dishonesty_list",
        {"entries": [{"id_hash": id_hash(LISTED), "reason": "列入严重违法失信名单"}]},
        tmp_path,
    )
    assert fetch(central, terminal)["dishonesty_list"] == "applied v1"
    assert dishonesty(terminal[0]) == "列入严重违法失信名单"
    assert fetch(central, terminal) == {
        "catalogue": "none",
        "name_registry": "none",
        "dishonesty_list": "current",
        "name_rules": "none",
        "division_table": "none",
    }


def test_the_centre_tightens_the_name_rules_and_the_terminal_refuses_the_word_from_then_on(
    central, terminal, tmp_path
) -> None:
    """A county adds a word to a clause: after one sync the terminal's engine refuses it, with
    the clause's message; before, the shipped rules approved it."""
    import tomllib

    from forms.name_rules import NAME_RULES_FILE
    from forms.rules import Engine

    store, _ = terminal
    reference = SqliteReference(store)
    engine = Engine(reference, "370302", "淄川区", unprintable=lambda texts: [])
    hit = engine.functions["name_hit"]
    assert hit("misleading", "金牌", "百货", "店", "王建国") == ""
    content = tomllib.loads(NAME_RULES_FILE.read_text(encoding="utf-8"))
    content["version"] = "2027.1.1"
    next(c for c in content["clauses"] if c["id"] == "misleading")["words"].append("金牌")
    publish(central, "name_rules", content, tmp_path)
    assert fetch(central, terminal)["name_rules"] == "applied v1"
    reference.forget_cached()
    assert hit("misleading", "金牌", "百货", "店", "王建国") == "金牌"
    assert reference.name_rules().version == "2027.1.1"


def test_name_rules_that_do_not_parse_are_refused_and_the_rules_in_force_stay(
    central, terminal, tmp_path
) -> None:
    publish(central, "name_rules", {"version": "x", "clauses": [{"id": "Bad Id", "basis": []}]}, tmp_path)
    outcome = fetch(central, terminal)["name_rules"]
    assert outcome.startswith("refused: name_rules:"), outcome
    assert SqliteReference(terminal[0]).name_rules().version == "2026.12.1"


def test_a_division_table_update_moves_the_authority_area(central, terminal, tmp_path) -> None:
    """The centre publishes the division table: a county renamed there is the name the terminal
    then tells the resident."""
    from forms.jurisdiction import TABLE_FILE

    content = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
    text = json.dumps(content, ensure_ascii=False).replace('"370406": "山亭区"', '"370406": "山亭新城区"')
    publish(central, "division_table", json.loads(text), tmp_path)
    assert fetch(central, terminal)["division_table"] == "applied v1"
    table = SqliteReference(terminal[0]).division_table()
    assert table.area("370406").authority == "枣庄市山亭新城区市场监督管理局"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            lambda d: d["content"]["entries"].append({"id_hash": "0" * 64, "reason": "forged"}),
            "bad_signature",
        ),
        (lambda d: d.update(signature=""), "unsigned"),
        (lambda d: d.update(version=d["version"] + 5), "bad_signature"),
    ],
    ids=["tampered", "unsigned", "version-bumped"],
)
def test_a_tampered_or_unsigned_list_is_refused_and_the_list_in_force_stays(
    central, terminal, tmp_path, change, reason
) -> None:
    publish(central, "dishonesty_list", {"entries": [{"id_hash": id_hash(LISTED), "reason": "v1"}]}, tmp_path)
    fetch(central, terminal)
    publish(central, "dishonesty_list", {"entries": []}, tmp_path)
    tamper(central, "dishonesty_list", change)
    assert fetch(central, terminal)["dishonesty_list"] == f"refused: {reason}"
    assert dishonesty(terminal[0]) == "v1"


def test_an_update_signed_by_another_key_is_refused(central, terminal, tmp_path) -> None:
    publish(
        central,
        "name_registry",
        {"names": [{"division": "370302", "industry": "百货", "trade_name": "光明"}]},
        tmp_path,
    )
    other = Ed25519PrivateKey.generate().public_key()
    assert fetch(central, terminal, other)["name_registry"] == "refused: bad_signature"


def _catalogue(rename: str = "") -> dict:
    items = {p.name: p.read_text(encoding="utf-8") for p in sorted(ITEMS_DIR.glob("*.toml"))}
    first = next(iter(items))
    if rename:
        items[first] = items[first].replace('name = "个体工商户设立登记"', f'name = "{rename}"', 1)
    return {"items": items}


def test_a_catalogue_update_switches_the_items_in_force(central, terminal, tmp_path) -> None:
    store, data_dir = terminal
    publish(central, "catalogue", _catalogue("个体工商户设立登记（新版）"), tmp_path)
    assert fetch(central, terminal)["catalogue"] == "applied v1"
    assert catalogue_dir(data_dir) != ITEMS_DIR
    assert (
        load_catalogue_in_force(data_dir)["individual-business-registration"].name
        == "个体工商户设立登记（新版）"
    )


@pytest.mark.parametrize("bad", ["tampered", "broken-item"])
def test_a_bad_catalogue_is_refused_and_the_catalogue_in_force_stays(
    central, terminal, tmp_path, bad
) -> None:
    store, data_dir = terminal
    publish(central, "catalogue", _catalogue("第一版"), tmp_path)
    fetch(central, terminal)
    if bad == "tampered":
        publish(central, "catalogue", _catalogue("第二版"), tmp_path)
        tamper(central, "catalogue", lambda d: d["content"]["items"].update({"99_extra.toml": "id = 'x'"}))
    else:  # signed by the centre, yet an item does not load: refused all the same
        broken = _catalogue("第二版")
        broken["items"]["99_broken.toml"] = "this is [not toml"
        publish(central, "catalogue", broken, tmp_path)
    outcome = fetch(central, terminal)["catalogue"]
    assert outcome.startswith("refused: ")
    assert load_catalogue_in_force(data_dir)["individual-business-registration"].name == "第一版"
    assert not list((data_dir / "catalogue").glob(".*staging"))
