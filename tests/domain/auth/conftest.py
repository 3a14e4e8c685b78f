from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from tests.domain.auth.factories import create_admin


@pytest.fixture
async def admin(client) -> dict:
    """An administrator (id, email, password) in the `client` app's database."""
    return await create_admin()




@pytest.fixture
async def second_instance(database_url: str, data_dir: str, tmp_path) -> AsyncIterator[Callable]:
    """Start interviewd as a real uvicorn process on the same database and
    secret; returns an httpx client talking to it over loopback.

    A second process, because the runtime is a process global: two apps in
    this process would share one cache and prove nothing about sharing.
    """
    started: list[tuple[subprocess.Popen, httpx.AsyncClient]] = []
    log_path = tmp_path / "second-instance.log"

    async def start(*, secret_key: str, **settings: str) -> httpx.AsyncClient:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        port = sock.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith("INTERVIEWD_")}
        env.update({
            "INTERVIEWD_DATABASE_URL": database_url,
            "INTERVIEWD_DATA_DIR": data_dir,
            "INTERVIEWD_SECRET_KEY": secret_key,
            "INTERVIEWD_RATE_LIMIT_ENABLED": "false",
            "INTERVIEWD_JOBS_BACKEND": "memory",
            "INTERVIEWD_JOBS_IN_PROCESS": "false",
            "INTERVIEWD_EMAIL_BACKEND": "file",
            "INTERVIEWD_ENVIRONMENT": "test",
            "INTERVIEWD_LOG_LEVEL": "WARNING",
        })
        env.update({f"INTERVIEWD_{k.upper()}": v for k, v in settings.items()})
        # The listening socket is handed over, so no other process can take the port meanwhile.
        log = log_path.open("ab")
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "interviewd.app:create_app", "--factory",
             "--fd", str(sock.fileno()), "--log-level", "warning", "--no-access-log"],
            env=env, cwd=data_dir, pass_fds=(sock.fileno(),),
            stdout=log, stderr=log,
        )
        sock.close()
        log.close()
        client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10)
        started.append((process, client))
        for _ in range(300):
            if process.poll() is not None:
                raise RuntimeError(f"interviewd exited: {log_path.read_text()[-2000:]}")
            try:
                if (await client.get("/health")).status_code == 200:
                    return client
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
        raise RuntimeError("interviewd did not start within 30 seconds")

    yield start
    for process, client in started:
        await client.aclose()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
