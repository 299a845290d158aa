"""Helpers for the events tests: create an event, a budget line, a transaction through HTTP."""

from __future__ import annotations

import re
from typing import Any

from tests.helpers import post


async def make_event(client: Any, org: int, **data: str) -> int:
    form = {
        "title": "신입생 환영회",
        "starts_on": "2026-03-02",
        "ends_on": "2026-03-03",
        "place": "학생회관",
        "carry_in": "50,000",
        **data,
    }
    response = await post(client, f"/o/{org}/events", form)
    assert response.status_code == 303, response.text
    match = re.search(r"/events/(\d+)$", response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


async def add_line(client: Any, org: int, event: int, **data: str) -> int:
    from components.events.tables import BudgetLine

    form = {"section": "expense", "category": "식비", "name": "저녁", "planned_amount": "100,000", **data}
    response = await post(client, f"/o/{org}/events/{event}/budget/lines", form)
    assert response.status_code == 303, response.text
    row = await BudgetLine.select(BudgetLine.id).order_by(BudgetLine.id, ascending=False).first()
    return int(row["id"])


async def add_tx(client: Any, org: int, event: int, **data: str) -> int:
    from components.events.tables import Transaction

    form = {
        "section": "expense",
        "occurred_on": "2026-03-02",
        "counterparty": "김밥천국",
        "amount": "13,500",
        "payment_method": "card",
        "evidence_type": "card_slip",
        "status": "confirmed",
        "budget_line": "",
        **data,
    }
    response = await post(client, f"/o/{org}/events/{event}/transactions", form)
    assert response.status_code == 303, response.text
    row = await Transaction.select(Transaction.id).order_by(Transaction.id, ascending=False).first()
    return int(row["id"])
