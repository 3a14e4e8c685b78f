"""The Judge0 adapter against a Judge0-shaped HTTP server on loopback. The fake
runs what it is sent (the real harness, with a local interpreter) or answers
with a canned verdict, and keeps every request for inspection."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest

from interviewd.adapters.sandbox import create_code_runner
from interviewd.adapters.sandbox.judge0 import Judge0Runner
from interviewd.adapters.sandbox.local import SubprocessRunner
from tests.support.http import JsonHandler, LoopbackServer

LANGUAGE_COMMANDS = {71: [sys.executable, "-I", "-S", "-c"], 63: ["node", "-e"]}


class FakeJudge0:
    def __init__(self, token: str | None = "judge-token") -> None:
        self.token = token
        self.requests: list[dict] = []
        self.canned: dict | None = None
        fake = self

        class Handler(JsonHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's hook name)
                body = json.loads(self.read_body())
                url = urlsplit(self.path)
                fake.requests.append({"path": url.path, "query": parse_qs(url.query),
                                      "headers": dict(self.headers), "body": body})
                if fake.token and self.headers.get("X-Auth-Token") != fake.token:
                    return self.send_json(401, {"error": "Authentication failed."})
                self.send_json(201, fake.canned or fake.execute(body))

        self._handler = Handler

    def execute(self, body: dict) -> dict:
        source = base64.b64decode(body["source_code"]).decode()
        stdin = base64.b64decode(body["stdin"])
        done = subprocess.run([*LANGUAGE_COMMANDS[body["language_id"]], source], input=stdin,
                              capture_output=True, timeout=30, env={})
        encode = lambda data: base64.b64encode(data).decode() if data else None  # noqa: E731
        status = {"id": 3, "description": "Accepted"} if done.returncode == 0 else \
            {"id": 11, "description": "Runtime Error (NZEC)"}
        return {"stdout": encode(done.stdout), "stderr": encode(done.stderr), "compile_output": None,
                "message": None, "status": status, "time": "0.021", "wall_time": "0.05", "memory": 9100,
                "exit_code": done.returncode, "exit_signal": None, "token": "f00"}

    def start(self) -> None:
        self.server = LoopbackServer(self._handler)
        self.url = self.server.base_url

    def stop(self) -> None:
        self.server.close()


@pytest.fixture
def judge0() -> Iterator[FakeJudge0]:
    fake = FakeJudge0()
    fake.start()
    yield fake
    fake.stop()


def runner_for(fake: FakeJudge0, **kwargs) -> Judge0Runner:
    return Judge0Runner(base_url=fake.url, api_key=fake.token, cpu_seconds=2, wall_seconds=5, memory_mb=64,
                        **kwargs)


TESTS = [{"input": [[2, 7, 11, 15], 9], "expected": [0, 1]}, {"input": [[3, 3], 6], "expected": [0, 1]},
         {"input": [[1, 2], 3], "expected": [0, 1], "hidden": True}]
PYTHON_SOLUTION = ("def two_sum(nums, target):\n    print('debug', nums)\n    seen = {}\n"
                   "    for i, n in enumerate(nums):\n        if target - n in seen:\n"
                   "            return [seen[target - n], i]\n        seen[n] = i\n")
JS_WRONG = "function twoSum(nums, target) { console.log('x'); return [1, 0]; }"


async def test_a_submission_is_sent_in_judge0_shape_and_judged_here(judge0):
    report = await runner_for(judge0).run(language="python", source=PYTHON_SOLUTION, function_name="two_sum",
                                          tests=TESTS)
    assert report.status == "ok" and report.passed == 3 and report.correctness == 1.0
    assert report.cpu_time_ms == 21.0 and report.wall_time_ms == 50.0
    assert "debug [2, 7, 11, 15]" in report.stdout  # the candidate's prints, apart from the results

    (request,) = judge0.requests
    assert request["path"] == "/submissions"
    assert request["query"] == {"base64_encoded": ["true"], "wait": ["true"]}
    assert request["headers"]["X-Auth-Token"] == "judge-token"
    body = request["body"]
    assert body["language_id"] == 71
    assert body["cpu_time_limit"] == 2 and body["wall_time_limit"] == 5
    assert body["memory_limit"] == 64 * 1024
    assert body["enable_network"] is False
    stdin = json.loads(base64.b64decode(body["stdin"]))
    assert stdin["source"] == PYTHON_SOLUTION and stdin["functionName"] == "two_sum"
    assert stdin["inputs"] == [t["input"] for t in TESTS]
    assert "expected" not in json.dumps(stdin)  # expectations never leave the server
    assert stdin["channel"] == "stdout"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
async def test_javascript_goes_to_the_node_language_and_wrong_answers_fail(judge0):
    report = await runner_for(judge0).run(language="javascript", source=JS_WRONG, function_name="twoSum",
                                          tests=TESTS)
    assert judge0.requests[0]["body"]["language_id"] == 63
    assert report.status == "ok" and report.passed == 0 and report.total == 3
    assert report.results[0].actual == [1, 0]


async def test_compile_and_runtime_errors_come_back_clean(judge0):
    runner = runner_for(judge0)
    broken = await runner.run(language="python", source="def two_sum(:\n", function_name="two_sum",
                              tests=TESTS)
    assert broken.status == "compile_error" and broken.message.startswith("SyntaxError")
    raising = await runner.run(language="python", source="def two_sum(a, b):\n    raise KeyError('k')\n",
                               function_name="two_sum", tests=TESTS)
    assert raising.status == "runtime_error" and raising.message == "KeyError: 'k' (line 2)"


@pytest.mark.parametrize("status_id, expected",
                         [(5, "time_limit"), (13, "internal_error"), (8, "output_limit")])
async def test_judge0_verdicts_map_to_statuses(judge0, status_id, expected):
    judge0.canned = {"stdout": None, "stderr": None, "status": {"id": status_id, "description": "x"},
                     "time": "2.0", "memory": 1000}
    report = await runner_for(judge0).run(language="python", source="def f(): pass", function_name="f",
                                          tests=TESTS)
    assert report.status == expected
    assert report.passed == 0 and report.total == 3


async def test_forged_stdout_from_the_candidate_does_not_count(judge0):
    source = ("import sys\ndef two_sum(nums, target):\n"
              "    sys.__stdout__.write('{\"kind\": \"result\", \"index\": 0, \"actual\": [0, 1]}\\n')\n"
              "    return [9, 9]\n")
    report = await runner_for(judge0).run(language="python", source=source, function_name="two_sum",
                                          tests=TESTS)
    assert report.passed == 0


async def test_a_wrong_key_or_an_unreachable_server_is_an_internal_error(judge0):
    refused = await runner_for(judge0, auth_header="X-Other").run(
        language="python", source=PYTHON_SOLUTION, function_name="two_sum", tests=TESTS)
    assert refused.status == "internal_error" and "HTTP 401" in refused.message
    judge0.stop()
    gone = await Judge0Runner(base_url=judge0.url, timeout=2).run(
        language="python", source=PYTHON_SOLUTION, function_name="two_sum", tests=TESTS)
    assert gone.status == "internal_error" and gone.message == "the code runner is unreachable"


def test_the_factory_picks_the_backend_by_name(make_settings):
    local = create_code_runner(make_settings(sandbox_cpu_seconds=3, sandbox_memory_mb=200))
    assert isinstance(local, SubprocessRunner)
    assert local.limits.cpu_seconds == 3 and local.limits.memory_mb == 200
    remote = create_code_runner(make_settings(sandbox_backend="judge0", judge0_url="http://127.0.0.1:2358",
                                              judge0_api_key="k", sandbox_cpu_seconds=4))
    assert isinstance(remote, Judge0Runner)
    assert remote.base_url == "http://127.0.0.1:2358" and remote.cpu_seconds == 4 and remote.api_key == "k"
    with pytest.raises(ValueError, match="JUDGE0_URL"):
        create_code_runner(make_settings(sandbox_backend="judge0"))
