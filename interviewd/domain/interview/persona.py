"""The interviewer personas and what they say, in English and Korean.

A persona follows from the session's mode, so the same kind of interview
always meets the same interviewer (and tests can rely on it)."""

from __future__ import annotations

PERSONAS: dict[str, dict[str, dict[str, str]]] = {
    "en": {
        "technical": {"name": "Alex", "personality": "professional",
                      "experience": "10 years as engineering manager"},
        "system_design": {"name": "Morgan", "personality": "analytical",
                          "experience": "15 years as principal architect of large-scale systems"},
        "behavioral": {"name": "Jordan", "personality": "warm",
                       "experience": "8 years as engineering recruiter and hiring manager"},
        "situational": {"name": "Casey", "personality": "pragmatic",
                        "experience": "12 years leading product and delivery teams"},
        "mixed": {"name": "Riley", "personality": "balanced",
                  "experience": "10 years as senior engineer and interviewer"},
    },
    "ko": {
        "technical": {"name": "민준", "personality": "전문적인",
                      "experience": "엔지니어링 매니저 경력 10년"},
        "system_design": {"name": "서연", "personality": "분석적인",
                          "experience": "대규모 시스템 수석 아키텍트 경력 15년"},
        "behavioral": {"name": "지우", "personality": "따뜻한",
                       "experience": "채용 담당자 및 채용 매니저 경력 8년"},
        "situational": {"name": "하준", "personality": "실용적인",
                        "experience": "제품 및 개발 팀 리더 경력 12년"},
        "mixed": {"name": "도윤", "personality": "균형 잡힌",
                  "experience": "시니어 엔지니어 겸 면접관 경력 10년"},
    },
}

MODE_NAMES = {
    "en": {"technical": "technical", "system_design": "system design", "behavioral": "behavioral",
           "situational": "situational", "mixed": "mixed"},
    "ko": {"technical": "기술", "system_design": "시스템 설계", "behavioral": "인성",
           "situational": "상황", "mixed": "종합"},
}


def persona_for(mode: str, language: str) -> dict[str, str]:
    return dict(PERSONAS.get(language, PERSONAS["en"]).get(mode) or PERSONAS["en"]["mixed"])


def intro_message(*, persona: dict, job_type: str, mode: str, language: str, question_count: int,
                  duration: int, include_coding: bool) -> str:
    mode_name = MODE_NAMES.get(language, MODE_NAMES["en"]).get(mode, mode)
    if language == "ko":
        coding = " 코딩 문제도 한 개 이상 포함됩니다." if include_coding else ""
        return (f"안녕하세요! 저는 AI 면접관 {persona['name']}입니다. {job_type} {mode_name} 면접을 "
                f"시작하겠습니다. 약 {duration}분 동안 {question_count}개의 질문을 드릴 예정입니다.{coding} "
                "준비되시면 첫 번째 질문을 요청해 주세요.")
    coding = " At least one of them is a coding challenge." if include_coding else ""
    return (f"Welcome! I'm {persona['name']}, your AI interviewer. Let's begin your {job_type} "
            f"{mode_name} interview. We'll go through {question_count} questions in about {duration} "
            f"minutes.{coding} Ask for the first question when you are ready.")


def next_question_message(language: str, remaining: int) -> str:
    if language == "ko":
        return f"좋습니다. 다음 질문으로 넘어가겠습니다. 남은 질문: {remaining}개."
    return f"Thank you. Let's move on to the next question ({remaining} remaining)."


def complete_message(language: str) -> str:
    if language == "ko":
        return "모든 질문에 답변하셨습니다. 면접을 완료하고 피드백 보고서를 받아 보세요."
    return "That was the last question. Complete the session to get your feedback report."


def default_job_type(language: str) -> str:
    return "소프트웨어 엔지니어" if language == "ko" else "Software Engineer"
