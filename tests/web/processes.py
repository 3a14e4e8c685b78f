"""Real interviewd server processes on loopback, for tests that need more
than one process or the real command line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

PYTHON = sys.executable
INTERVIEWD = str(Path(sys.executable).parent / "interviewd")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(**settings: str) -> dict[str, str]:
    """The parent environment without any INTERVIEWD_ setting, plus `settings`,
    so that a developer's own configuration never leaks into a test process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERVIEWD_")}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(settings)
    return env


def wait_until_up(process: subprocess.Popen, url: str, *, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode} before answering {url}")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"server did not answer {url} within {timeout} seconds")


def stop(process: subprocess.Popen) -> int:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    return process.returncode


def start_uvicorn(port: int, env: dict[str, str], *, cwd: str, log_path: Path) -> subprocess.Popen:
    with open(log_path, "wb") as log:
        return subprocess.Popen(
            [PYTHON, "-m", "uvicorn", "interviewd.app:create_app", "--factory",
             "--host", "127.0.0.1", "--port", str(port)],
            env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
        )
