"""Hand-written OCR output for extraction tests: rows of (text, x) or (text, x, alts...)."""

from __future__ import annotations

from tasks.ocr.engines import OcrLine


def line(
    text: str,
    x: float,
    y: float,
    w: float | None = None,
    h: float = 24,
    conf: float = 0.95,
    alts: tuple[str, ...] = (),
) -> OcrLine:
    w = w if w is not None else 14 * max(1, len(text))
    return OcrLine(text, [(x, y), (x + w, y), (x + w, y + h), (x, y + h)], conf, alts)


def page(*rows, line_h: float = 34, skew: float = 0.0) -> list[OcrLine]:
    """Each row: a string (one line at x=20) or a list of (text, x) pieces on the same row.
    skew: pixels of vertical drop per 100 px of x (a rotated photo)."""
    out = []
    y = 20.0
    for row in rows:
        pieces = [(row, 20)] if isinstance(row, str) else row
        for piece in pieces:
            text, x = piece[0], piece[1]
            alts = tuple(piece[2:]) if len(piece) > 2 else ()
            ln = line(text, x, y + skew * x / 100, alts=alts)
            if skew:
                d = skew / 100
                ln.box = [(px, py + (px - x) * d) for px, py in ln.box]
            out.append(ln)
        y += line_h
    return out
