"""The address picker's places: every division the deployment serves has its townships."""

from forms.divisions import known_divisions
from forms.places import compose_address, townships
from forms.validators import validate_address


def test_every_division_has_townships_each_with_villages() -> None:
    for code in known_divisions():
        listed = townships(code)
        assert len(listed) >= 5, code
        assert all(t.villages and len(set(t.villages)) == len(t.villages) for t in listed), code
    assert townships("999999") == ()


def test_a_picked_address_is_written_as_a_licence_prints_it_and_passes_the_check() -> None:
    address = compose_address("淄川区", "般阳路街道", "东关村", "125")
    assert address == "淄川区般阳路街道东关村125号" and validate_address(address) is None
    assert compose_address("淄川区", "昆仑镇", "磁村", "12-3") == "淄川区昆仑镇磁村12-3号"
