"""Field extraction on hand-written OCR output: each kind of OCR noise seen on real receipts."""

from __future__ import annotations

from ocr_lines import line, page

from tasks.ocr.extract import (
    LRE,
    biz_no_valid,
    card_company_in,
    extract_fields,
    normalize,
    parse_amount,
    parse_card,
    parse_dates,
    parse_phone,
)


def _first(found):
    assert found is not None
    return found[0]


def test_biz_no_checksum():
    assert biz_no_valid("212-81-25544")
    assert biz_no_valid("514-82-00577")
    assert biz_no_valid("2128125544")
    assert not biz_no_valid("123-45-67890")
    assert not biz_no_valid("212-81-2554")
    assert not biz_no_valid("")


def test_card_slip_labelled():
    f = extract_fields(
        page(
            "[카드매출전표]",
            "가맹점명: 맛있는김밥 강남점",
            "사업자번호: 212-81-25544",
            "대표자: 김철수",
            "주소: 서울특별시 강남구 테헤란로 123",
            "전화: 02-555-1234",
            "거래일시: 2026-11-20 18:32:05",
            "카드종류: 신한카드",
            "카드번호: 4518-42**-****-1234",
            "할부: 일시불",
            [("공급가액", 20), ("39,546", 420)],
            [("부가세", 20), ("3,954", 430)],
            [("합계", 20), ("43,500원", 400)],
            "승인번호: 00652378",
        )
    )
    d = f.as_flat_dict()
    assert d["store_name"] == "맛있는김밥"
    assert d["branch"] == "강남점"
    assert d["biz_no"] == "212-81-25544"
    assert d["representative"] == "김철수"
    assert d["address"].startswith("서울특별시 강남구 테헤란로 123")
    assert d["phone"] == "02-555-1234"
    assert d["datetime"] == "2026-11-20T18:32:05"
    assert d["card_company"] == "신한"
    assert d["card_number"] == "4518-42**-****-1234"
    assert d["installment"] == "일시불"
    assert (d["supply_amount"], d["vat"], d["total"]) == (39546, 3954, 43500)
    assert d["approval_no"] == "00652378"
    assert d["evidence_type"] == "card_slip"
    assert d["warnings"] == []
    # each field keeps its confidence and the box it came from
    assert f.total.box is not None and 0 < f.total.confidence <= 1


def test_spaces_inside_numbers_and_letter_digits():
    f = extract_fields(
        page(
            "상호 동네분식",
            "사업자 등록번호 212 - 81 - 2554 4".replace("2554 4", "25544"),
            "2O26.11.2O 12:3O",
            [("합 계", 20), ("4 3,500", 400)],
            [("부가세", 20), ("3, 955", 400)],
        )
    )
    assert f.biz_no.value == "212-81-25544"
    assert f.datetime.value == "2026-11-20T12:30"
    assert f.total.value == 43500
    assert f.vat.value == 3955


def test_won_read_as_digits():
    # "43,500원" read by rapidocr as "43.50081"
    assert _first(parse_amount("43.50081")) == 43500
    assert _first(parse_amount("15,500원")) == 15500
    f = extract_fields(page([("합계", 20), ("43.50081", 400)]))
    assert f.total.value == 43500


def test_stray_punctuation_and_fullwidth():
    assert normalize("：212-81-25544") == ":212-81-25544"
    f = extract_fields(page("승인번호 : . 00652378 .", "합계 ; 12,000 .", "거래일시: 2026/11/20(금) 09:05"))
    assert f.approval_no.value == "00652378"
    assert f.total.value == 12000
    assert f.datetime.value == "2026-11-20T09:05"


def test_label_one_line_above_value_column_layout():
    f = extract_fields(
        page(
            [("승인번호", 20), ("합계", 300)],
            [("00652378", 20), ("27,000", 300)],
            "2026-11-20 13:00",
        )
    )
    assert f.approval_no.value == "00652378"
    assert f.total.value == 27000


def test_label_alone_with_value_on_next_line():
    f = extract_fields(page("사업자등록번호", "514-82-00577", "결제금액", "8,800", "2026.11.02"))
    assert f.biz_no.value == "514-82-00577"
    assert f.total.value == 8800


def test_label_same_row_far_right_box():
    f = extract_fields(page([("받을금액", 20), ("19,800", 440)], [("부가세", 20), ("1,800", 450)]))
    assert f.total.value == 19800
    assert f.vat.value == 1800


