"""/api/questions (003's shapes, 004's extra routes) and /api/admin/questions (004)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.questions.schemas import QuestionCreate, QuestionUpdate
from interviewd.domain.questions.service import question_service, validate_topics
from interviewd.errors import ValidationFailed
from interviewd.kit.principal import Principal
from interviewd.surfaces.candidate.question_shapes import question_admin, question_detail, question_summary
from interviewd.surfaces.candidate.shapes import CamelModel
from interviewd.web.deps import admin_principal, current_principal, db_session
from interviewd.web.ratelimit import client_address

router = APIRouter(prefix="/questions", tags=["questions"])
admin_router = APIRouter(prefix="/admin/questions", tags=["admin"])

QuestionType = Literal["behavioral", "situational", "theory", "technical", "coding"]
Difficulty = Literal["easy", "medium", "hard"]
Language = Literal["en", "ko"]

_LABELS = {"easy": "Easy", "medium": "Medium", "hard": "Hard"}


@router.get("", summary="Browse the question bank")
async def list_questions(
    type: QuestionType | None = None,
    difficulty: Difficulty | None = None,
    category: str | None = Query(default=None, max_length=60),
    topics: str | None = Query(default=None, max_length=500, description="Comma-separated topics"),
    language: Language | None = None,
    search: str | None = Query(default=None, max_length=200, description="Words to find"),
    limit: int = Query(default=20, ge=1, le=100),
    offset: int = Query(default=0, ge=0),
    _principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """Filters combine; `filters` lists what the bank offers (facets)."""
    page = await question_service.browse(
        session, type=type, difficulty=difficulty, category=category, topics=validate_topics(topics),
        language=language, search=search, limit=limit, offset=offset,
    )
    return {
        "success": True,
        "questions": [question_summary(q) for q in page.questions],
        "pagination": {"total": page.total, "limit": limit, "offset": offset,
                       "hasMore": offset + len(page.questions) < page.total},
        "filters": page.facets,
    }


@router.get("/random", summary="Random questions")
async def random_questions(
    count: int = Query(default=5, ge=1, le=50),
    difficulty: Difficulty | None = None,
    type: QuestionType | None = None,
    language: Language | None = None,
    _principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    questions = await question_service.random(session, count=count, difficulty=difficulty, type=type,
                                              language=language)
    return {"success": True, "questions": [question_summary(q) for q in questions]}


@router.get("/categories", summary="Categories of the bank, with counts")
async def categories(
    _principal: Principal = Depends(current_principal), session: AsyncSession = Depends(db_session)
) -> dict:
    rows = await question_service.counts(session, "category")
    return {"success": True, "categories": [
        {"id": c, "name": c.replace("-", " ").title(), "count": n} for c, n in rows]}


@router.get("/difficulties", summary="Difficulty levels, with counts")
async def difficulties(
    _principal: Principal = Depends(current_principal), session: AsyncSession = Depends(db_session)
) -> dict:
    rows = await question_service.counts(session, "difficulty")
    return {"success": True, "difficulties": [
        {"id": d, "name": _LABELS.get(d, d.title()), "count": n} for d, n in rows]}


class GenerateRequest(CamelModel):
    category: str = Field(min_length=2, max_length=60, pattern=r"^[a-z0-9][a-z0-9-]*$")
    difficulty: Difficulty = "medium"
    type: Literal["behavioral", "situational", "theory", "technical"] = "technical"
    language: Language = "en"
    count: int = Field(default=1, ge=1, le=10)


@router.post("/generate", status_code=201, summary="Generate new questions")
async def generate(
    body: GenerateRequest,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """Through the configured LLM, else the built-in generator. New questions
    are stored (source `generated`) and never repeat an existing one."""
    created = await question_service.generate(
        session, principal, category=body.category, difficulty=body.difficulty, type=body.type,
        language=body.language, count=body.count,
    )
    return {"success": True, "generated": len(created),
            "questions": [question_detail(q) for q in created]}


@router.get("/{question_id}", summary="One question")
async def get_question(
    question_id: str,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    question = await question_service.get(session, question_id=question_id, principal=principal)
    challenge = await question_service.challenge_for(session, question.id)
    similar = await question_service.similar(session, question)
    if principal.is_admin:
        return {"success": True, "question": {**question_admin(question, challenge),
                                              "similarQuestions": [s.uid for s in similar]}}
    return {"success": True, "question": question_detail(question, challenge, similar)}


class AdminQuestionBody(CamelModel):
    """004's Question fields; `question` is the text (003 calls it `text`)."""

    type: QuestionType
    category: str = Field(min_length=2, max_length=60, pattern=r"^[a-z0-9][a-z0-9-]*$")
    difficulty: Difficulty
    language: Language = "en"
    title: str | None = Field(default=None, max_length=255)
    question: str | None = Field(default=None, min_length=10, max_length=5000)
    text: str | None = Field(default=None, min_length=10, max_length=5000)
    tags: list[str] = Field(default_factory=list, max_length=20)
    expected_keywords: list[str] = Field(default_factory=list, max_length=30)
    sample_answer: str = Field(default="", max_length=10000)
    evaluation_criteria: dict[str, str] = Field(default_factory=dict)
    hints: list[str] = Field(default_factory=list, max_length=10)
    follow_up_questions: list[str] = Field(default_factory=list, max_length=10)
    estimated_time: int = Field(default=5, ge=1, le=120)


