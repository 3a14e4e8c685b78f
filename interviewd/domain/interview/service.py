"""AI interview sessions (003, 004): an interviewer persona asks bank
questions one at a time, every answer is evaluated (coding answers are run
in the sandbox first), a follow-up comes when an answer leaves gaps, and
completion writes the feedback report.

Limits (all settings): a maximum duration after which the session is
abandoned the next time it is touched, a question cap, answers per minute
and sessions per day per user, and answer lengths."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.domain.interview import events, persona
from interviewd.domain.interview.evaluate import analysis_from, evaluate, store
from interviewd.domain.interview.repository import ai_session_repository
from interviewd.domain.interview.schemas import (
    CODE_LANGUAGES,
    AiSessionCreate,
    AiSessionUpdate,
    AiSessionView,
    AnswerOutcome,
    AnswerSubmit,
    Completion,
    NextAction,
    NextQuestion,
    SessionFigures,
    SessionItem,
)
from interviewd.errors import Conflict, NotFound, RateLimited, ValidationFailed
from interviewd.kit.clock import as_utc, utcnow
from interviewd.kit.principal import Principal
from interviewd.models.ai import AiAnswer, AiSessionDetails, AiSessionQuestion
from interviewd.models.session import InterviewSession, SessionKind

log = structlog.get_logger(__name__)

OPEN = ("pending", "in_progress")
CODING_MODES = ("technical", "mixed")
# With coding included, the 2nd, 5th, 8th... question is a coding one, and so is the
# last when none was asked before.
CODING_EVERY = 3


class InterviewService:
    # -- lifecycle ----------------------------------------------------------
    async def create_session(
        self, session: AsyncSession, principal: Principal, *, data: AiSessionCreate,
        now: datetime | None = None,
    ) -> tuple[AiSessionView, NextAction]:
        """Start an AI session (status `pending`) with a persona chosen by
        mode and language, and the interviewer's introduction."""
        settings = runtime.current().settings
        now = now or utcnow()
        await self._check_daily_sessions(session, principal, now)
        interview_language, programming_language = _languages(data, principal)
        count = _planned_questions(data, settings)
        duration = data.duration or max(5, math.ceil(count * settings.ai_minutes_per_question))
        job_type = (data.job_type or "").strip() or persona.default_job_type(interview_language)
        topics = sorted({t.strip().lower() for t in data.topics if t and t.strip()})
        chosen = persona.persona_for(data.mode, interview_language)
        include_coding = data.include_coding and data.mode in CODING_MODES
        row = InterviewSession(
            kind=SessionKind.AI.value, user_id=principal.user_id, status="pending",
            title=data.title or f"{job_type} ({data.mode})", details={}, created_at=now, updated_at=now,
        )
        await ai_session_repository.add(session, row)
        details = AiSessionDetails(
            session_id=row.id, mode=data.mode, job_type=job_type, difficulty=data.difficulty,
            programming_language=programming_language, interview_language=interview_language,
            include_coding=include_coding, topics=topics, category=data.category,
            custom_category=data.custom_category, question_count=count, current_question_index=0,
            estimated_duration=duration, persona=chosen,
            client_metadata=data.metadata.model_dump(by_alias=True, exclude_none=True) if data.metadata
            else {},
        )
        session.add(details)
        await session.flush()
        message = persona.intro_message(persona=chosen, job_type=job_type, mode=data.mode,
                                        language=interview_language, question_count=count,
                                        duration=duration, include_coding=include_coding)
        return AiSessionView(row, details), NextAction("intro", message, 2)

    async def get_session(self, session: AsyncSession, principal: Principal, *, session_id: str,
                          now: datetime | None = None) -> AiSessionView:
        """The session with its questions, answers and evaluations; a session
        past its maximum duration is abandoned on the way."""
        from interviewd.domain.feedback.service import feedback_service

        view = await self._visible(session, principal, session_id)
        await self._expire(session, view, now or utcnow())
        view = await self._load(session, view)
        view.report = await feedback_service.of_session(session, session_id=view.session.id)
        return view

    async def update_session(self, session: AsyncSession, principal: Principal, *, session_id: str,
                             data: AiSessionUpdate, now: datetime | None = None) -> AiSessionView:
        """Change the title or client metadata, or abandon the session."""
        now = now or utcnow()
        view = await self._visible(session, principal, session_id)
        await self._expire(session, view, now)
        if data.title is not None:
            view.session.title = data.title
        if data.metadata is not None:
            view.details.client_metadata = {
                **(view.details.client_metadata or {}),
                **data.metadata.model_dump(by_alias=True, exclude_none=True),
            }
        if data.status == "abandoned" and view.session.status != "abandoned":
            if view.session.status not in OPEN:
                raise Conflict(f"A {view.session.status} session cannot be abandoned", field="status")
            view.session.status = "abandoned"
            view.session.duration_seconds = _elapsed(view.session, now)
        await session.flush()
        return await self._load(session, view)

    async def delete_session(self, session: AsyncSession, principal: Principal, *, session_id: str) -> None:
        """Delete the caller's session with its answers, evaluations and report."""
        view = await self._visible(session, principal, session_id)
        await ai_session_repository.delete_session(session, view.session)

    # -- questions ------------------------------------------------------------
    async def next_question(self, session: AsyncSession, principal: Principal, *, session_id: str,
                            now: datetime | None = None) -> NextQuestion:
        """Present the next question: by mode, difficulty, topics and language,
        never one of this session's, and none this user saw recently while
        others remain. A presented question left unanswered is skipped."""
        from interviewd.domain.questions.service import question_service

        settings = runtime.current().settings
        now = now or utcnow()
        view = await self._load(session, await self._visible(session, principal, session_id))
        await self._expire(session, view, now, refuse=True)
        details = view.details
        limit = min(details.question_count, settings.ai_max_questions)
        if details.current_question_index >= limit:
            raise Conflict(f"This session's {limit} questions have all been asked; complete it",
                           details={"questionCount": limit})
        current = view.current
        if current is not None and current.slot.status == "presented":
            current.slot.status = "skipped"
        asked = {item.question.id for item in view.items}
        recent = await ai_session_repository.recent_question_ids(
            session, principal.user_id, limit=settings.ai_recent_questions)
        position = details.current_question_index + 1
        had_coding = any(item.question.type == "coding" for item in view.items)
        wants_coding = details.include_coding and (
            position % CODING_EVERY == 2 or (position == limit and not had_coding))
        question = None
        for exclude in (asked | recent, asked):
            if wants_coding:
                question = await question_service.pick_next(
                    session, mode=details.mode, difficulty=details.difficulty, topics=details.topics,
                    language=details.interview_language, exclude_ids=exclude, include_coding=True,
                    want_type="coding")
            if question is None:
                question = await question_service.pick_next(
                    session, mode=details.mode, difficulty=details.difficulty, topics=details.topics,
                    language=details.interview_language, exclude_ids=exclude, include_coding=False)
            if question is not None:
                break
        if question is None:
            raise Conflict("No more questions in the bank match this session; complete it")
        slot = AiSessionQuestion(session_id=view.session.id, question_id=question.id, order=position,
                                 presented_at=now, status="presented")
        session.add(slot)
        details.current_question_index = position
        if view.session.status == "pending":
            view.session.status = "in_progress"
            view.session.started_at = view.session.started_at or now
        await session.flush()
        await question_service.record_use(session, question.id)
        challenge = (await question_service.challenge_for(session, question.id)
                     if question.type == "coding" else None)
        item = SessionItem(slot, question)
        view.items.append(item)
        view.challenge = challenge
        events.emit(session, "question_presented", view.session.uid, {
            "question": {"questionId": question.uid, "type": question.type, "title": question.title,
                         "text": question.text, "estimatedTime": question.estimated_time},
            "session": {"currentQuestionIndex": position, "totalQuestions": limit},
        })
        return NextQuestion(view, item, challenge)

    # -- answers --------------------------------------------------------------
    async def submit_answer(self, session: AsyncSession, principal: Principal, *, session_id: str,
                            data: AnswerSubmit, now: datetime | None = None) -> AnswerOutcome:
        """Record an answer to the current question (or to its follow-up), run
        submitted code against the challenge's tests, and evaluate it."""
        from interviewd.domain.questions.service import question_service

        settings = runtime.current().settings
        now = now or utcnow()
        text, code = _validated_answer(data, settings)
        view = await self._load(session, await self._visible(session, principal, session_id))
        await self._expire(session, view, now, refuse=True)
        if view.session.status != "in_progress" or view.current is None:
            raise Conflict("Request a question before answering")
        item = view.current
        is_follow_up = False
        if item.slot.status == "answered":
            if item.slot.follow_up and not any(a.is_follow_up for a, _ in item.answers):
                is_follow_up = True
            else:
                raise Conflict("This question is answered; request the next question")
        elif item.slot.status != "presented":
            raise Conflict("Request the next question before answering")
        await self._check_answer_rate(session, principal, now)

        question = item.question
        code_result = None
        if code is not None and question.type == "coding" and not is_follow_up:
            code_result = await _run_code(session, question.id, code)
        spoken = "\n\n".join(p for p in (text, (code or {}).get("approachExplanation")) if p)
        previous = [a.answer_text for other in view.items for a, _ in other.answers if a.answer_text]
        await events.publish_now("typing_indicator", view.session.uid, _typing(True))
        try:
            evaluation = await evaluate(
                question_text=item.slot.follow_up if is_follow_up else question.text, question=question,
                answer_text=spoken or (code or {}).get("code", ""), language=view.details.interview_language,
                code_result=code_result, role=view.details.job_type, previous_answers=previous,
            )
        except BaseException:
            await events.publish_now("typing_indicator", view.session.uid, _typing(False))
            raise
        response_time = data.response_time
        if response_time is None:
            response_time = max(0, int((now - as_utc(item.slot.presented_at)).total_seconds()))
        answer = AiAnswer(
            session_id=view.session.id, question_id=question.id, user_id=principal.user_id,
            answer_text=text or "", code_submission=code, code_result=code_result,
            response_time=response_time, submitted_at=now, is_follow_up=is_follow_up,
        )
        session.add(answer)
        await session.flush()
        analysis = await store(session, analysis_from(
            evaluation, answer_id=answer.id, session_id=view.session.id, question_id=question.id,
            user_id=principal.user_id, question_text=item.slot.follow_up if is_follow_up else question.text,
            user_answer=spoken or (code or {}).get("code", ""), created_at=now,
        ))
        item.answers.append((answer, analysis))

        follow_up = None
        if not is_follow_up:
            item.slot.status = "answered"
            item.slot.answered_at = now
            item.slot.time_spent = max(0, int((now - as_utc(item.slot.presented_at)).total_seconds()))
            if settings.ai_follow_ups and analysis.follow_up_question:
                follow_up = analysis.follow_up_question
                item.slot.follow_up = follow_up
            solved = (code_result["passed"] == code_result["total"] > 0 if code_result
                      else analysis.total_score >= 60)
            await question_service.record_answer(session, question.id, score=analysis.total_score,
                                                 solved=bool(solved))
        await session.flush()

        language = view.details.interview_language
        limit = min(view.details.question_count, settings.ai_max_questions)
        remaining = max(0, limit - view.details.current_question_index)
        if follow_up:
            action = NextAction("follow_up", follow_up, settings.ai_follow_up_max_response_time)
        elif remaining == 0:
            action = NextAction("complete", persona.complete_message(language))
        else:
            action = NextAction("next_question", persona.next_question_message(language, remaining))
        events.emit(session, "answer_evaluated", view.session.uid, {
            "answer": {"answerId": answer.uid, "scores": dict(analysis.scores)},
            "aiResponse": {"content": analysis.summary, "sentiment": analysis.sentiment},
        })
        # After answer_evaluated, so that a client sees the evaluation before the
        # interviewer stops "typing".
        events.publish_on_commit(session, "typing_indicator", view.session.uid, _typing(False))
        return AnswerOutcome(view, item, answer, analysis, follow_up, action)

    # -- completion -------------------------------------------------------------
    async def complete(self, session: AsyncSession, principal: Principal, *, session_id: str,
                       now: datetime | None = None) -> Completion:
        """Close the session and write its feedback report. Presented but
        unanswered questions count as skipped (score 0)."""
        from interviewd.domain.feedback.service import feedback_service

        now = now or utcnow()
        view = await self._load(session, await self._visible(session, principal, session_id))
        await self._expire(session, view, now, refuse=True)
        if not any(item.evaluations for item in view.items):
            raise Conflict("Answer at least one question before completing the session")
        for item in view.items:
            if item.slot.status == "presented":
                item.slot.status = "skipped"
        figures = session_figures(view)
        view.session.status = "completed"
        view.session.completed_at = now
        view.session.overall_score = figures.overall_score
        view.session.duration_seconds = _elapsed(view.session, now)
        await session.flush()
        report = await feedback_service.generate(session, view=view, figures=figures, now=now)
        view.report = report
        events.emit(session, "session_completed", view.session.uid, {
            "session": {"sessionId": view.session.uid, "overallScore": figures.overall_score},
            "feedback": {"feedbackId": report.uid},
        })
        return Completion(view, figures, report)

    # -- internals ----------------------------------------------------------------
    @staticmethod
    async def _visible(session: AsyncSession, principal: Principal, uid: str) -> AiSessionView:
        row = await ai_session_repository.by_uid(session, uid)
        # Another user's session is "not found", so that ids cannot be probed.
        if row is None or row[0].user_id != principal.user_id:
            raise NotFound("Session not found")
        return AiSessionView(row[0], row[1])

    @staticmethod
    async def _load(session: AsyncSession, view: AiSessionView) -> AiSessionView:
        from interviewd.domain.questions.service import question_service

        items = [SessionItem(slot, question)
                 for slot, question in await ai_session_repository.items(session, view.session.id)]
        by_question = {item.question.id: item for item in items}
        for answer, analysis in await ai_session_repository.answers(session, view.session.id):
            item = by_question.get(answer.question_id)
            if item is not None:
                item.answers.append((answer, analysis))
        view.items = items
        coding = [item for item in items if item.question.type == "coding"]
        if coding:
            view.challenge = await question_service.challenge_for(session, coding[-1].question.id)
        return view

    @staticmethod
    async def _expire(session: AsyncSession, view: AiSessionView, now: datetime, *,
                      refuse: bool = False) -> None:
        """Abandon an open session past its maximum duration; with `refuse`,
        a closed session is a conflict (the abandonment is still committed)."""
        settings = runtime.current().settings
        s = view.session
        if s.status in OPEN:
            began = as_utc(s.started_at or s.created_at)
            if now - began > timedelta(seconds=settings.ai_session_max_duration):
                s.status = "abandoned"
                s.duration_seconds = settings.ai_session_max_duration
                await session.flush()
                if refuse:
                    raise Conflict("This session passed its maximum duration and was abandoned",
                                   details={"status": "abandoned"}, persist=True)
        if refuse and s.status not in OPEN:
            raise Conflict(f"This session is {s.status}", details={"status": s.status})

    @staticmethod
    async def _check_daily_sessions(session: AsyncSession, principal: Principal, now: datetime) -> None:
        limit = runtime.current().settings.ai_sessions_per_day
        if limit > 0:
            times = await ai_session_repository.created_since(session, principal.user_id,
                                                              now - timedelta(days=1))
            _check_window(times, limit, timedelta(days=1), now,
                          f"At most {limit} AI sessions a day", "24h")

    @staticmethod
    async def _check_answer_rate(session: AsyncSession, principal: Principal, now: datetime) -> None:
        limit = runtime.current().settings.ai_answers_per_minute
        if limit > 0:
            times = await ai_session_repository.answer_times_since(session, principal.user_id,
                                                                   now - timedelta(minutes=1))
            _check_window(times, limit, timedelta(minutes=1), now,
                          f"At most {limit} answers a minute", "1m")


