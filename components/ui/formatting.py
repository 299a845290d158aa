"""Money and dates through Babel: 13,500원, 2026년 11월 26일. Stored UTC, shown in Asia/Seoul."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

SEOUL = ZoneInfo("Asia/Seoul")
LOCALE = "ko_KR"


@lru_cache(maxsize=8192)
def won(amount: int | None) -> str:
    # Cached: a budget page formats thousands of amounts and Babel's formatting is the slow part.
    if amount is None:
        return ""
    return f"{format_decimal(amount, locale=LOCALE)}원"


def number(value: int | float | None) -> str:
    return "" if value is None else format_decimal(value, locale=LOCALE)


def local_datetime(value: datetime | None, fmt: str = "yyyy년 M월 d일 HH:mm") -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return format_datetime(value, fmt, tzinfo=SEOUL, locale=LOCALE)


def local_date(value: date | datetime | None, fmt: str = "long") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(SEOUL).date()
    return format_date(value, fmt, locale=LOCALE)
