"""The installer run into a temporary root as a technician runs it: every file it writes is in
its manifest with the right digest, mode and owner; the unit passes systemd-analyze verify; a
second run changes nothing; a dry run writes nothing; enrolment works once."""

from __future__ import annotations

import configparser
import hashlib
import os
import subprocess
from pathlib import Path

import pytest

from kiosk.config import load_config
from tests.central import CentralServer
from tests.installer_root import USER_DATABASE, bare_root, kiosk_uid, run_installer, write_answers

SETTLED = ("etc/", "opt/", "var/lib/township-kiosk/keys/", "var/lib/township-kiosk/trust/")


@pytest.fixture
def centre(bare_centre: CentralServer) -> CentralServer:
    return bare_centre


@pytest.fixture
def installed(tmp_path: Path, centre: CentralServer) -> tuple[Path, Path, subprocess.CompletedProcess]:
    prefix = bare_root(tmp_path / "root")
    answers = write_answers(
        tmp_path / "answers.toml",
        centre.url,
        centre.enrolment_code("370302"),
        printing={"licence_mode": "overlay"},
        installer={"calibration_offset_x_mm": 1.5, "calibration_offset_y_mm": -0.5},
    )
    result = run_installer(prefix, "--answers", str(answers), "--non-interactive", "install")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    return prefix, answers, result


def files_under(prefix: Path) -> dict[str, Path]:
    """Every file and link below the prefix, by its path on the terminal."""
    found = {}
    for root, dirs, files in os.walk(prefix):
        for name in files + [d for d in dirs if Path(root, d).is_symlink()]:
            path = Path(root, name)
            found["/" + str(path.relative_to(prefix))] = path
    return found


def test_every_file_written_is_in_the_manifest_with_its_digest_mode_and_owner(installed) -> None:
    prefix, _, _ = installed
    import json

    manifest = json.loads((prefix / "var/lib/township-kiosk/installer/manifest.json").read_text())
    uid, gid = kiosk_uid(prefix)
    owners = {"root": (0, 0), "kiosk": (uid, gid), "root:kiosk": (0, gid)}
    on_disk = files_under(prefix)
    printed = {p for p in on_disk if p.startswith("/var/lib/township-kiosk/spool/")}
    assert len(printed) == 2  # the calibration page and the check page went to the (simulated) A4 printer
    [check] = [p for p in printed if "核对页" in p]
    text = subprocess.run(["pdftotext", on_disk[check], "-"], capture_output=True, text=True).stdout
    assert "营业执照套打核对页" in text and "水平 +1.5 mm，垂直 -0.5 mm" in text
    unaccounted = set(on_disk) - set(manifest) - {f"/{p}" for p in USER_DATABASE} - printed
    unaccounted.discard("/etc/os-release")  # the bare machine's own
    unaccounted.discard("/var/lib/township-kiosk/installer/manifest.json")
    assert unaccounted == set()
    for target, entry in manifest.items():
        path = prefix / target.lstrip("/")
        if "link" in entry:
            assert os.readlink(path) == entry["link"], target
            continue
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], target
        info = path.stat()
        assert f"{info.st_mode & 0o7777:o}" == entry["mode"], target
        assert (info.st_uid, info.st_gid) == owners[entry["owner"]], target
    for secret in ("central.secret", "store.key", "terminal_ed25519.pem"):
        entry = manifest[f"/var/lib/township-kiosk/keys/{secret}"]
        assert (entry["mode"], entry["owner"]) == ("600", "kiosk")
    keys = prefix / "var/lib/township-kiosk/keys"
    assert f"{keys.stat().st_mode & 0o777:o}" == "700" and keys.stat().st_uid == uid
    # The manifest itself lists where the keys are: root's alone.
    assert (prefix / "var/lib/township-kiosk/installer").stat().st_uid == 0


