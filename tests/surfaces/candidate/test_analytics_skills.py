"""GET /api/analytics/skills: per question category a score, a level and a
trend (later half of the scored answers against the earlier half, by at
least the threshold, with at least the minimum number of answers)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.domain.analytics.factories import FAST, ai_session, candidate, insert_bank, set_answers

pytestmark = pytest.mark.asyncio

START = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


async def _skills_after(make_client, scores: list[float], prefix: str = "t", **settings) -> dict:
    client = await make_client(**FAST, **settings)
    await insert_bank(prefix=prefix, technical=len(scores), behavioral=0, coding=False)
    user = await candidate(client)
    sid = await ai_session(client, user, questions=len(scores))
    await set_answers(sid, scores=scores, at=[START + timedelta(days=i) for i in range(len(scores))],
                      category="algorithms")
    response = await client.get("/api/analytics/skills", headers=user["headers"])
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize(("scores", "trend"), [
    ([40, 45, 80, 85], "improving"),  # later half 82.5 vs earlier 42.5
    ([85, 80, 45, 40], "declining"),
    ([70, 72, 71, 73], "stable"),  # +1 point: under the 5-point threshold
    ([40, 90, 44], "stable"),  # 3 answers: under the 4-answer minimum
    ([40, 99, 44, 60, 30], "declining"),  # odd count: the middle one (44) in neither half: 69.5 -> 45
])
async def test_trend_compares_the_later_half_with_the_earlier_half(make_client, scores, trend):
    body = await _skills_after(make_client, scores)
    assert body["success"] is True
    [skill] = body["skills"]
    assert skill["skill"] == "algorithms" and skill["name"] == "Algorithms"
    assert skill["questionsCount"] == len(scores) and skill["sessionCount"] == 1
    assert skill["score"] == round(sum(scores) / len(scores), 1)
    assert skill["trend"] == trend
    assert body["skillBreakdown"] == {"algorithms": {"score": skill["score"], "trend": trend,
                                                     "questionsCount": len(scores)}}
    assert body["trendRule"] == {"threshold": 5.0, "minimumAnswers": 4}


async def test_the_threshold_and_minimum_are_settings(make_client):
    body = await _skills_after(make_client, [70, 72, 71, 73], analytics_trend_threshold=1.0)
    assert body["skills"][0]["trend"] == "improving"


async def test_levels_and_rubric_axes(make_client):
    body = await _skills_after(make_client, [95, 92, 91, 96])
    skill = body["skills"][0]
    assert skill["level"] == "expert" and skill["nextMilestone"] == "expert level reached"
    assert body["evaluationCount"] == 4
    axes = {item["axis"]: item for item in body["rubric"]}
    assert set(axes) == {"understanding", "logic", "specificity", "jobFit"}
    assert all(0 <= item["score"] <= 25 and item["maxScore"] == 25.0 for item in axes.values())
    assert all(item["trend"] in ("improving", "stable", "declining") for item in axes.values())

    weak = await _skills_after(make_client, [30, 35, 20, 25], prefix="w")
    assert weak["skills"][0]["level"] == "beginner"
    assert weak["skills"][0]["nextMilestone"] == "intermediate at 40%"


async def test_the_overview_uses_the_same_trend_and_recommends_work_on_what_declines(make_client):
    client = await make_client(**FAST)
    await insert_bank(technical=4, behavioral=0, coding=False)
    user = await candidate(client)
    sid = await ai_session(client, user, questions=4)
    await set_answers(sid, scores=[90, 85, 40, 35], at=[START + timedelta(days=i) for i in range(4)],
                      category="databases")
    analytics = (await client.get("/api/users/me/analytics", headers=user["headers"])).json()["analytics"]
    [category] = analytics["performanceByCategory"]
    assert category == {"category": "databases", "averageScore": 62.5, "sessionCount": 1,
                        "trend": "declining", "questionCount": 4}
    first = analytics["recommendations"][0]
    assert first["type"] == "review" and first["priority"] == "high" and "Databases" in first["content"]
    assert analytics["skillProgress"] == [{"skill": "Databases", "currentLevel": "intermediate",
                                           "progress": 62, "nextMilestone": "advanced at 70%"}]
