"""bench/analytics.py still runs: a handful of sessions, one timed call per
route. No timing is asserted; the figures are in docs/performance.md."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_analytics_benchmark_runs_with_a_tiny_user(tmp_path):
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "analytics.py"), "--sessions", "4", "--peers", "2",
         "--runs", "1", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "POST /api/analytics/export pdf" in done.stdout
    results = json.loads(out.read_text())
    assert results["rows"]["sessions"] == 4 + 2 * 5
    assert results["rows"]["analysis_results"] == 4 * 3
    routes = {r["route"] for r in results["routes"]}
    assert {"GET /api/users/me/analytics", "GET /api/analytics/skills", "POST /api/analytics/export json",
            "POST /api/analytics/export csv"} <= routes
    assert all(r["bytes"] > 0 for r in results["routes"])
