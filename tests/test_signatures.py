"""The signature pad's strokes become the picture kept with the case; a dot is not a signature."""

import io

from PIL import Image

from kiosk.ui.signatures import OUTPUT_SIZE, clean_strokes, ink_length, render_signature

WANG = [[(300, 100), (600, 100)], [(320, 200), (580, 200)], [(280, 300), (620, 300)], [(450, 100), (450, 300)]]


def test_a_written_name_becomes_a_black_on_white_png_of_the_box_size() -> None:
    png = render_signature(WANG, 900, 400)
    assert png is not None and png.startswith(b"\x89PNG")
    image = Image.open(io.BytesIO(png))
    assert image.size == OUTPUT_SIZE
    dark = sum(image.histogram()[:128])
    assert 0.01 < dark / (image.width * image.height) < 0.3  # ink, and not a filled box


def test_a_dot_or_a_short_flick_is_refused() -> None:
    assert render_signature([[(10, 10)]], 900, 400) is None
    assert render_signature([[(10, 10), (60, 10)]], 900, 400) is None
    assert render_signature([], 900, 400) is None
    assert render_signature(WANG, 0, 400) is None


def test_whatever_arrives_from_the_screen_is_reduced_to_points() -> None:
    raw = [[[1, 2], [3, "x"], [float("nan"), 1], [4, 5]], "junk", [[None, 1]], [[7.5, 8]]]
    assert clean_strokes(raw) == [[(1.0, 2.0), (4.0, 5.0)], [(7.5, 8.0)]]
    assert clean_strokes("not a list") == []
    assert ink_length(clean_strokes([[[0, 0], [3, 4]]]), 5) == 1.0