def _check_window(times: list[datetime], limit: int, window: timedelta, now: datetime,
                  message: str, label: str) -> None:
    """Refuse when `limit` events already fall in the window ending now; the
    caller may retry once the oldest of them leaves it."""
    if len(times) >= limit:
        retry = as_utc(times[len(times) - limit]) + window - now
        raise RateLimited(message, retry_after=_seconds(retry),
                          details={"limit": limit, "window": label})


def session_figures(view: AiSessionView) -> SessionFigures:
    """Per question: the mean of its evaluations (answer and follow-up);
    skipped questions count 0 towards the overall score."""
    per_question, correctness, communication, logic = [], [], [], []
    for item in view.items:
        evaluations = item.evaluations
        if not evaluations:
            per_question.append(0.0)
            continue
        per_question.append(sum(e.total_score for e in evaluations) / len(evaluations))
        main = evaluations[0]
        correctness.append(float(main.scores.get("correctness", 0)))
        communication.append(float(main.scores.get("communication", 0)))
        logic.append(float(main.rubric.get("logic", 0)) * 4)

    def mean(values: list[float]) -> float:
        return round(sum(values) / len(values), 1) if values else 0.0

    return SessionFigures(
        overall_score=mean(per_question), accuracy=mean(correctness),
        communication_score=mean(communication), problem_solving_score=mean(logic),
        question_count=len(view.items),
    )


