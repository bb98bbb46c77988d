"""The offline release bundle: built from this checkout and signed with a centre's key, installed
with no network at all (an empty network namespace: only the loopback, where the centre runs),
refused whole when one byte changed, when another key signed it for a terminal that trusts its
centre, or when its files do not match what was signed."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from installer.bundle import SUMS, BundleError, sign_folder, verify_folder
from installer.bundle_build import build
from sync.keys import load_or_create_signing_key, public_key_pem
from sync.server.process import CentralProcess, free_port
from tests.central import CentralServer
from tests.installer_root import REPO, bare_root, write_answers
from tests.test_installer_upgrade import release_copy

INSTALL = REPO / "installer" / "install.sh"
RELEASES = "opt/township-kiosk/releases"


def _key(path: Path) -> Path:
    load_or_create_signing_key(path)
    return path


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the archive, the centre key that signed it), built once for the module."""
    folder = tmp_path_factory.mktemp("bundle")
    key = _key(folder / "centre_ed25519.pem")
    return build(key, folder / "out"), key


def _install(bundle: Path, prefix: Path, *args: str, network: bool = True) -> subprocess.CompletedProcess:
    command = ["bash", str(INSTALL), "--bundle", str(bundle), "--prefix", str(prefix), *args]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=1800)


OFFLINE_SCRIPT = """
set -euo pipefail
ip link set lo up
"$PYTHON" -m sync.server.main serve --port "$PORT" --db "$DB" --attachments "$ATTACHMENTS" --key "$KEY" \
  > "$CENTRE_LOG" 2>&1 &
centre=$!
trap 'kill $centre' EXIT
for _ in $(seq 200); do
  "$PYTHON" -c "import httpx, sys; httpx.get('http://127.0.0.1:$PORT/v1/health', timeout=1)" 2>/dev/null && break
  sleep 0.1
done
# What this namespace can reach: nothing but itself.
ip -o link show | grep -v ' lo:' && { echo 'a network device besides lo' >&2; exit 3; }
bash "$INSTALL" --bundle "$BUNDLE" --prefix "$PREFIX" --answers "$ANSWERS" --non-interactive install
"""


