from __future__ import annotations

import pytest

from tests.adapters.llm.fake_openai import FakeOpenAI


@pytest.fixture
def fake_llm():
    server = FakeOpenAI()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def llm_settings(make_settings, fake_llm):
    """Settings pointing the evaluator at the fake server, with short timings."""

    def make(**overrides):
        values = dict(llm_backend="openai", llm_base_url=fake_llm.base_url, llm_api_key="test-key",
                      llm_model="fake-gpt-1", llm_timeout=2.0, llm_max_retries=2, llm_retry_backoff=0.01,
                      llm_deadline=10.0)
        values.update(overrides)
        return make_settings(**values)

    return make
