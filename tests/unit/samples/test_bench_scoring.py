"""The OCR benchmark's scoring (bench/ocr.py): formatting differences are not errors, wrong values are."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench" / "ocr.py"


def _load():
    spec = importlib.util.spec_from_file_location("chongmu_bench_ocr", BENCH)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


bench = _load()
TRUTH = {
    "store_name": "(주)한빛인쇄",
    "branch": None,
    "biz_no": "212-81-25544",
    "phone": "02-555-1234",
    "datetime": "2026-11-03T14:22:05",
    "total": 12500,
    "card_company": "국민",
    "card_number": "5365-12**-****-3456",
    "installment": "일시불",
    "approval_no": "00652378",
    "address": "서울 마포구 양화로 45, 2층",
}


def ok(field: str, value, truth: dict | None = None) -> bool:
    return bench.field_correct(field, truth or TRUTH, {field: value})


def test_formatting_is_not_an_error():
    assert ok("store_name", "한빛인쇄")
    assert ok("store_name", "주식회사 한빛인쇄")
    assert ok("biz_no", "2128125544")
    assert ok("phone", "02)555-1234")
    assert ok("datetime", "2026-11-03T14:22")
    assert ok("datetime", "2026-11-03 14:22:59")
    assert ok("total", "12,500")
    assert ok("card_company", "KB국민카드")
    assert ok("card_number", "5365 12** **** 3456")
    assert ok("installment", "00")
    assert ok("approval_no", "[00652378]")
    assert ok("address", "서울 마포구 양화로 45 2층")


def test_wrong_values_are_errors():
    assert not ok("store_name", "한길인쇄소 본점")
    assert not ok("biz_no", "212-81-25545")
    assert not ok("datetime", "2026-11-03T14:23")
    assert not ok("total", 1250)
    assert not ok("card_company", "신한")
    assert not ok("installment", "3개월")
    assert not ok("approval_no", "652378")
    assert not ok("total", None)


def test_store_name_with_branch_and_date_only_truth():
    truth = {"store_name": "스타벅스", "branch": "강남역점", "datetime": "2026-11-03"}
    assert ok("store_name", "스타벅스 강남역점", truth)
    assert bench.field_correct("store_name", truth, {"store_name": "스타벅스", "branch": "강남역점"})
    assert ok("datetime", "2026-11-03T00:00", truth)


def test_items_and_percentiles():
    truth = [{"amount": 1000}, {"amount": 1000}, {"amount": 4500}]
    assert bench.items_matched(truth, [{"amount": 1000}, {"amount": 4500}, {"amount": 9}]) == (2, 3, 3)
    assert bench.percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert bench.percentile([], 0.5) is None


def test_value_in_raw_text():
    truth = {"biz_no": "212-81-25544", "total": 12500, "datetime": "2026-11-03T14:22"}
    truth["store_name"] = "스타벅스"
    lines = ["사업자 212 81 25544", "합 계  12, 500원", "26.11.03 14:22", "STAR 스타벅스 강남역점"]
    for f in ("biz_no", "total", "datetime", "store_name"):
        assert bench.in_raw_text(f, truth, lines), f
    assert not bench.in_raw_text("total", truth, ["125,000"])
    assert not bench.in_raw_text("store_name", truth, ["스타필드"])


def test_key_fields_are_also_scored_on_the_photos_not_flagged_as_poor():
    truths = {"a": dict(TRUTH, kind="mart"), "b": dict(TRUTH, kind="mart")}
    right = {"total": 12500, "biz_no": "212-81-25544", "warnings": []}
    blurred = {"total": 99, "biz_no": None, "warnings": ["사진이 흐리거나 기울어 읽지 못한 항목이 많습니다."]}
    raw = {"engine": "x", "results": [{"sample": "a", "pred": right}, {"sample": "b", "pred": blurred}]}
    raw.update(peak_rss_kib=1024, tree_peak_rss_kib=1024, children_peak_rss_kib=0)
    s = bench.score(raw, truths)
    assert s["accuracy"]["total"] == 0.5
    assert s["poor_photo"] == [1, 0]
    assert s["unflagged"]["photos"] == 1
    assert s["unflagged"]["accuracy"]["total"] == 1.0
    assert s["unflagged"]["accuracy"]["datetime"] == 0.0
    assert "1: 100% / 0%" in bench.markdown([s], by_kind=False)
