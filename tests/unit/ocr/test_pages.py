"""Uploads are judged by their content; bad files get a clear Korean message."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from tasks.ocr.pages import UnreadableFile, load_pages, sniff


def _jpeg(img: Image.Image, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85, **kw)
    return buf.getvalue()


def _png_header_claiming(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims a huge size (a decompression bomb), with almost no data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 16))
        + chunk(b"IEND", b"")
    )


def _pdf(pages: int) -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(200, 300)
    buf = io.BytesIO()
    pdf.save(buf)
    pdf.close()
    return buf.getvalue()


def test_zero_byte_file():
    with pytest.raises(UnreadableFile) as e:
        load_pages(b"")
    assert "빈 파일" in e.value.message_ko


def test_truncated_jpeg():
    data = _jpeg(Image.new("RGB", (400, 300), (200, 10, 10)))
    with pytest.raises(UnreadableFile) as e:
        load_pages(data[: len(data) // 2])
    assert "손상" in e.value.message_ko


def test_text_file_named_jpg(tmp_path):
    p = tmp_path / "receipt.jpg"
    p.write_text("이것은 영수증이 아닙니다", encoding="utf-8")
    with pytest.raises(UnreadableFile) as e:
        load_pages(p.read_bytes())
    assert "이미지나 PDF 파일이 아닙니다" in e.value.message_ko


@pytest.mark.parametrize(
    "content",
    [
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"<svg onload=alert(1)></svg>",
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
    ],
)
def test_svg_and_html(content):
    with pytest.raises(UnreadableFile) as e:
        load_pages(content)
    assert "이미지나 PDF 파일이 아닙니다" in e.value.message_ko


def test_decompression_bomb_20000_square():
    data = _png_header_claiming(20000, 20000)
    assert len(data) < 200
    with pytest.raises(UnreadableFile) as e:
        load_pages(data, max_pixels=60_000_000)
    assert "너무 큽니다" in e.value.message_ko


def test_real_1bit_20000_square_image_is_refused():
    img = Image.new("1", (20000, 20000), 1)  # 50 MB in memory, ~ 50 kB as PNG
    buf = io.BytesIO()
    img.save(buf, "PNG")
    with pytest.raises(UnreadableFile) as e:
        load_pages(buf.getvalue(), max_pixels=60_000_000)
    assert "너무 큽니다" in e.value.message_ko


def test_pdf_page_limit():
    with pytest.raises(UnreadableFile) as e:
        load_pages(_pdf(30), max_pages=20)
    assert "PDF 페이지가 너무 많습니다" in e.value.message_ko and "20쪽" in e.value.message_ko


def test_pdf_pages_become_images():
    pages = load_pages(_pdf(2), max_pages=20)
    assert len(pages) == 2
    # 200 x 300 pt at 200 dpi
    assert pages[0].size == (556, 833) or abs(pages[0].size[0] - 556) <= 1
    assert pages[0].mode == "RGB"


def test_corrupt_pdf():
    with pytest.raises(UnreadableFile):
        load_pages(b"%PDF-1.7\n garbage garbage")


def test_exif_rotated_jpeg_comes_out_upright():
    # a tall receipt stored sideways (landscape pixels) with EXIF orientation 6 (rotate 90° CW to view)
    upright = Image.new("RGB", (300, 600), "white")
    upright.paste((0, 0, 0), (0, 0, 300, 60))  # a dark band at the top
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # what the camera wrote: 600 x 300
    exif = Image.Exif()
    exif[0x0112] = 6
    pages = load_pages(_jpeg(stored, exif=exif.tobytes()))
    img = pages[0]
    assert img.size == (300, 600)
    top = int(img.crop((0, 0, 300, 40)).convert("L").getextrema()[1])  # type: ignore[arg-type]
    bottom = int(img.crop((0, 560, 300, 600)).convert("L").getextrema()[0])  # type: ignore[arg-type]
    assert top < 80 and bottom > 180


def test_formats_by_content_not_name():
    img = Image.new("RGB", (64, 32), "white")
    for fmt, kind in [("PNG", "png"), ("WEBP", "webp"), ("JPEG", "jpeg")]:
        buf = io.BytesIO()
        img.save(buf, fmt)
        assert sniff(buf.getvalue()) == kind
        assert load_pages(buf.getvalue())[0].size == (64, 32)


def test_heic():
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    img = Image.new("RGB", (64, 48), "white")
    buf = io.BytesIO()
    try:
        img.save(buf, "HEIF")
    except Exception:  # an encoder may be missing in the wheel
        pytest.skip("no HEIF encoder here")
    pages = load_pages(buf.getvalue())
    assert pages[0].size == (64, 48)


def test_rgba_png_gets_white_background():
    img = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    out = load_pages(buf.getvalue())[0]
    assert out.mode == "RGB" and out.getpixel((5, 5)) == (255, 255, 255)
