from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import select

from interviewd import runtime
from interviewd.models.practice import PracticeDetails, PracticeDomain
from interviewd.models.session import InterviewSession, SessionKind
from interviewd.models.user import User
from tests.conftest import bearer, register

CLIENT_METRICS = {"speechPaceWpm": 150, "fillerWordFrequency": 0.02, "overallScore": 80}


async def create_session(user_uid: str, *, kind: str = SessionKind.PRACTICE.value) -> str:
    """A session row as the practice service would leave it; returns its uid."""
    async with runtime.current().sessionmaker() as session:
        user = await session.scalar(select(User).where(User.uid == user_uid))
        slug = f"domain-{uuid.uuid4().hex[:8]}"
        domain = PracticeDomain(slug=slug, name=slug)
        session.add(domain)
        await session.flush()
        row = InterviewSession(kind=kind, user_id=user.id, status="in_progress", title="Practice",
                               details={})
        session.add(row)
        await session.flush()
        if kind == SessionKind.PRACTICE.value:
            session.add(PracticeDetails(session_id=row.id, domain_id=domain.id, session_type="behavioral",
                                        metrics=dict(CLIENT_METRICS), live_timeline=[], feedback=[],
                                        recommendations=[]))
        await session.commit()
        return row.uid


class Account:
    def __init__(self, client: httpx.AsyncClient, data: dict) -> None:
        self.client = client
        self.uid = data["userId"]
        self.headers = bearer(data["tokens"]["accessToken"])

    async def upload(self, session_uid: str, content: bytes, *, filename: str = "rec.webm",
                     content_type: str = "application/octet-stream", kind: str | None = None):
        data = {"kind": kind} if kind else {}
        return await self.client.post(f"/api/interviews/sessions/{session_uid}/recording",
                                      files={"file": (filename, content, content_type)}, data=data,
                                      headers=self.headers)


@pytest.fixture
def account():
    async def make(client: httpx.AsyncClient) -> Account:
        return Account(client, await register(client))

    return make
