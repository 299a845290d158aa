"""The committed receipt sample set is consistent with its ground truth and with its generator."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest
from PIL import Image

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
RECEIPTS = SAMPLES / "receipts"
SPECIAL = SAMPLES / "special"
KEYS = {
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
    "kind",
    "degradations",
}
EVIDENCE_TYPES = {"card_slip", "cash_receipt", "tax_invoice", "simple_receipt", "statement", "receipt"}
MONEY_KEYS = ("total", "supply_amount", "vat", "discount", "service_charge")


def _load_generator():
    spec = importlib.util.spec_from_file_location("chongmu_sample_generator", SAMPLES / "generate.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


gen = _load_generator()
TRUTHS = sorted(RECEIPTS.glob("*.json"))


def _truth(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_checksum_reference_values():
    assert gen.biz_no_valid("212-81-25544")
    assert gen.biz_no_valid("514-82-00577")
    assert not gen.biz_no_valid("123-45-67890")


def test_every_image_has_ground_truth_and_the_set_is_big_enough():
    images = {p.stem for p in RECEIPTS.glob("*.jpg")}
    truths = {p.stem for p in TRUTHS}
    assert images == truths
    assert len(images) >= 80
    assert {re.sub(r"^\d{3}_", "", s) for s in images} == set(gen.KIND_COUNTS) | set(gen.EXTRA_KIND_COUNTS)


@pytest.mark.parametrize("path", TRUTHS, ids=lambda p: p.stem)
def test_ground_truth_is_consistent(path: Path):
    t = _truth(path)
    assert KEYS <= set(t), KEYS - set(t)
    assert path.stem.split("_", 1)[1] == t["kind"]
    assert t["evidence_type"] in EVIDENCE_TYPES
    for key in MONEY_KEYS:
        assert t.get(key) is None or (isinstance(t[key], int) and t[key] >= 0), key
    assert isinstance(t["total"], int) and t["total"] > 0
    assert t["biz_no"] is None or (
        re.fullmatch(r"\d{3}-\d{2}-\d{5}", t["biz_no"]) and gen.biz_no_valid(t["biz_no"])
    )
    if t["supply_amount"] is not None and t["vat"] is not None:
        assert t["supply_amount"] + t["vat"] == t["total"]
    invoice = t["evidence_type"] in ("statement", "tax_invoice")  # items are supply amounts, VAT per line
    if t["vat"] is not None and t["supply_amount"] is not None and not invoice:
        assert t["vat"] == gen.vat_of(t["total"])
    if t["items"]:
        for it in t["items"]:
            assert set(it) == {"name", "quantity", "unit_price", "amount"}
            assert it["name"] and it["quantity"] * it["unit_price"] == it["amount"]
        items_sum = sum(it["amount"] for it in t["items"])
        if invoice:
            assert items_sum == t["supply_amount"]
        else:
            assert items_sum - (t.get("discount") or 0) + (t.get("service_charge") or 0) == t["total"]
    if t["datetime"]:
        fmt = {10: "%Y-%m-%d", 16: "%Y-%m-%dT%H:%M", 19: "%Y-%m-%dT%H:%M:%S"}[len(t["datetime"])]
        dt.datetime.strptime(t["datetime"], fmt)
    if t["approval_no"] is not None:
        assert re.fullmatch(r"\d{8,9}", t["approval_no"])
    if t["card_number"] is not None:
        assert re.fullmatch(r"[\d*]{4}[- ]?[\d*]{4}[- ]?[\d*]{4}[- ]?[\d*]{4}", t["card_number"])
        assert t["card_company"] in gen.CARD_COMPANIES
        assert re.fullmatch(r"일시불|\d{1,2}개월", t["installment"])
    if t["evidence_type"] == "card_slip":
        assert t["approval_no"] and t["card_company"] and t["card_number"]
    assert isinstance(t["degradations"], dict) and "jpeg_quality" in t["degradations"]


@pytest.mark.parametrize("path", sorted(RECEIPTS.glob("*.jpg")), ids=lambda p: p.stem)
def test_images_are_small_jpegs(path: Path):
    assert path.stat().st_size <= 210_000
    with Image.open(path) as im:
        assert im.format == "JPEG"
        assert min(im.size) >= 300


@pytest.mark.parametrize("index", [1, 2, 97])
def test_generator_is_deterministic(index: int, tmp_path: Path):
    out = gen.write_sample(index, tmp_path)
    committed = RECEIPTS / out.with_suffix(".json").name
    assert committed.exists()
    assert out.with_suffix(".json").read_text(encoding="utf-8") == committed.read_text(encoding="utf-8")


def test_special_files():
    with Image.open(SPECIAL / "sideways_receipt.jpg") as im:
        assert im.getexif().get(0x0112) == 6
        assert im.width > im.height  # stored sideways
    assert (SPECIAL / "two_receipts.pdf").read_bytes().startswith(b"%PDF")
    pdfium = pytest.importorskip("pypdfium2")
    assert len(pdfium.PdfDocument(str(SPECIAL / "two_receipts.pdf"))) == 2
    heif = pytest.importorskip("pillow_heif")
    heif.register_heif_opener()
    data = (SPECIAL / "sideways_receipt.heic").read_bytes()
    assert b"ftypheic" in data[:32] or b"ftypmif1" in data[:32]
    with Image.open(SPECIAL / "sideways_receipt.heic") as im:
        assert im.height > im.width  # upright once its rotation is applied
    with Image.open(SPECIAL / "no_text.jpg") as im:
        assert im.format == "JPEG"
