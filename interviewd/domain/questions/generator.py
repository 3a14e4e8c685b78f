"""The built-in question generator: no network, no model.

It combines prompt templates for each question type with the topics the bank
already knows for a category (its tags), skipping anything whose text is
already in the bank. The result is plain but sound, and never a duplicate;
an LLM (when configured) writes richer questions first.
"""

from __future__ import annotations

import hashlib

from interviewd.domain.questions.schemas import QuestionDraft

_TEMPLATES = {
    "en": {
        "technical": [
            "Explain how {topic} works in {area}, and walk through a case where you would choose it "
            "over an alternative.",
            "What problems does {topic} solve in {area}? Describe its trade-offs and a mistake teams "
            "often make with it.",
            "How would you debug a production issue caused by {topic} in a {area} system? Describe "
            "the steps and the evidence you would collect.",
        ],
        "theory": [
            "Define {topic} as used in {area}. Why does it matter, and how would you explain it to a "
            "new team member?",
            "Compare {topic} with a closely related concept in {area}. When is each the better fit?",
        ],
        "behavioral": [
            "Tell me about a time you had to learn {topic} quickly to deliver on a {area} project. "
            "What did you do and what was the result?",
            "Describe a disagreement about {topic} on a {area} team. How did you handle it, and what "
            "changed afterwards?",
        ],
        "situational": [
            "A release that depends on {topic} is due tomorrow and a critical defect appears in the "
            "{area} code. What do you do in the next four hours?",
            "Your team must choose how to use {topic} in a new {area} service, and two senior "
            "engineers disagree. How do you reach a decision?",
        ],
    },
    "ko": {
        "technical": [
            "{area} 분야에서 {topic}의 동작 원리를 설명하고, "
            "다른 대안 대신 이를 선택할 상황을 예로 들어 주세요.",
            "{area} 시스템에서 {topic} 때문에 장애가 발생했다면 어떻게 원인을 찾으시겠습니까? "
            "단계와 근거를 설명해 주세요.",
        ],
        "theory": [
            "{area}에서 말하는 {topic}의 개념을 정의하고, 신입 팀원에게 어떻게 설명할지 말씀해 주세요.",
        ],
        "behavioral": [
            "{area} 프로젝트에서 {topic}을(를) 빠르게 익혀야 했던 경험을 말씀해 주세요. "
            "어떻게 했고 결과는 어땠습니까?",
        ],
        "situational": [
            "{topic}에 의존하는 배포가 내일인데 {area} 코드에서 치명적인 결함이 발견되었습니다. "
            "앞으로 네 시간 동안 무엇을 하시겠습니까?",
        ],
    },
}

_CRITERIA = {
    "understanding": "Addresses what the question actually asks about the topic.",
    "logic": "Reasons step by step, with causes and consequences in order.",
    "specificity": "Gives concrete examples, numbers, tools or past situations.",
    "jobFit": "Connects the answer to the responsibilities of the role.",
}


def builtin_drafts(*, category: str, difficulty: str, type: str, language: str, avoid: list[str],
                   count: int, topics: list[str] | None = None) -> list[QuestionDraft]:
    """Up to `count` drafts whose text is not in `avoid`."""
    templates = _TEMPLATES.get(language, _TEMPLATES["en"]).get(type)
    if not templates:
        return []
    area = category.replace("-", " ")
    pool = list(dict.fromkeys((topics or []) + _default_topics(category)))
    seen = {text.strip().lower() for text in avoid}
    drafts = []
    # A stable order that still varies between categories and types.
    combos = sorted(
        ((t, p) for t in templates for p in pool),
        key=lambda tp: hashlib.sha256(f"{category}|{type}|{tp[0]}|{tp[1]}".encode()).hexdigest(),
    )
    for template, topic in combos:
        text = template.format(topic=topic, area=area)
        if text.strip().lower() in seen:
            continue
        seen.add(text.strip().lower())
        drafts.append(QuestionDraft(
            type=type, category=category, difficulty=difficulty, language=language,
            title=f"{topic.title()} in {area}" if language == "en" else f"{area}: {topic}",
            text=text, tags=[topic.replace(" ", "-")], expected_keywords=_keywords(topic, area),
            sample_answer=_outline(topic, area, type, language),
            evaluation_criteria=dict(_CRITERIA), hints=[_hint(type, language)],
            follow_up_questions=[_follow_up(topic, language)],
            estimated_time={"easy": 3, "medium": 5, "hard": 8}.get(difficulty, 5),
        ))
        if len(drafts) >= count:
            break
    return drafts


def _default_topics(category: str) -> list[str]:
    return [
        "caching", "testing", "observability", "scalability", "security", "data modelling",
        "error handling", "performance tuning", "code review", "documentation", "concurrency",
        "api design", "deployment", "monitoring", "refactoring", category.replace("-", " "),
    ]


def _keywords(topic: str, area: str) -> list[str]:
    return [topic.lower(), "trade-off", "example", "result", area.split()[0].lower()]


def _outline(topic: str, area: str, type: str, language: str) -> str:
    if language == "ko":
        return (f"{topic}의 핵심 개념을 먼저 정의하고, {area}에서의 실제 사례를 들어 설명합니다. "
                "선택 시의 장단점과 측정 가능한 결과를 제시하고, 다음에 다르게 할 점으로 마무리합니다.")
    if type in ("behavioral", "situational"):
        return (f"Situation: set the scene of a real {area} project where {topic} mattered. Task: state "
                "your responsibility and the constraint. Action: describe the concrete steps you took and "
                "why, including who you involved. Result: give a measurable outcome and what you would "
                "repeat or change next time.")
    return (f"Start by defining {topic} precisely. Explain how it works in {area} with a concrete example, "
            "then compare it with an alternative and name the trade-offs (cost, complexity, failure modes). "
            "Close with how you would measure that the choice worked in production.")


def _hint(type: str, language: str) -> str:
    if language == "ko":
        return "구체적인 예시와 수치를 포함해 보세요."
    if type in ("behavioral", "situational"):
        return "Use the STAR structure: Situation, Task, Action, Result."
    return "Name a concrete example and one trade-off."


def _follow_up(topic: str, language: str) -> str:
    if language == "ko":
        return f"{topic}을(를) 잘못 적용했을 때 어떤 문제가 생길까요?"
    return f"What goes wrong when {topic} is applied in the wrong place?"
