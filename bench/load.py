"""Load benchmark of a running interviewd server, with Locust as the load generator.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/load.py                      # SQLite, about 2 min 15 s
    .venv/bin/python bench/load.py --database-url postgresql://postgres@127.0.0.1:5432/bench_db
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000   # a server you started

By default it starts `interviewd serve` on a free loopback port with a fresh
temporary data directory (SQLite unless --database-url or
INTERVIEWD_BENCH_DATABASE_URL names another database, rate limits off so that
they do not cap the figures), and beside it uvicorn serving bench/bare_asgi.py
with the same worker settings: the ceiling. It registers a few accounts, then
measures, one endpoint after another and for a fixed time each:

    bare ASGI (ceiling)        GET  /           {"message":"pong"}, no framework
    GET /api/ping              the whole middleware stack, no database
    POST /api/auth/login       argon2id verification, a user update, a refresh token insert
    GET /api/auth/profile      JWT check, denylist lookup, one user select
    POST /api/auth/refresh     single-use rotation: three reads, a conditional update, an insert

each twice: with --users simulated users sending back to back (throughput and
latency under saturation), then with one (latency without queueing). The
whole sequence repeats --runs times and the medians are printed, with each
figure's ratio to the ceiling measured in the same run. Optionally
(--endpoints ...,ping_during_login) it also measures one user pinging while
others sign in: what password hashing does to the requests beside it.
Results and method: docs/performance.md.

Every process it starts is stopped on the way out, whatever happens. Only
loopback addresses are used unless --url names another.
"""

# Locust patches the standard library with gevent when imported: first, before ssl is loaded.
import locust  # isort: skip

import argparse
import contextlib
import ctypes
import json
import math
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import gevent
import psutil
from locust import FastHttpUser, constant, task
from locust.env import Environment
from locust.exception import StopUser

BENCH_DIR = Path(__file__).resolve().parent
PASSWORD = "Bench-Horse-42-correct"
ENDPOINTS = ("ceiling", "ping", "login", "profile", "refresh", "ping_during_login")
DEFAULT_ENDPOINTS = ENDPOINTS[:5]
LABELS = {
    "ceiling": "bare ASGI (ceiling)",
    "ping": "GET /api/ping",
    "login": "POST /api/auth/login",
    "profile": "GET /api/auth/profile",
    "refresh": "POST /api/auth/refresh",
    "ping_during_login": "GET /api/ping + logins",
}
BACKGROUND_LOGINS = 4
STOP_GRACE_SECONDS = 10.0
GENERATOR_BOUND_PERCENT = 90.0  # Locust's own warning threshold, checked over each measured window


# -- simulated users ------------------------------------------------------------
# One class per endpoint, each sending one request after another with no pause
# (a closed loop). Accounts and tokens are handed out through class attributes
# set before each measurement.


