"""Image preparation for the engines: size, grey, contrast, and deskewed line crops."""

from __future__ import annotations

import math

import cv2
import numpy as np
from PIL import Image

Box = list[tuple[float, float]]


def to_bgr(image: Image.Image) -> np.ndarray:
    rgb = np.asarray(image.convert("RGB"))
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)


def fit_side(img: np.ndarray, max_side: int, min_long_side: int = 0) -> tuple[np.ndarray, float]:
    """Downscale so that the long side is at most max_side (big phone photos make the detector slow
    and hungry: ~830 MiB on 24 MP), or upscale a small image so its long side reaches min_long_side.
    Returns the image and the factor that maps its coordinates back to the input's."""
    h, w = img.shape[:2]
    long_side = max(h, w)
    if max_side and long_side > max_side:
        f = max_side / long_side
        out = cv2.resize(img, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA)
        return out, 1.0 / f
    if min_long_side and long_side < min_long_side:
        f = min(3.0, min_long_side / long_side)
        out = cv2.resize(img, (round(w * f), round(h * f)), interpolation=cv2.INTER_CUBIC)
        return out, 1.0 / f
    return img, 1.0


def grey(img: np.ndarray) -> np.ndarray:
    if img.ndim == 2:
        return img
    return cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)


def enhance(img: np.ndarray) -> np.ndarray:
    """Grey + local contrast (CLAHE): faded thermal paper and shadows."""
    g = grey(img)
    clahe = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))
    return clahe.apply(g)


def order_points(pts: np.ndarray) -> np.ndarray:
    """Corner points as top-left, top-right, bottom-right, bottom-left."""
    pts = np.asarray(pts, dtype=np.float32).reshape(4, 2)
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    return np.array(
        [pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], dtype=np.float32
    )


def crop_line(
    img: np.ndarray, box: np.ndarray | Box, height: int | None = None, pad: float = 0.0
) -> np.ndarray:
    """The box's text line as an upright (deskewed by the box's own angle) crop, optionally
    normalised to `height` pixels, with `pad` x line height of margin added."""
    pts = order_points(np.asarray(box, dtype=np.float32))
    if pad:
        c = pts.mean(axis=0)
        lh = max(np.linalg.norm(pts[0] - pts[3]), np.linalg.norm(pts[1] - pts[2]))
        grow = pad * lh
        v_up = pts[0] - pts[3]
        n = np.linalg.norm(v_up) or 1.0
        up = v_up / n * grow
        v_right = pts[1] - pts[0]
        n = np.linalg.norm(v_right) or 1.0
        right = v_right / n * grow * 0.5
        pts = np.array(
            [pts[0] + up - right, pts[1] + up + right, pts[2] - up + right, pts[3] - up - right],
            dtype=np.float32,
        )
        del c
    w = int(max(np.linalg.norm(pts[0] - pts[1]), np.linalg.norm(pts[2] - pts[3])))
    h = int(max(np.linalg.norm(pts[0] - pts[3]), np.linalg.norm(pts[1] - pts[2])))
    w, h = max(w, 2), max(h, 2)
    dst = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(pts, dst)
    out = cv2.warpPerspective(img, m, (w, h), borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC)
    if out.shape[0] / out.shape[1] >= 1.5:  # a vertical line: read it turned
        out = np.rot90(out)
    if height:
        f = height / out.shape[0]
        interp = cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC
        out = cv2.resize(out, (max(2, round(out.shape[1] * f)), height), interpolation=interp)
    return np.ascontiguousarray(out)


def box_angle(box: Box | np.ndarray) -> float:
    pts = order_points(np.asarray(box, dtype=np.float32))
    dx, dy = pts[1] - pts[0]
    return math.degrees(math.atan2(float(dy), float(dx)))


def skew_angle(boxes: list[Box]) -> float:
    """Median angle (degrees) of the wide boxes: the page's skew."""
    angles = []
    for b in boxes:
        pts = order_points(np.asarray(b, dtype=np.float32))
        w = float(np.linalg.norm(pts[1] - pts[0]))
        h = float(np.linalg.norm(pts[3] - pts[0]))
        if w > 2.5 * max(h, 1.0):
            angles.append(box_angle(b))
    if not angles:
        return 0.0
    return float(np.median(angles))


def normalise_crop(g: np.ndarray) -> np.ndarray:
    """Dark text on a white background with full contrast (faded thermal print, grey paper): the paper
    (a high percentile) becomes white, the ink (a low one) black."""
    g = grey(g)
    lo, hi = np.percentile(g, 3), np.percentile(g, 85)
    if np.median(g) < (lo + hi) / 2 - 10:  # light text on a dark background: invert
        g = 255 - g
        lo, hi = np.percentile(g, 3), np.percentile(g, 85)
    if hi - lo < 8:
        return np.full_like(g, 255)
    out = (g.astype(np.float32) - lo) * (255.0 / (hi - lo))
    return np.clip(out, 0, 255).astype(np.uint8)


def stack_crops(
    crops: list[np.ndarray], height: int = 40, gap: int = 18, margin: int = 16
) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Grey line crops, height-normalised, stacked into one page (one Tesseract call for all lines).
    Returns the page and each crop's (top, bottom) row span."""
    norm = []
    for c in crops:
        g = normalise_crop(c)
        f = height / max(1, g.shape[0])
        interp = cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC
        g = cv2.resize(g, (max(2, round(g.shape[1] * f)), height), interpolation=interp)
        norm.append(g)
    width = max((g.shape[1] for g in norm), default=1) + 2 * margin
    total = margin * 2 + sum(g.shape[0] + gap for g in norm)
    page = np.full((max(total, 2 * margin + 1), width), 255, dtype=np.uint8)
    spans = []
    y = margin
    for g in norm:
        page[y : y + g.shape[0], margin : margin + g.shape[1]] = g
        spans.append((y, y + g.shape[0]))
        y += g.shape[0] + gap
    return page, spans
