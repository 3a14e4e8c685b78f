"""Hostile submissions end with a clean verdict and leave the host untouched."""

from __future__ import annotations

import json
import secrets
import socket
import threading
from pathlib import Path

import pytest

from interviewd.adapters.sandbox.base import SandboxUnavailable
from interviewd.adapters.sandbox.local import SubprocessRunner
from tests.conftest import SANDBOX_UID_BASE

PROJECT = Path(__file__).resolve().parents[3]
ONE_TEST = [{"input": [], "expected": 1}]
PATH_MARKERS = ("/work", "/usr/", "/root", "/tmp", "site-packages", "harness", "<string>", "[eval")


def assert_clean(message: str) -> None:
    assert message
    for marker in PATH_MARKERS:
        assert marker not in message, (marker, message)


async def run(runner: SubprocessRunner, language: str, source: str, tests=None, name: str = "solve"):
    return await runner.run(language=language, source=source, function_name=name, tests=tests or ONE_TEST)


def sandbox_processes(runner: SubprocessRunner) -> list[int]:
    """PIDs on the host running under one of the sandbox's user IDs (zombies are dead already)."""
    low = runner._uids.base
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        uid = int(fields["Uid"].split()[0])
        if low <= uid < low + 4096 and not fields["State"].strip().startswith("Z"):
            found.append(int(status.parent.name))
    return found


# Time ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language, source", [
    ("python", "def solve():\n    while True:\n        pass\n"),
    ("javascript", "function solve() { for (;;) {} }"),
])
async def test_an_infinite_loop_hits_the_time_limit(sandbox, language, source):
    report = await run(sandbox(), language, source)
    assert report.status == "time_limit"
    assert report.passed == 0 and report.results[0].error == "time limit exceeded"
    assert report.cpu_time_ms >= 900


async def test_sleeping_forever_hits_the_wall_clock_limit(sandbox):
    report = await run(sandbox(wall_seconds=1.5), "python", "import time\ndef solve():\n    time.sleep(60)\n")
    assert report.status == "time_limit"
    assert "wall clock" in report.message


# Processes ---------------------------------------------------------------------------------


FORK_BOMBS = [
    ("python", "import os\ndef solve():\n    while True:\n        try:\n            os.fork()\n"
               "        except OSError:\n            pass\n"),
    ("javascript", "function solve() {\n  const run = require('child_process').spawnSync;\n"
                   "  const bomb = run('/bin/sh', ['-c', 'b() { b | b & }; b']);\n"
                   "  return String(bomb.stderr).includes('Cannot fork') ? 1 : 0;\n}"),
]


@pytest.mark.parametrize("language, source", FORK_BOMBS)
async def test_a_fork_bomb_is_contained_and_the_host_keeps_working(sandbox, language, source):
    runner = sandbox(wall_seconds=2)
    report = await run(runner, language, source)
    if language == "python":
        assert report.status in ("time_limit", "runtime_error") and report.passed == 0
    else:
        assert report.status == "ok" and report.passed == 1  # the shell was refused new processes
    assert sandbox_processes(runner) == []  # the whole tree is gone
    after = await run(runner, language, "def solve():\n    return 1\n" if language == "python"
                      else "function solve() { return 1; }")
    assert after.status == "ok" and after.passed == 1


async def test_the_process_limit_stops_forking(sandbox):
    source = ("import os\ndef solve():\n    children = 0\n    try:\n        for _ in range(200):\n"
              "            if os.fork() == 0:\n                import time\n                time.sleep(30)\n"
              "                os._exit(0)\n            children += 1\n    except OSError as exc:\n"
              "        return ['refused', children, type(exc).__name__]\n    return ['forked', children]\n")
    report = await run(sandbox(wall_seconds=3, max_processes=8), "python", source,
                       tests=[{"input": [], "expected": None}])
    actual = report.results[0].actual
    assert actual[0] == "refused" and actual[1] < 8 and actual[2] == "BlockingIOError"


# Memory ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language, source", [
    ("python", "def solve():\n    hog = []\n    while True:\n        hog.append(bytearray(1 << 20))\n"),
    ("javascript", "function solve() {\n  const hog = [];\n"
                   "  for (;;) hog.push(new Array(1 << 16).fill(7));\n}"),
])
async def test_a_memory_hog_hits_the_memory_limit(sandbox, language, source):
    report = await run(sandbox(), language, source)
    assert report.status == "memory_limit"
    assert report.passed == 0


