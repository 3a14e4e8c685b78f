"""The 003 WebSocket /v1/interviews/{sessionId} against real servers: real
uvicorn processes, a real `websockets` client, actions over HTTP."""

from __future__ import annotations

import asyncio
import json
import subprocess
import uuid
from collections.abc import Iterator

import httpx
import pytest
import redis
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed

from interviewd.db import create_engine, create_sessionmaker, unit_of_work
from interviewd.domain.questions.seeding import seed_question_bank
from tests.domain.interview.factories import GOOD_ANSWER
from tests.realtime.conftest import Server, launch, sign_up
from tests.web.processes import stop

# launch() already turns INTERVIEWD_RATE_LIMIT_ENABLED off.
SETTINGS = {
    "INTERVIEWD_AI_ANSWERS_PER_MINUTE": "0",
    "INTERVIEWD_AI_FOLLOW_UPS": "false",
    "INTERVIEWD_WS_AUTH_TIMEOUT": "1",
}


@pytest.fixture(scope="module")
def ws_server(tmp_path_factory, database_url: str) -> Iterator[Server]:
    processes: list[subprocess.Popen] = []
    try:
        yield launch(processes, tmp_path_factory.mktemp("interview-ws"), database_url, **SETTINGS)[0]
    finally:
        for process in processes:
            stop(process)


@pytest.fixture
async def question_bank(database_url: str) -> None:
    engine = create_engine(database_url, pooled=False)
    try:
        async with unit_of_work(create_sessionmaker(engine)) as session:
            await seed_question_bank(session)
    finally:
        await engine.dispose()


def ws_url(server: Server, session_id: str, token: str | None = None) -> str:
    url = server.url.replace("http://", "ws://") + f"/v1/interviews/{session_id}"
    return url + (f"?token={token}" if token else "")


async def receive(socket, timeout: float = 10.0) -> dict:
    return json.loads(await asyncio.wait_for(socket.recv(), timeout))


async def closed_with(socket, timeout: float = 10.0) -> tuple[int, str]:
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await asyncio.wait_for(socket.recv(), timeout)
    return closed.value.rcvd.code, closed.value.rcvd.reason


class Api:
    def __init__(self, server: Server, token: str) -> None:
        self.http = httpx.AsyncClient(base_url=server.url, timeout=30,
                                      headers={"Authorization": f"Bearer {token}"})

    async def post(self, path: str, **kwargs) -> dict:
        response = await self.http.post(path, **kwargs)
        assert response.status_code in (200, 201), response.text
        return response.json()

    async def start(self) -> str:
        body = await self.post("/api/sessions", json={
            "mode": "technical", "jobType": "Backend Engineer", "difficulty": "medium",
            "questionCount": 1, "includeCoding": False})
        return body["session"]["sessionId"]


async def play_session(api: Api, session_id: str, socket) -> None:
    """Present, answer and complete a one-question session through `api`;
    `socket` sees every event, in order."""
    presented = await api.post(f"/api/sessions/{session_id}/questions/next")
    event = await receive(socket)
    question = presented["question"]
    assert event == {"type": "question_presented", "data": {
        "question": {"questionId": question["questionId"], "type": question["type"],
                     "title": question["title"], "text": question["text"],
                     "estimatedTime": event["data"]["question"]["estimatedTime"]},
        "session": {"currentQuestionIndex": 1, "totalQuestions": 1}}}
    assert isinstance(event["data"]["question"]["estimatedTime"], int)

    answered = await api.post(f"/api/sessions/{session_id}/answers", json={"answerText": GOOD_ANSWER})
    typing = {"type": "typing_indicator", "data": {"isTyping": True, "userId": "ai_interviewer"}}
    assert await receive(socket) == typing
    evaluated = await receive(socket)
    assert evaluated["type"] == "answer_evaluated"
    assert evaluated["data"]["answer"] == {"answerId": answered["answer"]["answerId"],
                                           "scores": answered["answer"]["scores"]}
    assert set(evaluated["data"]["aiResponse"]) == {"content", "sentiment"}
    assert await receive(socket) == {**typing, "data": {**typing["data"], "isTyping": False}}

    done = await api.post(f"/api/sessions/{session_id}/complete")
    assert await receive(socket) == {"type": "session_completed", "data": {
        "session": {"sessionId": session_id, "overallScore": done["session"]["overallScore"]},
        "feedback": {"feedbackId": done["feedback"]["feedbackId"]}}}


async def test_a_whole_session_over_the_socket(ws_server, question_bank):
    user = await sign_up(ws_server.url)
    api = Api(ws_server, user["accessToken"])
    try:
        session_id = await api.start()
        async with ws_connect(ws_url(ws_server, session_id, user["accessToken"])) as socket:
            assert await receive(socket) == {"type": "connected",
                                             "data": {"sessionId": session_id, "userId": user["userId"]}}
            await socket.send(json.dumps({"type": "ping"}))
            assert await receive(socket) == {"type": "pong"}
            await socket.send(json.dumps({"type": "shout"}))
            error = await receive(socket)
            assert error["type"] == "error" and "shout" in error["data"]["message"]
            await socket.send("not json")
            assert (await receive(socket))["type"] == "error"

            await play_session(api, session_id, socket)
            await socket.send(json.dumps({"type": "ping"}))
            assert await receive(socket) == {"type": "pong"}, "nothing else was sent"
    finally:
        await api.http.aclose()


