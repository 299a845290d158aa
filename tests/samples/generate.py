#!/usr/bin/env python3
"""Synthetic Korean receipt photos with ground truth, generated deterministically.

    python tests/samples/generate.py                     # the committed set (seed 20261126, 96 receipts)
    python tests/samples/generate.py --only 7 --out /tmp/x   # one sample
    python tests/samples/generate.py --special           # tests/samples/special/ (HEIC, 2-page PDF, no text)

Every sample ``NNN_<kind>`` is drawn from ``random.Random(f"{seed}-{index}")`` and
``numpy.random.default_rng([seed, index])`` only, so regenerating one index gives the same ground truth
(and, with the same Pillow/OpenCV/FreeType, the same pixels).

The receipt is typeset on paper (thermal slips, POS receipts, a hand-filled 간이영수증 form), then
"photographed": laid on a table, rotated, warped in perspective, lit unevenly, blurred, noised, shrunk and
JPEG-compressed. The parameters used are recorded under ``"degradations"`` in the ground truth.

Ground-truth keys are the OCR CLI's (docs/CONTRACTS.md, issue 4) plus ``kind``, ``degradations``,
``discount`` and ``service_charge``. Unknown or not printed = null. ``items`` is null when the receipt
prints no item lines. ``datetime`` is ``YYYY-MM-DDTHH:MM[:SS]``; a receipt that prints only a date (the
hand-written 간이영수증) has ``YYYY-MM-DD``. ``supply_amount`` is null on receipts with tax-free (면세)
goods, which print 과세/면세 amounts rather than one 공급가액. ``installment`` is "일시불" or "N개월".
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import itertools
import json
import math
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

DEFAULT_SEED = 20261126
HERE = Path(__file__).resolve().parent
RECEIPTS_DIR = HERE / "receipts"
SPECIAL_DIR = HERE / "special"
FONT_ROOT = Path("/usr/share/fonts/truetype")
MAX_JPEG_BYTES = 200_000

# kind -> how many in the committed set (order is shuffled with the seed)
KIND_COUNTS = {
    "card_slip": 22,
    "cash_receipt": 14,
    "mart": 16,
    "restaurant": 16,
    "cafe": 14,
    "simple": 14,
}
# added later: appended after the kinds above (own shuffle), so the first samples keep their numbers
EXTRA_KIND_COUNTS = {
    "statement": 6,
    "tax_invoice": 6,
}
EVIDENCE_TYPE = {
    "statement": "statement",
    "tax_invoice": "tax_invoice",
    "card_slip": "card_slip",
    "cash_receipt": "cash_receipt",
    "mart": "receipt",
    "restaurant": "receipt",
    "cafe": "receipt",
    "simple": "simple_receipt",
}
TRUTH_KEYS = (
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
    "card_company",
    "card_number",
    "installment",
    "approval_no",
    "items",
    "evidence_type",
)

# (regular, bold or None)
PRINT_FONTS = [
    ("nanum/NanumGothicCoding.ttf", "nanum/NanumGothicCodingBold.ttf"),
    ("nanum/NanumGothic.ttf", "nanum/NanumGothicBold.ttf"),
    ("nanum/NanumBarunGothic.ttf", "nanum/NanumBarunGothicBold.ttf"),
    ("unfonts-core/UnDotum.ttf", "unfonts-core/UnDotumBold.ttf"),
    ("baekmuk/gulim.ttf", None),
    ("baekmuk/dotum.ttf", None),
    ("nanum/NanumSquareR.ttf", "nanum/NanumSquareB.ttf"),
    ("unfonts-core/UnGraphic.ttf", "unfonts-core/UnGraphicBold.ttf"),
]
DISPLAY_FONTS = [
    "nanum/NanumBrush.ttf",
    "nanum/NanumSquareEB.ttf",
    "nanum/NanumMyeongjoExtraBold.ttf",
    "unfonts-core/UnGungseo.ttf",
    "nanum/NanumSquareRoundEB.ttf",
    "nanum/NanumGothicExtraBold.ttf",
    "nanum/NanumPen.ttf",
    "unfonts-core/UnGraphicBold.ttf",
]
BRANDS = {
    "스타벅스": "STARBUCKS",
    "투썸플레이스": "A TWOSOME PLACE",
    "이디야커피": "EDIYA COFFEE",
    "메가MGC커피": "MEGA COFFEE",
    "빽다방": "PAIK'S COFFEE",
    "할리스": "HOLLYS",
    "컴포즈커피": "COMPOSE COFFEE",
    "폴바셋": "Paul Bassett",
    "커피빈": "The Coffee Bean",
    "파스쿠찌": "PASCUCCI",
    "GS25": "GS25",
    "CU": "CU",
    "세븐일레븐": "7-ELEVEn",
    "이마트24": "emart24",
    "홈플러스 익스프레스": "Homeplus Express",
    "롯데마트": "LOTTE Mart",
    "다이소": "DAISO",
    "교촌치킨": "KYOCHON",
    "BBQ치킨": "BBQ",
    "교보문고": "KYOBO",
    "올리브영": "OLIVE YOUNG",
}
_AUX: random.Random | None = None  # per-sample stream for effects added after the set was first committed
HAND_FONTS = [
    "nanum/NanumPen.ttf",
    "nanum/NanumBrush.ttf",
    "unfonts-core/UnPilgi.ttf",
    "nanum/NanumBarunpenR.ttf",
]
FORM_FONTS = [
    "nanum/NanumMyeongjo.ttf",
    "unfonts-core/UnBatang.ttf",
    "baekmuk/batang.ttf",
    "nanum/NanumGothic.ttf",
]


# ----------------------------------------------------------------------------------------------------------
# domain helpers

BIZ_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def biz_check_digit(first9: list[int]) -> int:
    s = sum(d * w for d, w in zip(first9, BIZ_WEIGHTS, strict=True)) + (first9[8] * 5) // 10
    return (10 - s % 10) % 10


def biz_no_valid(biz_no: str) -> bool:
    digits = [int(c) for c in biz_no if c.isdigit()]
    return len(digits) == 10 and biz_check_digit(digits[:9]) == digits[9]


def make_biz_no(rng: random.Random) -> str:
    head = rng.randint(101, 899)
    mid = rng.choice([81, 81, 86, 87, 85, 88, *range(1, 80)])
    tail = rng.randint(0, 9999)
    digits = [int(c) for c in f"{head:03d}{mid:02d}{tail:04d}"]
    check = biz_check_digit(digits)
    s = "".join(map(str, digits)) + str(check)
    return f"{s[:3]}-{s[3:5]}-{s[5:]}"


def vat_of(total: int) -> int:
    """round(total / 11), halves up."""
    return (2 * total + 11) // 22


SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍전고문양손배백허유남심노하곽성차주우구민"
GIVEN = [
    "민수",
    "서연",
    "지훈",
    "지우",
    "현우",
    "수빈",
    "예준",
    "하은",
    "도윤",
    "서준",
    "민지",
    "영호",
    "정희",
    "상철",
    "미경",
    "성민",
    "은정",
    "태호",
    "혜진",
    "동현",
    "경자",
    "순자",
    "영수",
    "재훈",
    "보람",
    "윤희",
    "승우",
    "다은",
    "광수",
    "명숙",
    "종민",
    "지영",
    "현정",
    "병철",
    "수진",
]
WORDS = [
    "한빛",
    "대성",
    "우리",
    "행복",
    "다온",
    "새봄",
    "푸른",
    "하나로",
    "미래",
    "정다운",
    "삼육",
    "동아",
    "명동",
    "종로",
    "서울",
    "늘봄",
    "가온",
    "소망",
    "은하",
    "청솔",
    "태평",
    "광명",
    "진미",
    "원조",
    "고향",
    "큰집",
    "옛날",
    "한솔",
    "대한",
    "신흥",
    "제일",
    "중앙",
    "금강",
    "백두",
    "해오름",
    "솔빛",
    "남산",
    "한마음",
    "새한",
    "동원",
]
DISTRICTS = [
    "강남역",
    "신촌",
    "홍대입구역",
    "서울대입구역",
    "판교",
    "서면",
    "둔산",
    "수원역",
    "안암",
    "혜화",
    "잠실",
    "명동",
    "종로3가",
    "부평",
    "동성로",
    "충장로",
    "여의도",
    "건대입구",
    "역삼",
    "이대",
    "광화문",
    "전남대",
    "경북대",
    "부산대",
    "연수",
    "분당서현",
    "일산",
    "성수",
]
REGIONS = [
    (
        "서울특별시",
        "서울",
        "02",
        [
            "강남구",
            "마포구",
            "서대문구",
            "관악구",
            "종로구",
            "성동구",
            "송파구",
            "영등포구",
            "중구",
            "동작구",
            "성북구",
        ],
    ),
    ("부산광역시", "부산", "051", ["해운대구", "부산진구", "남구", "동래구", "금정구"]),
    ("대구광역시", "대구", "053", ["중구", "수성구", "북구"]),
    ("인천광역시", "인천", "032", ["연수구", "남동구", "부평구"]),
    ("광주광역시", "광주", "062", ["북구", "동구", "서구"]),
    ("대전광역시", "대전", "042", ["유성구", "서구", "중구"]),
    (
        "경기도",
        "경기",
        "031",
        ["성남시 분당구", "수원시 팔달구", "고양시 일산동구", "용인시 수지구", "안양시 동안구"],
    ),
]
ROADS = [
    "테헤란로",
    "양화로",
    "연세로",
    "관악로",
    "세종대로",
    "올림픽로",
    "중앙대로",
    "해운대로",
    "동성로",
    "대학로",
    "판교역로",
    "월드컵로",
    "충장로",
    "둔산대로",
    "경수대로",
    "중앙로",
    "번영로",
    "문화로",
    "시청로",
    "역삼로",
    "신촌로",
    "안암로",
    "백범로",
    "구월로",
    "금강로",
]
DONGS = [
    "역삼동",
    "서교동",
    "신촌동",
    "봉천동",
    "관철동",
    "성수동",
    "잠실동",
    "여의도동",
    "우동",
    "부전동",
    "삼성동",
    "정자동",
    "용봉동",
    "궁동",
    "송도동",
]

CARD_COMPANIES = {
    # canonical: (printed variants, BIN prefixes)
    "신한": (["신한카드", "신한", "SHINHAN"], ["4518", "5107", "9410", "4048"]),
    "국민": (["KB국민카드", "국민카드", "KB국민", "KB카드"], ["9430", "5409", "4673", "9445"]),
    "삼성": (["삼성카드", "삼성"], ["5365", "4140", "9490", "5310"]),
    "현대": (["현대카드", "현대"], ["5433", "4221", "9402"]),
    "롯데": (["롯데카드", "롯데"], ["5329", "4670", "9409"]),
    "하나": (["하나카드", "하나(외환)", "하나"], ["4119", "5585", "9420"]),
    "우리": (["우리카드", "우리"], ["5522", "9441", "4579"]),
    "BC": (["BC카드", "비씨카드", "BC"], ["9110", "4906", "9435"]),
    "NH농협": (["NH농협카드", "농협카드", "NH카드", "NH농협"], ["5461", "9411", "4854"]),
}

CAFE_CHAINS = [
    "스타벅스",
    "투썸플레이스",
    "이디야커피",
    "메가MGC커피",
    "빽다방",
    "할리스",
    "컴포즈커피",
    "폴바셋",
    "커피빈",
    "파스쿠찌",
]
CAFE_ITEMS = [
    ("아메리카노(ICE)", 4500),
    ("아메리카노(HOT)", 4100),
    ("카페라떼", 5000),
    ("바닐라라떼", 5500),
    ("카푸치노", 5000),
    ("자몽에이드", 5800),
    ("녹차라떼", 5600),
    ("아이스티", 3800),
    ("콜드브루", 4900),
    ("카라멜마끼아또", 5900),
    ("치즈케이크", 6500),
    ("크로와상", 3800),
    ("티라미수", 6900),
    ("베이글", 3500),
    ("초코쿠키", 2800),
    ("딸기스무디", 6300),
    ("샷추가", 500),
    ("디카페인 아메리카노", 4800),
]
RESTAURANT_ITEMS = [
    ("김치찌개", 8000),
    ("된장찌개", 8000),
    ("제육볶음", 9000),
    ("삼겹살(200g)", 15000),
    ("공기밥", 1000),
    ("소주", 5000),
    ("맥주", 5000),
    ("콜라", 2000),
    ("사이다", 2000),
    ("물냉면", 9000),
    ("갈비탕", 12000),
    ("비빔밥", 9000),
    ("떡볶이", 4500),
    ("순대", 4500),
    ("김밥", 3500),
    ("짜장면", 7000),
    ("짬뽕", 8000),
    ("탕수육(중)", 18000),
    ("후라이드치킨", 20000),
    ("양념치킨", 21000),
    ("돼지갈비(1인)", 16000),
    ("부대찌개(2인)", 22000),
    ("계란말이", 7000),
    ("해물파전", 15000),
    ("막걸리", 5000),
    ("칼국수", 8500),
    ("수육(소)", 25000),
    ("라면", 4000),
]
RESTAURANT_SUFFIX = [
    "식당",
    "칼국수",
    "갈비",
    "김밥",
    "분식",
    "순대국",
    "한정식",
    "손짜장",
    "치킨",
    "감자탕",
    "해장국",
]
MART_ITEMS = [  # name, price, tax-free
    ("삼다수 2L*6", 5980, False),
    ("서울우유 1L", 2980, False),
    ("신라면(5입)", 4480, False),
    ("새우깡", 1500, False),
    ("코카콜라 1.5L", 3200, False),
    ("종이컵(50입)", 2500, False),
    ("나무젓가락100입", 3000, False),
    ("물티슈 100매", 2000, False),
    ("종량제봉투20L", 5000, False),
    ("건전지AA 4입", 5500, False),
    ("포카칩", 1700, False),
    ("초코파이(12입)", 5280, False),
    ("햇반 210g", 1680, False),
    ("칠성사이다 1.5L", 3100, False),
    ("키친타올", 4900, False),
    ("일회용접시(20)", 3500, False),
    ("고무장갑", 2900, False),
    ("참치캔 150g", 2480, False),
    ("사과 1.5kg", 12900, True),
    ("바나나", 4980, True),
    ("계란 30구", 8990, True),
    ("두부 300g", 1800, True),
    ("양파 1.5kg", 3980, True),
    ("대파 1단", 2980, True),
    ("삼겹살 600g", 15900, True),
    ("방울토마토", 6980, True),
    ("귤 2kg", 9900, True),
    ("상추", 2480, True),
    ("쌀 4kg", 15800, True),
    ("생수 500ml", 600, False),
    ("A4용지 500매", 5900, False),
    ("매직 12색", 6000, False),
    ("풍선(50입)", 4500, False),
    ("박스테이프", 1800, False),
]
MART_NAMES = [
    "{w}마트",
    "{w}할인마트",
    "(주){w}유통",
    "GS25 {d}점",
    "CU {d}점",
    "세븐일레븐 {d}점",
    "이마트24 {d}점",
    "홈플러스 익스프레스 {d}점",
    "롯데마트 {d}점",
    "다이소 {d}점",
    "{w}문구",
    "{w}슈퍼",
    "농협하나로마트 {d}점",
]
SLIP_NAMES = [
    "(주){w}인쇄",
    "{w}인쇄",
    "{w}기획",
    "{w}컨벤션",
    "(주){w}렌탈",
    "{w}스포츠",
    "{w}꽃집",
    "{w}문구",
    "{w}식당",
    "{w}갈비",
    "{w}노래연습장",
    "{w}PC방",
    "{w}떡집",
    "{w}사진관",
    "{w}현수막",
    "(주){w}관광",
]
SIMPLE_NAMES = [
    "{w}철물",
    "{w}문구",
    "{w}꽃집",
    "{w}떡집",
    "{w}분식",
    "{w}인쇄",
    "{w}현수막",
    "{w}상회",
    "{w}수산",
    "{w}정육점",
    "{w}과일",
    "{w}기념품",
]
SIMPLE_ITEMS = [
    ("현수막", 35000),
    ("꽃다발", 30000),
    ("백설기(1되)", 25000),
    ("떡(3kg)", 45000),
    ("명찰", 1500),
    ("볼펜", 500),
    ("전지", 800),
    ("테이프", 1500),
    ("과일바구니", 50000),
    ("생수(박스)", 8000),
    ("김밥", 3000),
    ("현수막 거치대", 15000),
    ("포스터 인쇄", 2000),
    ("기념품(컵)", 7000),
    ("화분", 25000),
    ("멀티탭", 12000),
    ("수산물(회)", 60000),
    ("돼지고기(근)", 18000),
]


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def address(rng: random.Random) -> tuple[str, str]:
    full, short, area, gus = rng.choice(REGIONS)
    city = full if rng.random() < 0.6 else short
    addr = f"{city} {rng.choice(gus)} {rng.choice(ROADS)} {rng.randint(1, 399)}"
    r = rng.random()
    if r < 0.3:
        addr += f", {rng.randint(1, 5)}층"
    elif r < 0.55:
        addr += f" ({rng.choice(DONGS)})"
    elif r < 0.65:
        addr += f" {rng.randint(101, 120)}호"
    return addr, area


def phone(rng: random.Random, area: str, chain: bool) -> str:
    if chain and rng.random() < 0.35:
        return f"{rng.choice(['1522', '1588', '1577', '1644'])}-{rng.randint(1000, 9999)}"
    if area == "02" or rng.random() < 0.5:
        return f"{area}-{rng.randint(200, 9999):d}-{rng.randint(0, 9999):04d}"
    return f"{area}-{rng.randint(200, 999)}-{rng.randint(0, 9999):04d}"


@dataclass
class Store:
    store_name: str
    branch: str | None
    printed: str
    biz_no: str
    representative: str
    phone: str
    address: str


def make_store(rng: random.Random, kind: str) -> Store:
    w, d = rng.choice(WORDS), rng.choice(DISTRICTS)
    chain = False
    if kind == "cafe":
        if rng.random() < 0.7:
            name, branch, chain = rng.choice(CAFE_CHAINS), f"{d}점", True
        else:
            name, branch = rng.choice([f"카페 {w}", f"{w}커피", f"{w}로스터스", f"커피{w}"]), None
    elif kind == "restaurant":
        r = rng.random()
        if r < 0.2:
            name, branch, chain = (
                rng.choice(["김밥천국", "본죽", "교촌치킨", "BBQ치킨", "홍콩반점0410", "명륜진사갈비"]),
                f"{d}점",
                True,
            )
        elif r < 0.3:
            name, branch = f"(주){w}푸드", None
        else:
            name, branch = w + rng.choice(RESTAURANT_SUFFIX), None
    elif kind == "mart":
        tpl = rng.choice(MART_NAMES)
        if "{d}" in tpl:
            base = tpl.split(" {d}")[0]
            name, branch, chain = base.format(w=w), f"{d}점", True
        else:
            name, branch = tpl.format(w=w), None
    elif kind == "simple":
        name, branch = rng.choice(SIMPLE_NAMES).format(w=w), None
    else:  # card slips, cash receipts: anything
        r = rng.random()
        if r < 0.25:
            name, branch, chain = (
                rng.choice([*CAFE_CHAINS, "GS25", "CU", "다이소", "교보문고", "올리브영"]),
                f"{d}점",
                True,
            )
        else:
            name, branch = rng.choice(SLIP_NAMES).format(w=w), None
    addr, area = address(rng)
    printed = f"{name} {branch}" if branch else name
    return Store(name, branch, printed, make_biz_no(rng), person(rng), phone(rng, area, chain), addr)


def random_datetime(rng: random.Random) -> dt.datetime:
    start = dt.datetime(2026, 1, 2, 0, 0, 0)
    day = start + dt.timedelta(days=rng.randint(0, 327))
    hour = rng.choice([9, 10, 11, 12, 12, 13, 13, 14, 15, 16, 17, 18, 18, 19, 19, 20, 21, 22])
    return day.replace(hour=hour, minute=rng.randint(0, 59), second=rng.randint(0, 59))


WEEKDAYS = "월화수목금토일"


def fmt_datetime(t: dt.datetime, rng: random.Random) -> tuple[str, str]:
    """(printed, iso truth)."""
    opts = [
        (f"{t:%Y-%m-%d %H:%M:%S}", True),
        (f"{t:%Y/%m/%d %H:%M:%S}", True),
        (f"{t:%Y/%m/%d %H:%M}", False),
        (f"{t:%y.%m.%d %H:%M}", False),
        (f"{t:%y/%m/%d %H:%M:%S}", True),
        (f"{t.year}년 {t.month}월 {t.day}일 {t:%H:%M}", False),
        (f"{t:%Y.%m.%d}({WEEKDAYS[t.weekday()]}) {t:%H:%M:%S}", True),
        (f"{t:%Y-%m-%d}  {t:%H:%M}", False),
    ]
    printed, secs = rng.choice(opts)
    iso = t.strftime("%Y-%m-%dT%H:%M:%S" if secs else "%Y-%m-%dT%H:%M")
    return printed, iso


class Money:
    """A receipt-wide way of printing amounts."""

    def __init__(self, rng: random.Random, yen_ok: bool = True):
        self.style = rng.choice(
            ["plain", "plain", "won", "won_space", "sign"] if yen_ok else ["plain", "won", "won_space"]
        )

    def __call__(self, v: int, bare: bool = False) -> str:
        s = f"{v:,}"
        if bare or self.style == "plain":
            return s
        if self.style == "won":
            return s + "원"
        if self.style == "won_space":
            return s + " 원"
        return "₩" + s


# ----------------------------------------------------------------------------------------------------------
# typesetting on paper

_FONT_CACHE: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}


def font(path: str, size: int) -> ImageFont.FreeTypeFont:
    key = (path, size)
    if key not in _FONT_CACHE:
        _FONT_CACHE[key] = ImageFont.truetype(str(FONT_ROOT / path), size)
    return _FONT_CACHE[key]


class Printer:
    """Thermal printer: draws an ink mask (255 = ink) line by line, fixed width."""

    def __init__(self, rng: random.Random, width: int, fonts: tuple[str, str | None], size: int, margin: int):
        self.rng = rng
        self.width = width
        self.regular, self.bold = fonts
        self.size = size
        self.margin = margin
        self.canvas = Image.new("L", (width, 12000), 0)
        self.y = margin + rng.randint(10, 40) * size // 22
        self.leading = rng.uniform(1.22, 1.5)
        self.right = width - margin

    def _font(self, bold: bool, scale: float = 1.0) -> tuple[ImageFont.FreeTypeFont, int]:
        size = max(8, round(self.size * scale))
        if bold and self.bold:
            return font(self.bold, size), 0
        return font(self.regular, size), (max(1, size // 22) if bold else 0)

    def seg(
        self,
        text: str,
        bold: bool = False,
        wide: float = 1.0,
        tall: float = 1.0,
        spacing: int = 0,
        scale: float = 1.0,
    ) -> Image.Image:
        f, stroke = self._font(bold, scale)
        asc, desc = f.getmetrics()
        h = asc + desc + 2 * stroke
        if spacing:
            w = int(sum(f.getlength(c) + spacing for c in text)) + 2 * stroke + 2
        else:
            w = int(f.getlength(text)) + 2 * stroke + 2
        img = Image.new("L", (max(w, 1), h), 0)
        d = ImageDraw.Draw(img)
        if spacing:
            x = float(stroke)
            for c in text:
                d.text((x, stroke), c, font=f, fill=255, stroke_width=stroke, stroke_fill=255)
                x += f.getlength(c) + spacing
        else:
            d.text((stroke, stroke), text, font=f, fill=255, stroke_width=stroke, stroke_fill=255)
        if wide != 1.0 or tall != 1.0:
            img = img.resize(
                (max(1, round(img.width * wide)), max(1, round(img.height * tall))), Image.Resampling.BILINEAR
            )
        return img

    def fits(self, text: str, width: int, **kw) -> bool:
        return self.seg(text, **kw).width <= width

    def row(self, *parts: tuple, advance: float = 1.0) -> None:
        """parts: (text, align, x, style dict) with align in l/r/c and x in pixels (None = margin)."""
        imgs = []
        for p in parts:
            text, align, x = p[0], p[1], p[2] if len(p) > 2 else None
            style = p[3] if len(p) > 3 else {}
            if not text:
                continue
            img = self.seg(text, **style)
            if align == "l":
                left = self.margin if x is None else x
            elif align == "r":
                left = (self.right if x is None else x) - img.width
            else:
                left = ((self.width if x is None else 2 * x) - img.width) // 2
            imgs.append((img, max(0, left)))
        # parts come left to right: a part that would overprint the one before it moves right, and one that
        # no longer fits goes to the next line, right-aligned (as a POS printer wraps a long value)
        placed: list[tuple[Image.Image, int]] = []
        overflow: list[Image.Image] = []
        end = 0
        for im, left in imgs:
            if placed and left < end + self.size // 3:
                left = end + self.size // 3
            if placed and left + im.width > self.width - 2:
                overflow.append(im)
                continue
            placed.append((im, left))
            end = left + im.width
        hmax = max((im.height for im, _ in placed), default=round(self.size * 1.1))
        for im, left in placed:
            self.canvas.paste(255, (left, self.y + hmax - im.height), im)
        self.y += round(max(hmax, self.size) * self.leading * advance)
        for im in overflow:
            self.canvas.paste(255, (max(0, self.right - im.width), self.y), im)
            self.y += round(max(im.height, self.size) * self.leading)

    def left(self, text: str, **style) -> None:
        self.row((text, "l", None, style))

    def center(self, text: str, **style) -> None:
        self.row((text, "c", None, style))

    def lr(self, label: str, value: str, lstyle: dict | None = None, vstyle: dict | None = None) -> None:
        self.row((label, "l", None, lstyle or {}), (value, "r", None, vstyle or {}))

    def wrap(self, text: str, indent: int = 0, **style) -> None:
        """Print text, breaking at spaces when it is wider than the paper."""
        avail = self.right - self.margin - indent
        words, line = text.split(" "), ""
        for w in words:
            cand = (line + " " + w).strip()
            if line and not self.fits(cand, avail, **style):
                self.row((line, "l", self.margin + indent, style))
                line = w
            else:
                line = cand
        if line:
            self.row((line, "l", self.margin + indent, style))

    def rule(self, kind: str | None = None) -> None:
        kind = kind or "-"
        h = round(self.size * self.leading * 0.85)
        d = ImageDraw.Draw(self.canvas)
        mid = self.y + h // 2
        if kind == "solid":
            d.line([(self.margin, mid), (self.right, mid)], fill=255, width=max(2, self.size // 10))
        elif kind == "double":
            t = max(1, self.size // 20)
            d.line([(self.margin, mid - 3 * t), (self.right, mid - 3 * t)], fill=255, width=t)
            d.line([(self.margin, mid + 3 * t), (self.right, mid + 3 * t)], fill=255, width=t)
        else:
            f, _ = self._font(False)
            unit = f.getlength(kind)
            n = int((self.right - self.margin) / unit)
            img = self.seg(kind * n)
            self.canvas.paste(255, (self.margin, mid - img.height // 2), img)
        self.y += h

    def gap(self, k: float = 0.5) -> None:
        self.y += round(self.size * k)

    def barcode(self, height: int = 50) -> None:
        d = ImageDraw.Draw(self.canvas)
        k = max(1, round(self.size / 22))
        height *= k
        w = self.rng.randint(int(self.width * 0.45), int(self.width * 0.7))
        x = (self.width - w) // 2
        end = x + w
        while x < end:
            bw = self.rng.choice([1, 2, 2, 3, 4]) * k
            d.rectangle([x, self.y, x + bw - 1, self.y + height], fill=255)
            x += bw + self.rng.choice([1, 2, 3, 4]) * k
        self.y += height + self.size

    def logo(self, store: Store, truth: dict) -> bool:
        """Store names are often printed as a logo: a display font, white on black, or the brand in Latin.

        Drawn from its own random stream (_AUX), so adding it did not change the other samples."""
        aux = _AUX if _AUX is not None else random.Random(0)
        style = aux.choice(["none", "none", "none", "inverse", "display", "display", "brand"])
        if style == "brand" and store.store_name not in BRANDS:
            style = "display"
        if style == "none":
            return False
        path = aux.choice(DISPLAY_FONTS)
        text = BRANDS[store.store_name] if style == "brand" else store.printed
        size = round(self.size * aux.uniform(1.5, 2.2))
        while font(path, size).getlength(text) > (self.right - self.margin) * 0.95 and size > self.size:
            size -= 2
        f = font(path, size)
        asc, desc = f.getmetrics()
        img = Image.new("L", (int(f.getlength(text)) + 4, asc + desc), 0)
        ImageDraw.Draw(img).text((2, 0), text, font=f, fill=255)
        if style == "inverse":
            pad = self.size // 2
            block = Image.new("L", (self.right - self.margin, img.height + 2 * pad), 255)
            block.paste(0, ((block.width - img.width) // 2, pad), img)
            self.canvas.paste(block, (self.margin, self.y))
            self.y += block.height + self.size // 2
        else:
            self.canvas.paste(255, ((self.width - img.width) // 2, self.y), img)
            self.y += img.height + self.size // 3
        if style == "brand":
            self.center(store.printed, bold=True)
        truth["_logo"] = {"style": style, "font": Path(path).stem}
        return True

    def finish(self, truth: dict | None = None) -> np.ndarray:
        if truth is not None:
            truth["_text_px"] = self.size
        h = self.y + self.margin + self.rng.randint(20, 60) * self.size // 22
        return np.asarray(self.canvas.crop((0, 0, self.width, h)), dtype=np.uint8)


def new_printer(rng: random.Random, narrow: bool = False) -> Printer:
    fonts = rng.choice(PRINT_FONTS)
    width = rng.randint(440, 520) if narrow else rng.randint(500, 600)
    size = rng.randint(19, 23) if narrow else rng.randint(19, 24)
    # typeset at twice the size: a phone photo usually sees the paper at more than 1 pixel per printer dot
    return Printer(rng, 2 * width, fonts, 2 * size, margin=2 * rng.randint(16, 30))


def font_has(path: str, ch: str) -> bool:
    f = font(path, 20)
    m1, m2 = f.getmask(ch), f.getmask("\U000f0000")
    return not (m1.size == m2.size and bytes(m1) == bytes(m2))


def empty_truth(kind: str) -> dict:
    t: dict = dict.fromkeys(TRUTH_KEYS)
    t["evidence_type"] = EVIDENCE_TYPE[kind]
    t["discount"] = None
    t["service_charge"] = None
    return t


def store_truth(t: dict, s: Store) -> None:
    t.update(
        store_name=s.store_name,
        branch=s.branch,
        biz_no=s.biz_no,
        representative=s.representative,
        phone=s.phone,
        address=s.address,
    )


def card_details(rng: random.Random) -> tuple[str, str, str, str, str]:
    """canonical company, printed company, masked number, installment, approval number (8 digits)."""
    company = rng.choice(list(CARD_COMPANIES))
    variants, bins = CARD_COMPANIES[company]
    printed = rng.choice(variants)
    bin4 = rng.choice(bins)
    d2 = f"{rng.randint(0, 99):02d}"
    last4 = f"{rng.randint(0, 9999):04d}"
    masked = rng.choice(
        [
            f"{bin4}-{d2}**-****-{last4}",
            f"{bin4}-{d2}**-****-{last4[:3]}*",
            f"{bin4}{d2}******{last4}",
            f"{bin4}-****-****-{last4}",
            f"{bin4} {d2}** **** {last4}",
            f"****-****-****-{last4}",
        ]
    )
    months = rng.choice([0, 0, 0, 0, 0, 2, 3, 3, 6, 12])
    installment = "일시불" if months == 0 else f"{months}개월"
    approval = (
        f"{rng.randint(0, 99_999_999):08d}"
        if rng.random() < 0.3
        else str(rng.randint(10_000_000, 99_999_999))
    )
    return company, printed, masked, installment, approval


def print_installment(inst: str, rng: random.Random) -> str:
    if inst == "일시불":
        return rng.choice(["일시불", "일시불", "00", "일시불(00)"])
    m = int(inst[:-2])
    return rng.choice([inst, f"{m:02d}개월", f"{m:02d}"])


# ----------------------------------------------------------------------------------------------------------
# layouts


def layout_card_slip(rng: random.Random) -> tuple[np.ndarray, dict]:
    t = empty_truth("card_slip")
    s = make_store(rng, "card_slip")
    store_truth(t, s)
    total = rng.choice(
        [rng.randint(3, 120) * 1000, rng.randint(50, 2000) * 100, rng.randint(10, 80) * 10_000]
    )
    if rng.random() < 0.3:
        total += rng.choice([500, 300, 900, 50])
    vat = vat_of(total)
    company, printed_co, masked, inst, approval = card_details(rng)
    when = random_datetime(rng)
    when_s, when_iso = fmt_datetime(when, rng)
    t.update(
        total=total,
        vat=vat,
        supply_amount=total - vat,
        card_company=company,
        card_number=masked,
        installment=inst,
        approval_no=approval,
        datetime=when_iso,
    )
    money = Money(rng)
    p = new_printer(rng, narrow=rng.random() < 0.5)
    inst_s = print_installment(inst, rng)
    colon = rng.choice([":", " :", "", ": "])
    layout = rng.choice(["labels", "labels", "stacked", "compact"])
    title = rng.choice(
        ["카드매출전표", "신용카드 매출전표", "신용승인", "카 드 매 출 전 표", "[신용승인]", "IC신용승인"]
    )
    p.center(title, bold=True, wide=rng.choice([1.0, 1.4, 1.8]), tall=rng.choice([1.0, 1.5]))
    if rng.random() < 0.6:
        p.center(rng.choice(["(고객용)", "[고객용]", "회원용", "(카드사 보관용)"]))
    ruler = rng.choice(["-", "=", "solid", "- ", "."])
    p.rule(ruler)

    def merchant_block():
        x2 = p.margin + int(p.size * 5.2)
        if layout == "stacked":
            p.left(f"가맹점명{colon}")
            p.left(s.printed, bold=rng.random() < 0.5)
        else:
            p.row((f"가맹점명{colon}", "l", None), (s.printed, "l", x2))
        p.row(
            (rng.choice(["사업자번호", "사업자등록번호", "사업자No"]) + colon, "l", None),
            (
                s.biz_no,
                "r" if rng.random() < 0.5 else "l",
                None if rng.random() < 0.5 else p.margin + int(p.size * 7.2),
            ),
        )
        if rng.random() < 0.5:
            p.row(
                (rng.choice(["대표자", "대표자명", "대 표 자"]) + colon, "l", None),
                (s.representative, "l", x2),
                ("TEL " + s.phone, "r", None),
            )
        else:
            p.row(
                (rng.choice(["대표자", "대표자명", "대 표 자"]) + colon, "l", None),
                (s.representative, "l", x2),
            )
            p.row((rng.choice(["전화번호", "연락처", "TEL"]) + colon, "l", None), (s.phone, "l", x2))
        p.wrap(rng.choice(["주소", "주    소", "가맹점주소"]) + colon + " " + s.address)
        if rng.random() < 0.6:
            p.lr(f"가맹점번호{colon}", str(rng.randint(10_000_000, 999_999_999)))

    if layout == "compact":
        if not p.logo(s, t):
            p.center(s.printed, bold=True, wide=1.2)
        p.center(f"{s.biz_no}  {s.representative}")
        p.center(s.phone)
        p.wrap(s.address)
        p.rule(ruler)
    if layout == "labels":
        p.lr(f"단말기ID{colon}", f"{rng.randint(1000000, 9999999)}")
        p.row((f"카드종류{colon}", "l", None), (printed_co, "l", p.margin + int(p.size * 5.2)))
        p.row((f"카드번호{colon}", "l", None), (masked, "l", p.margin + int(p.size * 5.2)))
        p.row((f"유효기간{colon}", "l", None), ("**/**", "l", p.margin + int(p.size * 5.2)))
        p.row((f"거래일시{colon}", "l", None), (when_s, "l", p.margin + int(p.size * 5.2)))
        p.row((f"거래유형{colon}", "l", None), ("신용승인", "l", p.margin + int(p.size * 5.2)))
        p.row((f"할부개월{colon}", "l", None), (inst_s, "l", p.margin + int(p.size * 5.2)))
        p.row((f"승인번호{colon}", "l", None), (approval, "l", p.margin + int(p.size * 5.2), {"bold": True}))
    elif layout == "stacked":
        mid = p.width // 2
        p.row(("카드종류", "l", None), ("할부", "l", mid))
        p.row((printed_co, "l", None), (inst_s, "l", mid))
        p.left("카드번호")
        p.left(masked, bold=True)
        p.row(("거래일시", "l", None), ("승인번호", "l", mid + p.size * 2))
        p.row((when_s, "l", None), (approval, "r", None, {"bold": True}))
    else:
        p.lr(printed_co, inst_s)
        p.left(masked)
        if rng.random() < 0.5:
            p.lr(when_s, f"[{approval}]")
        else:
            p.left(when_s)
            p.row((f"[{approval}]", "r", None))
    p.rule(ruler)
    lab_supply = rng.choice(["공급가액", "공급가", "과세금액", "물품가액"])
    lab_vat = rng.choice(["부가세", "부 가 세", "부가가치세", "세액"])
    lab_total = rng.choice(["합계", "합    계", "합계금액", "승인금액", "결제금액", "총 금 액"])
    if layout == "stacked" and rng.random() < 0.6:
        p.row((lab_supply, "l", None), (lab_vat, "r", None))
        p.row((money(total - vat), "l", None), (money(vat), "r", None))
        p.left(lab_total)
        p.row((money(total), "r", None, {"bold": True, "wide": 1.6, "tall": 1.3}))
    else:
        p.lr(lab_supply, money(total - vat))
        p.lr(lab_vat, money(vat))
        if rng.random() < 0.4:
            p.lr(rng.choice(["봉사료", "봉 사 료"]), money(0))
        big = rng.random() < 0.5
        p.lr(
            lab_total,
            money(total),
            lstyle={"bold": big},
            vstyle={"bold": big, "wide": 1.5 if big else 1.0, "spacing": rng.choice([0, 0, 8])},
        )
    p.rule(ruler)
    if layout != "compact":
        merchant_block()
        p.rule(ruler)
    if rng.random() < 0.5:
        p.left(rng.choice(["매입사: ", "매입사 "]) + rng.choice(CARD_COMPANIES[company][0]))
    p.center(rng.choice(["감사합니다", "이용해 주셔서 감사합니다", "서명 생략 (5만원 이하)", "서명"]))
    if rng.random() < 0.5:
        p.gap(1)
        p.left("서명 ___________________________")
    if rng.random() < 0.3:
        p.barcode(rng.randint(35, 55))
    return p.finish(t), t


def layout_cash_receipt(rng: random.Random) -> tuple[np.ndarray, dict]:
    t = empty_truth("cash_receipt")
    s = make_store(rng, "cash_receipt")
    store_truth(t, s)
    total = rng.choice([rng.randint(2, 90) * 1000, rng.randint(30, 900) * 100, rng.randint(10, 50) * 10_000])
    vat = vat_of(total)
    when = random_datetime(rng)
    when_s, when_iso = fmt_datetime(when, rng)
    approval = (
        str(rng.randint(100_000_000, 999_999_999))
        if rng.random() < 0.65
        else f"{rng.randint(0, 99_999_999):08d}"
    )
    t.update(total=total, vat=vat, supply_amount=total - vat, approval_no=approval, datetime=when_iso)
    money = Money(rng)
    p = new_printer(rng, narrow=rng.random() < 0.5)
    purpose = rng.choice(["소득공제", "지출증빙"])
    colon = rng.choice([":", " :", ""])
    ruler = rng.choice(["-", "=", "solid", "."])
    p.center(
        rng.choice(["현금영수증", "현 금 영 수 증", "[현금영수증]"]),
        bold=True,
        wide=rng.choice([1.0, 1.5, 1.8]),
        tall=rng.choice([1.0, 1.4]),
    )
    p.center(f"({purpose})" if rng.random() < 0.6 else f"현금({purpose})")
    p.rule(ruler)
    top = rng.random() < 0.5
    x2 = p.margin + int(p.size * 5.5)

    def merchant():
        p.row((f"상호{colon}", "l", None), (s.printed, "l", x2, {"bold": True}))
        p.row((f"사업자번호{colon}", "l", None), (s.biz_no, "l", x2))
        p.row((f"대표자{colon}", "l", None), (s.representative, "l", x2))
        p.row((f"전화번호{colon}", "l", None), (s.phone, "l", x2))
        p.wrap(f"주소{colon} {s.address}")

    if top:
        merchant()
        p.rule(ruler)
    p.row((f"거래일시{colon}", "l", None), (when_s, "l", x2))
    ident = rng.choice(
        [
            f"010-****-{rng.randint(0, 9999):04d}",
            f"010****{rng.randint(0, 9999):04d}",
            f"{rng.randint(100, 899)}-{rng.randint(10, 99)}-*****",
            "1234-****-****-5678",
        ]
    )
    p.row((f"식별번호{colon}", "l", None), (ident, "l", x2))
    if rng.random() < 0.5:
        p.left(f"승인번호{colon}")
        p.row((approval, "r", None, {"bold": True, "wide": 1.3}))
    else:
        p.row((f"승인번호{colon}", "l", None), (approval, "l", x2, {"bold": True}))
    p.row((f"거래구분{colon}", "l", None), (rng.choice(["승인거래", "현금승인", purpose]), "l", x2))
    p.rule(ruler)
    p.lr(rng.choice(["공급가액", "과세물품", "공급가"]), money(total - vat))
    p.lr(rng.choice(["부가세", "부 가 세", "세액"]), money(vat))
    p.lr(
        rng.choice(["합계", "합 계", "총금액", "거래금액"]),
        money(total),
        vstyle={"bold": True, "wide": rng.choice([1.0, 1.6])},
    )
    p.rule(ruler)
    if not top:
        merchant()
        p.rule(ruler)
    p.left("현금영수증 문의 : 국번없이 126")
    if rng.random() < 0.5:
        p.left("http://hometax.go.kr")
    return p.finish(t), t


def pick_items(rng: random.Random, pool: list, n: int) -> list[tuple]:
    chosen = rng.sample(pool, min(n, len(pool)))
    return chosen


def layout_pos(rng: random.Random, kind: str) -> tuple[np.ndarray, dict]:
    """POS receipts: mart (many items, 면세), restaurant, cafe."""
    t = empty_truth(kind)
    s = make_store(rng, kind)
    store_truth(t, s)
    items = []
    if kind == "mart":
        for name, price, free in pick_items(rng, MART_ITEMS, rng.randint(6, 22)):
            q = rng.choice([1, 1, 1, 1, 2, 2, 3, 4])
            items.append(
                {"name": name, "quantity": q, "unit_price": price, "amount": q * price, "free": free}
            )
    else:
        pool = CAFE_ITEMS if kind == "cafe" else RESTAURANT_ITEMS
        for name, price in pick_items(rng, pool, rng.randint(1, 7)):
            q = (
                rng.choice([1, 1, 1, 2, 2, 3, 4, 5])
                if kind == "restaurant"
                else rng.choice([1, 1, 2, 2, 3, 5])
            )
            items.append(
                {"name": name, "quantity": q, "unit_price": price, "amount": q * price, "free": False}
            )
    gross = sum(i["amount"] for i in items)
    taxfree = sum(i["amount"] for i in items if i["free"])
    discount = 0
    if rng.random() < 0.25 and gross - taxfree > 5000:
        discount = rng.choice([500, 1000, 1500, 2000, (gross - taxfree) // 10 // 100 * 100])
    service = 0
    if kind == "restaurant" and rng.random() < 0.15:
        service = (gross // 10) // 100 * 100
    total = gross - discount + service
    taxable = total - taxfree
    vat = vat_of(taxable)
    supply = None if taxfree else total - vat
    t.update(
        total=total,
        vat=vat,
        supply_amount=supply,
        items=[{k: i[k] for k in ("name", "quantity", "unit_price", "amount")} for i in items],
        discount=discount or None,
        service_charge=service or None,
    )
    when = random_datetime(rng)
    when_s, when_iso = fmt_datetime(when, rng)
    t["datetime"] = when_iso
    money = Money(rng)
    p = new_printer(rng, narrow=kind != "mart" and rng.random() < 0.5)
    ruler = rng.choice(["-", "=", "-", "solid", "."])

    # header
    if rng.random() < 0.5:
        p.center(rng.choice(["[영 수 증]", "영수증", "** 영수증 **", "[고객용]"]), bold=True)
    if rng.random() < 0.6:
        wide, tall = rng.choice([1.3, 1.6, 2.0]), rng.choice([1.3, 1.6, 2.0])
        if not p.logo(s, t):
            p.center(s.printed, bold=True, wide=wide, tall=tall)
    elif not p.logo(s, t):
        p.left(s.printed, bold=True, wide=1.3, tall=1.3)
    if rng.random() < 0.5:
        p.left(f"[사업자] {s.biz_no}" if rng.random() < 0.5 else f"사업자번호: {s.biz_no}")
        p.lr(f"대표: {s.representative}", f"TEL: {s.phone}")
    else:
        p.left(f"{s.biz_no}  {s.representative}")
        p.left(f"Tel. {s.phone}")
    p.wrap(s.address)
    pos_line = rng.choice(
        [f"[매출] {when_s}", f"판매일: {when_s}", when_s, f"{when_s}  POS:{rng.randint(1, 9):02d}"]
    )
    p.left(pos_line)
    if rng.random() < 0.5:
        p.left(f"영수증번호: {rng.randint(1, 9):02d}-{rng.randint(1, 9999):04d}   계산원: {person(rng)}")
    p.rule(ruler)

    # items
    style = (
        rng.choice(["two_line", "one_line", "qty_x"])
        if kind == "mart"
        else rng.choice(["one_line", "one_line", "qty_x"])
    )
    c_amount = p.right
    c_qty = p.right - int(p.size * 5.6)
    c_price = p.right - int(p.size * 8.6)
    if style == "qty_x":
        p.lr(rng.choice(["상품명", "메뉴", "품명"]), "금액")
    else:
        p.row(
            (rng.choice(["상 품 명", "상품명", "품명", "메뉴"]), "l", None),
            ("단가", "r", c_price),
            ("수량", "r", c_qty),
            ("금액", "r", c_amount),
        )
    p.rule(ruler)
    for n, it in enumerate(items, 1):
        mark = ("*" if rng.random() < 0.8 else "#") if it["free"] else ""
        name = mark + it["name"]
        nums_x = p.right - int(p.size * 12.5)
        if style == "two_line":
            p.left(f"{n:03d} {name}" if rng.random() < 0.7 else f"{n:02d} {name}")
            code = "880" + "".join(str(rng.randint(0, 9)) for _ in range(10))
            p.row(
                (code, "l", p.margin + p.size),
                (money(it["unit_price"], bare=True), "r", c_price),
                (str(it["quantity"]), "r", c_qty),
                (money(it["amount"], bare=True), "r", c_amount),
            )
        elif style == "one_line":
            if p.fits(name, nums_x - p.margin - p.size):
                p.row(
                    (name, "l", None),
                    (money(it["unit_price"], bare=True), "r", c_price),
                    (str(it["quantity"]), "r", c_qty),
                    (money(it["amount"], bare=True), "r", c_amount),
                )
            else:
                p.left(name)
                p.row(
                    (money(it["unit_price"], bare=True), "r", c_price),
                    (str(it["quantity"]), "r", c_qty),
                    (money(it["amount"], bare=True), "r", c_amount),
                )
        else:
            p.left(name)
            p.row(
                (f"{money(it['unit_price'], bare=True)} x {it['quantity']}", "l", p.margin + 2 * p.size),
                (money(it["amount"], bare=True), "r", None),
            )
    p.rule(ruler)
    if kind == "mart" and rng.random() < 0.6:
        p.lr("총 품목 수량", str(sum(i["quantity"] for i in items)))
    if discount:
        p.lr(rng.choice(["할인", "할인금액", "행사할인", "쿠폰할인"]), "-" + money(discount))
    if service:
        p.lr(rng.choice(["봉사료", "봉 사 료"]), money(service))
    if taxfree:
        p.lr(rng.choice(["(*)면세물품", "면세물품가액", "면 세 물 품"]), money(taxfree))
        p.lr(rng.choice(["과세물품가액", "과 세 물 품", "과세물품"]), money(taxable - vat))
    else:
        p.lr(rng.choice(["공급가액", "과세물품가액", "공 급 가 액", "과세금액"]), money(total - vat))
    p.lr(rng.choice(["부가세", "부  가  세", "부가세액", "VAT"]), money(vat))
    total_label = rng.choice(["합계", "합    계", "합계금액", "판매합계", "받을금액", "결제금액", "총 금 액"])
    if rng.random() < 0.3:
        p.left(total_label, bold=True)
        p.row((money(total), "r", None, {"bold": True, "wide": 1.8, "tall": 1.6}))
    else:
        p.lr(
            total_label,
            money(total),
            lstyle={"bold": True, "wide": 1.3},
            vstyle={"bold": True, "wide": rng.choice([1.0, 1.5, 2.0]), "spacing": rng.choice([0, 0, 6])},
        )
    p.rule(ruler)
    # payment
    if rng.random() < 0.65:
        company, printed_co, masked, inst, approval = card_details(rng)
        t.update(card_company=company, card_number=masked, installment=inst, approval_no=approval)
        p.lr("신용카드", money(total))
        if rng.random() < 0.5:
            p.center(rng.choice(["[신용카드 승인 내역]", "*** 신용승인정보 ***", "< 카드 승인 >"]))
        x2 = p.margin + int(p.size * 5.2)
        p.row(("카드사:", "l", None), (printed_co, "l", x2))
        p.row(("카드번호:", "l", None), (masked, "l", x2))
        p.row(("할부:", "l", None), (print_installment(inst, rng), "l", x2))
        if rng.random() < 0.25:
            p.row((f"[{approval}]", "l", None), (money(total), "r", None))
        else:
            p.row(("승인번호:", "l", None), (approval, "l", x2))
        p.lr("승인금액:", money(total))
    else:
        paid = ((total // 10000) + rng.randint(1, 3)) * 10000 if rng.random() < 0.6 else total
        p.lr(rng.choice(["현금", "받은금액", "받은돈"]), money(paid))
        p.lr(rng.choice(["거스름돈", "거스름", "잔돈"]), money(paid - total))
        if rng.random() < 0.5:
            approval = str(rng.randint(100_000_000, 999_999_999))
            t["approval_no"] = approval
            t["evidence_type"] = "receipt"
            p.center("[현금영수증]")
            p.lr("승인번호", approval)
            p.lr("식별번호", f"010-****-{rng.randint(0, 9999):04d}")
    p.rule(ruler)
    if rng.random() < 0.5:
        p.left(f"포인트 적립: {total // 100:,}P  누적: {rng.randint(1000, 30000):,}P")
    p.wrap(
        rng.choice(
            [
                "교환/환불은 영수증 지참 시 7일 이내 가능합니다.",
                "감사합니다. 또 오세요!",
                "*** 이용해 주셔서 감사합니다 ***",
                "주차는 2시간 무료입니다.",
                "영수증을 지참하시면 교환 및 환불이 가능합니다.",
            ]
        )
    )
    if rng.random() < 0.5:
        p.barcode(rng.randint(40, 60))
    return p.finish(t), t


def layout_simple(rng: random.Random) -> tuple[np.ndarray, dict]:
    """간이영수증: a printed form (red or blue lines) filled in by hand."""
    t = empty_truth("simple")
    s = make_store(rng, "simple")
    t.update(store_name=s.store_name, biz_no=s.biz_no, representative=s.representative, address=s.address)
    when = random_datetime(rng).replace(hour=0, minute=0, second=0)
    t["datetime"] = when.strftime("%Y-%m-%d")
    items = []
    for name, price in pick_items(rng, SIMPLE_ITEMS, rng.randint(1, 4)):
        q = rng.choice([1, 1, 1, 2, 3, 5, 10])
        items.append({"name": name, "quantity": q, "unit_price": price, "amount": q * price})
    total = sum(i["amount"] for i in items)
    t.update(total=total, items=items)
    has_phone = rng.random() < 0.4
    if has_phone:
        t["phone"] = s.phone

    W, H = 620, 1200
    paper = (rng.randint(246, 252), rng.randint(244, 250), rng.randint(236, 246))
    img = Image.new("RGB", (W, H), paper)
    d = ImageDraw.Draw(img)
    form_ink = rng.choice([(200, 40, 50), (40, 70, 170), (60, 60, 60)])
    pen_ink = rng.choice([(25, 40, 120), (20, 20, 30), (30, 30, 90)])
    ff = rng.choice(FORM_FONTS)
    hf = rng.choice(HAND_FONTS)
    fs = 19
    hs = rng.randint(26, 32)
    form = font(ff, fs)
    hand = font(hf, hs)

    def put(xy, text, f=form, fill=form_ink, anchor="la"):
        d.text(xy, text, font=f, fill=fill, anchor=anchor)

    def write(x, y, text, anchor="lm"):
        jx, jy = rng.uniform(-4, 4), rng.uniform(-4, 4)
        put((x + jx, y + jy), text, f=hand, fill=pen_ink, anchor=anchor)

    L, R = 30, W - 30
    put((W // 2, 40), "영   수   증", f=font(ff, 34), anchor="mm")
    put((W // 2, 75), "(공급받는자용)", anchor="mm")
    put((R - 40, 110), "귀하", anchor="rm")
    d.line([(L, 125), (R - 50, 125)], fill=form_ink, width=1)
    write(L + 20, 108, rng.choice(["", "", "총학생회", "동아리연합회", "청년부", "OO초 동창회"]))
    put((L, 140), "No.", anchor="la")
    y0 = 170
    rows = [
        ("사업자등록번호", s.biz_no),
        ("상       호", s.store_name),
        ("사업장소재지", s.address),
        ("업       태", rng.choice(["소매", "도소매", "서비스", "음식"])),
    ]
    rh = 52
    d.rectangle([L, y0, R, y0 + rh * 4], outline=form_ink, width=2)
    d.line([(L + 34, y0), (L + 34, y0 + rh * 4)], fill=form_ink, width=1)
    for i, ch in enumerate("공급자"):
        put((L + 17, y0 + 40 + i * 60), ch, anchor="mm")
    lx = L + 34
    vx = lx + 150
    for i, (lab, val) in enumerate(rows):
        yy = y0 + rh * i
        if i:
            d.line([(lx, yy), (R, yy)], fill=form_ink, width=1)
        put((lx + 8, yy + rh // 2), lab, anchor="lm")
        d.line([(vx, yy), (vx, yy + rh)], fill=form_ink, width=1)
        if lab.startswith("상"):
            sx = vx + 230
            d.line([(sx, yy), (sx, yy + rh)], fill=form_ink, width=1)
            put((sx + 10, yy + rh // 2), "성명", anchor="lm")
            d.line([(sx + 60, yy), (sx + 60, yy + rh)], fill=form_ink, width=1)
            write(vx + 10, yy + rh // 2, val)
            write(sx + 70, yy + rh // 2, s.representative)
            # the stamp
            cx, cy, r = sx + 150 + rng.randint(-10, 10), yy + rh // 2 + rng.randint(-6, 6), 24
            stamp = (205, 50, 50)
            d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=stamp, width=3)
            put((cx, cy), "인", f=font(ff, 20), fill=stamp, anchor="mm")
        elif lab.startswith("사업장"):
            if font(hf, hs).getlength(val) > R - vx - 20:
                f2 = font(hf, max(16, int(hs * (R - vx - 20) / font(hf, hs).getlength(val))))
                put((vx + 10, yy + rh // 2), val, f=f2, fill=pen_ink, anchor="lm")
            else:
                write(vx + 10, yy + rh // 2, val)
        elif lab.startswith("업"):
            sx = vx + 150
            d.line([(sx, yy), (sx, yy + rh)], fill=form_ink, width=1)
            put((sx + 10, yy + rh // 2), "종목", anchor="lm")
            write(vx + 10, yy + rh // 2, val)
            write(sx + 70, yy + rh // 2, rng.choice(["문구", "잡화", "꽃", "식품", "인쇄"]))
        else:
            write(vx + 10, yy + rh // 2, val)
    y1 = y0 + rh * 4
    # date / total row
    d.rectangle([L, y1, R, y1 + 90], outline=form_ink, width=2)
    mx = L + 200
    d.line([(mx, y1), (mx, y1 + 90)], fill=form_ink, width=1)
    d.line([(L, y1 + 35), (R, y1 + 35)], fill=form_ink, width=1)
    put((L + 100, y1 + 18), "작성년월일", anchor="mm")
    put(((mx + R) // 2, y1 + 18), "공급대가총액", anchor="mm")
    date_s = rng.choice(
        [
            f"{when:%Y. %m. %d.}",
            f"{when.year}.{when.month}.{when.day}",
            f"{when:%y}년 {when.month}월 {when.day}일",
            f"{when.year}년 {when.month}월 {when.day}일",
        ]
    )
    write(L + 12, y1 + 62, date_s)
    write(mx + 16, y1 + 62, rng.choice(["₩", "￦", ""]) + f"{total:,}" + rng.choice(["", "-", "원"]))
    y2 = y1 + 90
    put((W // 2, y2 + 22), "위 금액을 정히 영수(청구)함.", anchor="mm")
    y3 = y2 + 45
    cols = [L, L + 70, L + 250, L + 320, L + 430, R]
    heads = ["월일", "품목", "수량", "단가", "공급대가(금액)"]
    n_rows = max(6, len(items) + 2)
    d.rectangle([L, y3, R, y3 + 36 + 40 * n_rows + 40], outline=form_ink, width=2)
    for x in cols[1:-1]:
        d.line([(x, y3), (x, y3 + 36 + 40 * n_rows)], fill=form_ink, width=1)
    for i, h in enumerate(heads):
        put(((cols[i] + cols[i + 1]) // 2, y3 + 18), h, f=font(ff, 16 if len(h) > 4 else fs), anchor="mm")
    for r in range(n_rows + 1):
        d.line([(L, y3 + 36 + 40 * r), (R, y3 + 36 + 40 * r)], fill=form_ink, width=1)
    for r, it in enumerate(items):
        yy = y3 + 36 + 40 * r + 20
        write(cols[0] + 6, yy, f"{when.month}/{when.day}")
        write(cols[1] + 6, yy, it["name"])
        write(cols[3] - 10, yy, str(it["quantity"]), anchor="rm")
        write(cols[4] - 8, yy, f"{it['unit_price']:,}", anchor="rm")
        write(cols[5] - 8, yy, f"{it['amount']:,}", anchor="rm")
    yt = y3 + 36 + 40 * n_rows
    put(((cols[0] + cols[3]) // 2, yt + 20), "합        계", anchor="mm")
    write(cols[5] - 8, yt + 20, f"₩{total:,}", anchor="rm")
    yb = yt + 60
    put((L, yb), "부가가치세법시행규칙 제25조의 규정에 의한 (영수증)으로 개정", f=font(ff, 13))
    if has_phone:
        write(L, yb + 40, f"☎ {s.phone}" if font_has(hf, "☎") else f"TEL {s.phone}")
    img = img.crop((0, 0, W, min(H, yb + 90)))
    return np.asarray(img, dtype=np.uint8), t


BUYERS = [
    "한국대학교 총학생회",
    "서울대학교 공과대학 학생회",
    "새빛교회 청년부",
    "행복초등학교 총동문회",
    "새봄 산악회",
    "한마음 봉사단",
    "푸른숲 동아리연합회",
    "대한청소년수련회",
]
STATEMENT_ITEMS = [
    ("현수막(5m)", "5000x900", 45000),
    ("포스터 인쇄", "A2", 1500),
    ("리플렛", "A4 3단", 300),
    ("명찰 제작", "90x55", 1200),
    ("단체티셔츠", "L/XL", 12000),
    ("행사 음향 대여", "1식", 250000),
    ("무대 조명", "1식", 180000),
    ("생수 500ml", "20입", 7000),
    ("도시락", "정식", 8000),
    ("간식 세트", "1인", 4500),
    ("대관료", "4시간", 300000),
    ("버스 임차(45인승)", "1일", 550000),
    ("책자 인쇄", "B5 40p", 3500),
    ("트로피", "중", 35000),
    ("상장 용지", "A4", 500),
]
NUM_KO = "영일이삼사오육칠팔구"


def amount_in_words(n: int) -> str:
    """350000 -> 삼십오만; the 일금 …원정 line of Korean invoices."""
    out = []
    for unit, size in (("억", 10**8), ("만", 10**4), ("", 1)):
        part, n = divmod(n, size)
        if not part:
            continue
        words = ""
        for digit_unit, d in (("천", 1000), ("백", 100), ("십", 10), ("", 1)):
            k, part = divmod(part, d)
            if k:
                words += NUM_KO[k] + digit_unit
        out.append(words + unit)
    return "".join(out) or "영"


def layout_a4(rng: random.Random, kind: str) -> tuple[np.ndarray, dict]:
    """거래명세서 / 전자세금계산서: an A4 form printed from a computer; supplier and buyer side by side."""
    t = empty_truth(kind)
    s = make_store(rng, "card_slip")
    s.printed = s.store_name  # forms name the company, not the branch
    store_truth(t, s)
    t["branch"] = None
    items = []
    for name, spec, price in pick_items(rng, STATEMENT_ITEMS, rng.randint(1, 6)):
        q = rng.choice([1, 1, 2, 5, 10, 20, 50, 100]) if price < 20000 else 1
        items.append({"name": name, "quantity": q, "unit_price": price, "amount": q * price, "spec": spec})
    supply = sum(i["amount"] for i in items)
    taxes = [i["amount"] // 10 for i in items]
    vat = sum(taxes)
    total = supply + vat
    when = random_datetime(rng)
    t.update(
        total=total,
        supply_amount=supply,
        vat=vat,
        datetime=when.strftime("%Y-%m-%d"),
        items=[{k: i[k] for k in ("name", "quantity", "unit_price", "amount")} for i in items],
    )
    if kind == "tax_invoice":
        t["phone"] = None
        t["nts_approval_no"] = (
            f"{when:%Y%m%d}-{rng.randint(10, 99)}{rng.randint(0, 999999):06d}-{rng.randint(0, 99999999):08d}"
        )
    buyer = rng.choice(BUYERS)
    buyer_biz = make_biz_no(rng)
    buyer_rep = person(rng)
    buyer_addr, _ = address(rng)

    W, H = 1240, 1754
    img = Image.new("RGB", (W, H), (252, 252, 250))
    d = ImageDraw.Draw(img)
    base_font = rng.choice(
        [
            "nanum/NanumGothic.ttf",
            "baekmuk/gulim.ttf",
            "unfonts-core/UnDotum.ttf",
            "nanum/NanumBarunGothic.ttf",
        ]
    )
    line = rng.choice([(30, 30, 30), (200, 40, 50), (40, 70, 170)]) if kind == "tax_invoice" else (40, 40, 40)
    ink = (20, 20, 20)

    def f(size: int) -> ImageFont.FreeTypeFont:
        return font(base_font, size)

    def text(xy, s_, size=22, anchor="lm", fill=ink):
        d.text(xy, s_, font=f(size), fill=fill, anchor=anchor)

    def box(x0, y0, x1, y1, w=1):
        d.rectangle([x0, y0, x1, y1], outline=line, width=w)

    L, R = 70, W - 70
    y = 90
    if kind == "tax_invoice":
        copy = rng.choice(["공급자 보관용", "공급받는자 보관용"])
        text((W // 2 - 60, y), "전자세금계산서", 44, "mm", fill=line if line != (30, 30, 30) else ink)
        text((W // 2 + 150, y + 6), f"({copy})", 20, "lm")
        y += 60
        box(L, y, R, y + 40)
        text((R - 560, y + 20), "승인번호", 20, "lm")
        d.line([(R - 450, y), (R - 450, y + 40)], fill=line)
        text((R - 440, y + 20), t["nts_approval_no"], 20, "lm")
        y += 40
    else:
        text((W // 2, y), "거 래 명 세 서", 46, "mm")
        text((W // 2, y + 45), rng.choice(["(공급받는자 보관용)", "(공급자 보관용)"]), 20, "mm")
        y += 90
        text((L, y + 40), f"{when.year}년 {when.month}월 {when.day}일", 24, "lm")
        text((L, y + 90), f"{buyer}  귀하", 28, "lm")
        text((L, y + 140), "아래와 같이 계산합니다.", 20, "lm")
    # supplier (and buyer) boxes
    half = (L + R) // 2
    rows = [
        ("등록번호", s.biz_no),
        ("상    호", s.store_name),
        ("사업장주소", s.address),
        ("업    태", rng.choice(["제조", "서비스", "도소매", "음식"])),
        ("전화", s.phone),
    ]
    if kind == "tax_invoice":
        mailbox = rng.choice(["info", "sales", "print", "office"])
        rows[4] = ("이메일", f"{mailbox}@{rng.choice(['naver.com', 'daum.net', 'gmail.com'])}")
        sup_x0, sup_x1 = L, half
    else:
        sup_x0, sup_x1 = half - 40, R
    rh = 46
    by = y

    def party(x0, x1, y0, label, rows_, rep):
        box(x0, y0, x1, y0 + rh * len(rows_), 2)
        d.line([(x0 + 36, y0), (x0 + 36, y0 + rh * len(rows_))], fill=line)
        for i, ch in enumerate(label):
            text((x0 + 18, y0 + rh * len(rows_) * (i + 0.5) / len(label)), ch, 20, "mm")
        lx, vx = x0 + 36, x0 + 150
        for i, (lab, val) in enumerate(rows_):
            yy = y0 + rh * i
            if i:
                d.line([(lx, yy), (x1, yy)], fill=line)
            d.line([(vx, yy), (vx, yy + rh)], fill=line)
            text((lx + 8, yy + rh / 2), lab, 17)
            size = 20
            while (
                f(size).getlength(val) > (x1 - vx - 16 - (150 if lab.startswith("상") else 0)) and size > 12
            ):
                size -= 1
            text((vx + 8, yy + rh / 2), val, size)
            if lab.startswith("상"):
                sx = x1 - 150
                d.line([(sx, yy), (sx, yy + rh)], fill=line)
                d.line([(sx + 50, yy), (sx + 50, yy + rh)], fill=line)
                text((sx + 8, yy + rh / 2), "성명", 17)
                text((sx + 58, yy + rh / 2), rep, 20)
        return y0 + rh * len(rows_)

    end = party(sup_x0, sup_x1, by, "공급자", rows, s.representative)
    if kind == "tax_invoice":
        brows = [
            ("등록번호", buyer_biz),
            ("상    호", buyer),
            ("사업장주소", buyer_addr),
            ("업    태", "비영리"),
            ("이메일", "council@example.kr"),
        ]
        end = max(end, party(half, R, by, "공급받는자", brows, buyer_rep))
        y = end
        box(L, y, R, y + 80, 2)
        cols = [L, L + 260, L + 560, L + 820, R]
        for x in cols[1:-1]:
            d.line([(x, y), (x, y + 80)], fill=line)
        d.line([(L, y + 40), (R, y + 40)], fill=line)
        for (a, b), lab in zip(
            itertools.pairwise(cols), ["작성일자", "공급가액", "세액", "수정사유"], strict=False
        ):
            text(((a + b) / 2, y + 20), lab, 18, "mm")
        text((cols[0] + 10, y + 60), when.strftime(rng.choice(["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"])), 20)
        text((cols[2] - 10, y + 60), f"{supply:,}", 20, "rm")
        text((cols[3] - 10, y + 60), f"{vat:,}", 20, "rm")
        y += 80
    else:
        y = max(end, y + 160) + 20
        won_sign = "₩" if font_has(base_font, "₩") else "￦"
        text((L, y + 20), f"합계금액:  일금 {amount_in_words(total)}원정  ({won_sign}{total:,})", 26)
        y += 60
    # item table
    heads = (
        ["월", "일", "품목", "규격", "수량", "단가", "공급가액", "세액"]
        if kind == "tax_invoice"
        else ["No", "품목", "규격", "수량", "단가", "공급가액", "세액"]
    )
    widths = (
        [50, 50, 290, 160, 90, 140, 180, 140] if kind == "tax_invoice" else [60, 330, 170, 90, 150, 180, 120]
    )
    xs = [L]
    for wdt in widths:
        xs.append(xs[-1] + wdt)
    xs[-1] = R
    n_rows = max(len(items) + 1, rng.randint(5, 10))
    th = 44
    box(L, y, R, y + th * (n_rows + 1), 2)
    for x in xs[1:-1]:
        d.line([(x, y), (x, y + th * (n_rows + 1))], fill=line)
    for r in range(1, n_rows + 1):
        d.line([(L, y + th * r), (R, y + th * r)], fill=line)
    for i, h in enumerate(heads):
        text(((xs[i] + xs[i + 1]) / 2, y + th / 2), h, 18, "mm")
    for r, (it, tax) in enumerate(zip(items, taxes, strict=True)):
        yy = y + th * (r + 1) + th / 2
        if kind == "tax_invoice":
            vals = [
                f"{when.month:02d}",
                f"{when.day:02d}",
                it["name"],
                it["spec"],
                f"{it['quantity']:,}",
                f"{it['unit_price']:,}",
                f"{it['amount']:,}",
                f"{tax:,}",
            ]
        else:
            vals = [
                str(r + 1),
                it["name"],
                it["spec"],
                f"{it['quantity']:,}",
                f"{it['unit_price']:,}",
                f"{it['amount']:,}",
                f"{tax:,}",
            ]
        for i, v in enumerate(vals):
            numeric = bool(re.fullmatch(r"[\d,]+", v)) and heads[i] not in ("월", "일", "No")
            if numeric:
                text((xs[i + 1] - 8, yy), v, 19, "rm")
            else:
                text((xs[i] + 8, yy), v, 19)
    y += th * (n_rows + 1)
    if kind == "tax_invoice":
        box(L, y, R, y + 80, 2)
        cols = [L, L + 200, L + 360, L + 520, L + 680, L + 860, R]
        for x in cols[1:-1]:
            d.line([(x, y), (x, y + 80)], fill=line)
        d.line([(L, y + 40), (cols[-2], y + 40)], fill=line)
        for (a, b), lab in zip(
            itertools.pairwise(cols), ["합계금액", "현금", "수표", "어음", "외상미수금"], strict=False
        ):
            text(((a + b) / 2, y + 20), lab, 18, "mm")
        text((cols[1] - 10, y + 60), f"{total:,}", 20, "rm")
        if rng.random() < 0.5:
            text((cols[5] - 10, y + 60), f"{total:,}", 20, "rm")
            claim = "청구"
        else:
            text((cols[2] - 10, y + 60), f"{total:,}", 20, "rm")
            claim = "영수"
        text(((cols[5] + R) / 2, y + 40), f"이 금액을 ({claim}) 함", 20, "mm")
        y += 100
    else:
        box(L, y, R, y + 50, 2)
        third = (R - L) // 3
        for k in (1, 2):
            d.line([(L + k * third, y), (L + k * third, y + 50)], fill=line)
        text((L + 10, y + 25), f"공급가액  {supply:,}", 20)
        text((L + third + 10, y + 25), f"세액  {vat:,}", 20)
        text((L + 2 * third + 10, y + 25), f"합계  {total:,}", 20)
        y += 80
        text((R - 300, y + 20), "인수자                (인)", 20)
        y += 60
    t["_text_px"] = 20  # the whole A4 sheet is photographed, blank lower half included
    return np.asarray(img, dtype=np.uint8), t


# ----------------------------------------------------------------------------------------------------------
# photographing


def lowfreq(nrng: np.random.Generator, h: int, w: int, cells: int = 6) -> np.ndarray:
    small = nrng.random((cells, max(2, round(cells * w / max(h, 1)))), dtype=np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def background(nrng: np.random.Generator, rng: random.Random, h: int, w: int, kind: str) -> np.ndarray:
    if kind == "wood":
        base = np.array([rng.randint(110, 170), rng.randint(75, 115), rng.randint(40, 70)], np.float32)
        streaks = cv2.resize(
            nrng.random((max(2, h // 3), 6), dtype=np.float32), (w, h), interpolation=cv2.INTER_CUBIC
        )
        waves = np.sin(
            np.arange(h, dtype=np.float32)[:, None] / rng.uniform(3, 9) + 4 * lowfreq(nrng, h, w, 4)
        )
        tex = (streaks - 0.5) * 30 + waves * 5 + lowfreq(nrng, h, w, 8) * 24 - 12
        img = base[None, None, :] + tex[..., None]
    elif kind == "laminate":
        g = rng.randint(170, 225)
        base = np.array([g, g - rng.randint(0, 8), g - rng.randint(0, 15)], np.float32)
        img = base[None, None, :] + (lowfreq(nrng, h, w, 5) * 25 - 12)[..., None]
    elif kind == "dark":
        g = rng.randint(30, 70)
        base = np.array([g, g + rng.randint(0, 10), g + rng.randint(0, 20)], np.float32)
        img = base[None, None, :] + (lowfreq(nrng, h, w, 5) * 20)[..., None]
    elif kind == "cloth":
        g = rng.randint(70, 190)
        base = np.array(
            [g + rng.randint(-25, 25), g + rng.randint(-20, 20), g + rng.randint(-25, 25)], np.float32
        )
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        weave = (np.sin(xx * 1.3) + np.sin(yy * 1.3)) * 6
        img = base[None, None, :] + weave[..., None] + (lowfreq(nrng, h, w, 6) * 20)[..., None]
    else:  # scanner
        g = rng.randint(228, 245)
        img = np.full((h, w, 3), g, np.float32)
    img = img + nrng.normal(0, 3, img.shape).astype(np.float32)
    return np.clip(img, 0, 255)


def paper_from_ink(
    ink: np.ndarray, rng: random.Random, nrng: np.random.Generator, fade: float | None
) -> np.ndarray:
    """Thermal paper RGB from an ink mask; fade < 1 lightens the print unevenly, with streaks."""
    h, w = ink.shape
    a = ink.astype(np.float32) / 255.0
    strength = np.full((h, w), rng.uniform(0.85, 0.97), np.float32)
    if fade is not None:
        field = fade + (1 - fade) * 0.6 * lowfreq(nrng, h, w, 5)
        streaks = np.ones(w, np.float32)
        for _ in range(rng.randint(0, 4)):
            x = rng.randint(0, w - 4)
            streaks[x : x + rng.randint(1, 6)] *= rng.uniform(0.2, 0.7)
        strength = strength * field * streaks[None, :]
    paper = np.array([rng.randint(240, 252), rng.randint(239, 250), rng.randint(232, 246)], np.float32)
    ink_col = np.array([rng.randint(10, 45)] * 3, np.float32)
    k = (a * strength)[..., None]
    img = paper[None, None, :] * (1 - k) + ink_col[None, None, :] * k
    img += nrng.normal(0, 2.0, img.shape).astype(np.float32)
    return np.clip(img, 0, 255).astype(np.uint8)


def printer_dots(ink: np.ndarray, dot: float) -> np.ndarray:
    """Thermal heads print a grid of dots: requantise the ink onto it (jagged strokes, stepped curves)."""
    h, w = ink.shape
    small = cv2.resize(ink, (max(1, round(w / dot)), max(1, round(h / dot))), interpolation=cv2.INTER_AREA)
    on = np.where(small >= 100, 255, 0).astype(np.uint8)
    big = cv2.resize(on, (w, h), interpolation=cv2.INTER_NEAREST)
    return cv2.GaussianBlur(big, (0, 0), 0.35 * dot)  # dots bleed a little into the paper


def torn_mask(rng: random.Random, h: int, w: int) -> np.ndarray:
    mask = np.full((h, w), 255, np.uint8)
    for edge in ("top", "bottom"):
        if rng.random() < 0.6:
            pts = []
            x = 0
            while x <= w:
                pts.append((x, rng.randint(0, 7)))
                x += rng.randint(6, 14)
            pts.append((w, 0))
            poly = [(px, py) for px, py in pts] + [(w, 0), (0, 0)]
            arr = np.array(poly, np.int32)
            if edge == "bottom":
                arr[:, 1] = h - 1 - arr[:, 1]
            cv2.fillPoly(mask, [arr], 0)
    return mask


def bend_paper(
    paper: np.ndarray, mask: np.ndarray, rng: random.Random, deg: dict
) -> tuple[np.ndarray, np.ndarray]:
    """Paper is not flat: a receipt keeps the curl of its roll and the crease where it was folded."""
    h, w = mask.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    map_x, map_y = xx.copy(), yy.copy()
    shade = np.ones((h, w), np.float32)
    if rng.random() < 0.6:
        # text lines bow a little (paper held at the sides / curled across)
        amp = rng.uniform(0.004, 0.02) * w * rng.choice([-1, 1])
        u = 2 * xx / w - 1
        map_y = map_y + amp * (u * u - 1 / 3)
        deg["curl"] = round(float(amp) / w, 4)
    if rng.random() < 0.35:
        # a crease: the lower part slightly shifted and tilted, shading along the fold
        y0 = rng.uniform(0.25, 0.75) * h
        shift = rng.uniform(1, 4) * rng.choice([-1, 1])
        below = 1 / (1 + np.exp(np.clip(-(yy - y0) / 3, -50, 50)))
        map_x = map_x - shift * below
        d = rng.uniform(0.05, 0.15)
        shade *= (
            1 - d * np.exp(-(((yy - y0) / 4) ** 2)) + 0.5 * d * np.tanh((yy - y0) / 25) * rng.choice([-1, 1])
        )
        deg["fold"] = round(float(y0) / h, 3)
    if "curl" not in deg and "fold" not in deg:
        return paper, mask
    bent = cv2.remap(paper, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    bent = np.clip(bent.astype(np.float32) * shade[..., None], 0, 255).astype(np.uint8)
    bmask = cv2.remap(mask, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    return bent, bmask


def photograph(
    paper: np.ndarray,
    rng: random.Random,
    nrng: np.random.Generator,
    clean: bool,
    severity: str,
    torn: bool = True,
    text_px: int = 40,
) -> tuple[Image.Image, dict]:
    """Lay the paper on a table and take a phone photo of it. text_px: the paper's font size in pixels."""
    deg: dict = {"clean": clean, "severity": None if clean else severity}
    ph, pw = paper.shape[:2]
    tall_paper = ph / pw > 2.3
    long_side = rng.choice([1280, 1440, 1600]) if not tall_paper else rng.choice([1800, 2000, 2200])
    aspect = 9 / 16 if tall_paper and rng.random() < 0.6 else 3 / 4
    H, W = long_side, int(long_side * aspect)
    bg_kind = "scanner" if clean else rng.choice(["wood", "wood", "laminate", "laminate", "dark", "cloth"])
    deg["background"] = bg_kind
    fill = rng.uniform(0.86, 0.95) if clean else rng.uniform(0.7, 0.92)
    s = min(fill * H / ph, 0.9 * W / pw)
    pw2, ph2 = max(8, round(pw * s)), max(8, round(ph * s))
    small = cv2.resize(paper, (pw2, ph2), interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_CUBIC)
    edge = torn_mask(rng, ph, pw) if torn else np.full((ph, pw), 255, np.uint8)
    mask = cv2.resize(edge, (pw2, ph2), interpolation=cv2.INTER_AREA)
    deg["paper_scale"] = round(s, 3)
    if not clean:
        small, mask = bend_paper(small, mask, rng, deg)

    angle = 0.0 if clean else rng.triangular(-10, 10, 0) * (0.5 if severity == "mild" else 1.0)
    persp = 0.0 if clean or rng.random() < 0.25 else rng.uniform(0.01, 0.04 if severity == "mild" else 0.08)
    deg["rotation"] = round(angle, 2)
    deg["perspective"] = round(persp, 3)
    src = np.array([[0, 0], [pw2, 0], [pw2, ph2], [0, ph2]], np.float32)
    c = src - np.array([pw2 / 2, ph2 / 2], np.float32)
    if persp:
        # keystone: one edge closer to the camera, plus jitter
        k = persp * rng.choice([-1, 1])
        c[0, 0] *= 1 - k
        c[1, 0] *= 1 - k
        c[2, 0] *= 1 + k
        c[3, 0] *= 1 + k
        c += np.array(
            [[rng.uniform(-1, 1) * persp * pw2, rng.uniform(-1, 1) * persp * ph2] for _ in range(4)],
            np.float32,
        )
    th = math.radians(angle)
    rot = np.array([[math.cos(th), -math.sin(th)], [math.sin(th), math.cos(th)]], np.float32)
    c = c @ rot.T
    span = c.max(0) - c.min(0)
    shrink = min(1.0, 0.96 * W / span[0], 0.96 * H / span[1])
    c *= shrink
    span = c.max(0) - c.min(0)
    room = np.array([W, H], np.float32) - span
    off = -c.min(0) + np.array([rng.uniform(0.2, 0.8) * room[0], rng.uniform(0.2, 0.8) * room[1]], np.float32)
    dst = (c + off).astype(np.float32)
    M = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(small, M, (W, H), flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0))
    alpha = (
        cv2.warpPerspective(mask, M, (W, H), flags=cv2.INTER_LINEAR, borderValue=0).astype(np.float32) / 255
    )

    img = background(nrng, rng, H, W, bg_kind)
    if not clean:  # paper's drop shadow
        sh = cv2.GaussianBlur(alpha, (0, 0), rng.uniform(4, 12))
        dx, dy = rng.randint(-8, 8), rng.randint(2, 12)
        sh = np.roll(np.roll(sh, dy, 0), dx, 1)
        img *= (1 - 0.45 * sh)[..., None]
    img = img * (1 - alpha[..., None]) + warped.astype(np.float32) * alpha[..., None]

    if not clean:
        light = np.ones((H, W), np.float32)
        if rng.random() < (0.5 if severity == "mild" else 0.8):
            strength = rng.uniform(0.1, 0.25 if severity == "mild" else 0.45)
            ang = rng.uniform(0, 2 * math.pi)
            yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
            g = ((xx / W - 0.5) * math.cos(ang) + (yy / H - 0.5) * math.sin(ang)) + 0.5
            light *= 1 - strength * np.clip(g, 0, 1)
            r = np.sqrt((xx / W - 0.5) ** 2 + (yy / H - 0.5) ** 2)
            light *= 1 - 0.25 * strength * r
            deg["uneven_light"] = round(strength, 3)
        if rng.random() < (0.2 if severity == "mild" else 0.5):
            # a soft shadow cast from one side (hand or phone)
            sm = np.zeros((H, W), np.uint8)
            side = rng.choice(["left", "right", "top", "bottom"])
            a, b = rng.uniform(0.15, 0.5), rng.uniform(0.15, 0.5)
            if side == "left":
                poly = [(0, 0), (int(a * W), 0), (int(b * W), H), (0, H)]
            elif side == "right":
                poly = [(W, 0), (W - int(a * W), 0), (W - int(b * W), H), (W, H)]
            elif side == "top":
                poly = [(0, 0), (W, 0), (W, int(a * H)), (0, int(b * H))]
            else:
                poly = [(0, H), (W, H), (W, H - int(a * H)), (0, H - int(b * H))]
            cv2.fillPoly(sm, [np.array(poly, np.int32)], 255)
            smf = cv2.GaussianBlur(sm.astype(np.float32) / 255, (0, 0), rng.uniform(15, 40))
            depth = rng.uniform(0.25, 0.5)
            light *= 1 - depth * smf
            deg["shadow"] = {"side": side, "depth": round(depth, 3)}
        img *= light[..., None]
        if rng.random() < 0.15:
            # glare: a washed-out spot where a lamp reflects off glossy thermal paper
            gx, gy = rng.uniform(0.25, 0.75) * W, rng.uniform(0.2, 0.8) * H
            sig = rng.uniform(0.05, 0.12) * W
            g = rng.uniform(0.2, 0.4 if severity == "mild" else 0.6)
            yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
            blob = g * np.exp(-((xx - gx) ** 2 + (yy - gy) ** 2) / (2 * sig * sig)) * alpha
            img = img + 255 * blob[..., None]
            deg["glare"] = round(g, 3)
        # warm/cool colour cast of indoor light
        cast = np.array([rng.uniform(0.93, 1.05), 1.0, rng.uniform(0.88, 1.04)], np.float32)
        img *= cast[None, None, :]

        if rng.random() < {"mild": 0.35, "medium": 0.6, "hard": 0.9}[severity]:
            if rng.random() < 0.7:
                sigma = rng.uniform(0.5, {"mild": 1.0, "medium": 1.6, "hard": 2.2}[severity])
                img = cv2.GaussianBlur(img, (0, 0), sigma)
                deg["blur"] = {"type": "gaussian", "sigma": round(sigma, 2)}
            else:
                ln = rng.randint(3, {"mild": 5, "medium": 7, "hard": 11}[severity])
                ang = rng.uniform(0, 180)
                kern = np.zeros((ln, ln), np.float32)
                kern[ln // 2, :] = 1
                kern = cv2.warpAffine(
                    kern, cv2.getRotationMatrix2D((ln / 2 - 0.5, ln / 2 - 0.5), ang, 1), (ln, ln)
                )
                kern /= kern.sum()
                img = cv2.filter2D(img, -1, kern)
                deg["blur"] = {"type": "motion", "length": ln, "angle": round(ang, 1)}
        if rng.random() < {"mild": 0.4, "medium": 0.7, "hard": 0.9}[severity]:
            sigma = rng.uniform(2, {"mild": 5, "medium": 9, "hard": 14}[severity])
            img = img + nrng.normal(0, sigma, img.shape).astype(np.float32)
            deg["noise_sigma"] = round(sigma, 2)
    out = np.clip(img, 0, 255).astype(np.uint8)
    if not clean and rng.random() < {"mild": 0.1, "medium": 0.25, "hard": 0.5}[severity]:
        f = rng.uniform(720, 1000) / max(W, H)  # a messenger-compressed photo: 720-1000 px long side
        f = max(f, 13 / (text_px * s))  # but with letters at least ~13 px high
        if f < 0.95:
            out = cv2.resize(out, (round(W * f), round(H * f)), interpolation=cv2.INTER_AREA)
            deg["low_res"] = round(f, 3)
    deg["text_px"] = round(text_px * s * deg.get("low_res", 1.0), 1)  # font size in the photo, pixels
    pil = Image.fromarray(out, "RGB")
    quality = 88 if clean else rng.randint(20, 60)
    deg["size"] = list(pil.size)
    data = encode_jpeg(pil, quality)
    deg["jpeg_quality"] = data[1]
    return data[0], deg


def encode_jpeg(img: Image.Image, quality: int) -> tuple[Image.Image, int]:
    """JPEG-compress (the artefacts are part of the sample); lower the quality until it fits the size cap."""
    while True:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=quality, optimize=True)
        if buf.tell() <= MAX_JPEG_BYTES or quality <= 15:
            break
        quality -= 5
    buf.seek(0)
    out = Image.open(buf)
    out.load()
    out.info["chongmu_jpeg"] = buf.getvalue()
    return out, quality


