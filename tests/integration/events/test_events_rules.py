"""Pure rules: Korean amount input, 산출근거, execution rate, variance threshold, evidence checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from components.events import checks
from components.events.money import AmountError, basis_amount, parse_amount, parse_quantity, parse_times
from components.events.services import execution_rate, needs_reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13,500", 13500),
        ("13500원", 13500),
        ("13,500 원", 13500),
        ("₩13,500", 13500),
        ("1.2만", 12000),
        ("3만5천", 35000),
        ("3만 5000원", 35000),
        ("1억 2000만", 120_000_000),
        ("１３５００", 13500),  # full-width digits from Korean keyboards
        ("0", 0),
        ("1조", 10**12),
    ],
)
def test_amounts_korean_style(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "입력하세요"),
        ("-500", "0원 이상"),
        ("abc", "금액으로 읽을 수 없습니다"),
        ("1,35,00", "쉼표 위치"),
        ("1.5", "원 단위 정수"),
        ("1.23456만", "12345.6원"),
        ("5천3만", "큰 단위부터"),
        ("1000000000001", "1조 원"),
        ("1.1조", "1조 원"),
        ("12 34 x", "금액으로 읽을 수 없습니다"),
    ],
)
def test_amounts_refused_with_a_reason(text, reason):
    with pytest.raises(AmountError) as info:
        parse_amount(text, label="금액")
    assert reason in info.value.reason


def test_basis_quantity_and_times():
    assert parse_quantity("2.5") == Decimal("2.50")
    assert parse_quantity("") is None
    assert parse_times("3회") == 3
    assert basis_amount(13_500, Decimal("2.5"), 3) == 101_250
    assert basis_amount(333, Decimal("0.5"), None) == 167  # half up to whole won
    for bad in ("0", "-1", "1.234", "x"):
        with pytest.raises(AmountError):
            parse_quantity(bad)
    for bad in ("0", "1.5", "x"):
        with pytest.raises(AmountError):
            parse_times(bad)


def test_execution_rate_and_variance_threshold():
    assert execution_rate(100_000, 85_000) == 85.0
    assert execution_rate(0, 5_000) is None
    assert not needs_reason(100_000, 110_000, 10)  # exactly 10% is within
    assert needs_reason(100_000, 110_001, 10)
    assert needs_reason(100_000, 89_999, 10)
    assert not needs_reason(0, 0, 10)
    assert needs_reason(0, 1, 10)  # spent on a line with no plan


def _tx(**kw):
    base = {
        "id": 1,
        "section": "expense",
        "occurred_on": date(2026, 3, 2),
        "amount": 10_000,
        "evidence_type": "card_slip",
        "counterparty": "가게",
    }
    return checks.TxFacts(**{**base, **kw})


def test_evidence_checks():
    period = {"starts_on": date(2026, 3, 2), "ends_on": date(2026, 3, 3)}
    assert checks.check_transactions([_tx()], **period) == []
    found = checks.check_transactions([_tx(evidence_type="none")], **period)
    assert [w.code for w in found] == [checks.EXPENSE_WITHOUT_EVIDENCE]
    assert "증빙이 없는 지출" in found[0].message
    # Income needs no evidence.
    assert checks.check_transactions([_tx(section="income", evidence_type="none")], **period) == []
    # 간이영수증: at or above the limit.
    assert checks.check_transactions([_tx(evidence_type="simple_receipt", amount=29_999)], **period) == []
    found = checks.check_transactions([_tx(evidence_type="simple_receipt", amount=30_000)], **period)
    assert [w.code for w in found] == [checks.SIMPLE_RECEIPT_OVER_LIMIT]
    assert "30,000원 이상" in found[0].message
    found = checks.check_transactions(
        [_tx(evidence_type="simple_receipt", amount=20_000)], **period, simple_receipt_limit=20_000
    )
    assert len(found) == 1
    # Dates outside the event, on either side; open-ended events check the side they have.
    for day in (date(2026, 3, 1), date(2026, 3, 4)):
        found = checks.check_transactions([_tx(occurred_on=day)], **period)
        assert [w.code for w in found] == [checks.DATE_OUTSIDE_EVENT]
    assert (
        checks.check_transactions(
            [_tx(occurred_on=date(2030, 1, 1))], starts_on=date(2026, 3, 2), ends_on=None
        )
        == []
    )
    assert checks.check_transactions([_tx()], starts_on=None, ends_on=None) == []


def test_receipt_totals_feed_the_checks():
    period = {"starts_on": None, "ends_on": None}
    # A receipt attached counts as evidence even when the type says 없음.
    assert checks.check_transactions([_tx(evidence_type="none")], **period, receipt_totals={1: 10_000}) == []
    found = checks.check_transactions([_tx(), _tx(id=2)], **period, receipt_totals={1: 9_000})
    assert [(w.code, w.transaction_id) for w in found] == [(checks.RECEIPT_TOTAL_MISMATCH, 1)]
    assert "1,000원 다릅니다" in found[0].message
    assert checks.summarise(found) == {checks.RECEIPT_TOTAL_MISMATCH: 1}
