"""What a feedback report says, derived from a session's evaluations.

Pure functions: no database, no clock. The rubric axes (004) say where an
answer was strong or weak; question types and coding results add advice of
their own; the comparison with other users' sessions gives the percentile
and the benchmark."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

AXES = ("understanding", "logic", "specificity", "jobFit")
STRONG_AXIS = 17  # of 25: this axis was a strength
WEAK_AXIS = 15  # of 25: below, this axis needs work

TEXT = {
    "en": {
        "axis": {"understanding": "understanding the question", "logic": "logical structure",
                 "specificity": "concrete, specific detail", "jobFit": "relevance to the role"},
        "strength": {
            "understanding": "Understood what each question was really asking",
            "logic": "Structured answers logically and easy to follow",
            "specificity": "Backed answers with concrete, specific details",
            "jobFit": "Kept answers relevant to the {role} role",
        },
        "improve": {
            "understanding": "Address the core of each question more directly",
            "logic": "Structure answers more clearly: context, approach, result",
            "specificity": "Add concrete examples, numbers and specific details",
            "jobFit": "Connect answers more explicitly to the {role} role",
        },
        "recommend": {
            "understanding": "Restate each question in one sentence before answering, to be sure you "
                             "address its core",
            "logic": "Practise answering with a fixed structure: approach, trade-offs, result for "
                     "technical questions",
            "specificity": "Prepare five or six stories from your own work with measurable outcomes",
            "jobFit": "Study a {role} job description and tie each answer to its responsibilities",
            "star": "Work on answering behavioral questions with the STAR method (situation, task, "
                    "action, result)",
            "coding": "Practise more {category} coding challenges and test edge cases before submitting",
            "skipped": "Manage your time so that every question gets an answer",
            "category": "Review the fundamentals of {category}",
            "keep": "Keep practising {mode} interviews at a harder difficulty",
        },
        "levels": [(85, "Excellent"), (70, "Strong"), (55, "Solid"), (40, "Developing"), (0, "Early-stage")],
        "summary": "{level} {mode} interview for {role}: {answered} of {total} questions answered, "
                   "overall score {score}/100. Strongest in {best}; the most room to grow is in {worst}.",
        "coding": " Coding: {passed} of {tests} tests passed.",
        "mode": {"technical": "technical", "system_design": "system design", "behavioral": "behavioral",
                 "situational": "situational", "mixed": "mixed"},
        "skills": {"coding": "Algorithm Design", "system_design": "System Design",
                   "behavioral": "Behavioral Competencies", "situational": "Situational Judgement",
                   "default": "Technical Knowledge"},
        "communication": "Technical Communication",
        "evidence_tests": "Passed {passed} of {tests} tests on \"{title}\"",
        "evidence_score": "Scored {score}/100 on \"{title}\"",
        "evidence_words": "Answers averaged {words} words",
    },
    "ko": {
        "axis": {"understanding": "질문 이해", "logic": "논리적 구성", "specificity": "구체성",
                 "jobFit": "직무 적합성"},
        "strength": {
            "understanding": "질문의 핵심을 정확히 이해했습니다",
            "logic": "답변을 논리적으로 구성했습니다",
            "specificity": "구체적인 사례와 세부 내용으로 답변을 뒷받침했습니다",
            "jobFit": "{role} 직무와 관련된 답변을 했습니다",
        },
        "improve": {
            "understanding": "질문의 핵심에 더 직접적으로 답하세요",
            "logic": "배경, 접근 방법, 결과 순으로 답변을 더 명확하게 구성하세요",
            "specificity": "구체적인 사례, 수치, 세부 내용을 더하세요",
            "jobFit": "답변을 {role} 직무와 더 명확하게 연결하세요",
        },
        "recommend": {
            "understanding": "답변 전에 질문을 한 문장으로 요약해 핵심을 확인하세요",
            "logic": "기술 질문에는 접근 방법, 트레이드오프, 결과 순의 구조로 답하는 연습을 하세요",
            "specificity": "측정 가능한 성과가 있는 본인 경험 사례를 5~6개 준비하세요",
            "jobFit": "{role} 채용 공고를 살펴보고 각 답변을 직무 책임과 연결하세요",
            "star": "인성 질문은 STAR 기법(상황, 과제, 행동, 결과)으로 답하는 연습을 하세요",
            "coding": "{category} 코딩 문제를 더 풀어 보고 제출 전에 예외 케이스를 테스트하세요",
            "skipped": "모든 질문에 답할 수 있도록 시간을 관리하세요",
            "category": "{category}의 기본 개념을 복습하세요",
            "keep": "더 높은 난이도의 {mode} 면접으로 계속 연습하세요",
        },
        "levels": [(85, "매우 우수한"), (70, "우수한"), (55, "안정적인"), (40, "발전 중인"),
                   (0, "초기 단계의")],
        "summary": "{role} {mode} 면접 결과는 {level} 수준입니다. {total}개 질문 중 {answered}개에 답했고 "
                   "종합 점수는 {score}/100점입니다. 가장 강한 부분은 {best}, 가장 발전이 필요한 부분은 "
                   "{worst}입니다.",
        "coding": " 코딩: 테스트 {tests}개 중 {passed}개 통과.",
        "mode": {"technical": "기술", "system_design": "시스템 설계", "behavioral": "인성",
                 "situational": "상황", "mixed": "종합"},
        "skills": {"coding": "알고리즘 설계", "system_design": "시스템 설계", "behavioral": "인성 역량",
                   "situational": "상황 판단", "default": "기술 지식"},
        "communication": "기술 커뮤니케이션",
        "evidence_tests": "\"{title}\" 테스트 {tests}개 중 {passed}개 통과",
        "evidence_score": "\"{title}\" {score}/100점",
        "evidence_words": "답변 평균 {words}단어",
    },
}


@dataclass
class AnsweredQuestion:
    """What the report needs of one presented question."""

    title: str
    type: str
    category: str
    answered: bool
    total_score: float = 0.0
    rubric: dict | None = None
    scores: dict | None = None
    strengths: list[str] | None = None
    improvements: list[str] | None = None
    structure_feedback: str = ""
    words: int = 0
    tests_passed: int | None = None
    tests_total: int | None = None


@dataclass
class ReportContent:
    summary: str
    strengths: list[str]
    improvement_areas: list[str]
    recommendations: list[str]
    technical_skills: dict
    communication: dict


def level_of(score: float) -> str:
    if score >= 85:
        return "expert"
    if score >= 70:
        return "advanced"
    if score >= 50:
        return "intermediate"
    return "beginner"


def trajectory(score: float, previous: list[float]) -> str:
    """Against the mean of the user's previous sessions of the same mode."""
    if not previous:
        return "stable"
    delta = score - sum(previous) / len(previous)
    return "improving" if delta > 5 else "declining" if delta < -5 else "stable"


