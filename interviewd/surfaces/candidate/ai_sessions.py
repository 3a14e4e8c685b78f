"""/api/sessions* for AI interview sessions (003's shapes, 004's routes and
fields beside them)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Response
from fastapi.responses import Response as RawResponse
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.domain.booking.schemas import BookingCreate, BookingUpdate
from interviewd.domain.booking.service import booking_service
from interviewd.domain.feedback.service import download_url, feedback_service, share_url
from interviewd.domain.interview.schemas import (
    AiSessionCreate,
    AiSessionUpdate,
    AiSessionView,
    AnswerSubmit,
    NextAction,
    SessionItem,
)
from interviewd.domain.interview.service import interview_service
from interviewd.kit.clock import as_utc, isoformat_z, utcnow
from interviewd.kit.principal import Principal
from interviewd.surfaces.candidate import bookings
from interviewd.surfaces.candidate.bodies import parse_body
from interviewd.surfaces.candidate.feedback import feedback_summary
from interviewd.surfaces.candidate.question_shapes import challenge_public, question_detail
from interviewd.web.deps import current_principal, db_session

router = APIRouter(tags=["ai sessions"])


def _minutes(seconds: int | None) -> int | None:
    return None if seconds is None else round(seconds / 60)


def _elapsed_seconds(view: AiSessionView) -> int | None:
    s = view.session
    if s.duration_seconds is not None:
        return s.duration_seconds
    if s.started_at is None:
        return None
    end = s.completed_at or utcnow()
    return max(0, int((as_utc(end) - as_utc(s.started_at)).total_seconds()))


def interviewer(view: AiSessionView) -> dict:
    persona = view.details.persona or {}
    return {"name": persona.get("name"), "personality": persona.get("personality"),
            "experience": persona.get("experience")}


def session_core(view: AiSessionView) -> dict:
    s, d = view.session, view.details
    return {
        "sessionId": s.uid,
        "id": s.uid,
        "kind": s.kind,
        "mode": d.mode,
        "jobType": d.job_type,
        "category": d.category,
        "customCategory": d.custom_category,
        "difficulty": d.difficulty,
        "status": s.status,
        "title": s.title,
        "createdAt": isoformat_z(s.created_at),
        "startedAt": isoformat_z(s.started_at),
        "completedAt": isoformat_z(s.completed_at),
        "estimatedDuration": d.estimated_duration,
        "questionCount": d.question_count,
        "currentQuestionIndex": d.current_question_index,
        "language": d.programming_language,
        "interviewLanguage": d.interview_language,
        "includeCoding": d.include_coding,
        "topics": list(d.topics or []),
        "metadata": dict(d.client_metadata or {}),
        "aiInterviewer": interviewer(view),
    }


def _answer_brief(answer, analysis) -> dict:
    return {
        "answerId": answer.uid,
        "isFollowUp": answer.is_follow_up,
        "submittedAt": isoformat_z(answer.submitted_at),
        "responseTime": answer.response_time,
        "answerText": answer.answer_text,
        "codeSubmission": answer.code_submission,
        "codeResult": answer.code_result,
        "analysisId": analysis.uid if analysis else None,
        "totalScore": analysis.total_score if analysis else None,
        "scores": dict(analysis.scores) if analysis else None,
    }


def question_entry(item: SessionItem) -> dict:
    q, slot = item.question, item.slot
    main = next((a for a, _ in item.answers if not a.is_follow_up), None)
    return {
        "questionId": q.uid,
        "order": slot.order,
        "type": q.type,
        "category": q.category,
        "difficulty": q.difficulty,
        "title": q.title,
        "text": q.text,
        "status": slot.status,
        "presentedAt": isoformat_z(slot.presented_at),
        "answeredAt": isoformat_z(slot.answered_at),
        "responseTime": main.response_time if main else None,
        "timeSpent": slot.time_spent,
        "followUp": slot.follow_up,
        "answers": [_answer_brief(a, e) for a, e in item.answers],
    }


def coding_block(view: AiSessionView) -> dict | None:
    challenge = view.challenge
    item = next((i for i in reversed(view.items) if i.question.type == "coding"), None)
    if challenge is None or item is None:
        return None
    slot = item.slot
    status = {"presented": "in_progress", "answered": "completed"}.get(slot.status, slot.status)
    spent = slot.time_spent
    if spent is None and slot.status == "presented":
        spent = max(0, int((utcnow() - as_utc(slot.presented_at)).total_seconds()))
    return {
        "challengeId": item.question.uid,
        "questionId": item.question.uid,
        "title": item.question.title,
        "description": item.question.text,
        "difficulty": item.question.difficulty,
        "status": status,
        "startedAt": isoformat_z(slot.presented_at),
        "timeSpent": spent,
        **challenge_public(challenge),
    }


def session_body(view: AiSessionView) -> dict:
    body = {
        **session_core(view),
        "duration": _minutes(_elapsed_seconds(view)),
        "overallScore": view.session.overall_score,
        "questions": [question_entry(item) for item in view.items],
        "feedbackAvailable": view.report is not None,
        "feedbackId": view.report.uid if view.report else None,
    }
    block = coding_block(view)
    if block is not None:
        body["codingChallenge"] = block
    return body


def action_body(action: NextAction) -> dict:
    body: dict[str, Any] = {"type": action.type, "message": action.message}
    if action.type == "intro":
        body["estimatedTime"] = action.max_response_time
    else:
        body["maxResponseTime"] = action.max_response_time
    return body


def _inline_schema(model) -> dict:
    """The model's JSON schema with its $defs inlined: a `#/$defs/...`
    reference would point into the OpenAPI document, not the schema."""
    schema = model.model_json_schema(by_alias=True)
    defs = schema.pop("$defs", {})

    def resolve(node):
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return resolve(defs[ref.rsplit("/", 1)[1]])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    return resolve(schema)


@router.post(
    "/sessions", status_code=201, summary="Book a mentor or start an interview session",
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": {"anyOf": [
        _inline_schema(BookingCreate), _inline_schema(AiSessionCreate)]}}}, "required": True}},
)
async def create_session(
    body: dict[str, Any] = Body(default_factory=dict),
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """A body with `mentorId` books a mentor (000): `sessionType`,
    `scheduledAt` (ISO 8601, future, whole minute), `duration` (15-240
    minutes), `meetingType` video|audio|in-person, `recordSession`,
    `specialRequests`, `meetingLink`, `participantEmail`, `participantName`;
    answers `{success, session, emailSent}`. A taken time is 409 CONFLICT with
    `details.conflictingSessionId`; a time outside the mentor's availability
    or notice is 409 too (see docs/booking.md).

    A body without `mentorId` starts an AI interview session (003/004):
    `mode` technical|behavioral|mixed|system_design|situational, `jobType`,
    `difficulty`, `duration` (minutes), `language` (programming language; "en"
    or "ko" is read as the interview language), `interviewLanguage`,
    `includeCoding`, `topics`, 004's `category`/`customCategory`/`metadata`.
    Status `pending`; at most `ai_sessions_per_day` a day (429 beyond)."""
    if "mentorId" in body:
        return await bookings.book_mentor(body, principal, session)
    return await _start_ai_session(body, principal, session)


async def _start_ai_session(body: dict[str, Any], principal: Principal, session: AsyncSession) -> dict:
    data = parse_body(AiSessionCreate, body)
    view, action = await interview_service.create_session(session, principal, data=data)
    return {"success": True, "session": session_core(view), "nextAction": action_body(action)}


@router.get("/sessions/{session_id}", summary="An interview session")
async def get_session(
    session_id: str, principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """003's shape: the questions presented so far with their answers, and
    a `codingChallenge` block when a coding question was presented. A session
    past its maximum duration shows as `abandoned`. A mentor booking (`kind`
    booking) answers in 000's field names, for its candidate and its mentor."""
    if await booking_service.is_booking(session, session_id=session_id):
        return await bookings.show_booking(session_id, principal, session)
    view = await interview_service.get_session(session, principal, session_id=session_id)
    return {"success": True, "session": session_body(view)}


