"""Achievements: the catalogue's rules, and each unlocked exactly once even
when several transactions race to unlock it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import func, select

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.domain.practice import achievements
from interviewd.domain.practice.achievements import CATALOGUE, Progress, earned
from interviewd.models import Achievement, User
from tests.domain.practice.factories import achievement_codes, candidate, new_session, seed_domains

STRONG = {"postureScore": 95, "eyeContactScore": 95, "speechPaceWpm": 140, "fillerWordFrequency": 0.01,
          "overallPerformanceScore": 100}


def test_the_catalogue_has_at_least_ten_distinct_achievements():
    codes = [rule.code for rule in CATALOGUE]
    assert len(codes) >= 10 and len(set(codes)) == len(codes)
    assert all(rule.title and rule.description and rule.xp > 0 for rule in CATALOGUE)


def test_rules():
    def codes(**kw) -> set[str]:
        return {rule.code for rule in earned(Progress(**kw))}

    assert codes() == set()
    assert codes(sessions_completed=1, best_streak=1, best_score=60) == {"FIRST_SESSION"}
    assert codes(sessions_completed=10, best_streak=7, best_score=89) == {
        "FIRST_SESSION", "FIVE_SESSIONS", "TEN_SESSIONS", "STREAK_3", "STREAK_7"}
    assert codes(sessions_completed=1, best_streak=1, best_score=100, metrics=[STRONG],
                 domains={"sales"}) == {
        "FIRST_SESSION", "HIGH_SCORE", "PERFECT_SCORE", "EYE_CONTACT_PRO", "POSTURE_PRO",
        "SMOOTH_TALKER", "PERFECT_PACE"}
    assert "EXPLORER" in codes(sessions_completed=3, domains={"a", "b", "c"})
    assert "PERFECT_PACE" not in codes(sessions_completed=1, metrics=[{"speechPaceWpm": 170}])


async def test_concurrent_unlocks_insert_each_achievement_once(client):
    await seed_domains()
    user = await candidate(client)
    created = await new_session(client, user)
    done = await client.patch(f"/api/interviews/sessions/{created['_id']}/metrics",
                              headers=user["headers"], json={"metrics": STRONG})
    assert done.status_code == 200
    async with unit_of_work(runtime.current().sessionmaker) as session:
        user_id = await session.scalar(select(User.id).where(User.uid == user["userId"]))
        await session.execute(Achievement.__table__.delete().where(Achievement.user_id == user_id))

    async def race() -> list[str]:
        async with unit_of_work(runtime.current().sessionmaker) as session:
            return await achievements.unlock_for(session, user_id=user_id, now=datetime.now(UTC))

    results = await asyncio.gather(*(race() for _ in range(6)))
    unlocked = sorted(code for result in results for code in result)
    expected = sorted(["FIRST_SESSION", "HIGH_SCORE", "PERFECT_SCORE", "EYE_CONTACT_PRO", "POSTURE_PRO",
                       "SMOOTH_TALKER", "PERFECT_PACE"])
    # Each code was reported as newly unlocked by exactly one of the racers.
    assert unlocked == expected
    assert await achievement_codes(user["userId"]) == expected


async def test_concurrent_metrics_and_dashboard_requests(client):
    await seed_domains()
    user = await candidate(client)
    sessions = [await new_session(client, user, domain=d)
                for d in ("software-dev", "sales", "design", "finance")]
    requests = [client.patch(f"/api/interviews/sessions/{s['_id']}/metrics", headers=user["headers"],
                             json={"metrics": STRONG}) for s in sessions]
    requests += [client.get("/api/analytics/dashboard", headers=user["headers"]) for _ in range(4)]
    responses = await asyncio.gather(*requests)
    assert [r.status_code for r in responses] == [200] * len(responses), [r.text for r in responses]

    # Racing transactions do not see each other's completions, so an
    # achievement only their sum earns (EXPLORER) waits for the next evaluation.
    board = (await client.get("/api/analytics/dashboard", headers=user["headers"])).json()
    async with runtime.current().sessionmaker() as session:
        counts = dict((await session.execute(
            select(Achievement.code, func.count()).join(User, User.id == Achievement.user_id)
            .where(User.uid == user["userId"]).group_by(Achievement.code))).all())
    assert set(counts.values()) == {1}
    assert {"FIRST_SESSION", "EXPLORER", "PERFECT_SCORE"} <= set(counts)
    assert sorted(a["code"] for a in board["achievements"]) == sorted(counts)
    assert board["totalSessions"] == 4
