"""003's analytics recommendations, derived from the figures alone (pure).

In order: getting started (no session yet); categories whose trend is
declining (high); the weakest categories below WEAK_CATEGORY (high below
VERY_WEAK_CATEGORY, else medium); the weakest rubric axis below WEAK_AXIS of
25 (medium); a broken streak (low); and when nothing needs work, a harder
difficulty (low). At most MAX_ITEMS."""

from __future__ import annotations

WEAK_CATEGORY = 70.0
VERY_WEAK_CATEGORY = 50.0
WEAK_AXIS = 15.0
MAX_ITEMS = 5

TEXT = {
    "en": {
        "start": "Start your first AI interview session to see where you stand",
        "declining": "Your {name} scores are declining: review the fundamentals of {name}",
        "practice": "Focus on {name} questions",
        "axis": {
            "understanding": "Restate each question in one sentence before answering, to address its core",
            "logic": "Structure answers clearly: context, approach, result",
            "specificity": "Add concrete examples, numbers and specific details to your answers",
            "jobFit": "Tie each answer to the responsibilities of the role you are preparing for",
        },
        "streak": "Practise a little every day to build a streak",
        "challenge": "Keep going: try a harder difficulty",
    },
    "ko": {
        "start": "첫 AI 면접 세션을 시작해 현재 수준을 확인하세요",
        "declining": "{name} 점수가 떨어지고 있습니다. {name}의 기본 개념을 복습하세요",
        "practice": "{name} 질문을 집중적으로 연습하세요",
        "axis": {
            "understanding": "답변 전에 질문을 한 문장으로 요약해 핵심을 확인하세요",
            "logic": "배경, 접근 방법, 결과 순으로 답변을 명확하게 구성하세요",
            "specificity": "구체적인 사례, 수치, 세부 내용을 답변에 더하세요",
            "jobFit": "각 답변을 준비 중인 직무의 책임과 연결하세요",
        },
        "streak": "매일 조금씩 연습해 연속 기록을 만들어 보세요",
        "challenge": "잘하고 있습니다. 더 높은 난이도에 도전해 보세요",
    },
}


def build(*, skills: list, rubric: dict[str, float | None], totals, streak: int, language: str) -> list[dict]:
    t = TEXT.get(language, TEXT["en"])
    if totals.sessions == 0 and not skills:
        return [{"type": "getting_started", "content": t["start"], "priority": "high"}]
    out: list[dict] = []
    named: set[str] = set()
    for skill in skills:
        if skill.trend == "declining":
            out.append({"type": "review", "content": t["declining"].format(name=skill.name),
                        "priority": "high", "skill": skill.skill})
            named.add(skill.skill)
    weak = sorted((s for s in skills if s.score is not None and s.score < WEAK_CATEGORY
                   and s.skill not in named), key=lambda s: s.score)
    for skill in weak[:3]:
        out.append({"type": "practice", "content": t["practice"].format(name=skill.name),
                    "priority": "high" if skill.score < VERY_WEAK_CATEGORY else "medium",
                    "skill": skill.skill})
    axes = [(score, axis) for axis, score in rubric.items() if score is not None and score < WEAK_AXIS]
    if axes:
        _score, axis = min(axes)
        out.append({"type": "technique", "content": t["axis"][axis], "priority": "medium", "skill": axis})
    if streak == 0:
        out.append({"type": "consistency", "content": t["streak"], "priority": "low"})
    if not out:
        out.append({"type": "challenge", "content": t["challenge"], "priority": "low"})
    return out[:MAX_ITEMS]
