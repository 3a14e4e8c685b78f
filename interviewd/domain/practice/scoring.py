"""From submitted metrics to an overall score, per-category feedback and
recommendations. The rules are written down in docs/practice.md; keep the two
in step.
"""

from __future__ import annotations

from dataclasses import dataclass

# A comfortable interview pace (words per minute).
PACE_MIN, PACE_MAX = 120, 160
# Filler words per word spoken: above this a recommendation is given; at
# FILLER_ZERO the filler category scores 0.
FILLER_LIMIT, FILLER_ZERO = 0.05, 0.20
# A category below this score earns a recommendation.
WEAK_SCORE = 70
# Share of the emotion timeline (by probability) that counts as "mostly".
NEGATIVE_SHARE_LIMIT = 0.5
NEGATIVE_EMOTIONS = frozenset({
    "angry", "anger", "sad", "sadness", "fear", "fearful", "afraid", "disgust", "disgusted",
    "contempt", "anxious", "nervous", "stressed", "frustrated",
})

# Weights of the overall score when the client sends no overallPerformanceScore.
WEIGHTS = {
    "posture": 0.15,
    "eye-contact": 0.20,
    "gestures": 0.10,
    "speech-clarity": 0.20,
    "pace": 0.15,
    "filler-words": 0.10,
    "emotion": 0.10,
}


@dataclass(frozen=True)
class Assessment:
    overall_score: float | None
    feedback: list[dict]
    recommendations: list[str]


def pace_score(wpm: float) -> float:
    """100 inside the comfortable band, minus 1.25 points per wpm outside it."""
    distance = max(PACE_MIN - wpm, wpm - PACE_MAX, 0)
    return max(0.0, 100 - 1.25 * distance)


def filler_score(frequency: float) -> float:
    return max(0.0, 100 * (1 - frequency / FILLER_ZERO))


def negative_share(timeline: list[dict]) -> float | None:
    total = sum(sample["probability"] for sample in timeline)
    if not timeline or total <= 0:
        return None
    negative = sum(s["probability"] for s in timeline if s["label"].strip().lower() in NEGATIVE_EMOTIONS)
    return negative / total


def category_scores(metrics: dict) -> dict[str, float]:
    scores: dict[str, float] = {}
    for category, key in (("posture", "postureScore"), ("eye-contact", "eyeContactScore"),
                          ("gestures", "gestureScore"), ("speech-clarity", "speechClarityScore")):
        if metrics.get(key) is not None:
            scores[category] = float(metrics[key])
    if metrics.get("speechPaceWpm") is not None:
        scores["pace"] = pace_score(metrics["speechPaceWpm"])
    if metrics.get("fillerWordFrequency") is not None:
        scores["filler-words"] = filler_score(metrics["fillerWordFrequency"])
    share = negative_share(metrics.get("emotionTimeline") or [])
    if share is not None:
        scores["emotion"] = 100 * (1 - share)
    return scores


def overall_score(metrics: dict, scores: dict[str, float]) -> float | None:
    given = metrics.get("overallPerformanceScore")
    if given is not None:
        return float(given)
    if not scores:
        return None
    weight = sum(WEIGHTS[c] for c in scores)
    return round(sum(scores[c] * WEIGHTS[c] for c in scores) / weight, 1)


_LABELS = {
    "posture": "posture", "eye-contact": "eye contact", "gestures": "gestures",
    "speech-clarity": "speech clarity", "pace": "speaking pace", "filler-words": "use of filler words",
    "emotion": "expression",
}


def comment(category: str, score: float, metrics: dict) -> str:
    label = _LABELS[category]
    if category == "pace":
        wpm = round(metrics["speechPaceWpm"])
        if wpm > PACE_MAX:
            return f"Speaking too fast at {wpm} words per minute (aim for {PACE_MIN}-{PACE_MAX})"
        if wpm < PACE_MIN:
            return f"Speaking too slowly at {wpm} words per minute (aim for {PACE_MIN}-{PACE_MAX})"
        return f"Comfortable pace at {wpm} words per minute"
    if score >= 80:
        return f"Good {label} maintained throughout"
    if score >= WEAK_SCORE:
        return f"Solid {label}, with room to improve"
    return f"Your {label} needs work"


def recommendations(metrics: dict) -> list[str]:
    found: list[str] = []
    wpm = metrics.get("speechPaceWpm")
    if wpm is not None and wpm > PACE_MAX:
        found.append("Work on pacing - speaking too fast")
    if wpm is not None and wpm < PACE_MIN:
        found.append("Work on pacing - speaking too slowly")
    filler = metrics.get("fillerWordFrequency")
    if filler is not None and filler > FILLER_LIMIT:
        found.append("Reduce filler words usage")
    rules = (
        ("eyeContactScore", "Work on maintaining consistent eye contact"),
        ("postureScore", "Keep an upright, open posture"),
        ("gestureScore", "Use natural hand gestures to support your points"),
        ("speechClarityScore", "Articulate clearly and finish each sentence"),
    )
    for key, text in rules:
        if metrics.get(key) is not None and metrics[key] < WEAK_SCORE:
            found.append(text)
    share = negative_share(metrics.get("emotionTimeline") or [])
    if share is not None and share > NEGATIVE_SHARE_LIMIT:
        found.append("Your expression was mostly negative - relax and smile when it fits")
    if not found:
        found.append("Keep practising regularly to maintain your performance")
    return found


def assess(metrics: dict) -> Assessment:
    """Score, feedback and recommendations for one session's metrics."""
    scores = category_scores(metrics)
    feedback = [
        {"category": category, "score": round(score, 1), "comments": comment(category, score, metrics)}
        for category, score in scores.items()
    ]
    return Assessment(overall_score(metrics, scores), feedback, recommendations(metrics))
