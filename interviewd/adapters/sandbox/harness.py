"""The programs that run inside the sandbox, and the reading of what they report.

Each harness reads one JSON document from stdin: the candidate's source, the
function name, the positional arguments of every test, a nonce and the
channel for results ("fd": file descriptor 3, "stdout": standard output with
the candidate's own output moved to stderr). It prints one line per event,
each starting with the nonce; lines without it are ignored. The harnesses
are written for old interpreters too (Python 3.8, Node 12: Judge0's defaults).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from interviewd.adapters.sandbox.base import RunReport, RunStatus, TestResult, same

PYTHON_HARNESS = r'''
import json, os, sys, time

def _describe(exc):
    text = type(exc).__name__
    message = str(exc)
    if message:
        text += ": " + message
    tb, line = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "solution.py":
            line = tb.tb_lineno
        tb = tb.tb_next
    if line is not None:
        text += " (line %d)" % line
    return text[:1000]

def _main():
    cfg = json.loads(sys.stdin.read())
    nonce = cfg["nonce"]
    if cfg["channel"].startswith("fd:"):
        channel = os.fdopen(int(cfg["channel"][3:]), "w")
    else:
        channel = sys.stdout
        sys.stdout = sys.stderr

    def emit(event):
        channel.write(nonce + json.dumps(event) + "\n")
        channel.flush()

    try:
        code = compile(cfg["source"], "solution.py", "exec")
    except (SyntaxError, ValueError) as exc:
        where = " (line %s)" % exc.lineno if getattr(exc, "lineno", None) else ""
        emit({"kind": "compile_error",
              "message": "%s: %s%s" % (type(exc).__name__, getattr(exc, "msg", None) or exc, where)})
        return
    namespace = {"__name__": "solution", "__builtins__": __builtins__}
    try:
        exec(code, namespace)
    except MemoryError:
        emit({"kind": "memory"})
        return
    except BaseException as exc:
        emit({"kind": "load_error", "message": _describe(exc)})
        return
    function = namespace.get(cfg["functionName"])
    if not callable(function):
        emit({"kind": "load_error", "message": "the solution does not define %s()" % cfg["functionName"]})
        return
    for index, args in enumerate(cfg["inputs"]):
        started = time.perf_counter()
        event = {"kind": "result", "index": index}
        try:
            value = function(*args)
        except MemoryError:
            emit({"kind": "memory"})
            return
        except RecursionError:
            event["error"] = "RecursionError: maximum recursion depth exceeded"
        except BaseException as exc:
            event["error"] = _describe(exc)
        else:
            event["actual"] = value
        event["timeMs"] = round((time.perf_counter() - started) * 1000, 3)
        try:
            line = json.dumps(event)
        except (TypeError, ValueError):
            event.pop("actual", None)
            event["error"] = "the return value (%s) is not JSON-serialisable" % type(value).__name__
            line = json.dumps(event)
        channel.write(nonce + line + "\n")
        channel.flush()
    try:
        import resource
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    except Exception:
        peak = None
    emit({"kind": "done", "maxRssKb": peak})

_main()
'''

JAVASCRIPT_HARNESS = r'''
'use strict';
const fs = require('fs');
const vm = require('vm');
const util = require('util');

function describe(error) {
  let text;
  if (error instanceof Error || (error && typeof error === 'object' && 'message' in error)) {
    text = (error.name || 'Error') + ': ' + error.message;
    const match = /solution\.js:(\d+)/.exec(String(error.stack || ''));
    if (match) text += ' (line ' + match[1] + ')';
  } else {
    text = 'thrown value: ' + String(error);
  }
  return text.slice(0, 1000);
}

function main() {
  const cfg = JSON.parse(fs.readFileSync(0, 'utf8'));
  const nonce = cfg.nonce;
  const fd = cfg.channel.startsWith('fd:') ? parseInt(cfg.channel.slice(3), 10) : 1;
  if (fd === 1) {
    const toStderr = function () { process.stderr.write(util.format.apply(null, arguments) + '\n'); };
    console.log = toStderr; console.info = toStderr; console.debug = toStderr;
    process.stdout.write = process.stderr.write.bind(process.stderr);
  }
  const emit = (event) => fs.writeSync(fd, nonce + JSON.stringify(event) + '\n');
  const name = cfg.functionName;
  let script;
  try {
    script = new vm.Script(cfg.source + '\n;(typeof ' + name + " === 'function' ? " + name + ' : undefined)',
                           { filename: 'solution.js' });
  } catch (error) {
    emit({ kind: 'compile_error', message: describe(error) });
    return;
  }
  let fn;
  try {
    fn = script.runInThisContext();
  } catch (error) {
    emit({ kind: 'load_error', message: describe(error) });
    return;
  }
  if (typeof fn !== 'function') {
    emit({ kind: 'load_error', message: 'the solution does not define ' + name + '()' });
    return;
  }
  cfg.inputs.forEach((args, index) => {
    const started = process.hrtime();
    const event = { kind: 'result', index: index };
    try {
      const value = fn.apply(null, args);
      event.actual = value === undefined ? null : value;
    } catch (error) {
      event.error = describe(error);
    }
    const spent = process.hrtime(started);
    event.timeMs = Math.round((spent[0] * 1e3 + spent[1] / 1e6) * 1000) / 1000;
    let line;
    try {
      line = JSON.stringify(event);
    } catch (error) {
      delete event.actual;
      event.error = 'the return value is not JSON-serialisable';
      line = JSON.stringify(event);
    }
    fs.writeSync(fd, nonce + line + '\n');
  });
  let peak = null;
  try {
    peak = process.resourceUsage ? process.resourceUsage().maxRSS
                                 : Math.round(process.memoryUsage().rss / 1024);
  } catch (error) { peak = null; }
  emit({ kind: 'done', maxRssKb: peak });
}

main();
'''

HARNESSES = {"python": PYTHON_HARNESS, "javascript": JAVASCRIPT_HARNESS}

MEMORY_MARKERS = ("JavaScript heap out of memory", "MemoryError", "Cannot allocate memory",
                  "std::bad_alloc", "Reached heap limit", "Fatal process out of memory")


def new_nonce() -> str:
    return "@" + secrets.token_hex(16) + "@"


def stdin_document(*, source: str, function_name: str, tests: list[dict], nonce: str, channel: str) -> bytes:
    document = {
        "source": source,
        "functionName": function_name,
        "inputs": [list(test.get("input", [])) for test in tests],
        "nonce": nonce,
        "channel": channel,
    }
    return json.dumps(document).encode()


@dataclass
class Events:
    compile_error: str | None = None
    load_error: str | None = None
    memory: bool = False
    done: bool = False
    max_memory_kb: int | None = None
    results: dict[int, dict[str, Any]] = field(default_factory=dict)


def parse_events(text: str, nonce: str, test_count: int) -> Events:
    """The harness's events: only lines carrying the nonce count, and only the
    first result for each test."""
    events = Events()
    for line in text.splitlines():
        if not line.startswith(nonce):
            continue
        try:
            event = json.loads(line[len(nonce):])
        except ValueError:
            continue
        if not isinstance(event, dict):
            continue
        kind = event.get("kind")
        if kind == "result":
            index = event.get("index")
            if isinstance(index, int) and 0 <= index < test_count and index not in events.results:
                events.results[index] = event
        elif kind == "compile_error" and events.compile_error is None:
            events.compile_error = str(event.get("message") or "the code does not compile")
        elif kind == "load_error" and events.load_error is None:
            events.load_error = str(event.get("message") or "the code failed to load")
        elif kind == "memory":
            events.memory = True
        elif kind == "done" and not events.done:
            events.done = True
            peak = event.get("maxRssKb")
            events.max_memory_kb = peak if isinstance(peak, int) and not isinstance(peak, bool) else None
    return events


def build_report(
    *,
    events: Events,
    tests: list[dict],
    comparison: str,
    status: RunStatus | None,
    message: str | None,
    cpu_time_ms: float | None,
    wall_time_ms: float | None,
    max_memory_kb: int | None,
    stdout: str,
    crash_message: str,
) -> RunReport:
    """Compare what the harness reported with the expected values, and settle
    the status: a limit the runner saw (`status`) wins over what the harness said."""
    results = []
    first_error = None
    for index, test in enumerate(tests):
        hidden = bool(test.get("hidden", False))
        expected = test.get("expected")
        event = events.results.get(index)
        if event is None:
            results.append(TestResult(index=index, passed=False, hidden=hidden, expected=expected,
                                      error="not run"))
            continue
        error = event.get("error")
        if error is not None:
            error = str(error)
            first_error = first_error or error
            results.append(TestResult(index=index, passed=False, hidden=hidden, expected=expected,
                                      error=error, time_ms=event.get("timeMs")))
            continue
        actual = event.get("actual")
        results.append(TestResult(index=index, passed=same(expected, actual, comparison), hidden=hidden,
                                  expected=expected, actual=actual, time_ms=event.get("timeMs")))
    if status is None:
        if events.memory:
            status, message = "memory_limit", "memory limit exceeded"
        elif events.compile_error is not None:
            status, message = "compile_error", events.compile_error
        elif events.load_error is not None:
            status, message = "runtime_error", events.load_error
        elif not events.done:
            status, message = "runtime_error", crash_message
        elif first_error is not None:
            status, message = "runtime_error", first_error
        else:
            status = "ok"
            passed = sum(1 for r in results if r.passed)
            message = f"{passed} of {len(results)} tests passed"
    unfinished = {"time_limit": "time limit exceeded", "memory_limit": "memory limit exceeded",
                  "output_limit": "output limit exceeded"}
    if status in unfinished:
        results = [r if r.index in events.results else TestResult(
            index=r.index, passed=False, hidden=r.hidden, expected=r.expected, error=unfinished[status])
            for r in results]
    return RunReport(status=status, message=message or status, results=results, cpu_time_ms=cpu_time_ms,
                     wall_time_ms=wall_time_ms, max_memory_kb=max_memory_kb, stdout=stdout)
