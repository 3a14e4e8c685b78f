"""Two server processes share one budget through Redis."""

from __future__ import annotations

import uuid

import httpx
import pytest
import redis

from tests.web.processes import clean_env, free_port, start_uvicorn, stop, wait_until_up


@pytest.fixture
def client_ip(redis_url: str):
    """An address no other run uses (uvicorn trusts X-Forwarded-For from
    loopback), so the counters are this test's alone; they are deleted after."""
    ip = "10.{}.{}.{}".format(*uuid.uuid4().bytes[:3])
    yield ip
    store = redis.Redis.from_url(redis_url)
    keys = list(store.scan_iter(match=f"LIMITS:*ip:{ip}/*"))
    if keys:
        store.delete(*keys)
    store.close()


def test_sign_in_limit_is_shared_by_two_processes(tmp_path, database_url, redis_url, client_ip):
    env = clean_env(
        INTERVIEWD_DATABASE_URL=database_url,
        INTERVIEWD_DATA_DIR=str(tmp_path),
        INTERVIEWD_SECRET_KEY="shared-test-secret-key-that-is-long-enough",
        INTERVIEWD_REDIS_URL=redis_url,
        INTERVIEWD_RATE_LIMIT_API_AUTH="4/minute",
        INTERVIEWD_JOBS_IN_PROCESS="false",
        INTERVIEWD_JOBS_BACKEND="memory",
        INTERVIEWD_LOG_LEVEL="WARNING",
    )
    ports = [free_port(), free_port()]
    servers = [start_uvicorn(port, env, cwd=str(tmp_path), log_path=tmp_path / f"server-{i}.log")
               for i, port in enumerate(ports)]
    try:
        for server, port in zip(servers, ports, strict=True):
            wait_until_up(server, f"http://127.0.0.1:{port}/health")
        answers = []
        for attempt in range(5):
            port = ports[attempt % 2]
            answers.append(httpx.post(
                f"http://127.0.0.1:{port}/api/auth/login",
                json={"email": f"nobody-{attempt}@example.com", "password": "Wrong-Password-1"},
                headers={"X-Forwarded-For": client_ip}, timeout=10,
            ))
    finally:
        for server in servers:
            stop(server)

    assert [a.status_code for a in answers] == [401, 401, 401, 401, 429], [a.text for a in answers]
    # Each process saw the other's hits: the remaining budget falls across both.
    assert [a.headers["ratelimit-remaining"] for a in answers] == ["3", "2", "1", "0", "0"]
    refused = answers[-1]
    assert refused.json()["error"]["code"] == "RATE_LIMITED"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    store = redis.Redis.from_url(redis_url)
    try:
        assert list(store.scan_iter(match=f"LIMITS:*ip:{client_ip}/*")), "counters are not in Redis"
    finally:
        store.close()