def _languages(data: AiSessionCreate, principal: Principal) -> tuple[str, str | None]:
    programming = data.language
    interview = data.interview_language
    if programming in ("en", "ko"):
        interview = interview or programming
        programming = None
    if interview is None:
        preferred = (principal.user.preferences or {}).get("language")
        interview = preferred if preferred in ("en", "ko") else "en"
    return interview, programming


def _planned_questions(data: AiSessionCreate, settings) -> int:
    if data.question_count is not None:
        if data.question_count > settings.ai_max_questions:
            raise ValidationFailed(f"questionCount must be at most {settings.ai_max_questions}",
                                   field="questionCount", details={"value": data.question_count})
        return data.question_count
    if data.duration is not None:
        return max(1, min(settings.ai_max_questions, round(data.duration / settings.ai_minutes_per_question)))
    return min(settings.ai_default_question_count, settings.ai_max_questions)


def _validated_answer(data: AnswerSubmit, settings) -> tuple[str | None, dict | None]:
    text = data.answer_text.strip() if data.answer_text is not None else None
    low, high = settings.ai_answer_min_chars, settings.ai_answer_max_chars
    code = None
    if data.code_submission is not None:
        sub = data.code_submission
        if sub.language not in CODE_LANGUAGES:
            raise ValidationFailed(f"codeSubmission.language must be one of {', '.join(CODE_LANGUAGES)}",
                                   field="codeSubmission.language", details={"value": sub.language})
        if not sub.code.strip():
            raise ValidationFailed("codeSubmission.code must not be empty", field="codeSubmission.code")
        if len(sub.code) > settings.ai_code_max_chars:
            raise ValidationFailed(f"codeSubmission.code must be at most {settings.ai_code_max_chars} "
                                   "characters", field="codeSubmission.code")
        code = {"language": sub.language, "code": sub.code,
                "approachExplanation": (sub.approach_explanation or "").strip() or None}
    if text is None and code is None:
        raise ValidationFailed(f"answerText is required ({low}-{high} characters) unless codeSubmission "
                               "is given", field="answerText")
    if text is not None and not low <= len(text) <= high:
        raise ValidationFailed(f"answerText must be {low} to {high} characters long", field="answerText",
                               details={"length": len(text)})
    return text or None, code


