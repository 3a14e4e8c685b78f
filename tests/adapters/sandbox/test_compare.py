from __future__ import annotations

from interviewd.adapters.sandbox.base import RunReport, TestResult, same


def test_exact_comparison_follows_json_types():
    assert same([0, 1], [0, 1], "exact")
    assert not same([0, 1], [1, 0], "exact")
    assert same(2, 2.0, "exact")
    assert not same(True, 1, "exact") and not same(1, True, "exact")
    assert not same("1", 1, "exact")
    assert not same(None, 0, "exact")
    assert same({"a": [1, {"b": None}]}, {"a": [1, {"b": None}]}, "exact")
    assert not same({"a": 1}, {"a": 1, "b": 2}, "exact")


def test_unordered_comparison_ignores_top_level_order_only():
    assert same([[1, 2], [3]], [[3], [1, 2]], "unordered")
    assert not same([[1, 2], [3]], [[3], [2, 1]], "unordered")
    assert not same([1, 1, 2], [1, 2, 2], "unordered")
    assert not same([1], "1", "unordered")


def test_float_comparison_uses_a_tolerance():
    assert same([2.0, 0.30000000000000004], [2, 0.3], "float")
    assert same(1.4142135623730951, 1.414213562, "float")
    assert not same(1.0, 1.001, "float")
    assert not same(True, 1.0, "float")


def test_the_public_view_hides_hidden_tests_details():
    report = RunReport(status="runtime_error", message="boom", results=[
        TestResult(index=0, passed=True, hidden=False, expected=1, actual=1, time_ms=0.1),
        TestResult(index=1, passed=False, hidden=True, expected=7, actual=None, error="ValueError: 7",
                   time_ms=0.2),
    ])
    public = report.public()
    assert public["results"][0] == {"index": 0, "passed": True, "hidden": False, "expected": 1, "actual": 1,
                                    "timeMs": 0.1}
    assert public["results"][1] == {"index": 1, "passed": False, "hidden": True, "timeMs": 0.2}
    assert report.to_dict(reveal_hidden=True)["results"][1]["expected"] == 7
    assert (report.passed, report.total, report.correctness) == (1, 2, 0.5)
    assert RunReport(status="ok", message="").correctness == 0.0
