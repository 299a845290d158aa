"""CER of an ONNX recogniser on held-out synthetic lines (held-out fonts, photo-like degradation),
read through the runtime (`tasks.ocr.recognizer.KoreanRecognizer`), plus per-line latency.

    python -m training.recognizer.evaluate --onnx tasks/ocr/models/korean_rec.onnx --lines 2000
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from tasks.ocr.config import KOREAN_LM_PATH
from tasks.ocr.recognizer import DEFAULT_CHARSET_PATH, DEFAULT_MODEL_PATH, KoreanRecognizer

from .charset import build_charset
from .data import FontSet
from .fonts import EVAL_FONTS, HAND_EVAL_FONTS, resolve
from .metrics import cer_table
from .render import make_image
from .sampler import TextSampler

EVAL_SEED = 20260501  # differs from training and validation seeds


def eval_images(
    n: int,
    seed: int = EVAL_SEED,
    degrade: bool = True,
    font_names: list[str] | None = None,
    heavy_blur: float = 0.0,
) -> list[tuple[np.ndarray, str, str, str, str]]:
    """n (image, text, font file name, line kind, sub-kind) in the held-out fonts."""
    paths = resolve(font_names or EVAL_FONTS, required=2)
    fs = FontSet(paths, build_charset())
    out = []
    for k in range(n):
        rng = np.random.default_rng([seed, k])  # one stream per line: the text never depends on rendering
        fi = k % len(paths)
        smp = TextSampler(rng)
        text = fs.fix_text(fi, smp.line())
        out.append(
            (
                make_image(text, paths[fi], rng, degrade=degrade, heavy_blur=heavy_blur),
                text,
                Path(paths[fi]).name,
                smp.last_kind,
                smp.last_sub,
            )
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--onnx", type=Path, default=DEFAULT_MODEL_PATH)
    ap.add_argument("--charset", type=Path, default=DEFAULT_CHARSET_PATH)
    ap.add_argument("--lines", type=int, default=2000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--errors", type=int, default=15, help="print this many wrong lines")
    ap.add_argument(
        "--lm-weight",
        type=float,
        default=0.0,
        help="decode with the syllable bigram model at this weight (0: greedy, the model alone)",
    )
    args = ap.parse_args()

    data = eval_images(args.lines)
    rec = KoreanRecognizer(
        args.onnx, args.charset, threads=args.threads, lm_path=KOREAN_LM_PATH, lm_weight=args.lm_weight
    )
    rec.recognize([d[0] for d in data[:16]])  # warm-up
    t, c = time.perf_counter(), time.process_time()
    out = rec.recognize([d[0] for d in data])
    secs, cpu_secs = time.perf_counter() - t, time.process_time() - c
    table = cer_table((d[1], o[0]) for d, o in zip(data, out, strict=True))
    read = list(zip(data, out, strict=True))

    def split_by(col: int) -> dict[str, dict]:
        """CER tables of the lines grouped by one column of eval_images (font, kind, sub-kind)."""
        return {
            key: cer_table((d[1], o[0]) for d, o in read if d[col] == key)
            for key in sorted({d[col] for d in data})
        }

    per_font = {font: t["cer"] for font, t in split_by(2).items()}
    per_kind = split_by(3)
    # where the errors are: receipt-like lines, words, random syllables / charset characters / ASCII
    per_sub_kind = split_by(4)
    for t in per_sub_kind.values():
        t["share_of_errors"] = t["cer"] * t["n_chars"] / max(1e-9, table["cer"] * table["n_chars"])

    def side_table(images: list[tuple[np.ndarray, str, str, str, str]]) -> dict:
        """CER of a smaller set read beside the target set."""
        outs = rec.recognize([d[0] for d in images])
        full = cer_table((d[1], o[0]) for d, o in zip(images, outs, strict=True))
        return {k: full[k] for k in ("cer", "cer_hangul", "cer_digits", "line_acc", "n_lines")}

    result = {
        "degraded": table,
        "clean": side_table(eval_images(min(500, args.lines), degrade=False)),
        # handwriting families never trained on (a hand-filled 간이영수증): beside, not in, the target set
        "handwriting_heldout": side_table(eval_images(min(500, args.lines), font_names=HAND_EVAL_FONTS)),
        # every line blurred like the bench's poorest photos (render._heavy_blur): beside the target set
        "heavy_blur": side_table(eval_images(min(500, args.lines), heavy_blur=1.0)),
        "per_font_cer": per_font,
        "per_kind": per_kind,
        "per_sub_kind": per_sub_kind,
        "ms_per_line_batched": 1000 * secs / len(data),
        "cpu_ms_per_line_batched": 1000 * cpu_secs / len(data),
        "threads": args.threads,
        "lm_weight": args.lm_weight,
        "onnx": str(args.onnx),
        "eval_fonts": EVAL_FONTS,
        "handwriting_eval_fonts": HAND_EVAL_FONTS,
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    shown = 0
    for d, o in zip(data, out, strict=True):
        if d[1] != o[0] and shown < args.errors:
            print(f"  ref {d[1]!r}\n  hyp {o[0]!r}  ({d[2]})")
            shown += 1
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
