"""Evidence checks (증빙 점검): pure functions that turn transactions into warnings, never blocking.

The receipts slice feeds `receipt_totals` ({transaction_id: sum of its receipts' totals}); a transaction
that appears there has evidence attached even when its evidence type says 없음.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from components.ui import formatting

# Babel formatting is ~40 µs a call; an event has few distinct dates and amounts, thousands of transactions.
won = lru_cache(maxsize=8192)(formatting.won)
local_date = lru_cache(maxsize=2048)(formatting.local_date)

EXPENSE_WITHOUT_EVIDENCE = "expense_without_evidence"
SIMPLE_RECEIPT_OVER_LIMIT = "simple_receipt_over_limit"
DATE_OUTSIDE_EVENT = "date_outside_event"
RECEIPT_TOTAL_MISMATCH = "receipt_total_mismatch"

CHECK_LABELS = {
    EXPENSE_WITHOUT_EVIDENCE: "증빙 없는 지출",
    SIMPLE_RECEIPT_OVER_LIMIT: "간이영수증 한도 초과",
    DATE_OUTSIDE_EVENT: "행사 기간 밖 거래",
    RECEIPT_TOTAL_MISMATCH: "영수증 합계 불일치",
}


class TxFacts(NamedTuple):
    """What the checks need to know about one (non-deleted) transaction."""

    id: int
    section: str  # "income" | "expense"
    occurred_on: date
    amount: int
    evidence_type: str
    counterparty: str = ""


class EvidenceWarning(NamedTuple):
    code: str
    transaction_id: int
    message: str

    @property
    def label(self) -> str:
        return CHECK_LABELS.get(self.code, self.code)


def check_transaction(
    tx: TxFacts,
    *,
    starts_on: date | None,
    ends_on: date | None,
    simple_receipt_limit: int = 30_000,
    receipt_total: int | None = None,
) -> list[EvidenceWarning]:
    """Warnings for one transaction. `receipt_total` is None when no receipt is attached."""
    found: list[EvidenceWarning] = []
    who = f"{tx.counterparty} " if tx.counterparty else ""
    what = f"{local_date(tx.occurred_on, 'M/d')} {who}{won(tx.amount)}"
    if tx.section == "expense" and tx.evidence_type == "none" and receipt_total is None:
        found.append(
            EvidenceWarning(
                EXPENSE_WITHOUT_EVIDENCE,
                tx.id,
                f"{what}: 증빙이 없는 지출입니다. 영수증을 첨부하거나 사유를 메모하세요.",
            )
        )
    if tx.evidence_type == "simple_receipt" and tx.amount >= simple_receipt_limit:
        found.append(
            EvidenceWarning(
                SIMPLE_RECEIPT_OVER_LIMIT,
                tx.id,
                f"{what}: {won(simple_receipt_limit)} 이상은 간이영수증 대신 "
                "카드전표·현금영수증·세금계산서를 받으세요.",
            )
        )
    if (starts_on and tx.occurred_on < starts_on) or (ends_on and tx.occurred_on > ends_on):
        period = f"{local_date(starts_on) if starts_on else ''} ~ {local_date(ends_on) if ends_on else ''}"
        found.append(
            EvidenceWarning(DATE_OUTSIDE_EVENT, tx.id, f"{what}: 행사 기간({period}) 밖의 거래입니다.")
        )
    if receipt_total is not None and receipt_total != tx.amount:
        found.append(
            EvidenceWarning(
                RECEIPT_TOTAL_MISMATCH,
                tx.id,
                f"{what}: 첨부한 영수증 합계 {won(receipt_total)}와 금액이 "
                f"{won(abs(receipt_total - tx.amount))} 다릅니다.",
            )
        )
    return found


def check_transactions(
    transactions: Iterable[TxFacts],
    *,
    starts_on: date | None,
    ends_on: date | None,
    simple_receipt_limit: int = 30_000,
    receipt_totals: Mapping[int, int] | None = None,
) -> list[EvidenceWarning]:
    """Warnings for every transaction, in the order given."""
    totals = receipt_totals or {}
    found: list[EvidenceWarning] = []
    for tx in transactions:
        found += check_transaction(
            tx,
            starts_on=starts_on,
            ends_on=ends_on,
            simple_receipt_limit=simple_receipt_limit,
            receipt_total=totals.get(tx.id),
        )
    return found


def summarise(warnings: Iterable[EvidenceWarning]) -> dict[str, int]:
    """How many warnings of each kind ({code: count})."""
    counts: dict[str, int] = {}
    for w in warnings:
        counts[w.code] = counts.get(w.code, 0) + 1
    return counts