def test_unlabelled_bracketed_approval_number():
    f = extract_fields(page("2026-11-20 10:11", [("합계", 20), ("5,000", 400)], "[00652378]"))
    assert f.approval_no.value == "00652378"


def test_chinese_where_hangul_was_rapidocr():
    # rapidocr's models read Hangul as Chinese: labels are lost, the digits are not
    f = extract_fields(
        page(
            "[]",
            "：212-81-25544",
            "2:2026-11-2018:32:05",
            "7=京：4518-42**-****-1234",
            [("早", 20), ("39,546", 420)],
            [("京", 20), ("3,954", 430)],
            [("合", 20), ("43,500", 405)],
            "：00652378",
        )
    )
    assert f.biz_no.value == "212-81-25544"
    assert f.datetime.value == "2026-11-20T18:32:05"
    assert f.card_number.value == "4518-42**-****-1234"
    # found by 공급가액 + 부가세 = 합계 with VAT one eleventh of the total
    assert (f.supply_amount.value, f.vat.value, f.total.value) == (39546, 3954, 43500)
    assert f.approval_no.value == "00652378"
    assert f.store_name.value is None  # no Chinese garbage as a store name
    assert f.evidence_type.value == "card_slip"


def test_alternative_readings_choose_valid_biz_no_and_date():
    # Tesseract swapped a digit (checksum fails, month 41); rapidocr's reading of the same box is valid
    f = extract_fields(
        page(
            [("사업자번호: 212-81-25564", 20, "212-81-25544")],
            [("거래일시 2026-41-20 10:00", 20, "2026-11-2010:00")],
            [("합계", 20), ("9,000", 400)],
        )
    )
    assert f.biz_no.value == "212-81-25544"
    assert f.datetime.value == "2026-11-20T10:00"
    assert not any("사업자" in w for w in f.warnings)


def test_checksum_failure_warns():
    f = extract_fields(page("사업자번호 123-45-67890", "합계 1,000"))
    assert f.biz_no.value == "123-45-67890"
    assert f.biz_no.confidence < 0.6
    assert any("사업자등록번호" in w for w in f.warnings)


def test_supply_plus_vat_mismatch_warns():
    f = extract_fields(page("공급가액 10,000", "부가세 1,000", "합계 12,000", "2026-11-20"))
    assert any("공급가액" in w and "합계" in w for w in f.warnings)


def test_items_with_header_and_glued_numbers():
    f = extract_fields(
        page(
            "이마트 성수점",
            "2026/11/21 14:05",
            "상품명 단가 수량 금액",
            [("콜라 1.5L 2,500 2", 20), ("5,000", 450)],
            [("1,5003", 20), ("4,500", 450)],  # rapidocr glued unit price and quantity
            [("생수 2L 1,000 6", 20), ("6,000", 450)],
            [("합계금액", 20), ("15,500", 440)],
        )
    )
    items = [it.as_flat_dict() for it in f.items]
    assert items[0] == {"name": "콜라 1.5L", "quantity": 2, "unit_price": 2500, "amount": 5000}
    assert items[1]["quantity"] == 3 and items[1]["unit_price"] == 1500 and items[1]["amount"] == 4500
    assert items[2]["name"] == "생수 2L"
    assert f.total.value == 15500
    assert f.store_name.value == "이마트" and f.branch.value == "성수점"
    assert not any("품목" in w for w in f.warnings)


def test_items_sum_mismatch_warns():
    f = extract_fields(
        page(
            "품명 수량 금액",
            [("아메리카노 2", 20), ("9,000", 450)],
            [("합계", 20), ("12,000", 440)],
        )
    )
    assert any("품목" in w for w in f.warnings)


def test_skewed_photo_rows():
    # a photo rotated a few degrees: values on the right sit lower than their labels
    f = extract_fields(
        page(
            [("공급가액", 20), ("10,000", 420)],
            [("부가세", 20), ("1,000", 430)],
            [("합계", 20), ("11,000", 420)],
            skew=6.0,
        )
    )
    assert (f.supply_amount.value, f.vat.value, f.total.value) == (10000, 1000, 11000)


def test_tesseract_spaced_hangul_labels():
    f = extract_fields(page("합 계 금 액 7,700", "부 가 세 700", "승 인 번 호 12345678"))
    assert f.total.value == 7700
    assert f.vat.value == 700
    assert f.approval_no.value == "12345678"


