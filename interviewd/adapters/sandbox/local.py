"""Run submissions on this machine, in a child process fenced in by bubblewrap.

The child sees a fresh tmpfs as its working directory, read-only system
libraries and the interpreter, nothing of the server's files, no network
(its own empty network namespace), no environment variables, its own PID
namespace, and resource limits (CPU seconds, address space, processes, file
size, open files, no core dumps). Run as root, it also runs under a user ID
of its own, so the process limit counts the sandbox's processes only.
See docs/sandbox.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import os
import secrets
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from interviewd.adapters.sandbox.base import LANGUAGES, CodeRunner, RunReport, RunStatus, SandboxUnavailable
from interviewd.adapters.sandbox.harness import (
    HARNESSES,
    MEMORY_MARKERS,
    build_report,
    new_nonce,
    parse_events,
    stdin_document,
)

RESULTS_CAP = 4 * 1024 * 1024  # the harness's own channel: large return values, not user output
DIAGNOSTICS_CAP = 64 * 1024
WORKDIR = "/sandbox"


@dataclass(frozen=True)
class Limits:
    cpu_seconds: float = 5.0
    wall_seconds: float = 10.0
    memory_mb: int = 128
    node_address_space_mb: int = 4096
    output_bytes: int = 64 * 1024
    max_processes: int = 32
    max_file_mb: int = 16
    max_open_files: int = 64


@dataclass
class _Outcome:
    channel: bytes
    stdout: bytes
    stderr: bytes
    output_exceeded: bool
    results_exceeded: bool
    timed_out: bool
    exit_status: int
    cpu_time_ms: float
    wall_time_ms: float


class _UidPool:
    """User IDs for sandboxes started as root: one per concurrent run, so that
    RLIMIT_NPROC (a per-user count) covers that run's processes alone."""

    def __init__(self, base: int, size: int = 4096) -> None:
        self._lock = threading.Lock()
        self._busy: set[int] = set()
        start = secrets.randbelow(size)  # several server processes rarely pick the same IDs
        self._ids = itertools.cycle([base + (start + i) % size for i in range(size)])
        self._size = size
        self.base = base

    def acquire(self) -> int:
        with self._lock:
            for _ in range(self._size):
                uid = next(self._ids)
                if uid not in self._busy:
                    self._busy.add(uid)
                    return uid
        raise RuntimeError("no free sandbox user IDs")

    def release(self, uid: int) -> None:
        with self._lock:
            self._busy.discard(uid)


@cache
def _uid_pool(base: int) -> _UidPool:
    return _UidPool(base)


@cache
def _slots(size: int) -> threading.BoundedSemaphore:
    # Shared by every runner of this process (one may be created per request), and
    # a thread semaphore since runs wait in worker threads, whatever the event loop.
    return threading.BoundedSemaphore(size)


def _prefix_of(executable: str) -> str:
    return str(Path(executable).resolve().parent.parent)


