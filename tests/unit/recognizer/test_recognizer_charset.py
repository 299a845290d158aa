"""Charset file, preprocessing and CTC decoding round-trips (no model, no torch)."""

import numpy as np

from tasks.ocr.recognizer import (
    DEFAULT_CHARSET_PATH,
    HEIGHT,
    STRIDE,
    ctc_greedy_decode,
    load_charset,
    pad_batch,
    prepare_line_crop,
)
from training.recognizer.charset import build_charset, ksx1001_hangul


def test_ksx1001_has_2350_syllables():
    syl = ksx1001_hangul()
    assert len(syl) == 2350
    assert len(set(syl)) == 2350
    assert syl[0] == "가" and syl[-1] == "힝"
    for ch in "합계부가세공급가액승인번호사업자카드일시불결제금액받을대표주소전화점":
        assert ch in syl


def test_shipped_charset_matches_builder_and_round_trips(tmp_path):
    shipped = load_charset(DEFAULT_CHARSET_PATH)
    assert shipped == build_charset()
    assert " " in shipped and "₩" in shipped and "※" in shipped and "·" in shipped and "×" in shipped
    for ch in "()[]{}<>0123456789,.-:/%*#":
        assert ch in shipped
    p = tmp_path / "cs.txt"
    p.write_text("".join(c + "\n" for c in shipped), encoding="utf-8")
    assert load_charset(p) == shipped


def _probs_for(text, charset, frames_per_char=3, n_classes=None):
    """One-hot-ish CTC frames for text: blank, char repeated, blank ... (repeats need a blank between)."""
    index = {c: i + 1 for i, c in enumerate(charset)}
    n_classes = n_classes or len(charset) + 1
    seq = [0]
    for c in text:
        seq += [index[c]] * frames_per_char + [0]
    probs = np.full((len(seq), n_classes), 0.01 / n_classes, np.float32)
    for t, k in enumerate(seq):
        probs[t, k] = 0.99
    return probs


def test_ctc_greedy_decode_round_trip():
    charset = build_charset()
    texts = ["합계 43,500원", "(주)한솥 역삼점", "승인번호 00112233", "₩1,000 ×2 ※", "aa  bb", "가가가"]
    probs = [_probs_for(t, charset) for t in texts]
    width = max(p.shape[0] for p in probs)
    batch = np.zeros((len(texts), width, len(charset) + 1), np.float32)
    batch[:, :, 0] = 1.0  # padding frames are blank
    for i, p in enumerate(probs):
        batch[i, : p.shape[0]] = p
    out = ctc_greedy_decode(batch, charset, [p.shape[0] for p in probs])
    assert [t for t, _ in out] == texts
    assert all(0.9 < c <= 1.0 for _, c in out)


def test_ctc_collapses_repeats_and_drops_blanks():
    charset = ["a", "b"]
    seq = [1, 1, 0, 1, 2, 2, 0, 0, 2]
    probs = np.eye(3, dtype=np.float32)[seq][None]
    assert ctc_greedy_decode(probs, charset)[0][0] == "aabb"


def test_prepare_line_crop_shapes_and_polarity():
    img = np.full((48, 200), 240, np.uint8)
    img[15:35, 20:180] = 20  # dark text block on light paper
    x = prepare_line_crop(img)
    assert x.shape == (HEIGHT, round(200 * HEIGHT / 48)) and x.dtype == np.float32
    assert -1.0 <= x.min() and x.max() <= 1.0
    assert x[0, 0] > 0.5 and x[HEIGHT // 2, x.shape[1] // 2] < -0.5
    inverted = prepare_line_crop(255 - img)  # light text on dark is turned the right way round
    assert np.allclose(inverted, x, atol=0.05)
    bgr = np.dstack([img, img, img])
    assert np.allclose(prepare_line_crop(bgr), x, atol=1e-3)
    b = pad_batch([x, x[:, :50]])
    assert b.shape[0] == 2 and b.shape[1] == 1 and b.shape[3] % STRIDE == 0
    assert np.allclose(b[1, 0, :, 60:], x[0, 0], atol=0.1)  # padded with the background


def test_the_sampler_names_each_lines_sub_kind():
    """evaluate.py splits the CER by these (receipt-like lines, words, random syllables …)."""
    from training.recognizer.sampler import TextSampler

    smp = TextSampler(np.random.default_rng(5))
    seen: dict[str, list[str]] = {}
    for _ in range(400):
        line = smp.line()
        seen.setdefault(smp.last_sub, []).append(line)
        assert (smp.last_kind == "receipt") == (smp.last_sub == "receipt")
    assert set(seen) == {"receipt", "words", "syllables", "charset", "ascii"}
    assert all(c.isascii() for line in seen["ascii"] for c in line)
    assert all(all("가" <= c <= "힣" or c == " " for c in line) for line in seen["syllables"])


def test_the_sampler_prints_card_numbers_in_every_masking_style():
    import re

    from training.recognizer.sampler import TextSampler

    smp = TextSampler(np.random.default_rng(11))
    cards = [smp.card_no() for _ in range(300)]
    styles = {
        "bin and two digits": r"\d{4}-\d{2}([*#X])\1-\1{4}-\d{4}",
        "bin only": r"\d{4}-([*#X])\1{3}-\1{4}-\d{4}",
        "last four only": r"([*#X])\1{3}-\1{4}-\1{4}-\d{4}",
        "no dashes": r"\d{6}([*#X])\1{5}\d{4}",
        "last digit masked": r"\d{4}-\d{4}-\*{4}-\d{3}\*",
    }
    for name, pattern in styles.items():
        assert any(re.fullmatch(pattern, c) for c in cards), name


def test_heavy_blur_blurs_lines_and_leaves_the_fixed_eval_lines_alone():
    import cv2

    from training.recognizer.fonts import EVAL_FONTS, resolve
    from training.recognizer.render import augment, render_text

    (path,) = resolve([EVAL_FONTS[0]])
    clean = render_text("합계 43,500원", path, np.random.default_rng(5))

    def sharpness(img: np.ndarray) -> float:
        return float(cv2.Laplacian(img.astype(np.float32), cv2.CV_32F).var())

    # at 0 no random number is drawn for it: the evaluation's lines stay what they were
    a, b = np.random.default_rng(9), np.random.default_rng(9)
    assert np.array_equal(augment(clean, a), augment(clean, b, heavy_blur=0.0))
    assert a.random() == b.random()
    # at 1 every line is blurred, much more than the usual light blur (noise comes after either)
    usual = [sharpness(augment(clean, np.random.default_rng(s))) for s in range(40)]
    heavy = [sharpness(augment(clean, np.random.default_rng(s), heavy_blur=1.0)) for s in range(40)]
    assert np.median(heavy) < 0.5 * np.median(usual)
