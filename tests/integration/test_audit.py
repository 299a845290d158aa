"""The audit log: changes are recorded, the hash chain verifies, tampering is detected."""

from __future__ import annotations

import os
import subprocess
import sys

from piccolo.querystring import QueryString

from components.audit import services as audit
from components.audit.tables import AuditEntry
from tests.helpers import create_org, invite_link, register


async def test_account_and_organisation_changes_are_recorded(client):
    await register(client, "owner@example.com")
    org_id = await create_org(client, "감사 테스트")
    await invite_link(client, org_id, "auditor")
    actions = [r["action"] for r in await AuditEntry.select(AuditEntry.action).order_by(AuditEntry.id)]
    assert actions == ["user.register", "organisation.create", "invitation.create"]
    created = await AuditEntry.select().where(AuditEntry.action == "organisation.create").first()
    assert created["organisation_id"] == org_id
    assert created["actor_label"].endswith("<owner@example.com>")
    assert created["address"] == "127.0.0.1"
    report = await audit.verify_chain()
    assert report.ok and report.checked == 3


async def test_tampering_and_deletion_break_the_chain(db):
    actor = audit.Actor(None, "system")
    for n in range(4):
        await audit.record(actor, "test.event", "thing", n, after={"amount": n * 1000})
    assert (await audit.verify_chain()).ok
    second = (await AuditEntry.select(AuditEntry.id).order_by(AuditEntry.id).offset(1).first())["id"]
    engine = AuditEntry._meta.db
    await engine.run_querystring(
        QueryString("UPDATE audit_entry SET after = {}::jsonb WHERE id = {}", '{"amount": 999999}', second)
    )
    report = await audit.verify_chain()
    assert not report.ok and report.broken_at == second and "변경" in report.reason
    await engine.run_querystring(QueryString("DELETE FROM audit_entry WHERE id = {}", second))
    report = await audit.verify_chain()
    assert not report.ok and report.broken_at == second + 1 and "삭제" in report.reason


async def test_audit_verify_command(db, database_url):
    await audit.record(audit.Actor(None, "system"), "test.event", "thing", 1)
    result = subprocess.run(
        [sys.executable, "-m", "components.audit", "verify"],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "audit chain OK: 1 entries verified" in result.stdout
