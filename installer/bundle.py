"""The offline release bundle: everything a terminal needs to install or upgrade with no network.

A bundle is a tar archive with one folder, `township-kiosk-<version>/`:

    manifest.json     what it is: product, version, commit, Python and Debian it was built for
    centre.pem        the public key of the centre that signed it (for a first install)
    release/          the release's source tree, the voice prompts' files made
    wheels/           a wheel for every Python package the terminal runs (pip, setuptools too)
    debs/             the Debian packages it runs on, with their dependencies
    SHA256SUMS        every other file's SHA-256, in sha256sum's format
    SHA256SUMS.sig    Ed25519 signature by the centre's key over SHA256SUMS, base64

Verifying checks the signature with the key the terminal already trusts (its `trust/central.pem`)
or, on a first install, with the bundle's own key, whose fingerprint the technician compares (and
the enrolment checks against the centre's); then every file against SHA256SUMS, and that no file
is there that SHA256SUMS does not list. `python -m installer.bundle verify FOLDER` is what
`install.sh --bundle` runs before anything is installed from it.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
import tarfile
from pathlib import Path, PurePosixPath

PRODUCT = "township-kiosk"
FORMAT = 1
MANIFEST = "manifest.json"
CENTRE_KEY = "centre.pem"
SUMS = "SHA256SUMS"
SIGNATURE = "SHA256SUMS.sig"


class BundleError(Exception):
    """A bundle that must not be installed, and why (in words for the technician)."""


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in blocks (wheels run to hundreds of MB)."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(folder: Path) -> list[str]:
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if (p.is_file() or p.is_symlink()) and p.relative_to(folder).as_posix() not in (SUMS, SIGNATURE)
    )


def sums_text(folder: Path) -> str:
    """SHA256SUMS for every file under `folder` (sha256sum -c reads it too)."""
    return "".join(f"{file_sha256(folder / name)}  {name}\n" for name in _files(folder))


def key_fingerprint(pem: str) -> str:
    """What a technician compares by eye: SHA-256 of the key's PEM text, in groups of four (the
    enrolment step shows the centre's key the same way)."""
    digest = hashlib.sha256(pem.strip().encode()).hexdigest()[:32].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def sign_folder(folder: Path, private_key_pem: bytes) -> None:
    """Write SHA256SUMS and its signature for a bundle folder laid out as above."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    key = load_pem_private_key(private_key_pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise BundleError("签名密钥不是 Ed25519 私钥")
    sums = sums_text(folder).encode()
    (folder / SUMS).write_bytes(sums)
    (folder / SIGNATURE).write_text(base64.b64encode(key.sign(sums)).decode() + "\n")


def _check_signature(sums: bytes, signature_b64: str, public_pem: str) -> None:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    try:
        key = load_pem_public_key(public_pem.encode())
    except ValueError as exc:
        raise BundleError(f"信任的中心公钥无法读取：{exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise BundleError("信任的中心公钥不是 Ed25519 公钥")
    try:
        key.verify(base64.b64decode(signature_b64.strip(), validate=True), sums)
    except (InvalidSignature, ValueError) as exc:
        raise BundleError("签名验证失败：安装包不是信任的中心签发的，或已被改动") from exc


def read_manifest(folder: Path) -> dict:
    """The bundle's manifest, checked for the fields an install relies on."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BundleError(f"清单 {MANIFEST} 无法读取：{exc}") from exc
    if not isinstance(manifest, dict):
        raise BundleError(f"清单 {MANIFEST} 不是一个对象")
    if (manifest.get("product"), manifest.get("format")) != (PRODUCT, FORMAT):
        raise BundleError(f"不是本软件的安装包（清单的 product/format 不对）：{folder}")
    if not isinstance(manifest.get("version"), str) or not manifest["version"]:
        raise BundleError("清单里没有版本号")
    return manifest


