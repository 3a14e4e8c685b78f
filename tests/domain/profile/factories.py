"""An identity provider (a JWKS endpoint on loopback and RS256 tokens signed
with its key), and mentors, bookings and sessions written through the ORM
for the 000 profile and dashboard tests."""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.models import (
    AnalysisResult,
    BookingDetails,
    InterviewSession,
    Job,
    Mentor,
    Question,
    User,
)
from tests.conftest import STRONG_PASSWORD, bearer, unique_email
from tests.support.jwks import JwksServer, jwk

ISSUER = "https://clerk.users000.example.test"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
KID = "clerk-key-1"


def provider() -> JwksServer:
    """The provider's /.well-known/jwks.json with its one RSA public key."""
    return JwksServer([jwk(KEY, KID, "RS256")])


def clerk_id() -> str:
    return "user_" + uuid.uuid4().hex[:24]


def clerk_token(sub: str | None = None, **claims) -> str:
    """A Clerk-like session token: RS256, signed by the provider's key."""
    now = int(time.time())
    payload = {"iss": ISSUER, "sub": sub or clerk_id(), "iat": now, "nbf": now - 5, "exp": now + 600,
               "email": unique_email("clerk"), "email_verified": True,
               "first_name": "Grace", "last_name": "Hopper"}
    payload.update(claims)
    payload = {k: v for k, v in payload.items() if v is not None}
    return jwt.encode(payload, KEY, algorithm="RS256", headers={"kid": KID})


class ClerkUser:
    """One provider user: its subject, a token, and its interviewd uid once known."""

    def __init__(self, **claims) -> None:
        self.sub = claims.pop("sub", None) or clerk_id()
        claims.setdefault("email", unique_email("clerk"))
        self.claims = claims
        self.token = clerk_token(self.sub, **claims)
        self.headers = bearer(self.token)
        self.uid: str | None = None

    async def create_profile(self, client: httpx.AsyncClient, **body) -> dict:
        response = await client.post("/api/users", headers=self.headers, json={"userId": self.sub, **body})
        assert response.status_code in (200, 201), response.text
        self.uid = response.json()["user"]["id"]
        return response.json()


async def login_token(client: httpx.AsyncClient, email: str, password: str = STRONG_PASSWORD) -> str:
    response = await client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return response.json()["tokens"]["accessToken"]


async def user_by_uid(uid: str) -> User:
    async with runtime.current().sessionmaker() as session:
        return await session.scalar(select(User).where(User.uid == uid))


async def welcome_jobs(user_id: int) -> list[Job]:
    async with runtime.current().sessionmaker() as session:
        jobs = await session.scalars(select(Job).where(Job.name == "mail.welcome"))
        return [job for job in jobs if job.payload.get("user_id") == user_id]


async def make_mentor(name: str = "Linus Mentor", *, company: str = "Example Corp",
                      title: str = "Staff Engineer", active: bool = True, **fields) -> Mentor:
    async with unit_of_work(runtime.current().sessionmaker) as session:
        mentor = Mentor(name=name, title=title, current_company=company, is_active=active,
                        specialties=["System Design"], skills=["Go"], languages=["English"], experience=9,
                        rating=4.5, review_count=2, hourly_rate=120.0, timezone="UTC",
                        search_text=name.lower(), **fields)
        session.add(mentor)
        await session.flush()
        return mentor


async def make_booking(user_id: int, mentor: Mentor, *, starts_at: datetime, minutes: int = 60,
                       status: str = "confirmed", session_type: str = "Mock Technical Interview",
                       rating: int | None = None, feedback: str | None = None,
                       created_at: datetime | None = None) -> InterviewSession:
    """A booking as the booking service leaves it; a completed one has completed_at at its end."""
    async with unit_of_work(runtime.current().sessionmaker) as session:
        row = InterviewSession(
            kind="booking", user_id=user_id, status=status, title=session_type, scheduled_at=starts_at,
            completed_at=starts_at + timedelta(minutes=minutes) if status == "completed" else None,
            details={},
        )
        if created_at is not None:
            row.created_at = created_at
        session.add(row)
        await session.flush()
        session.add(BookingDetails(
            session_id=row.id, mentor_id=mentor.id, session_type=session_type, starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes), duration_minutes=minutes, rating=rating,
            feedback=feedback,
        ))
        return row


async def make_session(user_id: int, *, kind: str = "practice", status: str = "completed",
                       completed_at: datetime | None = None, scheduled_at: datetime | None = None,
                       score: float | None = None, seconds: int | None = None,
                       title: str | None = None) -> InterviewSession:
    async with unit_of_work(runtime.current().sessionmaker) as session:
        row = InterviewSession(kind=kind, user_id=user_id, status=status, title=title,
                               scheduled_at=scheduled_at, completed_at=completed_at, overall_score=score,
                               duration_seconds=seconds, details={})
        session.add(row)
        await session.flush()
        return row


async def latest_scores_by_category(user_id: int) -> dict[str, tuple[int, datetime]]:
    """What skillAssessments must say, worked out from the rows in Python."""
    async with runtime.current().sessionmaker() as session:
        rows = (await session.execute(
            select(Question.category, AnalysisResult.total_score, AnalysisResult.created_at,
                   AnalysisResult.id)
            .join(Question, Question.id == AnalysisResult.question_id)
            .where(AnalysisResult.user_id == user_id)
        )).all()
    latest: dict[str, tuple] = {}
    for category, score, created, row_id in rows:
        if category not in latest or (created, row_id) > latest[category][1:]:
            latest[category] = (score, created, row_id)
    return {c: (round(score), created) for c, (score, created, _) in latest.items()}
