"""python -m tasks.ocr: one JSON object per file (per page for PDFs), errors as JSON with a Korean message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = ROOT / "tests" / "samples"
KEYS = {
    "store_name", "branch", "biz_no", "representative", "phone", "address", "datetime", "total",
    "supply_amount", "vat", "card_company", "card_number", "installment", "approval_no", "items",
    "evidence_type", "warnings", "seconds", "file",
}  # fmt: skip


def _run(*args: str) -> tuple[int, list[dict]]:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "tasks.ocr", *args], cwd=ROOT, capture_output=True, text=True, env=env,
        timeout=300, check=False,
    )  # fmt: skip
    return proc.returncode, [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def test_cli_image_pdf_and_bad_file(tmp_path):
    sample = SAMPLES / "receipts" / "007_card_slip.jpg"
    pdf = SAMPLES / "special" / "two_receipts.pdf"
    if not sample.exists() or not pdf.exists():
        pytest.skip("samples not generated")
    bad = tmp_path / "not_a_receipt.jpg"
    bad.write_text("<svg onload=alert(1)></svg>", encoding="utf-8")
    rc, out = _run(str(sample), str(pdf), str(bad), "--engine", "rapidocr")
    assert rc == 1  # one file failed
    assert len(out) == 4  # the image, two PDF pages, the bad file
    first = out[0]
    assert KEYS <= set(first)
    assert first["total"] == json.loads(sample.with_suffix(".json").read_text(encoding="utf-8"))["total"]
    assert isinstance(first["items"], list) and isinstance(first["warnings"], list)
    assert [o.get("page") for o in out[1:3]] == [1, 2]
    assert "이미지나 PDF 파일이 아닙니다" in out[3]["error"]


def test_cli_list_engines():
    rc, out = _run("--list-engines")
    assert rc == 0 and "rapidocr" in out[0]["available"] and out[0]["default"] in out[0]["available"]
