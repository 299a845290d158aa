"""Receipt fields from OCR lines.

Designed for real receipts, not for one generator: every field is looked for (1) after its label in the
same row, (2) in the row below, under the label, and (3) without a label, by its shape (a checksum-valid
사업자등록번호, a valid date, a bracketed 8-digit 승인번호, a 공급가액 + 부가세 = 합계 triple, ...).
Readings of the same box by several engines (`OcrLine.alts`) all give candidates; validation
(checksum, calendar) chooses between them. Rows are built from the box geometry after removing the
page's skew.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .engines import HAN, HANGUL, OcrLine
from .names import (
    brand_prefix,
    is_title,
    known_brand,
    name_letters,
    name_score,
    person_name_score,
    snap_suffix,
)

Box = list[tuple[float, float]]

# --------------------------------------------------------------------------- results


@dataclass
class Field:
    value: Any = None
    confidence: float = 0.0
    box: Box | None = None

    def as_dict(self) -> dict:
        return {
            "value": self.value,
            "confidence": round(float(self.confidence), 3),
            "box": [[round(x, 1), round(y, 1)] for x, y in self.box] if self.box else None,
        }


@dataclass
class Item:
    name: str | None
    quantity: int | None
    unit_price: int | None
    amount: int | None
    confidence: float = 0.0
    box: Box | None = None

    def as_flat_dict(self) -> dict:
        return {
            "name": self.name,
            "quantity": self.quantity,
            "unit_price": self.unit_price,
            "amount": self.amount,
        }

    def as_dict(self) -> dict:
        d = self.as_flat_dict()
        d["confidence"] = round(float(self.confidence), 3)
        d["box"] = [[round(x, 1), round(y, 1)] for x, y in self.box] if self.box else None
        return d


FIELD_NAMES = (
    "store_name",
    "branch",
    "biz_no",
    "representative",
    "phone",
    "address",
    "datetime",
    "total",
    "supply_amount",
    "vat",
    "service_charge",
    "discount",
    "card_company",
    "card_number",
    "installment",
    "approval_no",
    "evidence_type",
)
FLAT_KEYS = (
    "store_name",
    "branch",
    "biz_no",
    "representative",
    "phone",
    "address",
    "datetime",
    "total",
    "supply_amount",
    "vat",
    "service_charge",
    "discount",
    "card_company",
    "card_number",
    "installment",
    "approval_no",
    "items",
    "evidence_type",
    "warnings",
)


@dataclass
class ReceiptFields:
    store_name: Field = field(default_factory=Field)
    branch: Field = field(default_factory=Field)
    biz_no: Field = field(default_factory=Field)
    representative: Field = field(default_factory=Field)
    phone: Field = field(default_factory=Field)
    address: Field = field(default_factory=Field)
    datetime: Field = field(default_factory=Field)
    total: Field = field(default_factory=Field)
    supply_amount: Field = field(default_factory=Field)
    vat: Field = field(default_factory=Field)
    service_charge: Field = field(default_factory=Field)
    discount: Field = field(default_factory=Field)
    card_company: Field = field(default_factory=Field)
    card_number: Field = field(default_factory=Field)
    installment: Field = field(default_factory=Field)
    approval_no: Field = field(default_factory=Field)
    evidence_type: Field = field(default_factory=lambda: Field("receipt", 0.3))
    items: list[Item] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_flat_dict(self) -> dict:
        out: dict[str, Any] = {}
        for k in FLAT_KEYS:
            if k == "items":
                out[k] = [it.as_flat_dict() for it in self.items]
            elif k == "warnings":
                out[k] = list(self.warnings)
            else:
                out[k] = getattr(self, k).value
        return out

    def as_dict(self) -> dict:
        """Values with confidence and box, for storing beside the receipt."""
        out: dict[str, Any] = {k: getattr(self, k).as_dict() for k in FIELD_NAMES}
        out["items"] = [it.as_dict() for it in self.items]
        out["warnings"] = list(self.warnings)
        return out


# --------------------------------------------------------------------------- checks


def biz_no_valid(number: str) -> bool:
    """사업자등록번호 checksum (weights 1,3,7,1,3,7,1,3,5; DESIGN §3)."""
    d = [int(c) for c in re.sub(r"\D", "", number or "")]
    if len(d) != 10:
        return False
    w = [1, 3, 7, 1, 3, 7, 1, 3, 5]
    s = sum(d[i] * w[i] for i in range(9)) + (d[8] * 5) // 10
    return (10 - s % 10) % 10 == d[9]


def format_biz_no(number: str) -> str:
    d = re.sub(r"\D", "", number)
    return f"{d[:3]}-{d[3:5]}-{d[5:]}"


def won(n: int) -> str:
    try:
        from babel.numbers import format_decimal

        return f"{format_decimal(n, locale='ko_KR')}원"
    except Exception:
        return f"{n:,}원"


# --------------------------------------------------------------------------- text normalisation

_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−ー一"), "-") | dict.fromkeys(map(ord, "×✕✱∗⁎"), "*")
# letters that OCR puts where digits are, inside a run that is otherwise digits
_DIGIT_LIKE = {
    "O": "0",
    "o": "0",
    "D": "0",
    "Q": "0",
    "l": "1",
    "I": "1",
    "|": "1",
    "i": "1",
    "!": "1",
    "Z": "2",
    "S": "5",
    "B": "8",
}
# a run of digits and digit-like letters, not part of a word ("TEL02" keeps its L)
_RUN = re.compile(r"(?<![A-Za-z])[0-9OoDQlI|i!ZSB][0-9OoDQlI|i!ZSB,.\-:/*]*(?![A-Za-z])")


def _fix_run(m: re.Match) -> str:
    s = m.group(0)
    digits = sum(c.isdigit() for c in s)
    letters = sum(c in _DIGIT_LIKE for c in s)
    # only runs that are mostly digits (e.g. "2O26-11-2O", "l5,5OO"); words stay words
    if digits >= 2 and letters and digits >= 2 * letters:
        return "".join(_DIGIT_LIKE.get(c, c) for c in s)
    return s


def normalize(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).translate(_DASHES)
    t = t.replace("₩", " ").replace("\\", " ").replace("，", ",")
    # digit-like letters glued to digits ("2O26", "4,5OO", "l2,000")
    t = _RUN.sub(_fix_run, t)
    # doubled separators: "350,.000"
    t = re.sub(r"(?<=\d)[,.]{2,}(?=\d{3}(?!\d))", ",", t)
    # spaces inside thousands groups: "43, 500" / "43 ,500"
    t = re.sub(r"(?<=\d)\s*([,.])\s+(?=\d{3}(?!\d))", r"\1", t)
    t = re.sub(r"(?<=\d)\s+([,.])(?=\d{3}(?!\d))", r"\1", t)
    # spaces inside dashed IDs and dates: "212 - 81 - 25544", "2026 - 11 - 20"
    t = re.sub(r"(?<=\d)\s*([-/])\s*(?=\d)", r"\1", t)
    return re.sub(r"\s+", " ", t).strip()


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def hangul_ratio(text: str) -> float:
    letters = [c for c in text if not c.isspace()]
    if not letters:
        return 0.0
    return sum(bool(HANGUL.match(c)) for c in letters) / len(letters)


def join_spaced_syllables(text: str) -> str:
    """Tesseract spaces Hangul syllables apart ("성 수 점"): glue runs of one-syllable tokens."""
    tokens = text.split()
    out: list[str] = []
    run: list[str] = []
    for tok in tokens:
        if len(tok) == 1 and HANGUL.match(tok):
            run.append(tok)
            continue
        if run:
            if len(run) == 1 and out and HANGUL.search(out[-1][-1:]) and not tok:
                out[-1] += run[0]
            else:
                out.append("".join(run))
            run = []
        out.append(tok)
    if run:
        out.append("".join(run))
    return " ".join(out)


# --------------------------------------------------------------------------- labels


def _label_re(words: list[str], fuzzy: bool = True, others: frozenset[str] = frozenset()) -> re.Pattern:
    """Labels as a regex: spaces allowed between letters (Tesseract spaces Hangul apart), and for Hangul
    labels of four letters or more one misread letter ("카드총류", "공금가액") — unless that reading is
    another field's label (`others`, compact): 할인금액 with one letter off is 승인금액."""
    exact, loose = [], []
    own = {compact(w) for w in words}
    rivals = [o for o in others if o not in own]
    for w in sorted(words, key=lambda w: len(compact(w)), reverse=True):
        chars = [c for c in w if not c.isspace()]
        exact.append(r"\s*".join(re.escape(c) for c in chars))
        if fuzzy and len(chars) >= 4 and all(HANGUL.match(c) for c in chars):
            for i in range(len(chars)):
                parts = ["[가-힣]" if j == i else re.escape(c) for j, c in enumerate(chars)]
                if not any(re.fullmatch("".join(parts), o) for o in rivals):
                    loose.append(r"\s*".join(parts))
    return re.compile("(?:" + "|".join(exact + loose) + ")", re.IGNORECASE)


LABELS: dict[str, list[str]] = {
    "total_paid": [
        "결제금액",
        "결제 금액",
        "받을금액",
        "청구금액",
        "승인금액",
        "결제액",
        "총결제금액",
        "결제합계",
        "실결제금액",
        "판매금액합계",
        "거래금액",
        "공급대가총액",
        "공급대가 총액",
        "영수금액",
        "합계금액(부가세포함)",
    ],
    "total": [
        "합계금액",
        "총합계",
        "총 합계",
        "총금액",
        "총액",
        "합계",
        "합 계",
        "TOTAL",
        "판매합계",
        "판매총액",
        "매출합계",
        "총구매액",
        "구매금액",
        "금액합계",
        "계",
    ],
    "total_pay_line": ["신용카드", "카드결제", "현금결제", "신용승인", "현금", "카드", "공급대가"],
    "supply_amount": [
        "공급가액",
        "공급가",
        "공급금액",
        "과세물품가액",
        "과세물품",
        "과세금액",
        "과세가액",
        "과세매출",
        "과세공급가액",
        "물품가액",
    ],
    "vat": ["부가가치세", "부가세액", "부가세", "부 가 세", "세액", "VAT", "V.A.T", "부가서"],
    "service_charge": ["봉사료"],
    "taxfree": ["면세물품가액", "면세물품", "면세금액", "면세가액", "면세"],
    "discount": ["할인금액", "할인액", "할인", "에누리", "쿠폰할인", "즉시할인"],
    "biz_no": [
        "사업자등록번호",
        "사업자번호",
        "사업자 번호",
        "사업자NO",
        "사업자No",
        "사업자",
        "등록번호",
        "BIZNO",
        "Biz No",
    ],
    "representative": ["대표자명", "대표자", "대표", "성명", "CEO"],
    "phone": ["전화번호", "대표전화", "전화", "TEL", "Tel", "연락처", "☎", "T."],
    "address": ["사업장소재지", "사업장주소", "소재지", "주소", "ADDR"],
    "datetime": [
        "거래일시",
        "거래일자",
        "거래일",
        "승인일시",
        "승인일자",
        "판매일시",
        "판매일자",
        "판매일",
        "매출일시",
        "매출일자",
        "매출일",
        "결제일시",
        "결제일자",
        "발행일시",
        "발행일자",
        "발행일",
        "작성일자",
        "작성일",
        "작성년월일",
        "작성 년월일",
        "일시",
        "일자",
        "날짜",
        "DATE",
    ],
    "card_company": ["카드종류", "카드사명", "카드사", "카드명", "매입사", "발급사", "카드구분"],
    "card_number": ["카드번호", "카드NO", "CARD NO", "카드 No"],
    "installment": ["할부개월", "할부기간", "할부"],
    "approval_no": ["승인번호", "승인 번호", "승인NO", "승인No", "승인 No", "승인#", "APPROVAL", "AUTH"],
    "store_name": [
        "가맹점명",
        "가맹점",
        "상호명",
        "상호",
        "상 호",
        "매장명",
        "판매처",
        "업체명",
        "점포명",
        "판매자상호",
        "공급자상호",
    ],
    "branch": ["지점명", "지점"],
    "items_header": ["상품명", "품명", "품목", "메뉴", "상품", "내역", "품 명"],
    "items_header_num": ["단가", "수량", "금액", "수 량", "단 가", "금 액"],
    "stop_items": [
        "합계",
        "소계",
        "총액",
        "결제",
        "과세",
        "면세",
        "부가세",
        "공급가",
        "받을",
        "할인",
        "봉사료",
        "총 합계",
        "합 계",
        "판매총액",
        "청구",
        "카드",
        "현금",
    ],
}
LRE = {
    k: _label_re(v, others=frozenset(compact(w) for k2, ws in LABELS.items() if k2 != k for w in ws))
    for k, v in LABELS.items()
}
_NOT_CUT = {"일시", "일자", "날짜", "DATE", "계", "세액", "대표", "카드"}
ANY_LABEL = _label_re(
    sorted(
        {
            w
            for k, ws in LABELS.items()
            if k not in ("items_header", "items_header_num", "stop_items", "total_pay_line")
            for w in ws
            if len(compact(w)) >= 2 and w not in _NOT_CUT
        }
    )
)