def test_discount_and_payment_amount():
    f = extract_fields(page("합계 20,000", "할인 -2,000", "결제금액 18,000"))
    assert f.total.value == 18000
    assert f.discount.value == 2000


def test_dates():
    assert parse_dates("2026년 11월 20일 오후 3:05")[0].iso() == "2026-11-20T15:05"
    assert parse_dates("26/11/20 09:00")[0].iso() == "2026-11-20T09:00"
    assert parse_dates("2026-13-40") == []
    assert parse_dates("2026-02-30") == []


def test_card_number_masked():
    assert _first(parse_card("4518-42**-****-1234")) == "4518-42**-****-1234"
    # kept as printed; blurred mask characters read as '*'
    assert _first(parse_card("451842XXXXXX1234")) == "451842******1234"
    assert _first(parse_card("4119-#-##-2132")) == "4119-****-****-2132"
    assert _first(parse_card("9430 91** **** 0972")) == "9430 91** **** 0972"
    assert parse_card("010****8144") is None  # a masked phone number (현금영수증 식별번호)
    # a blurred dash read as '.' or '_' (021, 038), but never in plain figures
    assert _first(parse_card("4906-****.****-3718")) == "4906-****-****-3718"
    assert _first(parse_card("5329-98**_****-028*")) == "5329-98**-****-028*"
    assert _first(parse_card("4906.****.****.3718")) == "4906-****-****-3718"
    assert parse_card("1234.5678.9012.3456") is None
    # a full card number is never kept
    assert "*" in _first(parse_card("4518-4212-3456-1234"))


def test_evidence_types():
    assert extract_fields(page("현금영수증", "합계 5,000")).evidence_type.value == "cash_receipt"
    assert extract_fields(page("전자세금계산서", "합계 5,000")).evidence_type.value == "tax_invoice"
    assert extract_fields(page("거래명세서", "합계 5,000")).evidence_type.value == "statement"
    assert extract_fields(page("간이영수증", "금 5,000원")).evidence_type.value == "simple_receipt"
    assert extract_fields(page("동네마트", "합계 5,000")).evidence_type.value == "receipt"


def test_no_text():
    f = extract_fields([])
    assert f.total.value is None
    assert f.warnings
    assert extract_fields([line("", 0, 0)]).as_flat_dict()["items"] == []


def test_ocr_text_kept_as_plain_data():
    f = extract_fields(page("상호: <script>alert(1)</script>", "합계 1,000"))
    d = f.as_flat_dict()
    assert d["total"] == 1000  # the text is data; escaping is the template's job


def test_cash_given_and_change_are_not_the_total():
    f = extract_fields(page("합계 326,500", "받은금액 350,000", "거스름돈 23,500"))
    assert f.total.value == 326500


def test_vat_law_footer_is_not_vat():
    f = extract_fields(
        page(
            "영수증 (공급받는자용)",
            "청년부 귀하",
            [("상 호", 20), ("한빛떡집", 200)],
            [("작성년월일", 20), ("공급대가총액", 300)],
            [("26년 9월 5일", 20), ("₩35,000원", 300)],
            "부가가치세법시행규칙 제25조의 규정에 의한 (영수증)으로 개정",
        )
    )
    assert f.vat.value is None
    assert f.total.value == 35000
    assert f.datetime.value == "2026-09-05"
    assert f.store_name.value == "한빛떡집"
    assert f.evidence_type.value == "simple_receipt"


def test_one_misread_letter_in_a_label():
    f = extract_fields(page("카드총류: 신한카드", "공금가액 10,000", "부가세 1,000", "합계 11,000"))
    assert f.card_company.value == "신한"
    assert f.supply_amount.value == 10000


def test_tax_free_goods_no_single_supply_amount():
    f = extract_fields(page("면세물품가액 40,810", "과세물품가액 47,964", "부가세 4,796", "합계 93,570"))
    assert f.supply_amount.value is None
    assert f.vat.value == 4796
    assert f.total.value == 93570
    assert not any("공급가액" in w for w in f.warnings)


