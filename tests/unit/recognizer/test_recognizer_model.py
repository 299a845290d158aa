"""The shipped ONNX model reads lines rendered in fonts that were held out of training."""

import numpy as np
import pytest

from tasks.ocr.config import KOREAN_LM_PATH, KOREAN_LM_WEIGHT
from tasks.ocr.recognizer import DEFAULT_CHARSET_PATH, DEFAULT_MODEL_PATH, KoreanRecognizer
from training.recognizer.fonts import EVAL_FONTS, HAND_EVAL_FONTS, TRAIN_FONTS, resolve
from training.recognizer.render import make_image, render_text

# (text, held-out font); rendered clean at a fixed seed, must be read exactly.
FIXED_LINES = [
    ("합계 43,500원", "NanumSquareRoundR.ttf"),
    ("부가세 3,954", "UnGraphic.ttf"),
    ("2024-05-03 14:22:10", "NanumSquareRoundB.ttf"),
    ("승인번호 30012345", "UnGraphicBold.ttf"),
    ("카드번호 5387-20**-****-1234", "NanumSquareRoundR.ttf"),
    ("결제금액 12,000원", "UnGraphic.ttf"),
]


@pytest.fixture(scope="module", params=[0.0, KOREAN_LM_WEIGHT], ids=["greedy", "with-syllable-lm"])
def recognizer(request):
    return KoreanRecognizer(
        DEFAULT_MODEL_PATH, DEFAULT_CHARSET_PATH, threads=1, lm_path=KOREAN_LM_PATH, lm_weight=request.param
    )


def test_model_file_is_small_and_eval_fonts_are_held_out():
    assert DEFAULT_MODEL_PATH.stat().st_size <= 20 * 1024 * 1024
    assert not set(EVAL_FONTS) & set(TRAIN_FONTS)
    assert len(resolve(EVAL_FONTS)) >= 2
    # held-out handwriting: no weight of the same family is trained on either
    families = {name.removesuffix(".ttf").rstrip("RB").removesuffix("Bold") for name in HAND_EVAL_FONTS}
    assert families == {"UnPilgi", "NanumBarunpen"}
    assert not [name for name in TRAIN_FONTS if any(name.startswith(f) for f in families)]
    assert len(resolve(HAND_EVAL_FONTS)) == 2


def test_reads_fixed_lines_in_held_out_fonts(recognizer):
    crops, texts = [], []
    for i, (text, font) in enumerate(FIXED_LINES):
        (path,) = resolve([font])
        crops.append(render_text(text, path, np.random.default_rng(i)))
        texts.append(text)
    got = recognizer.recognize(crops)
    assert [g for g, _ in got] == texts
    assert all(0.0 < c <= 1.0 for _, c in got)


def test_recognize_keeps_order_and_accepts_bgr(recognizer):
    assert recognizer.recognize([]) == []
    (path,) = resolve([EVAL_FONTS[0]])
    rng = np.random.default_rng(3)
    short = render_text("합계", path, rng)
    long = render_text("주소 서울특별시 강남구 테헤란로 123", path, rng)
    noisy = make_image("전화 02-123-4567", path, rng)
    bgr = np.dstack([short] * 3)
    out = recognizer.recognize([long, short, noisy, bgr])
    assert len(out) == 4
    assert out[1][0] == out[3][0]  # grey and BGR give the same reading
    assert len(out[0][0]) > len(out[1][0])
