"""Store names: which reading of a header line looks like a shop's name, and known names to snap to.

OCR of a receipt's header often gives several readings of one line ("다이소 경북대점" from our CRNN, "Gos"
from rapidocr, "DAISO" printed as a logo). Scoring the readings, comparing Hangul by its letters (jamo:
"꽃십" is one letter away from "꽃집") and snapping to well-known franchise names and common trade words
turns most of them into the name a treasurer would type.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

# Franchises a Korean club's receipts are full of: the Korean name, then how a logo may print it.
BRANDS: dict[str, tuple[str, ...]] = {
    "스타벅스": ("STARBUCKS",),
    "투썸플레이스": ("A TWOSOME PLACE", "TWOSOME PLACE"),
    "이디야커피": ("EDIYA COFFEE", "EDIYA"),
    "메가MGC커피": ("MEGA COFFEE", "MEGA MGC COFFEE"),
    "빽다방": ("PAIK'S COFFEE", "PAIKS COFFEE"),
    "할리스": ("HOLLYS", "HOLLYS COFFEE"),
    "컴포즈커피": ("COMPOSE COFFEE",),
    "폴바셋": ("Paul Bassett",),
    "커피빈": ("The Coffee Bean", "COFFEE BEAN"),
    "파스쿠찌": ("PASCUCCI",),
    "엔제리너스": ("ANGELINUS",),
    "탐앤탐스": ("TOM N TOMS",),
    "공차": ("GONG CHA",),
    "더벤티": ("THE VENTI",),
    "매머드커피": ("MAMMOTH COFFEE",),
    "GS25": ("GS25",),
    "CU": ("CU",),
    "세븐일레븐": ("7-ELEVEn", "7-ELEVEN", "7ELEVEN"),
    "이마트24": ("emart24",),
    "미니스톱": ("MINISTOP",),
    "이마트": ("emart", "E-MART"),
    "홈플러스": ("Homeplus",),
    "홈플러스 익스프레스": ("Homeplus Express",),
    "롯데마트": ("LOTTE Mart",),
    "농협하나로마트": (),
    "하나로마트": (),
    "노브랜드": ("no brand",),
    "트레이더스": ("TRADERS",),
    "코스트코": ("COSTCO",),
    "다이소": ("DAISO",),
    "올리브영": ("OLIVE YOUNG",),
    "교보문고": ("KYOBO",),
    "영풍문고": ("YPBOOKS",),
    "교촌치킨": ("KYOCHON",),
    "BBQ치킨": ("BBQ",),
    "BHC치킨": ("BHC",),
    "굽네치킨": ("GOOBNE",),
    "맘스터치": ("MOM'S TOUCH",),
    "롯데리아": ("LOTTERIA",),
    "맥도날드": ("McDonald's", "McDonalds"),
    "버거킹": ("BURGER KING",),
    "파리바게뜨": ("PARIS BAGUETTE",),
    "뚜레쥬르": ("TOUS les JOURS",),
    "배스킨라빈스": ("baskin robbins",),
    "던킨": ("DUNKIN",),
    "설빙": ("SULBING",),
    "홍콩반점0410": (),
    "본죽": (),
    "김밥천국": (),
    "한솥도시락": (),
    "이삭토스트": ("ISAAC TOAST",),
    "도미노피자": ("DOMINO'S PIZZA", "DOMINOS"),
    "피자헛": ("Pizza Hut",),
    "서브웨이": ("SUBWAY",),
    "CGV": ("CGV",),
    "메가박스": ("MEGABOX",),
    "롯데시네마": ("LOTTE CINEMA",),
}

# Trade words that end a shop's name; a misread ending one letter away is snapped back.
SUFFIXES = (
    "마트", "슈퍼", "편의점", "식당", "분식", "김밥", "반점", "갈비", "치킨", "피자", "족발", "국밥", "포차",
    "주점", "호프", "카페", "커피", "다방", "베이커리", "제과", "떡집", "꽃집", "플라워", "수산", "정육점",
    "문구", "인쇄", "기획", "광고", "현수막", "컨벤션", "웨딩홀", "PC방", "노래연습장", "노래방", "약국",
    "푸드", "관광", "여행사", "렌트카", "철물", "전자", "스포츠", "기념품", "상회", "상사", "유통", "서점",
)  # fmt: skip

_SUFFIX_JAMO = sorted(((s, unicodedata.normalize("NFD", s)) for s in SUFFIXES), key=lambda x: -len(x[0]))
HANGUL = re.compile(r"[\uac00-\ud7a3]")
_JUNK = re.compile(r"[^\w\s()&.\-·'+]|_")
TITLES = (
    "영수증",
    "신용카드매출전표",
    "매출전표",
    "카드매출전표",
    "현금영수증",
    "간이영수증",
    "거래명세서",
    "세금계산서",
)


def jamo(text: str) -> str:
    """Hangul syllables as their letters (NFD): similar-looking misreadings stay close."""
    return unicodedata.normalize("NFD", text)


def jamo_similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, jamo(a), jamo(b), autojunk=False).ratio()


def name_letters(text: str) -> str:
    """Letters and digits only, lower-cased: what a comparison of names looks at."""
    return re.sub(r"[^0-9A-Za-z가-힣]", "", text).lower()


def is_title(text: str) -> bool:
    """A receipt's title, also misread: "영수증", "엄수증", "영 수 중"."""
    t = name_letters(text)
    if re.match(r"영\s?수", text.strip(" [](")):
        return len(t) <= 5  # "영수 8)": its last syllable lost
    return 2 <= len(t) <= 10 and any(jamo_similarity(t, x) >= 0.75 for x in TITLES)