class _BenchUser(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    network_timeout = 30.0
    connection_timeout = 10.0
    concurrency = 1  # one connection per simulated user, kept alive


class CeilingUser(_BenchUser):
    @task
    def ping(self) -> None:
        self.client.get("/", name="ceiling")


class PingUser(_BenchUser):
    @task
    def ping(self) -> None:
        self.client.get("/api/ping", name="ping")


class LoginUser(_BenchUser):
    accounts: list[str] = []
    _next = 0

    def on_start(self) -> None:
        cls = type(self)
        self.email = cls.accounts[cls._next % len(cls.accounts)]
        cls._next += 1

    @task
    def login(self) -> None:
        self.client.post("/api/auth/login", json={"email": self.email, "password": PASSWORD}, name="login")


class ProfileUser(_BenchUser):
    access_tokens: list[str] = []
    _next = 0

    def on_start(self) -> None:
        cls = type(self)
        token = cls.access_tokens[cls._next % len(cls.access_tokens)]
        cls._next += 1
        self.headers = {"authorization": f"Bearer {token}"}

    @task
    def profile(self) -> None:
        self.client.get("/api/auth/profile", headers=self.headers, name="profile")


class RefreshUser(_BenchUser):
    # Refresh tokens are single use: every simulated user owns a family of its
    # own and always presents the token its previous refresh returned.
    refresh_tokens: list[str] = []

    def on_start(self) -> None:
        self.token = type(self).refresh_tokens.pop()

    @task
    def refresh(self) -> None:
        lost = False
        with self.client.post(
            "/api/auth/refresh", json={"refreshToken": self.token}, name="refresh", catch_response=True
        ) as response:
            try:
                self.token = response.json()["refreshToken"]
                response.success()
            except Exception:
                response.failure(f"HTTP {response.status_code}: {(response.text or '')[:200]}")
                lost = True
        if lost:
            raise StopUser()  # without a valid token this user can only fail from now on


class PingBesideLoginsUser(PingUser):
    fixed_count = 1


class BackgroundLoginUser(LoginUser):
    # Sign-ins that keep the server busy while one user pings: how much does
    # password hashing delay the requests that share its process?
    fixed_count = BACKGROUND_LOGINS


USER_CLASSES = {
    "ceiling": [CeilingUser], "ping": [PingUser], "login": [LoginUser],
    "profile": [ProfileUser], "refresh": [RefreshUser],
    "ping_during_login": [PingBesideLoginsUser, BackgroundLoginUser],
}


# -- processes -------------------------------------------------------------------


def _die_with_parent() -> None:
    # Runs in the child between fork and exec: if this script is killed outright,
    # the kernel sends the server SIGTERM instead of leaving it behind.
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    url: str
    process: subprocess.Popen | None = None
    log_path: Path | None = None

    def cpu_seconds(self) -> float | None:
        """CPU time used so far by the server and its worker processes."""
        if self.process is None:
            return None
        try:
            root = psutil.Process(self.process.pid)
            total = 0.0
            for proc in [root, *root.children(recursive=True)]:
                with contextlib.suppress(psutil.NoSuchProcess):
                    times = proc.cpu_times()
                    total += times.user + times.system
            return total
        except psutil.NoSuchProcess:
            return None

    def log_tail(self, lines: int = 30) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM to the server's process group, SIGKILL after a grace period."""
        proc = self.process
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=STOP_GRACE_SECONDS)
        # Workers of a multi-process server may outlive a supervisor that was killed.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def start_process(name: str, argv: list[str], *, env: dict, cwd: Path, log_path: Path, url: str) -> Server:
    log = open(log_path, "wb")  # noqa: SIM115 - the child keeps writing to it
    try:
        process = subprocess.Popen(
            argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=_die_with_parent,
        )
    finally:
        log.close()
    return Server(name=name, url=url, process=process, log_path=log_path)


def wait_until_ready(server: Server, path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process is not None and server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}:\n{server.log_tail()}")
        with contextlib.suppress(OSError), urllib.request.urlopen(server.url + path, timeout=2) as response:
            if response.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not answer {path} within {timeout:.0f} s:\n{server.log_tail()}")


def interviewd_command() -> list[str]:
    script = Path(sys.executable).with_name("interviewd")
    return [str(script)] if script.exists() else [sys.executable, "-m", "interviewd.cli"]


