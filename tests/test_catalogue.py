"""Loading and checking item files: the schema, meanings, versions, and a new item as data only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forms.catalogue import ITEMS_DIR, ItemFileError, item_schema, load_catalogue, parse_item
from forms.facts import TerminalFacts
from tests.demo_data import DIVISION, TODAY, applicants, demo_engine

REGISTRATION = ITEMS_DIR / "01_individual_business_registration.toml"


def registration_with(rules: str) -> bytes:
    head = REGISTRATION.read_text(encoding="utf-8").split("[[rules]]")[0]
    return (head + rules + '\n[[documents]]\nkind = "receipt"\ntitle = "回执"\n').encode()


def test_the_published_schema_is_valid_and_the_reference_validator_agrees_with_ours() -> None:
    import tomllib

    from jsonschema import Draft7Validator

    Draft7Validator.check_schema(item_schema())
    reference = Draft7Validator(item_schema())
    for path in sorted(ITEMS_DIR.glob("*.toml")):
        assert list(reference.iter_errors(tomllib.loads(path.read_text(encoding="utf-8")))) == [], path.name
    bad_rule = '[[rules]]\nid = "x"\nrequire = "True"\noutcome = "no"\nmessage = "不行"\n'
    assert list(reference.iter_errors(tomllib.loads(registration_with(bad_rule).decode())))
    with pytest.raises(ItemFileError, match=r"rules\[0\]"):
        parse_item(registration_with(bad_rule), Path("broken.toml"))
    assert json.loads(json.dumps(item_schema()))["title"].startswith("Service item")


def test_the_catalogue_has_the_ten_items_of_the_domain_table() -> None:
    names = {item.name for item in load_catalogue().values()}
    assert names == {
        "个体工商户设立登记",
        "个体工商户变更登记",
        "个体工商户简易注销",
        "营业执照自助打印（补打）",
        "仅销售预包装食品经营者备案",
        "开办便利店（一业一证）",
        "社会保险参保证明打印",
        "临时身份证明",
        "办件查询",
        "办事指南打印",
    }


def test_every_guide_is_complete_enough_to_act_on() -> None:
    for item in load_catalogue().values():
        s = item.standard
        assert s["materials"] and s["conditions"] and s["time_limit"] and s["fees"] and s["window"], item.id
        if item.network_required:
            assert item.offline_alternative, f"{item.id} needs the network but offers nothing offline"


def test_versions_are_content_hashes() -> None:
    raw = REGISTRATION.read_bytes()
    a, b = parse_item(raw, REGISTRATION), parse_item(raw + b"\n# comment\n", REGISTRATION)
    assert a.version == b.version and a.content_hash != b.content_hash
    assert a.rules_hash == b.rules_hash  # a comment does not change the rules


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (
            '[[rules]]\nid = "x"\nrequire = "applicant_age >= 18"\noutcome = "needs_fixing"\nmessage = "要成年"\n',
            r"broken\.toml: rules\[0\]: must contain \['remedy'\] properties",
        ),
        (
            '[[rules]]\nid = "x"\nrequire = "applicant_agee >= 18"\noutcome = "needs_fixing"\nmessage = "要成年"\n'
            'remedy = { action = "info", text = "请找工作人员" }\n',  # noqa: E501
            r"rules\[0\]\.require: unknown name\(s\) applicant_agee",
        ),
        (
            '[[rules]]\nid = "x"\nrequire = "__import__(\'os\')"\noutcome = "needs_fixing"\nmessage = "要成年"\n'
            'remedy = { action = "info", text = "请找工作人员" }\n',  # noqa: E501
            r"rules\[0\]\.require: only the functions",
        ),
        (
            '[[rules]]\nid = "x"\nrequire = "True"\noutcome = "needs_fixing"\nmessage = "要成年"\n'
            'remedy = { action = "fix_field", field = "nope", text = "请找工作人员" }\n',
            r"'nope' is not a field",
        ),
        (
            '[[rules]]\nid = "x"\nrequire = "True"\noutcome = "refused"\nmessage = "不行"\n'
            'remedy = { action = "info", text = "请找工作人员" }\n',  # noqa: E501
            r"rules\[0\]\.outcome: must be one of",
        ),
    ],
)
def test_problems_name_the_file_and_the_place(rules: str, message: str) -> None:
    with pytest.raises(ItemFileError, match=message):
        parse_item(registration_with(rules), Path("broken.toml"))


def test_a_default_must_be_one_of_the_fields_choices() -> None:
    text = (ITEMS_DIR / "07_social_insurance_certificate.toml").read_text(encoding="utf-8")
    broken = text.replace('default = "近12个月"', 'default = "近100年"')
    with pytest.raises(ItemFileError, match="default '近100年' is not one of its choices"):
        parse_item(broken.encode(), Path("default.toml"))


def test_an_item_approved_on_commitment_must_carry_the_commitment_text() -> None:
    text = REGISTRATION.read_text(encoding="utf-8")
    start = text.index("commitment = ")
    end = text.index('"""', text.index('"""', start) + 3) + 3
    with pytest.raises(ItemFileError, match="commitment: an item that can be approved on commitment"):
        parse_item((text[:start] + text[end:]).encode(), Path("nocommit.toml"))


NEW_ITEM = """
id = "stall-registration"
version = "2026.12.1"
kind = "decision"
outcome_when_all_pass = "approved"

[standard]
name = "农贸市场摊位经营登记"
code = "370302-SCJG-BA-0099"
type = "行政备案"
legal_basis = ["《淄川区农贸市场管理办法》"]
level = "乡镇级"
conditions = ["年满18周岁", "经营范围为食用农产品"]
target = "自然人"
materials = ["居民身份证"]
time_limit = "即时办结"
fees = "不收费"
window = "便民服务中心市场监管窗口"

