"""GET /api/analytics/benchmarks: a percentile against the other users with
scored sessions, the cohort's size always disclosed, and nothing but
aggregates: no other user's id, e-mail or score list, and no aggregate at
all below the minimum cohort size."""

from __future__ import annotations

import pytest

from tests.domain.analytics.factories import FAST, ai_session, candidate, insert_bank, set_session

pytestmark = pytest.mark.asyncio

KEYS = {"filters", "cohortSize", "minimumCohortSize", "sufficientData", "yourScore", "yourSessionCount",
        "percentileRank", "cohortAverage", "median", "topQuartile", "difference", "reason"}


async def _scored_user(client, score: float, **body) -> dict:
    user = await candidate(client)
    sid = await ai_session(client, user, questions=1, **body)
    await set_session(sid, overall_score=score)
    return user


async def _benchmarks(client, user, **params) -> dict:
    response = await client.get("/api/analytics/benchmarks", params=params, headers=user["headers"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body["benchmarks"]) == KEYS
    return body


def _assert_nothing_of(others: list[dict], text: str) -> None:
    for other in others:
        assert other["userId"] not in text and other["email"] not in text


async def test_a_cohort_below_the_minimum_gets_its_size_and_no_figures(make_client):
    client = await make_client(**FAST)
    await insert_bank(technical=2, behavioral=0, coding=False)
    me = await _scored_user(client, 80)
    others = [await _scored_user(client, score) for score in (60, 90)]
    body = await _benchmarks(client, me)
    bench = body["benchmarks"]
    assert bench["cohortSize"] == 3 and bench["minimumCohortSize"] == 5
    assert bench["sufficientData"] is False and "Fewer than 5 users" in bench["reason"]
    assert bench["percentileRank"] is None and bench["cohortAverage"] is None
    assert bench["median"] is None and bench["topQuartile"] is None and bench["difference"] is None
    assert bench["yourScore"] == 80.0 and bench["yourSessionCount"] == 1
    _assert_nothing_of(others, str(body))


async def test_percentile_and_aggregates_once_the_cohort_is_large_enough(make_client):
    client = await make_client(**FAST, analytics_benchmark_min_cohort=4)
    await insert_bank(technical=2, behavioral=0, coding=False)
    me = await _scored_user(client, 80)
    others = [await _scored_user(client, score) for score in (60, 70, 90)]
    # A second session of one user: users count once, by their mean (70 and 90 -> 80, a tie).
    extra = await ai_session(client, others[1], questions=1)
    await set_session(extra, overall_score=90.0)

    body = await _benchmarks(client, me)
    bench = body["benchmarks"]
    assert bench["cohortSize"] == 4 and bench["sufficientData"] is True and bench["reason"] is None
    # Peers' means 60, 80, 90: one below, one level (counts half) -> 50th percentile.
    assert bench["percentileRank"] == 50
    assert bench["cohortAverage"] == round((60 + 80 + 90) / 3, 1)
    assert bench["median"] == 80.0 and bench["topQuartile"] == 85.0
    assert bench["difference"] == round(80 - (60 + 80 + 90) / 3, 1)
    _assert_nothing_of(others, str(body))

    top = await _benchmarks(client, others[2])
    assert top["benchmarks"]["percentileRank"] == round(100 * 3 / 3)
    _assert_nothing_of([me, *others[:2]], str(top))


async def test_filters_by_job_type_and_category(make_client):
    client = await make_client(**FAST, analytics_benchmark_min_cohort=2)
    await insert_bank(technical=2, behavioral=0, coding=False)
    me = await _scored_user(client, 70, jobType="Data Engineer", category="data")
    await _scored_user(client, 50, jobType="  data engineer ", category="data")
    await _scored_user(client, 95, jobType="Backend Engineer", category="backend")

    everyone = (await _benchmarks(client, me))["benchmarks"]
    assert everyone["cohortSize"] == 3 and everyone["percentileRank"] == 50

    data = (await _benchmarks(client, me, jobType="Data Engineer"))["benchmarks"]
    assert data["filters"] == {"category": None, "jobType": "Data Engineer"}
    assert data["cohortSize"] == 2 and data["percentileRank"] == 100 and data["cohortAverage"] == 50.0
    by_category = (await _benchmarks(client, me, category="DATA"))["benchmarks"]
    assert by_category["cohortSize"] == 2 and by_category["percentileRank"] == 100

    nobody = (await _benchmarks(client, me, jobType="Astronaut"))["benchmarks"]
    assert nobody["cohortSize"] == 0 and nobody["yourScore"] is None and nobody["sufficientData"] is False
    assert nobody["reason"].startswith("You have no completed")


async def test_a_user_without_scored_sessions_is_told_so(make_client):
    client = await make_client(**FAST, analytics_benchmark_min_cohort=1)
    await insert_bank(technical=2, behavioral=0, coding=False)
    others = [await _scored_user(client, 60), await _scored_user(client, 70)]
    newcomer = await candidate(client)
    body = await _benchmarks(client, newcomer)
    bench = body["benchmarks"]
    assert bench["cohortSize"] == 2 and bench["yourScore"] is None and bench["percentileRank"] is None
    assert bench["cohortAverage"] is None
    _assert_nothing_of(others, str(body))


async def test_overlong_filters_are_400(client):
    user = await candidate(client)
    response = await client.get("/api/analytics/benchmarks", params={"jobType": "x" * 200},
                                headers=user["headers"])
    assert response.status_code == 400 and response.json()["error"]["code"] == "VALIDATION_ERROR"
