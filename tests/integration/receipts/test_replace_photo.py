"""다시 찍은 사진: a blurred receipt photo is replaced by a new one; the old one stays, rejected."""

from __future__ import annotations

from components.receipts import services
from components.receipts.tables import Receipt
from tasks.ocr.extract import POOR_PHOTO_WARNING
from tests.helpers import HX, csrf, member_of

from .conftest import render_receipt, upload
from .test_access_review import _read, _result, _uploaded

NEW_PHOTO = render_receipt(["맛있는 김밥", "합계 9,000원", "다시 찍음"])


async def _replace(client, org: int, rid: int, data: bytes, ctype: str = "image/jpeg", htmx: bool = False):  # type: ignore[no-untyped-def]
    headers = {"x-csrftoken": await csrf(client), **(HX if htmx else {})}
    return await client.post(
        f"/o/{org}/receipts/{rid}/replace",
        headers=headers,
        files=[("photo", ("again.jpg", data, ctype))],
        follow_redirects=False,
    )


def test_warning_and_web_agree_on_the_prefix():
    assert POOR_PHOTO_WARNING.startswith(services.POOR_PHOTO_PREFIX)


async def test_poor_photo_offers_a_retake_that_keeps_the_old_one(owner):
    client, org = owner["client"], owner["org"]
    rid = await _uploaded(owner)
    result = _result("김밥", 8000)
    result["warnings"] = [POOR_PHOTO_WARNING]
    await _read(rid, result)
    page = await client.get(f"/o/{org}/receipts/{rid}")
    assert page.status_code == 200
    # the retake form comes right after the warning, before the review form
    assert page.text.index("/replace") < page.text.index("/confirm")
    assert 'capture="environment"' in page.text

    response = await _replace(client, org, rid, NEW_PHOTO)
    assert response.status_code == 303
    new_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert new_id != rid
    old = await Receipt.select().where(Receipt.id == rid).first()
    new = await Receipt.select().where(Receipt.id == new_id).first()
    assert old["status"] == "rejected" and f"#{new_id}" in old["error"]
    assert new["status"] == "queued" and new["event"] == old["event"]
    # both originals are kept
    assert (await client.get(f"/o/{org}/receipts/{rid}/file/original")).status_code == 200
    assert (await client.get(f"/o/{org}/receipts/{new_id}/file/original")).status_code == 200
    followed = await client.get(f"/o/{org}/receipts/{new_id}")
    assert "새 사진을 올렸습니다" in followed.text
    # a rejected receipt offers no second retake
    again = await client.get(f"/o/{org}/receipts/{rid}")
    assert "/replace" not in again.text


async def test_retake_over_htmx_navigates_to_the_new_receipt(owner):
    client, org = owner["client"], owner["org"]
    rid = await _uploaded(owner)
    await _read(rid, _result("김밥", 8000))
    page = await client.get(f"/o/{org}/receipts/{rid}")
    assert "/replace" in page.text  # offered among the other actions without the warning too
    response = await _replace(client, org, rid, NEW_PHOTO, htmx=True)
    assert response.status_code in (200, 204) and "HX-Location" in response.headers
    assert "/receipts/" in response.headers["HX-Location"]


async def test_bad_retake_keeps_the_receipt_and_says_why(owner):
    client, org = owner["client"], owner["org"]
    rid = await _uploaded(owner)
    await _read(rid, _result("김밥", 8000))
    before = await Receipt.count()
    response = await _replace(client, org, rid, b"just text, not a photo", "image/jpeg")
    assert response.status_code == 422
    assert "기존 사진은 그대로 있습니다" in response.text
    assert (await Receipt.select(Receipt.status).where(Receipt.id == rid).first())["status"] == "needs_review"
    assert await Receipt.count() == before
    empty = await client.post(
        f"/o/{org}/receipts/{rid}/replace",
        headers={"x-csrftoken": await csrf(client)},
        data={"_csrf_token": await csrf(client)},
        follow_redirects=False,
    )
    assert empty.status_code == 422 and await Receipt.count() == before


async def test_only_the_uploader_or_the_treasurer_retakes(owner, make_client):
    client, org, event = owner["client"], owner["org"], owner["event"]
    rid = await _uploaded(owner)
    await _read(rid, _result("김밥", 8000))
    member = await make_client()
    await member_of(client, member, org, "m2@example.com", "member")
    response = await _replace(member, org, rid, NEW_PHOTO)
    assert response.status_code == 403
    # the member's own receipt: allowed
    mine = await upload(member, org, event, [("m.jpg", NEW_PHOTO, "image/jpeg")])
    assert mine.status_code == 200
    mine_id = int((await Receipt.select(Receipt.id).order_by(Receipt.id, ascending=False).first())["id"])
    await _read(mine_id, _result("김밥", 9000))
    assert (await _replace(member, org, mine_id, render_receipt(["세 번째"]))).status_code == 303
