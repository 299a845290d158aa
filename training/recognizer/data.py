"""Synthetic training batches: sampler -> renderer -> augmentations -> shared preprocessing.

Batches are built inside DataLoader worker processes (bucketed by width to limit padding), so a
16-core machine can feed a GPU. Deterministic by (seed, run segment, worker id, stream): `stream` is the
number of samples the starting weights had already seen, so that a fine-tune never replays its parent's
lines (before it was added, four CPU fine-tunes from seed 1234 drew the same stream)."""

from __future__ import annotations

import cv2
import numpy as np
import torch
from torch.utils.data import IterableDataset, get_worker_info

from tasks.ocr.recognizer import STRIDE, pad_batch

from . import fonts as fonts_mod
from .charset import build_charset
from .render import make_sample
from .sampler import TextSampler


class Encoder:
    def __init__(self, charset: list[str]) -> None:
        self.charset = charset
        self.index = {c: i + 1 for i, c in enumerate(charset)}

    def encode(self, text: str) -> list[int]:
        return [self.index[c] for c in text]


class FontSet:
    """Font paths plus, for each, the charset characters it cannot draw."""

    def __init__(self, paths: list[str], charset: list[str]) -> None:
        self.paths = paths
        self.missing = [fonts_mod.missing_chars(p, charset) for p in paths]

    def fix_text(self, i: int, text: str) -> str:
        miss = self.missing[i]
        if miss:
            text = "".join(c for c in text if c not in miss).strip() or "합계"
        return text


def make_batch(samples: list[tuple[np.ndarray, str]], enc: Encoder):
    lines = [s[0] for s in samples]
    texts = [s[1] for s in samples]
    x = torch.from_numpy(pad_batch(lines))
    targets = torch.tensor([i for t in texts for i in enc.encode(t)], dtype=torch.long)
    target_lengths = torch.tensor([len(t) for t in texts], dtype=torch.long)
    input_lengths = torch.tensor([-(-ln.shape[1] // STRIDE) for ln in lines], dtype=torch.long)
    return x, targets, target_lengths, input_lengths, texts


def render_set(n: int, font_paths: list[str], seed: int, charset: list[str]) -> list[tuple[np.ndarray, str]]:
    """A fixed set of n prepared lines (for validation / evaluation), deterministic by seed."""
    fs = FontSet(font_paths, charset)
    out = []
    for k in range(n):
        rng = np.random.default_rng([seed, k])  # one stream per line: the text never depends on rendering
        fi = k % len(font_paths)
        text = fs.fix_text(fi, TextSampler(rng).line())
        out.append((make_sample(text, font_paths[fi], rng), text))
    return out


class SyntheticLines(IterableDataset):
    def __init__(
        self,
        batch_size: int,
        seed: int,
        segment: int = 0,
        font_names: list[str] | None = None,
        bucket: int = 4,
        hangul_focus: float = 0.0,
        stream: int = 0,
        heavy_blur: float = 0.0,
    ) -> None:
        super().__init__()
        self.stream = stream
        self.batch_size = batch_size
        self.seed = seed
        self.segment = segment
        self.font_names = font_names or fonts_mod.TRAIN_FONTS
        self.bucket = bucket
        self.hangul_focus = hangul_focus
        self.heavy_blur = heavy_blur

    def __iter__(self):
        cv2.setNumThreads(1)
        info = get_worker_info()
        wid = info.id if info else 0
        key = [self.seed, self.segment, wid] + ([self.stream] if self.stream else [])
        rng = np.random.default_rng(key)
        charset = build_charset()
        enc = Encoder(charset)
        paths = fonts_mod.resolve(self.font_names)
        fs = FontSet(paths, charset)
        smp = TextSampler(rng, self.hangul_focus)
        while True:
            samples = []
            for _ in range(self.batch_size * self.bucket):
                fi = int(rng.integers(len(paths)))
                text = fs.fix_text(fi, smp.line())
                samples.append((make_sample(text, paths[fi], rng, heavy_blur=self.heavy_blur), text))
            samples.sort(key=lambda s: s[0].shape[1])
            chunks = [samples[i : i + self.batch_size] for i in range(0, len(samples), self.batch_size)]
            for j in rng.permutation(len(chunks)):
                yield make_batch(chunks[int(j)], enc)