CARD_COMPANIES = [
    ("국민", ["KB국민", "국민", "KB", "케이비"]),
    ("신한", ["신한", "SHINHAN"]),
    ("삼성", ["삼성", "SAMSUNG"]),
    ("현대", ["현대", "HYUNDAI"]),
    ("롯데", ["롯데", "LOTTE"]),
    ("하나", ["하나", "외환", "HANA"]),
    ("우리", ["우리", "WOORI"]),
    ("BC", ["비씨", "BC", "B C"]),
    ("NH농협", ["NH농협", "농협", "NH"]),
    ("씨티", ["씨티", "CITI"]),
    ("카카오뱅크", ["카카오뱅크", "카카오"]),
    ("IBK기업", ["IBK기업", "IBK", "기업"]),
    ("수협", ["수협"]),
    ("광주", ["광주"]),
    ("전북", ["전북"]),
    ("제주", ["제주"]),
    ("케이뱅크", ["케이뱅크"]),
    ("토스뱅크", ["토스"]),
]

TITLE_WORDS = re.compile(
    r"영수증|매출전표|전표|신용승인|승인정보|카드|고객용|가맹점용|보관용|공급받는자|공급자용|세금계산서|"
    r"거래명세|명세서|명세표|재발행|주문서|주문번호|결제|정보|IC\b|POS|포스|감사합니다|환영|welcome|receipt|"
    r"invoice|현금|간이|교환|환불|No\.|번호|일시|^\W*$|영수[증중층]|승인|[(\[].*용[)\]]|회원용|고객용|기간|소재지|"
    r"사업장|귀하|공급자|매출|주문|테이블|table|POS|계산원|담당|"
    # misread slip titles seen on photos: 산용/선용 for 신용, 해출/애출/메출 for 매출
    r"[신산선싱][용응]|[매해애메]출",
    re.IGNORECASE,
)
ADDRESS_RE = re.compile(
    r"(서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충청|충북|충남|전라|전북|전남|경상|경북|경남|제주)"
    r"[가-힣]*\s*[가-힣]+(시|군|구)(\s|$)"
)


# --------------------------------------------------------------------------- value parsers

AMOUNT_THOUSANDS = re.compile(r"(?<![\d])(-?)(\d{1,3}(?:[,.]\d{3})+)(?![,.]\d)")
AMOUNT_PLAIN = re.compile(r"(?<![\d,.:/\-])(-?)(\d{1,9})(?![\d:/]|[,.]\d|-\d)")


def parse_amount(text: str, allow_plain: bool = True) -> tuple[int, int, int] | None:
    """First amount in text: (won, start, end). '43.50081' (원 read as '81') → 43500."""
    best = None
    m = AMOUNT_THOUSANDS.search(text)
    if m:
        best = (int(re.sub(r"\D", "", m.group(2))), m.start(2), m.end(2))
    if allow_plain:
        p = AMOUNT_PLAIN.search(text)
        if p and (best is None or p.start() < best[1]):
            digits = p.group(2)
            if not (len(digits) > 1 and digits.startswith("0")):
                best = (int(digits), p.start(2), p.end(2))
    return best


WON_SIGN_AMOUNT = re.compile(
    r"(?:₩|\\|(?<![A-Za-z])[Ww])\s?(\d{1,3}(?:[,. ]\d{3})+|\d{4,9})(?![\d,.]|\s\d{3}(?!\d))"
)


def won_amounts(raw: str) -> list[int]:
    """Amounts written after a won sign (₩, or the W and backslash OCR reads it as), raw OCR text."""
    t = unicodedata.normalize("NFKC", raw).replace("￦", "₩")
    return [int(re.sub(r"\D", "", m.group(1))) for m in WON_SIGN_AMOUNT.finditer(t)]


def amounts_in(text: str) -> list[tuple[int, int, int]]:
    out = []
    for m in AMOUNT_THOUSANDS.finditer(text):
        out.append((int(re.sub(r"\D", "", m.group(2))), m.start(2), m.end(2)))
    return out


BIZ_RE = re.compile(r"(?<!\d)(\d{3})\s?[-.\s]?\s?(\d{2})\s?[-.\s]?\s?(\d{5})(?!\d)")


def parse_biz_all(text: str) -> list[tuple[str, bool, int]]:
    return [
        (f"{m.group(1)}-{m.group(2)}-{m.group(3)}", biz_no_valid("".join(m.groups())), m.start())
        for m in BIZ_RE.finditer(text)
    ]


DATE_RE = re.compile(
    # a table border read as "1" before a two-digit year: "|26/01/07" → "126/01/07"
    r"(?<!\d)(?:1(?=\d{2}[-./]\d))?(\d{4}|\d{2}|\d(?=\s*년))\s*(?:[-./:]|년)\s*(\d{1,2})\s*(?:[-./,]|월)\s*(\d{1,2})(?:\s*일)?"
    r"(?:\s*[(\[]?\s*[월화수목금토일]?\s*(?:요일)?\s*[)\]]?)?"
)
DATE_COMPACT_RE = re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)")
# The separator between month and day lost ("2026.08 29(토)", "2026.0829（）"): taken only where the
# weekday's bracket follows the day, and where the weekday was read it must be the date's own.
DATE_GAP_RE = re.compile(r"(?<!\d)(20\d{2})\s*[-./]\s*(\d{2})\s?(\d{2})\s*[(\[（]\s*([월화수목금토일]?)")
WEEKDAYS = "월화수목금토일"
TIME_RE = re.compile(
    r"(?:(오전|오후|AM|PM|am|pm)\s*)?(?<!\d)(\d{1,2})\s*(?::|시)\s*(\d{2})(?:\s*(?::|분|\.)\s*(\d{2}))?(?!\d)"
    r"(?:\s*(AM|PM|am|pm))?"
)


def _valid_date(y: int, m: int, d: int) -> dt.date | None:
    if y < 100:
        y += 2000
    if not (2000 <= y <= 2099):
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def parse_time(text: str) -> tuple[int, int, int | None, int] | None:
    for m in TIME_RE.finditer(text):
        h, mi = int(m.group(2)), int(m.group(3))
        s = int(m.group(4)) if m.group(4) else None
        ampm = (m.group(1) or m.group(5) or "").lower()
        if ampm in ("오후", "pm") and h < 12:
            h += 12
        if ampm in ("오전", "am") and h == 12:
            h = 0
        if h <= 23 and mi <= 59 and (s is None or s <= 59):
            return h, mi, s, m.start()
    return None


@dataclass
class DateHit:
    date: dt.date
    time: tuple[int, int, int | None] | None
    pos: int
    repaired: bool = False

    def iso(self) -> str:
        if not self.time:
            return self.date.isoformat()
        h, mi, s = self.time
        if s is None:
            return f"{self.date.isoformat()}T{h:02d}:{mi:02d}"
        return f"{self.date.isoformat()}T{h:02d}:{mi:02d}:{s:02d}"


def _time_after(rest: str) -> tuple[int, int, int | None] | None:
    """The time printed right after a date, also when the OCR garbled its separators."""
    # the colon read as a dash or dot: "20-14", "10-57-03", "13-08:25"
    md = re.match(r"\s{0,2}(\d{2})[-.:](\d{2})(?:[-.:](\d{2}))?(?![\d,])", rest)
    if md and int(md.group(1)) <= 23 and int(md.group(2)) <= 59 and int(md.group(3) or 0) <= 59:
        return int(md.group(1)), int(md.group(2)), int(md.group(3)) if md.group(3) else None
    t = parse_time(rest[:24])
    if t and t[3] <= 4:
        return t[0], t[1], t[2]
    for rx in (
        # the colon lost: "2026-06-15 1041"
        r"\s{0,2}(\d{2})(\d{2})()(?![\d,.:])",
        # seconds garbled into digits: "14:45105:05"
        r"\s{0,2}(\d{2}):(\d{2})()(?=\d)",
    ):
        md = re.match(rx, rest)
        if md and int(md.group(1)) <= 23 and int(md.group(2)) <= 59 and int(md.group(3) or 0) <= 59:
            return int(md.group(1)), int(md.group(2)), int(md.group(3)) if md.group(3) else None
    return None


def parse_dates(text: str, allow_compact: bool = False) -> list[DateHit]:
    hits = []
    for m in DATE_RE.finditer(text):
        y = int(m.group(1))
        fixed = False
        if len(m.group(1)) == 4 and not 2000 <= y <= 2099:
            y, fixed = 2000 + y % 100, True  # "9026-11-20": a swapped digit in the century
        if len(m.group(1)) == 1:
            # "6 년 9 월 5 일": a handwritten year whose first digits were lost; this decade's
            y, fixed = dt.date.today().year // 10 * 10 + y, True
        d = _valid_date(y, int(m.group(2)), int(m.group(3)))
        if d is None:
            continue
        if len(m.group(1)) == 2 and not re.search(r"[./년-]", m.group(0)):
            continue
        tm = _time_after(text[m.end() :])
        if tm is None and ":" in m.group(0)[: len(m.group(1)) + 2]:
            continue  # "26:02.20" is a date only when a time follows ("26:02.20 13:50")
        hits.append(DateHit(d, tm, m.start(), fixed))
    if not hits:
        for m in DATE_GAP_RE.finditer(text):
            d = _valid_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if d is None or (m.group(4) and WEEKDAYS[d.weekday()] != m.group(4)):
                continue
            rest = text[m.end() :]
            close = re.match(r"[^)\]）]{0,3}[)\]）]", rest)  # past the weekday's closing bracket
            hits.append(DateHit(d, _time_after(rest[close.end() if close else 0 :]), m.start(), True))
    if allow_compact or not hits:
        for m in DATE_COMPACT_RE.finditer(text):
            d = _valid_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if d is None:
                continue
            t = parse_time(text[m.end() : m.end() + 24])
            tm = (t[0], t[1], t[2]) if t and t[3] <= 4 else None
            if allow_compact or tm:
                hits.append(DateHit(d, tm, m.start()))
    return hits


