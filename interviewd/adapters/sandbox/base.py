"""The code-runner port: run a candidate's function against a challenge's tests.

Expected values never enter the sandbox. The harness inside only reports what
the function returned; the comparison happens here, on the server, so code
that forges the result protocol still has to produce the right answers.
"""

from __future__ import annotations

import json
import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from typing import Any, Literal

Language = Literal["python", "javascript"]
Comparison = Literal["exact", "unordered", "float"]
RunStatus = Literal[
    "ok", "compile_error", "runtime_error", "time_limit", "memory_limit", "output_limit", "internal_error"
]
LANGUAGES: tuple[str, ...] = ("python", "javascript")
FLOAT_TOLERANCE = 1e-6


@dataclass(frozen=True)
class TestResult:
    __test__ = False  # not a pytest class

    index: int
    passed: bool
    hidden: bool
    expected: Any = None
    actual: Any = None
    error: str | None = None
    time_ms: float | None = None

    def to_dict(self, *, reveal_hidden: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {"index": self.index, "passed": self.passed, "hidden": self.hidden}
        if reveal_hidden or not self.hidden:
            data["expected"] = self.expected
            data["actual"] = self.actual
        if self.error is not None and (reveal_hidden or not self.hidden):
            data["error"] = self.error
        data["timeMs"] = self.time_ms
        return data


@dataclass(frozen=True)
class RunReport:
    status: RunStatus
    message: str
    results: list[TestResult] = field(default_factory=list)
    cpu_time_ms: float | None = None
    wall_time_ms: float | None = None
    max_memory_kb: int | None = None
    stdout: str = ""  # what the candidate's code printed (capped); never the results

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def passed(self) -> int:
        return sum(1 for result in self.results if result.passed)

    @property
    def correctness(self) -> float:
        return self.passed / self.total if self.total else 0.0

    def to_dict(self, *, reveal_hidden: bool = False) -> dict[str, Any]:
        return {
            "status": self.status,
            "message": self.message,
            "results": [result.to_dict(reveal_hidden=reveal_hidden) for result in self.results],
            "passed": self.passed,
            "total": self.total,
            "correctness": self.correctness,
            "cpuTimeMs": self.cpu_time_ms,
            "wallTimeMs": self.wall_time_ms,
            "maxMemoryKb": self.max_memory_kb,
            "stdout": self.stdout,
        }

    def public(self) -> dict[str, Any]:
        """The shape a candidate may see: hidden tests say only whether they passed."""
        return self.to_dict(reveal_hidden=False)

    def with_status(self, status: RunStatus, message: str) -> RunReport:
        return replace(self, status=status, message=message)


class SandboxUnavailable(RuntimeError):
    """This server cannot run untrusted code safely: no isolation is available,
    and running without it was not allowed. Raised by `run`, never for anything
    the submitted code does."""


class CodeRunner(ABC):
    name: str

    @abstractmethod
    async def run(
        self,
        *,
        language: str,
        source: str,
        function_name: str,
        tests: list[dict],
        comparison: str = "exact",
    ) -> RunReport:
        """Call `function_name` from `source` once per test (`input` holds the
        positional arguments) and compare with `expected`. Never raises for
        anything the submitted code does: that becomes the report's status."""


# Comparison -----------------------------------------------------------------


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _same_exact(expected: Any, actual: Any) -> bool:
    # JSON semantics: true is not 1, 1 is 1.0, lists and tuples are arrays.
    if isinstance(expected, bool) or isinstance(actual, bool):
        return isinstance(expected, bool) and isinstance(actual, bool) and expected == actual
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return expected == actual
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(map(_same_exact, expected, actual))
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(_same_exact(expected[k], actual[k]) for k in expected)
    return type(expected) is type(actual) and expected == actual


def _same_float(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return _same_exact(expected, actual)
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return math.isclose(expected, actual, rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE)
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(map(_same_float, expected, actual))
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(_same_float(expected[k], actual[k]) for k in expected)
    return _same_exact(expected, actual)


def _same_unordered(expected: Any, actual: Any) -> bool:
    """Top-level order does not matter (a list of pairs, of groups...)."""
    if not isinstance(expected, list) or not isinstance(actual, list):
        return _same_exact(expected, actual)
    return sorted(map(_canonical, expected)) == sorted(map(_canonical, actual))


def same(expected: Any, actual: Any, comparison: str) -> bool:
    try:
        if comparison == "unordered":
            return _same_unordered(expected, actual)
        if comparison == "float":
            return _same_float(expected, actual)
        return _same_exact(expected, actual)
    except (TypeError, ValueError):
        return False