def test_compact_slip_prints_the_months_right_of_the_company():
    # 032/036: "삼성    00" (00 = 일시불), "농협카드    06"
    rows = ["신용카드 매출전표", "옛날식당", "238-04-58594 곽지훈"]
    tail = ["5310-****-****-7271", [("2026-08-13 12:17", 20), ("[90500038]", 300)]]
    for months, want in (("00", "일시불"), ("06", "6개월")):
        f = extract_fields(page(*rows, [("삼성", 20), (months, 380)], *tail))
        assert f.installment.value == want and f.card_company.value == "삼성"
    f = extract_fields(page(*rows, [("삼성", 20), ("41", 380)], *tail))
    assert f.installment.value is None  # no card is paid in 41 months


def test_compact_slip_without_labels():
    f = extract_fields(
        page(
            "신용카드 매출전표",
            "(주)큰집관광",
            "572-88-40295 허경자",
            [("비씨카드", 20), ("일시불", 300)],
            "4906-****-****-3718",
            [("26.04.17 09:42", 20), ("[64859303]", 300)],
            [("공급가액", 20), ("627,273원", 380)],
            [("부가세", 20), ("62,727원", 380)],
            [("총금액", 20), ("690,000원", 380)],
        )
    )
    d = f.as_flat_dict()
    assert d["store_name"] == "(주)큰집관광"
    assert d["representative"] == "허경자"
    assert d["card_company"] == "BC" and d["installment"] == "일시불"
    assert d["approval_no"] == "64859303"
    assert d["datetime"] == "2026-04-17T09:42"
    assert d["total"] == 690000 and d["evidence_type"] == "card_slip"


def test_misread_slip_title_is_not_the_store_name():
    f = extract_fields(
        page(
            "산용 카드 해출전표",
            "(주)큰집관광",
            "572-88-40295 허경자",
            [("총금액", 20), ("690,000원", 380)],
        )
    )
    assert f.store_name.value == "(주)큰집관광"


def test_copy_label_with_a_misread_bracket_is_not_the_store_name():
    # "(카드사 보관용)" with its opening bracket read as "<": brackets are no letters of a name
    f = extract_fields(
        page(
            "신용카드 매출전표",
            "<카드사 보관용)",
            "새봄사진관",
            "174-85-41987 전명숙",
            [("합계", 20), ("110,727원", 380)],
        )
    )
    assert f.store_name.value == "새봄사진관"


def test_mart_items_name_row_then_unit_times_quantity_row():
    f = extract_fields(
        page(
            "상품명 단가 수량 금액",
            "새우깡",
            [("1,500 x3", 20), ("4,500", 440)],
            [("생수 500ml", 20), ("1,200", 440)],
            "600x2",
            [("합계", 20), ("5,700", 440)],
        )
    )
    assert [it.as_flat_dict() for it in f.items] == [
        {"name": "새우깡", "quantity": 3, "unit_price": 1500, "amount": 4500},
        {"name": "생수 500ml", "quantity": 2, "unit_price": 600, "amount": 1200},
    ]


def test_date_variants_seen_on_photos():
    # a comma for the second dot, the time glued on; a colon read as a dash
    assert parse_dates("[]26.08,1110:33")[0].iso() == "2026-08-11T10:33"
    assert parse_dates("2026/03/06 20-14")[0].iso() == "2026-03-06T20:14"
    # the labelled value is found in another engine's reading of the same box
    f = extract_fields(page([("거 래 일 시:", 20, "거래일시"), ("2026/03/06 2O-l4", 300, "2026/03/0620:14")]))
    assert f.datetime.value == "2026-03-06T20:14"


def test_fuzzy_label_never_takes_another_fields_exact_label():
    f = extract_fields(page("합계금액 10,000", "할인금액 -2,000", "결제금액 8,000"))
    assert f.total.value == 8000 and f.discount.value == 2000
    f = extract_fields(
        page("카페라떼 5,000 2 10,000", "할인금액 -2,000", "합계금액 8,000", "현금 30,000", "거스름 22,000")
    )
    assert f.total.value == 8000


def test_amount_printed_three_times_is_the_total_when_labels_are_garbled():
    f = extract_fields(
        page(
            "상품명 단가 수량 금액",
            [("생수 2L 1,000 6", 20), ("6,000", 450)],
            [("& 85 ow", 20), ("19,800", 450)],
            [("합제급떡", 20), ("185,570", 450)],
            [("신용기드", 20), ("185,570", 450)],
            [("[48508791]", 20), ("185,570", 450)],
        )
    )
    assert f.total.value == 185570


