import json
import logging
from pathlib import Path

from forms.privacy import mask_id_number, mask_name, mask_text
from kiosk.logs import configure_logging


def test_masking_functions() -> None:
    assert mask_id_number("370302197503080116") == "3703**********0116"
    assert mask_name("王建国") == "王**"
    assert mask_name("阿依古丽·买买提").startswith("阿*")
    assert mask_text("id 37030219900101007X phone 13912345678.") == "id 3703**********007X phone 139****5678."


def test_log_lines_are_json_and_masked(tmp_path: Path) -> None:
    import escpos.printer  # noqa: F401  (calls logging.basicConfig at import)

    path = configure_logging(tmp_path)
    log = logging.getLogger("test.masking")
    log.warning("read card 370302197503080116 phone 13912345678", extra={"id": "370302197503080116"})
    for handler in logging.getLogger().handlers:
        handler.flush()
    entry = json.loads(path.read_text(encoding="utf-8").strip().splitlines()[-1])
    assert entry["msg"] == "read card 3703**********0116 phone 139****5678"
    assert entry["id"] == "3703**********0116"
    assert entry["level"] == "WARNING"
    # The unmasked stderr handler python-escpos installs is gone; ours masks.
    console = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)
    ]
    assert len(console) == 1
    record = logging.LogRecord("x", logging.WARNING, "", 0, "id 370302197503080116", (), None)
    assert "370302197503080116" not in console[0].format(record)