def known_brand(name: str) -> str | None:
    """The franchise a (misread) name or logo stands for: "세븐일레본" → 세븐일레븐, "DAISO" → 다이소."""
    brand, score = brand_match(name)
    need = 0.86 if len(name_letters(name)) <= 2 else 0.8
    return brand if score >= need else None


def brand_prefix(name: str) -> int | None:
    """Where a known brand ends in a name written without a space before its branch ("파스쿠찌강남역점"
    → 4): the closest brand, the longer prefix when equally close."""
    splits = [k for k in range(2, len(name) - 1) if known_brand(name[:k])]
    if not splits:
        return None
    return max(splits, key=lambda k: (brand_match(name[:k])[1], k))


def brand_match(name: str) -> tuple[str | None, float]:
    """The closest franchise name and how close it is (0..1)."""
    t = name_letters(name)
    if len(t) < 2:
        return None, 0.0
    best, score = None, 0.0
    for brand, latin in BRANDS.items():
        bt = name_letters(brand)
        s = jamo_similarity(t, bt) if HANGUL.search(t) else 0.0
        if not HANGUL.search(t):
            # a logo: exact for short ones (CU, GS25), close for long ones
            for alias in (brand, *latin):
                at = name_letters(alias)
                if len(at) <= 4:
                    s = max(s, 1.0 if t == at else 0.0)
                else:
                    s = max(s, difflib.SequenceMatcher(None, t, at).ratio())
        if s > score:
            best, score = brand, s
    return best, score


def snap_suffix(name: str) -> str:
    """ "미래꽃십" → 미래꽃집, "원조킨벤선" → 원조컨벤션: a misread trade word at the end of a name."""
    compact = name.replace(" ", "")
    if not HANGUL.search(compact[-1:]):
        return name
    for word, word_j in _SUFFIX_JAMO:
        if len(compact) <= len(word) or compact.endswith(word):
            if compact.endswith(word):
                return name
            continue
        tail = compact[-len(word) :]
        need = 0.75 if len(word) >= 3 else 0.8  # "킨벤선" is two letters from "컨벤션"
        if difflib.SequenceMatcher(None, jamo(tail), word_j, autojunk=False).ratio() >= need:
            return compact[: -len(word)] + word
    return name


def name_score(text: str) -> float:
    """How much a reading looks like a shop's name (higher is better; below 1 it is no name)."""
    t = text.strip()
    if not t:
        return 0.0
    hangul = len(HANGUL.findall(t))
    latin = len(re.findall(r"[A-Za-z]", t))
    digits = len(re.findall(r"\d", t))
    junk = len(_JUNK.findall(t))
    # a name is short: more than 6 syllables adds nothing (a label and a person's name read on with it)
    score = min(hangul, 6) * 1.0 + latin * 0.25 - digits * 0.3 - junk * 1.5
    if known_brand(re.sub(r"\s*\S+점$", "", t) or t) or (t.endswith("점") and brand_prefix(t)):
        score += 4
    if re.search(r"[가-힣]{1,10}점$", t):
        score += 1  # a branch
    if any(t.replace(" ", "").endswith(s) for s in SUFFIXES):
        score += 3
    if hangul == 0 and not known_brand(t):
        score = min(score, 0.5)
    return score


# Korean person names: the common surnames, and the syllables given names are mostly made of. Used only to
# choose among readings of one box ("이수반" / "이수빈"), never to correct a name.
SURNAMES = set(
    "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄변채원천방공"
    "현함염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용"
)
GIVEN = set(
    "민서지현수영준우진예하은윤호재성동경희연정혜미승상철병태도석주훈빈원용기자숙순옥아유다나라"
    "건규한희찬시율채인선소명광종국진일환열혁섭근식범봉덕만길래형중창수세애림보슬별솔"
)


def person_name_score(name: str) -> float:
    """How much a 2-4 syllable reading looks like a Korean person's name (0..1)."""
    t = name.replace(" ", "")
    if not 2 <= len(t) <= 4 or not all("가" <= c <= "힣" for c in t):
        return 0.0
    return (0.5 if t[0] in SURNAMES else 0.0) + 0.5 * sum(c in GIVEN for c in t[1:]) / (len(t) - 1)
