"""Each bad upload gets a clear Korean message; good files in the same request are kept; nothing is lost."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from components.receipts.tables import Receipt, StoredFile

from .conftest import render_receipt, sample, upload


def _pdf(pages: int) -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(200, 300)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _bomb() -> bytes:
    """A 20000×20000 PNG: small on disk (1 bit per pixel, compresses well), 400 megapixels decoded."""
    out = io.BytesIO()
    Image.new("1", (20000, 20000), 1).save(out, "PNG", optimize=False)
    return out.getvalue()


JPEG = render_receipt(["테스트 가게", "합계 12,000원"])

BAD = [
    ("zero.jpg", b"", "image/jpeg", "빈 파일입니다"),
    ("truncated.jpg", JPEG[: len(JPEG) // 2], "image/jpeg", "파일이 손상되었습니다"),
    ("notes.jpg", "영수증 아님\n그냥 글자\n".encode(), "image/jpeg", "이미지나 PDF 파일이 아닙니다"),
    (
        "evil.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "image/svg+xml",
        "SVG/HTML 파일은 받지 않습니다",
    ),
    (
        "page.html",
        b"<!doctype html><html><script>alert(1)</script></html>",
        "text/html",
        "SVG/HTML 파일은 받지 않습니다",
    ),
]


@pytest.mark.parametrize(("name", "data", "ctype", "message"), BAD, ids=[b[0] for b in BAD])
async def test_bad_file_is_refused_with_korean_message(owner, name, data, ctype, message):
    client, org, event = owner["client"], owner["org"], owner["event"]
    response = await upload(client, org, event, [(name, data, ctype)])
    assert response.status_code == 422
    assert message in response.text and "이 파일은 저장하지 않았습니다" in response.text
    assert "<script>alert" not in response.text
    assert await Receipt.count() == 0 and await StoredFile.count() == 0


async def test_huge_image_and_huge_pdf_are_refused(owner):
    client, org, event = owner["client"], owner["org"], owner["event"]
    response = await upload(
        client, org, event, [("bomb.png", _bomb(), "image/png"), ("book.pdf", _pdf(300), "application/pdf")]
    )
    assert response.status_code == 422
    assert "bomb.png: 이미지가 너무 큽니다" in response.text
    assert "book.pdf: PDF 페이지가 너무 많습니다 (최대 20쪽, 이 파일은 300쪽)" in response.text
    assert await Receipt.count() == 0


async def test_good_files_survive_bad_neighbours_without_javascript(owner):
    client, org, event = owner["client"], owner["org"], owner["event"]
    response = await upload(
        client, org, event, [("good.jpg", JPEG, "image/jpeg"), ("zero.jpg", b"", "image/jpeg")], htmx=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/o/{org}/events/{event}/receipts"
    page = await client.get(response.headers["location"])
    assert "영수증 1장을 올렸습니다" in page.text and "zero.jpg: 빈 파일입니다" in page.text
    assert await Receipt.count() == 1


async def test_too_many_files_and_no_file(owner):
    client, org, event = owner["client"], owner["org"], owner["event"]
    response = await upload(client, org, event, [(f"{i}.jpg", JPEG, "image/jpeg") for i in range(11)])
    assert response.status_code == 422 and "한 번에 10개까지 올릴 수 있습니다" in response.text
    response = await upload(client, org, event, [("", b"", "application/octet-stream")])
    assert response.status_code == 422 and "올릴 파일을 골라 주세요" in response.text
    assert await Receipt.count() == 0


async def test_heic_shot_sideways_is_stored_upright_without_exif(owner):
    client, org, event = owner["client"], owner["org"], owner["event"]
    data = sample("special/sideways_receipt.heic")
    response = await upload(client, org, event, [("IMG_0001.HEIC", data, "image/heic")])
    assert response.status_code == 200, response.text
    receipt = await Receipt.select().first()
    assert receipt["original_type"] == "heif"
    original = await StoredFile.select().where(StoredFile.id == receipt["original"]).first()
    assert bytes(original["content"]) == data and original["content_type"] == "image/heic"
    image = await client.get(f"/o/{org}/receipts/{receipt['id']}/file/image")
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(image.content)) as img:
        assert img.height > img.width  # a receipt is portrait once EXIF orientation is applied
        assert not img.getexif()  # no EXIF (location privacy)
        assert (img.width, img.height) == (receipt["image_width"], receipt["image_height"])
    # The original is a download with its validated type, never rendered inline.
    original_response = await client.get(f"/o/{org}/receipts/{receipt['id']}/file/original")
    assert original_response.content == data
    assert original_response.headers["content-type"] == "image/heic"
    assert original_response.headers["content-disposition"].startswith("attachment;")
    assert original_response.headers["x-content-type-options"] == "nosniff"


async def test_pdf_pages_become_receipts_and_pdf_is_kept(owner):
    client, org, event = owner["client"], owner["org"], owner["event"]
    data = sample("special/two_receipts.pdf")
    response = await upload(client, org, event, [("scan.pdf", data, "application/pdf")])
    assert response.status_code == 200
    rows = await Receipt.select().order_by(Receipt.id)
    assert [r["page_no"] for r in rows] == [1, 2] and {r["page_count"] for r in rows} == {2}
    assert rows[0]["original"] == rows[1]["original"]
    assert "(1/2쪽)" in response.text and "(2/2쪽)" in response.text
    original = await client.get(f"/o/{org}/receipts/{rows[0]['id']}/file/original")
    assert original.content == data and original.headers["content-type"] == "application/pdf"
    assert 'filename="receipt-' in original.headers["content-disposition"]


async def test_file_over_the_size_limit(owner, running_app):
    from dataclasses import replace

    from web.settings import UploadSettings

    client, org, event = owner["client"], owner["org"], owner["event"]
    big = JPEG + b"\0" * (1024 * 1024)  # trailing junk after the JPEG: a valid image, 1 MB more
    settings = running_app.state.settings
    running_app.state.settings = replace(settings, upload=UploadSettings(max_file_bytes=1024 * 1024))
    try:
        response = await upload(client, org, event, [("big.jpg", big, "image/jpeg")])
    finally:
        running_app.state.settings = settings
    assert response.status_code == 422
    assert "big.jpg: 파일이 너무 큽니다 (최대 1MB" in response.text
    assert await Receipt.count() == 0


async def test_upload_above_the_apps_general_body_limit(owner):
    """The upload route has its own body limit: a 3 MB photo passes where other forms stop at 2 MB."""
    client, org, event = owner["client"], owner["org"], owner["event"]
    big = JPEG + b"\0" * (3 * 1024 * 1024)
    response = await upload(client, org, event, [("big.jpg", big, "image/jpeg")])
    assert response.status_code == 200, response.text[:500]
    original = (
        await StoredFile.select().where(StoredFile.id == (await Receipt.select().first())["original"]).first()
    )
    assert bytes(original["content"]) == big


async def test_boosted_upload_from_the_event_page_follows_to_the_list(owner):
    """The event page's form is hx-boosted: the answer is an HX-Location to the receipt list."""
    from tests.helpers import csrf

    client, org, event = owner["client"], owner["org"], owner["event"]
    token = await csrf(client)
    response = await client.post(
        f"/o/{org}/events/{event}/receipts",
        headers={"HX-Request": "true", "HX-Boosted": "true", "x-csrftoken": token},
        files=[("files", ("a.jpg", JPEG, "image/jpeg"))],
    )
    assert (
        response.status_code == 200 and f"/o/{org}/events/{event}/receipts" in response.headers["hx-location"]
    )
    page = await client.get(f"/o/{org}/events/{event}/receipts", headers={"HX-Request": "true"})
    assert "<html" in page.text and "영수증 1장을 올렸습니다" in page.text  # whole page into <body>