PHONE_RE = re.compile(
    r"(?<![\d-])(0\d{1,2})\s?[-).\s]\s?(\d{3,4})\s?[-.\s]\s?(\d{4})(?![\d-])"
    r"|(?<![\d-])(01\d|02|0[3-6]\d|070|050\d?)(\d{3,4})(\d{4})(?![\d-])"
    r"|(?<![\d-])(1[5-9]\d{2})\s?-\s?(\d{4})(?![\d-])"
    # the second dash lost: "TeL062-7180737"
    r"|(?<![\d-])(0\d{1,2})\s?[-)]\s?(\d{3,4})(\d{4})(?![\d-])"
)


def parse_phone(text: str) -> tuple[str, int] | None:
    for m in PHONE_RE.finditer(text):
        g = [x for x in m.groups() if x]
        if len(g) == 3 and BIZ_RE.fullmatch(m.group(0).strip()) and biz_no_valid(m.group(0)):
            continue
        return "-".join(g), m.start()
    return None


CARD_RE = re.compile(
    # never inside a longer dashed number (a 세금계산서's 승인번호 "20260505-70232106-28529908")
    r"(?<![\d*#%])(?<!\d[\-.])(?<!\d-\.)([\d*#%xX]{4})([\s\-._]?)([\d*#%xX]{1,6})[\s\-._]?([\d*#%xX]{1,6})[\s\-._]?"
    r"(\d{4}|\d{3}[*#%xX]|\d{2}[*#%xX]{2})"
    r"(?![\d*#%]|-\d)"
)


def parse_card(text: str) -> tuple[str, int] | None:
    """A card number, always masked: as printed ("4518-42**-****-1234", "451842******1234",
    "4518 42** **** 1234"), with blurred mask characters (#, %, x) read as '*' and a blurred dash read
    as '.' or '_' ("4906-****.****-3718")."""
    for m in CARD_RE.finditer(text):
        g1, sep, g2, g3, g4 = m.groups()
        raw = [re.sub(r"[#%xX]", "*", g) for g in (g1, g2, g3, g4)]
        n = sum(len(g) for g in raw)
        digits = sum(c.isdigit() for c in "".join(raw))
        if digits < 4 or (not raw[0][:1].isdigit() and raw[0] != "****"):
            continue
        if not (14 <= n <= 20 or (sep and n >= 10 and "*" in raw[1] + raw[2])):
            continue
        if re.search(r"[._]", m.group(0)) and "*" not in "".join(raw):
            continue  # a dash read as '.' or '_' only inside a masked number, never in plain figures
        if sep in (".", "_"):
            sep = "-"
        if "*" not in "".join(raw):
            # never keep a full card number: mask the middle digits
            full = "".join(raw)
            if len(full) < 14:
                continue
            raw = [full[:4], full[4:6] + "**", "****", full[-4:]]
        if sep:
            # printed in groups: the standard 4-4-4-4 (the blur merges or splits mask characters)
            fixed = []
            for g in raw[1:3]:
                head = re.sub(r"\D.*$", "", g)[:4]
                fixed.append((head + "****")[:4])
            out = sep.join([raw[0], *fixed, raw[3]])
        else:
            out = "".join(raw)
            if n != 16:
                continue
        return out, m.start()
    return None


APPROVAL_RE = re.compile(r"(?<![\d\-*])(\d{6,12})(?![\d\-*])")


def parse_approval(text: str) -> tuple[str, int] | None:
    # an approval number split by a space is joined, but not with an amount read into its row ("… 77,000 원")
    t = re.sub(r"(?<=\d) (?=\d)(?!\d{1,3},\d{3})", "", text[:30])
    m = APPROVAL_RE.search(t)
    if m:
        return m.group(1), m.start()
    return None


def parse_installment(text: str) -> tuple[str, int] | None:
    m = re.search(r"일\s*시\s*불|일시|(?<!\d)0{1,2}(?!\d)\s*(?:개월)?", text)
    n = re.search(r"(?<!\d)(\d{1,2})\s*(?:개월|개)?(?!\d)", text)
    if m and (not n or m.start() <= n.start() or int(n.group(1)) == 0):
        return "일시불", m.start()
    if n:
        k = int(n.group(1))
        if k == 0:
            return "일시불", n.start()
        if 2 <= k <= 36:
            return f"{k}개월", n.start()
    return None


_LATIN_LOOKALIKES = {"I": "[IL1|!]", "O": "[O0]"}  # after upper(): "SHlNHAN" is SHLNHAN


_REGION_CARDS = {"광주", "전북", "제주"}


def _card_company_pattern(name: str) -> str:
    letters = name.replace(" ", "")
    if not name.isascii():
        # the name, not a word that starts with it (하나로마트, 롯데마트, 광주광역시, 삼성동, 우리PC방)
        pattern = r"\s*".join(map(re.escape, letters)) + r"(?![가-힣A-Za-z](?<![카은뱅체신]))"
        if name in _REGION_CARDS:  # nor the city of an address ("광주 광역사 북구", "제주 제주시")
            pattern += r"(?!\s*(?:광역|특별|[가-힣]{0,3}(?:시|도|구|군)(?:\s|$)))"
        return pattern
    body = r"\s?".join(_LATIN_LOOKALIKES.get(ch, re.escape(ch)) for ch in letters)
    # a short code (NH, KB, BC) only as a word of its own: never the NH inside SHINHAN
    return rf"(?<![A-Z]){body}(?=CARD|[^A-Z]|$)" if len(letters) <= 3 else body


CARD_COMPANY_RES = [
    (canon, re.compile(_card_company_pattern(name))) for canon, names in CARD_COMPANIES for name in names
]


def card_company_in(text: str) -> tuple[str, int] | None:
    """The card company named first in the text: its short name (신한, 국민, BC, NH농협 ...), position."""
    up = text.upper()
    best: tuple[str, int] | None = None
    for canon, rx in CARD_COMPANY_RES:
        m = rx.search(up)
        if m and (best is None or m.start() < best[1]):
            best = (canon, m.start())
    return best


def clean_name(text: str) -> str:
    t = re.sub(r"[(\[]\s*(주|유|사|재|합)\s*[)\]]", r"(\1)", text)  # ( 주 ) → (주): 주식회사, 유한회사 ...
    t = re.sub(r"\(\s*주\s*주\s*\)", "(주)", t)  # "(주주)": a doubled reading
    t = re.sub(r"(?<![(\w])(주|유)\s*\)", r"(\1)", t)  # "주 )" with its "(" lost
    t = join_spaced_syllables(t)
    t = re.sub(r"(\((?:주|유|사|재|합)\))\s+", r"\1", t)
    t = re.sub(r"([가-힣])\s+(광역시|특별시|특별자치시|특별자치도)", r"\1\2", t)
    t = re.sub(r"^(?!\((?:주|유|사|재|합)\))[\s:;.,\-=\]\[)(*#|'\"]+|[\s:;,\-=\[(*#|'\"]+$", "", t)
    return t.strip()


def parse_representative(text: str) -> tuple[str, int] | None:
    t = re.sub(r"^[^가-힣A-Za-z]+", "", text)
    # a name is 2-4 syllables; Tesseract spaces them apart ("손 승 우", "슨 숙우")
    toks = re.match(r"((?:[가-힣]{1,4}\s?){1,4})", t)
    if toks:
        name = ""
        for tok in toks.group(1).split():
            if len(name) + len(tok) > 4 or (tok == "인" and len(name) >= 2):
                break  # "성윤희 인": the seal printed after a 간이영수증's name, (인), is no syllable of it
            name += tok
        if 2 <= len(name) <= 4:
            return name, 0
    t2 = t
    m = re.match(r"([A-Za-z][A-Za-z .]{1,30}[A-Za-z])", t2)
    if m:
        return m.group(1).strip(), 0
    return None


# --------------------------------------------------------------------------- geometry: rows


@dataclass
class Seg:
    idx: int
    text: str
    readings: list[str]
    box: Box
    conf: float
    x0: float
    y0: float
    x1: float
    y1: float
    won: tuple[int, ...] = ()  # amounts after a won sign ("₩38,000-", "W 38 000"), one per reading

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def h(self) -> float:
        return max(1.0, self.y1 - self.y0)


