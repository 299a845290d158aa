"""The recogniser's charset: 2,350 KS X 1001 Hangul syllables + printable ASCII + receipt symbols."""

from __future__ import annotations

import string
from pathlib import Path

#: Receipt symbols beyond ASCII (brackets 「」『』【】〈〉《》 and the Korean won sign, reference mark…).
EXTRA_SYMBOLS = "₩※·×「」『』【】〈〉《》○●◎□■△▲▶▷★☆♡→←↑↓~…「」%"


def ksx1001_hangul() -> list[str]:
    """The 2,350 precomposed Hangul syllables of KS X 1001, by decoding EUC-KR 0xB0A1–0xC8FE."""
    out: list[str] = []
    for lead in range(0xB0, 0xC9):
        for trail in range(0xA1, 0xFF):
            try:
                ch = bytes([lead, trail]).decode("euc-kr")
            except UnicodeDecodeError:
                continue
            if "\uac00" <= ch <= "\ud7a3":
                out.append(ch)
    return out


def build_charset() -> list[str]:
    chars: list[str] = []
    seen: set[str] = set()
    ascii_printable = [chr(c) for c in range(0x20, 0x7F)]  # space .. ~
    for ch in ksx1001_hangul() + ascii_printable + list(EXTRA_SYMBOLS):
        if ch not in seen:
            seen.add(ch)
            chars.append(ch)
    return chars


def write_charset(path: str | Path) -> list[str]:
    chars = build_charset()
    Path(path).write_text("".join(c + "\n" for c in chars), encoding="utf-8")
    return chars


HANGUL = frozenset(ksx1001_hangul())
DIGITS = frozenset(string.digits)

if __name__ == "__main__":
    import sys

    target = sys.argv[1] if len(sys.argv) > 1 else "tasks/ocr/models/korean_rec_charset.txt"
    cs = write_charset(target)
    print(f"{len(cs)} characters -> {target}")
