"""Events, their budget lines and transactions (집행 내역). Money is BIGINT won, never float."""

from enum import Enum

from piccolo.columns import (
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from components.accounts.tables import User
from components.organisations.tables import Organisation


class EventStatus(str, Enum):
    planning = "planning"  # 계획
    budget_approved = "budget_approved"  # 예산 승인
    in_progress = "in_progress"  # 진행 중
    settling = "settling"  # 결산 중
    closed = "closed"  # 마감


class Section(str, Enum):
    income = "income"  # 수입
    expense = "expense"  # 지출


class PaymentMethod(str, Enum):
    card = "card"  # 카드
    cash = "cash"  # 현금
    transfer = "transfer"  # 계좌이체
    other = "other"  # 기타


class EvidenceType(str, Enum):
    card_slip = "card_slip"  # 카드매출전표
    cash_receipt = "cash_receipt"  # 현금영수증
    tax_invoice = "tax_invoice"  # 세금계산서
    simple_receipt = "simple_receipt"  # 간이영수증
    statement = "statement"  # 거래명세서
    receipt = "receipt"  # 영수증 (general)
    other = "other"  # 기타
    none = "none"  # 없음


class TransactionStatus(str, Enum):
    draft = "draft"
    confirmed = "confirmed"


class Event(Table, tablename="event"):
    id = Serial(primary_key=True)
    organisation = ForeignKey(Organisation, null=False, index=True, on_delete=OnDelete.restrict)
    title = Varchar(length=120)
    starts_on = Date(null=True, default=None)
    ends_on = Date(null=True, default=None)
    place = Varchar(length=200, default="")
    description = Text(default="")
    status = Varchar(length=20, choices=EventStatus, default=EventStatus.planning)
    carry_in = BigInt(default=0)  # 전기이월
    # Budget-vs-actual: a reason (사유) is asked for beyond this deviation, in percent.
    variance_threshold_pct = Integer(default=10)
    simple_receipt_limit = BigInt(default=30000)  # 간이영수증 warning threshold (won)
    archived = Boolean(default=False)
    created_by = BigInt(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    version = Integer(default=1)


class BudgetLine(Table, tablename="budget_line"):
    id = Serial(primary_key=True)
    event = ForeignKey(Event, null=False, index=True, on_delete=OnDelete.cascade)
    section = Varchar(length=10, choices=Section)
    category = Varchar(length=60, default="")
    name = Varchar(length=120)
    # 산출근거: unit price × quantity × times; when given, planned_amount follows from them.
    unit_price = BigInt(null=True, default=None)
    quantity = Numeric(digits=(12, 2), null=True, default=None)
    times = Integer(null=True, default=None)
    planned_amount = BigInt(default=0)
    note = Text(default="")
    variance_reason = Text(default="")  # 사유 for budget-vs-actual
    auditor_comment = Text(default="")
    position = Integer(default=0)
    version = Integer(default=1)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class Transaction(Table, tablename="money_transaction"):
    id = Serial(primary_key=True)
    event = ForeignKey(Event, null=False, index=True, on_delete=OnDelete.cascade)
    section = Varchar(length=10, choices=Section)
    budget_line = ForeignKey(BudgetLine, null=True, default=None, index=True, on_delete=OnDelete.set_null)
    occurred_on = Date()
    counterparty = Varchar(length=120, default="")
    amount = BigInt()
    payment_method = Varchar(length=10, choices=PaymentMethod, default=PaymentMethod.card)
    evidence_type = Varchar(length=20, choices=EvidenceType, default=EvidenceType.none)
    memo = Text(default="")
    status = Varchar(length=10, choices=TransactionStatus, default=TransactionStatus.confirmed)
    author = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    deleted_at = Timestamptz(null=True, default=None)  # soft delete, audited
    version = Integer(default=1)
    created_at = Timestamptz()
    updated_at = Timestamptz()
