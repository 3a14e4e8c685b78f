"""An OpenAI-compatible chat completions server on loopback, scripted per
request, that records what it receives."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.support.http import JsonHandler, LoopbackServer

VALID_EVALUATION = {
    "rubric": {"understanding": 22, "logic": 18, "specificity": 15, "jobFit": 20},
    "scores": {"completeness": 80, "correctness": 85, "communication": 75},
    "strengths": ["Reads the query plan before adding an index"],
    "improvements": ["Say how you would measure the write overhead"],
    "detailedFeedback": {"grammar": "Clean.", "structure": "Step by step.", "content": "Accurate.",
                         "suggestions": ["Mention partial indexes"]},
    "idealAnswer": "Look at EXPLAIN ANALYZE, add a composite index, measure writes.",
    "followUpQuestion": "When would a partial index be the better choice?",
    "sentiment": "positive",
    "summary": "A solid answer.",
    "confidence": 0.82,
}


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict


def completion(content: str, model: str = "fake-gpt-1") -> dict:
    return {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": model,
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content}}]}


@dataclass
class Reply:
    status: int = 200
    body: dict | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


# A step sees the request body and returns the reply.
Step = Callable[[dict], Reply]


def answer(data: dict | str, *, model: str = "fake-gpt-1", delay: float = 0.0) -> Step:
    content = data if isinstance(data, str) else json.dumps(data)
    return lambda _body: Reply(body=completion(content, model), delay=delay)


def error(status: int, **headers: str) -> Step:
    body = {"error": {"message": f"status {status}"}}
    return lambda _body: Reply(status=status, body=body, headers=headers)


def refuse_json_schema(then: Step) -> Step:
    """A server that knows json_object but answers 400 to json_schema."""

    def step(body: dict) -> Reply:
        if (body.get("response_format") or {}).get("type") == "json_schema":
            return Reply(status=400, body={"error": {"message": "response_format json_schema unsupported"}})
        return then(body)

    return step


class FakeOpenAI:
    def __init__(self, default: Step | None = None) -> None:
        self.requests: list[Received] = []
        self.script: list[Step] = []
        self.default = default or answer(VALID_EVALUATION)
        self._lock = threading.Lock()
        self._server: LoopbackServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() first"
        return self._server.base_url + "/v1"

    def start(self) -> None:
        fake = self

        class Handler(JsonHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's hook name)
                raw = self.read_body()
                body = json.loads(raw or b"{}")
                with fake._lock:
                    fake.requests.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()},
                                                  body))
                    step = fake.script.pop(0) if fake.script else fake.default
                if self.path != "/v1/chat/completions":
                    reply = Reply(status=404, body={"error": {"message": "not found"}})
                else:
                    reply = step(body)
                if reply.delay:
                    time.sleep(reply.delay)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
                    self.send_json(reply.status, reply.body or {}, headers=reply.headers.items())

        self._server = LoopbackServer(Handler, poll_interval=0.05)

    def stop(self) -> None:
        if self._server is not None:
            self._server.close()