def test_the_configuration_is_the_answers_checked_as_the_kiosk_checks_them(installed, centre) -> None:
    prefix, _, _ = installed
    path = prefix / "etc/township-kiosk/kiosk.toml"
    config = load_config(path)
    assert (config.terminal_id, config.division_code, config.central_url) == ("ZC-370302-0007", "370302", centre.url)
    assert config.hall_name == "淄川区般阳路街道便民服务中心" and config.demo is False
    assert str(config.data_dir) == "/var/lib/township-kiosk"
    assert (config.printing.licence_mode, config.printing.overlay_offset_x_mm, config.printing.overlay_offset_y_mm) == (
        "overlay",
        1.5,
        -0.5,
    )
    assert "enrolment_code" not in path.read_text()  # the installer's answers stay out of the terminal's file
    users = (prefix / "etc/passwd").read_text()
    [kiosk] = [line for line in users.splitlines() if line.startswith("kiosk:")]
    assert kiosk.endswith(":/var/lib/township-kiosk:/usr/sbin/nologin")
    assert "kiosk" in next(line for line in (prefix / "etc/group").read_text().splitlines() if line.startswith("dialout:"))


def test_the_unit_runs_the_kiosk_under_cage_with_a_watchdog_and_passes_systemd_analyze(installed) -> None:
    prefix, _, _ = installed
    unit = prefix / "etc/systemd/system/township-kiosk.service"
    text = unit.read_text()
    for line in (
        "Type=notify",
        "NotifyAccess=all",
        "WatchdogSec=30",
        "Restart=always",
        "User=kiosk",
        "PAMName=township-kiosk",
        "ExecStart=/usr/bin/cage -d -- /opt/township-kiosk/current/.venv/bin/kiosk run --config /etc/township-kiosk/kiosk.toml",
        "WantedBy=graphical.target",
    ):
        assert line in text.splitlines(), line
    verify = subprocess.run(["systemd-analyze", "verify", "--man=no", str(unit)], capture_output=True, text=True)
    assert (verify.returncode, verify.stdout + verify.stderr) == (0, "")
    wants = prefix / "etc/systemd/system/graphical.target.wants/township-kiosk.service"
    assert os.readlink(wants) == "/etc/systemd/system/township-kiosk.service"
    pam = (prefix / "etc/pam.d/township-kiosk").read_text()
    assert "pam_systemd.so" in pam
    journald = configparser.ConfigParser()
    journald.read(prefix / "etc/systemd/journald.conf.d/township-kiosk.conf")
    assert journald["Journal"]["SystemMaxUse"] == "200M"
    assert os.readlink(prefix / "opt/township-kiosk/current") == str(Path(__file__).resolve().parents[1])


def test_a_second_run_changes_nothing_but_adds_its_reports(installed) -> None:
    prefix, answers, _ = installed
    before = {target: _state(path) for target, path in files_under(prefix).items()}
    again = run_installer(prefix, "--answers", str(answers), "--non-interactive", "install")
    assert again.returncode == 0, again.stdout[-3000:]
    assert "已注册：中心" in again.stdout  # the used code is not tried again: the stored secret still signs
    after = files_under(prefix)
    for target, state in before.items():
        if target.startswith(SETTLED):
            assert _state(after[target]) == state, target
    new = sorted(set(after) - set(before))
    assert new and all(t.startswith("/var/lib/township-kiosk/reports/") for t in new), new
    assert "改动" in again.stdout and "已是如此" in again.stdout


def _state(path: Path) -> tuple:
    if path.is_symlink():
        return ("link", os.readlink(path), path.lstat().st_mtime_ns)
    return ("file", path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_mode)


