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


# --------------------------------------------------------------------------- marks the detector misses


def _frame(box: np.ndarray) -> tuple[np.ndarray, np.ndarray, float, float]:
    """A box's reading direction u, its downward normal n, width and height."""
    u = box[1] - box[0]
    w = float(np.linalg.norm(u)) or 1.0
    u = u / w
    n = np.array([-u[1], u[0]], dtype=np.float32)
    h = float(np.linalg.norm(box[3] - box[0]) + np.linalg.norm(box[2] - box[1])) / 2
    return u, n, w, h


def _strip(g: np.ndarray, origin: np.ndarray, along: np.ndarray, n: np.ndarray, length: int, h: int):
    """The pixels of the band that starts at `origin` and runs `length` px along `along` (h px high),
    as an upright (h, length) array; outside the image is white (no ink)."""
    m = np.array([[along[0], n[0], origin[0]], [along[1], n[1], origin[1]]], dtype=np.float32)
    return cv2.warpAffine(
        g,
        m,
        (length, h),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=255,
    )


def _ink_reach(
    g: np.ndarray,
    box: np.ndarray,
    along: np.ndarray,
    others: list[np.ndarray],
    contrast: float,
    reach: float,
    span: float,
) -> list[np.ndarray]:
    """The run of '*' (with dashes and dots, then whatever follows it on the line) that the detector
    left out beyond the end of `box` that `along` points to, with gaps shorter than `reach` x the
    line height: the corners of each mark; none unless at least two stars were missed, or, then, only
    the rest of a glyph the box cut through (ink that starts right at its end). Ink inside
    another box counts only after them (then the two are one line); a rule (too wide) or a table
    border (top to bottom) ends the line. The band is a little higher than the box: a short box's
    angle is rough."""
    _, n, _, hf = _frame(box)
    pad = 0.25 * hf
    height = max(2, round(hf + 2 * pad))
    length = max(2, round(span * hf))
    origin = (box[1] if along @ (box[1] - box[0]) > 0 else box[0]) - n * pad
    band = _strip(g, origin, along, n, length, height).astype(np.float32)
    # the paper's brightness column by column (the light is uneven along a line): ink is darker than
    # it by a share of the box's own contrast
    paper = np.percentile(band, 90, axis=0).astype(np.float32)[None, :]
    paper = cv2.dilate(paper, np.ones((1, max(3, round(hf))), np.uint8))
    ink = (band < paper - contrast).astype(np.uint8)
    count, _, stats, centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    pos, stars, cut, marks = 0.0, 0, 0, []
    for k in sorted(range(1, count), key=lambda k: stats[k, cv2.CC_STAT_LEFT]):
        x, y, cw, ch, area = (int(v) for v in stats[k, :5])
        if x - pos > reach * hf:
            break
        if (cw > 1.5 * hf and ch < 0.35 * hf) or cw > 4 * hf or (y == 0 and y + ch >= height):
            break  # a rule, a border, the paper's edge
        if area < max(3.0, 0.01 * hf * hf) or (ch < 0.15 * hf and cw < 0.25 * hf):
            continue  # a speck (a dash is flat but wide)
        cy = float(centroids[k][1])
        if not pad <= cy <= height - pad:
            continue  # the next line's ascenders or the last one's descenders
        centre = origin + along * float(centroids[k][0]) + n * cy
        pt = (float(centre[0]), float(centre[1]))
        detected = any(cv2.pointPolygonTest(o.reshape(-1, 1, 2), pt, False) >= 0 for o in others)
        star = 0.15 * hf <= ch <= 0.6 * hf and 0.5 * ch <= cw <= 2 * ch and cy - pad <= 0.7 * hf
        dash = ch <= 0.25 * hf and cw >= 1.5 * ch
        if x == 0 and not detected and cw <= 1.2 * hf:
            cut += 1  # the rest of a glyph the box cut through
        elif (detected or not (star or dash)) and stars < 2:
            break  # a word or a letter that is no mask: only what follows a run of stars is joined
        stars += star and not detected
        pos = max(pos, float(x + cw))
        marks.append(
            np.array(
                [origin + along * px + n * py for px in (x, x + cw) for py in (y, y + ch)],
                dtype=np.float32,
            )
        )
    return marks if stars >= 2 else marks[:cut]