def test_times_with_garbled_separators_after_the_date():
    # a dash for the colon, the colon lost, seconds garbled into digits, a border read as "1"
    assert _first(parse_dates("판매일: 26/11/03 13-08:25")).iso() == "2026-11-03T13:08:25"
    assert _first(parse_dates("판매일: 2026-06-15 1041")).iso() == "2026-06-15T10:41"
    assert _first(parse_dates("2026/07/30 14:45105:05")).iso() == "2026-07-30T14:45"


def test_a_lost_day_separator_is_taken_only_before_the_weekday():
    # 056_card_slip: "2026.08.29(토)" read with the second dot lost, and by rapidocr as "2026.0829（）"
    hit = _first(parse_dates("거래일시: 2026.08 29(토) 13:26:44"))
    assert hit.iso() == "2026-08-29T13:26:44" and hit.repaired
    assert _first(parse_dates("2H人：2026.0829（）13:26:44")).iso() == "2026-08-29T13:26:44"
    assert parse_dates("2026.08 29(월) 13:26:44") == []  # 2026-08-29 is a Saturday
    assert parse_dates("2026.08 29 13:26:44") == []  # no weekday bracket: could be anything
    assert _first(parse_dates(normalize("[|26/01/0715:29:06"))).iso() == "2026-01-07T15:29:06"
    # a colon between year and month is a date only with a time after it
    assert _first(parse_dates("26:02.20 13:50P05:05")).iso() == "2026-02-20T13:50"
    assert parse_dates("26:02.20") == []


def test_handwritten_date_from_the_item_column():
    # the 작성년월일 cell is unreadable; the items' 월일 column and the year printed in the cell give it
    f = extract_fields(
        page(
            "영수증",
            "작성년월일",
            "2026 년 673 27 일",
            [("월일", 20), ("품목", 120), ("금액", 400)],
            [("6/27", 20), ("기념품", 120), ("35,000", 400)],
            [("6/27", 20), ("김밥", 120), ("3,000", 400)],
            [("합계", 20), ("₩38,000", 400)],
        )
    )
    assert f.datetime.value == "2026-06-27"
    assert f.datetime.confidence < 0.5  # a guess, for the reviewer to check
    # no 작성년월일 label: an item column alone is not taken as the receipt's date
    g = extract_fields(page("영수증", [("6/27", 20), ("기념품", 120), ("35,000", 400)]))
    assert g.datetime.value is None


def test_one_digit_handwritten_year():
    hit = _first(parse_dates("그 6 년 9 월 5 일"))
    assert hit.date.month == 9 and hit.date.day == 5 and hit.date.year % 10 == 6 and hit.repaired


def test_handwritten_receipt_total_after_a_won_sign():
    # garbled 합계 label ("합 A"), the 총액 cell holds a year misread as "3036년"; ₩70,500 is printed twice
    f = extract_fields(
        page(
            "영수증",
            [("공급대가 총액", 20), ("작성년월일", 300)],
            [("3036년 6목", 20), ("₩70,500-", 300)],
            [("6/17", 20), ("기념품", 120), ("70,000", 400)],
            [("6/17", 20), ("봉투", 120), ("500", 400)],
            [("합 A", 20), ("W70 500", 400)],
        )
    )
    assert f.total.value == 70500
    # a labelled 받을금액 is not beaten by the cash handed over, printed once after ₩
    g = extract_fields(
        page(
            [("받을금액", 20), ("₩50,000", 400)],
            [("받은금액", 20), ("₩60,000", 400)],
            [("거스름돈", 20), ("10,000", 400)],
        )
    )
    assert g.total.value == 50000


def test_mart_values_slipped_a_row_from_their_labels():
    # the values slipped against their labels (a curled receipt): 받을금액 got the VAT beside it;
    # 면세 + 과세 + 부가세 = 받을금액 finds the total
    f = extract_fields(
        page(
            [("면세물품가액", 20), ("82,890", 550)],
            [("과세물품가액", 20)],
            [("VAT", 20), ("60,382", 550)],
            [("받을금액", 20), ("6,038", 550)],
            [("149,310", 550)],
            [("받은금액", 20), ("170,000", 550)],
            [("거스름돈", 20), ("20,690", 550)],
        )
    )
    assert f.total.value == 149310
    assert f.vat.value == 6038  # the one 부가세 that makes the split add up
    # the payment label beside an approval number is not an amount
    g = extract_fields(
        page(
            [("결제금액", 20), ("87,260", 550)],
            [("승인번호:", 20), ("53617848", 550)],
            [("승인금액:", 20), ("53617848", 550)],
            [("87,260", 550)],
        )
    )
    assert g.approval_no.value == "53617848"
    assert g.total.value == 87260


