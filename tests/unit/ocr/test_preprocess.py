"""Line boxes stretched over the marks the detector leaves out (preprocess.extend_over_marks)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from tasks.ocr.preprocess import extend_over_marks

FONT = ImageFont.load_default(size=28)
X, Y = 20, 40


def _page(text: str, border_after: str | None = None) -> tuple[np.ndarray, ImageDraw.ImageDraw]:
    img = Image.new("L", (900, 120), 255)
    draw = ImageDraw.Draw(img)
    draw.text((X, Y), text, font=FONT, fill=30)
    if border_after is not None:  # a table's cell border right after this part of the text
        x = X + draw.textlength(border_after, font=FONT) + 6
        draw.line([(x, 0), (x, 119)], fill=0, width=2)
    return np.asarray(img), draw


def _box(draw: ImageDraw.ImageDraw, text: str, part: str) -> np.ndarray:
    """The box a detector would give the substring `part` of `text` (a few px of margin)."""
    start = text.index(part)
    x0 = X + draw.textlength(text[:start], font=FONT)
    x1 = X + draw.textlength(text[: start + len(part)], font=FONT)
    _, y0, _, y1 = draw.textbbox((X, Y), text, font=FONT)
    return np.array([[x0 - 3, y0 - 4], [x1 + 3, y0 - 4], [x1 + 3, y1 + 4], [x0 - 3, y1 + 4]], np.float32)


def _span(box: np.ndarray) -> tuple[float, float]:
    return float(box[:, 0].min()), float(box[:, 0].max())


def test_masked_card_number_split_by_lost_stars_becomes_one_line():
    text = "9441-90**-****-8405"
    page, draw = _page(text)
    left, right = _box(draw, text, "9441-90"), _box(draw, text, "8405")
    out = extend_over_marks(page, [left, right])
    assert len(out) == 1
    x0, x1 = _span(out[0])
    assert x0 <= _span(left)[0] + 1 and x1 >= _span(right)[1] - 1


def test_box_grows_over_stars_and_digits_it_left_out():
    text = "9435-77**-****-6256"
    page, draw = _page(text)
    box = _box(draw, text, "9435-77")
    (out,) = extend_over_marks(page, [box])
    full = _box(draw, text, text)
    assert _span(out)[1] >= _span(full)[1] - 4
    assert _span(out)[0] <= _span(box)[0] + 1


def test_words_the_detector_found_apart_stay_apart():
    text = "9441-90 8405**"
    page, draw = _page(text)
    first, second = _box(draw, text, "9441-90"), _box(draw, text, "8405")
    out = extend_over_marks(page, [first, second])
    assert len(out) == 2
    assert _span(out[0]) == _span(first)  # not joined to the next word over its stars
    assert _span(out[1])[1] >= _span(_box(draw, text, text))[1] - 8  # which go to that word


def test_box_that_cuts_through_its_last_and_first_glyph_takes_them_whole():
    text = "407-28-90575"
    page, draw = _page(text)
    full = _box(draw, text, text)
    half = draw.textlength("5", font=FONT) / 2 + 3  # the box ends (and starts) mid-glyph
    box = full + np.array([[half, 0], [-half, 0], [-half, 0], [half, 0]], np.float32)
    (out,) = extend_over_marks(page, [box])
    assert _span(out)[1] >= _span(full)[1] - 5
    assert _span(out)[0] <= _span(full)[0] + 5


@pytest.mark.parametrize(
    ("text", "found", "border_after"),
    [
        ("1,000 ****", "1,000", "1,000"),  # a table's cell border ends the line
        ("TOTAL 43,500", "43,500", None),  # letters the detector left out are no mask
        ("43,500", "43,500", None),  # nothing beside the box
    ],
)
def test_box_left_alone(text: str, found: str, border_after: str | None):
    page, draw = _page(text, border_after=border_after)
    box = _box(draw, text, found)
    (out,) = extend_over_marks(page, [box])
    assert np.allclose(out, box)


def test_no_boxes():
    page, _ = _page("43,500")
    assert extend_over_marks(page, []) == []