def test_a_terminal_installs_from_the_bundle_with_no_network(tmp_path: Path, bundle: tuple[Path, Path]) -> None:
    archive, key = bundle
    centre = CentralProcess(tmp_path / "centre", port=free_port())
    centre.key.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(key, centre.key)  # the centre that signed the bundle
    code = centre.enrolment_code("370302")
    prefix = bare_root(tmp_path / "root")
    answers = write_answers(tmp_path / "answers.toml", centre.url, code)
    env = {
        **os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHON": sys.executable, "PORT": str(centre.port),
        "DB": centre.database, "ATTACHMENTS": str(centre.attachments), "KEY": str(centre.key),
        "CENTRE_LOG": str(tmp_path / "centre.log"), "INSTALL": str(INSTALL), "BUNDLE": str(archive),
        "PREFIX": str(prefix), "ANSWERS": str(answers),
    }  # fmt: skip
    done = subprocess.run(
        ["unshare", "--net", "bash", "-c", OFFLINE_SCRIPT], capture_output=True, text=True, env=env, timeout=1800
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    release = prefix / RELEASES / "0.1.0"
    assert os.readlink(prefix / "opt/township-kiosk/current") == str(release)
    assert (release / "bundle-centre.pem").read_text() == public_key_pem(load_or_create_signing_key(key))
    assert (prefix / "var/lib/township-kiosk/trust/central.pem").exists()  # enrolled
    assert not (release / "kiosk" / "devtools").exists()  # a terminal runs without the tooling
    assert any((release / "assets" / "voice" / "generated").glob("*.wav"))
    # Its own environment runs the kiosk: Qt, OpenCV, the face models, from the bundle's wheels.
    check = [str(release / ".venv/bin/python"), "-c", "import PySide6.QtQuick, cv2, dlib, kiosk.ui.app"]
    assert subprocess.run(["unshare", "--net", *check], capture_output=True, timeout=300).returncode == 0


def _flip_byte_inside(archive: Path, member_suffix: str, into: Path) -> Path:
    """A copy of the archive with one byte of a member's contents changed (the tar stays valid)."""
    with tarfile.open(archive) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith(member_suffix))
    damaged = into / archive.name
    shutil.copy(archive, damaged)
    with damaged.open("r+b") as f:
        f.seek(member.offset_data + member.size // 2)
        byte = f.read(1)
        f.seek(-1, os.SEEK_CUR)
        f.write(bytes([byte[0] ^ 0x01]))
    return damaged


@pytest.mark.parametrize("member", ["release/forms/rules.py", "debs/", "wheels/"], ids=["code", "deb", "wheel"])
def test_a_bundle_with_one_byte_changed_is_refused(tmp_path: Path, bundle: tuple[Path, Path], member: str) -> None:
    archive, _ = bundle
    with tarfile.open(archive) as tar:
        name = next(m.name for m in tar.getmembers() if m.isfile() and member in m.name)
    damaged = _flip_byte_inside(archive, name, tmp_path)
    prefix = bare_root(tmp_path / "root")
    done = _install(damaged, prefix, "--non-interactive", "install")
    assert done.returncode != 0
    assert "校验值不符" in done.stderr and name.split("/", 1)[1] in done.stderr
    assert not (prefix / RELEASES).exists() or not any((prefix / RELEASES).iterdir())


# ---- the checks themselves, on a small folder --------------------------------------------------


@pytest.fixture
def signed(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "township-kiosk-9.9.9"
    (folder / "release").mkdir(parents=True)
    (folder / "release" / "a.py").write_text("print('a')\n")
    (folder / "manifest.json").write_text('{"product": "township-kiosk", "format": 1, "version": "9.9.9"}')
    key = _key(tmp_path / "centre.pem")
    (folder / "centre.pem").write_text(public_key_pem(load_or_create_signing_key(key)))
    sign_folder(folder, key.read_bytes())
    return folder, key


def test_a_signed_folder_verifies_with_its_centre_key(signed: tuple[Path, Path]) -> None:
    folder, key = signed
    trusted = public_key_pem(load_or_create_signing_key(key))
    assert verify_folder(folder, trusted)["version"] == "9.9.9"
    assert verify_folder(folder, None)["version"] == "9.9.9"  # a first install: its own key


def test_another_centres_bundle_is_refused_where_a_centre_is_trusted(signed: tuple[Path, Path], tmp_path: Path) -> None:
    folder, _ = signed
    other = public_key_pem(load_or_create_signing_key(_key(tmp_path / "other.pem")))
    with pytest.raises(BundleError, match="另一个中心"):
        verify_folder(folder, other)
    # Re-signed by the other key with that key put in: the signature is good, the signer is not.
    (folder / "centre.pem").write_text(other)
    sign_folder(folder, (tmp_path / "other.pem").read_bytes())
    assert verify_folder(folder, None)["version"] == "9.9.9"  # alone it proves nothing (enrolment does)
    with pytest.raises(BundleError, match="另一个中心"):
        verify_folder(folder, public_key_pem(load_or_create_signing_key(tmp_path / "centre.pem")))


def test_files_added_removed_or_unsigned_are_refused(signed: tuple[Path, Path]) -> None:
    folder, _ = signed
    (folder / "release" / "extra.py").write_text("import os\n")
    with pytest.raises(BundleError, match="清单外"):
        verify_folder(folder, None)
    (folder / "release" / "extra.py").unlink()
    (folder / "release" / "a.py").unlink()
    with pytest.raises(BundleError, match="缺少"):
        verify_folder(folder, None)
    (folder / SUMS).unlink()
    with pytest.raises(BundleError, match="没有签名"):
        verify_folder(folder, None)


def test_a_link_or_a_path_out_of_the_folder_is_refused_before_anything_is_unpacked(tmp_path: Path) -> None:
    from installer.bundle import unpack

    for name, kind in (("township-kiosk-1/../../evil", tarfile.REGTYPE), ("township-kiosk-1/link", tarfile.SYMTYPE)):
        archive = tmp_path / "bad.tar"
        with tarfile.open(archive, "w") as tar:
            info = tarfile.TarInfo(name)
            info.type = kind
            info.linkname = "/etc/passwd" if kind == tarfile.SYMTYPE else ""
            tar.addfile(info, None if kind == tarfile.SYMTYPE else io.BytesIO(b""))
        into = tmp_path / "into"
        into.mkdir(exist_ok=True)
        with pytest.raises(BundleError):
            unpack(archive, into)
        assert list(into.iterdir()) == []


def test_a_release_from_a_bundle_another_key_signed_is_not_enrolled(
    tmp_path: Path, bare_centre: CentralServer
) -> None:
    # A first install trusts the bundle's own key; the enrolment then checks it is the centre's.
    release = release_copy(tmp_path / "releases" / "0.1.0")
    impostor = public_key_pem(load_or_create_signing_key(_key(tmp_path / "impostor.pem")))
    (release / "bundle-centre.pem").write_text(impostor)
    prefix = bare_root(tmp_path / "root")
    answers = write_answers(tmp_path / "answers.toml", bare_centre.url, bare_centre.enrolment_code("370302"))
    done = subprocess.run(
        [sys.executable, "-m", "installer", "--prefix", str(prefix), "--answers", str(answers),
         "--non-interactive", "install"],
        capture_output=True, text=True, cwd=release, timeout=600,
        env={**os.environ, "PYTHONPATH": str(release), "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert done.returncode != 0
    assert "安装包由另一把密钥签发" in done.stdout + done.stderr
    assert not (prefix / "var/lib/township-kiosk/keys/central.secret").exists()