@router.put(
    "/sessions/{session_id}", summary="Update an interview session",
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": {"anyOf": [
        _inline_schema(AiSessionUpdate), _inline_schema(BookingUpdate)]}}}, "required": True}},
)
async def update_session(
    session_id: str, body: dict[str, Any] = Body(default_factory=dict),
    principal: Principal = Depends(current_principal), session: AsyncSession = Depends(db_session),
) -> dict:
    """004: change `title` or `metadata`, or set `status: "abandoned"` to end
    the session without a report (complete it with POST .../complete). On a
    mentor booking PUT is PATCH: the same body and rules."""
    if await booking_service.is_booking(session, session_id=session_id):
        return await bookings.change_booking(session_id, body, principal, session)
    data = parse_body(AiSessionUpdate, body)
    view = await interview_service.update_session(session, principal, session_id=session_id, data=data)
    return {"success": True, "session": session_body(view)}


@router.delete("/sessions/{session_id}", status_code=204, summary="Delete an interview session")
async def delete_session(
    session_id: str, principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> Response:
    """004: deletes the caller's session with its answers, evaluations and
    report. On a mentor booking DELETE cancels it (candidate or mentor; the
    record stays in both histories; already cancelled: 204 again)."""
    if await booking_service.is_booking(session, session_id=session_id):
        return await bookings.cancel_booking(session_id, principal, session)
    await interview_service.delete_session(session, principal, session_id=session_id)
    return Response(status_code=204)


@router.post("/sessions/{session_id}/questions/next", summary="Present the next question")
async def next_question(
    session_id: str, principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """The next question (hidden tests and reference solutions never
    included) and the session's progress. 409 when the session's questions
    are all asked, or the session is completed or abandoned."""
    result = await interview_service.next_question(session, principal, session_id=session_id)
    view, item = result.view, result.item
    settings = runtime.current().settings
    limit = min(view.details.question_count, settings.ai_max_questions)
    remaining = max(0, limit - view.details.current_question_index)
    question = {**question_detail(item.question, result.challenge), "order": item.slot.order,
                "status": item.slot.status, "presentedAt": isoformat_z(item.slot.presented_at)}
    return {
        "success": True,
        "question": question,
        "session": {
            "sessionId": view.session.uid,
            "status": view.session.status,
            "currentQuestionIndex": view.details.current_question_index,
            "totalQuestions": limit,
            "remainingQuestions": remaining,
            "estimatedTimeRemaining": round(item.question.estimated_time
                                            + remaining * settings.ai_minutes_per_question),
        },
    }


@router.post("/sessions/{session_id}/answers", summary="Answer the current question")
async def submit_answer(
    session_id: str, body: AnswerSubmit, principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """`answerText` (10-5000 characters) and/or `codeSubmission` {language
    python|javascript, code, approachExplanation}; code is run against the
    challenge's tests. When the answer leaves gaps the interviewer asks one
    follow-up (`nextAction.type` follow_up), answered through this route too."""
    outcome = await interview_service.submit_answer(session, principal, session_id=session_id, data=body)
    answer, evaluation = outcome.answer, outcome.evaluation
    content = evaluation.summary or " ".join(
        (evaluation.strengths or [])[:1] + (evaluation.improvements or [])[:1])
    return {
        "success": True,
        "answer": {
            "answerId": answer.uid,
            "questionId": outcome.item.question.uid,
            "submittedAt": isoformat_z(answer.submitted_at),
            "responseTime": answer.response_time,
            "isFollowUp": answer.is_follow_up,
            "scores": dict(evaluation.scores),
            "totalScore": evaluation.total_score,
            "rubric": dict(evaluation.rubric),
            "codeResult": answer.code_result,
        },
        "aiResponse": {
            "responseId": evaluation.uid,
            "analysisId": evaluation.uid,
            "content": content,
            "sentiment": evaluation.sentiment,
            "followUp": outcome.follow_up is not None,
            "followUpQuestion": outcome.follow_up,
            "strengths": list(evaluation.strengths or []),
            "improvements": list(evaluation.improvements or []),
        },
        "nextAction": action_body(outcome.next_action),
    }


@router.post("/sessions/{session_id}/complete", summary="Complete the interview session")
async def complete_session(
    session_id: str, principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """Closes the session and writes its feedback report: 003's response with
    the session's figures, the feedback, and the transcript's PDF download
    and public share link (revocable with DELETE /api/feedback/{id}/share)."""
    done = await interview_service.complete(session, principal, session_id=session_id)
    view, figures, report = done.view, done.figures, done.report
    return {
        "success": True,
        "session": {
            "sessionId": view.session.uid,
            "status": view.session.status,
            "completedAt": isoformat_z(view.session.completed_at),
            "duration": _minutes(view.session.duration_seconds),
            "overallScore": figures.overall_score,
            "questionCount": figures.question_count,
            "accuracy": figures.accuracy,
            "communicationScore": figures.communication_score,
            "problemSolvingScore": figures.problem_solving_score,
        },
        "feedback": feedback_summary(report),
        "transcript": {"downloadUrl": download_url(view.session.uid),
                       "shareableLink": share_url(_report_view(view, report))},
    }


@router.get("/sessions/{session_id}/transcript.pdf", summary="Download the transcript PDF",
            response_class=RawResponse, responses={200: {"content": {"application/pdf": {}}}})
async def transcript_pdf(
    session_id: str, principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> RawResponse:
    """The report and every question and answer of a completed session, as a
    PDF. Owner only; 404 before completion."""
    name, data = await feedback_service.transcript_pdf(session, principal, session_id=session_id)
    return RawResponse(data, media_type="application/pdf",
                       headers={"Content-Disposition": f'attachment; filename="{name}"',
                                "Cache-Control": "private, no-store"})


def _report_view(view: AiSessionView, report):
    from interviewd.domain.feedback.service import ReportView

    return ReportView(report, view.session, view.details)
