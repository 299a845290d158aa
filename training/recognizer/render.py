"""Render a text line in a font and degrade it like a phone photo of a thermal-paper receipt.

Everything random comes from the numpy Generator passed in, so a seed fixes the output."""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from tasks.ocr.recognizer import prepare_line_crop


@lru_cache(maxsize=512)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


def render_text(text: str, font_path: str, rng: np.random.Generator) -> np.ndarray:
    """Clean dark-on-light grey uint8 image of the line, loosely cropped around the text."""
    size = int(rng.integers(22, 46))
    font = _font(font_path, size)
    stroke = 1 if (rng.random() < 0.15 and size >= 26) else 0
    spacing = 0.0
    if rng.random() < 0.25:
        spacing = float(rng.uniform(0.0, 0.35)) * size  # receipts often space characters out
    ascent, descent = font.getmetrics()
    line_h = ascent + descent
    if spacing > 0:
        advances = [font.getlength(ch) + spacing * (2.5 if ch == " " else 1.0) for ch in text]
        width = int(sum(advances) - spacing) + 2 * stroke + 4
    else:
        width = int(font.getlength(text)) + 2 * stroke + 4
    pad_l = int(rng.integers(1, max(2, int(size * 0.6))))
    pad_r = int(rng.integers(1, max(2, int(size * 0.6))))
    pad_t = int(rng.integers(0, max(1, int(size * 0.25))))
    pad_b = int(rng.integers(0, max(1, int(size * 0.25))))
    w, h = width + pad_l + pad_r, line_h + pad_t + pad_b
    paper = int(rng.integers(175, 256))
    ink = int(rng.integers(0, 100))
    if rng.random() < 0.2:  # faded thermal print
        ink = int(rng.integers(80, max(81, paper - 50)))
    img = Image.new("L", (w, h), paper)
    draw = ImageDraw.Draw(img)
    x, y = pad_l + stroke, pad_t
    if spacing > 0:
        for ch, adv in zip(text, advances, strict=True):
            draw.text((x, y), ch, font=font, fill=ink, stroke_width=stroke, stroke_fill=ink)
            x += adv
    else:
        draw.text((x, y), text, font=font, fill=ink, stroke_width=stroke, stroke_fill=ink)
    arr = np.asarray(img)
    # trim the glyph box's empty top/bottom so the line fills the crop like a detector's box does
    rows = np.where((arr < paper - 20).any(axis=1))[0]
    if rows.size:
        top = max(0, rows[0] - pad_t)
        bot = min(h, rows[-1] + 1 + pad_b)
        arr = arr[top:bot]
    return np.ascontiguousarray(arr)


