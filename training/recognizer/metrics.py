"""Character error rates: overall, Hangul-only and digit-only (each on the sequences filtered
to that class)."""

from __future__ import annotations

from collections.abc import Iterable

from .charset import DIGITS, HANGUL


def edit_distance(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def cer_table(pairs: Iterable[tuple[str, str]]) -> dict[str, float]:
    """pairs of (reference, hypothesis) -> {cer, cer_hangul, cer_digits, line_acc, n_lines, n_chars}."""
    errs = {"all": 0, "hangul": 0, "digits": 0}
    refs = {"all": 0, "hangul": 0, "digits": 0}
    exact = n = 0
    for ref, hyp in pairs:
        n += 1
        exact += ref == hyp
        errs["all"] += edit_distance(ref, hyp)
        refs["all"] += len(ref)
        for key, cls in (("hangul", HANGUL), ("digits", DIGITS)):
            r = "".join(c for c in ref if c in cls)
            h = "".join(c for c in hyp if c in cls)
            errs[key] += edit_distance(r, h)
            refs[key] += len(r)
    return {
        "cer": errs["all"] / max(1, refs["all"]),
        "cer_hangul": errs["hangul"] / max(1, refs["hangul"]),
        "cer_digits": errs["digits"] / max(1, refs["digits"]),
        "line_acc": exact / max(1, n),
        "n_lines": n,
        "n_chars": refs["all"],
        "n_hangul": refs["hangul"],
        "n_digits": refs["digits"],
    }