# Secrets: environment and files ---------------------------------------------------------------


@pytest.mark.parametrize("language, source", [
    ("python", "import os\ndef solve():\n    return dict(os.environ)\n"),
    ("javascript", "function solve() { return Object.assign({}, process.env); }"),
])
async def test_the_server_environment_is_invisible(sandbox, monkeypatch, language, source):
    canary = "canary-" + secrets.token_hex(12)
    monkeypatch.setenv("INTERVIEWD_SANDBOX_CANARY", canary)
    monkeypatch.setenv("INTERVIEWD_SECRET_KEY", canary)
    report = await run(sandbox(), language, source, tests=[{"input": [], "expected": {}}])
    environment = report.results[0].actual
    assert isinstance(environment, dict)
    assert canary not in json.dumps(environment)
    assert not [key for key in environment if key.startswith("INTERVIEWD") or key in ("HOME", "PATH", "USER")]
    assert set(environment) <= {"PWD", "LC_CTYPE"}


READ_FILES_PY = """
def solve(paths):
    seen = {}
    for path in paths:
        try:
            with open(path) as handle:
                seen[path] = "read:" + handle.read(200)
        except OSError as exc:
            seen[path] = type(exc).__name__
    return seen
"""

READ_FILES_JS = """
function solve(paths) {
  const fs = require('fs');
  const seen = {};
  for (const path of paths) {
    try { seen[path] = 'read:' + fs.readFileSync(path, 'utf8').slice(0, 200); }
    catch (error) { seen[path] = error.code; }
  }
  return seen;
}
"""


@pytest.mark.parametrize("language, source", [("python", READ_FILES_PY), ("javascript", READ_FILES_JS)])
async def test_the_server_files_are_invisible(sandbox, tmp_path, language, source):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "secret_key").write_text("top-secret-signing-key")
    (data_dir / "interviewd.db").write_text("database")
    data_dir.chmod(0o755)
    tmp_path.chmod(0o755)
    for path in (data_dir / "secret_key", data_dir / "interviewd.db"):
        path.chmod(0o644)  # readable to anyone on the host: only the sandbox may hide them
    paths = [str(PROJECT / "pyproject.toml"), str(data_dir / "secret_key"), str(data_dir / "interviewd.db"),
             "/etc/passwd", "/etc/shadow", "/proc/1/environ", str(Path.home() / ".bash_history")]
    report = await run(sandbox(), language, source, tests=[{"input": [paths], "expected": {}}])
    seen = report.results[0].actual
    assert set(seen) == set(paths)
    for path, outcome in seen.items():
        if path == "/proc/1/environ":
            assert "INTERVIEWD" not in outcome  # PID 1 of the sandbox is the submission itself
            continue
        assert not outcome.startswith("read:"), (path, outcome)


async def test_the_filesystem_root_holds_only_system_directories(sandbox):
    report = await run(sandbox(), "python", "import os\ndef solve():\n    return sorted(os.listdir('/'))\n",
                       tests=[{"input": [], "expected": []}])
    listing = set(report.results[0].actual)
    system = {"bin", "dev", "lib", "lib32", "lib64", "libx32", "proc", "root", "sandbox", "sbin", "tmp",
              "usr"}
    assert listing <= system
    if PROJECT.parts[1] not in system:
        assert PROJECT.parts[1] not in listing


# Network -------------------------------------------------------------------------------------


class Listener:
    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


async def test_python_cannot_reach_a_loopback_server(sandbox, listener):
    source = ("import socket\ndef solve(port):\n    out = []\n    for host in ('127.0.0.1', '10.0.0.1'):\n"
              "        try:\n            socket.create_connection((host, port), timeout=1).close()\n"
              "            out.append('connected')\n        except OSError as exc:\n"
              "            out.append(type(exc).__name__)\n    return out\n")
    report = await run(sandbox(), "python", source, tests=[{"input": [listener.port], "expected": []}])
    assert "connected" not in report.results[0].actual
    assert listener.accepted == 0


async def test_javascript_cannot_reach_a_loopback_server(sandbox, listener):
    # The connection attempt runs after the tests, before node exits.
    source = ("function solve(port) {\n  const net = require('net');\n"
              "  const s = net.connect(port, '127.0.0.1', () => { console.log('CONNECTED'); s.end(); });\n"
              "  s.on('error', (e) => console.log('ERROR ' + e.code));\n  return 1;\n}")
    report = await run(sandbox(), "javascript", source, tests=[{"input": [listener.port], "expected": 1}])
    assert report.status == "ok"
    assert "ERROR ECONNREFUSED" in report.stdout and "CONNECTED" not in report.stdout
    assert listener.accepted == 0


