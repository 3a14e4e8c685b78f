"""003's recommendations from the figures alone."""

from __future__ import annotations

from interviewd.domain.analytics import recommendations
from interviewd.domain.analytics.repository import Totals
from interviewd.domain.analytics.service import SkillFigure


def skill(name: str, score: float, trend: str = "stable") -> SkillFigure:
    return SkillFigure(skill=name, name=name.title(), score=score, trend=trend, questions=4, sessions=2,
                       level="intermediate", next_milestone="advanced at 70%")


ACTIVE = Totals(sessions=3, completed=3)


def test_declining_first_then_the_weakest_then_technique_then_streak():
    items = recommendations.build(
        skills=[skill("databases", 80, "declining"), skill("algorithms", 45), skill("networking", 65),
                skill("security", 90)],
        rubric={"understanding": 20.0, "logic": 12.0, "specificity": 14.0, "jobFit": 22.0},
        totals=ACTIVE, streak=0, language="en")
    assert [(i["type"], i["priority"], i.get("skill")) for i in items] == [
        ("review", "high", "databases"), ("practice", "high", "algorithms"),
        ("practice", "medium", "networking"), ("technique", "medium", "logic"), ("consistency", "low", None)]


def test_nothing_to_fix_means_a_harder_challenge_and_korean_is_spoken():
    items = recommendations.build(skills=[skill("algorithms", 92)], rubric={"logic": 23.0}, totals=ACTIVE,
                                  streak=4, language="ko")
    assert items == [{"type": "challenge", "content": recommendations.TEXT["ko"]["challenge"],
                      "priority": "low"}]


def test_at_most_five():
    items = recommendations.build(skills=[skill(f"s{i}", 30, "declining") for i in range(8)], rubric={},
                                  totals=ACTIVE, streak=0, language="en")
    assert len(items) == recommendations.MAX_ITEMS and all(i["type"] == "review" for i in items)
