"""004's /api/analysis routes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from interviewd import runtime
from interviewd.models import AnalysisResult
from tests.domain.interview.factories import GOOD_ANSWER, candidate, insert_bank

pytestmark = pytest.mark.asyncio

QUESTION = "Explain how a hash table stores and finds keys, and what happens on collisions."


async def test_analyze_store_read_and_feedback(client):
    user, other = await candidate(client), await candidate(client)
    response = await client.post("/api/analysis/answer", headers=user["headers"],
                                 json={"question": QUESTION, "answer": GOOD_ANSWER, "jobType": "Backend"})
    assert response.status_code == 201, response.text
    analysis = response.json()["analysis"]
    assert set(analysis["scores"]) == {"understanding", "logic", "specificity", "jobFit"}
    assert all(0 <= v <= 25 for v in analysis["scores"].values())
    assert analysis["totalScore"] == sum(analysis["scores"].values())
    assert set(analysis["answerScores"]) == {"completeness", "correctness", "communication"}
    assert {"model", "confidence", "processingTime"} <= set(analysis["aiAnalysis"])
    assert analysis["sessionId"] is None and analysis["idealAnswer"]

    got = await client.get(f"/api/analysis/{analysis['id']}", headers=user["headers"])
    assert got.status_code == 200 and got.json()["analysis"] == analysis
    feedback = (await client.get(f"/api/analysis/feedback/{analysis['id']}", headers=user["headers"])).json()
    assert {"grammar", "structure", "content", "suggestions"} <= set(feedback["feedback"]["detailedFeedback"])
    assert feedback["feedback"]["suggestions"] == feedback["feedback"]["detailedFeedback"]["suggestions"]
    assert (await client.get(f"/api/analysis/{analysis['id']}", headers=other["headers"])).status_code == 404
    assert (await client.get(f"/api/analysis/{analysis['id']}")).status_code == 401


async def test_analysis_by_bank_question_id_and_ordering(client):
    ids = await insert_bank(coding=False, behavioral=0, technical=1)
    user = await candidate(client)
    listing = (await client.get("/api/questions", headers=user["headers"])).json()["questions"]
    question_id = listing[0]["questionId"]
    assert len(ids) == 1
    good = (await client.post("/api/analysis/answer", headers=user["headers"],
                              json={"questionId": question_id, "answer": GOOD_ANSWER})).json()["analysis"]
    vague = (await client.post("/api/analysis/answer", headers=user["headers"], json={
        "questionId": question_id, "answer": "I think it is some kind of storage, it works fine."})).json()
    assert good["questionId"] == question_id
    assert good["totalScore"] > vague["analysis"]["totalScore"]
    unknown = await client.post("/api/analysis/answer", headers=user["headers"],
                                json={"questionId": "nope", "answer": GOOD_ANSWER})
    assert unknown.status_code == 400 and unknown.json()["error"]["details"]["field"] == "questionId"


@pytest.mark.parametrize("body, field", [
    ({"question": QUESTION, "answer": "short"}, "answer"),
    ({"question": QUESTION, "answer": "y" * 5001}, "answer"),
    ({"answer": GOOD_ANSWER}, "question"),
    ({"question": QUESTION, "answer": GOOD_ANSWER, "language": "fr"}, "language"),
])
async def test_analysis_validation(client, body, field):
    user = await candidate(client)
    response = await client.post("/api/analysis/answer", headers=user["headers"], json=body)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["details"]["field"] == field


async def test_batch_is_bounded_and_all_or_nothing(make_client):
    client = await make_client(ai_analysis_batch_max=3)
    user = await candidate(client)
    item = {"question": QUESTION, "answer": GOOD_ANSWER}
    ok = await client.post("/api/analysis/batch", headers=user["headers"], json={"items": [item, item]})
    assert ok.status_code == 201 and ok.json()["count"] == 2
    ids = [a["id"] for a in ok.json()["analyses"]]
    assert len(set(ids)) == 2
    too_many = await client.post("/api/analysis/batch", headers=user["headers"], json={"items": [item] * 4})
    assert too_many.status_code == 400 and too_many.json()["error"]["details"]["field"] == "items"
    broken = await client.post("/api/analysis/batch", headers=user["headers"],
                               json={"answers": [item, {"question": QUESTION, "answer": "no"}]})
    assert broken.status_code == 400
    assert broken.json()["error"]["details"]["field"] == "items.1.answer"
    async with runtime.current().sessionmaker() as session:
        stored = await session.scalar(select(func.count()).select_from(AnalysisResult))
    assert stored == 2  # the valid first item of the refused batch was not kept