# ----------------------------------------------------------------------------------------------------------
# the set


def schedule(seed: int) -> list[str]:
    kinds = [k for k, n in KIND_COUNTS.items() for _ in range(n)]
    random.Random(seed).shuffle(kinds)
    extra = [k for k, n in EXTRA_KIND_COUNTS.items() for _ in range(n)]
    random.Random(seed + 1).shuffle(extra)
    return kinds + extra


def make_sample(index: int, seed: int = DEFAULT_SEED) -> tuple[str, bytes, dict]:
    """(file stem, JPEG bytes, ground truth) of sample `index` (1-based)."""
    kinds = schedule(seed)
    kind = kinds[(index - 1) % len(kinds)]
    rng = random.Random(f"{seed}-{index}")
    nrng = np.random.default_rng([seed, index])
    global _AUX
    _AUX = random.Random(f"{seed}-{index}-aux")
    clean = rng.random() < 0.1
    severity = rng.choices(["mild", "medium", "hard"], weights=[45, 40, 15])[0]
    if kind == "card_slip":
        ink, truth = layout_card_slip(rng)
    elif kind == "cash_receipt":
        ink, truth = layout_cash_receipt(rng)
    elif kind == "simple":
        ink, truth = layout_simple(rng)
    elif kind in ("statement", "tax_invoice"):
        ink, truth = layout_a4(rng, kind)
    else:
        ink, truth = layout_pos(rng, kind)
    fade = None
    text_px = truth.pop("_text_px", 28)
    logo = truth.pop("_logo", None)
    dots = None
    if ink.ndim == 2 and _AUX.random() < 0.5:
        dots = round(text_px / _AUX.choice([20, 24, 24]), 2)  # a 24-dot-high bitmap font on most POS printers
        ink = printer_dots(ink, dots)
    if ink.ndim == 2:
        if not clean and rng.random() < 0.35:
            fade = round(rng.uniform(0.35, 0.75), 3)
        paper = paper_from_ink(ink, rng, nrng, fade)
    else:
        paper = ink
    img, deg = photograph(paper, rng, nrng, clean, severity, torn=ink.ndim == 2, text_px=text_px)
    if fade is not None:
        deg["thermal_fade"] = fade
    if logo:
        deg["logo"] = logo
    if dots:
        deg["printer_dot_px"] = dots
    truth["kind"] = kind
    truth["degradations"] = deg
    stem = f"{index:03d}_{kind}"
    return stem, img.info["chongmu_jpeg"], truth


