"""A resident without a card types their name and ID number: the number's check character, its
birth date and its sex are what the terminal can check; the face photo does the rest."""

import datetime as dt
from collections.abc import Mapping

from forms.ids import is_valid_resident_id
from kiosk.core.identity import ManualIdentity, Refused, manual_identity


def test_a_typed_identity_takes_birth_date_and_sex_from_the_number() -> None:
    identity = manual_identity(" 王建国 ", "370302197503080116")
    assert isinstance(identity, ManualIdentity)
    assert identity.birth_date == dt.date(1975, 3, 8) and identity.sex == "1"
    assert identity.as_applicant()["identified_by"] == "manual_with_face"


def test_a_lower_case_or_full_width_x_is_the_check_character_x() -> None:
    assert is_valid_resident_id("37030219900101007X")
    for typed in ("37030219900101007x", "３７０３０２１９９００１０１００７Ｘ"):
        identity = manual_identity("王䶮", typed)
        assert isinstance(identity, ManualIdentity) and identity.id_number == "37030219900101007X"


def test_a_wrong_check_character_or_name_says_which_field_and_why() -> None:
    refused = manual_identity("Wang", "370302197503080117")
    assert isinstance(refused, Refused) and set(refused.fields) == {"name", "id_number"}
    problems = refused.fields
    assert "最后一位对不上" in problems["id_number"] and "汉字" in problems["name"]

    def fields_refused(name: str, number: str) -> Mapping[str, str]:
        refused = manual_identity(name, number)
        assert isinstance(refused, Refused)
        return refused.fields

    assert "18位" in fields_refused("王建国", "3703021975030801")["id_number"]
    assert set(fields_refused("王建国", "3703021975")) == {"id_number"}
    assert set(fields_refused("王" * 200, "370302197503080116")) == {"name"}