async def test_first_message_auth_and_refusals(ws_server, question_bank):
    alice, bob = await sign_up(ws_server.url), await sign_up(ws_server.url)
    api = Api(ws_server, alice["accessToken"])
    try:
        session_id = await api.start()
        async with ws_connect(ws_url(ws_server, session_id)) as socket:
            await socket.send(json.dumps({"type": "auth", "token": alice["accessToken"]}))
            assert (await receive(socket))["type"] == "connected"
            await api.post(f"/api/sessions/{session_id}/questions/next")
            assert (await receive(socket))["type"] == "question_presented"

        async with ws_connect(ws_url(ws_server, session_id, "not-a-token")) as socket:
            assert (await closed_with(socket))[0] == 4401
        async with ws_connect(ws_url(ws_server, session_id)) as socket:
            await socket.send(json.dumps({"type": "ping"}))
            code, reason = await closed_with(socket)
            assert code == 4401 and "auth" in reason.lower()
        async with ws_connect(ws_url(ws_server, session_id)) as socket:
            code, reason = await closed_with(socket)  # INTERVIEWD_WS_AUTH_TIMEOUT=1
            assert (code, reason) == (4401, "Authentication timed out")
        # Another user's session and a session that does not exist look the same.
        async with ws_connect(ws_url(ws_server, session_id, bob["accessToken"])) as socket:
            assert await closed_with(socket) == (4404, "Session not found")
        async with ws_connect(ws_url(ws_server, "session_" + uuid.uuid4().hex,
                                     alice["accessToken"])) as socket:
            assert await closed_with(socket) == (4404, "Session not found")
        async with ws_connect(ws_url(ws_server, session_id, alice["accessToken"]),
                              origin="https://elsewhere.example") as socket:
            assert (await closed_with(socket))[0] == 4403

        # A signed-out token no longer opens a socket.
        signed_out = await api.http.post("/api/auth/logout", json={})
        assert signed_out.status_code in (200, 204), signed_out.text
        async with ws_connect(ws_url(ws_server, session_id, alice["accessToken"])) as socket:
            assert (await closed_with(socket))[0] == 4401
    finally:
        await api.http.aclose()


async def test_events_cross_processes_through_redis(tmp_path, database_url, redis_url, question_bank):
    channel = "interviewd-events-test-" + uuid.uuid4().hex
    processes: list[subprocess.Popen] = []
    try:
        first, second = launch(processes, tmp_path, database_url, count=2, **SETTINGS,
                               INTERVIEWD_REDIS_URL=redis_url, INTERVIEWD_WS_REDIS_CHANNEL=channel)
        store = redis.Redis.from_url(redis_url)
        try:
            assert dict(store.pubsub_numsub(channel))[channel.encode()] == 2, "both processes listen"
        finally:
            store.close()
        user = await sign_up(first.url)
        api = Api(second, user["accessToken"])
        try:
            session_id = await api.start()
            async with ws_connect(ws_url(first, session_id, user["accessToken"])) as on_first, \
                    ws_connect(ws_url(second, session_id, user["accessToken"])) as on_second:
                assert (await receive(on_first))["type"] == (await receive(on_second))["type"] == "connected"
                await play_session(api, session_id, on_first)
                # The socket on the acting process got each event once, too.
                seen = [(await receive(on_second))["type"] for _ in range(5)]
                assert seen == ["question_presented", "typing_indicator", "answer_evaluated",
                                "typing_indicator", "session_completed"]
                await on_second.send(json.dumps({"type": "ping"}))
                assert await receive(on_second) == {"type": "pong"}
        finally:
            await api.http.aclose()
    finally:
        for process in processes:
            stop(process)
    store = redis.Redis.from_url(redis_url)
    try:
        assert dict(store.pubsub_numsub(channel))[channel.encode()] == 0
    finally:
        store.close()


async def test_socket_closes_when_its_token_expires(tmp_path, database_url, question_bank):
    processes: list[subprocess.Popen] = []
    try:
        server = launch(processes, tmp_path, database_url, **SETTINGS, INTERVIEWD_ACCESS_TOKEN_TTL="3")[0]
        user = await sign_up(server.url)
        api = Api(server, user["accessToken"])
        try:
            session_id = await api.start()
        finally:
            await api.http.aclose()
        async with ws_connect(ws_url(server, session_id, user["accessToken"])) as socket:
            assert (await receive(socket))["type"] == "connected"
            await socket.send(json.dumps({"type": "ping"}))
            assert await receive(socket) == {"type": "pong"}
            assert await closed_with(socket) == (4401, "Token expired")
    finally:
        for process in processes:
            stop(process)
