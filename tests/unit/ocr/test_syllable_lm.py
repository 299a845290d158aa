"""The syllable bigram model and the CTC beam search that consults it (tasks/ocr/syllable_lm.py)."""

import gzip

import numpy as np
import pytest

from tasks.ocr.config import KOREAN_LM_PATH, KOREAN_LM_WEIGHT, OcrConfig
from tasks.ocr.recognizer import ctc_greedy_decode
from tasks.ocr.syllable_lm import SyllableBigramLM, ctc_beam_decode, is_uncertain
from training.recognizer import lm as lm_builder

CHARSET = ["1", "월", "일", "중", "앙", "양", "마", "트", " "]


@pytest.fixture(scope="module")
def lm():
    return SyllableBigramLM.load(KOREAN_LM_PATH)


def frames(*columns: dict[str, float]) -> np.ndarray:
    """One frame per dict {char: prob}; the rest of each frame's mass goes to the blank."""
    out = np.zeros((len(columns), len(CHARSET) + 1), np.float32)
    for t, col in enumerate(columns):
        for ch, p in col.items():
            out[t, CHARSET.index(ch) + 1] = p
        out[t, 0] = 1.0 - sum(col.values())
    return out


def test_shipped_counts_are_what_the_builder_makes(tmp_path):
    words = [w for w in lm_builder.WORDS.read_text(encoding="utf-8").split("\n") if w]
    out = tmp_path / "lm.tsv.gz"
    lm_builder.write(out, *lm_builder.count(words))
    assert gzip.decompress(out.read_bytes()) == gzip.decompress(KOREAN_LM_PATH.read_bytes())


def test_association_prefers_words(lm):
    assert lm.association("중", "앙") > 0 > lm.association("중", "양")
    assert lm.association("식", "당") > lm.association("식", "딩")
    # nothing but Hangul after Hangul is scored
    assert lm.association("1", "월") == lm.association("1", "일") == 0.0
    assert lm.association("중", "1") == 0.0
    assert np.isfinite(lm.association("힣", "힣"))  # unseen syllables are smoothed, not -inf


def test_beam_without_weight_is_greedy_and_keeps_repeats(lm):
    probs = frames({"1": 0.9}, {}, {"1": 0.9}, {"1": 0.9}, {"월": 0.8})
    assert ctc_beam_decode(probs, CHARSET, lm, weight=0.0) == "11월"
    assert ctc_greedy_decode(probs[None], CHARSET)[0][0] == "11월"


def test_hesitation_between_syllables_is_settled_by_the_word(lm):
    probs = frames({"중": 0.95}, {}, {"양": 0.5, "앙": 0.45})
    assert ctc_greedy_decode(probs[None], CHARSET)[0][0] == "중양"
    assert ctc_beam_decode(probs, CHARSET, lm, weight=KOREAN_LM_WEIGHT) == "중앙"
    # a sure reading (97:1) is not overruled
    sure = frames({"중": 0.95}, {}, {"양": 0.97, "앙": 0.01})
    assert ctc_beam_decode(sure, CHARSET, lm, weight=KOREAN_LM_WEIGHT) == "중양"


def test_first_syllable_after_a_digit_is_the_models(lm):
    # 일 is far commoner than 월 in Korean words, but after a digit nothing is scored
    probs = frames({"1": 0.9}, {}, {"1": 0.9}, {"월": 0.5, "일": 0.45})
    assert ctc_beam_decode(probs, CHARSET, lm, weight=KOREAN_LM_WEIGHT) == "11월"


def test_only_lines_with_a_runner_up_character_take_the_beam():
    assert not is_uncertain(frames({"중": 0.6}, {"앙": 0.99}))  # blank against a character is no doubt
    assert is_uncertain(frames({"양": 0.5, "앙": 0.45}))
    assert not is_uncertain(np.zeros((0, len(CHARSET) + 1), np.float32))


def test_weight_from_the_environment():
    assert OcrConfig.from_env({}).korean_lm_weight == KOREAN_LM_WEIGHT
    assert OcrConfig.from_env({"CHONGMU_OCR_KOREAN_LM_WEIGHT": "0"}).korean_lm_weight == 0.0
    assert OcrConfig.from_env({"CHONGMU_OCR_KOREAN_LM_WEIGHT": "-1"}).korean_lm_weight == 0.0
    assert OcrConfig.from_env({"CHONGMU_OCR_KOREAN_LM_WEIGHT": "x"}).korean_lm_weight == KOREAN_LM_WEIGHT
