"""Every coding challenge's reference solutions pass all of its tests, in both
languages, through the real sandbox; the starter code passes none of them."""

from __future__ import annotations

import asyncio

import pytest

from interviewd.adapters.sandbox.local import SubprocessRunner
from interviewd.content.loader import load_challenges
from interviewd.content.schema import ChallengeSeed
from tests.conftest import SANDBOX_UID_BASE

CHALLENGES = load_challenges()
LANGUAGES = ("python", "javascript")


def _tests(challenge: ChallengeSeed) -> list[dict]:
    return [test.model_dump() for test in challenge.tests]


async def _run_all(kind: str) -> list[tuple[str, str, object]]:
    runner = SubprocessRunner(max_concurrent=4, uid_base=SANDBOX_UID_BASE)
    if not runner.isolated:
        pytest.skip("no namespace sandbox on this host (bubblewrap missing or namespaces forbidden)")

    async def one(challenge: ChallengeSeed, language: str):
        spec = challenge.languages[language]
        report = await runner.run(
            language=language, source=getattr(spec, kind), function_name=spec.functionName,
            tests=_tests(challenge), comparison=challenge.comparison,
        )
        return challenge.key, language, report

    return await asyncio.gather(*(one(c, lang) for c in CHALLENGES for lang in LANGUAGES))


def test_there_are_enough_challenges_with_hidden_and_visible_tests():
    assert len(CHALLENGES) >= 40
    categories = {c.category for c in CHALLENGES}
    assert {"algorithms", "data-structures", "strings", "math"} <= categories
    for challenge in CHALLENGES:
        assert len(challenge.tests) >= 5, challenge.key
        assert any(t.hidden for t in challenge.tests) and not all(t.hidden for t in challenge.tests)
        for language in LANGUAGES:
            spec = challenge.languages[language]
            assert spec.functionName in spec.signature and spec.functionName in spec.starter
            assert spec.functionName in spec.solution


async def test_reference_solutions_pass_every_test_in_both_languages():
    failures = []
    for key, language, report in await _run_all("solution"):
        if report.status != "ok" or report.passed != report.total:
            failed = [r.to_dict(reveal_hidden=True) for r in report.results if not r.passed]
            failures.append(f"{key} [{language}]: {report.status} {report.message} {failed[:2]}")
    assert failures == []


async def test_starter_code_passes_nothing():
    for key, language, report in await _run_all("starter"):
        assert report.status in ("ok", "runtime_error"), (key, language, report.message)
        assert report.total > 0 and report.passed == 0, (key, language)