@dataclass
class Row:
    segs: list[Seg]
    text: str = ""
    offsets: list[tuple[int, int, Seg]] = field(default_factory=list)

    def build(self) -> Row:
        self.segs.sort(key=lambda s: s.x0)
        parts: list[str] = []
        pos = 0
        self.offsets = []
        for s in self.segs:
            if parts:
                pos += 1
            self.offsets.append((pos, pos + len(s.text), s))
            parts.append(s.text)
            pos += len(s.text)
        self.text = " ".join(parts)
        return self

    @property
    def y0(self) -> float:
        return min(s.y0 for s in self.segs)

    @property
    def y1(self) -> float:
        return max(s.y1 for s in self.segs)

    @property
    def h(self) -> float:
        hs = sorted(s.h for s in self.segs)
        return hs[len(hs) // 2]

    def seg_at(self, pos: int) -> Seg:
        for _a, b, s in self.offsets:
            if pos <= b:
                return s
        return self.offsets[-1][2]

    def x_at(self, pos: int) -> float:
        """Estimated x of a character position (proportional inside its segment)."""
        for a, b, s in self.offsets:
            if pos <= b:
                f = (pos - a) / max(1, b - a)
                return s.x0 + f * (s.x1 - s.x0)
        return self.segs[-1].x1

    def variants(self) -> list[str]:
        """The row text with each segment's other readings swapped in, one segment at a time."""
        out = [self.text]
        for i, s in enumerate(self.segs):
            for r in s.readings[1:]:
                out.append(" ".join(r if j == i else t.text for j, t in enumerate(self.segs)))
        return out


def _rotate(pt: tuple[float, float], ang: float) -> tuple[float, float]:
    c, s = math.cos(ang), math.sin(ang)
    return pt[0] * c + pt[1] * s, -pt[0] * s + pt[1] * c


def build_rows(lines: list[OcrLine]) -> list[Row]:
    from .preprocess import skew_angle

    usable = [ln for ln in lines if ln.text and ln.text.strip()]
    if not usable:
        return []
    ang = math.radians(skew_angle([ln.box for ln in usable]))
    segs = []
    for i, ln in enumerate(usable):
        pts = [_rotate(p, ang) for p in ln.box]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        raw = [ln.text] + [a for a in ln.alts if a and a.strip()]
        readings = [normalize(r) for r in raw]
        seg = Seg(i, readings[0], readings, ln.box, float(ln.confidence), min(xs), min(ys), max(xs), max(ys))
        seg.won = tuple(v for r in raw for v in won_amounts(r))
        segs.append(seg)
    segs.sort(key=lambda s: s.cy)
    rows: list[Row] = []
    for s in segs:
        placed = False
        for row in rows[-3:][::-1]:
            rcy = (row.y0 + row.y1) / 2
            overlap = min(row.y1, s.y1) - max(row.y0, s.y0)
            if abs(s.cy - rcy) < 0.5 * max(s.h, row.h) and overlap > 0.3 * min(s.h, row.h):
                if any(not (s.x1 <= t.x0 + 2 or s.x0 >= t.x1 - 2) for t in row.segs):
                    continue  # overlaps a segment already in the row horizontally: another row
                row.segs.append(s)
                placed = True
                break
        if not placed:
            rows.append(Row([s]))
    rows = [r.build() for r in rows]
    rows.sort(key=lambda r: (r.y0 + r.y1) / 2)
    return rows


# --------------------------------------------------------------------------- candidate search


@dataclass
class Cand:
    value: Any
    conf: float
    box: Box | None
    row: int
    labelled: bool
    prio: int = 0


def _rest_after(text: str, end: int) -> str:
    """Text after a label up to the next label."""
    rest = text[end:]
    m = ANY_LABEL.search(rest)
    cut = rest[: m.start()] if m and m.start() > 0 else rest
    if m and m.start() == 0:
        return ""
    return cut


def _label_hits(rows: list[Row], key: str, variants: bool = False):
    """(row index, row text, match) for each label occurrence."""
    rx = LRE[key]
    for ri, row in enumerate(rows):
        texts = row.variants() if variants else [row.text]
        seen: set[str] = set()
        for vi, text in enumerate(texts):
            if text in seen:
                continue
            seen.add(text)
            for m in rx.finditer(text):
                yield ri, text, m, vi


def _below_text(rows: list[Row], ri: int, x0: float, x_stop: float | None) -> tuple[str, Row | None]:
    """Text of the next row(s) under a label column (from x0 to x_stop)."""
    row = rows[ri]
    for nj in (ri + 1, ri + 2):
        if nj >= len(rows):
            break
        nxt = rows[nj]
        if nxt.y0 - row.y1 > 2.5 * max(row.h, nxt.h):
            break
        toks = []
        for _a, _b, s in nxt.offsets:
            for tm in re.finditer(r"\S+", s.text):
                tx0 = s.x0 + (s.x1 - s.x0) * tm.start() / max(1, len(s.text))
                tx1 = s.x0 + (s.x1 - s.x0) * tm.end() / max(1, len(s.text))
                if (tx0 + tx1) / 2 < x0 - 0.5 * row.h:
                    continue
                if x_stop is not None and tx0 >= x_stop - 0.3 * row.h:
                    continue
                toks.append(tm.group(0))
        if toks:
            return " ".join(toks), nxt
        if nj == ri + 1 and len(nxt.text) > 0:
            break
    return "", None


EXACT_LABELS: dict[str, set[str]] = {}
for _key, _words in LABELS.items():
    for _w in _words:
        EXACT_LABELS.setdefault(compact(_w).upper(), set()).add(_key)

# amounts that are not the receipt's total although their labels look like one (cash given, change, points)
NOT_LABEL = re.compile(r"받\s*은\s*(금\s*액|돈)|거\s*스\s*름|잔\s*(액|돈|여)|포\s*인\s*트|적\s*립")


def find_labelled(
    rows: list[Row],
    key: str,
    parse,
    *,
    variants: bool = True,
    below: bool = True,
    exclude_after: str | None = None,
    exclude_before: str | None = None,
) -> list[Cand]:
    cands: list[Cand] = []
    for ri, text, m, vi in _label_hits(rows, key, variants):
        after = text[m.end() :]
        if NOT_LABEL.match(text, m.start()):
            continue
        owners = EXACT_LABELS.get(compact(m.group(0)).upper())
        if owners and key not in owners:
            continue  # a fuzzy match that is exactly another field's label ("할인금액" is not "승인금액")
        if exclude_after and (
            re.match(exclude_after, after.lstrip()) or re.match(exclude_after, compact(after))
        ):
            continue
        if exclude_before and re.search(exclude_before, text[: m.start()].rstrip()[-6:]):
            continue
        row = rows[ri]
        rest = _rest_after(text, m.end())
        pen = 0.9 if vi else 1.0
        got = parse(rest) if rest.strip() else None
        if got is not None:
            val, pos = got
            seg = (
                row.seg_at(m.end() + pos + 1)
                if vi == 0
                else row.seg_at(min(len(row.text), m.end() + pos + 1))
            )
            cands.append(Cand(val, seg.conf * pen, seg.box, ri, True))
            continue
        if not below:
            continue
        # the value under the label (column layouts, or a label alone on its line)
        lx0 = row.x_at(m.start()) if vi == 0 else row.segs[0].x0
        nxt_label = ANY_LABEL.search(text, m.end())
        x_stop = (
            row.x_at(nxt_label.start()) if (nxt_label and vi == 0 and nxt_label.start() > m.end()) else None
        )
        btext, brow = _below_text(rows, ri, lx0, x_stop)
        if btext and brow is not None and not ANY_LABEL.match(btext):
            got = parse(btext)
            if got is not None:
                val, pos = got
                # a value under a label must not itself be labelled with something else first
                lead = btext[:pos]
                if ANY_LABEL.search(lead) or len(HANGUL.findall(lead)) >= 2:
                    continue
                cands.append(
                    Cand(val, brow.segs[0].conf * 0.85 * pen, brow.segs[0].box, rows.index(brow), True)
                )
    return cands


# parse adapters: text → (value, position) | None


def _p_amount(text: str):
    t = re.sub(r"^[\s:;.)\]=\-]*(?:[W₩\\￦]\s?)?", "", text)
    lead = len(text) - len(t)
    # "38 000" (a thousands separator lost) → 38,000
    m = re.match(r"(\d{1,3}) (\d{3})(?![\d,.])", t)
    if m:
        return int(m.group(1) + m.group(2)), lead
    # "4 3,500" (a space inside the number) → 43,500 when that makes one well-formed amount
    m = re.match(r"(\d{1,2}) (\d{1,3}[,.]\d{3})(?!\d)", t)
    if m:
        v = int(re.sub(r"\D", "", m.group(1) + m.group(2)))
        return v, lead
    # a date or a year is not an amount ("2026년", "20260108", "2026.01.08")
    t = re.sub(
        r"(?<!\d)(\d{4}\s*년|20\d{2}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2}|20\d{6}(?!\d))",
        lambda x: " " * len(x.group(0)),
        t,
    )
    a = parse_amount(t)
    if a is None:
        return None
    # a small plain number before a well-formed amount is a count or a code: "2 43,500", "54 26,600원"
    if a[0] < 1000 and "," not in t[a[1] : a[2]] and "." not in t[a[1] : a[2]]:
        later = amounts_in(t[a[2] :])
        if later and later[0][0] >= 1000:
            return later[0][0], lead + a[2] + later[0][1]
    # skip what is plainly not an amount: a percentage, a count in front of a bigger amount
    if t[a[2] : a[2] + 1] == "%":
        rest = t[a[2] + 1 :]
        b = parse_amount(rest)
        return (b[0], lead + a[2] + 1 + b[1]) if b else None
    if a[0] < 10:
        b = parse_amount(t[a[2] :])
        if b and b[0] >= 10:
            return b[0], lead + a[2] + b[1]
    return a[0], lead + a[1]


def _p_biz(text: str):
    hits = parse_biz_all(text)
    if not hits:
        return None
    valid = [h for h in hits if h[1]]
    h = valid[0] if valid else hits[0]
    return (h[0], h[1]), h[2]


def _p_date(text: str):
    hits = parse_dates(text, allow_compact=True)
    if not hits:
        return None
    return hits[0], hits[0].pos


def _p_phone(text: str):
    return parse_phone(text)


def _p_card(text: str):
    return parse_card(text)


def _p_approval(text: str):
    return parse_approval(text)


def _p_install(text: str):
    return parse_installment(text[:20])


def _p_cardco(text: str):
    return card_company_in(text[:20])


def _p_rep(text: str):
    return parse_representative(text)


def _p_text(text: str):
    t = clean_name(text)
    if len(compact(t)) < 2 or hangul_ratio(t) + sum(c.isalpha() for c in t) / max(1, len(t)) < 0.3:
        return None
    if HAN.search(t) and not HANGUL.search(t):
        return None
    return t, 0


def _p_address(text: str):
    t = clean_name(text)
    if len(compact(t)) < 5 or not HANGUL.search(t):
        return None
    return _tidy_address(t), 0


def _tidy_address(t: str) -> str:
    """An address as printed: a 세금계산서's vertical "공급받는자" letter read into its row ("… 89 받") is
    dropped, and the 동 in brackets gets its brackets back ("<정자동)", "(삼성동")."""
    t = re.sub(r"\s+[공급받는자]$", "", t)
    t = re.sub(r"[<〈]\s*([가-힣0-9]{1,8}동)\s*[)>〉]$", r"(\1)", t)
    return re.sub(r"\(\s*([가-힣0-9]{1,8}동)$", r"(\1)", t)


# --------------------------------------------------------------------------- the extractor


def _best(cands: list[Cand]) -> Cand | None:
    if not cands:
        return None
    return max(cands, key=lambda c: (c.prio, c.labelled, c.conf))


def _set(f: Field, c: Cand | None, factor: float = 1.0) -> None:
    if c is not None and c.value is not None:
        f.value = c.value
        f.confidence = max(0.0, min(1.0, c.conf * factor))
        f.box = c.box


def _all_readings(rows: list[Row]):
    for ri, row in enumerate(rows):
        for text in row.variants():
            yield ri, row, text


def extract_fields(lines: list[OcrLine]) -> ReceiptFields:
    rf = ReceiptFields()
    m: re.Match[str] | None
    rows = build_rows(lines)
    if not rows:
        rf.warnings.append("글자를 찾지 못했습니다 (영수증 사진인지 확인해 주세요)")
        return rf
    n = len(rows)
    all_compact = compact("\n".join(t for _, _, t in _all_readings(rows)))

    used_numbers: set[str] = set()

    # ---- 사업자등록번호: labelled, then any checksum-valid number on the receipt
    biz_cands = []
    for c in find_labelled(rows, "biz_no", _p_biz):
        num, ok = c.value
        c.value = num
        c.prio = 2 if ok else 0
        if ok:
            c.conf = min(1.0, c.conf + 0.1)
        biz_cands.append((c, ok))
    for ri, row, text in _all_readings(rows):
        for num, ok, pos in parse_biz_all(text):
            seg = row.seg_at(pos) if text == row.text else row.segs[0]
            if not re.match(r"\d{3}\s?[-.\s]\s?\d{2}\s?[-.\s]", text[pos:]):
                # ten digits in a row (an approval or card number) pass the checksum 1 time in 10: only a
                # valid one in the merchant block at the top, on a row without another number's label
                # ("897-3801949 손태호", "5310310487")
                if (
                    ok
                    and ri < max(3, n * 0.4)
                    and not re.search(r"(승인|카드|No|NO|번호|전화|TEL|Tel)", text)
                ):
                    biz_cands.append((Cand(num, seg.conf * 0.5, seg.box, ri, False, 0), ok))
                continue
            biz_cands.append(
                (Cand(num, seg.conf * (0.9 if ok else 0.4), seg.box, ri, False, 1 if ok else -1), ok)
            )
    if not any(ok for _c, ok in biz_cands):
        for c in _biz_by_vote(rows):
            biz_cands.append((c, True))
    biz_valid = [c for c, ok in biz_cands if ok]
    if biz_valid:
        # the merchant's number comes first on a receipt; a card company's (on some slips) later
        lab = [c for c in biz_valid if c.labelled]
        pick = min(lab or biz_valid, key=lambda c: (-c.prio, c.row, -c.conf))
        _set(rf.biz_no, pick)
    elif biz_cands:
        c = max((c for c, _ in biz_cands), key=lambda c: (c.labelled, c.conf))
        _set(rf.biz_no, c, 0.5)
        rf.warnings.append(f"사업자등록번호 {c.value}의 검증번호가 맞지 않습니다 (잘못 읽었거나 잘못된 번호)")
    if rf.biz_no.value:
        used_numbers.add(re.sub(r"\D", "", rf.biz_no.value))

    # ---- 거래일시
    date_cands: list[Cand] = []
    for c in find_labelled(rows, "datetime", _p_date):
        c.prio = 2
        date_cands.append(c)
    for ri, row, text in _all_readings(rows):
        for hit in parse_dates(text):
            seg = row.seg_at(hit.pos) if text == row.text else row.segs[0]
            date_cands.append(Cand(hit, seg.conf * 0.85, seg.box, ri, False, 1))
    today = dt.date.today()
    for c in date_cands:
        h: DateHit = c.value
        if h.time is None:
            # the time may sit right after, or on the next row
            row = rows[c.row]
            t = parse_time(row.text[h.pos :]) or (
                parse_time(rows[c.row + 1].text[:12]) if c.row + 1 < n else None
            )
            if t:
                h.time = (t[0], t[1], t[2])
        if h.time:
            c.prio += 1
        if h.repaired:
            c.prio -= 1
            c.conf *= 0.6
        if not (today.replace(year=max(2000, today.year - 10)) <= h.date <= today + dt.timedelta(days=400)):
            c.conf *= 0.5
            c.prio -= 2
    # readings that agree on month, day and time but not on the year: the year nearer today ("2020"
    # for a freshly printed "2026" is a misread digit)
    for c in date_cands:
        h1: DateHit = c.value
        if any(
            (o.value.date.month, o.value.date.day, o.value.time) == (h1.date.month, h1.date.day, h1.time)
            and abs(o.value.date.year - today.year) < abs(h1.date.year - today.year)
            for o in date_cands
        ):
            c.prio -= 1
    if not date_cands:
        guessed = _date_from_item_column(rows)
        if guessed:
            date_cands.append(guessed)
    if date_cands:
        # prefer labelled dates with a time (with seconds over without); among equals, the earliest
        best = max(
            date_cands,
            key=lambda c: (
                c.prio + (0.5 if c.value.time and c.value.time[2] is not None else 0),
                -c.row,
                c.conf,
            ),
        )
        rf.datetime.value = best.value.iso()
        rf.datetime.confidence = best.conf
        rf.datetime.box = best.box

    # ---- 승인번호
    appr = find_labelled(rows, "approval_no", _p_approval, exclude_after=r"(일시|일자|금액|시간)")
    appr = [c for c in appr if 6 <= len(c.value) <= 12]
    if not appr:
        for ri, row, text in _all_readings(rows):
            for m in re.finditer(r"[\[(]\s*(\d{8,9})\s*[\])]|(?<![\d\-*/.,])(\d{8,9})(?![\d\-*/.:,])", text):
                num = m.group(1) or m.group(2)
                if num in used_numbers or (parse_dates(num, allow_compact=True) and not m.group(1)):
                    continue
                if (
                    re.match(r"0\d{1,2}\d{7,8}$", num)
                    and not m.group(1)
                    and num.startswith(("01", "02", "03", "05", "06"))
                ):
                    # looks like a phone number without dashes; accept only when bracketed
                    continue
                if _in_barcode(text, m.start(), m.end()):
                    continue  # the digits under an item's barcode ("8808 193416221")
                if (
                    text != row.text
                    and num not in compact(row.text)
                    and (parse_dates(row.text) or ADDRESS_RE.search(row.text))
                ):
                    continue  # a date or an address with its letters lost ("2026년 8월 28일" → "20268282")
                seg = row.seg_at(m.start()) if text == row.text else row.segs[0]
                # right after a label we could not read ("电克：62824890": 승인번호 read as Chinese)
                after_label = bool(re.search(r"[^\W\d_]\s*[:：]\s*$", text[: m.start()])) and len(num) == 8
                # alone in its box, and every engine read the same number there
                alone = any(
                    any(re.fullmatch(r"\W*" + num + r"\W*", r_) for r_ in s_.readings)
                    and all(num in compact(r_) for r_ in s_.readings)
                    for s_ in row.segs
                )
                appr.append(
                    Cand(
                        num,
                        seg.conf * (0.8 if m.group(1) else 0.5),
                        seg.box,
                        ri,
                        False,
                        2 if (m.group(1) or after_label) else (1 if alone else 0),
                    )
                )
    _set(rf.approval_no, _best(appr))

    # ---- card number, company, installment
    _set(rf.card_number, _best(find_labelled(rows, "card_number", _p_card)))
    if rf.card_number.value is None:
        for ri, row, text in _all_readings(rows):
            got = parse_card(text)
            # a 현금영수증's 식별번호 (the card shown as ID for a cash payment) is no payment card
            id_label = any(
                re.search(r"식\s*별|식\s*[가-힣]\s*번\s*호|신\s*분\s*확\s*인", rows[r].text)
                for r in (ri - 1, ri)
                if r >= 0
            )
            if got and "*" in got[0] and not id_label:
                seg = row.seg_at(got[1]) if text == row.text else row.segs[0]
                _set(rf.card_number, Cand(got[0], seg.conf * 0.8, seg.box, ri, False))
                break
    cc = _best(find_labelled(rows, "card_company", _p_cardco, variants=False))
    if cc is None:
        for ri, row in enumerate(rows):
            if re.search(r"카\s*드", row.text) and not re.search(r"카\s*드\s*번\s*호", row.text):
                got = card_company_in(row.text)
                if got:
                    cc = Cand(got[0], row.segs[0].conf * 0.7, row.segs[0].box, ri, False)
                    break
    if cc is None and (rf.card_number.value or rf.approval_no.value):
        # compact slips print the company without a label, near the card number ("현대  일시불")
        near = [
            r
            for r in range(n)
            if rf.card_number.value and rf.card_number.box in [s.box for s in rows[r].segs]
        ]
        span = range(max(0, near[0] - 3), min(n, near[0] + 3)) if near else range(n)
        for ri in span:
            got = card_company_in(rows[ri].text)
            if got and not parse_biz_all(rows[ri].text):
                cc = Cand(got[0], rows[ri].segs[0].conf * 0.6, rows[ri].segs[0].box, ri, False)
                break
    _set(rf.card_company, cc)
    inst = _best(find_labelled(rows, "installment", _p_install, variants=False))
    if inst is None and (rf.card_number.value or rf.card_company.value):
        for ri, row in enumerate(rows):
            mi = re.search(r"일\s*시\s*불|(?<!\d)(\d{1,2})\s*개\s*월", row.text)
            if mi:
                v = "일시불" if not mi.group(1) or int(mi.group(1)) == 0 else f"{int(mi.group(1))}개월"
                inst = Cand(v, row.segs[0].conf * 0.7, row.segs[0].box, ri, False)
                break
    if inst is None and rf.card_company.value:
        # compact slips print the months right of the company's name: "삼성    00" (00 = 일시불)
        for ri, row in enumerate(rows):
            mm = re.fullmatch(r"(\D{1,12}?)\s+(\d{2})", row.text.strip())
            months = int(mm.group(2)) if mm and card_company_in(mm.group(1)) else -1
            if months == 0 or 2 <= months <= 36:
                seg = row.segs[-1]
                inst = Cand("일시불" if months == 0 else f"{months}개월", seg.conf * 0.6, seg.box, ri, False)
                break
    _set(rf.installment, inst)

    # ---- phone, representative, address
    ph = find_labelled(rows, "phone", _p_phone)
    if not ph:
        for ri, row, text in _all_readings(rows):
            got = parse_phone(text)
            if got and re.sub(r"\D", "", got[0]) not in used_numbers:
                ph.append(Cand(got[0], row.segs[0].conf * 0.7, row.segs[0].box, ri, False))
                break
    _set(rf.phone, min(ph, key=lambda c: (not c.labelled, c.row)) if ph else None)
    rep = find_labelled(rows, "representative", _p_rep, variants=True, exclude_after=r"(전화|번호)")
    if rep and "세금계산서" in all_compact:
        # a 세금계산서 prints the supplier (left) and the buyer (right): the buyer's 성명 is not ours
        rep = [c for c in rep if _x0(c) < _page_mid(rows)]
    if rep:
        # of the first labelled row's readings the most name-like ("이수빈" over "이수반")
        first_rep = min(c.row for c in rep)
        rep = [max((c for c in rep if c.row == first_rep), key=lambda c: person_name_score(c.value))]
    if not rep and rf.biz_no.value:
        # "212-81-25544 홍길동": a name right after the merchant's number
        for ri, row in enumerate(rows):
            m = BIZ_RE.search(row.text)
            if m and format_biz_no("".join(m.groups())) == rf.biz_no.value:
                after = row.text[m.end() :]
                got = parse_representative(after) if re.match(r"\s*[가-힣]", after) else None
                if got and not ANY_LABEL.match(after.strip()):
                    rep.append(Cand(got[0], row.segs[-1].conf * 0.6, row.segs[-1].box, ri, False))
                break
    _set(rf.representative, min(rep, key=lambda c: c.row) if rep else None)
    addr = find_labelled(rows, "address", _p_address, variants=False, below=False)
    if not addr:
        for ri, row in enumerate(rows):
            joined = clean_name(row.text)
            m = ADDRESS_RE.search(joined)
            if m:
                got = _p_address(_rest_after(joined, m.start()) if m.start() else joined[m.start() :])
                if got:
                    addr.append(Cand(got[0], row.segs[0].conf * 0.7, row.segs[0].box, ri, False))
                    break
    if addr:
        a = min(addr, key=lambda c: c.row)
        # the address often runs on to a second line ("... 3층", "(역삼동)")
        if a.row + 1 < n:
            nxt = rows[a.row + 1].segs[0].text
            nxt = re.sub(r"\s+\d{6,}.*$", "", nxt)
            if (
                not ANY_LABEL.search(nxt)
                and HANGUL.search(nxt)
                and len(nxt) < 30
                and re.search(r"\d+\s*층|\d+\s*호|번지|\(.{1,8}동\)|^\S+동\b|빌딩|타워|상가", nxt)
                and not parse_phone(nxt)
            ):
                a.value = f"{a.value} {join_spaced_syllables(nxt).strip()}"
        _set(rf.address, a)

    # ---- store name and branch
    st = find_labelled(rows, "store_name", _p_text, variants=True, exclude_after=r"(번호|No|NO|주소|전화)")
    st = [
        c
        for c in st
        if not parse_biz_all(c.value) and not parse_phone(c.value) and name_score(c.value) >= 1.5
    ]
    # the first labelled row (the supplier's block comes first); of its readings the most name-like
    st = [c for c in st if not re.search(r"귀\s*하", c.value)]  # the customer's name
    if st and "세금계산서" in all_compact:
        # a 세금계산서 prints 공급자 (left) and 공급받는자 (right) on the same rows: the supplier is ours
        first = min(c.row for c in st)
        st = [c for c in st if c.row <= first + 1]
        left = min(_x0(c) for c in st)
        st = [c for c in st if _x0(c) <= left + 80]
        if left > _page_mid(rows):
            # only the buyer's 상호 label was read: the supplier's name is left of it on that row
            row = rows[st[0].row]
            names = [
                (name_score(sg.text), sg)
                for sg in row.segs
                if sg.x1 <= left and not ANY_LABEL.match(sg.text) and not is_title(sg.text)
            ]
            best_score, sg = max(names, key=lambda x: x[0]) if names else (0.0, None)
            if sg is not None and best_score >= 4:
                st = [Cand(sg.text, sg.conf * 0.6, sg.box, st[0].row, False)]
    if not st:
        st = _half_label_store(rows)
    store = min(st, key=lambda c: (c.row, -name_score(c.value))) if st else None
    if store is None and re.search(r"세금계산서|거래명세서", all_compact):
        store = _form_supplier_name(rows, rf)
    if store is None:
        store = _guess_store(rows, rf)
    if store is not None:
        name = _cut_at_fields(store.value)
        br = _best(find_labelled(rows, "branch", _p_text, variants=False))
        m = re.match(BRANCH_TAIL, name)
        if m and " " not in name:
            # "빼나방광화문점": no space between brand and branch; split after a known brand
            k = brand_prefix(name)
            if k:
                m = re.match(rf"^({re.escape(name[:k])})\s*({re.escape(name[k:])})$", name)
        if m and m.group(1) and len(compact(m.group(1))) >= 2:
            name = m.group(1).strip(" (")
            rf.branch.value = m.group(2)
            rf.branch.confidence = store.conf
            rf.branch.box = store.box
        if br is not None and rf.branch.value is None:
            _set(rf.branch, br)
        # a franchise read slightly wrong or printed as a Latin logo, a trade word misread at the end
        store.value = known_brand(name) or snap_suffix(name)
        _set(rf.store_name, store)
        if rf.branch.value is None:
            # the logo in Latin letters first ("Homeplus Express"), then the name with its branch
            for ri in range(store.row + 1, min(n, store.row + 3)):
                mb = re.match(BRANCH_TAIL, _cut_at_fields(rows[ri].text))
                if mb and compact(known_brand(mb.group(1)) or mb.group(1)) == compact(store.value):
                    seg = rows[ri].segs[-1]
                    _set(rf.branch, Cand(mb.group(2), seg.conf, seg.box, ri, False))
                    break

    # ---- amounts
    _amounts(rows, rf)

    # ---- items
    rf.items = _items(rows, rf)

    # ---- evidence type
    rf.evidence_type = _evidence_type(rows, all_compact, rf)

    _checks(rf)
    if _poor_photo(lines):
        rf.warnings.insert(0, POOR_PHOTO_WARNING)
    return rf


# Shown first on the review screen: the reviewer checks every value, the member can take the photo again.
POOR_PHOTO_WARNING = (
    "사진이 흐리거나 글자가 작아 제대로 읽지 못했을 수 있습니다. 값을 모두 확인하거나, "
    "영수증이 화면을 채우도록 밝은 곳에서 다시 찍어 올려 주세요"
)


POOR_PHOTO_CONFIDENCE = 0.665


def _poor_photo(lines: list[OcrLine]) -> bool:
    """The OCR was unsure of most lines. On the 108 samples the 8 blurred, small-print photos (001, 002,
    027, 074, 102, 104, 106, 107; at most 3 of 합계, 거래일시, 사업자등록번호, 승인번호, 상호 right) have a
    mean line confidence of at most 0.572 with `korean` and 0.651 with `ensemble`; every other photo has
    0.678 and 0.720 or more (047, 2 of 5 right, is the one unsure photo above). Measured 2026-11-27, after
    line boxes took cut glyphs whole (104 had been 0.647); 0.665 lies in both gaps."""
    confs = [ln.confidence for ln in lines if ln.text.strip()]
    return len(confs) >= 3 and sum(confs) / len(confs) < POOR_PHOTO_CONFIDENCE


def _in_barcode(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is part of an EAN-13 item barcode (Korean ones start 880), its digits
    maybe split by one space ("8806 195203959")."""
    left = re.search(r"(\d+) ?$", text[:start])
    right = re.match(r"\d*", text[end:])
    run = (left.group(1) if left else "") + text[start:end] + (right.group(0) if right else "")
    if len(run) != 13 or not run.isdigit():
        return False
    d = [int(c) for c in run]
    check = (10 - sum(d[i] * (3 if i % 2 else 1) for i in range(12)) % 10) % 10
    return run.startswith("880") or check == d[12]


# a name and its branch at the end: "홈플러스 익스프레스 신촌점", "GS25 (안암점)"
BRANCH_TAIL = r"^(.*?\S)\s*[(\[]?\s*([가-힣A-Za-z0-9]{1,12}점)\s*[)\]]?$"


def _x0(c: Cand) -> float:
    return min(p[0] for p in c.box) if c.box else 0.0


def _page_mid(rows: list[Row]) -> float:
    """The x halfway across the text (a 세금계산서's supplier half lies left of it)."""
    return (min(sg.x0 for r in rows for sg in r.segs) + max(sg.x1 for r in rows for sg in r.segs)) / 2


def _biz_by_vote(rows: list[Row]) -> list[Cand]:
    """Business numbers that no single reading got right: where the readings of one box disagree on some
    digits ("456-39-54444", "450-59-54444", "456-50-54444"), the one combination of their digits that
    passes the checksum."""
    out = []
    for ri, row in enumerate(rows):
        for seg in row.segs:
            nums = {
                re.sub(r"\D", "", m.group(0))
                for r in seg.readings
                for m in re.finditer(r"(?<!\d)\d{3}\s?[-.]\s?\d{2}\s?[-.]\s?\d{5}(?!\d)", r)
            }
            if len(nums) < 2:
                continue
            options = [sorted({d[i] for d in nums}) for i in range(10)]
            if math.prod(len(o) for o in options) > 256:
                continue
            valid = [c for c in itertools.product(*options) if biz_no_valid("".join(c))]
            if len(valid) == 1:
                out.append(Cand(format_biz_no("".join(valid[0])), seg.conf * 0.5, seg.box, ri, False, 0))
    return out


def _date_from_item_column(rows: list[Row]) -> Cand | None:
    """A handwritten 간이영수증 whose 작성년월일 cell is unreadable: its items' 월일 column ("6/27") gives
    month and day, the cell's "2026 년" (or else the latest year that is not in the future) the year."""
    md: Counter[tuple[int, int]] = Counter()
    first: dict[tuple[int, int], tuple[int, Seg]] = {}
    year = None
    for ri, row in enumerate(rows):
        found: set[tuple[int, int]] = set()
        for s in row.segs:
            for text in s.readings:
                if year is None and (my := re.search(r"(?<!\d)(20\d{2}|\d{2})\s*년", text)):
                    y = int(my.group(1))
                    year = y if y > 2000 else 2000 + y
                for m in re.finditer(r"(?<![\d/.])(\d{1,2})\s?/\s?(\d{1,2})(?![\d/.,])", text):
                    key = (int(m.group(1)), int(m.group(2)))
                    if 1 <= key[0] <= 12 and 1 <= key[1] <= 31 and key not in found:
                        found.add(key)
                        first.setdefault(key, (ri, s))
        md.update(found)
    if not md or not any(_label_hits(rows, "datetime")):
        return None
    (mo, day), _k = md.most_common(1)[0]
    today = dt.date.today()
    d = _valid_date(year, mo, day) if year else None
    if d is None or d > today + dt.timedelta(days=400):
        d = _valid_date(today.year, mo, day)
        if d is not None and d > today:
            d = _valid_date(today.year - 1, mo, day)
    if d is None:
        return None
    ri, seg = first[(mo, day)]
    return Cand(DateHit(d, None, 0, True), seg.conf * 0.4, seg.box, ri, False, 0)


def _cut_at_fields(name: str) -> str:
    for rx in (BIZ_RE, PHONE_RE):
        m = rx.search(name)
        if m:
            name = name[: m.start()]
    # a label read on after the name starts a new word ("명동할인마트" holds the label 할인 but is a name);
    # 성명 (the owner's name cell of a 간이영수증) is often misread: "성맹", "생명", "성멜"
    for m in ANY_LABEL.finditer(name):
        if m.start() > 0 and name[m.start() - 1].isspace():
            name = name[: m.start()]
            break
    name = re.sub(r"(?:\s|(?<=[가-힣]{2}))[성생정]\s?[명맹멜몀멍](?=\s|$|[가-힣]{2,4}$).*$", "", name)
    return clean_name(name)


def _form_supplier_name(rows: list[Row], rf: ReceiptFields) -> Cand | None:
    """A 세금계산서 or 거래명세서 prints the supplier's 상호 in the cell right under its 등록번호: where the
    상호 label itself was not read (small print on an A4 photo), the name-like text in that column."""
    digits = re.sub(r"\D", "", rf.biz_no.value or "")
    if not digits:
        return None
    for ri, row in enumerate(rows):
        biz = next((sg for sg in row.segs if any(digits in re.sub(r"\D", "", r) for r in sg.readings)), None)
        if biz is None:
            continue
        below = [
            (rj, sg)
            for rj in range(ri + 1, min(ri + 3, len(rows)))
            for sg in rows[rj].segs
            if abs(sg.x0 - biz.x0) <= 1.5 * biz.h and sg.y0 - biz.y1 <= 2.5 * biz.h
        ]
        for rj, sg in below:
            names = [
                c[0]
                for r in sg.readings
                if not ANY_LABEL.match(r) and not parse_biz_all(r) and not parse_phone(r)
                for c in [_p_text(r)]
                if c and name_score(c[0]) >= 1.5
            ]
            if names:
                return Cand(max(names, key=name_score), sg.conf * 0.7, sg.box, rj, False)
        return None
    return None


def _half_label_store(rows: list[Row]) -> list[Cand]:
    """A form prints its 상호 label letter-spaced ("상　　호"): the detector may keep one half of it ("호")
    and lose the other. In the supplier's block (a 사업자등록번호 label just above), a row that starts with
    that half alone has the name after it (a 간이영수증: "호 ‖ 한손수산 ‖ 성명 ‖ 배계")."""
    out = []
    for ri, row in enumerate(rows):
        if len(row.segs) < 2 or compact(row.segs[0].text) not in ("상", "호"):
            continue
        if not any("등록번호" in compact(rows[r].text) for r in range(max(0, ri - 2), ri)):
            continue
        value = _cut_at_fields(row.segs[1].text)
        if not ANY_LABEL.match(value) and name_score(value) >= 1.5 and not parse_biz_all(value):
            out.append(Cand(value, row.segs[1].conf * 0.8, row.segs[1].box, ri, True))
    return out


def _guess_store(rows: list[Row], rf: ReceiptFields) -> Cand | None:
    """No 상호 label: the first name-like row at the top, before the merchant's details; of its readings
    the one that looks most like a shop's name (a Latin misreading of a Hangul logo is no name)."""
    limit = max(4, len(rows) // 3)
    seen_text = False

    def detail(t: str) -> bool:
        return bool(parse_biz_all(t) or parse_phone(t) or parse_dates(t) or ADDRESS_RE.search(t))

    for ri, row in enumerate(rows[:limit]):
        t = row.text
        if detail(t):
            # a name may share its row with the phone number ("세븐일레븐 안암점    TEL: 1522-4965")
            rest = [sg for sg in row.segs if not detail(sg.text) and not ANY_LABEL.match(sg.text)]
            if rest and rest[0] is row.segs[0] and not seen_text:
                row = Row(rest).build()
                t = row.text
            else:
                # details start: a name right before them was already considered (a title and a phone
                # line may come first: "영수증", "TEL: 1522-4965", "세븐일레븐 안암점")
                if seen_text:
                    break
                continue
        variants = row.variants()
        # a title with little else; brackets count for nothing ("<카드사 보관용)" leaves "사")
        if TITLE_WORDS.search(compact(t)) and len(name_letters(TITLE_WORDS.sub("", compact(t)))) < 3:
            continue
        if max(sg.conf for sg in row.segs) < 0.3:
            continue  # read as noise ("10원 브루 비행고" at 5–10%): no name to propose
        # nor with an unsure reading beside it that holds no Hangul ("전자세금계산서 (aOeekvaa)")
        others = [sg for sg in row.segs if not TITLE_WORDS.search(compact(sg.text))]
        if len(others) < len(row.segs) and all(
            sg.conf < 0.5 and not re.search("[가-힣]", sg.text) for sg in others
        ):
            continue
        if any(is_title(v) for v in variants) or any(re.search(r"귀\s*하|貴下", v) for v in variants):
            continue  # a (misread) title, or the customer's name on a 간이영수증
        best: tuple[float, str] | None = None
        for v in variants:
            if ANY_LABEL.match(v):
                continue
            t2 = re.sub(r"\[[^\]]*\]|[(<][^)>]*용[)>]", "", v)
            cand = _p_text(t2)
            if not cand:
                continue
            letters = sum(c.isalpha() for c in t2)
            digits = sum(c.isdigit() for c in t2)
            if letters < 2 or digits > letters:
                continue
            score = name_score(cand[0])
            if best is None or score > best[0]:
                best = (score, cand[0])
        if best is not None and best[0] >= 1.5:
            return Cand(best[1], row.segs[0].conf * 0.8, row.segs[0].box, ri, False)
        seen_text = seen_text or best is not None
    return None


def _one_digit_apart(a: int, b: int) -> bool:
    """Same number of digits, one of them different: a misreading of one for the other."""
    x, y = str(a), str(b)
    return len(x) == len(y) and sum(p != q for p, q in zip(x, y, strict=True)) == 1


def _amounts(rows: list[Row], rf: ReceiptFields) -> None:
    n = len(rows)

    def lab(key, **kw):
        return find_labelled(rows, key, _p_amount, **kw)

    no_count = r"(수량|건수|개수|점수)"
    paid = [c for c in lab("total_paid", exclude_after=no_count) if c.value >= 100]
    tot = lab(
        "total", exclude_after=no_count, exclude_before=r"(공급|과세|면세|부가|세액|봉사|할인|소|수량)$"
    )
    tot = [c for c in tot if c.value >= 100]
    for c in paid:
        c.prio = 3
    for c in tot:
        c.prio = 2
    sup = [c for c in lab("supply_amount") if c.value > 0]
    taxfree = [c for c in find_labelled(rows, "taxfree", _p_amount) if c.value > 0]
    vat = [
        c
        for c in lab(
            "vat",
            exclude_before=r"(면|비)$",
            exclude_after=r"(법|범|벌|시행|.{0,16}제\s*\d+\s*조|.{0,16}규[칙정]|포함|별도)",
        )
        if c.value < 10_000_000
    ]
    svc = lab("service_charge")
    dsc = lab("discount", exclude_after=r"(율|%|카드)")
    s_c, v_c = _best(sup), _best(vat)
    if s_c and not taxfree:
        # with tax-free (면세) goods a receipt prints 과세/면세 amounts, not one 공급가액
        _set(rf.supply_amount, s_c)
    if v_c and (not s_c or v_c.value < s_c.value or v_c.value == 0):
        _set(rf.vat, v_c)
    if s_c and rf.vat.value is None and s_c.value < 100:
        rf.supply_amount = Field()
    sv = _best(svc)
    if sv and sv.value > 0:  # "봉사료 0" is no service charge
        _set(rf.service_charge, sv)
    d = _best(dsc)
    if d and d.value > 0:
        _set(rf.discount, d)

    # every well-formed amount on the receipt (the labels may be unreadable: Hangul read as Chinese)
    allam: list[tuple[int, int, Seg]] = []
    for ri, row in enumerate(rows):
        for s in row.segs:
            seen = set()
            for text in s.readings:
                for v, _a, _b in amounts_in(text):
                    if v not in seen and 100 <= v < 100_000_000:
                        seen.add(v)
                        allam.append((v, ri, s))

    # a total is never an ID read beside its label ("승인금액: 53617848" when rows slip), nor smaller
    # than the 과세/면세 amounts it is made of (a VAT value slipped next to "결제금액")
    ids = {re.sub(r"\D", "", f.value or "") for f in (rf.approval_no, rf.biz_no, rf.phone)} - {""}
    parts = [c.value for c in sup + taxfree]
    cands = [
        c
        for c in paid + tot
        if str(c.value) not in ids and (rf.discount.value or not parts or c.value >= max(parts))
    ]
    total = None
    if cands:
        # a payment line (결제금액) beats 합계 unless a discount explains the difference
        total = max(cands, key=lambda c: (c.prio, c.labelled, c.conf, c.row))
    # the 공급가액 + 부가세 = 합계 relation finds the three even without readable labels
    vals: dict[int, tuple[int, Seg]] = {}
    for v, ri, s in allam:
        vals.setdefault(v, (ri, s))
    if not taxfree and (total is None or rf.supply_amount.value is None or rf.vat.value is None):
        best_t = None
        for t_val, (t_row, t_seg) in vals.items():
            if total is not None and t_val != total.value:
                continue
            for v_val, (v_row, v_seg) in vals.items():
                if v_val >= t_val or abs(v_val - round(t_val / 11)) > 2:
                    continue
                s_val = t_val - v_val
                if s_val in vals:
                    if best_t is None or t_val > best_t[0]:
                        best_t = (t_val, t_row, t_seg, s_val, vals[s_val], v_val, (v_row, v_seg))
        if best_t:
            t_val, t_row, t_seg, s_val, (s_row, s_seg), v_val, (v_row, v_seg) = best_t
            if total is None:
                total = Cand(t_val, t_seg.conf * 0.8, t_seg.box, t_row, False)
            if rf.supply_amount.value is None:
                _set(rf.supply_amount, Cand(s_val, s_seg.conf * 0.7, s_seg.box, s_row, False))
            if rf.vat.value is None:
                _set(rf.vat, Cand(v_val, v_seg.conf * 0.7, v_seg.box, v_row, False))
    split_vat = None
    if (taxfree and (total is None or total.prio < 3)) or total is None or not total.labelled:
        # 면세 + 과세 + 부가세 = 합계 (VAT a tenth of the 과세 amount) finds the total on mart receipts
        # whose values slipped a row away from their labels
        am_counts = Counter(v for v, _ri, _s in allam)
        splits = _taxfree_splits(vals)
        # the most often printed sum, then the largest, when misreadings make several
        triple = max(splits, key=lambda t: (am_counts[t], t), default=None)
        # without a 면세 label three amounts add up by chance on long receipts: then the sum must be
        # at least every amount printed twice (합계 and 카드 결제 are)
        if (
            triple is not None
            and not taxfree
            and triple < max((v for v, k in am_counts.items() if k >= 2), default=0)
        ):
            triple = None
        if triple is not None and (total is None or total.value != triple):
            ri, sg = vals[triple]
            total = Cand(triple, sg.conf * 0.8, sg.box, ri, False, 2)
        if triple is not None and len(splits[triple]) == 1:
            split_vat = next(iter(splits[triple]))  # only when one split fits
    counts: dict[int, int] = {}
    for v, _ri, _s in allam:
        counts[v] = counts.get(v, 0) + 1
    if total is None:
        pay = [
            c
            for c in lab(
                "total_pay_line", exclude_after=r"(번호|사|종류|No|NO|승인번호|영수증|문의|소득|지출)"
            )
            if c.value >= 100
        ]
        # a payment line ("신용카드 15,500") is the total when the amount is printed elsewhere too
        pay = [c for c in pay if counts.get(c.value, 0) >= 2] or (
            [] if any(k >= 2 for k in counts.values()) else pay
        )
        if pay:
            total = max(pay, key=lambda c: c.conf)
    if total is None and allam:
        # the largest amount that appears at least twice (합계 and the card payment), else the largest
        # in the lower two thirds of the receipt
        twice = [v for v, k in counts.items() if k >= 2]
        biggest = (
            max(v for v, _ri, _s in allam if _ri >= n // 3) if any(r >= n // 3 for _v, r, _s in allam) else 0
        )
        if twice and max(twice) * 2 >= biggest:
            v = max(twice)
            ri, s = vals[v]
            total = Cand(v, s.conf * 0.6, s.box, ri, False)
        else:
            lower = [(v, ri, s) for v, ri, s in allam if ri >= n // 3]
            if lower:
                v, ri, s = max(lower, key=lambda x: x[0])
                total = Cand(v, s.conf * 0.4, s.box, ri, False)
    # the amount printed three times or more (합계, 카드 결제, 승인금액) and largest in the lower part is the
    # total even when the label we read says otherwise (garbled labels: "합제급떡")
    lower_counts = Counter(v for v, ri, _s in allam if ri >= n // 3)
    # (the largest as the main readings have it: an alternative reading "93,670" of "93,570" is no rival)
    lower_main = [v for v, ri, sg in allam if ri >= n // 3 and any(a[0] == v for a in amounts_in(sg.text))]
    rep = max((v for v, k in lower_counts.items() if k >= 3), default=None)
    if rep is not None:
        # nor is an amount read once that is the repeated one with one digit misread ("195,570" of 185,570)
        lower_main = [v for v in lower_main if counts.get(v, 0) > 1 or not _one_digit_apart(v, rep)]
    if (
        rep is not None
        and rep >= max(lower_main or lower_counts)
        and (
            total is None
            or (total.prio < 3 and (total.value < rep or counts.get(total.value, 0) < lower_counts[rep]))
            # even a payment line's value, where it is the repeated amount with one digit misread
            or (_one_digit_apart(total.value, rep) and counts.get(total.value, 0) < lower_counts[rep])
        )
    ):
        ri, sg = vals[rep]
        total = Cand(rep, sg.conf * 0.8, sg.box, ri, False, 1)
    # an amount written after a won sign in two places (the 총액 cell and the 합계 row of a handwritten
    # 간이영수증, "₩38,000-") is the total, whatever the garbled labels said
    won: Counter[int] = Counter()  # segments that print it
    votes: Counter[int] = Counter()  # readings that agree on it
    won_at: dict[int, tuple[int, Seg]] = {}
    for ri, row in enumerate(rows):
        for sg in row.segs:
            votes.update(sg.won)
            for v in set(sg.won):
                if 100 <= v < 100_000_000:
                    won[v] += 1
                    won_at.setdefault(v, (ri, sg))
    if won:
        wv = max(won, key=lambda v: (won[v], votes[v], v))
        k = won[wv]
        # printed twice (once maybe without the sign), or the largest amount below a smaller labelled one
        # (a year read into the 총액 cell: "3036년")
        printed = len({id(sg) for v, _ri, sg in allam if v == wv} | {id(won_at[wv][1])})
        sure = k >= 2 or printed >= 2 or wv >= max(lower_counts, default=0)
        # a receipt that prints ₩ before every price says nothing by it; a labelled 받을금액 beats a
        # 받은금액 (cash handed over) that is printed once with ₩
        if len(won) <= 2 and (
            total is None
            or (
                total.value != wv
                and (sure or not total.labelled)
                and not (
                    total.prio >= 3 and total.labelled and (counts.get(total.value, 0) >= 2 or printed < 2)
                )
            )
        ):
            ri, sg = won_at[wv]
            total = Cand(wv, sg.conf * (0.8 if k >= 2 else 0.5), sg.box, ri, False, 1)
    s_v = (rf.supply_amount.value or 0) + (rf.vat.value or 0) + (rf.service_charge.value or 0)
    if (
        rf.supply_amount.value
        and rf.vat.value
        and s_v in vals
        and (
            total is None
            or (total.value != s_v and total.prio < 3 and total.value != s_v - (rf.discount.value or 0))
        )
    ):
        ri, sg = vals[s_v]
        total = Cand(s_v, sg.conf * 0.8, sg.box, ri, False)
    if total is not None:
        _set(rf.total, total)
    # VAT is at most a tenth of the total (less with tax-free goods), and not a stray small number
    if (
        rf.total.value
        and rf.vat.value is not None
        and (rf.vat.value > rf.total.value / 10 + 2 or 0 < rf.vat.value < rf.total.value / 200)
    ):
        rf.vat = Field()
    if rf.vat.value is None and split_vat is not None and rf.total.value:
        ri, sg = vals[split_vat]
        _set(rf.vat, Cand(split_vat, sg.conf * 0.7, sg.box, ri, False))
    # a VAT label read into the supply amount (or vice versa) is checked against the total
    if rf.total.value and rf.supply_amount.value and rf.vat.value is None:
        v = rf.total.value - rf.supply_amount.value
        if 0 <= v and abs(v - round(rf.total.value / 11)) <= 2 and v in vals:
            ri, s = vals[v]
            _set(rf.vat, Cand(v, s.conf * 0.7, s.box, ri, False))
    _supply_from_total(rf, vals)


def _supply_from_total(rf: ReceiptFields, vals: dict[int, tuple[int, Seg]]) -> None:
    """A 공급가액 that does not add up with 부가세 to the 합계 (a digit lost, "3,091" for 30,909, or another
    row's amount taken) is replaced by 합계 − 부가세 where that is printed on the receipt and the 부가세
    is a tenth of it."""
    t, s, v = rf.total.value, rf.supply_amount.value, rf.vat.value
    if not (t and s and v):
        return
    extra = (rf.service_charge.value or 0) - (rf.discount.value or 0)
    if s + v + extra == t:
        return
    s2 = t - v - extra
    if s2 > 0 and abs(v - round(s2 / 10)) <= 1 and s2 in vals:
        ri, seg = vals[s2]
        _set(rf.supply_amount, Cand(s2, seg.conf * 0.7, seg.box, ri, False))


def _taxfree_splits(vals: dict[int, tuple[int, Seg]]) -> dict[int, set[int]]:
    """Amounts that are 면세 + 과세 + 부가세 of three other amounts on the receipt (부가세 a tenth of 과세),
    each with the 부가세 values that make it add up."""
    amounts = sorted(vals)
    splits: dict[int, set[int]] = {}
    for b in amounts:
        vat = round(b / 10)
        for c in (vat - 1, vat, vat + 1):
            if c not in vals or c == b:
                continue
            for a in amounts:
                if a not in (b, c) and a + b + c in vals:
                    splits.setdefault(a + b + c, set()).add(c)
    return splits


def _split_num_tail(tail: str, amount: int) -> tuple[int, int] | None:
    """'2.5002' before an amount of 5,000 → (unit 2,500, qty 2): numbers glued by the OCR."""
    digits_fmt = re.sub(r"[^\d,.]", "", tail)
    for i in range(1, len(digits_fmt)):
        a, b = digits_fmt[:i], digits_fmt[i:]
        if not b.isdigit() or len(b) > 3:
            continue
        if not re.fullmatch(r"\d{1,3}(?:[,.]\d{3})*|\d+", a):
            continue
        u, q = int(re.sub(r"\D", "", a)), int(b)
        if q and u * q == amount:
            return u, q
    return None


def _items(rows: list[Row], rf: ReceiptFields) -> list[Item]:
    n = len(rows)
    header = None
    for ri, row in enumerate(rows):
        c = compact(row.text)
        if LRE["items_header"].search(c) and len(LRE["items_header_num"].findall(c)) >= 1:
            header = ri
            break
    start = header + 1 if header is not None else 0
    end = n
    tax_column = any(re.search(r"세\s*액", rows[ri].text) for ri in range(start, min(n, start + 1)))
    tax_column = tax_column or (header is not None and bool(re.search(r"세\s*액", rows[header].text)))
    for ri in range(start, n):
        c = compact(rows[ri].text)
        if ri > start and LRE["stop_items"].match(c):
            end = ri
            break
        if ri > start and re.match(r"^[-=*_.]{6,}$", c) and ri > start + 1:
            # a rule line after some items ends the list
            if any(parse_amount(rows[k].text) for k in range(start, ri)):
                end = ri
                break
    items: list[Item] = []
    pending: tuple[str, int] | None = None  # a name alone on its row, numbers on the next (mart layout)
    pending_amt: tuple[str | None, int, int] | None = None  # a name with its amount, unit x qty below
    unit_qty = re.compile(
        r"^\s*(\d{1,3}(?:[,.]\d{3})+|\d{2,7})\s*[x*«X×]\s*(\d{1,3})(?!\d)\s*"
        r"(?:(\d{1,3}(?:[,.]\d{3})+|\d{2,8})\s*원?)?\s*$"
    )
    for ri in range(start, end):
        row = rows[ri]
        text = row.text
        if (
            LRE["stop_items"].match(compact(text))
            or parse_biz_all(text)
            or parse_phone(text)
            or parse_dates(text)
        ):
            pending = None
            continue
        if parse_card(text) or LRE["approval_no"].search(text):
            continue
        uq = unit_qty.match(text)
        if uq and not uq.group(3):
            unit, qty = int(re.sub(r"\D", "", uq.group(1))), int(uq.group(2))
            # "name .... amount" on one row, "unit x qty" under it
            if items and items[-1].unit_price is None and items[-1].amount == unit * qty:
                items[-1].unit_price, items[-1].quantity = unit, qty
                pending_amt = None
                continue
            if pending_amt and pending_amt[1] == unit * qty:
                items.append(
                    Item(
                        pending_amt[0],
                        qty,
                        unit,
                        pending_amt[1],
                        row.segs[-1].conf,
                        rows[pending_amt[2]].segs[0].box,
                    )
                )
                pending_amt = None
                pending = None
                continue
            if items and items[-1].unit_price is None and items[-1].amount == unit * qty:
                items[-1].unit_price, items[-1].quantity = unit, qty
                continue
        if uq:
            unit, qty = int(re.sub(r"\D", "", uq.group(1))), int(uq.group(2))
            amount = int(re.sub(r"\D", "", uq.group(3))) if uq.group(3) else unit * qty
            if unit * qty != amount and uq.group(3):
                # trust the printed amount; the OCR may have lost a digit of the unit price
                unit = amount // qty if qty and amount % qty == 0 else unit
            name = clean_name(pending[0]) if pending else None
            if name and (HAN.search(name) and not HANGUL.search(name)):
                name = None
            items.append(
                Item(
                    name or None,
                    qty,
                    unit,
                    amount,
                    row.segs[-1].conf,
                    rows[pending[1]].segs[0].box if pending else row.segs[0].box,
                )
            )
            pending = None
            continue
        m = re.search(r"(?:(?<=\s)|^)(-?\d{1,3}(?:[,.]\d{3})+|\d{3,7})\s*(?:원)?\s*$", text)
        if not m:
            letters = sum(c.isalpha() for c in text)
            pending = (text, ri) if letters >= 2 and not ANY_LABEL.match(text) else None
            continue
        pending = None
        amount = int(re.sub(r"\D", "", m.group(1)))
        if amount <= 0:
            continue
        head = text[: m.start()].rstrip()
        if tax_column:
            # 세금계산서 / 거래명세서 rows end "... 공급가액 세액": the item's amount is the 공급가액
            prev = re.search(r"(?:(?<=\s)|^)(\d{1,3}(?:[,.]\d{3})+|\d{3,9})$", head)
            if prev and abs(int(re.sub(r"\D", "", prev.group(1))) / 10 - amount) <= 1:
                amount = int(re.sub(r"\D", "", prev.group(1)))
                head = head[: prev.start()].rstrip()
            head = re.sub(r"^\W*\d{1,2}\W+\d{1,2}\s+", "", head)  # the 월 일 columns
        # name: leading text up to the first free-standing number
        nm = re.match(r"^(.*?[^\d\s,.]\S*?)(?:\s+([\d,.]+(?:\s+[\d,.]+)*))?$", head)
        name, nums = (nm.group(1), nm.group(2) or "") if nm else (head, "")
        unit = qty = None  # type: ignore[assignment]
        toks = [int(re.sub(r"\D", "", t)) for t in nums.split() if re.sub(r"\D", "", t)]
        if len(toks) >= 2 and toks[-2] * toks[-1] == amount:
            unit, qty = toks[-2], toks[-1]
            if qty > unit:
                unit, qty = qty, unit
        elif (
            len(toks) == 1
            and toks[0]
            and amount % toks[0] == 0
            and toks[0] <= 999
            and amount // toks[0] >= 100
        ):
            qty, unit = toks[0], amount // toks[0]
        elif len(toks) == 1 and toks[0] == amount:
            unit, qty = amount, 1
        else:
            # glued numbers at the end of the name ("1.5L2.5002", "1,5003")
            g = re.search(r"(\d[\d,.]*)$", name)
            if g:
                sp = _split_num_tail(g.group(1), amount)
                if sp:
                    unit, qty = sp
                    name = name[: g.start()]
        name = clean_name(name)
        if unit is None or qty is None:
            nm_ok = name if name and not (HAN.search(name) and not HANGUL.search(name)) else None
            pending_amt = (nm_ok, amount, ri)
        if header is None and (unit is None or qty is None):
            continue  # without a header only rows whose numbers multiply out are items
        if not name or (HAN.search(name) and not HANGUL.search(name)):
            name = None
        if name and ANY_LABEL.match(name):
            continue
        items.append(Item(name, qty, unit, amount, row.segs[-1].conf, row.segs[0].box))
    return items


def _evidence_type(rows: list[Row], all_compact: str, rf: ReceiptFields) -> Field:
    """What kind of evidence: the title at the top decides; then what the receipt holds."""
    top = compact(" ".join(r.text for r in rows[:4]))
    c = all_compact
    if re.search(r"세금계산서", top) or re.search(r"전자세금계산서", c):
        return Field("tax_invoice", 0.9)
    if re.search(r"거래명세", top):
        return Field("statement", 0.9)
    if re.search(r"간이영수증", c):
        return Field("simple_receipt", 0.9)
    if re.search(r"영수[증중층]", top) and re.search(
        r"공급받는자|귀하|정히영수|영수\(?청구\)?함|위금액을", c
    ):
        return Field("simple_receipt", 0.75)
    if re.search(r"현금영수증|현금\(?(소득공제|지출증빙)", top):
        return Field("cash_receipt", 0.9)
    if re.search(r"매출전표|카드전표|신용승인|카드영수증|승인전표|IC승인", top):
        return Field("card_slip", 0.85)
    if rf.items:
        # a shop's receipt with its items (paid by card or cash: the payment part is printed below)
        return Field("receipt", 0.7)
    if re.search(r"현금영수증|지출증빙|소득공제", c) and rf.approval_no.value and not rf.card_number.value:
        return Field("cash_receipt", 0.6)
    if rf.card_number.value or rf.card_company.value or rf.installment.value:
        return Field("card_slip", 0.6)
    return Field("receipt", 0.5)


def _checks(rf: ReceiptFields) -> None:
    t, s, v = rf.total.value, rf.supply_amount.value, rf.vat.value
    sc = rf.service_charge.value or 0
    if t is not None and s is not None and v is not None:
        if abs(s + v + sc - t) > 1 and abs(s + v + sc - (t + (rf.discount.value or 0))) > 1:
            rf.warnings.append(
                f"공급가액({won(s)}) + 부가세({won(v)}){' + 봉사료(' + won(sc) + ')' if sc else ''}가 "
                f"합계({won(t)})와 다릅니다"
            )
    if rf.items and t is not None:
        sum_items = sum(it.amount or 0 for it in rf.items)
        if sum_items != t and sum_items - (rf.discount.value or 0) != t and sum_items + sc != t:
            rf.warnings.append(f"품목 금액의 합({won(sum_items)})이 합계({won(t)})와 다릅니다")
    if t is None:
        rf.warnings.append("합계 금액을 찾지 못했습니다")
    if rf.datetime.value is None:
        rf.warnings.append("거래일시를 찾지 못했습니다")
    for it in rf.items:
        if it.unit_price and it.quantity and it.amount and it.unit_price * it.quantity != it.amount:
            rf.warnings.append(f"품목 '{it.name or '?'}': 단가 × 수량이 금액과 다릅니다")