class AdminQuestionPatch(CamelModel):
    type: QuestionType | None = None
    category: str | None = Field(default=None, min_length=2, max_length=60, pattern=r"^[a-z0-9][a-z0-9-]*$")
    difficulty: Difficulty | None = None
    language: Language | None = None
    title: str | None = Field(default=None, max_length=255)
    question: str | None = Field(default=None, min_length=10, max_length=5000)
    text: str | None = Field(default=None, min_length=10, max_length=5000)
    tags: list[str] | None = Field(default=None, max_length=20)
    expected_keywords: list[str] | None = Field(default=None, max_length=30)
    sample_answer: str | None = Field(default=None, max_length=10000)
    evaluation_criteria: dict[str, str] | None = None
    hints: list[str] | None = Field(default=None, max_length=10)
    follow_up_questions: list[str] | None = Field(default=None, max_length=10)
    estimated_time: int | None = Field(default=None, ge=1, le=120)
    is_active: bool | None = None


@admin_router.post("", status_code=201, summary="Add a question")
async def admin_create(
    body: AdminQuestionBody,
    request: Request,
    principal: Principal = Depends(admin_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    data = body.model_dump(exclude={"question", "text"})
    text = body.question or body.text
    if not text:
        raise ValidationFailed("question (the text) is required", field="question")
    question = await question_service.create(session, principal, data=QuestionCreate(text=text, **data),
                                             ip_address=client_address(request))
    return {"success": True, "question": question_admin(question)}


@admin_router.put("/{question_id}", summary="Update a question")
async def admin_update(
    question_id: str,
    body: AdminQuestionPatch,
    request: Request,
    principal: Principal = Depends(admin_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    values = body.model_dump(exclude_unset=True, exclude={"question", "text"})
    text = body.question or body.text
    if text:
        values["text"] = text
    question = await question_service.update(session, principal, question_id=question_id,
                                             data=QuestionUpdate(**values),
                                             ip_address=client_address(request))
    challenge = await question_service.challenge_for(session, question.id)
    return {"success": True, "question": question_admin(question, challenge)}


@admin_router.delete("/{question_id}", status_code=204, summary="Retire a question")
async def admin_delete(
    question_id: str,
    request: Request,
    principal: Principal = Depends(admin_principal),
    session: AsyncSession = Depends(db_session),
) -> Response:
    """A soft delete: the question leaves the bank, past sessions keep it."""
    await question_service.delete(session, principal, question_id=question_id,
                                  ip_address=client_address(request))
    return Response(status_code=204)
