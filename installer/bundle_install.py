"""Install a verified bundle's contents with no network: its Debian packages that the terminal
lacks, the release folder, and the release's Python environment from the bundle's wheels.

Runs with the system's python3 and its standard library only (on a first install nothing else is
there yet); `install.sh --bundle` calls it after `python -m installer.bundle verify` passed:

    python3 -m installer.bundle_install install FOLDER [--prefix P]   # prints the release folder
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from installer.bundle import CENTRE_KEY, MANIFEST, SUMS, BundleError, read_manifest

OPT = Path("opt/township-kiosk")
INSTALLED_FROM = ".bundle-sums"  # in the release folder: the SHA256SUMS it was installed from
BUNDLE_CENTRE_KEY = "bundle-centre.pem"  # in the release folder: the key its bundle was verified with


def _deb_fields(deb: Path) -> tuple[str, str]:
    fields_of = ["dpkg-deb", "-f", str(deb), "Package", "Version"]
    out = subprocess.run(fields_of, capture_output=True, text=True, check=True)
    fields = dict(line.split(": ", 1) for line in out.stdout.splitlines() if ": " in line)
    return fields["Package"], fields["Version"]


def _installed_version(package: str) -> str:
    query = ["dpkg-query", "-W", "-f=${Status} ${Version}", package]
    out = subprocess.run(query, capture_output=True, text=True)
    status, _, version = out.stdout.rpartition(" ")
    return version if out.returncode == 0 and "install ok installed" in status else ""


def debs_needed(debs: Path) -> list[Path]:
    """The bundle's packages this system lacks, or has only in an older version."""
    needed = []
    for deb in sorted(debs.glob("*.deb")):
        package, version = _deb_fields(deb)
        have = _installed_version(package)
        older = have and subprocess.run(["dpkg", "--compare-versions", have, "lt", version]).returncode == 0
        if not have or older:
            needed.append(deb)
    return needed


def install_debs(folder: Path, on_terminal: bool) -> None:
    """dpkg -i what is needed, all at once (dpkg orders them); under a test prefix, only say what."""
    needed = debs_needed(folder / "debs")
    if not needed:
        print("  未变   安装包里的 Debian 软件包都已安装", file=sys.stderr)
        return
    names = " ".join(p.name.split("_", 1)[0] for p in needed)
    if not on_terminal:
        print(f"  跳过   目标不是本机根目录，不安装软件包；终端上还需要：{names}", file=sys.stderr)
        return
    print(f"  安装   {len(needed)} 个 Debian 软件包：{names}", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    done = subprocess.run(["dpkg", "-i", *map(str, needed)], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise BundleError(f"Debian 软件包安装失败（dpkg -i）：{done.stdout[-1500:]}{done.stderr[-1500:]}")


def _sums_digest(folder: Path) -> str:
    return hashlib.sha256((folder / SUMS).read_bytes()).hexdigest()


def place_release(folder: Path, prefix: Path, version: str) -> tuple[Path, bool]:
    """Move the bundle's release tree to releases/<version>; (its path, whether it was new).

    The same bundle installed again leaves the folder (and its environment) as it is; a
    different build of the same version replaces it, unless it is the release running now."""
    releases = prefix / OPT / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    target = releases / version
    digest = _sums_digest(folder)
    if target.exists():
        stamp = target / INSTALLED_FROM
        complete = (target / ".venv" / "bin" / "python").exists()
        if complete and stamp.exists() and stamp.read_text().strip() == digest:
            print(f"  未变   {target} 已是这个安装包的内容", file=sys.stderr)
            return target, False
        current = prefix / OPT / "current"
        if current.is_symlink() and Path(os.readlink(current)).resolve() == target.resolve():
            raise BundleError(f"{target} 正在运行，却与安装包内容不同：请换一个版本号的安装包")
        shutil.rmtree(target)
    shutil.move(str(folder / "release"), target)
    return target, True


def make_environment(release: Path, wheels: Path) -> None:
    """The release's .venv, from the bundle's wheels only (--no-index: no network is asked)."""
    venv = release / ".venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    python = str(venv / "bin" / "python")
    pip = [python, "-m", "pip", "install", "-q", "--no-index", "--find-links", str(wheels)]
    for args in (["--upgrade", "pip", "setuptools"], ["-e", str(release)]):
        done = subprocess.run([*pip, *args], capture_output=True, text=True, timeout=1800)
        if done.returncode != 0:
            raise BundleError(f"Python 环境安装失败（pip {' '.join(args)}）：{done.stderr[-2000:]}")
    subprocess.run(
        [python, "-m", "compileall", "-q", "-j", "0",
         *(str(release / p) for p in ("kiosk", "forms", "devices", "sync", "installer"))],
        check=True, capture_output=True,
    )  # fmt: skip
    # What bootstrap.sh looks for, so that a later install.sh (without --bundle) does not try the
    # package registries for an environment that is already complete.
    stamp = hashlib.sha256((release / "pyproject.toml").read_bytes()).hexdigest()
    (venv / ".kiosk-installed").write_text(stamp + "\n")


def install(folder: Path, prefix: Path) -> Path:
    """Everything of a verified bundle folder onto the terminal; the release folder."""
    manifest = read_manifest(folder)
    install_debs(folder, on_terminal=prefix.resolve() == Path("/"))
    release, new = place_release(folder, prefix, manifest["version"])
    if new:
        make_environment(release, folder / "wheels")
        shutil.copy2(folder / MANIFEST, release / "bundle-manifest.json")
        shutil.copy2(folder / CENTRE_KEY, release / BUNDLE_CENTRE_KEY)
        (release / INSTALLED_FROM).write_text(_sums_digest(folder) + "\n")
    return release


def main(argv: list[str] | None = None) -> int:
    """`install FOLDER [--prefix P]`: prints the release folder; exit 1 with the reason."""
    parser = argparse.ArgumentParser(prog="python3 -m installer.bundle_install")
    sub = parser.add_subparsers(dest="command", required=True)
    put = sub.add_parser("install", help="install a verified, unpacked bundle")
    put.add_argument("folder", type=Path)
    put.add_argument("--prefix", type=Path, default=Path("/"))
    args = parser.parse_args(argv)
    try:
        print(install(args.folder, args.prefix))
    except (BundleError, OSError, subprocess.SubprocessError) as exc:
        print(f"安装包安装失败：{exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
