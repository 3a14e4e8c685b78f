"""Run submissions on a Judge0 server (https://judge0.com), self-hosted or hosted.

The same harness as the local runner is the submitted program; the candidate's
source, the test arguments and a nonce travel on stdin, the harness prints its
events on stdout (the candidate's prints go to stderr) and the comparison with
the expected values happens here. Judge0 enforces the limits.
"""

from __future__ import annotations

import base64
from typing import Any

import httpx

from interviewd.adapters.sandbox.base import LANGUAGES, CodeRunner, RunReport, RunStatus
from interviewd.adapters.sandbox.harness import (
    HARNESSES,
    MEMORY_MARKERS,
    build_report,
    new_nonce,
    parse_events,
    stdin_document,
)

# Judge0 status ids (GET /statuses).
ACCEPTED = 3
TIME_LIMIT = 5
COMPILATION_ERROR = 6
RUNTIME_SIGSEGV, RUNTIME_SIGXFSZ = 7, 8
INTERNAL_ERROR, EXEC_FORMAT_ERROR = 13, 14


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _unb64(value: Any) -> str:
    if not value:
        return ""
    try:
        return base64.b64decode(value).decode("utf-8", "replace")
    except (ValueError, TypeError):
        return ""


class Judge0Runner(CodeRunner):
    name = "judge0"

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str | None = None,
        auth_header: str = "X-Auth-Token",
        language_ids: dict[str, int] | None = None,
        cpu_seconds: float = 5.0,
        wall_seconds: float = 10.0,
        memory_mb: int = 128,
        output_bytes: int = 64 * 1024,
        timeout: float = 60.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.auth_header = auth_header
        # Judge0 CE defaults: 71 Python 3.8.1, 63 JavaScript (Node.js 12.14.0).
        self.language_ids = {"python": 71, "javascript": 63, **(language_ids or {})}
        self.cpu_seconds = cpu_seconds
        self.wall_seconds = wall_seconds
        self.memory_mb = memory_mb
        self.output_bytes = output_bytes
        self.timeout = timeout
        self._transport = transport

    async def run(self, *, language: str, source: str, function_name: str, tests: list[dict],
                  comparison: str = "exact") -> RunReport:
        if language not in LANGUAGES:
            return RunReport(status="internal_error", message=f"unsupported language: {language}")
        nonce = new_nonce()
        stdin = stdin_document(source=source, function_name=function_name, tests=tests, nonce=nonce,
                               channel="stdout").decode()
        body = {
            "language_id": self.language_ids[language],
            "source_code": _b64(HARNESSES[language]),
            "stdin": _b64(stdin),
            "cpu_time_limit": self.cpu_seconds,
            "wall_time_limit": self.wall_seconds,
            "memory_limit": self.memory_mb * 1024,  # kilobytes
            "enable_network": False,
        }
        headers = {"Accept": "application/json"}
        if self.api_key:
            headers[self.auth_header] = self.api_key
        try:
            async with httpx.AsyncClient(base_url=self.base_url, timeout=self.timeout,
                                         transport=self._transport) as client:
                response = await client.post(
                    "/submissions", params={"base64_encoded": "true", "wait": "true"},
                    json=body, headers=headers,
                )
        except httpx.HTTPError:
            return RunReport(status="internal_error", message="the code runner is unreachable")
        if response.status_code >= 400:
            return RunReport(status="internal_error",
                             message=f"the code runner refused the submission (HTTP {response.status_code})")
        try:
            verdict = response.json()
            status_id = int(verdict["status"]["id"])
        except (ValueError, KeyError, TypeError):
            return RunReport(status="internal_error", message="the code runner sent an unreadable answer")
        return self._report(verdict, status_id, nonce=nonce, tests=tests, comparison=comparison)

    def _report(self, verdict: dict, status_id: int, *, nonce: str, tests: list[dict],
                comparison: str) -> RunReport:
        stdout = _unb64(verdict.get("stdout"))
        stderr = _unb64(verdict.get("stderr"))
        events = parse_events(stdout, nonce, len(tests))
        status: RunStatus | None = None
        message = None
        if status_id == TIME_LIMIT:
            status, message = "time_limit", f"time limit exceeded ({self.cpu_seconds:g} s CPU)"
        elif status_id in (INTERNAL_ERROR, EXEC_FORMAT_ERROR) or status_id < ACCEPTED:
            status, message = "internal_error", "the code runner failed to run the submission"
        elif status_id == RUNTIME_SIGXFSZ:
            status, message = "output_limit", "output limit exceeded"
        elif not events.done and (events.memory or any(marker in stderr for marker in MEMORY_MARKERS)):
            status, message = "memory_limit", f"memory limit exceeded ({self.memory_mb} MB)"
        elif len(stderr.encode()) > self.output_bytes:
            status, message = "output_limit", f"output limit exceeded ({self.output_bytes} bytes)"
        time_s = _number(verdict.get("time"))
        wall_s = _number(verdict.get("wall_time"))
        memory = verdict.get("memory")
        if events.max_memory_kb is None and isinstance(memory, int):
            events.max_memory_kb = memory
        crash = "the program exited before finishing the tests"
        if verdict.get("exit_signal"):
            crash = f"the program was killed by signal {verdict['exit_signal']}"
        return build_report(
            events=events, tests=tests, comparison=comparison, status=status, message=message,
            cpu_time_ms=None if time_s is None else round(time_s * 1000, 3),
            wall_time_ms=None if wall_s is None else round(wall_s * 1000, 3),
            max_memory_kb=events.max_memory_kb, stdout=stderr[: self.output_bytes], crash_message=crash,
        )


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
