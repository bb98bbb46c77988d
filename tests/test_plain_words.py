"""Resident-facing words come from the glossary: no hall jargon on the screens, in the voice
prompts, on the item tiles, in the outcomes, in what the items say or on anything printed
(forms/glossary.py says what to use instead)."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from forms.catalogue import load_catalogue
from forms.glossary import EXPLAINED, PLAIN
from forms.outcomes import OUTCOME_LABELS
from kiosk.voice import prompts

QML_DIR = Path(__file__).resolve().parents[1] / "kiosk" / "ui" / "qml"
_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _code(line: str) -> str:
    """The line without its // comment (a // inside a string is kept)."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"' and (index == 0 or line[index - 1] != "\\"):
            quoted = not quoted
        elif not quoted and line.startswith("//", index):
            return line[:index]
    return line


def _qml_strings() -> list[tuple[str, str]]:
    found = []
    for path in sorted(QML_DIR.rglob("*.qml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            found += [(path.name, text) for text in _LITERAL.findall(_code(line))]
    return found


def _jargon_in(text: str) -> list[str]:
    allowed = [term for term in EXPLAINED if term in text]
    stripped = text
    for term in allowed:
        stripped = stripped.replace(term, "")
    return [word for word in PLAIN if word in stripped]


def test_no_jargon_on_the_screens() -> None:
    bad = [(name, text, _jargon_in(text)) for name, text in _qml_strings() if _jargon_in(text)]
    assert bad == []


def test_a_legal_term_on_screen_comes_with_its_explanation() -> None:
    for path in QML_DIR.rglob("*.qml"):
        source = path.read_text(encoding="utf-8")
        for term, explanation in EXPLAINED.items():
            if f'"{term}"' in source:
                assert explanation in source, (path.name, term)


def test_no_jargon_in_the_voice_prompts_or_the_outcomes() -> None:
    texts = list(prompts().values()) + list(OUTCOME_LABELS.values())
    assert [t for t in texts if _jargon_in(t)] == []


def test_the_tiles_say_plainly_how_long_it_takes() -> None:
    for item in load_catalogue().values():
        assert not _jargon_in(item.standard["time_limit"]), (item.id, item.standard["time_limit"])


def test_the_glossary_offers_plain_words_only() -> None:
    for word, plain in PLAIN.items():
        assert not _jargon_in(plain), (word, plain)


@functools.cache
def _official_names() -> list[str]:
    """What the law names and a document must print as it is: each item's standard name (三级十同)
    and the titles of its legal basis; longest first, so a longer name is struck out whole."""
    names: set[str] = set()
    for item in load_catalogue().values():
        names.add(item.name)
        names.update(item.standard["legal_basis"])
    return sorted(names, key=len, reverse=True)


def _jargon_on_paper(text: str) -> list[str]:
    text = re.sub(r"\s+", "", text)  # a term may break across the lines of a page
    for name in _official_names():
        text = text.replace(re.sub(r"\s+", "", name), "")
    return _jargon_in(text)


def _pdf_text(pdf: bytes) -> str:
    import subprocess

    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_no_jargon_on_the_printed_documents_or_the_receipt() -> None:
    """Every A4 document, every item's printed guide and the receipt, read back from the PDF."""
    import datetime as dt

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from forms.layouts.certificate import render_certificate
    from forms.layouts.documents import service_guide
    from kiosk.devtools.samples import documents, receipts

    key = Ed25519PrivateKey.generate()
    printed = {name: _pdf_text(pdf) for name, pdf in documents(key).items()}
    for item in load_catalogue().values():
        guide = service_guide("ZN1", item, "淄川区便民服务中心", dt.date(2026, 12, 7), lambda *_: "sig")
        printed[f"guide-{item.id}"] = _pdf_text(render_certificate(guide))
    for name, (escpos, _paper) in receipts().items():
        printed[name] = escpos.decode("gb18030", errors="ignore")
    bad = {name: _jargon_on_paper(text) for name, text in printed.items() if _jargon_on_paper(text)}
    assert bad == {}


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_no_jargon_in_what_the_items_say() -> None:
    """Every string of every item file (labels, hints, statements, messages, remedies, the guide's
    elements, the commitment) but the names the law gives (the item's and its legal basis)."""
    import tomllib

    bad = []
    for path in sorted((Path(__file__).resolve().parents[1] / "forms" / "items").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        official = {data["standard"]["name"], *data["standard"]["legal_basis"]}
        bad += [(path.name, s) for s in _strings(data) if s not in official and _jargon_on_paper(s)]
    assert bad == []
