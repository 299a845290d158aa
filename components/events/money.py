"""Korean-friendly money input: "13,500", "13500원", "₩13,500", "1.2만", "3만5천", "1억 2000만".

Amounts are integers of won, 0 ≤ amount ≤ 10^12. Anything else is refused with a reason in Korean.
Pure functions; no database, no web framework.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MAX_AMOUNT = 10**12
UNITS = {"조": 10**12, "억": 10**8, "만": 10**4, "천": 10**3, "백": 10**2}
_TOKEN = re.compile(r"(\d+(?:\.\d+)?)([조억만천백]?)")
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


class AmountError(ValueError):
    """The text is not an amount of won; `reason` says why, in Korean."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _normalise(text: str) -> str:
    value = unicodedata.normalize("NFKC", text or "").strip()
    value = value.replace("₩", "").replace("￦", "").replace(" ", "")
    if value.endswith("원"):
        value = value[:-1]
    return value


def parse_amount(text: str | int | None, *, label: str = "금액") -> int:
    """The amount in won, or AmountError with the reason."""
    if isinstance(text, int):
        value = text
    else:
        raw = _normalise(str(text or ""))
        if not raw:
            raise AmountError(f"{label}을(를) 입력하세요.")
        if raw.startswith("-") or raw.startswith("−"):
            raise AmountError(f"{label}은(는) 0원 이상이어야 합니다.")
        if raw.startswith("+"):
            raw = raw[1:]
        value = _parse_korean_number(raw, label)
    if value < 0:
        raise AmountError(f"{label}은(는) 0원 이상이어야 합니다.")
    if value > MAX_AMOUNT:
        raise AmountError(f"{label}은(는) 1조 원(1,000,000,000,000원) 이하여야 합니다.")
    return value


def _parse_korean_number(raw: str, label: str) -> int:
    # Thousands separators: accept only proper grouping ("13,500"), not "1,35,00".
    parts: list[tuple[str, str]] = []
    pos = 0
    cleaned = raw
    if "," in raw:
        pieces = re.split(r"([조억만천백])", raw)
        out = []
        for piece in pieces:
            if "," in piece:
                if not _GROUPED.match(piece):
                    raise AmountError(f"쉼표 위치가 올바르지 않습니다: '{raw}'. 예: 13,500")
                piece = piece.replace(",", "")
            out.append(piece)
        cleaned = "".join(out)
    for match in _TOKEN.finditer(cleaned):
        if match.start() != pos:
            break
        parts.append((match.group(1), match.group(2)))
        pos = match.end()
    if pos != len(cleaned) or not parts:
        raise AmountError(
            f"'{raw}'은(는) 금액으로 읽을 수 없습니다. 숫자로 입력하세요. 예: 13,500 또는 1.2만"
        )
    total = Decimal(0)
    last_unit: int | None = None
    for number, unit in parts:
        factor = UNITS.get(unit, 1)
        if last_unit is not None and factor >= last_unit:
            raise AmountError(f"'{raw}'의 단위 순서가 올바르지 않습니다. 큰 단위부터 쓰세요. 예: 1억2000만")
        if not unit and last_unit is None and len(parts) > 1:
            raise AmountError(f"'{raw}'은(는) 금액으로 읽을 수 없습니다.")
        last_unit = factor
        try:
            total += Decimal(number) * factor
        except InvalidOperation as exc:  # pragma: no cover - the regex only lets digits through
            raise AmountError(f"'{raw}'은(는) 금액으로 읽을 수 없습니다.") from exc
    if total != total.to_integral_value():
        raise AmountError(f"금액은 원 단위 정수여야 합니다. '{raw}'은(는) {total.normalize():f}원입니다.")
    return int(total)


def parse_optional_amount(text: str | None, *, label: str = "금액") -> int | None:
    if not _normalise(str(text or "")):
        return None
    return parse_amount(text, label=label)


def parse_quantity(text: str | None) -> Decimal | None:
    """수량: a positive number with at most two decimals (1, 2.5), or None when empty."""
    raw = unicodedata.normalize("NFKC", str(text or "")).strip().replace(",", "")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise AmountError(f"수량 '{raw}'은(는) 숫자가 아닙니다.") from exc
    if not value.is_finite() or value <= 0:
        raise AmountError("수량은 0보다 커야 합니다.")
    if value != value.quantize(Decimal("0.01")):
        raise AmountError("수량은 소수점 둘째 자리까지 입력할 수 있습니다.")
    if value > 10**9:
        raise AmountError("수량이 너무 큽니다.")
    return (
        value.quantize(Decimal("0.01")) if value != value.to_integral_value() else value.quantize(Decimal(1))
    )


def parse_times(text: str | None) -> int | None:
    """횟수: a positive whole number, or None when empty."""
    raw = unicodedata.normalize("NFKC", str(text or "")).strip().removesuffix("회").removesuffix("번")
    if not raw:
        return None
    if not raw.isdigit():
        raise AmountError(f"횟수 '{raw}'은(는) 1 이상의 정수로 입력하세요.")
    value = int(raw)
    if value < 1 or value > 100_000:
        raise AmountError("횟수는 1 이상 100,000 이하로 입력하세요.")
    return value


def basis_amount(unit_price: int, quantity: Decimal | None, times: int | None) -> int:
    """단가 × 수량 × 횟수, rounded half up to whole won."""
    value = Decimal(unit_price) * (quantity if quantity is not None else Decimal(1)) * (times or 1)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_quantity(value: Decimal | float | int | None) -> str:
    if value is None:
        return ""
    number = Decimal(str(value))
    return f"{number.normalize():f}" if number != number.to_integral_value() else str(int(number))
