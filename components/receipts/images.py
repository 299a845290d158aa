"""Uploaded bytes → validated, upright, EXIF-free JPEG pages and thumbnails (CPU work: run in a thread).

Validation is by content (tasks.ocr.pages.load_pages sniffs magic bytes, checks pixel and page limits,
applies EXIF orientation). The original bytes are kept untouched beside the normalised copies.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image

from tasks.ocr.pages import UnreadableFile, load_pages, sniff

CONTENT_TYPES = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "heif": "image/heic",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 20 * 1024 * 1024
    max_pixels: int = 60_000_000
    max_pdf_pages: int = 20
    image_max_side: int = 2400
    thumb_max_side: int = 320
    jpeg_quality: int = 85


@dataclass(frozen=True)
class PreparedPage:
    jpeg: bytes
    width: int
    height: int
    thumbnail: bytes


@dataclass(frozen=True)
class PreparedUpload:
    kind: str  # jpeg/png/webp/heif/pdf
    content_type: str
    sha256: str
    pages: list[PreparedPage]


def _jpeg(image: Image.Image, max_side: int, quality: int) -> tuple[bytes, int, int]:
    img = image if image.mode == "RGB" else image.convert("RGB")
    if max(img.size) > max_side:
        img = img.copy()
        img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # A fresh encode carries no EXIF (no location, no camera serial): privacy for the normalised copy.
    img.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue(), img.width, img.height


def prepare(data: bytes, limits: Limits) -> PreparedUpload:
    """Validate and normalise one upload; raises UnreadableFile with a Korean message."""
    if len(data) > limits.max_file_bytes:
        mb = limits.max_file_bytes // (1024 * 1024)
        raise UnreadableFile(f"파일이 너무 큽니다 (최대 {mb}MB, 이 파일은 {len(data) / 1024 / 1024:.1f}MB)")
    pages = load_pages(data, max_pixels=limits.max_pixels, max_pages=limits.max_pdf_pages)
    kind = sniff(data) or "jpeg"
    prepared = []
    for page in pages:
        jpeg, width, height = _jpeg(page, limits.image_max_side, limits.jpeg_quality)
        thumb, _, _ = _jpeg(page, limits.thumb_max_side, 75)
        prepared.append(PreparedPage(jpeg, width, height, thumb))
        page.close()
    return PreparedUpload(
        kind, CONTENT_TYPES.get(kind, "application/octet-stream"), hashlib.sha256(data).hexdigest(), prepared
    )


__all__ = ["CONTENT_TYPES", "Limits", "PreparedPage", "PreparedUpload", "UnreadableFile", "prepare"]