@cache
def _bwrap_works(bwrap: str, as_root: bool) -> bool:
    """Whether namespaces can be created here (containers often forbid them)."""
    command = [bwrap, "--ro-bind", "/", "/", "--unshare-net", "--unshare-pid", "--die-with-parent"]
    if not as_root:
        command.append("--unshare-user")
    try:
        done = subprocess.run([*command, "--", "/bin/true"], env={}, capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


class SubprocessRunner(CodeRunner):
    name = "subprocess"

    def __init__(
        self,
        *,
        limits: Limits | None = None,
        python: str | None = None,
        node: str | None = None,
        allow_unisolated: bool = False,
        uid_base: int = 200_000,
        bwrap: str | None = None,
        max_concurrent: int = 4,
    ) -> None:
        self.limits = limits or Limits()
        self.python = python or str(Path(sys.executable).resolve())
        self.python_prefix = sys.base_prefix if python is None else _prefix_of(self.python)
        self.node = node if node is not None else shutil.which("node")
        self.allow_unisolated = allow_unisolated
        self.bwrap = bwrap if bwrap is not None else shutil.which("bwrap")
        self.as_root = os.geteuid() == 0
        self._uids = _uid_pool(uid_base)
        self._slots = _slots(max_concurrent)

    # -- public ----------------------------------------------------------------

    @property
    def isolated(self) -> bool:
        tools = ["/usr/bin/prlimit", "/usr/bin/setpriv"] if self.as_root else ["/usr/bin/prlimit"]
        return (bool(self.bwrap) and all(os.access(tool, os.X_OK) for tool in tools)
                and _bwrap_works(self.bwrap, self.as_root))

    async def run(self, *, language: str, source: str, function_name: str, tests: list[dict],
                  comparison: str = "exact") -> RunReport:
        if language not in LANGUAGES:
            return RunReport(status="internal_error", message=f"unsupported language: {language}")
        if language == "javascript" and not self.node:
            return RunReport(status="internal_error", message="JavaScript is not available on this server")
        if not self.isolated and not self.allow_unisolated:
            raise SandboxUnavailable("bubblewrap is missing or cannot create namespaces here, and "
                                     "INTERVIEWD_SANDBOX_ALLOW_UNISOLATED is off")
        nonce = new_nonce()

        def document(fd: int) -> bytes:
            return stdin_document(source=source, function_name=function_name, tests=tests, nonce=nonce,
                                  channel=f"fd:{fd}")

        try:
            outcome = await asyncio.to_thread(self._execute, language, document)
        except OSError:
            return RunReport(status="internal_error", message="the sandbox could not be started")
        return self._report(outcome, nonce=nonce, tests=tests, comparison=comparison)

    # -- command line ------------------------------------------------------------

    def _interpreter(self, language: str) -> tuple[list[str], str]:
        if language == "python":
            # -I: no user site, no PYTHON* variables, script dir not on sys.path; -S: no site module.
            return [self.python, "-I", "-S", "-B", "-c", HARNESSES["python"]], self.python_prefix
        node = str(Path(self.node).resolve())
        return ([node, f"--max-old-space-size={self.limits.memory_mb}", "--max-semi-space-size=8",
                 "--disallow-code-generation-from-strings", "-e", HARNESSES["javascript"]],
                _prefix_of(node))

    def _rlimits(self, language: str) -> list[str]:
        limits = self.limits
        cpu = max(1, math.ceil(limits.cpu_seconds))
        # V8 reserves far more address space than it uses: its heap is capped by
        # --max-old-space-size instead, and RLIMIT_AS only stops runaway native allocations.
        address_mb = limits.node_address_space_mb if language == "javascript" else limits.memory_mb
        file_bytes = limits.max_file_mb * 1024 * 1024
        return [
            # PID 1 of a namespace ignores SIGXCPU: the hard limit (SIGKILL) is the one that acts.
            f"--cpu={cpu}:{cpu}",
            f"--as={address_mb * 1024 * 1024}",
            f"--nproc={limits.max_processes}",
            f"--fsize={file_bytes}",
            f"--nofile={limits.max_open_files}",
            "--core=0",
        ]

    def _isolated_command(self, language: str, uid: int | None) -> list[str]:
        interpreter, prefix = self._interpreter(language)
        file_bytes = str(self.limits.max_file_mb * 1024 * 1024)
        command = [self.bwrap, "--ro-bind", "/usr", "/usr"]
        for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
            path = Path("/") / name
            if path.is_symlink():
                command += ["--symlink", os.readlink(path), str(path)]
            elif path.is_dir():
                command += ["--ro-bind", str(path), str(path)]
        if not prefix.startswith("/usr/") and prefix not in ("/", "/usr"):
            # Parents of a bind are created with the host's modes (/root is 0700): make them traversable.
            for parent in reversed(Path(prefix).parents[:-1]):
                command += ["--perms", "0755", "--dir", str(parent)]
            command += ["--ro-bind", prefix, prefix]
        command += [
            "--proc", "/proc", "--dev", "/dev",
            "--perms", "01777", "--size", file_bytes, "--tmpfs", "/tmp",
            "--perms", "01777", "--size", file_bytes, "--tmpfs", WORKDIR,
            "--chdir", WORKDIR,
            "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
            # No reaper in between: wait4 on bwrap then accounts for the submission's CPU time.
            "--as-pid-1",
            "--hostname", "sandbox", "--die-with-parent", "--new-session", "--clearenv",
        ]
        if uid is None:
            command += ["--unshare-user", "--"]
        else:
            command += ["--", "/usr/bin/setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                        "--no-new-privs", "--"]
        return [*command, "/usr/bin/prlimit", *self._rlimits(language), "--", *interpreter]

    def _unisolated_command(self, language: str) -> list[str]:
        # Trusted code only (INTERVIEWD_SANDBOX_ALLOW_UNISOLATED): limits, an empty
        # environment and a scratch directory, but the server's user and view of the system.
        interpreter, _ = self._interpreter(language)
        return ["/usr/bin/prlimit", *self._rlimits(language), "--", *interpreter]

    # -- execution -----------------------------------------------------------------

    def _execute(self, language: str, document: Callable[[int], bytes]) -> _Outcome:
        with self._slots:
            return self._execute_now(language, document)

    def _execute_now(self, language: str, document: Callable[[int], bytes]) -> _Outcome:
        isolated = self.isolated
        uid = self._uids.acquire() if self.as_root and isolated else None
        workdir = None
        try:
            if isolated:
                command, cwd = self._isolated_command(language, uid), "/"
            else:
                workdir = tempfile.mkdtemp(prefix="interviewd-sandbox-")
                command, cwd = self._unisolated_command(language), workdir
            return self._spawn(command, cwd, document)
        finally:
            if uid is not None:
                _kill_user(uid)
                self._uids.release(uid)
            if workdir is not None:
                shutil.rmtree(workdir, ignore_errors=True)

    def _spawn(self, command: list[str], cwd: str, document: Callable[[int], bytes]) -> _Outcome:
        limits = self.limits
        results_read, results_write = os.pipe()
        stdin_read, stdin_write = os.pipe()
        started = time.monotonic()
        try:
            process = subprocess.Popen(
                command, stdin=stdin_read, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                pass_fds=(results_write,), env={}, cwd=cwd, start_new_session=True, close_fds=True,
            )
        except BaseException:
            for fd in (results_read, results_write, stdin_read, stdin_write):
                os.close(fd)
            raise
        os.close(results_write)
        os.close(stdin_read)
        buffers = {"channel": bytearray(), "stdout": bytearray(), "stderr": bytearray()}
        caps = {"channel": RESULTS_CAP, "stdout": limits.output_bytes, "stderr": DIAGNOSTICS_CAP}
        output_exceeded = results_exceeded = timed_out = False
        selector = selectors.DefaultSelector()
        os.set_blocking(stdin_write, False)
        pending_stdin = memoryview(document(results_write))
        selector.register(stdin_write, selectors.EVENT_WRITE, "stdin")
        selector.register(results_read, selectors.EVENT_READ, "channel")
        selector.register(process.stdout.fileno(), selectors.EVENT_READ, "stdout")
        selector.register(process.stderr.fileno(), selectors.EVENT_READ, "stderr")
        open_readers = 3
        deadline = started + limits.wall_seconds
        try:
            while open_readers:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    timed_out = True
                    break
                for key, _ in selector.select(timeout=min(remaining, 0.5)):
                    name = key.data
                    if name == "stdin":
                        try:
                            written = os.write(stdin_write, pending_stdin[:65536])
                        except (BlockingIOError, InterruptedError):
                            continue
                        except OSError:  # the child closed stdin early
                            written = len(pending_stdin)
                        pending_stdin = pending_stdin[written:]
                        if not pending_stdin:
                            selector.unregister(stdin_write)
                            os.close(stdin_write)
                            stdin_write = -1
                        continue
                    chunk = os.read(key.fd, 65536)
                    if not chunk:
                        selector.unregister(key.fd)
                        open_readers -= 1
                        continue
                    buffer = buffers[name]
                    room = caps[name] - len(buffer)
                    buffer += chunk[: max(room, 0)]
                    if len(chunk) > room:
                        if name == "stdout":
                            output_exceeded = True
                        elif name == "channel":
                            results_exceeded = True
                        else:
                            continue  # diagnostics beyond the cap are dropped, not fatal
                        break
                if output_exceeded or results_exceeded:
                    break
        finally:
            killed_at = None
            if open_readers:
                _kill_children(process.pid)
                killed_at = time.monotonic()
            while True:
                # wait4, not Popen.wait: its rusage covers the reaped tree's CPU time.
                # Not its peak memory: the forked server's own RSS counts in that, so
                # the harness reports the submission's peak itself.
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                now = time.monotonic()
                if killed_at is None and now >= deadline:
                    timed_out = True
                    _kill_children(process.pid)
                    killed_at = now
                elif killed_at is not None and now - killed_at > 1:
                    _kill_group(process.pid)  # bwrap did not exit with its child
                time.sleep(0.005)
            process.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
            selector.close()
            for fd in (results_read, stdin_write):
                if fd >= 0:
                    os.close(fd)
            process.stdout.close()
            process.stderr.close()
        wall_ms = (time.monotonic() - started) * 1000
        return _Outcome(
            channel=bytes(buffers["channel"]), stdout=bytes(buffers["stdout"]),
            stderr=bytes(buffers["stderr"]),
            output_exceeded=output_exceeded, results_exceeded=results_exceeded, timed_out=timed_out,
            exit_status=status, cpu_time_ms=round((usage.ru_utime + usage.ru_stime) * 1000, 3),
            wall_time_ms=round(wall_ms, 3),
        )

    # -- verdict -----------------------------------------------------------------------

    def _report(self, outcome: _Outcome, *, nonce: str, tests: list[dict], comparison: str) -> RunReport:
        events = parse_events(outcome.channel.decode("utf-8", "replace"), nonce, len(tests))
        stderr = outcome.stderr.decode("utf-8", "replace")
        status: RunStatus | None = None
        message = None
        signalled = os.WIFSIGNALED(outcome.exit_status)
        exit_code = os.WEXITSTATUS(outcome.exit_status) if os.WIFEXITED(outcome.exit_status) else None
        # bwrap reports a killed child as 128 + signal number.
        died_of = os.WTERMSIG(outcome.exit_status) if signalled else (
            exit_code - 128 if exit_code is not None and exit_code > 128 else None)
        cpu_limit_ms = max(1, math.ceil(self.limits.cpu_seconds)) * 1000
        if outcome.output_exceeded:
            status, message = "output_limit", f"output limit exceeded ({self.limits.output_bytes} bytes)"
        elif outcome.results_exceeded:
            status, message = "output_limit", "the returned values are too large"
        elif outcome.timed_out:
            status, message = "time_limit", f"time limit exceeded ({self.limits.wall_seconds:g} s wall clock)"
        elif died_of == signal.SIGXCPU or (
                died_of == signal.SIGKILL and outcome.cpu_time_ms >= cpu_limit_ms * 0.9):
            status, message = "time_limit", f"time limit exceeded ({self.limits.cpu_seconds:g} s CPU)"
        elif not events.done and (events.memory or any(marker in stderr for marker in MEMORY_MARKERS)):
            status, message = "memory_limit", f"memory limit exceeded ({self.limits.memory_mb} MB)"
        elif died_of == signal.SIGXFSZ:
            status, message = "output_limit", f"file size limit exceeded ({self.limits.max_file_mb} MB)"
        if died_of is not None:
            crash = f"the program was killed by signal {signal.Signals(died_of).name}" if died_of in \
                signal.valid_signals() else f"the program was killed by signal {died_of}"
        else:
            crash = f"the program exited before finishing the tests (exit code {exit_code})"
        stdout = outcome.stdout.decode("utf-8", "replace")
        return build_report(events=events, tests=tests, comparison=comparison, status=status, message=message,
                            cpu_time_ms=outcome.cpu_time_ms, wall_time_ms=outcome.wall_time_ms,
                            max_memory_kb=events.max_memory_kb, stdout=stdout, crash_message=crash)


def _children(pid: int) -> list[int]:
    found = []
    for path in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError, ValueError):
            found += [int(child) for child in path.read_text().split()]
    return found


def _kill_children(pid: int) -> None:
    """Kill the submission: PID 1 of its namespace, so the whole namespace goes
    with it. It runs in a session of its own and, once it has changed user,
    without bwrap's parent-death signal, so killing bwrap would not reach it;
    bwrap then reaps it and exits. Without children (unisolated), the group goes."""
    children = _children(pid)
    for child in children:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(child, signal.SIGKILL)
    if not children:
        _kill_group(pid)


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _kill_user(uid: int, attempts: int = 50) -> None:
    """Kill whatever still runs under a sandbox user ID before it is reused."""
    for _ in range(attempts):
        alive = []
        for status in Path("/proc").glob("[0-9]*/status"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
                # Zombies are dead already: their parent (or init) reaps them.
                if int(fields["Uid"].split()[0]) == uid and not fields["State"].strip().startswith("Z"):
                    alive.append(int(status.parent.name))
        if not alive:
            return
        for pid in alive:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.01)
