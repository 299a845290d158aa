"""Receipt-like text lines for training the recogniser, written from general knowledge of Korean
receipts. Deterministic for a given numpy Generator."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from .charset import build_charset, ksx1001_hangul

MAX_LEN = 32

SURNAMES = list(
    "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예봉경"
)
GIVEN = list("민서준지현우수영호진성연하은윤재동혜정미경희상훈태석유주승철원명숙자순옥광환용기혁규빈아나다라")
BRANDS = [
    "이마트",
    "롯데마트",
    "홈플러스",
    "GS25",
    "CU",
    "세븐일레븐",
    "이마트24",
    "미니스톱",
    "스타벅스",
    "투썸플레이스",
    "이디야커피",
    "메가커피",
    "컴포즈커피",
    "빽다방",
    "할리스",
    "파리바게뜨",
    "뚜레쥬르",
    "올리브영",
    "다이소",
    "교보문고",
    "영풍문고",
    "맘스터치",
    "롯데리아",
    "맥도날드",
    "버거킹",
    "김밥천국",
    "BBQ",
    "교촌치킨",
    "bhc",
    "굽네치킨",
    "배스킨라빈스",
    "던킨",
    "농협하나로마트",
    "노브랜드",
    "코스트코",
    "트레이더스",
    "GS더프레시",
    "롯데슈퍼",
    "emart everyday",
    "홈플러스익스프레스",
    "본죽",
    "한솥도시락",
    "신전떡볶이",
    "엽기떡볶이",
    "공차",
    "설빙",
    "서브웨이",
    "도미노피자",
    "피자헛",
    "아웃백",
    "VIPS",
    "쿠팡",
    "네이버페이",
    "카카오페이",
    "SK에너지",
    "GS칼텍스",
    "S-OIL",
    "현대오일뱅크",
    "알파문구",
    "모닝글로리",
    "하이마트",
    "전자랜드",
    "CGV",
    "메가박스",
    "롯데시네마",
    "유니클로",
    "ABC마트",
    "무인양품",
    "약국",
    "대한약국",
    "온누리약국",
]
STORE_WORDS = [
    "행복",
    "우리",
    "한솥",
    "청년",
    "엄마손",
    "할매",
    "원조",
    "명가",
    "본가",
    "참",
    "맛",
    "꽃",
    "푸른",
    "하나",
    "대박",
    "황금",
    "새마을",
    "동네",
    "시장",
    "골목",
    "옛날",
    "전통",
    "제일",
    "으뜸",
    "다온",
    "소담",
    "모퉁이",
    "햇살",
    "바다",
    "산골",
    "들풀",
    "소문난",
    "착한",
    "정직한",
    "싱싱",
    "신선",
    "한우",
    "돈",
    "고향",
    "이모네",
    "삼촌네",
    "형제",
]
STORE_SUFFIX = [
    "마트",
    "슈퍼",
    "편의점",
    "식당",
    "카페",
    "커피",
    "베이커리",
    "제과",
    "약국",
    "정육점",
    "치킨",
    "분식",
    "김밥",
    "주유소",
    "문구",
    "서점",
    "꽃집",
    "반찬",
    "떡집",
    "수산",
    "한우",
    "세탁소",
    "안경",
    "미용실",
    "의원",
    "치과",
    "한의원",
    "병원",
    "국밥",
    "순대국",
    "냉면",
    "갈비",
    "삼겹살",
    "횟집",
    "중국집",
    "반점",
    "짬뽕",
    "칼국수",
    "족발",
    "보쌈",
    "포차",
    "호프",
    "주점",
    "노래방",
    "PC방",
    "스터디카페",
    "철물점",
    "인쇄소",
    "사진관",
    "상회",
    "상사",
    "유통",
    "식품",
    "푸드",
    "F&B",
    "컴퍼니",
    "산업",
    "물산",
    "농산",
    "축산",
    "청과",
]
PLACES = [
    "강남",
    "역삼",
    "서초",
    "잠실",
    "송파",
    "신촌",
    "홍대",
    "합정",
    "마포",
    "여의도",
    "영등포",
    "구로",
    "신림",
    "사당",
    "종로",
    "광화문",
    "명동",
    "을지로",
    "동대문",
    "성수",
    "건대",
    "왕십리",
    "노원",
    "수유",
    "미아",
    "창동",
    "분당",
    "판교",
    "수원",
    "일산",
    "부천",
    "인천",
    "부평",
    "안양",
    "평촌",
    "의정부",
    "대전",
    "둔산",
    "대구",
    "동성로",
    "부산",
    "서면",
    "해운대",
    "광주",
    "충장로",
    "울산",
    "전주",
    "청주",
    "천안",
    "제주",
    "춘천",
    "원주",
    "포항",
    "창원",
]
SIDO = [
    "서울특별시",
    "서울",
    "부산광역시",
    "대구광역시",
    "인천광역시",
    "광주광역시",
    "대전광역시",
    "울산광역시",
    "세종특별자치시",
    "경기도",
    "강원특별자치도",
    "충청북도",
    "충청남도",
    "전북특별자치도",
    "전라남도",
    "경상북도",
    "경상남도",
    "제주특별자치도",
]
GU = [
    "강남구",
    "서초구",
    "송파구",
    "마포구",
    "종로구",
    "중구",
    "용산구",
    "성동구",
    "광진구",
    "동대문구",
    "노원구",
    "은평구",
    "관악구",
    "영등포구",
    "해운대구",
    "수영구",
    "수성구",
    "남동구",
    "유성구",
    "분당구",
    "수원시 팔달구",
    "성남시 분당구",
    "고양시 일산동구",
    "용인시 수지구",
    "청주시 상당구",
    "전주시 완산구",
    "창원시 의창구",
]
ROADS = [
    "테헤란로",
    "강남대로",
    "세종대로",
    "을지로",
    "종로",
    "올림픽로",
    "한강대로",
    "양화로",
    "도산대로",
    "중앙로",
    "번영로",
    "시청로",
    "역삼로",
    "봉은사로",
    "월드컵북로",
    "판교역로",
    "광교로",
    "해운대해변로",
]
DONG = [
    "역삼동",
    "서초동",
    "잠실동",
    "신사동",
    "논현동",
    "삼성동",
    "대치동",
    "합정동",
    "서교동",
    "연남동",
    "성수동",
    "정자동",
    "야탑동",
    "둔산동",
    "부전동",
    "우동",
    "중동",
    "상동",
    "관양동",
]
LABELS = [
    "합계",
    "총합계",
    "합 계",
    "부가세",
    "부가세액",
    "공급가액",
    "과세물품",
    "면세물품",
    "과세물품가액",
    "승인번호",
    "승인일시",
    "사업자번호",
    "사업자등록번호",
    "카드번호",
    "카드종류",
    "카드사",
    "매입사",
    "일시불",
    "할부",
    "결제금액",
    "받을금액",
    "받은금액",
    "거스름돈",
    "대표자",
    "대표",
    "주소",
    "전화",
    "TEL",
    "Tel",
    "전화번호",
    "가맹점번호",
    "가맹점명",
    "단말기",
    "단말기번호",
    "거래일시",
    "판매일",
    "매출일",
    "거래번호",
    "영수증번호",
    "주문번호",
    "테이블",
    "담당",
    "캐셔",
    "포인트",
    "적립",
    "할인",
    "총 할인",
    "결제",
    "신용카드",
    "현금",
    "현금영수증",
    "체크카드",
    "금액",
    "단가",
    "수량",
    "상품명",
    "품명",
    "총수량",
    "판매금액",
    "봉사료",
    "면세",
    "과세",
    "비과세",
    "청구금액",
    "실결제금액",
    "잔액",
    "유효기간",
]
CARDS = [
    "신한카드",
    "삼성카드",
    "현대카드",
    "KB국민카드",
    "국민카드",
    "롯데카드",
    "하나카드",
    "우리카드",
    "BC카드",
    "NH농협카드",
    "씨티카드",
    "카카오뱅크",
    "토스뱅크",
    "VISA",
    "MASTER",
    "비씨",
    "IBK기업",
]
ITEMS = [
    "아메리카노",
    "카페라떼",
    "바닐라라떼",
    "아이스티",
    "생수",
    "콜라",
    "사이다",
    "우유",
    "바나나우유",
    "컵라면",
    "삼각김밥",
    "도시락",
    "김밥",
    "라면",
    "떡볶이",
    "순대",
    "튀김",
    "어묵",
    "소주",
    "맥주",
    "막걸리",
    "과자",
    "초콜릿",
    "아이스크림",
    "식빵",
    "크로와상",
    "케이크",
    "샌드위치",
    "햄버거",
    "감자튀김",
    "치킨",
    "피자",
    "짜장면",
    "짬뽕",
    "탕수육",
    "김치찌개",
    "된장찌개",
    "제육볶음",
    "비빔밥",
    "불고기",
    "삼겹살",
    "목살",
    "공기밥",
    "냉면",
    "국밥",
    "칼국수",
    "만두",
    "계란",
    "두부",
    "양파",
    "대파",
    "사과",
    "배",
    "귤",
    "딸기",
    "돼지고기",
    "소고기",
    "닭가슴살",
    "쌀",
    "휴지",
    "물티슈",
    "건전지",
    "볼펜",
    "노트",
    "A4용지",
    "테이프",
    "봉투",
    "쇼핑백",
    "종량제봉투",
    "주차권",
    "휘발유",
    "경유",
    "현수막",
    "명찰",
    "꽃다발",
    "상장",
    "트로피",
]
UNITS = [
    "",
    "",
    "",
    "(대)",
    "(소)",
    "(L)",
    "(R)",
    "1kg",
    "500g",
    "2L",
    "500ml",
    "330ml",
    "10개입",
    "1+1",
    "(HOT)",
    "(ICE)",
]
FOOTERS = [
    "※ 교환/환불은 영수증 지참 시 7일 이내",
    "감사합니다",
    "또 오세요",
    "이용해 주셔서 감사합니다",
    "[신용승인]",
    "[재발행]",
    "[고객용]",
    "[가맹점용]",
    "** 신용카드 매출전표 **",
    "== 현금영수증 ==",
    "부가세 포함",
    "VAT 포함",
    "본 영수증은 세금계산서 대용이 아닙니다",
    "고객님의 포인트가 적립되었습니다",
    "카드 결제 시 서명 생략",
    "교환 및 환불 불가",
    "영수증을 꼭 지참하세요",
    "※ 주차 2시간 무료",
]
WEEKDAYS = "월화수목금토일"


@lru_cache(maxsize=1)
def _words() -> list[str]:
    path = Path(__file__).with_name("words_ko.txt")
    return [w for w in path.read_text(encoding="utf-8").split("\n") if w]


@lru_cache(maxsize=1)
def _hangul() -> list[str]:
    return ksx1001_hangul()


@lru_cache(maxsize=1)
def _charset() -> list[str]:
    return build_charset()


class TextSampler:
    def __init__(self, rng: np.random.Generator, hangul_focus: float = 0.0) -> None:
        self.rng = rng
        #: share of lines drawn from the Hangul-heavy kinds only (store names, addresses, words, syllables)
        self.hangul_focus = hangul_focus
        self.last_kind = ""
        #: finer: "receipt", or which coverage line ("words", "syllables", "charset", "ascii")
        self.last_sub = ""

    # -- small helpers ------------------------------------------------------------------------------
    def c(self, seq):  # choice
        return seq[int(self.rng.integers(len(seq)))]

    def p(self, prob: float) -> bool:
        return bool(self.rng.random() < prob)

    def n(self, lo: int, hi: int) -> int:
        return int(self.rng.integers(lo, hi + 1))

    def digits(self, k: int) -> str:
        return "".join(str(self.n(0, 9)) for _ in range(k))

    def syllables(self, k: int) -> str:
        return "".join(self.c(_hangul()) for _ in range(k))

    def word(self) -> str:
        return self.c(_words())

    def amount(self, lo: int = 100, hi: int = 3_000_000) -> str:
        # log-uniform, rounded like prices
        v = float(np.exp(self.rng.uniform(np.log(lo), np.log(hi))))
        v = int(round(v / 10) * 10) if v > 1000 and self.p(0.8) else int(v)
        if self.p(0.5):
            v = int(round(v / 100) * 100)
        s = f"{v:,}" if self.p(0.9) else str(v)
        r = self.rng.random()
        if r < 0.35:
            s += "원"
        elif r < 0.42:
            s = "₩" + s
        elif r < 0.47:
            s = "-" + s
        elif r < 0.5:
            s += " 원"
        return s

    def name(self) -> str:
        return self.c(SURNAMES) + "".join(
            self.c(GIVEN) if self.p(0.7) else self.c(_hangul()) for _ in range(self.n(1, 2))
        )

    def date(self) -> str:
        y, m, d = self.n(2018, 2027), self.n(1, 12), self.n(1, 28)
        wd = self.c(WEEKDAYS)
        forms = [
            f"{y}-{m:02d}-{d:02d}",
            f"{y}.{m:02d}.{d:02d}",
            f"{y}/{m:02d}/{d:02d}",
            f"{y % 100:02d}/{m:02d}/{d:02d}",
            f"{y % 100:02d}.{m:02d}.{d:02d}",
            f"{y}년 {m}월 {d}일",
            f"{y}년{m:02d}월{d:02d}일",
            f"{y}-{m:02d}-{d:02d}({wd})",
            f"{y}.{m:02d}.{d:02d} ({wd})",
            f"{y}{m:02d}{d:02d}",
        ]
        return self.c(forms)

    def time(self) -> str:
        h, mi, s = self.n(0, 23), self.n(0, 59), self.n(0, 59)
        forms = [
            f"{h:02d}:{mi:02d}:{s:02d}",
            f"{h:02d}:{mi:02d}",
            f"{'오전' if h < 12 else '오후'} {h % 12 or 12}:{mi:02d}",
            f"{h}시 {mi}분",
            f"{h:02d}시{mi:02d}분{s:02d}초",
        ]
        return self.c(forms)

    def phone(self) -> str:
        area = self.c(
            [
                "02",
                "031",
                "032",
                "051",
                "053",
                "042",
                "062",
                "052",
                "033",
                "041",
                "043",
                "061",
                "063",
                "064",
                "070",
                "010",
                "1588",
                "1577",
            ]
        )
        if area in ("1588", "1577"):
            return f"{area}-{self.digits(4)}"
        mid = self.digits(self.n(3, 4))
        return f"{area}-{mid}-{self.digits(4)}" if self.p(0.85) else f"({area}){mid}-{self.digits(4)}"

    def biz_no(self) -> str:
        return f"{self.digits(3)}-{self.digits(2)}-{self.digits(5)}"

    def card_no(self) -> str:
        """A masked card number in the styles the VAN companies print: 1234-56**-****-7890 (the usual one),
        1234-****-****-7890, ****-****-****-7890, 123456******7890, and a masked last digit."""
        bin4, last4 = self.digits(4), self.digits(4)
        parts = self.c(
            [
                [bin4, self.digits(2) + "**", "****", last4],
                [bin4, self.digits(2) + "**", "****", last4],
                [bin4, "****", "****", last4],
                ["****", "****", "****", last4],
            ]
        )
        mask = self.c(["*", "*", "#", "X"])
        s = "-".join(parts).replace("*", mask)
        r = self.rng.random()
        if r < 0.15:
            s = s.replace("-", " ")
        elif r < 0.3:
            s = s.replace("-", "")
        if self.p(0.15):
            s = f"{self.digits(4)}-{self.digits(4)}-****-{self.digits(3)}*"
        return s

    def store(self) -> str:
        r = self.rng.random()
        if r < 0.35:
            base = self.c(BRANDS)
        elif r < 0.6:
            base = self.c(STORE_WORDS) + self.c(STORE_SUFFIX)
        elif r < 0.8:
            base = self.word() + self.c(STORE_SUFFIX)
        else:
            base = self.syllables(self.n(1, 3)) + self.c(STORE_SUFFIX)
        if self.p(0.4):
            branch = self.c(PLACES) if self.p(0.7) else self.syllables(self.n(1, 3))
            branch += self.c(["점", "점", "역점", "본점", "직영점", "1호점", "센터점", "지점"])
            base += (" " if self.p(0.7) else "") + branch
        r = self.rng.random()
        if r < 0.12:
            base = "(주)" + base
        elif r < 0.2:
            base = "주식회사 " + base
        elif r < 0.24:
            base = base + "(주)"
        elif r < 0.28:
            base = "㈜".replace("㈜", "(주) ") + base
        return base

    def address(self) -> str:
        sido, gu = self.c(SIDO), self.c(GU)  # (this order keeps the seeded streams as they were)
        road = self.c(ROADS) if self.p(0.7) else self.word() + "로"
        s = f"{sido} {gu} {road} {self.n(1, 999)}"
        if self.p(0.4):
            s += f"-{self.n(1, 99)}"
        if self.p(0.3):
            s += f", {self.n(1, 20)}층"
        if self.p(0.3):
            s += f" ({self.c(DONG)})"
        return s

    def item_line(self) -> str:
        it = self.c(ITEMS) if self.p(0.7) else self.word()
        it += self.c(UNITS)
        q = self.n(1, 12) if self.p(0.8) else self.n(1, 99)
        unit = int(round(float(np.exp(self.rng.uniform(np.log(300), np.log(80000)))) / 100) * 100)
        sep = " " * self.n(1, 3)
        r = self.rng.random()
        if r < 0.4:
            return f"{it}{sep}{unit:,}{sep}{q}{sep}{unit * q:,}"
        if r < 0.6:
            return f"{it}{sep}{q}{sep}{unit * q:,}"
        if r < 0.75:
            return f"{self.n(1, 30):02d} {it}{sep}{q}{sep}{unit * q:,}"
        if r < 0.85:
            return f"{it} ×{q}{sep}{unit * q:,}원"
        return f"* {it}{sep}{unit * q:,}"

    def label_line(self) -> str:
        lab = self.c(LABELS)
        sep = self.c([" ", "  ", ": ", " : ", ":", "   "])
        r = self.rng.random()
        if lab in ("승인번호", "거래번호", "영수증번호", "주문번호", "가맹점번호", "단말기번호", "단말기"):
            val = self.digits(self.n(6, 12))
        elif lab in ("사업자번호", "사업자등록번호"):
            val = self.biz_no()
        elif lab == "카드번호":
            val = self.card_no()
        elif lab in ("카드종류", "카드사", "매입사"):
            val = self.c(CARDS)
        elif lab == "대표자" or lab == "대표" or lab in ("담당", "캐셔"):
            val = self.name()
        elif lab == "주소":
            val = self.address()
        elif lab in ("전화", "TEL", "Tel", "전화번호"):
            val = self.phone()
        elif lab in ("거래일시", "판매일", "매출일", "승인일시"):
            val = self.date() + (" " + self.time() if self.p(0.7) else "")
        elif lab == "할부":
            val = self.c(["일시불", f"{self.n(2, 12):02d}개월", f"{self.n(2, 12)}개월"])
        elif lab in ("테이블",):
            val = str(self.n(1, 40))
        elif lab in ("총수량", "수량"):
            val = str(self.n(1, 30))
        elif lab in ("유효기간",):
            val = f"{self.n(1, 12):02d}/{self.n(24, 32)}" if r < 0.5 else "**/**"
        else:
            val = self.amount()
        if self.p(0.15):
            lab = f"[{lab}]" if self.p(0.5) else f"<{lab}>"
        return f"{lab}{sep}{val}"

    def coverage_line(self) -> str:
        r = self.rng.random()
        self.last_sub = "words" if r < 0.45 else "syllables" if r < 0.8 else "charset" if r < 0.9 else "ascii"
        if r < 0.45:  # words
            return " ".join(self.word() for _ in range(self.n(1, 4)))
        if r < 0.8:  # random syllables (all 2,350 appear)
            parts = [self.syllables(self.n(1, 5)) for _ in range(self.n(1, 4))]
            return " ".join(parts)
        if r < 0.9:  # any charset characters
            return "".join(self.c(_charset()) for _ in range(self.n(3, 18))).strip() or "가"
        # ascii-ish
        alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
        return "".join(
            self.c(alnum) if self.p(0.85) else self.c("-_./:()#&+,*%@") for _ in range(self.n(3, 16))
        )

    def hangul_line(self) -> str:
        r = self.rng.random()
        if r < 0.3:
            s = self.store()
        elif r < 0.4:
            s = self.address()
        elif r < 0.7:
            s = " ".join(self.word() for _ in range(self.n(1, 4)))
        else:
            s = " ".join(self.syllables(self.n(1, 5)) for _ in range(self.n(1, 4)))
        s = " ".join(s.split())
        return s[:MAX_LEN].rstrip() or "합계"

    def line(self) -> str:
        if self.hangul_focus and self.rng.random() < self.hangul_focus:
            self.last_kind = self.last_sub = "hangul_focus"
            return self.hangul_line()
        r = self.rng.random()
        if r < 0.12:
            s = self.store()
        elif r < 0.32:
            s = self.label_line()
        elif r < 0.45:
            s = self.item_line()
        elif r < 0.5:
            s = self.date() + (" " + self.time() if self.p(0.6) else "")
        elif r < 0.54:
            s = self.address()
        elif r < 0.57:
            s = self.c(FOOTERS)
        elif r < 0.6:
            s = (
                self.c(["사업자 ", "사업자번호:", ""])
                + self.biz_no()
                + (f" {self.name()}" if self.p(0.4) else "")
            )
        elif r < 0.62:
            s = self.phone()
        elif r < 0.64:
            s = self.amount()
        else:
            s = self.coverage_line()
        #: "receipt" for the receipt-like kinds, "coverage" for words / random syllables / random characters
        self.last_kind = "receipt" if r < 0.64 else "coverage"
        if r < 0.64:
            self.last_sub = "receipt"
        s = " ".join(s.split())  # the reader emits single spaces
        if len(s) > MAX_LEN:
            cut = s[:MAX_LEN].rstrip()
            s = cut if cut else s[:MAX_LEN]
        return s or "합계"


if __name__ == "__main__":
    smp = TextSampler(np.random.default_rng(0))
    for _ in range(40):
        print(smp.line())
