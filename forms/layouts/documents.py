"""Builders of every A4 document except the licence: each fills a Certificate from plain data.

`sign(kind, number, key_fields)` returns the QR payload; the caller owns the key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from forms.catalogue import ServiceItem
from forms.layouts.certificate import Certificate
from forms.layouts.content import TITLES, BusinessFacts, permit_lines
from forms.layouts.dates import chinese_date

Signer = Callable[[str, str, Mapping[str, str]], str]


def _certificate(
    kind: str, number: str, issuer: str, issued_on: dt.date, sign: Signer, **content: Any
) -> Certificate:
    """A certificate of `kind` (title from TITLES unless given), signed over its key fields."""
    content.setdefault("title", TITLES[kind])
    cert = Certificate(
        kind=kind, number=number, issuer=issuer, issue_date=issued_on, qr_payload="", **content
    )
    return replace(cert, qr_payload=sign(cert.kind, cert.number, cert.key_fields()))


def deregistration_notice(
    number: str, business: BusinessFacts, decided_on: dt.date, authority: str, sign: Signer
) -> Certificate:
    """准予注销登记通知书 after a simple deregistration on commitment."""
    name = business.name or f"{business.operator}（个体工商户）"
    return _certificate(
        "deregistration_notice",
        number,
        authority,
        decided_on,
        sign,
        addressee=f"{name}：",
        paragraphs=(
            f"经审查，你户于{chinese_date(decided_on)}提交的简易注销登记申请，申请材料齐全，符合法定形式，"
            f"经营者已作出清算完结承诺。依据《中华人民共和国市场主体登记管理条例》第三十三条，"
            f"本机关决定准予注销登记。",
            "自本通知书出具之日起，营业执照及其副本作废，请妥善处理原营业执照。经营者对承诺内容的真实性负责，"
            "如有不实，登记机关将依法撤销注销登记。",
        ),
        fields=(
            ("名称", business.name or "—"),
            ("统一社会信用代码", business.credit_code),
            ("经营者", business.operator),
            ("经营场所", business.premises),
            ("注销日期", chinese_date(decided_on)),
        ),
        notes=("本通知书由自助服务终端出具，扫描二维码可离线核验。",),
    )


def food_filing_certificate(
    number: str,
    business: BusinessFacts,
    storage: Sequence[str],
    manager: str,
    filed_on: dt.date,
    authority: str,
    sign: Signer,
) -> Certificate:
    """仅销售预包装食品备案凭证."""
    return _certificate(
        "food_filing_certificate",
        number,
        authority,
        filed_on,
        sign,
        fields=(
            ("经营者名称", business.name or business.operator),
            ("统一社会信用代码", business.credit_code),
            ("经营者", business.operator),
            ("经营场所", business.premises),
            ("主体业态", "食品销售经营者（个体工商户）"),
            (
                "经营项目",
                "预包装食品销售（含冷藏冷冻食品）" if set(storage) & {"冷藏", "冷冻"} else "预包装食品销售",
            ),
            ("贮存条件", "、".join(storage)),
            ("食品安全管理人员", manager),
            ("备案日期", chinese_date(filed_on)),
        ),
        paragraphs=(
            "经营者已书面承诺符合仅销售预包装食品经营条件，现予备案。备案信息发生变化的，应当在10个工作日内"
            "向备案部门办理变更；终止经营的，应当办理备案注销。",
        ),
        notes=("备案不代替食品安全主体责任。扫描二维码可离线核验本凭证。",),
    )


def industry_licence(
    number: str,
    business: BusinessFacts,
    storage: Sequence[str],
    manager: str,
    issued_on: dt.date,
    authority: str,
    sign: Signer,
) -> Certificate:
    """行业综合许可证 of a convenience store (一业一证: registration and food filing on one licence)."""
    return _certificate(
        "industry_licence",
        number,
        authority,
        issued_on,
        sign,
        title=TITLES["industry_licence"] + "（便利店）",
        fields=(
            ("名称", business.name or business.operator),
            ("统一社会信用代码", business.credit_code),
            ("经营者", business.operator),
            ("经营场所", business.premises),
            ("行业类别", "便利店"),
            ("许可（备案）事项", "个体工商户登记；仅销售预包装食品备案"),
            ("经营范围", business.scope_text),
            ("贮存条件", "、".join(storage)),
            ("食品安全管理人员", manager),
            ("有效期", "长期"),
        ),
        paragraphs=(
            "本证集成便利店经营涉及的登记和备案事项，与营业执照同时使用。经营者已签署告知承诺书，"
            "应当按承诺内容依法经营，接受事中事后监管。",
        ),
        notes=("一次申请，凭本证和营业执照即可开业。扫描二维码可离线核验。",),
    )


def insurance_certificate(
    number: str,
    person: str,
    id_number: str,
    certificate_type: str,
    period: str,
    records: Sequence[tuple[str, str, str, str]],
    issued_on: dt.date,
    issuer: str,
    sign: Signer,
) -> Certificate:
    """社会保险参保证明 with the contribution months the live query returned."""
    return _certificate(
        "insurance_certificate",
        number,
        issuer,
        issued_on,
        sign,
        fields=(
            ("姓名", person),
            ("公民身份号码", id_number),
            ("证明种类", certificate_type),
            ("证明期间", period),
        ),
        paragraphs=(f"兹证明{person}在本统筹区参加社会保险，{period}缴费情况如下：",),
        table=(("年月", "缴费基数（元）", "个人缴费（元）", "状态"), *records),
        notes=("本证明依据社会保险信息系统记录实时出具，扫描二维码可离线核验。",),
    )


def temporary_identity_proof(
    number: str,
    person: Mapping[str, str],
    reason: str,
    purpose: str,
    valid_until: dt.date,
    photo: bytes | None,
    issued_on: dt.date,
    issuer: str,
    sign: Signer,
) -> Certificate:
    """临时身份证明 with the resident's photo from the face capture."""
    return _certificate(
        "temporary_identity_proof",
        number,
        issuer,
        issued_on,
        sign,
        photo=photo,
        fields=(
            ("姓名", person["name"]),
            ("性别", person.get("sex_label", "")),
            ("出生日期", person["birth"]),
            ("公民身份号码", person["id_number"]),
            ("住址", person.get("address", "")),
            ("申请原因", reason),
            ("证明用途", purpose),
            ("有效期至", chinese_date(valid_until)),
        ),
        paragraphs=(
            "经户籍信息核验和本人照片核对，兹证明上述人员身份信息属实。本证明仅限上述用途，在有效期内使用。",
        ),
        notes=("本证明与居民身份证具有同等证明身份的作用，不作其他用途。扫描二维码可离线核验。",),
        seal_text="（户籍专用章）",
    )