# Writing files ----------------------------------------------------------------------------------


async def test_writes_outside_the_workdir_fail_or_vanish(sandbox, tmp_path):
    host_tmp = Path("/tmp") / f"interviewd-sandbox-escape-{secrets.token_hex(6)}"
    project_file = PROJECT / f"sandbox-escape-{secrets.token_hex(6)}"
    targets = [str(host_tmp), str(project_file), "/usr/sandbox-escape", "/etc/sandbox-escape", "scratch.txt"]
    source = ("def solve(paths):\n    out = {}\n    for path in paths:\n        try:\n"
              "            with open(path, 'w') as handle:\n                handle.write('x')\n"
              "            out[path] = 'written'\n        except OSError as exc:\n"
              "            out[path] = type(exc).__name__\n    return out\n")
    report = await run(sandbox(), "python", source, tests=[{"input": [targets], "expected": {}}])
    outcome = report.results[0].actual
    assert outcome["scratch.txt"] == "written"  # the working directory is writable
    for path in ("/usr/sandbox-escape", "/etc/sandbox-escape", str(project_file)):
        assert outcome[path] != "written", path
    assert not host_tmp.exists()  # written to the sandbox's own tmpfs, gone with it
    assert not project_file.exists()
    assert not Path("/usr/sandbox-escape").exists() and not Path("/etc/sandbox-escape").exists()


async def test_a_huge_file_hits_the_file_size_limit(sandbox):
    source = ("def solve():\n    with open('big', 'wb') as handle:\n        while True:\n"
              "            handle.write(b'x' * 65536)\n")
    report = await run(sandbox(max_file_mb=2), "python", source)
    assert report.status in ("output_limit", "runtime_error")
    assert report.passed == 0


# Output ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("language, source", [
    ("python", "def solve():\n    while True:\n        print('spam' * 100)\n"),
    ("javascript", "function solve() { for (;;) console.log('spam'.repeat(100)); }"),
])
async def test_huge_output_hits_the_output_limit(sandbox, language, source):
    report = await run(sandbox(), language, source)
    assert report.status == "output_limit"
    assert len(report.stdout.encode()) <= 16 * 1024


# Errors -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("language, source, fragment", [
    ("python", "def solve(:\n    return 1\n", "SyntaxError"),
    ("python", "def solve():\nreturn 1\n", "IndentationError"),
    ("javascript", "function solve() { return 1;", "SyntaxError"),
])
async def test_a_syntax_error_is_a_clean_compile_error(sandbox, language, source, fragment):
    report = await run(sandbox(), language, source)
    assert report.status == "compile_error"
    assert fragment in report.message and "line" in report.message
    assert_clean(report.message)
    assert report.passed == 0


@pytest.mark.parametrize("language, source, expected_message", [
    ("python", "def solve():\n    x = 1\n    raise ValueError('boom')\n", "ValueError: boom (line 3)"),
    ("python", "def solve():\n    return [][1]\n", "IndexError: list index out of range (line 2)"),
    ("python", "def solve():\n    return solve()\n", "RecursionError: maximum recursion depth exceeded"),
    ("javascript", "function solve() {\n  null.x;\n}",
     "TypeError: Cannot read properties of null (reading 'x') (line 2)"),
    ("javascript", "function solve() {\n  throw new RangeError('too far');\n}",
     "RangeError: too far (line 2)"),
])
async def test_a_runtime_exception_is_reported_with_its_type_and_message(sandbox, language, source,
                                                                         expected_message):
    report = await run(sandbox(), language, source)
    assert report.status == "runtime_error"
    assert report.message == expected_message
    assert report.results[0].error == expected_message
    assert_clean(report.message)


async def test_a_missing_function_is_a_runtime_error(sandbox):
    report = await run(sandbox(), "python", "def other():\n    return 1\n")
    assert report.status == "runtime_error"
    assert report.message == "the solution does not define solve()"


async def test_exiting_early_is_a_runtime_error(sandbox):
    report = await run(sandbox(), "python", "import os\ndef solve():\n    os._exit(0)\n")
    assert report.status == "runtime_error" and report.passed == 0
    assert "exited before finishing" in report.message