async def test_receipt_whose_job_vanished_becomes_failed_and_retryable(owner):
    """A crash between commit and enqueue (or a job SAQ gave up on) must not leave 읽는 중 forever."""
    from datetime import UTC, datetime, timedelta

    from tests.helpers import HX

    client, org, event = owner["client"], owner["org"], owner["event"]
    await upload(client, org, event, [("a.jpg", JPEG, "image/jpeg")])
    rid = (await Receipt.select(Receipt.id).first())["id"]
    from piccolo.querystring import QueryString

    await Receipt._meta.db.run_querystring(QueryString("DELETE FROM saq_jobs WHERE key = {}", f"ocr:{rid}"))
    old = datetime.now(UTC) - timedelta(minutes=5)
    await Receipt.update({Receipt.updated_at: old}).where(Receipt.id == rid)
    row = await client.get(f"/o/{org}/receipts/{rid}/row", headers={**HX, "HX-Target": f"receipt-{rid}"})
    assert "실패" in row.text and "작업이 중단되었습니다" in row.text and "다시 읽기" in row.text
    assert (await Receipt.select(Receipt.status).first())["status"] == "failed"

    # A job SAQ marked failed (e.g. its worker died on the last attempt) does the same.
    await upload(client, org, event, [("b.jpg", JPEG + b"b", "image/jpeg")])
    second = (await Receipt.select(Receipt.id).order_by(Receipt.id, ascending=False).first())["id"]
    await Receipt._meta.db.run_querystring(
        QueryString("UPDATE saq_jobs SET status = 'failed' WHERE key = {}", f"ocr:{second}")
    )
    await Receipt.update({Receipt.updated_at: old}).where(Receipt.id == second)
    row = await client.get(
        f"/o/{org}/receipts/{second}/row", headers={**HX, "HX-Target": f"receipt-{second}"}
    )
    assert "작업이 중단되었습니다" in row.text


async def test_uploads_are_rate_limited_per_user(owner, running_app):
    from dataclasses import replace

    client, org, event = owner["client"], owner["org"], owner["event"]
    settings = running_app.state.settings
    running_app.state.settings = replace(settings, upload=replace(settings.upload, rate_max_files=2))
    try:
        first = await upload(client, org, event, [("a.jpg", JPEG, "image/jpeg")])
        assert first.status_code == 200
        others = [(f"{n}.jpg", render_receipt([f"가게 {n}", "합계 9,900원"]), "image/jpeg") for n in "bc"]
        refused = await upload(client, org, event, others)
    finally:
        running_app.state.settings = settings
    assert refused.status_code == 422
    assert "업로드가 너무 많습니다. 10분에 2장까지" in refused.text
    assert await Receipt.count() == 1