async def _run_code(session: AsyncSession, question_id: int, code: dict) -> dict:
    """Run the submission against every test; the stored report is the
    public one (hidden tests say only whether they passed)."""
    from interviewd.domain.questions.service import question_service

    challenge = await question_service.challenge_for(session, question_id)
    if challenge is None:
        return {"status": "not_run", "message": "This question has no tests", "passed": 0, "total": 0,
                "results": []}
    from interviewd.adapters.sandbox import create_code_runner
    from interviewd.adapters.sandbox.base import SandboxUnavailable

    language = code["language"]
    try:
        runner = create_code_runner(runtime.current().settings)
        report = await runner.run(language=language, source=code["code"],
                                  function_name=challenge.function_name[language],
                                  tests=list(challenge.tests), comparison=challenge.comparison)
    except SandboxUnavailable as exc:
        log.warning("sandbox_unavailable", error=str(exc))
        return {"status": "unavailable", "message": "Code could not be run on this server",
                "passed": 0, "total": len(challenge.tests), "results": []}
    return report.public()


def _typing(is_typing: bool) -> dict:
    return {"isTyping": is_typing, "userId": events.AI_INTERVIEWER}


def _elapsed(row: InterviewSession, now: datetime) -> int | None:
    began = row.started_at
    return max(0, int((now - as_utc(began)).total_seconds())) if began else None


def _seconds(delta: timedelta) -> int:
    return max(1, math.ceil(delta.total_seconds()))


interview_service = InterviewService()
