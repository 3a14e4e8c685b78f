"""Session events leave only on commit, in 003's WebSocket vocabulary."""

from __future__ import annotations

import pytest

from interviewd.domain.interview import events, persona
from tests.domain.interview.factories import GOOD_ANSWER, candidate, insert_bank, start


@pytest.fixture
def received():
    seen: list[tuple[str, str, dict]] = []

    async def listener(event_type: str, session_uid: str, data: dict) -> None:
        seen.append((event_type, session_uid, data))

    async def broken(*_args) -> None:
        raise RuntimeError("a listener that fails must not stop the others")

    events.subscribe(broken)
    events.subscribe(listener)
    yield seen
    events.unsubscribe(broken)
    events.unsubscribe(listener)


async def test_events_follow_the_session_and_skip_rolled_back_requests(make_client, received):
    client = await make_client(ai_answers_per_minute=0, ai_follow_ups=False)
    await insert_bank(coding=False)
    user = await candidate(client)
    sid = (await start(client, user["headers"], questionCount=1))["session"]["sessionId"]
    await client.post(f"/api/sessions/{sid}/questions/next", headers=user["headers"])
    assert [e[0] for e in received] == ["question_presented"]
    assert received[0][1] == sid and received[0][2]["session"] == {"currentQuestionIndex": 1,
                                                                   "totalQuestions": 1}

    refused = await client.post(f"/api/sessions/{sid}/answers", headers=user["headers"],
                                json={"answerText": "short"})
    assert refused.status_code == 400
    answered = await client.post(f"/api/sessions/{sid}/answers", headers=user["headers"],
                                 json={"answerText": GOOD_ANSWER})
    assert [e[0] for e in received] == ["question_presented", "answer_evaluated"]
    assert received[1][2]["answer"]["answerId"] == answered.json()["answer"]["answerId"]

    done = (await client.post(f"/api/sessions/{sid}/complete", headers=user["headers"])).json()
    assert received[-1] == ("session_completed", sid, {
        "session": {"sessionId": sid, "overallScore": done["session"]["overallScore"]},
        "feedback": {"feedbackId": done["feedback"]["feedbackId"]}})


def test_persona_follows_mode_and_language():
    assert persona.persona_for("technical", "en")["name"] == "Alex"
    assert persona.persona_for("technical", "en") == persona.persona_for("technical", "en")
    assert persona.persona_for("behavioral", "ko")["name"] == "지우"
    assert persona.persona_for("unknown", "fr")["name"] == "Riley"
    intro = persona.intro_message(persona=persona.persona_for("mixed", "ko"), job_type="데이터 엔지니어",
                                  mode="mixed", language="ko", question_count=4, duration=30,
                                  include_coding=True)
    assert "데이터 엔지니어 종합 면접" in intro and "4개의 질문" in intro and "코딩" in intro
