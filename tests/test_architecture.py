"""The dependency rules of ARCHITECTURE.md, checked on the source and at run time."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("kiosk", "devices", "forms", "sync", "installer")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_qt_is_imported_only_under_kiosk_ui() -> None:
    """The product's Qt stays in kiosk.ui; the tooling that drives the UI (kiosk.devtools) may use it."""
    offenders = []
    for package in PACKAGES:
        for path in python_files(package):
            if path.is_relative_to(ROOT / "kiosk" / "ui") or path.is_relative_to(ROOT / "kiosk" / "devtools"):
                continue
            if imported_modules(path) & {"PySide6", "shiboken6"}:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_import_test_would_catch_an_offender(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\n")
    assert "PySide6" in imported_modules(bad)


def test_forms_is_pure_python() -> None:
    for path in python_files("forms"):
        forbidden = imported_modules(path) & {"kiosk", "devices", "sync", "httpx", "socket", "PySide6"}
        assert not forbidden, f"{path.relative_to(ROOT)} imports {forbidden}"


def test_sync_and_devices_do_not_import_the_application() -> None:
    for package in ("sync", "devices"):
        for path in python_files(package):
            assert "kiosk" not in imported_modules(path), path.relative_to(ROOT)


def test_the_core_runs_without_loading_qt() -> None:
    code = (
        "import sys, kiosk.services, kiosk.cli, sync.outbox, devices.factory, forms.rules;"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
