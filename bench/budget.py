#!/usr/bin/env python3
"""Budget benchmark: server time of the budget page, budget vs actual and an inline row save.

    make bench-budget                                   # 300 lines, 5,000 transactions, 60 requests each
    .venv/bin/python bench/budget.py --lines 300 --transactions 5000 --requests 100 --json /tmp/budget.json

Creates a database of its own (on DATABASE_URL's server, or the embedded development server), applies the
migrations, registers a treasurer, creates an organisation and an event through HTTP, then bulk-inserts the
budget lines and transactions (varied sections, evidence types, dates, some unclassified, some drafts).
Requests go in-process through the ASGI app (httpx.ASGITransport, the full middleware stack: session, CSRF,
security headers, metrics); each figure is the wall time of one request. After a warm-up, every route is
requested `--requests` times; the row save is an HTMX POST of one budget line with its current version (what
the inline editor sends), so every save succeeds and writes its audit entry. The database is dropped at the
end (keep it with --keep). Benchmarks report, they never assert.

Two what-ifs for the shared shell, off by default: --gc-freeze (gc.freeze() after start-up: the p95 outliers
of the big pages are gen-2 collections walking every long-lived object of the app) and --cached-won
(memoise the `|won` filter: ~1,000 Babel calls on the budget-vs-actual page). --profile LABEL prints a
cProfile of five requests of one route first.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGETS_MS = {"page": 150.0, "save": 50.0}


def make_database() -> tuple[str, str, str]:
    """(bench url, server base url, database name), migrations applied."""
    from scripts.devdb import create_scratch_database

    try:
        return create_scratch_database("chongmu_bench")
    except RuntimeError as exc:
        sys.exit(str(exc))


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    import logging

    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)

    from components.events.tables import BudgetLine, Event, Transaction
    from web.app import create_app
    from web.settings import Settings

    app = create_app(Settings.from_env())
    for hook in app.on_startup:
        await hook(app)
    if args.cached_won:
        # What-if for the shared `|won` filter: the same Babel call, memoised (amounts repeat a lot).
        from functools import lru_cache

        from components.ui import formatting
        from components.ui.rendering import environment

        environment().filters["won"] = lru_cache(maxsize=16384)(formatting.won)
    rng = random.Random(args.seed)
    try:
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://bench.local") as client:
            await client.get("/login")
            token = client.cookies.get("csrftoken") or ""

            async def post(url: str, data: dict[str, str], htmx: bool = False) -> httpx.Response:
                headers = {"HX-Request": "true", "HX-Target": "x"} if htmx else {}
                return await client.post(url, data={"_csrf_token": token, **data}, headers=headers)

            password = "tally-receipts-9417"
            r = await post(
                "/register",
                {
                    "email": "bench@example.com",
                    "display_name": "벤치 총무",
                    "password": password,
                    "password_confirm": password,
                },
            )
            assert r.status_code == 303, re.findall(r'class="(?:error|flash[^"]*)"[^>]*>([^<]*)', r.text)
            r = await post("/orgs", {"name": "벤치 학생회"})
            org = int(re.search(r"/o/(\d+)", r.headers["location"]).group(1))  # type: ignore[union-attr]
            r = await post(
                f"/o/{org}/events",
                {
                    "title": "벤치 행사",
                    "starts_on": "2026-03-01",
                    "ends_on": "2026-03-31",
                    "carry_in": "1,000,000",
                },
            )
            event = int(r.headers["location"].rsplit("/", 1)[1])

            t0 = time.perf_counter()
            categories = ["식비", "대관", "인쇄", "교통", "숙박", "물품", "홍보", "행사", "회비", "지원금"]
            lines = []
            for i in range(args.lines):
                section = "income" if i % 10 == 0 else "expense"
                unit = rng.choice([1_000, 5_000, 8_000, 12_000, 50_000])
                qty = rng.randint(1, 40)
                lines.append(
                    BudgetLine(
                        event=event,
                        section=section,
                        category=rng.choice(categories),
                        name=f"항목 {i + 1}",
                        unit_price=unit,
                        quantity=qty,
                        times=1,
                        planned_amount=unit * qty,
                        note="",
                        position=i + 1,
                    )
                )
            await BudgetLine.insert(*lines)
            line_rows = await BudgetLine.select(BudgetLine.id, BudgetLine.section).where(
                BudgetLine.event == event
            )
            by_section = {s: [r["id"] for r in line_rows if r["section"] == s] for s in ("income", "expense")}
            evidence = ["card_slip"] * 6 + [
                "cash_receipt",
                "tax_invoice",
                "simple_receipt",
                "receipt",
                "none",
            ]
            txs = []
            start = date(2026, 3, 1)
            for i in range(args.transactions):
                section = "income" if i % 8 == 0 else "expense"
                line = None if i % 15 == 0 else rng.choice(by_section[section])
                txs.append(
                    Transaction(
                        event=event,
                        section=section,
                        budget_line=line,
                        occurred_on=start + timedelta(days=rng.randint(-3, 33)),
                        counterparty=f"거래처 {rng.randint(1, 400)}",
                        amount=rng.randint(1, 200) * 500,
                        payment_method=rng.choice(["card", "cash", "transfer"]),
                        evidence_type=rng.choice(evidence),
                        memo="",
                        status="draft" if i % 40 == 0 else "confirmed",
                    )
                )
            for i in range(0, len(txs), 1000):
                await Transaction.insert(*txs[i : i + 1000])
            seed_s = time.perf_counter() - t0
            assert await Event.count() == 1

            if args.gc_freeze:
                import gc

                gc.collect()
                gc.freeze()  # what-if: long-lived objects out of the cyclic GC's way, as after a server start
            base = f"/o/{org}/events/{event}"
            save_line = by_section["expense"][len(by_section["expense"]) // 2]
            version = {"v": 1}

            async def budget_page() -> httpx.Response:
                return await client.get(f"{base}/budget")

            async def actual_page() -> httpx.Response:
                return await client.get(f"{base}/actual")

            async def event_page() -> httpx.Response:
                return await client.get(base)

            async def tx_list() -> httpx.Response:
                return await client.get(f"{base}/transactions")

            async def row_save() -> httpx.Response:
                amount = rng.randint(1, 999) * 1000
                response = await post(
                    f"{base}/budget/lines/{save_line}",
                    {
                        "section": "expense",
                        "category": "식비",
                        "name": "벤치 항목",
                        "planned_amount": f"{amount:,}",
                        "version": str(version["v"]),
                    },
                    htmx=True,
                )
                version["v"] += 1
                return response

            cases = [
                ("budget page (예산)", "page", budget_page),
                ("budget vs actual (결산)", "page", actual_page),
                ("inline row save (HTMX)", "save", row_save),
                ("event page (개요)", "page", event_page),
                ("transactions list", "page", tx_list),
            ]
            if args.profile:
                import cProfile
                import pstats

                fn = dict((c[0], c[2]) for c in cases)[args.profile]
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(5):
                    await fn()
                profiler.disable()
                pstats.Stats(profiler).sort_stats(args.sort).print_stats(35)
            results: dict[str, Any] = {}
            for label, kind, fn in cases:
                for _ in range(args.warmup):
                    response = await fn()
                    assert response.status_code == 200, (label, response.status_code, response.text[:300])
                times = []
                cpu = []
                size = 0
                for _ in range(args.requests):
                    t, c = time.perf_counter(), time.process_time()
                    response = await fn()
                    times.append((time.perf_counter() - t) * 1000)
                    cpu.append((time.process_time() - c) * 1000)
                    assert response.status_code == 200, (label, response.status_code)
                    size = len(response.content)
                results[label] = {
                    "n": len(times),
                    "p50_ms": percentile(times, 50),
                    "p95_ms": percentile(times, 95),
                    "max_ms": max(times),
                    "mean_ms": sum(times) / len(times),
                    "bytes": size,
                    "cpu_p50_ms": percentile(cpu, 50),
                    "cpu_p95_ms": percentile(cpu, 95),
                    "target_ms": TARGETS_MS[kind],
                }
            return {
                "lines": args.lines,
                "transactions": args.transactions,
                "seed_s": seed_s,
                "cpu_count": os.cpu_count(),
                "results": results,
            }
    finally:
        for hook in app.on_shutdown:
            await hook(app)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=300)
    parser.add_argument("--transactions", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--gc-freeze", action="store_true", help="what-if: gc.freeze() after start-up")
    parser.add_argument("--cached-won", action="store_true", help="what-if: memoise the |won filter")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key for --profile")
    parser.add_argument("--profile", help="cProfile 5 requests of this route label first")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()

    url, base, name = make_database()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("CHONGMU_SECRET_KEY", "bench-secret-key-not-for-production")
    os.environ.setdefault("CHONGMU_LOG_JSON", "0")
    os.environ.setdefault("CHONGMU_LOG_LEVEL", "WARNING")
    try:
        report = asyncio.run(run(args))
    finally:
        if not args.keep:
            from scripts.devdb import drop_scratch_database

            drop_scratch_database(base, name)
    print(
        f"\nbench-budget: {report['lines']} budget lines, {report['transactions']:,} transactions "
        f"(seeded in {report['seed_s']:.1f} s), {args.requests} requests each after {args.warmup} warm-up, "
        f"in-process ASGI, {report['cpu_count']} CPUs, load average {os.getloadavg()[0]:.1f}"
        f"{', gc.freeze()' if args.gc_freeze else ''}{', memoised |won' if args.cached_won else ''}\n"
        "wall ms = one request's wall time; cpu ms = this process's CPU time for it "
        "(app + PostgreSQL client; "
        "PostgreSQL's own CPU not included)\n"
    )
    header = (
        f"{'route':<28} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cpu p50':>8} {'cpu p95':>8} "
        f"{'KiB':>6} {'target p95':>11}  ok"
    )
    print(header)
    print("-" * len(header))
    for label, r in report["results"].items():
        ok = "yes" if r["p95_ms"] < r["target_ms"] else "NO"
        print(
            f"{label:<28} {r['n']:>4} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['max_ms']:>8.1f} "
            f"{r['cpu_p50_ms']:>8.1f} {r['cpu_p95_ms']:>8.1f} {r['bytes'] / 1024:>6.0f} "
            f"{'< ' + format(r['target_ms'], '.0f') + ' ms':>11}  {ok}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