def test_unlabelled_approval_number_not_from_a_barcode():
    # an item's EAN-13 split by a space is no approval number; an 8-digit number after a label we
    # could not read (승인번호 read as Chinese) beats a lone 9-digit 가맹점번호
    f = extract_fields(
        page(
            [("8806 195203959", 20), ("4,480", 400)],
            [("电克：62824890", 20)],
            [("132652350", 300)],
            [("합계", 20), ("4,480", 400)],
        )
    )
    assert f.approval_no.value == "62824890"
    g = extract_fields(page([("8806 195203959", 20), ("4,480", 400)], [("합계", 20), ("4,480", 400)]))
    assert g.approval_no.value is None


def test_poor_photo_is_flagged_for_the_reviewer():
    from tasks.ocr.extract import POOR_PHOTO_WARNING

    texts = ["영수증", "a7 ##", "4.109", "46,0099"]
    unsure = [line(t, 20, 20 + 34 * i, conf=0.45) for i, t in enumerate(texts)]
    assert extract_fields(unsure).warnings[0] == POOR_PHOTO_WARNING
    sure = [line(t, 20, 20 + 34 * i, conf=0.9) for i, t in enumerate(["영수증", "합계 46,000", "2026-06-19"])]
    assert POOR_PHOTO_WARNING not in extract_fields(sure).warnings
    # the border: the bench's best-read flagged photo (0.651, ensemble), a well-read one at 0.678 (korean)
    at = [line(t, 20, 20 + 34 * i, conf=0.655) for i, t in enumerate(texts)]
    assert extract_fields(at).warnings[0] == POOR_PHOTO_WARNING
    above = [line(t, 20, 20 + 34 * i, conf=0.675) for i, t in enumerate(texts)]
    assert POOR_PHOTO_WARNING not in extract_fields(above).warnings


def test_tax_invoice_item_amount_is_the_supply_value_not_the_tax():
    f = extract_fields(
        page(
            "전자세금계산서",
            [("월 일 품목 규격 수량 단가 공급가액 세액", 20)],
            [("07 11 포스터 인쇄 A2", 20), ("1", 400), ("1,500", 440), ("1,500", 560), ("150", 680)],
            [("07 11 대관료 4시간", 20), ("1", 400), ("300,000", 440), ("300,000", 560), ("30,000", 680)],
            [("합계금액", 20), ("331,650", 560)],
        )
    )
    assert [(i.name, i.amount) for i in f.items] == [("포스터 인쇄 A2", 1500), ("대관료 4시간", 300000)]


def test_a_misread_year_loses_to_the_reading_nearer_today():
    import datetime as _dt

    year = _dt.date.today().year
    f = extract_fields(
        page([("판매일:", 20), (f"{year - 6}-08-11 10:33", 120, f"{year}-08-11 10:33")], "합계 19,800")
    )
    assert f.datetime.value == f"{year}-08-11T10:33"


def test_form_supplier_name_is_the_cell_under_its_registration_number():
    # photo of an A4 세금계산서: the 상호 label came out as single garbled letters, the name did not
    def form(name_x: float) -> list:
        return page(
            "전자세금계산서",
            [("등족빈호", 20), ("548-14-28036", 120), ("공급받는자", 420)],
            [("실", 20), ("(주)정다운인쇄", name_x), ("한마음 봉사단", 520)],
            [("사업장주소", 20), ("대구 북구 금강로 80", 120)],
            [("합계금액", 20), ("331,650", 560)],
        )

    f = extract_fields(form(122))
    assert f.biz_no.value == "548-14-28036"
    assert f.store_name.value == "(주)정다운인쇄"
    # only the cell in the number's column counts
    assert extract_fields(form(300)).store_name.value != "(주)정다운인쇄"


def test_card_company_names_in_latin_letters():
    # 028/075/079/083: "SHINHAN" read as "SHlNHAN" was taken for NH농협 (the NH inside it)
    assert _first(card_company_in("SHlNHAN")) == "신한"
    assert _first(card_company_in("SHINHAN CARD")) == "신한"
    assert _first(card_company_in("NH농협카드")) == "NH농협"
    assert _first(card_company_in("카드사: NH")) == "NH농협"
    assert _first(card_company_in("BCCARD")) == "BC"
    assert _first(card_company_in("KB 국민카드")) == "국민"
    assert _first(card_company_in("L0TTE")) == "롯데"
    assert card_company_in("PHONE 02") is None