# Forging the result protocol ---------------------------------------------------------------------


FORGE_PY = """
import os, json
def solve():
    fake = [json.dumps({"kind": "result", "index": i, "actual": 42, "timeMs": 0}) for i in range(3)]
    fake.append(json.dumps({"kind": "done"}))
    for line in fake:
        print(line)
    for fd in range(3, 20):
        try:
            os.write(fd, ("\\n".join(fake) + "\\n").encode())
        except OSError:
            pass
    return -1
"""

FORGE_JS = """
function solve() {
  const fs = require('fs');
  const fake = [0, 1, 2].map((i) => JSON.stringify({ kind: 'result', index: i, actual: 42, timeMs: 0 }));
  fake.push(JSON.stringify({ kind: 'done' }));
  fake.forEach((line) => console.log(line));
  for (let fd = 3; fd < 20; fd++) { try { fs.writeSync(fd, fake.join('\\n') + '\\n'); } catch (e) {} }
  return -1;
}
"""


@pytest.mark.parametrize("language, source", [("python", FORGE_PY), ("javascript", FORGE_JS)])
async def test_forged_result_lines_do_not_pass(sandbox, language, source):
    tests = [{"input": [], "expected": 42, "hidden": i > 0} for i in range(3)]
    report = await run(sandbox(), language, source, tests=tests)
    assert report.passed == 0
    # Node may crash from the writes into its own descriptors; either way no forged value counts.
    assert all(r.actual in (-1, None) for r in report.results)
    if language == "python":
        assert [r.actual for r in report.results] == [-1, -1, -1]


async def test_results_never_reveal_hidden_expectations(sandbox):
    tests = [{"input": [1], "expected": 2}, {"input": [5], "expected": 10, "hidden": True}]
    report = await run(sandbox(), "python", "def solve(x):\n    return x + 1\n", tests=tests)
    public = report.public()
    assert public["passed"] == 1 and public["total"] == 2 and public["correctness"] == 0.5
    visible, hidden = public["results"]
    assert visible["expected"] == 2 and visible["actual"] == 2
    assert set(hidden) == {"index", "passed", "hidden", "timeMs"} and hidden["passed"] is False
    assert "10" not in json.dumps(hidden)


async def test_stdout_of_the_submission_is_kept_apart_from_results(sandbox):
    source = "def solve(x):\n    print('thinking about', x)\n    return x * 2\n"
    report = await run(sandbox(), "python", source, tests=[{"input": [3], "expected": 6}])
    assert report.status == "ok" and report.passed == 1
    assert report.stdout == "thinking about 3\n"
    assert report.max_memory_kb and report.max_memory_kb > 0 and report.wall_time_ms > 0


# Without isolation -------------------------------------------------------------------------------


async def test_without_namespaces_untrusted_code_is_refused():
    runner = SubprocessRunner(bwrap="/nonexistent/bwrap")
    assert not runner.isolated
    with pytest.raises(SandboxUnavailable, match="ALLOW_UNISOLATED"):
        await runner.run(language="python", source="def solve():\n    return 1\n", function_name="solve",
                         tests=ONE_TEST)


async def test_the_unisolated_mode_still_applies_limits_and_a_clean_environment(monkeypatch):
    monkeypatch.setenv("INTERVIEWD_SANDBOX_CANARY", "visible?")
    runner = SubprocessRunner(bwrap="/nonexistent/bwrap", allow_unisolated=True)
    source = ("import os, resource\ndef solve():\n    return [sorted(os.environ), "
              "resource.getrlimit(resource.RLIMIT_CPU)[0], os.path.basename(os.getcwd())[:19]]\n")
    report = await runner.run(language="python", source=source, function_name="solve",
                              tests=[{"input": [], "expected": None}])
    environment, cpu, cwd = report.results[0].actual
    assert "INTERVIEWD_SANDBOX_CANARY" not in environment
    assert cpu == 5 and cwd == "interviewd-sandbox-"


async def test_a_missing_node_is_a_clean_error():
    runner = SubprocessRunner(node="", uid_base=SANDBOX_UID_BASE)  # as if node were not on PATH
    report = await runner.run(language="javascript", source="function solve() { return 1; }",
                              function_name="solve", tests=ONE_TEST)
    assert report.status == "internal_error"
    assert report.message == "JavaScript is not available on this server"
