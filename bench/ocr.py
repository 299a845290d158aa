#!/usr/bin/env python3
"""OCR benchmark: every engine, side by side, on the receipt samples with ground truth.

    make bench-ocr                                   # all available engines, all samples
    .venv/bin/python bench/ocr.py --engines rapidocr,combined --limit 20 --json /tmp/bench.json
    .venv/bin/python bench/ocr.py --kinds card_slip,cash_receipt --by-kind --misses approval_no

Each engine runs in its own subprocess (so peak RSS is per engine): the engine is created once
(``tasks.ocr.engines.get_engine``), warmed up on the first image, then every sample is decoded with
``tasks.ocr.pages.load_pages`` and read with ``tasks.ocr.pipeline.read_receipt``. Latency per image covers
decoding + OCR + field extraction (wall clock; CPU seconds of the worker and its children are shown too,
as wall time on a shared machine depends on the neighbours). Peak RSS is the worker's VmHWM; a second
figure adds the RSS of its child processes (the tesseract CLI), sampled every 20 ms, to the worker's.

Scoring (per field, over the samples whose ground truth is not null): exact match after normalising
formatting (digits only for 사업자등록번호/전화/승인번호, [0-9*] for card numbers, months for 할부, canonical
카드사, whitespace-free address). 상호 counts when difflib similarity >= 0.8 (against the name, or the name
with its 지점; spaces and (주)/주식회사 ignored). 거래일시 is compared to the minute (to the day where the
receipt prints only a date). Items: the share of ground-truth item amounts found among the extracted
items' amounts. Benchmarks report, they never assert: nothing here fails on a slow or inaccurate engine.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "tests" / "samples" / "receipts"

# (field, label) in table order
FIELDS = [
    ("store_name", "상호 store_name (sim ≥ 0.8)"),
    ("branch", "지점 branch"),
    ("biz_no", "사업자등록번호 biz_no"),
    ("representative", "대표자 representative"),
    ("phone", "전화 phone"),
    ("address", "주소 address"),
    ("datetime", "거래일시 datetime (minute)"),
    ("total", "합계 total"),
    ("supply_amount", "공급가액 supply_amount"),
    ("vat", "부가세 vat"),
    ("discount", "할인 discount"),
    ("service_charge", "봉사료 service_charge"),
    ("card_company", "카드사 card_company"),
    ("card_number", "카드번호 card_number"),
    ("installment", "할부 installment"),
    ("approval_no", "승인번호 approval_no"),
    ("evidence_type", "증빙 evidence_type"),
    ("items", "품목 items (amounts found)"),
]
KEY_FIELDS = ["total", "datetime", "biz_no", "approval_no", "store_name"]
# targets from issue 4 for the default engine
TARGETS = {"total": 0.95, "datetime": 0.95, "biz_no": 0.95, "approval_no": 0.90, "store_name": 0.85}


# ----------------------------------------------------------------------------------------------------------
# worker: one engine, in its own process


def _status_kib(path: str, key: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _peak_rss_kib() -> int:
    """Peak RSS of this process (VmHWM), in KiB."""
    return _status_kib("/proc/self/status", "VmHWM:") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class TreeRssSampler(threading.Thread):
    """Samples RSS of this process + its live children (e.g. tesseract CLI runs) every few ms; keeps the peak.

    getrusage(RUSAGE_CHILDREN) is no use here: a forked child is charged the parent's pages until it execs.
    """

    def __init__(self, interval: float = 0.02):
        super().__init__(daemon=True)
        self.interval = interval
        self.peak_kib = 0
        self.peak_children_kib = 0
        self._halt = threading.Event()

    def _children(self) -> list[str]:
        pids: list[str] = []
        try:
            for task in Path("/proc/self/task").iterdir():
                try:
                    pids += (task / "children").read_text().split()
                except OSError:
                    continue
        except OSError:
            pass
        return pids

    def run(self) -> None:
        while not self._halt.is_set():
            kids = sum(_status_kib(f"/proc/{pid}/status", "VmRSS:") for pid in self._children())
            total = _status_kib("/proc/self/status", "VmRSS:") + kids
            self.peak_kib = max(self.peak_kib, total)
            self.peak_children_kib = max(self.peak_children_kib, kids)
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def _cpu_s() -> float:
    """CPU seconds of this process (all threads) and its finished children (tesseract CLI runs)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def run_worker(engine: str, files: list[Path], out: Path) -> int:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    sys.path.insert(0, str(ROOT))
    from tasks.ocr.config import OcrConfig
    from tasks.ocr.engines import get_engine
    from tasks.ocr.pages import load_pages
    from tasks.ocr.pipeline import read_receipt

    config = OcrConfig.from_env()
    rss0 = _status_kib("/proc/self/status", "VmRSS:")
    sampler = TreeRssSampler()
    sampler.start()
    t0 = time.perf_counter()
    eng = get_engine(engine, config)
    load_s = time.perf_counter() - t0
    warm_s = None
    if files:
        t0 = time.perf_counter()
        try:
            read_receipt(load_pages(files[0].read_bytes())[0], eng, config)
        except Exception:
            pass
        warm_s = time.perf_counter() - t0
    results = []
    for path in files:
        rec: dict = {"sample": path.stem}
        c0 = _cpu_s()
        t0 = time.perf_counter()
        try:
            pages = load_pages(path.read_bytes())
            res = read_receipt(pages[0], eng, config)
            rec["seconds"] = time.perf_counter() - t0
            rec["cpu_seconds"] = _cpu_s() - c0
            rec["ocr_seconds"] = res.ocr_seconds
            rec["pred"] = res.as_json()
            rec["n_lines"] = len(res.lines)
            rec["text"] = [ln.text for ln in res.lines]
        except Exception as exc:
            rec["seconds"] = time.perf_counter() - t0
            rec["error"] = f"{type(exc).__name__}: {exc}"
        results.append(rec)
    sampler.stop()
    hwm = _peak_rss_kib()
    out.write_text(
        json.dumps(
            {
                "engine": engine,
                "load_s": load_s,
                "warmup_s": warm_s,
                "rss_start_kib": rss0,
                "peak_rss_kib": hwm,
                "tree_peak_rss_kib": max(sampler.peak_kib, hwm),
                "children_peak_rss_kib": sampler.peak_children_kib,
                "results": results,
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return 0


# ----------------------------------------------------------------------------------------------------------
# scoring


def _digits(v) -> str:
    return re.sub(r"\D", "", str(v)) if v is not None else ""


def _nospace(v) -> str:
    return re.sub(r"[\s,]", "", str(v)) if v is not None else ""


def _int(v) -> int | None:
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return round(v)
    d = re.sub(r"[^\d-]", "", str(v))
    try:
        return int(d)
    except ValueError:
        return None


def _bare_name(v) -> str:
    """Store name without spaces and company-form marks: (주)한빛인쇄 ~ 주식회사 한빛인쇄 ~ 한빛인쇄."""
    return re.sub(r"\(주\)|㈜|주식회사|\(유\)|[\s,]", "", str(v))


def norm_card_company(v) -> str | None:
    if v is None:
        return None
    s = str(v).upper().replace(" ", "")
    for key, canon in (
        ("신한", "신한"),
        ("SHINHAN", "신한"),
        ("국민", "국민"),
        ("KB", "국민"),
        ("삼성", "삼성"),
        ("현대", "현대"),
        ("롯데", "롯데"),
        ("하나", "하나"),
        ("외환", "하나"),
        ("우리", "우리"),
        ("농협", "NH농협"),
        ("NH", "NH농협"),
        ("비씨", "BC"),
        ("BC", "BC"),
    ):
        if key in s:
            return canon
    return s.replace("카드", "")


def norm_installment(v) -> int | None:
    if v is None:
        return None
    if isinstance(v, int):
        return v
    s = str(v)
    if "일시불" in s:
        return 0
    d = _digits(s)
    return int(d) if d else None


def norm_datetime(v) -> str:
    if v is None:
        return ""
    s = str(v).strip().replace(" ", "T").replace("/", "-").replace(".", "-")
    return s


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def field_correct(name: str, truth: dict, pred: dict) -> bool:
    t, p = truth.get(name), pred.get(name)
    if p is None or p == "":
        return False
    if name == "store_name":
        names = {_bare_name(t)}
        if truth.get("branch"):
            names.add(_bare_name(f"{t}{truth['branch']}"))
        preds = {_bare_name(p)}
        if pred.get("branch"):
            preds.add(_bare_name(f"{p}{pred['branch']}"))
        return max(similarity(a, b) for a in names for b in preds) >= 0.8
    if name in ("biz_no", "phone", "approval_no"):
        return _digits(t) == _digits(p)
    if name in ("total", "supply_amount", "vat", "discount", "service_charge"):
        return _int(t) == _int(p)
    if name == "datetime":
        ts, ps = norm_datetime(t), norm_datetime(p)
        n = 10 if len(ts) == 10 else 16
        return ts[:n] == ps[:n]
    if name == "card_company":
        return norm_card_company(t) == norm_card_company(p)
    if name == "card_number":
        return re.sub(r"[^\d*]", "", str(t)) == re.sub(r"[^\d*]", "", str(p))
    if name == "installment":
        return norm_installment(t) == norm_installment(p)
    return _nospace(t) == _nospace(p)


def items_matched(truth_items: list[dict], pred_items) -> tuple[int, int, int]:
    """(ground-truth items whose amount was found, ground-truth items, extracted items)."""
    want = Counter(_int(it.get("amount")) for it in truth_items)
    got = Counter(_int(it.get("amount")) for it in (pred_items or []) if isinstance(it, dict))
    found = sum(min(n, got[a]) for a, n in want.items())
    return found, len(truth_items), sum(got.values())


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    v = sorted(values)
    k = (len(v) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


RAW_FIELDS = ["biz_no", "datetime", "total", "approval_no", "store_name"]


def _numbers(line: str) -> set[str]:
    """Numbers in an OCR line with their separators dropped: '합계 12,500원' -> {'12500'}."""
    return {re.sub(r"[,.\s]", "", m) for m in re.findall(r"\d[\d,. ]*\d|\d", line)}


def in_raw_text(name: str, truth: dict, lines: list[str]) -> bool:
    """Whether the value is there to be found in the engine's text (DESIGN §4 measured this on photos)."""
    t = truth.get(name)
    if name in ("biz_no", "approval_no"):
        want = _digits(t)
        return any(want in _digits(ln) for ln in lines)
    if name == "total":
        return any(str(t) in _numbers(ln) for ln in lines)
    if name == "datetime":
        y, m, d = int(t[:4]), int(t[5:7]), int(t[8:10])
        forms = {f"{y}{m:02d}{d:02d}", f"{y % 100:02d}{m:02d}{d:02d}", f"{y}{m}{d}", f"{y % 100:02d}{m}{d}"}
        return any(any(f in _digits(ln) for f in forms) for ln in lines)
    if name == "store_name":
        want = _bare_name(t)
        for ln in lines:
            have = _bare_name(ln)
            if want in have or similarity(want, have) >= 0.8:
                return True
            # the name inside a longer line: best window of the same length
            n = len(want)
            if len(have) > n and any(
                similarity(want, have[i : i + n]) >= 0.8 for i in range(len(have) - n + 1)
            ):
                return True
        return False
    return False


def _share_right(verdict: dict[str, bool]) -> float:
    present = [verdict[f] for f in KEY_FIELDS if f in verdict]
    return sum(present) / len(present) if present else 0.0


def score(raw: dict, truths: dict[str, dict]) -> dict:
    per_field: dict[str, list[int]] = {f: [0, 0] for f, _ in FIELDS}  # correct, counted
    per_kind: dict[str, dict[str, list[int]]] = {}
    item_found = item_total = item_pred = 0
    spurious: dict[str, int] = {}  # a value given where the receipt prints none
    raw_hits: dict[str, list[int]] = {f: [0, 0] for f in RAW_FIELDS}
    errors = 0
    samples = []
    for rec in raw["results"]:
        truth = truths[rec["sample"]]
        pred = rec.get("pred") or {}
        if "error" in rec:
            errors += 1
        kind = truth.get("kind", "?")
        for f in RAW_FIELDS:
            if truth.get(f) is not None:
                raw_hits[f][0] += in_raw_text(f, truth, rec.get("text") or [])
                raw_hits[f][1] += 1
        verdict: dict[str, bool] = {}
        for f, _ in FIELDS:
            if f == "items":
                if truth.get("items"):
                    fnd, tot, prd = items_matched(truth["items"], pred.get("items"))
                    item_found += fnd
                    item_total += tot
                    item_pred += prd
                    verdict["items"] = fnd == tot
                continue
            if truth.get(f) is None:
                if pred.get(f) not in (None, "", []) and f != "evidence_type":
                    spurious[f] = spurious.get(f, 0) + 1
                continue
            ok = field_correct(f, truth, pred)
            verdict[f] = ok
            per_field[f][0] += ok
            per_field[f][1] += 1
            if f in KEY_FIELDS:
                pk = per_kind.setdefault(kind, {}).setdefault(f, [0, 0])
                pk[0] += ok
                pk[1] += 1
        samples.append(
            {
                "sample": rec["sample"],
                "kind": kind,
                "seconds": rec.get("seconds"),
                "error": rec.get("error"),
                "correct": verdict,
                "pred": pred,
                "text": rec.get("text"),
            }
        )
    per_field["items"] = [item_found, item_total]
    # photos the extractor flags as poor ("사진이 흐리거나 …"), and how many of those still read well
    flagged = [
        x for x in samples if any(w.startswith("사진이 흐리") for w in x["pred"].get("warnings") or [])
    ]
    good = [x for x in flagged if _share_right(x["correct"]) >= 0.75]
    # the key fields on the photos the app does not send back for a retake: what a reviewer sees proposed
    kept = [x for x in samples if x not in flagged]
    unflagged = {}
    for f in KEY_FIELDS:
        seen = [x["correct"][f] for x in kept if f in x["correct"]]
        unflagged[f] = sum(seen) / len(seen) if seen else None
    secs = [r["seconds"] for r in raw["results"] if r.get("seconds") is not None]
    return {
        "engine": raw["engine"],
        "images": len(raw["results"]),
        "errors": errors,
        "accuracy": {f: (c / n if n else None) for f, (c, n) in per_field.items()},
        "counts": {f: n for f, (_, n) in per_field.items()},
        "items_precision": item_found / item_pred if item_pred else None,
        "spurious": spurious,
        "poor_photo": [len(flagged), len(good)],
        "unflagged": {"photos": len(kept), "accuracy": unflagged},
        "in_raw_text": {f: (c / n if n else None) for f, (c, n) in raw_hits.items()},
        "by_kind": {k: {f: (c / n if n else None) for f, (c, n) in v.items()} for k, v in per_kind.items()},
        "latency_p50_s": percentile(secs, 0.5),
        "latency_p95_s": percentile(secs, 0.95),
        "latency_mean_s": sum(secs) / len(secs) if secs else None,
        "cpu_p50_s": percentile([r["cpu_seconds"] for r in raw["results"] if "cpu_seconds" in r], 0.5),
        "load_s": raw.get("load_s"),
        "warmup_s": raw.get("warmup_s"),
        "peak_rss_mib": raw["peak_rss_kib"] / 1024,
        "tree_peak_rss_mib": raw["tree_peak_rss_kib"] / 1024,
        "children_peak_rss_mib": raw["children_peak_rss_kib"] / 1024,
        "samples": samples,
    }


# ----------------------------------------------------------------------------------------------------------
# report


def _pct(v) -> str:
    return "–" if v is None else f"{100 * v:.0f}%"


def _s(v) -> str:
    return "–" if v is None else f"{v:.2f}"


def markdown(summaries: list[dict], by_kind: bool) -> str:
    names = [s["engine"] for s in summaries]
    out = ["| field (n) | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    counts = summaries[0]["counts"] if summaries else {}
    for f, label in FIELDS:
        target = f" ≥{TARGETS[f] * 100:.0f}%" if f in TARGETS else ""
        cells = []
        for s in summaries:
            v = s["accuracy"][f]
            mark = " ✗" if f in TARGETS and v is not None and v < TARGETS[f] else ""
            cells.append(_pct(v) + mark)
        out.append(f"| {label} ({counts.get(f, 0)}){target} | " + " | ".join(cells) + " |")
    out.append("| items precision | " + " | ".join(_pct(s["items_precision"]) for s in summaries) + " |")
    for f in RAW_FIELDS:
        out.append(
            f"| {f} in the raw OCR text | " + " | ".join(_pct(s["in_raw_text"][f]) for s in summaries) + " |"
        )
    out.append(
        "| values where none is printed (all fields) | "
        + " | ".join(str(sum(s["spurious"].values())) for s in summaries)
        + " |"
    )
    out.append(
        "| photos flagged as poor (of them with ≥ 75% of key fields right) | "
        + " | ".join(f"{s['poor_photo'][0]} ({s['poor_photo'][1]})" for s in summaries)
        + " |"
    )
    out.append(
        "| key fields on the photos not flagged: "
        + " / ".join(f for f in KEY_FIELDS)
        + " | "
        + " | ".join(
            f"{s['unflagged']['photos']}: "
            + " / ".join(_pct(s["unflagged"]["accuracy"][f]) for f in KEY_FIELDS)
            for s in summaries
        )
        + " |"
    )
    out.append("| latency p50 s (≤1.5) | " + " | ".join(_s(s["latency_p50_s"]) for s in summaries) + " |")
    out.append("| latency p95 s (≤3) | " + " | ".join(_s(s["latency_p95_s"]) for s in summaries) + " |")
    out.append("| latency mean s | " + " | ".join(_s(s["latency_mean_s"]) for s in summaries) + " |")
    out.append(
        "| CPU s per image p50 (less sensitive to a busy machine) | "
        + " | ".join(_s(s["cpu_p50_s"]) for s in summaries)
        + " |"
    )
    out.append(
        "| engine load s / first image s | "
        + " | ".join(f"{_s(s['load_s'])} / {_s(s['warmup_s'])}" for s in summaries)
        + " |"
    )
    out.append(
        "| peak RSS MiB (worker) | " + " | ".join(f"{s['peak_rss_mib']:.0f}" for s in summaries) + " |"
    )
    out.append(
        "| peak RSS MiB (worker + OCR child processes, sampled) | "
        + " | ".join(f"{s['tree_peak_rss_mib']:.0f}" for s in summaries)
        + " |"
    )
    out.append(
        "| images / errors | " + " | ".join(f"{s['images']} / {s['errors']}" for s in summaries) + " |"
    )
    if by_kind:
        kinds = sorted({k for s in summaries for k in s["by_kind"]})
        out.append("")
        out.append("| engine · kind | " + " | ".join(KEY_FIELDS) + " |")
        out.append("|---|" + "---:|" * len(KEY_FIELDS))
        for s in summaries:
            for k in kinds:
                row = s["by_kind"].get(k, {})
                out.append(
                    f"| {s['engine']} · {k} | " + " | ".join(_pct(row.get(f)) for f in KEY_FIELDS) + " |"
                )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engines", help="comma-separated engine names (default: all available)")
    ap.add_argument("--limit", type=int, help="only the first N samples")
    ap.add_argument("--kinds", help="comma-separated sample kinds (card_slip, cash_receipt, mart, ...)")
    ap.add_argument("--samples", type=Path, default=SAMPLES, help="folder of NNN_kind.jpg + .json")
    ap.add_argument("--json", type=Path, help="write the full results (per image too) here")
    ap.add_argument("--by-kind", action="store_true", help="also print key fields per sample kind")
    ap.add_argument("--misses", help="list the samples where this field was wrong: truth vs. extracted")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per engine")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--worker-out", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--files", nargs="*", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker:
        return run_worker(args.worker, args.files or [], args.worker_out)

    files = sorted(args.samples.glob("*.jpg"))
    if args.kinds:
        kinds = set(args.kinds.split(","))
        files = [f for f in files if f.stem.split("_", 1)[1] in kinds]
    if args.limit:
        files = files[: args.limit]
    truths = {f.stem: json.loads(f.with_suffix(".json").read_text(encoding="utf-8")) for f in files}
    if not files:
        print(f"no samples in {args.samples}", file=sys.stderr)
        return 2
    if args.engines:
        engines = [e for e in args.engines.split(",") if e]
    else:
        sys.path.insert(0, str(ROOT))
        from tasks.ocr.engines import available_engines

        engines = available_engines()
    if not engines:
        print("no OCR engine available", file=sys.stderr)
        return 2

    summaries = []
    for name in engines:
        print(f"[bench-ocr] {name}: {len(files)} images …", file=sys.stderr, flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out.json"
            cmd = [
                sys.executable,
                str(Path(__file__).resolve()),
                "--worker",
                name,
                "--worker-out",
                str(out),
                "--files",
                *map(str, files),
            ]
            env = {**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1")}
            t0 = time.perf_counter()
            try:
                proc = subprocess.run(
                    cmd, cwd=ROOT, env=env, timeout=args.timeout, capture_output=True, text=True
                )
            except subprocess.TimeoutExpired:
                print(f"[bench-ocr] {name}: timed out after {args.timeout:.0f} s", file=sys.stderr)
                continue
            if proc.returncode != 0 or not out.exists():
                print(
                    f"[bench-ocr] {name}: worker failed (rc {proc.returncode})\n{proc.stderr[-2000:]}",
                    file=sys.stderr,
                )
                continue
            raw = json.loads(out.read_text(encoding="utf-8"))
        s = score(raw, truths)
        s["wall_s"] = time.perf_counter() - t0
        summaries.append(s)
        print(f"[bench-ocr] {name}: done in {s['wall_s']:.0f} s", file=sys.stderr, flush=True)
    if not summaries:
        return 1
    where = args.samples.relative_to(ROOT) if args.samples.is_relative_to(ROOT) else args.samples
    omp = os.environ.get("OMP_THREAD_LIMIT", "1")
    print(
        f"OCR benchmark: {len(files)} samples from {where}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f} at the end, OMP_THREAD_LIMIT={omp}\n"
    )
    print(markdown(summaries, args.by_kind))
    if args.misses:
        for sm in summaries:
            print(f"\n{sm['engine']}: misses on {args.misses}")
            for rec in sm["samples"]:
                if rec["correct"].get(args.misses) is False:
                    truth = truths[rec["sample"]].get(args.misses)
                    got = rec["pred"].get(args.misses)
                    if args.misses == "items":
                        truth = [it["amount"] for it in truth or []]
                        got = [it.get("amount") for it in got or [] if isinstance(it, dict)]
                    print(
                        f"  {rec['sample']}: want {truth!r} got {got!r}"
                        + (f" ({rec['error']})" if rec["error"] else "")
                    )
    if args.json:
        args.json.write_text(
            json.dumps({"samples": len(files), "engines": summaries}, ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