def verify_folder(folder: Path, trusted_pem: str | None) -> dict:
    """Check an unpacked bundle; its manifest when it may be installed, else BundleError.

    `trusted_pem` is the centre key the terminal already trusts; None on a first install, when
    the bundle's own key is used (and must then be the key the centre serves at enrolment)."""
    try:
        sums = (folder / SUMS).read_bytes()
        signature = (folder / SIGNATURE).read_text()
    except OSError as exc:
        raise BundleError(f"安装包没有签名（{SUMS} 或 {SIGNATURE} 缺失）") from exc
    if trusted_pem is None:
        try:
            trusted_pem = (folder / CENTRE_KEY).read_text()
        except OSError as exc:
            raise BundleError(f"首次安装需要安装包里的中心公钥 {CENTRE_KEY}") from exc
    elif (folder / CENTRE_KEY).exists() and (folder / CENTRE_KEY).read_text().strip() != trusted_pem.strip():
        raise BundleError("安装包由另一个中心签发（公钥与本机信任的不同）")
    _check_signature(sums, signature, trusted_pem)
    listed: dict[str, str] = {}
    for line in sums.decode("utf-8", "replace").splitlines():
        digest, _, name = line.partition("  ")
        path = PurePosixPath(name)
        if len(digest) != 64 or not name or path.is_absolute() or ".." in path.parts:
            raise BundleError(f"{SUMS} 中有无效的一行：{line[:120]}")
        listed[name] = digest
    present = set(_files(folder))
    if extra := sorted(present - set(listed)):
        raise BundleError(f"安装包里有清单外的文件：{', '.join(extra[:5])}")
    if missing := sorted(set(listed) - present):
        raise BundleError(f"安装包缺少文件：{', '.join(missing[:5])}")
    for name, digest in listed.items():
        if file_sha256(folder / name) != digest:
            raise BundleError(f"文件校验值不符，安装包已损坏或被改动：{name}")
    return read_manifest(folder)


def _check_members(members: list[tarfile.TarInfo]) -> None:
    """Only plain files and folders inside the bundle's folder: no absolute path, no way up, no
    link and no device (what the "data" extraction filter of newer Pythons refuses)."""
    for member in members:
        path = PurePosixPath(member.name)
        if path.is_absolute() or ".." in path.parts:
            raise BundleError(f"安装包里有越出文件夹的路径：{member.name}")
        if not (member.isfile() or member.isdir()):
            raise BundleError(f"安装包里有链接或设备文件：{member.name}")


def unpack(archive: Path, into: Path) -> Path:
    """Unpack a bundle archive into the empty folder `into`; the bundle's folder."""
    try:
        with tarfile.open(archive) as tar:
            names = tar.getnames()
            tops = {PurePosixPath(n).parts[0] for n in names if n not in ("", ".")}
            if len(tops) != 1:
                raise BundleError(f"安装包应只有一个顶层文件夹，实际有 {len(tops)} 个")
            _check_members(tar.getmembers())
            tar.extractall(into)  # checked above: Debian 12's Python 3.11.2 has no extraction filters
    except (tarfile.TarError, OSError) as exc:
        raise BundleError(f"安装包无法解开（已损坏？）：{exc}") from exc
    return into / tops.pop()


def main(argv: list[str] | None = None) -> int:
    """`verify FOLDER [--trust PEM]`: exit 0 only for a bundle that may be installed; prints its
    version and the signing key's fingerprint. `unpack ARCHIVE INTO`: prints the bundle's folder."""
    parser = argparse.ArgumentParser(prog="python -m installer.bundle", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    unpack_it = sub.add_parser("unpack", help="unpack a bundle archive; prints its folder")
    unpack_it.add_argument("archive", type=Path)
    unpack_it.add_argument("into", type=Path)
    check = sub.add_parser("verify", help="check an unpacked bundle's signature and files")
    check.add_argument("folder", type=Path)
    check.add_argument("--trust", type=Path, help="the centre key this terminal trusts (trust/central.pem)")
    args = parser.parse_args(argv)
    if args.command == "unpack":
        try:
            print(unpack(args.archive, args.into))
        except BundleError as exc:
            print(f"安装包被拒绝：{exc}", file=sys.stderr)
            return 1
        return 0
    trusted = args.trust.read_text() if args.trust and args.trust.exists() else None
    try:
        manifest = verify_folder(args.folder, trusted)
    except BundleError as exc:
        print(f"安装包被拒绝：{exc}", file=sys.stderr)
        return 1
    key = trusted if trusted is not None else (args.folder / CENTRE_KEY).read_text()
    origin = "本机信任的中心公钥" if trusted is not None else "安装包自带的中心公钥（首次安装，请核对指纹）"
    print(f"安装包 {manifest['version']} 验证通过：签名来自{origin} {key_fingerprint(key)}", file=sys.stderr)
    print(manifest["version"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
