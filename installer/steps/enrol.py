"""Enrolment: trade the centre's one-time code for the terminal's secret, and keep the secret,
the terminal's document-signing key, the store key and the centre's update key where only the
kiosk user can read them."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from installer.actions import StepFailedError
from installer.bundle import key_fingerprint as fingerprint
from installer.bundle_install import BUNDLE_CENTRE_KEY
from installer.layout import USER
from installer.run import Run

REFUSALS = {
    "unknown_code": "中心没有这个注册码：请核对是否抄错",
    "code_used": "这个注册码已经用过（每个注册码只能用一次）：请向中心申请新的注册码",
    "code_expired": "这个注册码已过期：请向中心申请新的注册码",
    "other_terminal": "这个注册码是发给另一台终端的：请核对终端编号",
    "already_enrolled": "这个终端编号已经注册过：重新注册（换钥匙）需要中心为这个终端编号和区划开的注册码",
    "other_division": "这个注册码是另一个区划的：请向中心申请本区划的注册码",
    "bad_document_key": "终端的证照签名公钥格式不对：请重新运行安装程序生成",
    "too_many": "注册尝试太频繁：请一分钟后再试",
}


def enrol(run: Run) -> str:
    """Enrol once; on a later run, check the stored secret still opens the centre's door."""
    layout, ctx = run.layout, run.ctx
    config = run.config()
    if not config:
        raise StepFailedError("还没有终端配置：请先运行 config 步骤")
    data = layout.host(layout.data)
    url, terminal_id = config["central_url"], config["terminal_id"]
    _make_keys(run)
    from sync.credentials import load_secret, save_secret, tls_verify

    _warn_if_clear_text(run, url)
    _pin_centre_ca(run)
    secret = load_secret(data)
    code = run.answers.installer.get("enrolment_code")
    if secret is not None:
        verdict = None if ctx.dry_run else _secret_accepted(url, terminal_id, secret, tls_verify(data))
        if verdict is True:
            ctx.say(f"  未变   已注册：中心 {url} 接受终端 {terminal_id} 的签名")
            _adopt_credentials(run)
            return "ok"
        if verdict is None:
            if not ctx.dry_run:
                run.warn(f"联系不上中心 {url}：保留已有的注册信息，联网后再确认")
            _adopt_credentials(run)
            return "warning"
        ctx.say("  中心不再接受已存的密钥：需要新的注册码")
    if not code:
        code = run.prompter.ask("installer.enrolment_code", "注册码（中心发放，一次有效）", None)
    if ctx.dry_run:
        ctx.say(f"  [演练] 将用注册码向 {url} 注册终端 {terminal_id}")
        return "changed"
    answer = _redeem(url, code, terminal_id, _document_key_pem(run), tls_verify(data))
    if answer.division_code != config["division_code"]:
        raise StepFailedError(
            f"注册码属于行政区划 {answer.division_code}，与配置的 {config['division_code']} 不一致："
            "请核对配置或申请本区划的注册码"
        )
    update_key = answer.update_public_key
    if update_key:
        _check_fingerprint(run, update_key)
    save_secret(data, answer.secret)
    if update_key:
        from kiosk.core.updates import centre_key_path

        ctx.write(_target(run, centre_key_path(data)), update_key, 0o640, f"root:{USER}")
    else:
        run.warn("中心没有给出更新公钥：在放入 trust/central.pem 之前，终端不接受任何规则更新")
    _adopt_credentials(run)
    ctx.say(f"  注册   终端 {terminal_id} 已在 {url} 注册（行政区划 {answer.division_code}）")
    ctx.changed += 1
    return "changed"


def _pin_centre_ca(run: Run) -> None:
    """An https centre with a private CA: the CA the answers name, kept where the kiosk looks."""
    given = run.answers.installer.get("centre_ca_file")
    if not given:
        return
    from sync.credentials import centre_ca_path

    try:
        pem = Path(given).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise StepFailedError(f"读不了 centre_ca_file {given}：{exc}") from exc
    if "BEGIN CERTIFICATE" not in pem:
        raise StepFailedError(f"centre_ca_file {given} 不是 PEM 证书")
    run.ctx.write(_target(run, centre_ca_path(run.layout.host(run.layout.data))), pem, 0o640, f"root:{USER}")


