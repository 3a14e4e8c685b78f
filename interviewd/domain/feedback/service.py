"""Feedback reports of completed AI sessions: written on completion, read by
their owner, downloaded as a transcript PDF, and shown read-only to anyone
holding the share link until the owner revokes it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.domain.feedback import pdf, report
from interviewd.domain.feedback.repository import feedback_repository
from interviewd.errors import Conflict, NotFound
from interviewd.kit.clock import isoformat_z, utcnow
from interviewd.kit.ids import new_token
from interviewd.kit.principal import Principal
from interviewd.models.ai import AiSessionDetails, FeedbackReport
from interviewd.models.session import InterviewSession


@dataclass
class ReportView:
    report: FeedbackReport
    session: InterviewSession
    details: AiSessionDetails

    @property
    def share_active(self) -> bool:
        return bool(self.report.share_token) and self.report.share_revoked_at is None


def download_url(session_uid: str) -> str:
    base = runtime.current().settings.public_base_url.rstrip("/")
    return f"{base}/api/sessions/{session_uid}/transcript.pdf"


def share_url(view: ReportView) -> str | None:
    if not view.share_active:
        return None
    return f"{runtime.current().settings.public_base_url.rstrip('/')}/share/{view.report.share_token}"


class FeedbackService:
    async def generate(self, session: AsyncSession, *, view, figures, now: datetime) -> FeedbackReport:
        """Write the report of a session that has just been completed (called
        by the interview service, which has checked ownership)."""
        details, row = view.details, view.session
        content = report.build(
            questions=_answered_questions(view), overall=figures.overall_score, mode=details.mode,
            role=details.job_type, language=details.interview_language,
            history=await feedback_repository.previous_scores(
                session, user_id=row.user_id, mode=details.mode, before_id=row.id, before=now),
        )
        peers = await feedback_repository.peer_scores(session, mode=details.mode, job_type=details.job_type,
                                                      user_id=row.user_id)
        item = FeedbackReport(
            session_id=row.id, summary=content.summary, overall_score=figures.overall_score,
            strengths=content.strengths, improvement_areas=content.improvement_areas,
            recommendations=content.recommendations,
            percentile_rank=report.percentile_rank(figures.overall_score, peers),
            benchmark=report.benchmark(figures.overall_score, peers, details.job_type),
            technical_skills=content.technical_skills, communication=content.communication,
            share_token=new_token(24), generated_at=now,
        )
        session.add(item)
        await session.flush()
        return item

    async def get(self, session: AsyncSession, principal: Principal, *, feedback_id: str) -> ReportView:
        """The caller's report. The percentile and the benchmark are brought
        up to date, since other users keep completing sessions."""
        view = await self._owned(session, principal, feedback_id)
        await self._refresh_comparison(session, view)
        return view

    async def of_session(self, session: AsyncSession, *, session_id: int) -> FeedbackReport | None:
        """The report of a session the caller has already been allowed to see."""
        return await feedback_repository.by_session(session, session_id)

    async def transcript_pdf(self, session: AsyncSession, principal: Principal, *, session_id: str
                             ) -> tuple[str, bytes]:
        """The session's transcript and report as a PDF: (file name, bytes)."""
        from interviewd.domain.interview.service import interview_service

        loaded = await interview_service.get_session(session, principal, session_id=session_id)
        found = await feedback_repository.by_session(session, loaded.session.id)
        if found is None:
            raise NotFound("The transcript is available once the session is completed")
        blocks = transcript_blocks(loaded, found)
        title = f"Interview transcript {loaded.session.uid}"
        font = runtime.current().settings.report_font_path
        data = await asyncio.to_thread(pdf.render, blocks, title=title, font_path=font)
        return f"interview-{loaded.session.uid}.pdf", data

    async def revoke_share(self, session: AsyncSession, principal: Principal, *, feedback_id: str,
                           now: datetime | None = None) -> ReportView:
        """Turn the public link off; the page answers 404 from then on."""
        view = await self._owned(session, principal, feedback_id)
        if view.share_active:
            view.report.share_revoked_at = now or utcnow()
            await session.flush()
        return view

    async def renew_share(self, session: AsyncSession, principal: Principal, *, feedback_id: str
                          ) -> ReportView:
        """A new public link; any previous one stays dead."""
        view = await self._owned(session, principal, feedback_id)
        view.report.share_token = new_token(24)
        view.report.share_revoked_at = None
        await session.flush()
        return view

    async def shared(self, session: AsyncSession, *, token: str) -> ReportView:
        """The report behind a live share link, for anyone holding it."""
        if not token or len(token) > 64:
            raise NotFound("Report not found")
        row = await feedback_repository.by_share_token(session, token)
        if row is None or row[0].share_revoked_at is not None:
            raise NotFound("Report not found")
        return ReportView(*row)

    async def _owned(self, session: AsyncSession, principal: Principal, feedback_id: str) -> ReportView:
        row = await feedback_repository.by_uid(session, feedback_id)
        if row is None or row[1].user_id != principal.user_id:
            raise NotFound("Feedback not found")
        return ReportView(*row)

    async def _refresh_comparison(self, session: AsyncSession, view: ReportView) -> None:
        if view.session.status != "completed":
            raise Conflict("The session is not completed")
        peers = await feedback_repository.peer_scores(
            session, mode=view.details.mode, job_type=view.details.job_type, user_id=view.session.user_id)
        score = view.report.overall_score
        rank = report.percentile_rank(score, peers)
        bench = report.benchmark(score, peers, view.details.job_type)
        if rank != view.report.percentile_rank or bench != view.report.benchmark:
            view.report.percentile_rank = rank
            view.report.benchmark = bench
            await session.flush()


