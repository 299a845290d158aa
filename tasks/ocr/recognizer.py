"""Our own Korean text-line recogniser (CRNN + CTC, ONNX), the runtime half.

Only numpy, OpenCV and onnxruntime are used here: torch is a training-only extra.
`prepare_line_crop` and `pad_batch` are shared with the training code
(`training/recognizer/`), so the preprocessing at training and at inference cannot drift.

Usage (e.g. from the OCR engine registry):

    rec = KoreanRecognizer(model_path, charset_path, threads=2)
    rec.recognize([crop1, crop2])  # crops: numpy arrays, grey (H, W) or BGR (H, W, 3)
    -> [("합계 43,500원", 0.97), ...]
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from .syllable_lm import SyllableBigramLM, ctc_beam_decode, is_uncertain

#: Input height of the model, in pixels.
HEIGHT = 32
#: Width of the model's output frames in input pixels (the conv stack's stride along x).
STRIDE = 4
MIN_WIDTH = 16
MAX_WIDTH = 1600

MODELS_DIR = Path(__file__).resolve().parent / "models"
DEFAULT_MODEL_PATH = MODELS_DIR / "korean_rec.onnx"
DEFAULT_CHARSET_PATH = MODELS_DIR / "korean_rec_charset.txt"


def load_charset(path: str | os.PathLike[str]) -> list[str]:
    """One character per line (a line may be a single space). Index 0 of the model is the CTC blank,
    so class ``i + 1`` is ``charset[i]``."""
    text = Path(path).read_text(encoding="utf-8")
    chars = text.split("\n")
    if chars and chars[-1] == "":
        chars.pop()
    for i, c in enumerate(chars):
        if len(c) != 1:
            raise ValueError(f"charset line {i + 1} holds {c!r}, not one character")
    if len(set(chars)) != len(chars):
        raise ValueError("charset has duplicate characters")
    return chars


def _to_grey(img: np.ndarray) -> np.ndarray:
    if img.ndim == 2:
        grey = img
    elif img.ndim == 3 and img.shape[2] == 1:
        grey = img[:, :, 0]
    elif img.ndim == 3 and img.shape[2] == 3:
        grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    elif img.ndim == 3 and img.shape[2] == 4:
        grey = cv2.cvtColor(img, cv2.COLOR_BGRA2GRAY)
    else:
        raise ValueError(f"unsupported crop shape {img.shape}")
    if grey.dtype != np.uint8:
        grey = np.clip(grey, 0, 255).astype(np.uint8)
    return grey


def prepare_line_crop(img: np.ndarray, height: int = HEIGHT) -> np.ndarray:
    """A line crop (grey or BGR uint8) -> float32 array (height, W) in about [-1, 1], dark text on light.

    Grey, resized to `height` keeping the aspect ratio, dark-on-light (inverted when the border,
    i.e. the background, is darker than the crop's mean), contrast stretched between the 1st and
    99th percentile.
    """
    grey = _to_grey(np.asarray(img))
    h, w = grey.shape
    if h < 1 or w < 1:
        grey = np.full((height, MIN_WIDTH), 255, np.uint8)
        h, w = grey.shape
    new_w = round(w * height / h)
    new_w = max(MIN_WIDTH, min(MAX_WIDTH, new_w))
    interp = cv2.INTER_AREA if h > height else cv2.INTER_LINEAR
    resized = cv2.resize(grey, (new_w, height), interpolation=interp).astype(np.float32)
    border = np.concatenate([resized[0], resized[-1], resized[:, 0], resized[:, -1]])
    if np.median(border) < resized.mean() - 10:  # light text on a dark background
        resized = 255.0 - resized
    lo, hi = (float(v) for v in np.percentile(resized, (1, 99)))
    if hi - lo < 8:
        hi = lo + 8
    out = (resized - lo) / (hi - lo)
    np.clip(out, 0.0, 1.0, out=out)
    out *= 2.0
    out -= 1.0
    return out


def pad_value(line: np.ndarray) -> float:
    """Padding for a prepared line: its background (median of the first and last columns)."""
    return float(np.median(np.concatenate([line[:, :2].ravel(), line[:, -2:].ravel()])))


def pad_batch(lines: Sequence[np.ndarray], width: int | None = None) -> np.ndarray:
    """Prepared lines (height, W_i) -> float32 (N, 1, height, W) padded on the right with each line's
    background; W = max width rounded up to a multiple of STRIDE."""
    if width is None:
        width = max(x.shape[1] for x in lines)
    width = -(-width // STRIDE) * STRIDE
    h = lines[0].shape[0]
    out = np.empty((len(lines), 1, h, width), np.float32)
    for i, x in enumerate(lines):
        w = x.shape[1]
        out[i, 0, :, :w] = x
        out[i, 0, :, w:] = pad_value(x)
    return out


def ctc_greedy_decode(
    probs: np.ndarray, charset: Sequence[str], lengths: Sequence[int] | None = None
) -> list[tuple[str, float]]:
    """probs (N, T, C) softmax outputs, class 0 = blank -> [(text, confidence)].

    Confidence is the mean of the best class probability over the emitted characters
    (1.0 minus the mean blank probability's shortfall when nothing was emitted)."""
    best = probs.argmax(axis=2)
    best_p = probs.max(axis=2)
    results: list[tuple[str, float]] = []
    for i in range(best.shape[0]):
        t_len = best.shape[1] if lengths is None else min(int(lengths[i]), best.shape[1])
        seq = best[i, :t_len]
        ps = best_p[i, :t_len]
        keep = np.ones(t_len, bool)
        if t_len > 1:
            keep[1:] = seq[1:] != seq[:-1]
        keep &= seq != 0
        idx = seq[keep]
        text = "".join(charset[k - 1] for k in idx if 0 < k <= len(charset))
        conf = float(ps[keep].mean()) if idx.size else float(ps.mean()) if t_len else 0.0
        results.append((text, conf))
    return results


class KoreanRecognizer:
    """One onnxruntime InferenceSession; thread-safe for `recognize` calls (onnxruntime's run is)."""

    def __init__(
        self,
        model_path: str | os.PathLike[str] | None = None,
        charset_path: str | os.PathLike[str] | None = None,
        threads: int = 1,
        *,
        max_batch: int = 16,
        max_width_ratio: float = 1.5,
        lm_path: str | os.PathLike[str] | None = None,
        lm_weight: float = 0.0,
    ) -> None:
        import onnxruntime as ort

        self.model_path = Path(model_path or DEFAULT_MODEL_PATH)
        self.charset_path = Path(charset_path or DEFAULT_CHARSET_PATH)
        self.charset = load_charset(self.charset_path)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = max(1, int(threads))
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.log_severity_level = 3
        # Every line crop has its own width: an arena and memory patterns sized for one shape are
        # kept for the next and only grow (measured: worker peak 1010 → 787 MiB over the samples).
        opts.enable_cpu_mem_arena = False
        opts.enable_mem_pattern = False
        self.session = ort.InferenceSession(
            str(self.model_path), sess_options=opts, providers=["CPUExecutionProvider"]
        )
        self.input_name = self.session.get_inputs()[0].name
        n_classes = self.session.get_outputs()[0].shape[-1]
        if isinstance(n_classes, int) and n_classes != len(self.charset) + 1:
            raise ValueError(
                f"model has {n_classes} classes but charset {self.charset_path} "
                f"has {len(self.charset)} + blank"
            )
        self.max_batch = max_batch
        self.max_width_ratio = max_width_ratio
        self.lm = SyllableBigramLM.load(lm_path) if lm_path and lm_weight > 0 else None
        self.lm_weight = lm_weight

    def recognize(self, crops: Sequence[np.ndarray]) -> list[tuple[str, float]]:
        """Line crops (grey or BGR numpy arrays) -> [(text, confidence)] in the same order."""
        if not crops:
            return []
        lines = [prepare_line_crop(c) for c in crops]
        return self.recognize_prepared(lines)

    def recognize_prepared(self, lines: Sequence[np.ndarray]) -> list[tuple[str, float]]:
        return [self.decode(p) for p in self.line_probs(lines)]

    def decode(self, probs: np.ndarray) -> tuple[str, float]:
        """One line's (T, C) softmax outputs -> (text, confidence). Greedy; where the model hesitated
        between characters and a syllable model is loaded, the beam search with it picks the text
        (the confidence stays the greedy one, on the scale the ensemble compares)."""
        text, conf = ctc_greedy_decode(probs[None], self.charset)[0]
        if self.lm is not None and is_uncertain(probs):
            text = ctc_beam_decode(probs, self.charset, self.lm, weight=self.lm_weight)
        return text, conf

    def line_probs(self, lines: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Prepared lines -> each line's (T_i, C) softmax outputs, T_i frames of its own width.
        Lines of similar width share a batch, so little padding is computed."""
        order = sorted(range(len(lines)), key=lambda i: lines[i].shape[1])
        results: list[np.ndarray] = [np.empty((0, len(self.charset) + 1), np.float32)] * len(lines)
        start = 0
        while start < len(order):
            w0 = lines[order[start]].shape[1]
            end = start + 1
            while (
                end < len(order)
                and end - start < self.max_batch
                and lines[order[end]].shape[1] <= w0 * self.max_width_ratio
            ):
                end += 1
            idx = order[start:end]
            batch = pad_batch([lines[i] for i in idx])
            (probs,) = self.session.run(None, {self.input_name: batch})
            for k, i in enumerate(idx):
                frames = min(-(-lines[i].shape[1] // STRIDE), probs.shape[1])
                results[i] = probs[k, :frames]
            start = end
        return results