def _make_keys(run: Run) -> None:
    """The store key and the document-signing key, made by the kiosk's own code."""
    if run.ctx.dry_run:
        run.ctx.say("  [演练] 将生成本终端的存储密钥和证照签名密钥")
        return
    from kiosk.core.crypto import FieldCipher
    from sync.credentials import is_enrolled
    from sync.keys import load_or_create_signing_key

    data = run.layout.host(run.layout.data)
    if not (data / "keys" / "store.key").exists() and (data / "kiosk.sqlite3").exists():
        raise StepFailedError(
            "存储密钥 keys/store.key 不见了，而办件库还在：新密钥打不开已有办件。请先找回原密钥，不要重新生成"
        )
    if not (data / "keys" / "terminal_ed25519.pem").exists() and is_enrolled(data):
        raise StepFailedError(
            "证照签名密钥 keys/terminal_ed25519.pem 不见了，而终端已注册：新密钥签发的证照在中心验不过。"
            "请先找回原密钥，或删除 keys/central.secret 后用新注册码重新注册"
        )
    FieldCipher.from_key_file(data / "keys" / "store.key")
    load_or_create_signing_key(data / "keys" / "terminal_ed25519.pem")
    for name in ("store.key", "terminal_ed25519.pem"):
        run.ctx.adopt(run.layout.data / "keys" / name, 0o600, USER)


def _adopt_credentials(run: Run) -> None:
    path = run.layout.host(run.layout.data / "keys" / "central.secret")
    if path.exists():
        run.ctx.adopt(run.layout.data / "keys" / "central.secret", 0o600, USER)


def _document_key_pem(run: Run) -> str:
    from sync.keys import load_or_create_signing_key, public_key_pem

    return public_key_pem(
        load_or_create_signing_key(run.layout.host(run.layout.data / "keys" / "terminal_ed25519.pem"))
    )


def _redeem(url: str, code: str, terminal_id: str, document_key: str, verify: object):  # noqa: ANN202
    from sync.enrolment_client import EnrolmentError, redeem

    try:
        return redeem(url, code, terminal_id, document_key, verify)  # type: ignore[arg-type]
    except EnrolmentError as exc:
        if exc.reason == "unreachable":
            raise StepFailedError(f"联系不上中心 {url}（{exc}）：请检查网络和中心地址") from None
        if exc.reason == "not_the_centre":
            raise StepFailedError(f"{url} 的回答不是中心平台的回答（{exc}）：请核对中心地址") from None
        raise StepFailedError(REFUSALS.get(exc.reason, f"中心拒绝注册：{exc}")) from None


def _secret_accepted(url: str, terminal_id: str, secret: bytes, verify: object) -> bool | None:
    """True: the centre takes our signature; False: it refuses it; None: it cannot be reached."""
    from sync.client import CentralClient

    client = CentralClient(url, terminal_id, secret, timeout=10, verify=verify)  # type: ignore[arg-type]
    try:
        response = client.request("GET", "/v1/decisions?after=0")
    except httpx.HTTPError:
        return None
    finally:
        client.close()
    if response.status_code == 401:
        return False
    return True if response.status_code == 200 else None


def _check_fingerprint(run: Run, pem: str) -> None:
    expected = run.answers.installer.get("centre_key_fingerprint")
    shown = fingerprint(pem)
    # A release installed from an offline bundle was verified with the key the bundle carried:
    # only the centre's own key makes that check worth anything.
    bundle_key = run.release / BUNDLE_CENTRE_KEY
    if bundle_key.exists() and bundle_key.read_text().strip() != pem.strip():
        raise StepFailedError(
            f"本软件的安装包由另一把密钥签发（指纹 {fingerprint(bundle_key.read_text())}），不是这个中心"
            f"（指纹 {shown}）：安装包可能被替换过，未注册。请从中心重新获取安装包"
        )
    if expected and expected.replace(" ", "").upper() != shown.replace(" ", ""):
        raise StepFailedError(
            f"中心更新公钥的指纹是 {shown}，与应答文件中的 {expected} 不符：可能连到了假冒的中心，未注册"
        )
    run.ctx.say(
        f"  公钥   中心更新公钥指纹 {shown}" + ("（与应答文件一致）" if expected else "（请与中心核对）")
    )


def _warn_if_clear_text(run: Run, url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https":
        return
    try:
        loopback = ipaddress.ip_address(parts.hostname or "").is_loopback
    except ValueError:
        loopback = parts.hostname == "localhost"
    if not loopback:
        run.warn(f"中心地址 {url} 未加密（http）：注册时密钥以明文传输，请使用 https")


def _target(run: Run, host_path: Path):  # noqa: ANN202 (a PurePosixPath on the terminal)
    from pathlib import PurePosixPath

    return PurePosixPath("/") / host_path.relative_to(run.layout.prefix)
