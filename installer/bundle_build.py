"""Build the offline release bundle (the format: installer/bundle.py) on a machine that has the
network, for terminals that have none:

    python -m installer.bundle_build --key centre_ed25519.pem --out DIR

- the release's source tree from this checkout, without the developer tooling, with the voice
  prompts' sound files made;
- a wheel for every Python package the terminal runs, and pip and setuptools to install them
  (pip builds the packages PyPI has only as source, so the terminal needs no compiler);
- the Debian packages the terminal runs on, with their dependencies, except the base system's
  own (priority required or essential: every Debian 12 has them);
- a manifest, SHA256SUMS and its signature by the centre's key.

Downloads are kept in `--cache` (default ~/.cache/township-kiosk/bundle), so a second build
fetches only what changed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from pathlib import Path

from installer.bundle import CENTRE_KEY, FORMAT, MANIFEST, PRODUCT, sign_folder
from installer.steps.packages import RUNTIME_PACKAGES

ROOT = Path(__file__).resolve().parent.parent
RELEASE_PARTS = ("kiosk", "devices", "forms", "sync", "installer", "assets", "pyproject.toml", "README.md")
LEFT_OUT = shutil.ignore_patterns("__pycache__", "*.pyc", "devtools", "*.egg-info", "build", ".venv")
# What the bundle's own installation needs beyond the kiosk's runtime packages: the interpreter
# and its venv module (ensurepip), which a minimal Debian lacks.
BASE_PACKAGES = ("python3", "python3-venv")
INSTALL_TOOLS = ("pip", "setuptools>=68")
DEFAULT_CACHE = Path.home() / ".cache" / "township-kiosk" / "bundle"


def release_version(root: Path = ROOT) -> str:
    """The version in pyproject.toml: the bundle's and the release folder's name."""
    return str(tomllib.loads((root / "pyproject.toml").read_text())["project"]["version"])


def _commit(root: Path) -> str:
    out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else ""


def copy_release(root: Path, into: Path) -> None:
    """The release tree as a terminal runs it: the product's code and assets, no developer tools."""
    subprocess.run([sys.executable, "-m", "kiosk.cli", "voices"], cwd=root, check=True, capture_output=True)
    into.mkdir(parents=True)
    for part in RELEASE_PARTS:
        source = root / part
        if source.is_dir():
            shutil.copytree(source, into / part, ignore=LEFT_OUT)
        else:
            shutil.copy2(source, into / part)


def build_wheels(release: Path, into: Path) -> list[str]:
    """Wheels for the release's runtime dependencies and the tools that install them."""
    into.mkdir(parents=True)
    command = [sys.executable, "-m", "pip", "wheel", "-q", "--wheel-dir", str(into)]
    subprocess.run([*command, str(release), *INSTALL_TOOLS], check=True, capture_output=True, timeout=3600)
    # The release itself is installed from its folder (editable: it finds its assets beside it).
    for own in into.glob("township_kiosk-*.whl"):
        own.unlink()
    return sorted(p.name for p in into.glob("*.whl"))


def debian_closure(names: tuple[str, ...]) -> list[str]:
    """`names` and everything they depend on, without the base system's own packages."""
    out = subprocess.run(
        ["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests", "--no-conflicts",
         "--no-breaks", "--no-replaces", "--no-enhances", *names],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    wanted = sorted({line.strip() for line in out.stdout.splitlines() if line[:1].isalnum()})
    shown = subprocess.run(
        ["apt-cache", "show", "--no-all-versions", *wanted], capture_output=True, text=True, check=True
    ).stdout
    base = set()
    for stanza in shown.split("\n\n"):
        fields = dict(
            line.split(": ", 1) for line in stanza.splitlines() if ": " in line and not line.startswith(" ")
        )
        if fields.get("Priority") == "required" or fields.get("Essential") == "yes":
            base.add(fields.get("Package", ""))
    return [name for name in wanted if name not in base]


def download_debs(names: list[str], into: Path, cache: Path) -> list[str]:
    """The candidate version of each package, fetched into the cache unless it is there already."""
    into.mkdir(parents=True)
    cache.mkdir(parents=True, exist_ok=True)
    uris = subprocess.run(
        ["apt-get", "download", "--print-uris", *names], capture_output=True, text=True, check=True
    ).stdout
    # Each line: 'URI' file_name size SHA256:digest
    files = [line.split()[1] for line in uris.splitlines() if line.startswith("'")]
    wanted = {file: file.split("_", 1)[0] for file in files}
    fetch = [pkg for file, pkg in wanted.items() if not (cache / file).exists()]
    if fetch:
        download = ["apt-get", "download", "-q", *fetch]
        subprocess.run(download, cwd=cache, check=True, capture_output=True, timeout=3600)
    for file in wanted:
        shutil.copy2(cache / file, into / file)
    return sorted(wanted)


def build(key_file: Path, out: Path, cache: Path = DEFAULT_CACHE, root: Path = ROOT) -> Path:
    """Build and sign the bundle; the archive's path (`out/township-kiosk-<version>.bundle.tar`)."""
    from sync.keys import load_or_create_signing_key, public_key_pem

    version = release_version(root)
    name = f"{PRODUCT}-{version}"
    key_pem = key_file.read_bytes()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out) as work:
        folder = Path(work) / name
        copy_release(root, folder / "release")
        wheels = build_wheels(folder / "release", folder / "wheels")
        packages = debian_closure(BASE_PACKAGES + RUNTIME_PACKAGES)
        debs = download_debs(packages, folder / "debs", cache / "debs")
        (folder / CENTRE_KEY).write_text(public_key_pem(load_or_create_signing_key(key_file)))
        manifest = {
            "product": PRODUCT,
            "format": FORMAT,
            "version": version,
            "commit": _commit(root),
            "built": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "python": f"cp{sys.version_info.major}{sys.version_info.minor}",
            "machine": platform.machine(),
            "debian": "12",
            "wheels": wheels,
            "debs": debs,
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        sign_folder(folder, key_pem)
        archive = out / f"{name}.bundle.tar"
        partial = archive.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as tar:  # wheels and debs are compressed already
            tar.add(folder, arcname=name)
        partial.replace(archive)
    return archive


def main(argv: list[str] | None = None) -> int:
    """Build the bundle and print its path."""
    parser = argparse.ArgumentParser(prog="python -m installer.bundle_build", description="Build the bundle.")
    parser.add_argument("--key", type=Path, required=True, help="the centre's Ed25519 key (PEM): it signs")
    parser.add_argument("--out", type=Path, required=True, help="folder for the archive")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="downloads kept between builds")
    args = parser.parse_args(argv)
    if not args.key.exists():
        parser.error(f"no key at {args.key}: the centre's key signs the bundle (kiosk-central makes it)")
    print(build(args.key, args.out, args.cache))
    return 0


if __name__ == "__main__":
    sys.exit(main())
