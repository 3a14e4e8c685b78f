"""Practice data made the way the product makes it, plus completions moved
into the past (streaks need sessions completed on chosen days)."""

from __future__ import annotations

from datetime import datetime

import httpx
from sqlalchemy import select, update

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.kit.principal import Principal
from interviewd.models import Achievement, InterviewSession, User
from interviewd.seed import seed_practice_domains
from tests.conftest import bearer, register
from tests.domain.auth.factories import create_admin


async def seed_domains() -> dict[str, int]:
    async with unit_of_work(runtime.current().sessionmaker) as session:
        return await seed_practice_domains(session)


async def candidate(client: httpx.AsyncClient, **extra) -> dict:
    """A registered candidate: {userId, token, headers, ...}."""
    account = await register(client, **extra)
    token = account["tokens"]["accessToken"]
    return {**account, "token": token, "headers": bearer(token)}


async def admin(client: httpx.AsyncClient) -> dict:
    made = await create_admin()
    response = await client.post("/api/auth/login",
                                 json={"email": made["email"], "password": made["password"]})
    assert response.status_code == 200, response.text
    token = response.json()["tokens"]["accessToken"]
    return {**made, "userId": response.json()["userId"], "token": token, "headers": bearer(token)}


async def new_session(client: httpx.AsyncClient, user: dict, *, domain: str = "software-dev",
                      session_type: str = "mock", **extra) -> dict:
    response = await client.post("/api/interviews/sessions", headers=user["headers"],
                                 json={"domainId": domain, "sessionType": session_type, **extra})
    assert response.status_code == 201, response.text
    return response.json()


async def completed_session(client: httpx.AsyncClient, user: dict, when: datetime, *, score: float = 80,
                            domain: str = "software-dev") -> str:
    """A session whose metrics were submitted, completed at `when`."""
    created = await new_session(client, user, domain=domain)
    response = await client.patch(f"/api/interviews/sessions/{created['_id']}/metrics",
                                  headers=user["headers"],
                                  json={"metrics": {"overallPerformanceScore": score}})
    assert response.status_code == 200, response.text
    await set_completed_at(created["_id"], when)
    return created["_id"]


async def set_completed_at(session_uid: str, when: datetime) -> None:
    async with unit_of_work(runtime.current().sessionmaker) as session:
        await session.execute(update(InterviewSession).where(InterviewSession.uid == session_uid)
                              .values(completed_at=when, status="completed"))


async def set_timezone(user_uid: str, name: str) -> None:
    async with unit_of_work(runtime.current().sessionmaker) as session:
        user = await session.scalar(select(User).where(User.uid == user_uid))
        user.preferences = {**(user.preferences or {}), "timezone": name}


async def principal_of(session, user_uid: str) -> Principal:
    return Principal(user=await session.scalar(select(User).where(User.uid == user_uid)))


async def achievement_codes(user_uid: str) -> list[str]:
    async with runtime.current().sessionmaker() as session:
        rows = await session.scalars(
            select(Achievement.code).join(User, User.id == Achievement.user_id).where(User.uid == user_uid))
        return sorted(rows)
