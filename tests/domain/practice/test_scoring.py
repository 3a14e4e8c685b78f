"""The documented rules: overall score, feedback and recommendations."""

from __future__ import annotations

import pytest

from interviewd.domain.practice.progress import experience_points, runs
from interviewd.domain.practice.scoring import assess, filler_score, pace_score


def test_pace_and_filler_scores():
    assert pace_score(120) == pace_score(160) == 100
    assert pace_score(200) == 50 and pace_score(80) == 50 and pace_score(400) == 0
    assert filler_score(0) == 100 and filler_score(0.1) == 50 and filler_score(0.5) == 0


def test_given_overall_score_wins():
    assert assess({"postureScore": 10, "overallPerformanceScore": 82}).overall_score == 82


def test_weighted_mean_over_present_categories():
    result = assess({"postureScore": 60, "eyeContactScore": 90})
    assert result.overall_score == pytest.approx((60 * 0.15 + 90 * 0.2) / 0.35, abs=0.05)
    assert assess({"emotionTimeline": []}).overall_score is None


@pytest.mark.parametrize(("metrics", "expected"), [
    ({"speechPaceWpm": 175}, "Work on pacing - speaking too fast"),
    ({"speechPaceWpm": 95}, "Work on pacing - speaking too slowly"),
    ({"fillerWordFrequency": 0.06}, "Reduce filler words usage"),
    ({"eyeContactScore": 69}, "Work on maintaining consistent eye contact"),
    ({"postureScore": 40}, "Keep an upright, open posture"),
    ({"gestureScore": 55}, "Use natural hand gestures to support your points"),
    ({"speechClarityScore": 65}, "Articulate clearly and finish each sentence"),
    ({"emotionTimeline": [{"label": "Nervous", "probability": 0.9, "timestamp": 0},
                          {"label": "happy", "probability": 0.4, "timestamp": 5}]},
     "Your expression was mostly negative - relax and smile when it fits"),
])
def test_each_recommendation_rule(metrics, expected):
    assert assess(metrics).recommendations == [expected]


def test_thresholds_are_not_triggered_at_the_boundary():
    metrics = {"speechPaceWpm": 160, "fillerWordFrequency": 0.05, "eyeContactScore": 70,
               "emotionTimeline": [{"label": "sad", "probability": 0.5, "timestamp": 0},
                                   {"label": "calm", "probability": 0.5, "timestamp": 1}]}
    assert assess(metrics).recommendations == ["Keep practising regularly to maintain your performance"]


def test_feedback_has_one_entry_per_measured_category():
    feedback = assess({"postureScore": 55, "gestureScore": 75, "speechPaceWpm": 100}).feedback
    assert feedback == [
        {"category": "posture", "score": 55, "comments": "Your posture needs work"},
        {"category": "gestures", "score": 75, "comments": "Solid gestures, with room to improve"},
        {"category": "pace", "score": 75,
         "comments": "Speaking too slowly at 100 words per minute (aim for 120-160)"},
    ]


def test_experience_points():
    from datetime import date

    days = [date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 4)]
    assert runs(days) == [2, 1]
    assert experience_points([81, None, 100], days, 125) == 150 + 40 + 0 + 50 + 25 + 125
