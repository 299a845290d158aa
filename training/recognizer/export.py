"""Export a checkpoint to ONNX (dynamic batch and width) and check it against PyTorch.

python -m training.recognizer.export --ckpt RUN/best.pt --onnx tasks/ocr/models/korean_rec.onnx
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import numpy as np
import torch

from tasks.ocr.recognizer import pad_batch

from .charset import build_charset
from .data import render_set
from .fonts import EVAL_FONTS, resolve
from .model import CRNNExport, build


def load_model(ckpt_path: Path) -> torch.nn.Module:
    ck = torch.load(ckpt_path, map_location="cpu", weights_only=False)
    model = build(ck.get("arch", "base"), ck["n_classes"])
    model.load_state_dict(ck["model"])
    model.eval()
    return model


def export(ckpt: Path, onnx_path: Path, charset_out: Path | None = None, opset: int = 17) -> dict:
    model = load_model(ckpt)
    wrapped = CRNNExport(model).eval()
    onnx_path.parent.mkdir(parents=True, exist_ok=True)
    dummy = torch.zeros(2, 1, 32, 160)
    kwargs = {}
    try:
        torch.onnx.export(
            wrapped,
            (dummy,),
            str(onnx_path),
            input_names=["x"],
            output_names=["probs"],
            dynamic_axes={"x": {0: "n", 3: "w"}, "probs": {0: "n", 1: "t"}},
            opset_version=opset,
            do_constant_folding=True,
            dynamo=False,
            **kwargs,
        )
    except TypeError:  # older torch without the dynamo argument
        torch.onnx.export(
            wrapped,
            (dummy,),
            str(onnx_path),
            input_names=["x"],
            output_names=["probs"],
            dynamic_axes={"x": {0: "n", 3: "w"}, "probs": {0: "n", 1: "t"}},
            opset_version=opset,
            do_constant_folding=True,
        )
    if charset_out is not None:
        charset_out.write_text("".join(c + "\n" for c in build_charset()), encoding="utf-8")
    return check(wrapped, onnx_path)


def check(wrapped: torch.nn.Module, onnx_path: Path) -> dict:
    """Compare ONNX and PyTorch on real rendered lines of several widths (and a padded batch)."""
    import onnxruntime as ort

    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    fonts = resolve(EVAL_FONTS, required=1)
    lines = render_set(6, fonts, seed=7, charset=build_charset())
    worst = 0.0
    argmax_agree = 1.0
    batches = [[ln] for ln, _ in lines] + [[ln for ln, _ in lines]]
    for batch in batches:
        x = pad_batch(batch)
        with torch.no_grad():
            ref = wrapped(torch.from_numpy(x)).numpy()
        (got,) = sess.run(None, {"x": x})
        assert got.shape == ref.shape, (got.shape, ref.shape)
        worst = max(worst, float(np.abs(got - ref).max()))
        argmax_agree = min(argmax_agree, float((got.argmax(-1) == ref.argmax(-1)).mean()))
    result = {
        "max_abs_diff": worst,
        "argmax_agreement": argmax_agree,
        "onnx_bytes": onnx_path.stat().st_size,
        "widths": sorted({b[0].shape[1] for b in batches}),
    }
    if worst > 1e-3 or argmax_agree < 0.999:
        raise SystemExit(f"ONNX output differs from PyTorch: {result}")
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", type=Path, required=True)
    ap.add_argument("--onnx", type=Path, required=True)
    ap.add_argument("--charset-out", type=Path, default=None)
    args = ap.parse_args()
    res = export(args.ckpt, args.onnx, args.charset_out)
    print(f"exported {args.onnx}: {res}")
    if args.charset_out is None:
        shutil.copyfile(
            args.ckpt.parent / "charset.txt", args.onnx.with_name(args.onnx.stem + "_charset.txt")
        )


if __name__ == "__main__":
    main()