def truth_json(truth: dict) -> str:
    return json.dumps(truth, ensure_ascii=False, indent=2) + "\n"


def write_sample(index: int, out: Path, seed: int = DEFAULT_SEED) -> Path:
    stem, jpeg, truth = make_sample(index, seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{stem}.jpg").write_bytes(jpeg)
    (out / f"{stem}.json").write_text(truth_json(truth), encoding="utf-8")
    return out / f"{stem}.jpg"


# ----------------------------------------------------------------------------------------------------------
# special files for the upload feature's bad-input tests


def write_special(out: Path, seed: int = DEFAULT_SEED) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    notes = []
    # 1. a receipt photo shot sideways: pixels stored rotated, EXIF Orientation says how to show it
    stem, jpeg, truth = make_sample(3, seed)
    photo = Image.open(io.BytesIO(jpeg)).convert("RGB")
    sideways = photo.transpose(Image.Transpose.ROTATE_90)  # as the sensor stored it
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° CW to display
    exif[0x010F] = "Apple"
    exif[0x0110] = "iPhone 15"
    try:
        import pillow_heif

        pillow_heif.register_heif_opener()
        sideways.save(out / "sideways_receipt.heic", format="HEIF", quality=60, exif=exif.tobytes())
        notes.append("sideways_receipt.heic")
    except Exception as exc:  # pragma: no cover - depends on libheif's encoder
        notes.append(f"HEIC not written: {exc}")
    sideways.save(out / "sideways_receipt.jpg", "JPEG", quality=70, exif=exif.tobytes())
    (out / "sideways_receipt.json").write_text(
        truth_json({**truth, "source": f"receipts/{stem}.jpg", "exif_orientation": 6}), encoding="utf-8"
    )
    notes.append("sideways_receipt.jpg")
    # 2. a two-page PDF, one receipt per page
    pages, truths = [], []
    for idx in (1, 2):
        st, jp, tr = make_sample(idx, seed)
        pages.append(Image.open(io.BytesIO(jp)).convert("RGB"))
        truths.append({**tr, "source": f"receipts/{st}.jpg"})
    fixed = time.gmtime(1795694400)  # 2026-11-26 12:00 UTC, not the wall clock: same seed, same bytes
    pages[0].save(
        out / "two_receipts.pdf",
        "PDF",
        resolution=150,
        save_all=True,
        append_images=pages[1:],
        creationDate=fixed,
        modDate=fixed,
        producer="tests/samples/generate.py",
    )
    (out / "two_receipts.json").write_text(
        json.dumps({"pages": truths}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    notes.append("two_receipts.pdf")
    # 3. a photo with no text: an empty table
    rng = random.Random(f"{seed}-notext")
    nrng = np.random.default_rng([seed, 10_000])
    bg = background(nrng, rng, 1280, 960, "wood").astype(np.uint8)
    blank = Image.fromarray(bg, "RGB").filter(ImageFilter.GaussianBlur(1.2))
    blank.save(out / "no_text.jpg", "JPEG", quality=60)
    notes.append("no_text.jpg")
    return notes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--count", type=int, default=sum(KIND_COUNTS.values()) + sum(EXTRA_KIND_COUNTS.values()))
    ap.add_argument("--only", type=str, default=None, help="comma-separated indices (1-based)")
    ap.add_argument("--out", type=Path, default=RECEIPTS_DIR)
    ap.add_argument("--special", action="store_true", help="write tests/samples/special/ instead")
    args = ap.parse_args(argv)
    if args.special:
        for n in write_special(SPECIAL_DIR if args.out == RECEIPTS_DIR else args.out, args.seed):
            print(n)
        return 0
    indices = [int(x) for x in args.only.split(",")] if args.only else range(1, args.count + 1)
    for i in indices:
        path = write_sample(i, args.out, args.seed)
        print(f"{path}  {path.stat().st_size // 1024} KB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
