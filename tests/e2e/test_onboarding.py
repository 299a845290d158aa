"""Walking skeleton in a real browser: register → create an organisation → invite → the invitee accepts."""

from __future__ import annotations

import re

PASSWORD = "correct-horse-battery"


async def _fill_registration(tab, email: str, name: str) -> None:  # type: ignore[no-untyped-def]
    await tab.fill("#f-email", email)
    await tab.fill("#f-display_name", name)
    await tab.fill("#f-password", PASSWORD)
    await tab.fill("#f-password_confirm", PASSWORD)
    await tab.click("button:has-text('가입하기')")


async def test_register_create_organisation_invite_and_accept(page, new_page):
    # A wrong input first: the error appears in place (HTMX) and the typed e-mail is kept.
    await page.goto("/register")
    await page.fill("#f-email", "owner@example.com")
    await page.fill("#f-display_name", "김회장")
    await page.fill("#f-password", "short")
    await page.fill("#f-password_confirm", "short")
    await page.click("button:has-text('가입하기')")
    # The hint under the field says "10자 이상" too: wait for the error itself, or the
    # next fill races the swap that is still on its way.
    await page.wait_for_selector("#e-password:has-text('10자 이상')")
    assert await page.input_value("#f-email") == "owner@example.com"

    await page.fill("#f-password", PASSWORD)
    await page.fill("#f-password_confirm", PASSWORD)
    await page.click("button:has-text('가입하기')")
    await page.wait_for_url(re.compile(r"/orgs$"))

    await page.fill("#f-name", "컴퓨터공학과 학생회")
    await page.click("button:has-text('만들기')")
    await page.wait_for_url(re.compile(r"/o/\d+$"))
    await page.wait_for_selector("h1:has-text('컴퓨터공학과 학생회')")

    await page.click("a.tile:has-text('구성원')")
    await page.wait_for_url(re.compile(r"/o/\d+/members$"))
    await page.select_option("#f-role", "treasurer")
    await page.fill("#f-note", "총무님")
    await page.click("button:has-text('초대 링크 만들기')")
    link = await page.input_value("#invite-url", timeout=10_000)
    assert "/invite/" in link

    friend = await new_page(phone=True)
    await friend.goto(link)
    await friend.wait_for_selector("text=초대받았습니다")
    await friend.click("a:has-text('가입하기')")
    await friend.wait_for_url(re.compile(r"/register\?next=/invite/"))
    await _fill_registration(friend, "friend@example.com", "이총무")
    await friend.wait_for_url(re.compile(r"/invite/"))
    await friend.click("button:has-text('초대 수락')")
    await friend.wait_for_url(re.compile(r"/o/\d+$"))
    await friend.wait_for_selector("text=내 역할: 총무")

    # The owner sees the new member with the treasurer role.
    await page.goto(page.url)
    await page.reload()
    assert "friend@example.com" in await page.content()