def _union_in_frame(base: np.ndarray, boxes: list[np.ndarray]) -> np.ndarray:
    """The rectangle, aligned with `base`, that holds all `boxes`."""
    u, n, _, _ = _frame(base)
    pts = np.concatenate(boxes).astype(np.float32) - base[0]
    a, b = pts @ u, pts @ n
    o = base[0]
    return np.array(
        [
            o + u * a.min() + n * b.min(),
            o + u * a.max() + n * b.min(),
            o + u * a.max() + n * b.max(),
            o + u * a.min() + n * b.max(),
        ],
        dtype=np.float32,
    )


def extend_over_marks(
    img: np.ndarray, boxes: list[np.ndarray], reach: float = 0.7, span: float = 12.0
) -> list[np.ndarray]:
    """Line boxes stretched over the marks PP-OCR's detector leaves out.

    The detector does not see runs of '*' as text: a masked card number "9435-77**-****-6256" comes
    back as "9435-77**", or as "9441-90**" and "840*" with the stars between them lost. A box is
    extended, left or right, over a run of at least two star-sized marks no box covers (and what
    follows them on the line, gaps under `reach` x its height); where that carries it into the next
    box on the row, the two become one line. A glyph the box cuts through at either end is taken whole
    (066's "407-28-9057|5" lost its last digit). Other letters and words beside a box are left alone."""
    if not boxes:
        return boxes
    g = grey(img)
    out = [np.asarray(b, dtype=np.float32) for b in boxes]
    grown: list[int] = []
    for i in range(len(out)):
        box = out[i]
        u, n, w, hf = _frame(box)
        if hf < 6 or w < hf:
            continue
        inner = _strip(g, box[0], u, n, max(2, round(w)), max(2, round(hf)))
        bg, ink = np.percentile(inner, 90), np.percentile(inner, 5)
        if bg - ink < 40:
            continue  # too little contrast to tell ink from paper
        # nearer the paper than the ink: the stars print fainter and thinner than the digits
        contrast = 0.4 * float(bg - ink)
        others = [o for j, o in enumerate(out) if j != i]
        marks = [m for side in (u, -u) for m in _ink_reach(g, box, side, others, contrast, reach, span)]
        if marks:
            out[i] = _union_in_frame(box, [box, *marks])
            grown.append(i)
    return _join_row_overlaps(out, grown)


def _join_row_overlaps(boxes: list[np.ndarray], grown: list[int]) -> list[np.ndarray]:
    """Boxes that a grown box now overlaps on its row, joined into one."""
    parent = list(range(len(boxes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in grown:
        u, n, w, h = _frame(boxes[i])
        for j in range(len(boxes)):
            if j == i:
                continue
            pts = boxes[j] - boxes[i][0]
            a, b = pts @ u, pts @ n
            _, _, _, hj = _frame(boxes[j])
            v_overlap = min(h, b.max()) - max(0.0, b.min())
            if v_overlap >= 0.6 * min(h, hj) and a.min() < w and a.max() > 0:
                parent[find(j)] = find(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(boxes)):
        groups.setdefault(find(i), []).append(i)
    out = []
    for members in groups.values():
        if len(members) == 1:
            out.append(boxes[members[0]])
            continue
        base = max(members, key=lambda k: _frame(boxes[k])[2])  # the longest sets the angle
        out.append(_union_in_frame(boxes[base], [boxes[k] for k in members]))
    out.sort(key=lambda b: (float(b[:, 1].min()), float(b[:, 0].min())))
    return out
