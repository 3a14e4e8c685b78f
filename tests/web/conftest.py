from __future__ import annotations

import os

import pytest
import redis

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The test Redis. Without INTERVIEWD_TEST_REDIS_URL the default local one
    is used when it answers; when the variable is set it must answer."""
    url = os.environ.get("INTERVIEWD_TEST_REDIS_URL")
    try:
        redis.Redis.from_url(url or DEFAULT_REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        if url:
            raise
        pytest.skip("no Redis at " + DEFAULT_REDIS_URL)
    return url or DEFAULT_REDIS_URL
