"""Real engines on committed samples (no mocks: the engines are the product)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tasks.ocr.config import OcrConfig
from tasks.ocr.engines import available_engines, get_engine, merge_readings, respace
from tasks.ocr.pages import load_pages
from tasks.ocr.pipeline import read_receipt

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
SAMPLES = Path(__file__).resolve().parents[2] / "samples"
# a clean-ish card slip that every engine reads: total and date must be found by each
CARD_SLIP = SAMPLES / "receipts" / "007_card_slip.jpg"


def _truth(path: Path) -> dict:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def test_registry():
    names = available_engines()
    assert "rapidocr" in names
    for name in names:
        assert get_engine(name) is get_engine(name)  # one instance per process
        assert get_engine(name).name == name
    with pytest.raises(ValueError):
        get_engine("nonsense")


def test_config_from_env():
    cfg = OcrConfig.from_env(
        {
            "CHONGMU_OCR_ENGINE": "tesseract",
            "CHONGMU_OCR_THREADS": "2",
            "CHONGMU_OCR_REC_MODEL_PATH": "/x/rec.onnx",
            "CHONGMU_OCR_REC_KEYS_PATH": "/x/keys.txt",
        }
    )
    assert (cfg.engine, cfg.threads, cfg.rec_model_path, cfg.rec_keys_path) == (
        "tesseract",
        2,
        "/x/rec.onnx",
        "/x/keys.txt",
    )
    assert OcrConfig.from_env({}).engine is None
    assert OcrConfig.from_env({"CHONGMU_OCR_THREADS": "lots"}).threads == 1


@pytest.mark.skipif(not CARD_SLIP.exists(), reason="samples not generated")
@pytest.mark.parametrize("engine", available_engines())
def test_engine_reads_total_and_date(engine):
    truth = _truth(CARD_SLIP)
    image = load_pages(CARD_SLIP.read_bytes())[0]
    res = read_receipt(image, engine)
    out = res.as_json()
    assert out["total"] == truth["total"]
    assert out["datetime"] == truth["datetime"]
    assert res.lines and all(len(ln.box) == 4 for ln in res.lines)
    assert res.fields.total.box is not None
    assert out["seconds"] > 0


def test_sideways_phone_photo_is_read_upright():
    path = SAMPLES / "special" / "sideways_receipt.jpg"
    if not path.exists():
        pytest.skip("special samples not generated")
    image = load_pages(path.read_bytes())[0]
    assert image.height > image.width  # EXIF orientation applied
    out = read_receipt(image, "rapidocr").as_json()
    assert out["total"] == _truth(path)["total"]


def test_sideways_heic():
    path = SAMPLES / "special" / "sideways_receipt.heic"
    if not path.exists():
        pytest.skip("special samples not generated")
    image = load_pages(path.read_bytes())[0]
    assert image.height > image.width


def test_two_page_pdf():
    path = SAMPLES / "special" / "two_receipts.pdf"
    if not path.exists():
        pytest.skip("special samples not generated")
    pages = load_pages(path.read_bytes())
    assert len(pages) == 2


def test_image_without_text():
    path = SAMPLES / "special" / "no_text.jpg"
    if not path.exists():
        pytest.skip("special samples not generated")
    out = read_receipt(load_pages(path.read_bytes())[0], "rapidocr").as_json()
    assert out["total"] is None and out["items"] == []
    assert out["warnings"]


def test_merge_readings():
    # Hangul from Tesseract, digits from rapidocr where both read the same number of digit runs
    assert merge_readings("212-81-25544", "사업자번호 212-81-25564") == "사업자번호 212-81-25544"
    # rapidocr drops spaces; Tesseract's spacing is put back where both readings agree
    assert (
        respace("2026-09-14 18:30:1430224109", "2026-09-14 18:30:14 30224109")
        == "2026-09-14 18:30:14 30224109"
    )
    assert respace("TEL02-3408-1234", "TEL 02-3408-1 234") == "TEL 02-3408-1234"
    # Chinese characters (Hangul read by rapidocr) never win over a Hangul reading
    assert merge_readings("早", "부가세") == "부가세"
    # rapidocr glued the date's digits together, but its time of day is still taken (050: 09:46, not 09:48)
    assert (
        merge_readings("202610609:46P0S:05", "2026년 10월 6일 09:48 P0S:05") == "2026년 10월 6일 09:46 P0S:05"
    )
    # a bare number read with as many digits by both: the surer reading (033's approval number)
    assert merge_readings("36528897", "36528997", 0.87, 0.90) == "36528997"
    assert merge_readings("36528897", "36528997", 0.93, 0.90) == "36528897"
    # …but not a lost digit, nor an amount
    assert merge_readings("7037138", "27037138", 0.80, 0.90) == "7037138"
    assert merge_readings("13,546", "13,545", 0.80, 0.90) == "13,546"


def test_masked_card_number_is_read_as_one_line():
    """The detector leaves out the stars of "9441-90**-****-840*" and splits it in two; the line box
    is stretched over them (preprocess.extend_over_marks), so the line is read whole."""
    import re

    image = load_pages((SAMPLES / "receipts" / "033_restaurant.jpg").read_bytes())[0]
    texts = [ln.text for ln in get_engine("korean").read(image)]
    assert any(re.search(r"9441-90\*\*-\*{3,4}-\S{3}", t) for t in texts), texts


def test_tiled_detection_finds_each_line_once():
    """CHONGMU_OCR_DET_TILE_PIXELS: strips with overlap find the same lines as one pass, none twice."""
    import numpy as np

    from tasks.ocr.engines import RapidBackend
    from tasks.ocr.preprocess import fit_side, to_bgr

    image = load_pages((SAMPLES / "receipts" / "030_mart.jpg").read_bytes())[0]
    bgr, _ = fit_side(to_bgr(image), 1600)
    whole = RapidBackend(OcrConfig()).detect(bgr)
    tiled = RapidBackend(OcrConfig(det_tile_pixels=bgr.shape[0] * bgr.shape[1] // 3)).detect(bgr)

    def centre(b):  # type: ignore[no-untyped-def]
        return np.asarray(b).mean(axis=0)

    def matches(b, boxes):  # type: ignore[no-untyped-def]
        return sum(np.linalg.norm(centre(b) - centre(o)) < 12 for o in boxes)

    assert len(whole) > 40
    assert abs(len(tiled) - len(whole)) <= 0.05 * len(whole)
    assert sum(matches(b, tiled) >= 1 for b in whole) >= 0.93 * len(whole)
    assert all(matches(b, tiled) == 1 for b in tiled)  # nothing found twice on a cut
    assert OcrConfig.from_env({"CHONGMU_OCR_DET_TILE_PIXELS": "1000000"}).det_tile_pixels == 1_000_000


def test_memory_that_a_read_frees_goes_back_to_the_system():
    """A long-running worker's RSS climbed with every receipt (bench/ocr.py measures how much):
    the recogniser keeps no arena sized for one crop width, and glibc is asked to trim after a read."""
    import platform

    from tasks.ocr import pipeline
    from tasks.ocr.recognizer import KoreanRecognizer

    options = KoreanRecognizer().session.get_session_options()
    assert options.enable_cpu_mem_arena is False
    assert options.enable_mem_pattern is False
    if platform.system() == "Linux" and platform.libc_ver()[0] == "glibc":
        assert pipeline._malloc_trim() is not None
    pipeline.release_freed_memory()  # callable everywhere, a no-op where there is no malloc_trim
