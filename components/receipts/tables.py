"""Receipts (증빙) and the files behind them. The original upload is never thrown away."""

from enum import Enum
from typing import Any

from piccolo.columns import (
    JSONB,
    BigInt,
    Bytea,
    ForeignKey,
    Integer,
    Real,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from components.accounts.tables import User
from components.events.tables import BudgetLine, Event, Transaction


class ReceiptStatus(str, Enum):
    queued = "queued"  # 대기 중
    processing = "processing"  # 읽는 중
    needs_review = "needs_review"  # 검토 필요
    confirmed = "confirmed"  # 확인됨
    failed = "failed"  # 실패
    rejected = "rejected"  # 반려


class StoredFile(Table, tablename="stored_file"):
    """Bytes kept in PostgreSQL (one backup covers data, jobs and files); see services.FileStore."""

    id = Serial(primary_key=True)
    sha256 = Varchar(length=64, index=True)
    content_type = Varchar(length=100)
    size = BigInt()
    content = Bytea()
    created_at = Timestamptz()


class Receipt(Table, tablename="receipt"):
    id = Serial(primary_key=True)
    event = ForeignKey(Event, null=False, index=True, on_delete=OnDelete.restrict)
    uploader = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    status = Varchar(length=20, choices=ReceiptStatus, default=ReceiptStatus.queued, index=True)
    filename = Varchar(length=255, default="")  # as uploaded; shown only, never trusted
    original = ForeignKey(StoredFile, null=False, on_delete=OnDelete.restrict)  # untouched upload (evidence)
    image = ForeignKey(
        StoredFile, null=True, default=None, on_delete=OnDelete.restrict
    )  # upright JPEG, no EXIF
    thumbnail = ForeignKey(StoredFile, null=True, default=None, on_delete=OnDelete.restrict)
    original_type = Varchar(length=20, default="")  # jpeg/png/webp/heif/pdf, by content
    content_hash = Varchar(length=64, index=True)  # sha256 of the original upload
    page_no = Integer(null=True, default=None)  # 1-based page of a PDF original
    page_count = Integer(default=1)
    image_width = Integer(default=0)
    image_height = Integer(default=0)
    ocr_lines = JSONB(default=[])  # [{text, box, confidence}] in the normalised image's pixels
    fields = JSONB(default={})  # {name: {value, confidence, box}}, items, warnings
    suggestion = JSONB(default={})  # evidence_type, budget_line_id, occurred_on, amount, counterparty
    warnings = JSONB(default=[])  # Korean texts
    engine = Varchar(length=40, default="")
    error = Text(default="")  # Korean reason when failed
    attempts = Integer(default=0)
    ocr_seconds = Real(null=True, default=None)
    queued_at = Timestamptz(null=True, default=None)
    started_at = Timestamptz(null=True, default=None)
    finished_at = Timestamptz(null=True, default=None)
    duplicate_of: ForeignKey[Any] = ForeignKey("self", null=True, default=None, on_delete=OnDelete.set_null)
    possible_duplicate_of: ForeignKey[Any] = ForeignKey(
        "self", null=True, default=None, on_delete=OnDelete.set_null
    )
    transaction = ForeignKey(Transaction, null=True, default=None, index=True, on_delete=OnDelete.set_null)
    suggested_budget_line = ForeignKey(BudgetLine, null=True, default=None, on_delete=OnDelete.set_null)
    reviewed_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    reviewed_at = Timestamptz(null=True, default=None)
    version = Integer(default=1)
    created_at = Timestamptz()
    updated_at = Timestamptz()