def percentile_rank(score: float, peers: list[float]) -> float | None:
    """Share of peer sessions scoring below (ties count half), 0-100; None without peers."""
    if not peers:
        return None
    below = sum(1 for p in peers if p < score)
    equal = sum(1 for p in peers if p == score)
    return round(100.0 * (below + 0.5 * equal) / len(peers))


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def benchmark(score: float, peers: list[float], role: str) -> dict:
    if not peers:
        return {"role": role, "categoryAverage": None, "topQuartile": None, "difference": None,
                "sampleSize": 0}
    average = sum(peers) / len(peers)
    return {"role": role, "categoryAverage": round(average, 1),
            "topQuartile": round(quantile(peers, 0.75), 1), "difference": round(score - average, 1),
            "sampleSize": len(peers)}


def _dedupe(items: list[str], limit: int) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = item.strip().lower()
        if item.strip() and key not in seen:
            seen.add(key)
            out.append(item.strip())
        if len(out) == limit:
            break
    return out


def build(*, questions: list[AnsweredQuestion], overall: float, mode: str, role: str, language: str,
          history: list[float]) -> ReportContent:
    t = TEXT.get(language, TEXT["en"])
    answered = [q for q in questions if q.answered]
    axes = {axis: (sum((q.rubric or {}).get(axis, 0) for q in answered) / len(answered) if answered else 0.0)
            for axis in AXES}
    ranked = sorted(AXES, key=lambda a: (-axes[a], AXES.index(a)))
    best, worst = ranked[0], ranked[-1]
    fmt = {"role": role, "mode": t["mode"].get(mode, mode)}

    strengths = [t["strength"][a].format(**fmt) for a in ranked if axes[a] >= STRONG_AXIS]
    common = Counter(s for q in sorted(answered, key=lambda q: -q.total_score) for s in (q.strengths or []))
    strengths += [s for s, _ in common.most_common(4)]
    weak_axes = [a for a in reversed(ranked) if axes[a] < WEAK_AXIS] or [worst]
    improvements = [t["improve"][a].format(**fmt) for a in weak_axes]
    common = Counter(s for q in sorted(answered, key=lambda q: q.total_score) for s in (q.improvements or []))
    improvements += [s for s, _ in common.most_common(4)]

    recommendations = [t["recommend"][a].format(**fmt) for a in weak_axes[:2]]
    behavioral = [q for q in answered if q.type in ("behavioral", "situational")]
    if behavioral and sum(q.total_score for q in behavioral) / len(behavioral) < 70:
        recommendations.append(t["recommend"]["star"])
    coding = [q for q in answered if q.tests_total]
    for q in coding:
        if (q.tests_passed or 0) < (q.tests_total or 0):
            recommendations.append(t["recommend"]["coding"].format(category=q.category, **fmt))
    if len(answered) < len(questions):
        recommendations.append(t["recommend"]["skipped"])
    by_category: dict[str, list[float]] = {}
    for q in questions:
        by_category.setdefault(q.category, []).append(q.total_score if q.answered else 0.0)
    for category, scores in sorted(by_category.items()):
        if sum(scores) / len(scores) < 60:
            recommendations.append(t["recommend"]["category"].format(category=category, **fmt))
    if overall >= 80:
        recommendations.append(t["recommend"]["keep"].format(**fmt))

    passed = sum(q.tests_passed or 0 for q in coding)
    tests = sum(q.tests_total or 0 for q in coding)
    level_word = next(word for threshold, word in t["levels"] if overall >= threshold)
    summary = t["summary"].format(level=level_word, answered=len(answered), total=len(questions),
                                  score=round(overall), best=t["axis"][best], worst=t["axis"][worst], **fmt)
    if coding:
        summary += t["coding"].format(passed=passed, tests=tests)

    growth = trajectory(overall, history)
    confidence = round(min(0.95, 0.5 + 0.1 * len(answered)), 2)

    def mean(key: str) -> float:
        values = [float((q.scores or {}).get(key, 0)) for q in answered]
        return round(sum(values) / len(values), 1) if values else 0.0

    technical_score = mean("correctness")
    skill = ("coding" if coding else mode if mode in ("system_design", "behavioral", "situational")
             else "default")
    evidence = [t["evidence_tests"].format(passed=q.tests_passed, tests=q.tests_total, title=q.title)
                for q in coding]
    for q in sorted(answered, key=lambda q: -q.total_score)[:2]:
        evidence.append(t["evidence_score"].format(score=round(q.total_score), title=q.title))
    communication_score = mean("communication")
    words = round(sum(q.words for q in answered) / len(answered)) if answered else 0
    comm_evidence = [t["evidence_words"].format(words=words)]
    best_comm = max(answered, key=lambda q: (q.scores or {}).get("communication", 0), default=None)
    if best_comm is not None and best_comm.structure_feedback:
        comm_evidence.append(best_comm.structure_feedback)
    return ReportContent(
        summary=summary,
        strengths=_dedupe(strengths, 5),
        improvement_areas=_dedupe(improvements, 5),
        recommendations=_dedupe(recommendations, 6),
        technical_skills={"skill": t["skills"][skill], "score": technical_score,
                          "level": level_of(technical_score), "confidence": confidence,
                          "evidence": _dedupe(evidence, 4), "growthTrajectory": growth},
        communication={"skill": t["communication"], "score": communication_score,
                       "level": level_of(communication_score), "confidence": confidence,
                       "evidence": _dedupe(comm_evidence, 4), "growthTrajectory": growth},
    )
