"""The code-runner port: candidates' code against a challenge's tests, in a
sandbox on this machine (bubblewrap) or on a Judge0 server. See docs/sandbox.md."""

from __future__ import annotations

from interviewd.adapters.sandbox.base import CodeRunner, RunReport, TestResult, same
from interviewd.config import Settings

__all__ = ["CodeRunner", "RunReport", "TestResult", "create_code_runner", "same"]


def create_code_runner(settings: Settings) -> CodeRunner:
    if settings.sandbox_backend == "judge0":
        from interviewd.adapters.sandbox.judge0 import Judge0Runner

        if not settings.judge0_url:
            raise ValueError("INTERVIEWD_JUDGE0_URL is required with INTERVIEWD_SANDBOX_BACKEND=judge0")
        return Judge0Runner(
            base_url=settings.judge0_url, api_key=settings.judge0_api_key,
            auth_header=settings.judge0_auth_header,
            language_ids={"python": settings.judge0_python_language_id,
                          "javascript": settings.judge0_javascript_language_id},
            cpu_seconds=settings.sandbox_cpu_seconds, wall_seconds=settings.sandbox_wall_seconds,
            memory_mb=settings.sandbox_memory_mb, output_bytes=settings.sandbox_output_bytes,
            timeout=settings.judge0_timeout,
        )
    from interviewd.adapters.sandbox.local import Limits, SubprocessRunner

    return SubprocessRunner(
        limits=Limits(
            cpu_seconds=settings.sandbox_cpu_seconds, wall_seconds=settings.sandbox_wall_seconds,
            memory_mb=settings.sandbox_memory_mb,
            node_address_space_mb=settings.sandbox_node_address_space_mb,
            output_bytes=settings.sandbox_output_bytes, max_processes=settings.sandbox_max_processes,
            max_file_mb=settings.sandbox_max_file_mb,
        ),
        python=settings.sandbox_python, node=settings.sandbox_node,
        allow_unisolated=settings.sandbox_allow_unisolated, uid_base=settings.sandbox_uid_base,
        max_concurrent=settings.sandbox_max_concurrent,
    )