def start_interviewd(args: argparse.Namespace, workdir: Path) -> Server:
    port = free_port()
    env = dict(os.environ)
    env.update(
        INTERVIEWD_DATA_DIR=str(workdir / "data"),
        INTERVIEWD_RATE_LIMIT_ENABLED="true" if args.with_rate_limits else "false",
        INTERVIEWD_ENVIRONMENT="bench",
        INTERVIEWD_EMAIL_BACKEND="file",
        INTERVIEWD_LOG_LEVEL=args.server_log_level,
        INTERVIEWD_PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
    )
    if args.with_rate_limits:
        # Counted on every request like in production, but never reached.
        for name in ("API_DEFAULT", "API_AUTH", "HIRING_DEFAULT", "HIRING_AUTH", "HIRING_UPLOAD"):
            env[f"INTERVIEWD_RATE_LIMIT_{name}"] = "1000000000/minute"
    if args.database_url:
        env["INTERVIEWD_DATABASE_URL"] = args.database_url
    else:
        env.pop("INTERVIEWD_DATABASE_URL", None)  # the default: SQLite inside the fresh data dir
    argv = [*interviewd_command(), "serve", "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(args.workers)]
    # cwd is the empty work dir, so that no .env file of the caller's is read.
    return start_process("interviewd serve", argv, env=env, cwd=workdir,
                         log_path=workdir / "interviewd.log", url=f"http://127.0.0.1:{port}")


def start_ceiling(args: argparse.Namespace, workdir: Path) -> Server:
    port = free_port()
    # The flags `interviewd serve` passes to uvicorn.run: same loop, HTTP parser, workers, no access log.
    argv = [sys.executable, "-m", "uvicorn", "--app-dir", str(BENCH_DIR), "bare_asgi:app",
            "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers),
            "--proxy-headers", "--no-access-log", "--log-level", "warning"]
    return start_process("bare ASGI", argv, env=dict(os.environ), cwd=workdir,
                         log_path=workdir / "bare_asgi.log", url=f"http://127.0.0.1:{port}")


# -- set-up requests (outside any measurement) ---------------------------------


def call(base: str, method: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode(errors="replace")
        hint = ""
        if exc.code == 429:
            hint = " (rate limited: the benchmark needs INTERVIEWD_RATE_LIMIT_ENABLED=false)"
        raise RuntimeError(f"{method} {path}: HTTP {exc.code}{hint}: {detail}") from None


def register_accounts(base: str, count: int) -> list[str]:
    tag = secrets.token_hex(4)
    emails = []
    for index in range(count):
        email = f"bench-{tag}-{index}@example.com"
        call(base, "POST", "/api/auth/register",
             {"email": email, "password": PASSWORD, "firstName": "Bench", "lastName": f"User {index}"})
        emails.append(email)
    return emails


def login(base: str, email: str) -> dict:
    return call(base, "POST", "/api/auth/login", {"email": email, "password": PASSWORD})["tokens"]


# -- measuring -------------------------------------------------------------------


@dataclass
class Sample:
    endpoint: str
    users: int
    seconds: float
    requests: int
    failures: int
    rps: float
    p50_ms: float | None
    p99_ms: float | None
    server_cpu_percent: float | None
    server_cpu_ms_per_request: float | None
    locust_cpu_percent: float
    locust_cpu_warning: bool
    failure_examples: list[str] = field(default_factory=list)


def percentile(sorted_values: list[float], q: float) -> float | None:
    if not sorted_values:
        return None
    rank = max(1, math.ceil(q * len(sorted_values)))  # nearest rank
    return sorted_values[rank - 1]


def measure(
    endpoint: str, server: Server, *, users: int, seconds: float, warmup: float, stop_timeout: float = 30.0
) -> Sample:
    # A graceful stop lets in-flight requests finish, so that no backlog of
    # abandoned requests (a queue of logins, say) slows the next measurement.
    env = Environment(user_classes=USER_CLASSES[endpoint], host=server.url, stop_timeout=stop_timeout)
    measured = "ping" if endpoint == "ping_during_login" else endpoint
    times: list[float] = []
    failures: list[str] = []
    recording = False

    def on_request(response_time, exception, name, **_kwargs) -> None:
        # Failures count from the first request on, warm-up included: a user
        # that fails there may stop, and its silence would otherwise go unseen.
        if exception is not None:
            failures.append(f"{name}: {exception}"[:300])
        elif recording and name == measured:
            times.append(response_time)

    env.events.request.add_listener(on_request)
    runner = env.create_local_runner()
    me = psutil.Process()
    spawned = users + (BACKGROUND_LOGINS if endpoint == "ping_during_login" else 0)
    try:
        runner.start(spawned, spawn_rate=spawned)
        deadline = time.monotonic() + 30
        while runner.user_count < spawned and time.monotonic() < deadline:
            gevent.sleep(0.05)
        gevent.sleep(warmup)
        server_cpu0, my_cpu0 = server.cpu_seconds(), sum(me.cpu_times()[:2])
        runner.cpu_warning_emitted = False
        started = time.perf_counter()
        recording = True
        gevent.sleep(seconds)
        recording = False
        elapsed = time.perf_counter() - started
        server_cpu1, my_cpu1 = server.cpu_seconds(), sum(me.cpu_times()[:2])
        cpu_warning = runner.cpu_warning_emitted
    finally:
        runner.quit()
    times.sort()
    server_cpu = cpu_per_request = None
    if server_cpu0 is not None and server_cpu1 is not None:
        server_cpu = 100 * (server_cpu1 - server_cpu0) / elapsed
        if times and endpoint != "ping_during_login":  # there the sign-ins spend most of it
            cpu_per_request = 1000 * (server_cpu1 - server_cpu0) / len(times)
    return Sample(
        endpoint=endpoint, users=users, seconds=round(elapsed, 3), requests=len(times),
        failures=len(failures), rps=len(times) / elapsed,
        p50_ms=percentile(times, 0.50), p99_ms=percentile(times, 0.99),
        server_cpu_percent=server_cpu, server_cpu_ms_per_request=cpu_per_request,
        locust_cpu_percent=100 * (my_cpu1 - my_cpu0) / elapsed,
        locust_cpu_warning=cpu_warning or 100 * (my_cpu1 - my_cpu0) / elapsed >= GENERATOR_BOUND_PERCENT,
        failure_examples=failures[:3],
    )


def prepare(endpoint: str, base: str, accounts: list[str], users: int) -> None:
    """Hand the simulated users of `endpoint` their accounts or fresh tokens."""
    if endpoint in ("login", "ping_during_login"):
        LoginUser.accounts, LoginUser._next = accounts, 0
        BackgroundLoginUser._next = 0
    elif endpoint == "profile":
        if not ProfileUser.access_tokens:  # valid for the whole run (access tokens last an hour)
            ProfileUser.access_tokens = [login(base, email)["accessToken"] for email in accounts]
        ProfileUser._next = 0
    elif endpoint == "refresh":
        # One login, so one token family, per simulated user.
        RefreshUser.refresh_tokens = [
            login(base, accounts[i % len(accounts)])["refreshToken"] for i in range(users)
        ]


# -- reporting -------------------------------------------------------------------


def median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def summarise(samples: list[Sample], endpoints: list[str], users: int, runs: int) -> list[dict]:
    """Medians over runs of each figure and of its ratio to the same run's ceiling."""
    rows = []
    for endpoint in endpoints:
        mine = [s for s in samples if s.endpoint == endpoint and s.users == users]
        if not mine:
            continue
        ceilings = [s for s in samples if s.endpoint == "ceiling" and s.users == users]
        row = {
            "endpoint": endpoint, "label": LABELS[endpoint], "users": users, "runs": len(mine),
            "rps": median([s.rps for s in mine]),
            "p50_ms": median([s.p50_ms for s in mine]),
            "p99_ms": median([s.p99_ms for s in mine]),
            "requests_per_run": median([s.requests for s in mine]),
            "failures": sum(s.failures for s in mine),
            "server_cpu_percent": median([s.server_cpu_percent for s in mine]),
            "server_cpu_ms_per_request": median([s.server_cpu_ms_per_request for s in mine]),
            "locust_cpu_percent": median([s.locust_cpu_percent for s in mine]),
            "locust_cpu_warning": any(s.locust_cpu_warning for s in mine),
        }
        if len(ceilings) == len(mine):
            pairs = list(zip(mine, ceilings, strict=True))
            row["rps_of_ceiling"] = median([s.rps / c.rps if c.rps else None for s, c in pairs])
            row["p50_x_ceiling"] = median([s.p50_ms / c.p50_ms if s.p50_ms and c.p50_ms else None
                                           for s, c in pairs])
            row["p99_x_ceiling"] = median([s.p99_ms / c.p99_ms if s.p99_ms and c.p99_ms else None
                                           for s, c in pairs])
        rows.append(row)
    return rows


def _fmt(value: float | None, spec: str, suffix: str = "") -> str:
    return "-" if value is None else f"{value:{spec}}{suffix}"


def print_table(title: str, rows: list[dict]) -> None:
    print(f"\n{title}")
    head = (f"{'endpoint':<24} {'req/s':>8} {'of ceiling':>10} {'p50 ms':>8} {'x ceil':>7} "
            f"{'p99 ms':>8} {'x ceil':>7} {'n/run':>6} {'errors':>6} {'server CPU':>10} {'ms/req':>7} "
            f"{'locust CPU':>10}")
    print(head)
    print("-" * len(head))
    for row in rows:
        warn = "!" if row["locust_cpu_warning"] else " "
        print(
            f"{row['label']:<24} {_fmt(row['rps'], '8.1f')} {_fmt(row.get('rps_of_ceiling'), '9.1%'):>10} "
            f"{_fmt(row['p50_ms'], '8.2f')} {_fmt(row.get('p50_x_ceiling'), '6.1f', 'x'):>7} "
            f"{_fmt(row['p99_ms'], '8.2f')} {_fmt(row.get('p99_x_ceiling'), '6.1f', 'x'):>7} "
            f"{_fmt(row['requests_per_run'], '6.0f')} {row['failures']:>6} "
            f"{_fmt(row['server_cpu_percent'], '9.0f', '%'):>10} "
            f"{_fmt(row['server_cpu_ms_per_request'], '7.3f'):>7} "
            f"{_fmt(row['locust_cpu_percent'], '9.0f', '%'):>10}{warn}"
        )


def machine_description() -> dict:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    import uvicorn

    return {
        "cpus": os.cpu_count(), "cpu_model": model, "load_average": list(os.getloadavg()),
        "python": platform.python_version(), "platform": platform.platform(),
        "locust": locust.__version__, "uvicorn": uvicorn.__version__,
    }


def describe_database(url: str | None) -> str:
    if not url:
        return "SQLite (embedded default, fresh file in a temporary data dir)"
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.rsplit('@', 1)[-1]}"  # without credentials


# -- main --------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--url", help="benchmark this running server instead of starting one "
                        "(its rate limits must be off)")
    parser.add_argument("--database-url", default=os.environ.get("INTERVIEWD_BENCH_DATABASE_URL"),
                        help="database for the started server (default: env INTERVIEWD_BENCH_DATABASE_URL, "
                        "else SQLite in a temporary dir); it is migrated, and accounts are added to it")
    parser.add_argument("--workers", type=int, default=1, help="server processes, for both servers")
    parser.add_argument("--users", type=int, default=16, help="concurrent simulated users under load")
    parser.add_argument("--duration", type=float, default=4.0,
                        help="seconds measured per endpoint under load")
    parser.add_argument("--single-duration", type=float, default=2.0,
                        help="seconds measured per endpoint with one user (0 skips that pass)")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of load before measuring")
    parser.add_argument("--runs", type=int, default=3, help="repetitions; medians are reported")
    parser.add_argument("--accounts", type=int, default=8, help="accounts registered for sign-in")
    parser.add_argument("--endpoints", default=",".join(DEFAULT_ENDPOINTS),
                        help=f"comma-separated subset of {', '.join(ENDPOINTS)}; ping_during_login "
                        f"(one user pinging while {BACKGROUND_LOGINS} sign in) is measured with the "
                        "one-user pass only")
    parser.add_argument("--with-rate-limits", action="store_true",
                        help="keep the started server's rate limiter on (limits set too high to be reached), "
                        "to include its bookkeeping in the figures")
    parser.add_argument("--server-log-level", default="INFO",
                        help="INTERVIEWD_LOG_LEVEL of the started server (its access log is part of "
                        "the cost)")
    parser.add_argument("--stop-timeout", type=float, default=30.0,
                        help="seconds to let in-flight requests finish after each measurement")
    parser.add_argument("--start-timeout", type=float, default=90.0, help="seconds to wait for a server")
    parser.add_argument("--json", type=Path, help="also write every sample and the medians here")
    args = parser.parse_args(argv)
    endpoints = [e.strip() for e in args.endpoints.split(",") if e.strip()]
    unknown = sorted(set(endpoints) - set(ENDPOINTS))
    if unknown:
        parser.error(f"unknown endpoints: {', '.join(unknown)}")
    args.endpoints = [e for e in ENDPOINTS if e in endpoints]
    for name in ("workers", "users", "runs", "accounts"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.duration <= 0 or args.warmup < 0 or args.single_duration < 0:
        parser.error("durations must be positive")
    if "ping_during_login" in args.endpoints and args.single_duration == 0 and args.users > 1:
        parser.error("ping_during_login is measured in the one-user pass: give --single-duration")
    return args


def run(args: argparse.Namespace, workdir: Path, servers: list[Server]) -> int:
    machine = machine_description()
    print(f"interviewd load benchmark, {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}")
    print(f"machine: {machine['cpus']} CPUs ({machine['cpu_model'] or 'unknown model'}), "
          f"load average {machine['load_average'][0]:.2f} at start; Python {machine['python']}, "
          f"Locust {machine['locust']}, uvicorn {machine['uvicorn']}")
    print("note: the load generator (this process, one core at most) and the servers share this "
          "machine's CPUs;\n      the figures are what both together reach here, not what the "
          "server alone would.")

    # Both start at once (migrations take a while); each is recorded before
    # anything can fail, so that the caller's finally stops it.
    ceiling = None
    if "ceiling" in args.endpoints:
        ceiling = start_ceiling(args, workdir)
        servers.append(ceiling)
    if args.url:
        target = Server(name="interviewd", url=args.url.rstrip("/"))
        database = "as configured on that server"
    else:
        target = start_interviewd(args, workdir)
        servers.append(target)
        database = describe_database(args.database_url)
    wait_until_ready(target, "/api/ping", args.start_timeout)
    if ceiling:
        wait_until_ready(ceiling, "/", args.start_timeout)
    limits = "as configured" if args.url else ("on, never reached" if args.with_rate_limits else "off")
    print(f"server: {target.url}, workers={args.workers}, database: {database}, rate limits {limits}, "
          f"log level {'as configured' if args.url else args.server_log_level}")
    if ceiling:
        print(f"ceiling: uvicorn bench/bare_asgi.py at {ceiling.url}, workers={args.workers}")
    passes = [args.users] + ([1] if args.single_duration > 0 and args.users > 1 else [])
    print(f"plan: {args.runs} runs x {len(args.endpoints)} endpoints x ({args.users} users for "
          f"{args.duration:g} s after {args.warmup:g} s warm-up"
          + (f", then 1 user for {args.single_duration:g} s" if 1 in passes[1:] else "") + ")")

    needs_accounts = {"login", "profile", "refresh", "ping_during_login"} & set(args.endpoints)
    accounts = register_accounts(target.url, args.accounts) if needs_accounts else []

    samples: list[Sample] = []
    for run_index in range(args.runs):
        print(f"run {run_index + 1}/{args.runs}:", end="", flush=True)
        for endpoint in args.endpoints:
            server = ceiling if endpoint == "ceiling" else target
            for users in passes:
                if endpoint == "ping_during_login" and users != 1:
                    continue
                prepare(endpoint, target.url, accounts, users)
                seconds = args.duration if users == args.users else args.single_duration
                warmup = args.warmup if users == args.users else min(args.warmup, 0.5)
                sample = measure(endpoint, server, users=users, seconds=seconds, warmup=warmup,
                                 stop_timeout=args.stop_timeout)
                samples.append(sample)
                print(f" {endpoint}/{users}={sample.rps:.0f}/s", end="", flush=True)
        print()

    summaries = {users: summarise(samples, args.endpoints, users, args.runs) for users in passes}
    print_table(f"Under load: {args.users} simulated users back to back, medians of {args.runs} runs",
                summaries[args.users])
    if 1 in passes[1:]:
        print_table(f"One user at a time: latency without queueing, medians of {args.runs} runs",
                    summaries[1])
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f} (1 min), {os.getloadavg()[1]:.2f} (5 min)")
    print("'of ceiling' is the median over runs of req/s divided by the same run's bare ASGI req/s;"
          "\n'x ceil' the median of latency divided by the bare ASGI latency; n/run the requests measured"
          "\nper run. CPU is percent of one core during the measured seconds, ms/req the server's CPU"
          "\ntime per answered request (its own processes only: not PostgreSQL's); '!' marks a load"
          "\ngenerator above 90% of a core: there it, not the server, set the pace.")
    failures = [s for s in samples if s.failures]
    for sample in failures[:5]:
        print(f"errors in {sample.endpoint} ({sample.users} users): {sample.failure_examples}")
    if args.json:
        args.json.write_text(json.dumps({
            "machine": machine, "database": database, "workers": args.workers, "users": args.users,
            "duration": args.duration, "single_duration": args.single_duration, "runs": args.runs,
            "date": datetime.now(UTC).isoformat(), "samples": [asdict(s) for s in samples],
            "medians": {str(users): rows for users, rows in summaries.items()},
        }, indent=2))
        print(f"wrote {args.json}")
    return 1 if failures else 0


def _terminate(signum, _frame) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _terminate)
    workdir = Path(tempfile.mkdtemp(prefix="interviewd-bench-"))
    servers: list[Server] = []
    try:
        return run(args, workdir, servers)
    except RuntimeError as exc:  # a server that would not start, a refused set-up request
        print(f"\nbenchmark aborted: {exc}", file=sys.stderr)
        return 2
    finally:
        for server in reversed(servers):
            try:
                server.stop()
            except Exception as exc:  # keep stopping the others
                print(f"could not stop {server.name}: {exc}", file=sys.stderr)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
