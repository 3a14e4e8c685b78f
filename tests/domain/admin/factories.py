"""Accounts of every role, sessions and evaluations inserted the way the
admin tests need them."""

from __future__ import annotations

import hashlib
from datetime import datetime

import httpx
from sqlalchemy import select, update

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.models import AnalysisResult, AuditEntry, InterviewSession, Question, User
from tests.conftest import bearer, register
from tests.domain.auth.factories import admin_token, create_admin


async def admin_account(client: httpx.AsyncClient, **extra) -> dict:
    """An administrator with a signed-in access token and its /api id."""
    admin = await create_admin(**extra)
    token = await admin_token(client, admin)
    async with runtime.current().sessionmaker() as session:
        uid = await session.scalar(select(User.uid).where(User.id == admin["id"]))
    return {**admin, "uid": uid, "token": token, "headers": bearer(token)}


async def account(client: httpx.AsyncClient, *, role: str = "candidate", **extra) -> dict:
    """A registered account given `role`; its token stays valid (the role is read per request)."""
    registered = await register(client, **extra)
    async with unit_of_work(runtime.current().sessionmaker) as session:
        await session.execute(update(User).where(User.uid == registered["userId"]).values(role=role))
        user_id = await session.scalar(select(User.id).where(User.uid == registered["userId"]))
    token = registered["tokens"]["accessToken"]
    return {**registered, "id": user_id, "uid": registered["userId"], "token": token,
            "headers": bearer(token)}


async def insert_session(user_id: int | None, *, kind: str = "ai", status: str = "completed",
                         created_at: datetime | None = None, title: str | None = None) -> str:
    async with unit_of_work(runtime.current().sessionmaker) as session:
        row = InterviewSession(kind=kind, user_id=user_id, status=status, title=title)
        if created_at is not None:
            row.created_at = row.updated_at = created_at
        session.add(row)
        await session.flush()
        return row.uid


async def insert_evaluation(user_id: int, *, category: str | None, score: float,
                            created_at: datetime | None = None) -> None:
    """An evaluation of an answer to a bank question of `category` (None: no bank question)."""
    async with unit_of_work(runtime.current().sessionmaker) as session:
        question_id = None
        if category is not None:
            question_id = await session.scalar(select(Question.id).where(Question.category == category))
            if question_id is None:
                text = f"A {category} question?"
                question = Question(key=f"admin-{category}", type="technical", category=category,
                                    difficulty="medium", title=text, text=text,
                                    text_hash=hashlib.sha256(text.encode()).hexdigest())
                session.add(question)
                await session.flush()
                question_id = question.id
        part = score / 4
        row = AnalysisResult(
            user_id=user_id, question_id=question_id, total_score=score,
            rubric={"understanding": part, "logic": part, "specificity": part, "jobFit": part},
            scores={"completeness": score, "correctness": score, "communication": score},
        )
        if created_at is not None:
            row.created_at = created_at
        session.add(row)


async def audit_entries(**filters) -> list[AuditEntry]:
    """Audit rows straight from the table, oldest first."""
    async with runtime.current().sessionmaker() as session:
        stmt = select(AuditEntry).order_by(AuditEntry.id)
        for name, value in filters.items():
            stmt = stmt.where(getattr(AuditEntry, name) == value)
        return list(await session.scalars(stmt))