def test_a_payment_amount_with_one_digit_misread_loses_to_the_repeated_total():
    # 042_mart: "승인금액 195,570" (185,570 with one digit misread) against 185,570 printed three times
    lines = [
        "농협하나로마트 잠실점",
        "사업자번호: 212-81-25544",
        "2026-03-14 10:20",
        [("우유 1L", 20), ("2,980", 380)],
        [("합계금액", 20), ("185,570원", 380)],
        [("신용카드", 20), ("185,570원", 380)],
        [("승인번호", 20), ("48508791", 380)],
        [("카드금액", 20), ("185,570원", 380)],
        [("승인금액", 20), ("195,570원", 380)],
    ]
    assert extract_fields(page(*lines)).total.value == 185570
    # a payment line that differs by more than a misread digit still wins (a discount, say)
    lines[-1] = [("승인금액", 20), ("175,000원", 380)]
    assert extract_fields(page(*lines)).total.value == 175000


def test_a_title_beside_noise_and_a_row_of_noise_are_not_the_store_name():
    # 102/074: "전자세금계산서 (aOeekvaa)" (28%) and "10원 브루 비행고" (5–10%) were proposed as the 상호
    lines = page(
        [("영수증", 20), ("(aOeekvaa)", 300)],
        [("10원", 20), ("브루 비행고", 200)],
        "행복마트 안암점",
        "사업자번호: 212-81-25544",
        "2026-03-14 10:20",
        [("합계", 20), ("12,000원", 380)],
    )
    for ln in lines[1:4]:
        ln.confidence = 0.1 if ln.text != "(aOeekvaa)" else 0.28
    f = extract_fields(lines)
    assert f.store_name.value == "행복마트" and f.branch.value == "안암점"


def test_no_card_company_in_a_store_name_or_an_address():
    stores_and_addresses = (
        "농협하나로마트",
        "롯데마트 잠실점",
        "우리PC방",
        "서울 강남구 삼성동 12",
        "광주 광역사 북구 18",
    )
    for text in stores_and_addresses:
        assert card_company_in(text) is None, text
    assert _first(card_company_in("신한은행")) == "신한"
    assert _first(card_company_in("삼성카드")) == "삼성"
    assert _first(card_company_in("광주카드")) == "광주"


def test_a_label_one_letter_off_two_fields_belongs_to_neither():
    # 094: 승인금액 read as 숭인금액 was taken for 할인금액 (one letter off both)
    assert not LRE["discount"].search("승인금액") and not LRE["discount"].search("숭인금액")
    assert not LRE["total_paid"].search("숭인금액")
    assert LRE["discount"].search("할인금엑") and LRE["total_paid"].search("승인금액")


def test_values_printed_but_not_there():
    # 봉사료 0 is no service charge; a 현금영수증's 식별번호 (read "식틸번호") is no payment card; a
    # 세금계산서's dashed 승인번호 holds no card number; a date whose letters were lost is no approval number
    f = extract_fields(
        page(
            "현금영수증",
            "식틸번호",
            "1234-****-****-5678",
            [("승인번호", 20), ("20260505-70232106-28529908", 200)],
            [("2026년 8월 28일", 20, "20268282")],
            [("봉사료", 20), ("0", 380)],
            [("합계", 20), ("15,000원", 380)],
        )
    )
    d = f.as_flat_dict()
    assert d["card_number"] is None and d["service_charge"] is None
    assert d["approval_no"] is None and d["total"] == 15000


def test_representative_without_the_seal_and_never_the_buyer():
    # 017/084/092: "성윤희 (인)" read as "성윤희 인"; 099/100/105: a 세금계산서's buyer (right) is not ours
    f = extract_fields(
        page("간이영수증", [("성명", 20), ("성윤희", 120), ("인", 260)], [("합계", 20), ("5,000", 380)])
    )
    assert f.representative.value == "성윤희"
    title, total = "전자세금계산서", [("합계금액", 20), ("110,000", 600)]
    both = [("성명", 20), ("주상철", 100), ("성명", 420), ("송현우", 500)]
    assert extract_fields(page(title, both, total)).representative.value == "주상철"
    buyer_only = [("섬명", 20), ("주상철", 100), ("성명", 420), ("송현우", 500)]
    assert extract_fields(page(title, buyer_only, total)).representative.value is None