def test_a_dry_run_says_what_it_would_do_and_writes_nothing(tmp_path: Path, centre: CentralServer) -> None:
    prefix = bare_root(tmp_path / "root")
    before = {t: p.read_bytes() for t, p in files_under(prefix).items()}
    answers = write_answers(tmp_path / "answers.toml", centre.url, centre.enrolment_code("370302"))
    result = run_installer(prefix, "--answers", str(answers), "--non-interactive", "--dry-run", "install")
    assert result.returncode == 0, result.stdout[-3000:]
    assert {t: p.read_bytes() for t, p in files_under(prefix).items()} == before
    for planned in ("[演练] 将执行 useradd", "[演练] 将写入 /etc/township-kiosk/kiosk.toml", "[演练] 将用注册码"):
        assert planned in result.stdout, planned
    assert "township-kiosk.service" in result.stdout


def test_the_enrolment_code_works_once_and_a_second_terminal_using_it_is_refused(tmp_path: Path, centre: CentralServer) -> None:
    code = centre.enrolment_code("370302")
    first = bare_root(tmp_path / "first")
    answers = write_answers(tmp_path / "answers.toml", centre.url, code)
    steps = ("--only", "user,config,enrol")
    assert run_installer(first, "--answers", str(answers), "--non-interactive", "install", *steps).returncode == 0
    assert "ZC-370302-0007" in centre.store().secrets()
    second = bare_root(tmp_path / "second")
    refused = run_installer(second, "--answers", str(answers), "--non-interactive", "install", *steps)
    assert refused.returncode == 1
    assert "这个注册码已经用过" in refused.stdout
    assert not (second / "var/lib/township-kiosk/keys/central.secret").exists()
    stored = bytes.fromhex((first / "var/lib/township-kiosk/keys/central.secret").read_text().strip())
    assert centre.store().secrets()["ZC-370302-0007"] == stored  # the refused try did not re-key the first


def test_a_code_for_another_division_is_refused_before_anything_is_stored(tmp_path: Path, centre: CentralServer) -> None:
    prefix = bare_root(tmp_path / "root")
    answers = write_answers(tmp_path / "answers.toml", centre.url, centre.enrolment_code("370303"))
    result = run_installer(prefix, "--answers", str(answers), "--non-interactive", "install", "--only", "user,config,enrol")
    assert result.returncode == 1
    assert "注册码属于行政区划 370303，与配置的 370302 不一致" in result.stdout
    assert not (prefix / "var/lib/township-kiosk/keys/central.secret").exists()


def test_guided_mode_asks_re_asks_a_wrong_answer_and_writes_the_configuration(tmp_path: Path, centre: CentralServer) -> None:
    prefix = bare_root(tmp_path / "root")
    replies = [
        "ZC-370302-0007",
        "淄川区般阳路街道便民服务中心",
        "999999",  # not a division the kiosk knows: asked again
        "370302",
        "淄博市淄川区市场监督管理局",
        centre.url,
        "simulated", "simulated", "bogus", "simulated", "simulated", "simulated",  # bogus: asked again
        "",  # the licence prints in full: the default
        centre.enrolment_code("370302"),
    ]  # fmt: skip
    result = run_installer(prefix, "--guided", "install", "--only", "user,config,enrol", stdin="\n".join(replies) + "\n")
    assert result.returncode == 0, result.stdout[-3000:]
    assert "'division_code' is '999999'" in result.stdout
    assert "请从 simulated / opencv / none 中选择" in result.stdout
    config = load_config(prefix / "etc/township-kiosk/kiosk.toml")
    assert config.division_code == "370302" and config.devices.camera == "simulated"
    assert config.printing.licence_mode == "full"
    assert (prefix / "var/lib/township-kiosk/keys/central.secret").exists()


def test_a_missing_answer_stops_a_non_interactive_run_naming_it(tmp_path: Path) -> None:
    prefix = bare_root(tmp_path / "root")
    answers = tmp_path / "answers.toml"
    answers.write_text('terminal_id = "ZC-370302-0007"\n', encoding="utf-8")
    result = run_installer(prefix, "--answers", str(answers), "--non-interactive", "install", "--only", "config")
    assert result.returncode == 1
    assert "应答文件缺少 hall_name" in result.stdout
    assert not (prefix / "etc/township-kiosk").exists()
