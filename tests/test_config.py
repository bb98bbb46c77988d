from pathlib import Path

import pytest

from kiosk.config import ConfigError, config_from_dict, load_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_a_valid_terminal_and_not_a_demo() -> None:
    config = load_config(None)
    assert not config.demo and config.devices.id_card == "simulated"


def test_a_full_file_is_read_and_data_dir_is_beside_it(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """
terminal_id = "ZC-370302-007"
hall_name = "昆仑镇便民服务中心"
division_code = "370302"
data_dir = "state"
[devices]
receipt_printer = "network"
receipt_paper_mm = 58
[timeouts]
idle_seconds = 120
""",
        )
    )
    assert config.terminal_id == "ZC-370302-007"
    assert config.data_dir == tmp_path / "state"
    assert config.devices.receipt_paper_mm == 58
    assert config.timeouts.idle_seconds == 120


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('terminal_idd = "X"', r"unknown key 'terminal_idd'; allowed keys: .*terminal_id"),
        (
            '[devices]\nid_card = "magic"',
            r"'devices.id_card' is 'magic'; allowed values: simulated, sam_serial, none",
        ),
        ("[devices]\nreceipt_paper_mm = 76", r"'devices.receipt_paper_mm' is 76; allowed values: 58, 80"),
        ('division_code = "999999"', r"'division_code' is '999999'; allowed values: .*370302 \(淄川区\)"),
        ("[timeouts]\nidle_seconds = -5", r"'timeouts.idle_seconds' must be a positive whole number"),
        ('central_url = "ftp://x"', r"'central_url' must start with http"),
        ("demo = 1", r"'demo' must be true or false"),
    ],
)
def test_bad_values_name_the_key_and_what_is_allowed(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, text))


def test_a_file_that_is_not_toml_says_so(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "this is = = not toml"))


def test_the_command_line_reports_the_bad_key(tmp_path: Path, capsys) -> None:
    from kiosk.cli import main

    assert main(["check-config", str(write(tmp_path, '[devices]\ncamera = "webcam"'))]) == 2
    assert "'devices.camera' is 'webcam'" in capsys.readouterr().err


def test_the_face_threshold_may_be_stricter_never_laxer() -> None:
    assert config_from_dict({"face": {"match_threshold": 0.5}}).face.match_threshold == 0.5
    with pytest.raises(ConfigError, match="face.match_threshold"):
        config_from_dict({"face": {"match_threshold": 0.8}})
