"""percentileRank and benchmarkComparison among other users' completed
sessions of the same mode and role."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.models import InterviewSession
from tests.domain.interview.factories import GOOD_ANSWER, candidate, insert_bank, start

pytestmark = pytest.mark.asyncio

FAST = {"ai_answers_per_minute": 0, "ai_sessions_per_day": 0, "ai_follow_ups": False}


async def _complete(client, headers, *, score: float | None = None, **body) -> dict:
    sid = (await start(client, headers, questionCount=1, **body))["session"]["sessionId"]
    assert (await client.post(f"/api/sessions/{sid}/questions/next", headers=headers)).status_code == 200
    answer = await client.post(f"/api/sessions/{sid}/answers", headers=headers,
                               json={"answerText": GOOD_ANSWER})
    assert answer.status_code == 200, answer.text
    done = await client.post(f"/api/sessions/{sid}/complete", headers=headers)
    assert done.status_code == 200, done.text
    if score is not None:
        async with unit_of_work(runtime.current().sessionmaker) as session:
            await session.execute(update(InterviewSession).where(InterviewSession.uid == sid)
                                  .values(overall_score=score))
    return done.json()


async def test_percentile_and_benchmark_compare_with_other_users_of_the_same_mode_and_role(make_client):
    client = await make_client(**FAST)
    await insert_bank(coding=False)
    peers = [await candidate(client) for _ in range(3)]
    for account, score, role in zip(peers, (40, 60, 80), ("Backend Engineer", "backend engineer ",
                                                          "BACKEND ENGINEER"), strict=True):
        await _complete(client, account["headers"], score=score, jobType=role)
    outsider = await candidate(client)
    await _complete(client, outsider["headers"], score=5, jobType="Frontend Engineer")
    await _complete(client, outsider["headers"], score=7, jobType="Backend Engineer", mode="behavioral")
    me = await candidate(client)
    await _complete(client, me["headers"], score=99, jobType="Backend Engineer")  # my own: not a peer

    done = await _complete(client, me["headers"], jobType="Backend Engineer")
    mine = done["session"]["overallScore"]
    below = sum(1 for s in (40, 60, 80) if s < mine) + 0.5 * sum(1 for s in (40, 60, 80) if s == mine)
    assert done["feedback"]["percentileRank"] == round(100 * below / 3)

    feedback_id = done["feedback"]["feedbackId"]
    detail = (await client.get(f"/api/feedback/{feedback_id}", headers=me["headers"])).json()["feedback"]
    assert detail["benchmarkComparison"] == {
        "role": "Backend Engineer", "categoryAverage": 60.0, "topQuartile": 70.0,
        "difference": round(mine - 60, 1), "sampleSize": 3,
    }
    assert detail["technicalSkills"]["growthTrajectory"] in ("improving", "stable", "declining")

    late = await candidate(client)
    await _complete(client, late["headers"], score=100, jobType="Backend Engineer")
    refreshed = (await client.get(f"/api/feedback/{feedback_id}", headers=me["headers"])).json()["feedback"]
    assert refreshed["benchmarkComparison"]["sampleSize"] == 4
    assert refreshed["percentileRank"] == round(100 * below / 4)
