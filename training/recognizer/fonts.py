"""Fonts for training and for held-out evaluation (whole families are held out).

All come from Debian packages: fonts-nanum (NanumGothic, NanumBarunGothic, NanumMyeongjo,
NanumGothicCoding, NanumSquare, NanumSquare_ac, NanumSquareRound, NanumPen, NanumBrush, NanumBarunpen;
SIL OFL 1.1), fonts-unfonts-core (UnDotum, UnBatang, UnDinaru, UnGraphic, UnPilgi; GPL-2 with font exception),
fonts-baekmuk (dotum, gulim, batang; Baekmuk licence, BSD-like).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TRAIN_FONTS = [
    "NanumGothic.ttf",
    "NanumGothicBold.ttf",
    "NanumGothicExtraBold.ttf",
    "NanumGothicLight.ttf",
    "NanumBarunGothic.ttf",
    "NanumBarunGothicBold.ttf",
    "NanumBarunGothicLight.ttf",
    "NanumMyeongjo.ttf",
    "NanumMyeongjoBold.ttf",
    "NanumGothicCoding.ttf",
    "NanumGothicCodingBold.ttf",
    "NanumSquareR.ttf",
    "NanumSquareB.ttf",
    "NanumSquareL.ttf",
    "NanumSquare_acR.ttf",
    "NanumSquare_acB.ttf",
    "UnDotum.ttf",
    "UnDotumBold.ttf",
    "UnBatang.ttf",
    "UnDinaru.ttf",
    "UnDinaruBold.ttf",
    "dotum.ttf",
    "gulim.ttf",
    "batang.ttf",
    # Hand-filled 간이영수증 and 거래명세서: two handwriting families (fonts-nanum-extra) so the reader
    # has seen pen strokes at all. The sample receipts under tests/samples draw their handwriting from
    # these two and from UnPilgi and NanumBarunpen, which stay out of training (HAND_EVAL_FONTS).
    "NanumPen.ttf",
    "NanumBrush.ttf",
]

#: Held out: never rendered for training, only for validation and evaluation.
EVAL_FONTS = [
    "NanumSquareRoundR.ttf",
    "NanumSquareRoundB.ttf",
    "UnGraphic.ttf",
    "UnGraphicBold.ttf",
]

#: Held-out handwriting: reported on its own by `evaluate.py` (not part of the 2,000-line target set).
HAND_EVAL_FONTS = [
    "UnPilgi.ttf",
    "NanumBarunpenR.ttf",
]

SYSTEM_FONT_DIRS = [
    "/usr/share/fonts/truetype/nanum",
    "/usr/share/fonts/truetype/unfonts-core",
    "/usr/share/fonts/truetype/baekmuk",
]
REPO_FONT_DIR = Path(__file__).resolve().parents[2] / ".train_fonts"


def font_dirs() -> list[Path]:
    env = os.environ.get("CHONGMU_TRAIN_FONT_DIRS")
    dirs = [Path(d) for d in env.split(os.pathsep)] if env else []
    return [*dirs, REPO_FONT_DIR, *(Path(d) for d in SYSTEM_FONT_DIRS)]


def resolve(names: list[str], *, required: int = 1) -> list[str]:
    """Font file names -> paths found in the font dirs (missing ones skipped, at least `required`)."""
    found: list[str] = []
    for name in names:
        for d in font_dirs():
            p = d / name
            if p.is_file():
                found.append(str(p))
                break
    if len(found) < required:
        raise FileNotFoundError(
            f"only {len(found)} of the fonts {names} found in {[str(d) for d in font_dirs()]}; "
            "install fonts-nanum fonts-nanum-extra fonts-unfonts-core fonts-baekmuk"
        )
    return found


def missing_chars(path: str, chars: list[str]) -> set[str]:
    from fontTools.ttLib import TTFont

    cmap = TTFont(path, lazy=True).getBestCmap()
    return {c for c in chars if ord(c) not in cmap}


def subset_fonts(dest: Path) -> None:
    """Copy the training and evaluation fonts (handwriting too), subset to the charset (to carry them to a
    GPU machine, where evaluate.py needs all of them)."""
    from .charset import build_charset

    dest.mkdir(parents=True, exist_ok=True)
    text = "".join(build_charset())
    (dest / "_charset_text.txt").write_text(text, encoding="utf-8")
    names = TRAIN_FONTS + EVAL_FONTS + HAND_EVAL_FONTS
    for path in resolve(names, required=len(names)):
        out = dest / Path(path).name
        if out.exists():
            continue
        subprocess.run(
            [
                sys.executable,
                "-m",
                "fontTools.subset",
                path,
                f"--text-file={dest / '_charset_text.txt'}",
                f"--output-file={out}",
                "--layout-features=*",
                "--notdef-outline",
            ],
            check=True,
        )
    (dest / "_charset_text.txt").unlink()


def main() -> int:
    import argparse

    ap = argparse.ArgumentParser(description="check the training fonts, or subset them into a folder")
    ap.add_argument(
        "--check", action="store_true", help="exit 1 unless every training and evaluation font is found"
    )
    ap.add_argument(
        "--subset", type=Path, default=None, help="write charset-subset copies here (to carry them)"
    )
    args = ap.parse_args()
    if args.subset:
        subset_fonts(args.subset)
    names = TRAIN_FONTS + EVAL_FONTS
    found = resolve(names, required=0)
    print(f"{len(found)} of {len(names)} fonts found")
    return 0 if len(found) == len(names) or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
