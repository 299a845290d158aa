"""python -m tasks.ocr FILE [FILE...] [--engine NAME]: one JSON object per file (per page for PDFs)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    from .config import OcrConfig
    from .engines import available_engines
    from .pages import UnreadableFile, load_pages
    from .pipeline import read_receipt

    config = OcrConfig.from_env()
    ap = argparse.ArgumentParser(prog="python -m tasks.ocr", description="영수증 OCR: 파일마다 JSON 한 줄")
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument(
        "--engine",
        help=f"OCR engine (available: {', '.join(available_engines(config))}; "
        f"default: {config.engine or config.default_engine()})",
    )
    ap.add_argument("--lines", action="store_true", help="also print the OCR lines (text, box, confidence)")
    ap.add_argument("--detail", action="store_true", help="fields with confidence and box")
    ap.add_argument("--list-engines", action="store_true", help="print the available engines and exit")
    ap.add_argument("--pretty", action="store_true", help="indented JSON")
    args = ap.parse_args(argv)
    if args.list_engines:
        print(
            json.dumps(
                {"available": available_engines(config), "default": config.engine or config.default_engine()}
            )
        )
        return 0
    if not args.files:
        ap.error("at least one FILE is needed")
    engine = args.engine or config.engine or config.default_engine()
    if engine not in available_engines(config):
        print(
            f"engine {engine!r} is not available; available: {', '.join(available_engines(config))}",
            file=sys.stderr,
        )
        return 2
    rc = 0
    for path in args.files:
        t0 = time.perf_counter()
        base: dict[str, object] = {"file": str(path)}
        try:
            data = path.read_bytes()
            pages = load_pages(data, max_pixels=config.max_pixels, max_pages=config.max_pages)
        except (OSError, UnreadableFile) as exc:
            msg = exc.message_ko if isinstance(exc, UnreadableFile) else f"파일을 열 수 없습니다: {exc}"
            print(
                json.dumps(
                    {**base, "error": msg, "seconds": round(time.perf_counter() - t0, 3)}, ensure_ascii=False
                ),
                flush=True,
            )
            rc = 1
            continue
        for i, page in enumerate(pages, start=1):
            t_page = time.perf_counter()
            res = read_receipt(page, engine, config)
            out: dict[str, object] = {**base}
            if len(pages) > 1 or data[:1024].find(b"%PDF-") >= 0:
                out["page"] = i
            out["engine"] = res.engine
            out.update(res.as_json())
            # seconds: decoding included for the first page
            out["seconds"] = round(time.perf_counter() - (t0 if i == 1 else t_page), 3)
            if args.detail:
                out["detail"] = res.fields.as_dict()
            if args.lines:
                out["lines"] = [ln.as_dict() for ln in res.lines]
            print(json.dumps(out, ensure_ascii=False, indent=2 if args.pretty else None), flush=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
