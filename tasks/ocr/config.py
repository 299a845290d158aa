"""OCR settings, read from the environment when a worker or the CLI starts (never at import)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent / "models"
KOREAN_MODEL_PATH = MODELS_DIR / "korean_rec.onnx"
KOREAN_CHARSET_PATH = MODELS_DIR / "korean_rec_charset.txt"
KOREAN_LM_PATH = MODELS_DIR / "korean_syllable_lm.tsv.gz"
# Weight of the syllable bigram model in the Korean recogniser's beam search (0 = greedy decoding).
# 0.6 was best of 0/0.6/1.0/1.5 on 2,000 held-out synthetic lines (third model: CER 5.3 → 4.9%), no worse on
# the receipt samples (tasks/ocr/README.md); re-checked with the fifth model: flat from 0.6 to 1.0 (2.33%).
KOREAN_LM_WEIGHT = 0.6

# The engine used when none is named, chosen by `make bench-ocr` (per-field accuracy first, then latency;
# see tasks/ocr/README.md). `korean` now ties `ensemble` on the bench for a third less CPU, but the bench's
# samples are printed in fonts the recogniser was trained on: Tesseract stays in as a second opinion.
# Where an engine cannot run here (no Korean model file, no Tesseract) the first available one of
# ENGINE_PREFERENCE is used instead.
DEFAULT_ENGINE = "ensemble"
ENGINE_PREFERENCE = ("ensemble", "combined", "korean", "rapidocr", "tesseract")
FALLBACK_ENGINE = "combined"

# Upload limits (the web slice may pass stricter ones).
DEFAULT_MAX_PIXELS = 60_000_000  # ~ a 108 MP phone photo; 20000x20000 = 400 MP is refused
DEFAULT_MAX_PAGES = 20


def _int_env(name: str, default: int, env: Mapping[str, str] | None = None) -> int:
    raw = (os.environ if env is None else env).get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        return default


def _float_env(name: str, default: float, env: Mapping[str, str] | None = None) -> float:
    try:
        return float((os.environ if env is None else env).get(name, "").strip() or default)
    except ValueError:
        return default


@dataclass(frozen=True)
class OcrConfig:
    engine: str | None = None  # None = DEFAULT_ENGINE (or FALLBACK_ENGINE without the Korean model)
    threads: int = 1  # onnxruntime intra-op threads per session; Tesseract always runs with 1
    rec_model_path: str | None = None  # PaddleOCR-style rec model (ONNX) plugged into rapidocr
    rec_keys_path: str | None = None  # its character dictionary (one character per line)
    max_side: int = 1600  # long side of the image given to the detector, in pixels
    # detect in overlapping strips of at most this many pixels (0 = whole image): less peak memory for
    # small servers (bench: worker peak ~710 → ~520 MiB at 1,000,000) at 1–3 points of accuracy
    det_tile_pixels: int = 0
    korean_model_path: str = field(default=str(KOREAN_MODEL_PATH))
    korean_charset_path: str = field(default=str(KOREAN_CHARSET_PATH))
    korean_lm_path: str = field(default=str(KOREAN_LM_PATH))
    korean_lm_weight: float = KOREAN_LM_WEIGHT
    tesseract_cmd: str = "tesseract"
    tesseract_timeout: float = 60.0
    max_pixels: int = DEFAULT_MAX_PIXELS
    max_pages: int = DEFAULT_MAX_PAGES

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> OcrConfig:
        env = os.environ if environ is None else environ
        base = cls()
        threads = base.threads
        raw_threads = env.get("CHONGMU_OCR_THREADS", "").strip()
        if raw_threads:
            try:
                threads = max(1, int(raw_threads))
            except ValueError:
                pass
        max_side = base.max_side
        raw_side = env.get("CHONGMU_OCR_MAX_SIDE", "").strip()
        if raw_side.isdigit():
            max_side = max(320, int(raw_side))
        return replace(
            base,
            engine=(env.get("CHONGMU_OCR_ENGINE") or "").strip() or None,
            threads=threads,
            rec_model_path=(env.get("CHONGMU_OCR_REC_MODEL_PATH") or "").strip() or None,
            rec_keys_path=(env.get("CHONGMU_OCR_REC_KEYS_PATH") or "").strip() or None,
            max_side=max_side,
            korean_model_path=(env.get("CHONGMU_OCR_KOREAN_MODEL_PATH") or "").strip()
            or base.korean_model_path,
            korean_charset_path=(env.get("CHONGMU_OCR_KOREAN_CHARSET_PATH") or "").strip()
            or base.korean_charset_path,
            korean_lm_weight=max(0.0, _float_env("CHONGMU_OCR_KOREAN_LM_WEIGHT", base.korean_lm_weight, env)),
            tesseract_cmd=(env.get("CHONGMU_OCR_TESSERACT_CMD") or "").strip() or base.tesseract_cmd,
            max_pixels=_int_env("CHONGMU_OCR_MAX_PIXELS", base.max_pixels, env),
            max_pages=_int_env("CHONGMU_OCR_MAX_PAGES", base.max_pages, env),
            det_tile_pixels=max(0, _int_env("CHONGMU_OCR_DET_TILE_PIXELS", base.det_tile_pixels, env)),
        )

    def korean_model_available(self) -> bool:
        return Path(self.korean_model_path).is_file() and Path(self.korean_charset_path).is_file()

    def default_engine(self) -> str:
        """DEFAULT_ENGINE where it can run here, else the first available of ENGINE_PREFERENCE."""
        from .engines import available_engines

        available = available_engines(self)
        for name in (DEFAULT_ENGINE, *ENGINE_PREFERENCE):
            if name in available:
                return name
        return FALLBACK_ENGINE
