"""The worker reads a photo's original upload where the normalised copy is only its second JPEG encode."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from components.receipts.images import Limits, prepare
from tasks.jobs import page_for_ocr
from tasks.ocr.pages import load_pages


def _png(width: int, height: int) -> bytes:
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 255, (height, width, 3), dtype=np.uint8)  # fine detail a JPEG encode changes
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "PNG")
    return out.getvalue()


def _decoded(jpeg: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB"))


def test_a_photo_the_copy_kept_at_its_size_is_read_from_its_original():
    original = _png(600, 400)
    copy = prepare(original, Limits()).pages[0].jpeg
    page = page_for_ocr(copy, original, "png")
    assert np.array_equal(np.asarray(page), np.asarray(load_pages(original)[0]))
    assert not np.array_equal(np.asarray(page), _decoded(copy))


def test_a_scaled_down_photo_a_pdf_page_or_a_broken_original_is_read_from_the_copy():
    big = _png(1500, 1000)
    copy = prepare(big, Limits(image_max_side=1200)).pages[0].jpeg
    assert np.array_equal(np.asarray(page_for_ocr(copy, big, "png")), _decoded(copy))
    small = _png(600, 400)
    copy = prepare(small, Limits()).pages[0].jpeg
    assert np.array_equal(np.asarray(page_for_ocr(copy, small, "pdf")), _decoded(copy))
    assert np.array_equal(np.asarray(page_for_ocr(copy, b"not an image", "jpeg")), _decoded(copy))
    assert np.array_equal(np.asarray(page_for_ocr(copy, None, "")), _decoded(copy))
