"""Store names: misread titles, franchise names and logos, trade words, and picking among readings."""

from __future__ import annotations

from ocr_lines import page

from tasks.ocr.extract import extract_fields
from tasks.ocr.names import is_title, known_brand, name_score, snap_suffix


def test_misread_titles_are_titles():
    for t in ("영수증", "엄수증", "영 수 중", "[영 수 증]", "영수 8)", "일수증", "신용카드 매출전표"):
        assert is_title(t), t
    for t in ("명동갈비", "은하분식", "영동식당 본점"):
        assert not is_title(t), t


def test_known_brands_from_misreadings_and_logos():
    assert known_brand("세븐일레본") == "세븐일레븐"
    assert known_brand("7-ELEVEn") == "세븐일레븐"
    assert known_brand("DAISO") == "다이소"
    assert known_brand("CU") == "CU"
    assert known_brand("메가MGC커피") == "메가MGC커피"
    # unknown shops stay unknown, short junk is no brand
    assert known_brand("명동할인마트") is None
    assert known_brand("하나로분식") is None
    assert known_brand("Cu1") is None
    assert known_brand("Gos") is None


def test_trade_word_endings_snap_back():
    assert snap_suffix("미래꽃십") == "미래꽃집"
    assert snap_suffix("원조킨벤선") == "원조컨벤션"
    assert snap_suffix("명동떡집") == "명동떡집"
    assert snap_suffix("김철수") == "김철수"


def test_name_score_prefers_a_name_over_latin_noise():
    assert name_score("다이소 경북대점") > name_score("Gos") + 3
    assert name_score("우리PC방") > name_score("우리 『< 방")
    assert name_score("AMY") < 1.5


def test_store_taken_from_the_reading_that_looks_like_a_name():
    # rapidocr read the Hangul logo as Latin noise; our CRNN's reading is kept as an alternative
    f = extract_fields(
        page(
            [("영 수 8)", 20)],
            [("Gos", 20, "다이소 경북대점", "DAISO")],
            "사업자번호: 456-59-54444",
            "TEL: 053-123-4567",
        )
    )
    assert f.store_name.value == "다이소"
    assert f.branch.value == "경북대점"


def test_tax_invoice_store_is_the_supplier_on_the_left():
    f = extract_fields(
        page(
            "전자세금계산서",
            [("상호", 20), ("광명꽃집", 90), ("상호", 420), ("서울대학교 공과대학 학생회", 490)],
            [("성명", 20), ("김민수", 90), ("성명", 420), ("이영희", 490)],
        )
    )
    assert f.store_name.value == "광명꽃집"


def test_store_beside_the_phone_number_and_brand_glued_to_its_branch():
    f = extract_fields(
        page(
            "영수증",
            [("세븐일레본 안암점", 20), ("TEL: 1522-4965", 400)],
            "사업자번호: 320-33-37786",
        )
    )
    assert (f.store_name.value, f.branch.value) == ("세븐일레븐", "안암점")
    g = extract_fields(page("파스쿠찌강남역점", "사업자번호: 320-33-37786"))
    assert (g.store_name.value, g.branch.value) == ("파스쿠찌", "강남역점")


def test_tax_invoice_with_only_the_buyers_label_read():
    f = extract_fields(
        page(
            "전자세금계산서",
            [
                ("a", 20),
                ("광명꽃집", 90),
                ("성명", 250),
                ("남지영", 300),
                ("상호", 420),
                ("서울대 학생회", 490),
            ],
            [("상호", 420), ("x", 490)],
        )
    )
    assert f.store_name.value == "광명꽃집"


def test_misread_owner_label_glued_to_the_name_is_cut():
    f = extract_fields(page("영수증", "상호: 다온기념픔성멜 VFK+", "사업자번호: 320-33-37786"))
    assert f.store_name.value == "다온기념품"


def test_representative_is_the_most_name_like_reading():
    from tasks.ocr.names import person_name_score

    assert person_name_score("이수빈") > person_name_score("이수반")
    assert person_name_score("곽병철") > person_name_score("aya") == 0.0
    f = extract_fields(page("영수증", [("대표자:", 20), ("미영수", 120, "이영수", "aya")]))
    assert f.representative.value == "이영수"


def test_store_label_with_no_name_after_it_is_ignored_and_glued_owner_name_cut():
    # an item row whose alternative reading looks like a 상호 label is no store name
    f = extract_fields(page("GS25", "TEL 063-071-4700", "상호: 3200 2203"))
    assert f.store_name.value == "GS25"
    g = extract_fields(page("영수증", "상호: 다온기념픔성멜배서억", "사업자번호: 320-33-37786"))
    assert g.store_name.value == "다온기념품"
