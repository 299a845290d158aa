"""Turn uploaded bytes into upright page images, judging the file by its content, never its name."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps

from .config import DEFAULT_MAX_PAGES, DEFAULT_MAX_PIXELS

PDF_DPI = 200


class UnreadableFile(ValueError):
    """The upload cannot be read as a receipt; `message_ko` is shown to the user as is."""

    def __init__(self, message_ko: str):
        super().__init__(message_ko)
        self.message_ko = message_ko


def sniff(data: bytes) -> str | None:
    """The file's kind by its magic bytes: 'jpeg', 'png', 'webp', 'heif', 'pdf', or None."""
    head = data[:64]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in {
        b"heic",
        b"heix",
        b"hevc",
        b"hevx",
        b"heim",
        b"heis",
        b"mif1",
        b"msf1",
        b"avif",
    }:
        return "heif"
    # PDF may have a little junk before the header (allowed within the first 1024 bytes)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    return None


def _too_big(max_pixels: int) -> UnreadableFile:
    return UnreadableFile(f"이미지가 너무 큽니다 (최대 {max_pixels:,} 화소)")


def _open_image(data: bytes, kind: str, max_pixels: int) -> Image.Image:
    if kind == "heif":
        try:
            import pillow_heif

            pillow_heif.register_heif_opener()
        except ImportError as exc:  # pragma: no cover - pillow-heif is a dependency
            raise UnreadableFile("HEIC 이미지를 읽을 수 없습니다 (pillow-heif 없음)") from exc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # we check our own limit
            probe = Image.open(io.BytesIO(data))
            w, h = probe.size
            if w * h > max_pixels or w <= 0 or h <= 0:
                raise _too_big(max_pixels)
            probe.verify()  # structure check; the object is unusable afterwards
            img: Image.Image = Image.open(io.BytesIO(data))
            img.load()  # decode fully: a truncated file fails here
    except UnreadableFile:
        raise
    except Image.DecompressionBombError as exc:
        raise _too_big(max_pixels) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise UnreadableFile("파일이 손상되었습니다 (이미지를 끝까지 읽을 수 없습니다)") from exc
    if getattr(img, "n_frames", 1) > 1:
        img.seek(0)
    try:
        img = ImageOps.exif_transpose(img)
    except Exception:  # a broken EXIF block must not lose the image  # noqa: S110
        pass
    return _to_rgb(img)


def _to_rgb(img: Image.Image) -> Image.Image:
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if img.mode != "RGB":
        return img.convert("RGB")
    return img


def _pdf_pages(data: bytes, max_pixels: int, max_pages: int) -> list[Image.Image]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as exc:  # pdfium raises its own PdfiumError
        msg = str(exc).lower()
        if "password" in msg:
            raise UnreadableFile("암호가 걸린 PDF는 읽을 수 없습니다") from exc
        raise UnreadableFile("파일이 손상되었습니다 (PDF를 열 수 없습니다)") from exc
    try:
        n = len(pdf)
        if n == 0:
            raise UnreadableFile("PDF에 페이지가 없습니다")
        if n > max_pages:
            raise UnreadableFile(f"PDF 페이지가 너무 많습니다 (최대 {max_pages}쪽, 이 파일은 {n}쪽)")
        pages = []
        for i in range(n):
            page = pdf[i]
            w_pt, h_pt = page.get_size()
            scale = PDF_DPI / 72.0
            if w_pt * h_pt * scale * scale > max_pixels:
                scale = (max_pixels / max(1.0, w_pt * h_pt)) ** 0.5
            if w_pt * scale < 1 or h_pt * scale < 1:
                raise UnreadableFile("PDF 페이지 크기가 잘못되었습니다")
            bitmap = page.render(scale=scale)
            pages.append(_to_rgb(bitmap.to_pil()))
            page.close()
        return pages
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile("파일이 손상되었습니다 (PDF 페이지를 그릴 수 없습니다)") from exc
    finally:
        pdf.close()


def load_pages(
    data: bytes, *, max_pixels: int = DEFAULT_MAX_PIXELS, max_pages: int = DEFAULT_MAX_PAGES
) -> list[Image.Image]:
    """Upright RGB page images of an uploaded JPEG/PNG/WebP/HEIC image or PDF.

    Raises UnreadableFile with a Korean message for anything else.
    """
    if not data:
        raise UnreadableFile("빈 파일입니다")
    kind = sniff(data)
    if kind is None:
        head = data[:512].lstrip().lower()
        if head.startswith((b"<svg", b"<?xml", b"<!doctype", b"<html")) or b"<svg" in head:
            raise UnreadableFile("이미지나 PDF 파일이 아닙니다 (SVG/HTML 파일은 받지 않습니다)")
        raise UnreadableFile("이미지나 PDF 파일이 아닙니다 (JPEG, PNG, WebP, HEIC, PDF만 받습니다)")
    if kind == "pdf":
        return _pdf_pages(data, max_pixels, max_pages)
    return [_open_image(data, kind, max_pixels)]