def acceptance_notice(
    case_number: str,
    item_name: str,
    applicant: str,
    outcome_label: str,
    failures: Sequence[Mapping[str, Any]],
    received_on: dt.date,
    hall: str,
    authority: str,
    sign: Signer,
    permits: Sequence[Mapping[str, Any]] = (),
) -> Certificate:
    """受理通知书 for a case accepted for review or with materials pending.

    `permits` ({scope_name, permit, kind} each) are the permits and filings the chosen
    business scope needs: each is one 还需办理 line, worded as on the screen and the receipt.
    """
    fields = [
        ("办件编号", case_number),
        ("事项", item_name),
        ("申请人", applicant),
        ("办理状态", outcome_label),
        ("受理地点", hall),
    ]
    for n, failure in enumerate(failures, start=1):
        what = failure["message"] + " " + failure["remedy"]
        if failure.get("within_days"):
            what += f"（{failure['within_days']}个工作日内）"
        fields.append((f"告知事项{n}", what))
    needed = permit_lines(permits)
    for n, sentence in enumerate(needed, start=1):
        fields.append(("还需办理" + (str(n) if len(needed) > 1 else ""), sentence))
    return _certificate(
        "acceptance_notice",
        case_number,
        authority,
        received_on,
        sign,
        addressee=f"{applicant}：",
        paragraphs=(
            f"您于{chinese_date(received_on)}通过自助服务终端提交的“{item_name}”申请已受理。"
            "请按下列告知事项办理；办理结果可在任一自助终端或窗口凭办件编号查询。",
        ),
        fields=tuple(fields),
        notes=("如对告知事项有疑问，请到窗口咨询，工作人员会告诉您怎么办。",),
    )


def service_guide(
    number: str, item: ServiceItem, hall: str, printed_on: dt.date, sign: Signer
) -> Certificate:
    """The printed 一次告知 guide of an item: its ten standard elements, the form, the rules in words."""
    s = item.standard
    fields = [
        ("事项名称", s["name"]),
        ("事项编码", s["code"]),
        ("事项类型", s["type"]),
        ("实施层级", s["level"]),
        ("服务对象", s["target"]),
        ("设定依据", "、".join(s["legal_basis"])),
        ("受理条件", "；".join(s["conditions"])),
        ("申请材料", "；".join(f"□ {m}" for m in s["materials"])),
        ("办理时限", s["time_limit"]),
        ("收费标准", s["fees"]),
        ("办理窗口", s.get("window", hall)),
    ]
    if item.network_required:
        fields.append(("联网要求", f"需联网办理。{item.offline_alternative}"))
    questions = tuple(
        f"问：{r.message}　答：{r.remedy.text}" + (f"（{r.remedy.place}）" if r.remedy.place else "")
        for r in item.rules
    )
    return _certificate(
        "guide",
        number,
        hall,
        printed_on,
        sign,
        fields=tuple(fields),
        seal_text="",
        closing=(("常见问题：",) + questions) if questions else (),
        notes=("按本指南准备材料，可在自助终端一次办好。",),
    )
