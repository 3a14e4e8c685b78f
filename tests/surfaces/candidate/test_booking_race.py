"""Fifty simultaneous requests for one slot: exactly one booking, forty-nine
CONFLICTs naming it, and no "database is locked" on SQLite."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest
from sqlalchemy import func, select

from interviewd import runtime
from interviewd.models import InterviewSession
from interviewd.models.mentor import BookingHold
from tests.domain.booking.factories import book, booking_body, make_mentor, make_user, slot
from tests.web.processes import clean_env, free_port, start_uvicorn, stop, wait_until_up

pytestmark = pytest.mark.asyncio

RACERS = 50


async def _counts() -> tuple[int, int]:
    async with runtime.current().sessionmaker() as session:
        sessions = await session.scalar(select(func.count()).select_from(InterviewSession)
                                        .where(InterviewSession.kind == "booking"))
        holds = await session.scalar(select(func.count()).select_from(BookingHold))
    return int(sessions), int(holds)


def _one_winner(responses) -> dict:
    codes = Counter(r.status_code for r in responses)
    assert codes == {201: 1, 409: RACERS - 1}, [r.text for r in responses if r.status_code not in (201, 409)]
    winner = next(r for r in responses if r.status_code == 201).json()["session"]
    for response in responses:
        if response.status_code == 409:
            error = response.json()["error"]
            assert error["code"] == "CONFLICT"
            assert error["message"] == "Selected time slot is no longer available"
            assert error["details"]["conflictingSessionId"] == winner["id"]
    return winner


async def test_fifty_candidates_race_for_one_mentor_slot(client):
    mentor = await make_mentor(buffer=5)
    candidates = [await make_user() for _ in range(RACERS)]
    when = slot(days=6, hour=13)
    responses = await asyncio.gather(*[book(client, user, mentor, when, 60) for user in candidates])
    _one_winner(responses)
    # The losers' rows went with their transactions: one booking, its 65 + 60 + 60 minutes
    # (the mentor's calendar with the buffer, the candidate's, the mentor's personal one).
    assert await _counts() == (1, 185)


async def test_one_candidate_races_fifty_mentors_for_one_time(client):
    mentors = [await make_mentor() for _ in range(RACERS)]
    user = await make_user()
    when = slot(days=6, hour=15)
    responses = await asyncio.gather(*[book(client, user, mentor, when, 30) for mentor in mentors])
    _one_winner(responses)
    assert await _counts() == (1, 90)


async def test_fifty_requests_across_two_server_processes(client, tmp_path, database_url):
    """The same race through two real server processes sharing the database,
    so the requests run in parallel across processes, not in one event loop."""
    mentor = await make_mentor()
    candidates = [await make_user() for _ in range(RACERS)]
    when = slot(days=8, hour=11)
    env = clean_env(
        INTERVIEWD_DATABASE_URL=database_url,
        INTERVIEWD_DATA_DIR=str(tmp_path),
        INTERVIEWD_SECRET_KEY=runtime.current().settings.secret_key,
        INTERVIEWD_RATE_LIMIT_ENABLED="false",
        INTERVIEWD_JOBS_IN_PROCESS="false",
        INTERVIEWD_JOBS_BACKEND="memory",
        INTERVIEWD_LOG_LEVEL="WARNING",
    )
    ports = [free_port(), free_port()]
    servers = [start_uvicorn(port, env, cwd=str(tmp_path), log_path=tmp_path / f"server-{i}.log")
               for i, port in enumerate(ports)]
    try:
        for server, port in zip(servers, ports, strict=True):
            wait_until_up(server, f"http://127.0.0.1:{port}/health")
        limits = httpx.Limits(max_connections=RACERS)
        async with httpx.AsyncClient(timeout=120, limits=limits) as http:
            responses = await asyncio.gather(*[
                http.post(f"http://127.0.0.1:{ports[i % 2]}/api/sessions", headers=user["headers"],
                          json=booking_body(mentor["uid"], when, 45))
                for i, user in enumerate(candidates)])
    finally:
        for server in servers:
            stop(server)
    _one_winner(responses)
    assert await _counts() == (1, 135)
