"""A parked-case export opens only with its terminal's secret and only as written."""

import json

import pytest

from sync.parked_export import ExportError, export_terminal, open_export, seal_export

ENTRIES = [{"entry_uuid": "u1", "case_id": "c1", "kind": "case", "seq": 1, "body": {"applicant": "王建国"}}]


def test_an_export_opens_with_its_terminals_secret_only() -> None:
    data = seal_export("ZC-370302-007", b"s" * 32, ENTRIES)
    assert "王建国".encode() not in data and export_terminal(data) == "ZC-370302-007"
    assert open_export(data, b"s" * 32) == ENTRIES
    with pytest.raises(ExportError):
        open_export(data, b"t" * 32)


def test_a_file_claiming_another_terminal_or_another_format_is_refused() -> None:
    envelope = json.loads(seal_export("ZC-370302-007", b"s" * 32, ENTRIES))
    envelope["terminal"] = "ZC-370302-008"
    with pytest.raises(ExportError):
        open_export(json.dumps(envelope).encode(), b"s" * 32)  # the terminal is bound into the seal
    for junk in (b"", b"[]", b'{"format": "other"}', "不是文件".encode()):
        with pytest.raises(ExportError):
            export_terminal(junk)