def _dot_matrix(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    paper = float(np.percentile(img, 95))
    step = int(rng.integers(2, 4))
    yy, xx = np.mgrid[0 : img.shape[0], 0 : img.shape[1]]
    grid = ((yy % step) == 0) & ((xx % step) == 0)
    dots = np.where(grid, img, paper).astype(np.uint8)
    dots = cv2.erode(dots, np.ones((2, 2), np.uint8))  # grow dark dots
    return dots


def _heavy_blur(f: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Blur as strong as a shaky or out-of-focus photo of small print: Gaussian σ 4–10% of the line's
    height, or a motion streak 12–35% of it at any angle (the bench's poorest photos: σ 1.4–2.1 px and
    6–7 px streaks on 11–15 px text)."""
    h = f.shape[0]
    if rng.random() < 0.5:
        return cv2.GaussianBlur(f, (0, 0), float(rng.uniform(0.04, 0.10)) * h)
    length = max(3, round(float(rng.uniform(0.12, 0.35)) * h))
    kern = np.zeros((length, length), np.float32)
    c = (length - 1) / 2
    a = float(rng.uniform(0, np.pi))
    dx, dy = np.cos(a) * c, np.sin(a) * c
    cv2.line(kern, (round(c - dx), round(c - dy)), (round(c + dx), round(c + dy)), 1.0, 1)
    return cv2.filter2D(f, -1, kern / kern.sum())


def augment(img: np.ndarray, rng: np.random.Generator, heavy_blur: float = 0.0) -> np.ndarray:
    """Phone-photo / thermal-paper degradations of a clean line image (grey uint8). `heavy_blur` is the
    share of lines blurred as `_heavy_blur` does instead of the usual light blur; at 0 no random number
    is drawn for it, so the evaluation's fixed lines stay what they were."""
    h, w = img.shape
    paper = float(np.percentile(img, 90))
    # horizontal stretch: double-width headers or condensed fonts
    r = rng.random()
    if r < 0.1:
        img = cv2.resize(img, (max(8, int(w * rng.uniform(1.3, 2.0))), h), interpolation=cv2.INTER_LINEAR)
    elif r < 0.3:
        img = cv2.resize(img, (max(8, int(w * rng.uniform(0.75, 0.95))), h), interpolation=cv2.INTER_AREA)
    if rng.random() < 0.08:
        img = _dot_matrix(img, rng)
    if rng.random() < 0.1:  # bold by erosion (dark strokes grow)
        img = cv2.erode(img, np.ones((2, 2), np.uint8))
    h, w = img.shape
    # geometry: small rotation, shear, perspective
    if rng.random() < 0.7:
        src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
        ang = np.deg2rad(rng.normal(0, 0.8))
        shear = rng.normal(0, 0.18)  # the synthetic receipts slant their text more than 0.12
        jitter = rng.normal(0, 0.04 * h, size=(4, 2))
        cx, cy = w / 2, h / 2
        dst = []
        for (px, py), (jx, jy) in zip(src, jitter, strict=True):
            x0, y0 = px - cx, py - cy
            x0 = x0 + shear * y0
            x1 = x0 * np.cos(ang) - y0 * np.sin(ang)
            y1 = x0 * np.sin(ang) + y0 * np.cos(ang)
            dst.append([x1 + cx + jx, y1 + cy + jy])
        dst = np.float32(dst)
        minx, miny = dst.min(axis=0)
        maxx, maxy = dst.max(axis=0)
        dst -= [minx, miny]
        ow, oh = int(np.ceil(maxx - minx)), int(np.ceil(maxy - miny))
        m = cv2.getPerspectiveTransform(src, dst)
        img = cv2.warpPerspective(
            img,
            m,
            (max(ow, 8), max(oh, 8)),
            flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=paper,
        )
    f = img.astype(np.float32)
    h, w = f.shape
    # uneven light / shadow
    if rng.random() < 0.5:
        gx = np.linspace(-1, 1, w, dtype=np.float32)[None, :]
        gy = np.linspace(-1, 1, h, dtype=np.float32)[:, None]
        a = rng.uniform(0, 2 * np.pi)
        grad = np.cos(a) * gx + np.sin(a) * gy
        f *= 1.0 - rng.uniform(0.0, 0.35) * (grad + 1) / 2
    if rng.random() < 0.15:  # a shadow band
        x0 = int(rng.integers(0, w))
        f[:, x0 : x0 + int(rng.integers(w // 8 + 1, w // 2 + 2))] *= rng.uniform(0.55, 0.85)
    # fading: compress contrast towards the paper
    if rng.random() < 0.3:
        k = rng.uniform(0.35, 0.85)
        f = paper - (paper - f) * k
    # blur
    r = rng.random()
    if heavy_blur and rng.random() < heavy_blur:
        f = _heavy_blur(f, rng)
    elif r < 0.35:
        s = rng.uniform(0.3, 1.3)
        f = cv2.GaussianBlur(f, (0, 0), s)
    elif r < 0.45:  # motion blur
        k = int(rng.integers(2, 4))
        kern = np.zeros((k, k), np.float32)
        if rng.random() < 0.5:
            kern[k // 2, :] = 1.0 / k
        else:
            kern[:, k // 2] = 1.0 / k
        f = cv2.filter2D(f, -1, kern)
    # low resolution, upscaled
    if rng.random() < 0.25:
        th = int(rng.integers(12, 22))
        if th < h:
            sw = max(4, int(w * th / h))
            f = cv2.resize(f, (sw, th), interpolation=cv2.INTER_AREA)
            f = cv2.resize(
                f, (w, h), interpolation=cv2.INTER_LINEAR if rng.random() < 0.7 else cv2.INTER_NEAREST
            )
    # noise
    if rng.random() < 0.6:
        f += rng.normal(0, rng.uniform(2, 14), f.shape).astype(np.float32)
    if rng.random() < 0.1:
        sp = rng.random(f.shape) < rng.uniform(0.002, 0.02)
        f[sp] = rng.choice([0.0, 255.0], size=int(sp.sum()))
    img = np.clip(f, 0, 255).astype(np.uint8)
    # JPEG
    if rng.random() < 0.7:
        q = int(rng.integers(20, 71))
        ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, q])
        if ok:
            img = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
    # crop jitter (detector boxes are a little loose or tight)
    h, w = img.shape
    if rng.random() < 0.5 and h > 12:
        t = int(rng.integers(0, max(1, h // 12)))
        b = int(rng.integers(0, max(1, h // 12)))
        img = img[t : h - b] if h - b - t > 8 else img
    return np.ascontiguousarray(img)


def make_sample(
    text: str, font_path: str, rng: np.random.Generator, *, degrade: bool = True, heavy_blur: float = 0.0
) -> np.ndarray:
    """Text -> prepared model input (32, W) float32 (same preprocessing as the runtime)."""
    img = render_text(text, font_path, rng)
    if degrade:
        img = augment(img, rng, heavy_blur)
    return prepare_line_crop(img)


def make_image(
    text: str, font_path: str, rng: np.random.Generator, *, degrade: bool = True, heavy_blur: float = 0.0
) -> np.ndarray:
    """Text -> degraded grey uint8 line image (what a detector's crop would look like)."""
    img = render_text(text, font_path, rng)
    return augment(img, rng, heavy_blur) if degrade else img
