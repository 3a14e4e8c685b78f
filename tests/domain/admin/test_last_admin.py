"""The last active administrator cannot be demoted or disabled, even when two
administrators act against each other at the same moment."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.domain.admin.schemas import UserChange
from interviewd.domain.admin.service import admin_service
from interviewd.domain.audit.service import audit_service
from interviewd.errors import Conflict
from interviewd.kit.principal import Principal
from interviewd.models import AuditEntry, User
from tests.domain.auth.factories import create_admin

pytestmark = pytest.mark.asyncio


async def _principal(session, user_id: int) -> Principal:
    return Principal(user=await session.get(User, user_id))


@pytest.mark.parametrize("change", [UserChange(role="candidate"), UserChange(status="disabled")])
async def test_a_request_in_flight_cannot_remove_the_last_admin(client, change):
    first, second = await create_admin(), await create_admin()
    sessionmaker = runtime.current().sessionmaker
    async with sessionmaker() as session:
        first_uid, second_uid = [await session.scalar(select(User.uid).where(User.id == a["id"]))
                                 for a in (first, second)]

    with pytest.raises(Conflict):
        async with unit_of_work(sessionmaker) as session:
            # The first admin's request was authenticated while both were admins...
            acting = await _principal(session, first["id"])
            # ...then the second admin demoted them and committed...
            async with unit_of_work(sessionmaker) as other:
                await admin_service.update_user(other, await _principal(other, second["id"]),
                                                user_uid=first_uid, change=UserChange(role="mentor"))
            # ...so demoting or disabling the second would leave no administrator.
            await admin_service.update_user(session, acting, user_uid=second_uid, change=change)

    async with sessionmaker() as session:
        remaining = list(await session.scalars(select(User.uid).where(User.role == "admin",
                                                                      User.status == "active")))
        actions = list(await session.scalars(select(AuditEntry.action)))
    assert remaining == [second_uid]
    assert actions == ["user.role"]


async def test_record_writes_in_the_callers_transaction(client):
    admin = await create_admin()
    sessionmaker = runtime.current().sessionmaker
    with pytest.raises(RuntimeError):
        async with unit_of_work(sessionmaker) as session:
            principal = await _principal(session, admin["id"])
            await audit_service.record(session, principal, action="thing.poke", target_type="thing",
                                       target_id=7, details={"why": "test"})
            raise RuntimeError("the write failed after the audit entry was added")
    async with unit_of_work(sessionmaker) as session:
        assert list(await session.scalars(select(AuditEntry))) == []
        principal = await _principal(session, admin["id"])
        await audit_service.record(session, principal, action="thing.poke", target_type="thing",
                                   target_id=7, ip_address="192.0.2.1")
        await audit_service.record(session, None, action="system.sweep", target_type="job", target_id=None)
    async with sessionmaker() as session:
        entries = list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [(e.actor_id, e.actor_email, e.action, e.target_id, e.details, e.ip_address) for e in entries] == [
        (admin["id"], admin["email"], "thing.poke", "7", {}, "192.0.2.1"),
        (None, None, "system.sweep", None, {}, None),
    ]
    assert entries[0].created_at.tzinfo is not None
