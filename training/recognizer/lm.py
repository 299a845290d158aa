"""Build the Hangul syllable bigram counts the runtime decoder consults (tasks/ocr/syllable_lm.py).

    python -m training.recognizer.lm [--out tasks/ocr/models/korean_syllable_lm.tsv.gz]

Source: the general Korean word list `words_ko.txt` (dumped from Tesseract's `kor.traineddata`), one
count per word; only runs of Hangul syllables count. The output is deterministic (sorted, gzip mtime 0).
"""

from __future__ import annotations

import argparse
import gzip
import re
from collections import Counter
from itertools import pairwise
from pathlib import Path

from tasks.ocr.config import KOREAN_LM_PATH

WORDS = Path(__file__).with_name("words_ko.txt")
HANGUL_RUN = re.compile("[가-힣]+")


def count(words: list[str]) -> tuple[Counter[str], Counter[str]]:
    unigrams: Counter[str] = Counter()
    bigrams: Counter[str] = Counter()
    for word in words:
        for run in HANGUL_RUN.findall(word):
            unigrams.update(run)
            bigrams.update(a + b for a, b in pairwise(run))
    return unigrams, bigrams


def write(path: Path, unigrams: Counter[str], bigrams: Counter[str]) -> None:
    lines = [f"U\t{k}\t{n}\n" for k, n in sorted(unigrams.items())]
    lines += [f"B\t{k}\t{n}\n" for k, n in sorted(bigrams.items())]
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write("".join(lines).encode("utf-8"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=KOREAN_LM_PATH)
    args = ap.parse_args()
    words = [w for w in WORDS.read_text(encoding="utf-8").split("\n") if w]
    unigrams, bigrams = count(words)
    write(args.out, unigrams, bigrams)
    print(f"{args.out}: {len(unigrams)} syllables, {len(bigrams)} pairs from {len(words)} words")


if __name__ == "__main__":
    main()