[[pages]]
id = "stall"
title = "摊位信息"

[[pages.fields]]
id = "stall_number"
label = "摊位号"
type = "choice"
choices = ["A01", "A02", "B01"]
required = true

[[pages.fields]]
id = "goods"
label = "经营范围"
type = "scope"
required = true

[[pages.fields]]
id = "phone"
label = "联系电话"
type = "text"
validate = "mobile"
required = true

[[rules]]
id = "adult"
require = "applicant_age >= 18"
outcome = "needs_fixing"
message = "摊主须年满18周岁。"
remedy = { action = "change_operator", text = "请由年满18周岁的家人登记。" }

[[rules]]
id = "produce-only"
require = "all_in(goods, ['F1221', 'F1222', 'F1223', 'F1226'])"
outcome = "manual_review"
message = "摊位只能经营食用农产品。"
remedy = { action = "go_to", place = "市场管理办公室", text = "请到市场管理办公室咨询其他摊位。" }

[[documents]]
kind = "receipt"
title = "摊位登记回执"
"""


def test_a_new_item_is_added_as_a_data_file_alone(tmp_path: Path) -> None:
    (tmp_path / "stall.toml").write_text(NEW_ITEM, encoding="utf-8")
    item = load_catalogue(tmp_path)["stall-registration"]
    engine = demo_engine()
    terminal = TerminalFacts(TODAY, *DIVISION)
    answers = {"stall_number": "A02", "goods": ["F1221", "F1222"], "phone": "13912345678"}
    ok = engine.assess(item, answers, applicants()["adult"], terminal)
    assert (
        ok.decision is not None
        and ok.decision.outcome == "approved"
        and ok.decision.documents == ("receipt",)
    )
    minor = engine.assess(item, answers, applicants()["minor"], terminal).decision
    assert minor.outcome == "needs_fixing" and minor.failures[0].rule_id == "adult"
    other = engine.assess(item, {**answers, "goods": ["F1201"]}, applicants()["adult"], terminal).decision
    assert other.outcome == "manual_review"


def test_the_item_command_prints_the_guide_and_every_rule(capsys) -> None:
    from kiosk.cli import main

    assert main(["item", "individual-business-deregistration"]) == 0
    out = capsys.readouterr().out
    for text in ("个体工商户简易注销", "办理条件", "所需材料", "告知承诺", "准予注销登记通知书"):
        assert text in out
    for rule in load_catalogue()["individual-business-deregistration"].rules:
        assert rule.id in out
    assert main(["item", "nope"]) == 2


def test_the_catalogue_command_reports_a_broken_file(tmp_path: Path, capsys) -> None:
    from kiosk.cli import main

    (tmp_path / "x.toml").write_text('id = "x"\n', encoding="utf-8")
    assert main(["catalogue", "--items-dir", str(tmp_path)]) == 1
    assert "x.toml: (top level): must contain [" in capsys.readouterr().err


def test_the_compiled_schema_validator_is_cached_and_a_read_only_cache_still_works(
    tmp_path: Path, monkeypatch
):
    from forms import catalogue as module

    monkeypatch.setenv("KIOSK_CACHE_DIR", str(tmp_path / "cache"))
    module._validator.cache_clear()
    try:
        module.load_catalogue()
        [cached] = (tmp_path / "cache" / "township-kiosk").glob("item_schema_*.py")
        assert "validate = " in cached.read_text()
        module._validator.cache_clear()
        with pytest.raises(ItemFileError, match="must contain"):  # the cached validator still rejects
            parse_item(b'id = "x"\n', Path("x.toml"))
        blocked = tmp_path / "blocked"
        blocked.write_text("a file where the cache folder should be")
        monkeypatch.setenv("KIOSK_CACHE_DIR", str(blocked))
        module._validator.cache_clear()
        assert len(module.load_catalogue()) == 10  # compiled in memory instead
    finally:
        module._validator.cache_clear()


def test_what_an_item_needs_must_be_on_its_form() -> None:
    temporary = (ITEMS_DIR / "08_temporary_identity_proof.toml").read_text(encoding="utf-8")
    optional_face = temporary.replace('type = "face"\nrequired = true', 'type = "face"')
    with pytest.raises(ItemFileError, match="required, always shown field of type 'face'"):
        parse_item(optional_face.encode(), Path("optional_face.toml"))
    text = REGISTRATION.read_text(encoding="utf-8")
    unsigned = text.replace('type = "signature"', 'type = "confirm"')
    with pytest.raises(ItemFileError, match="needs 'signature' but no field of type 'signature'"):
        parse_item(unsigned.encode(), Path("unsigned.toml"))


def test_items_declare_face_identity_assurance() -> None:
    """人证核验: the items that change a register or prove identity ask for the face check."""
    catalogue = load_catalogue()
    with_face = {i for i, item in catalogue.items() if item.identity_assurance == "face"}
    assert with_face == {
        "individual-business-registration",
        "individual-business-change",
        "individual-business-deregistration",
        "convenience-store-licence",  # 一业一证 registers the business too
        "temporary-identity-proof",
    }
    assert all(item.identity_assurance in ("", "face") for item in catalogue.values())


def test_an_item_that_writes_the_business_register_without_the_face_check_is_refused() -> None:
    text = REGISTRATION.read_text(encoding="utf-8").replace('identity_assurance = "face"\n', "")
    with pytest.raises(ItemFileError, match="change the business register"):
        parse_item(text.encode(), Path("unverified.toml"))