def test_the_branch_from_the_name_line_under_a_latin_logo():
    # 046: "Homeplus Express" (the logo) first, then "홈플러스 익스프레스 신촌점"
    f = extract_fields(
        page(
            "Homeplus Express",
            "홈플러스 익스프레스 신촌점",
            "사업자번호: 212-81-25544",
            [("합계", 20), ("9,000", 380)],
        )
    )
    assert f.store_name.value == "홈플러스 익스프레스" and f.branch.value == "신촌점"


def test_a_phone_number_whose_second_dash_was_lost():
    # 047: "TeL062-7180737"
    assert _first(parse_phone("TeL062-7180737")) == "062-718-0737"
    assert _first(parse_phone("031-25491913")) == "031-2549-1913"
    assert parse_phone("사업자 123-4567890") is None  # no area code


def test_an_address_as_printed():
    # 098–105: a 세금계산서's vertical "공급받는자" letter read into the address row; 064/069: brackets
    lines = page(
        "전자세금계산서",
        [("사업장주소", 20), ("대구 북구 금강로 89", 160), ("받", 560)],
        [("합계금액", 20), ("110,000", 600)],
    )
    assert extract_fields(lines).address.value == "대구 북구 금강로 89"
    lines = page("영수증", "주소: 경기 용인시 수지구 관악로 302 <부전동)", [("합계", 20), ("5,000", 380)])
    assert extract_fields(lines).address.value == "경기 용인시 수지구 관악로 302 (부전동)"
    lines = page("영수증", "주소: 대구 북구 동성로 125 (삼성동", [("합계", 20), ("5,000", 380)])
    assert extract_fields(lines).address.value == "대구 북구 동성로 125 (삼성동)"


def test_approval_number_does_not_absorb_the_amount_read_into_its_row():
    # 033: the 승인금액's amount sat in the approval number's row; joining digit runs made "3652889777"
    f = extract_fields(
        page(
            "2026-06-13 12:30",
            "승인번호",
            [("36528997", 20), ("77,000 원", 300)],
            [("승인금액", 20), ("77,000", 300)],
        )
    )
    assert f.approval_no.value == "36528997"


def test_supply_amount_that_does_not_add_up_is_total_minus_vat():
    # 063: the 공급가액 row took the 부가세's amount; 098: another row's amount; both print 합계 − 부가세
    f = extract_fields(
        page(
            "[현금영수증]",
            "2026-05-02 12:00",
            [("공급가액", 20), ("3,091", 400)],
            [("부가세", 20), ("3,091", 400)],
            [("합계", 20), ("34,000", 400)],
            "30,909",
        )
    )
    assert (f.supply_amount.value, f.vat.value, f.total.value) == (30909, 3091, 34000)
    g = extract_fields(
        page(
            "세금계산서",
            [("공급가액", 20), ("45,000", 400)],
            [("세액", 20), ("69,000", 400)],
            [("합계금액", 20), ("759,000", 400)],
            [("품목", 20), ("690,000", 300), ("69,000", 400)],
        )
    )
    assert g.supply_amount.value == 690000
    # a mart receipt with tax-free goods: 부가세 is no tenth of 합계 − 부가세, the 공급가액 stays as read
    h = extract_fields(
        page(
            [("과세물품", 20), ("51,636", 400)],
            [("부가세", 20), ("5,164", 400)],
            [("합계", 20), ("168,700", 400)],
            "163,536",
        )
    )
    assert h.total.value == 168700 and h.supply_amount.value != 163536


def test_store_name_after_the_half_of_a_letter_spaced_label_the_detector_kept():
    # a 간이영수증 prints "상　　호"; the detector kept only "호" (014)
    rows = [
        "영 수 증",
        [("공", 20), ("사업자등록번호", 60), ("551-49-88726", 300)],
        [("호", 120), ("한솔수산", 300), ("성명", 560), ("배경자", 640)],
        [("사업장소재지", 60), ("부산 동래구 역삼로 351, 4층", 300)],
        [("작성년월일", 60), ("공급대가총액", 400)],
        [("2026.1.30", 60), ("₩30,000", 400)],
    ]
    assert extract_fields(page(*rows)).store_name.value == "한솔수산"