def _answered_questions(view) -> list[report.AnsweredQuestion]:
    out = []
    for item in view.items:
        evaluations = item.evaluations
        main = evaluations[0] if evaluations else None
        answer = item.answers[0][0] if item.answers else None
        result = (answer.code_result or {}) if answer is not None else {}
        out.append(report.AnsweredQuestion(
            title=item.question.title, type=item.question.type, category=item.question.category,
            answered=main is not None,
            total_score=sum(e.total_score for e in evaluations) / len(evaluations) if evaluations else 0.0,
            rubric=dict(main.rubric) if main else None, scores=dict(main.scores) if main else None,
            strengths=list(main.strengths) if main else None,
            improvements=list(main.improvements) if main else None,
            structure_feedback=str((main.detailed_feedback or {}).get("structure") or "") if main else "",
            words=len((main.user_answer or "").split()) if main else 0,
            tests_passed=result.get("passed") if result.get("total") else None,
            tests_total=result.get("total") or None,
        ))
    return out


LABELS = {
    "en": {"title": "Interview transcript", "role": "Role", "mode": "Mode", "difficulty": "Difficulty",
           "interviewer": "Interviewer", "date": "Completed", "score": "Overall score",
           "percentile": "Percentile rank", "summary": "Summary", "strengths": "Strengths",
           "improve": "Areas to improve", "recommend": "Recommendations",
           "transcript": "Questions and answers", "question": "Question", "answer": "Answer",
           "follow_up": "Follow-up", "code": "Code", "tests": "Tests passed", "scores": "Scores",
           "feedback": "Feedback", "ideal": "A strong answer", "skipped": "Not answered"},
    "ko": {"title": "면접 기록", "role": "직무", "mode": "유형", "difficulty": "난이도",
           "interviewer": "면접관", "date": "완료", "score": "종합 점수", "percentile": "백분위",
           "summary": "요약", "strengths": "강점", "improve": "개선할 점", "recommend": "추천",
           "transcript": "질문과 답변", "question": "질문", "answer": "답변",
           "follow_up": "추가 질문", "code": "코드", "tests": "통과한 테스트", "scores": "점수",
           "feedback": "피드백", "ideal": "모범 답변", "skipped": "답변하지 않음"},
}


def transcript_blocks(view, found: FeedbackReport) -> list[tuple[str, str]]:
    """The PDF's content: the report, then every question with its answers."""
    details, row = view.details, view.session
    t = LABELS.get(details.interview_language, LABELS["en"])
    blocks: list[tuple[str, str]] = [
        ("h1", f"{t['title']}: {details.job_type}"),
        ("small", f"{t['mode']}: {details.mode} · {t['difficulty']}: {details.difficulty} · "
                  f"{t['interviewer']}: {details.persona.get('name', '')} · "
                  f"{t['date']}: {isoformat_z(row.completed_at) or ''}"),
        ("h2", f"{t['score']}: {round(found.overall_score)}/100"),
    ]
    if found.percentile_rank is not None:
        blocks.append(("p", f"{t['percentile']}: {round(found.percentile_rank)}"))
    blocks += [("h3", t["summary"]), ("p", found.summary)]
    for key, items in (("strengths", found.strengths), ("improve", found.improvement_areas),
                       ("recommend", found.recommendations)):
        if items:
            blocks.append(("h3", t[key]))
            blocks += [("li", entry) for entry in items]
    blocks += [("rule", ""), ("h2", t["transcript"])]
    for item in view.items:
        q = item.question
        blocks += [("h3", f"{t['question']} {item.slot.order}: {q.title}"), ("p", q.text)]
        if not item.answers:
            blocks.append(("small", t["skipped"]))
        for answer, analysis in item.answers:
            label = t["follow_up"] if answer.is_follow_up else t["answer"]
            if answer.is_follow_up and item.slot.follow_up:
                blocks.append(("p", f"{t['follow_up']}: {item.slot.follow_up}"))
            if answer.answer_text:
                blocks.append(("p", f"{label}: {answer.answer_text}"))
            code = answer.code_submission or {}
            if code.get("code"):
                blocks.append(("small", f"{t['code']} ({code.get('language')})"))
                blocks.append(("code", code["code"]))
                if code.get("approachExplanation"):
                    blocks.append(("p", code["approachExplanation"]))
            result = answer.code_result or {}
            if result.get("total"):
                blocks.append(("small", f"{t['tests']}: {result.get('passed')}/{result.get('total')}"))
            if analysis is not None:
                scores = analysis.scores or {}
                blocks.append(("small", f"{t['scores']}: {round(analysis.total_score)}/100 · "
                                        + " · ".join(f"{k} {v}" for k, v in scores.items())))
                if analysis.summary:
                    blocks.append(("p", f"{t['feedback']}: {analysis.summary}"))
                if analysis.ideal_answer and not answer.is_follow_up:
                    blocks.append(("small", f"{t['ideal']}: {analysis.ideal_answer}"))
    return blocks


feedback_service = FeedbackService()
