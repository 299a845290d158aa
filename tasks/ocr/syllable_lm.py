"""A Hangul syllable bigram model and a CTC prefix beam search that consults it.

The CRNN confuses look-alike syllables (빛/밧, 앙/양, 하/히, 날/살); where its own probabilities are
close, which syllable usually follows the previous one in Korean words decides. The counts come from
a general Korean word list (Tesseract's `kor` dictionary, `training/recognizer/words_ko.txt`), made by
`python -m training.recognizer.lm`; nothing in them is specific to receipts or to our samples.

Only Hangul-after-Hangul transitions are scored; digits, Latin and symbols are decoded on the CTC
probabilities alone, so amounts and numbers are never "corrected" towards words.
"""

from __future__ import annotations

import gzip
import math
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

N_SYLLABLES = 11172  # every modern Hangul syllable (가..힣), for add-one smoothing of the unigram


def is_hangul(c: str) -> bool:
    return "가" <= c <= "힣"


class SyllableBigramLM:
    """log P(syllable | previous syllable) with Witten–Bell smoothing towards an add-one unigram."""

    def __init__(self, unigrams: dict[str, int], bigrams: dict[str, int]) -> None:
        total = sum(unigrams.values())
        self._uni = {c: math.log((n + 1) / (total + N_SYLLABLES)) for c, n in unigrams.items()}
        self._uni_unseen = math.log(1 / (total + N_SYLLABLES))
        followers: dict[str, int] = {}
        after: dict[str, int] = {}
        for pair, n in bigrams.items():
            followers[pair[0]] = followers.get(pair[0], 0) + 1
            after[pair[0]] = after.get(pair[0], 0) + n
        self._bigrams = bigrams
        self._followers = followers
        self._after = after
        self._cache: dict[str, float] = {}

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> SyllableBigramLM:
        """A gzip text file: `U<TAB>syllable<TAB>count` and `B<TAB>pair<TAB>count` lines."""
        unigrams: dict[str, int] = {}
        bigrams: dict[str, int] = {}
        with gzip.open(Path(path), "rt", encoding="utf-8") as f:
            for line in f:
                kind, key, count = line.rstrip("\n").split("\t")
                (unigrams if kind == "U" else bigrams)[key] = int(count)
        return cls(unigrams, bigrams)

    def unigram(self, c: str) -> float:
        return self._uni.get(c, self._uni_unseen)

    def logp(self, prev: str, c: str) -> float:
        """log P(c | prev) for Hangul syllables `prev` and `c`."""
        key = prev + c
        types = self._followers.get(prev, 0)
        p_uni = math.exp(self.unigram(c))
        if not types:
            return math.log(p_uni)
        return math.log((self._bigrams.get(key, 0) + types * p_uni) / (self._after[prev] + types))

    def association(self, prev: str, c: str) -> float:
        """How much likelier `c` is after `prev` than anywhere: log P(c | prev) - log P(c), for two
        Hangul syllables; 0 otherwise. No prior on the syllable itself: a rare syllable in a name is
        not pushed towards a common one, and a word's first syllable (after a digit, a space, a
        bracket) is the model's alone — 11월 must not become 11일 because 일 is the commoner."""
        if not (is_hangul(prev) and is_hangul(c)):
            return 0.0
        key = prev + c
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self.logp(prev, c) - self.unigram(c)
        return hit


def ctc_beam_decode(
    probs: np.ndarray,
    charset: Sequence[str],
    lm: SyllableBigramLM,
    *,
    weight: float,
    beam: int = 8,
    prune: float = 1e-3,
    per_frame: int = 6,
) -> str:
    """CTC prefix beam search over one line's (T, C) softmax outputs (class 0 = blank); a character
    after a Hangul syllable adds `weight * lm.association(previous, character)` to the log probability."""
    # prefix (tuple of class ids) -> [P(ends in blank), P(ends in a character)]; rescaled every frame
    beams: dict[tuple[int, ...], list[float]] = {(): [1.0, 0.0]}
    lm_score: dict[tuple[int, ...], float] = {(): 0.0}

    frame_of, class_of = np.nonzero(probs >= prune)  # one pass over the matrix, not a sort per frame
    cands_at: list[list[int]] = [[0] for _ in range(probs.shape[0])]
    for t, c in zip(frame_of.tolist(), class_of.tolist(), strict=True):
        if c:
            cands_at[t].append(c)
    for row, cands in zip(probs, cands_at, strict=True):
        if len(cands) > per_frame + 1:
            cands = [0, *sorted(cands[1:], key=lambda c: -row[c])[:per_frame]]
        nxt: dict[tuple[int, ...], list[float]] = {}
        for prefix, (pb, pnb) in beams.items():
            total = pb + pnb
            last = prefix[-1] if prefix else -1
            for c in cands:
                p = float(row[c])
                if c == 0:
                    nxt.setdefault(prefix, [0.0, 0.0])[0] += total * p
                    continue
                new = (*prefix, c)
                if new not in lm_score:
                    prev = charset[last - 1] if prefix else " "
                    lm_score[new] = lm_score[prefix] + weight * lm.association(prev, charset[c - 1])
                if c == last:
                    nxt.setdefault(new, [0.0, 0.0])[1] += pb * p  # a repeat needs a blank between
                    nxt.setdefault(prefix, [0.0, 0.0])[1] += pnb * p  # else it merges
                else:
                    nxt.setdefault(new, [0.0, 0.0])[1] += total * p
        scored = sorted(
            nxt.items(),
            key=lambda kv: math.log(kv[1][0] + kv[1][1] + 1e-300) + lm_score[kv[0]],
            reverse=True,
        )[:beam]
        top = max(pb + pnb for _, (pb, pnb) in scored) or 1.0
        beams = {k: [pb / top, pnb / top] for k, (pb, pnb) in scored}
    best = max(beams.items(), key=lambda kv: math.log(kv[1][0] + kv[1][1] + 1e-300) + lm_score[kv[0]])
    return "".join(charset[c - 1] for c in best[0])


def is_uncertain(probs: np.ndarray, threshold: float = 0.02) -> bool:
    """Whether any frame has a runner-up character (blank aside) above `threshold`: only such lines
    can decode differently with the language model, so confident lines keep the much cheaper greedy
    path. (Blank against a character is the ordinary edge of a glyph, not a doubt about the text.)"""
    if probs.shape[0] == 0 or probs.shape[1] < 3:
        return False
    second = np.partition(probs[:, 1:], -2, axis=1)[:, -2]
    return bool((second > threshold).any())
