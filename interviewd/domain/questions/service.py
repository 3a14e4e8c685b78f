"""The question bank: browsing (003/004), picking the next question of an AI
session, generation, administration and seeding from content files."""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.audit.service import audit_service
from interviewd.domain.questions.generator import builtin_drafts
from interviewd.domain.questions.repository import question_repository, search_text
from interviewd.domain.questions.schemas import QuestionCreate, QuestionDraft, QuestionUpdate
from interviewd.errors import Conflict, NotFound, ValidationFailed
from interviewd.kit.clock import utcnow
from interviewd.kit.principal import Principal
from interviewd.models.question import CodingChallenge, Question

MODE_TYPES = {
    "technical": ["technical", "theory"],
    "behavioral": ["behavioral"],
    "situational": ["situational"],
    "system_design": ["technical", "theory", "situational"],
    "mixed": ["technical", "theory", "behavioral", "situational"],
}
DIFFICULTY_ORDER = ["easy", "medium", "hard"]


def normalised_hash(text: str) -> str:
    """Same question, different spacing or punctuation: same hash."""
    words = re.findall(r"\w+", text.lower())
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


@dataclass(frozen=True)
class QuestionPage:
    questions: list[Question]
    total: int
    facets: dict


class QuestionService:
    # -- reading ------------------------------------------------------------
    async def browse(
        self, session: AsyncSession, *, type: str | None = None, difficulty: str | None = None,
        category: str | None = None, topics: list[str] | None = None, language: str | None = None,
        search: str | None = None, limit: int = 20, offset: int = 0,
    ) -> QuestionPage:
        """Active questions matching the filters, with facets of the whole bank."""
        stmt = question_repository.filtered(
            types=[type] if type else None, difficulty=difficulty, category=category,
            topics=topics, language=language, search=search,
        ).order_by(Question.category, Question.difficulty, Question.id)
        questions, total = await question_repository.page(session, stmt, limit=limit, offset=offset)
        return QuestionPage(questions, total, await self.facets(session, language=language))

    async def facets(self, session: AsyncSession, *, language: str | None = None) -> dict:
        types = [t for t, _ in await question_repository.count_by(session, Question.type, language=language)]
        difficulties = [d for d, _ in await question_repository.count_by(
            session, Question.difficulty, language=language)]
        categories = [c for c, _ in await question_repository.count_by(
            session, Question.category, language=language)]
        topics: dict[str, int] = {}
        for tags in await question_repository.active_tags(session, language=language):
            for tag in tags:
                topics[tag] = topics.get(tag, 0) + 1
        return {
            "types": types,
            "difficulties": sorted(difficulties, key=_difficulty_rank),
            "categories": categories,
            "topics": sorted(topics, key=lambda t: (-topics[t], t))[:100],
        }

    async def counts(self, session: AsyncSession, column: str) -> list[tuple[str, int]]:
        rows = await question_repository.count_by(session, getattr(Question, column))
        if column == "difficulty":
            rows.sort(key=lambda r: _difficulty_rank(r[0]))
        return rows

    async def get(self, session: AsyncSession, *, question_id: str, principal: Principal | None = None
                  ) -> Question:
        question = await question_repository.by_uid(session, question_id)
        if question is None or (not question.is_active and not (principal and principal.is_admin)):
            raise NotFound("Question not found")
        return question

    async def similar(self, session: AsyncSession, question: Question, *, limit: int = 3) -> list[Question]:
        stmt = question_repository.filtered(
            category=question.category, language=question.language, exclude_ids=[question.id]
        ).order_by(Question.id)
        candidates = list(await session.scalars(stmt.limit(50)))
        tags = set(question.tags)
        candidates.sort(key=lambda q: (-len(tags & set(q.tags)), q.difficulty != question.difficulty, q.id))
        return candidates[:limit]

    async def random(self, session: AsyncSession, *, count: int, difficulty: str | None = None,
                     type: str | None = None, language: str | None = None) -> list[Question]:
        stmt = question_repository.filtered(
            types=[type] if type else None, difficulty=difficulty, language=language)
        ids = await question_repository.ids(session, stmt)
        return await question_repository.by_ids(session, random.sample(ids, min(count, len(ids))))

    async def challenge_for(self, session: AsyncSession, question_id: int) -> CodingChallenge | None:
        return await question_repository.challenge(session, question_id)

    # -- AI sessions --------------------------------------------------------
    async def pick_next(
        self, session: AsyncSession, *, mode: str, difficulty: str | None, topics: list[str],
        language: str, exclude_ids: set[int], include_coding: bool, want_type: str | None = None,
    ) -> Question | None:
        """A question for an AI session. Preference order: the exact type,
        difficulty, topics and language asked for; then relax topics, then
        difficulty, then language (to English), so a session never runs dry
        while the bank has anything suitable left."""
        types = [want_type] if want_type else list(MODE_TYPES.get(mode, MODE_TYPES["mixed"]))
        if include_coding and not want_type and mode in ("technical", "mixed"):
            types.append("coding")
        category = "system-design" if mode == "system_design" else None
        languages = [language] + (["en"] if language != "en" else [])
        relaxations = ((difficulty, topics), (difficulty, None), (None, topics), (None, None))
        attempts = [(lang, diff, tops) for lang in languages for diff, tops in relaxations]
        for lang, diff, tops in attempts:
            stmt = question_repository.filtered(
                types=types, difficulty=diff, category=category, topics=tops or None,
                language=lang, exclude_ids=exclude_ids,
            )
            ids = await question_repository.ids(session, stmt)
            if ids:
                return await question_repository.get(session, random.choice(ids))
        return None

    async def record_use(self, session: AsyncSession, question_id: int) -> None:
        await question_repository.increment(session, question_id, usage_count=1)

    async def record_answer(self, session: AsyncSession, question_id: int, *, score: float,
                            solved: bool) -> None:
        question = await question_repository.get(session, question_id)
        if question is None:
            return
        previous = question.average_score or 0.0
        question.answer_count += 1
        question.average_score = round(previous + (score - previous) / question.answer_count, 2)
        if solved:
            question.solved_count += 1
        await session.flush()

    # -- writing ------------------------------------------------------------
    async def create(self, session: AsyncSession, principal: Principal, *, data: QuestionCreate,
                     ip_address: str | None = None) -> Question:
        """Add a question to the bank (admins); audited."""
        principal.require_admin()
        values = data.model_dump()
        values["title"] = values["title"] or _title_from(data.text)
        question = await self._insert(
            session, QuestionDraft(**values), source="admin", created_by=principal.user_id,
        )
        if question is None:
            raise Conflict("An identical question already exists", field="text")
        await audit_service.record(session, principal, action="question.create", target_type="question",
                                   target_id=question.uid, ip_address=ip_address,
                                   details={"title": question.title, "category": question.category})
        return question

    async def update(self, session: AsyncSession, principal: Principal, *, question_id: str,
                     data: QuestionUpdate, ip_address: str | None = None) -> Question:
        """Change a question (admins); audited with the names of the changed fields."""
        principal.require_admin()
        question = await self.get(session, question_id=question_id, principal=principal)
        values = data.model_dump(exclude_unset=True)
        if values.get("is_active") is None:
            values.pop("is_active", None)
        for field, value in values.items():
            setattr(question, field, value)
        question.text_hash = normalised_hash(question.text)
        question.search_text = search_text(question.title, question.text, question.category, question.tags)
        if question.is_active:
            question.deleted_at = None
        try:
            async with session.begin_nested():
                await session.flush()
        except IntegrityError:
            raise Conflict("An identical question already exists", field="text") from None
        await audit_service.record(session, principal, action="question.update", target_type="question",
                                   target_id=question.uid, ip_address=ip_address,
                                   details={"fields": sorted(values)})
        return question

    async def delete(self, session: AsyncSession, principal: Principal, *, question_id: str,
                     ip_address: str | None = None) -> None:
        """Retire a question (audited). It stays in the database, so past
        sessions and their answers keep pointing at what was actually asked."""
        principal.require_admin()
        question = await self.get(session, question_id=question_id, principal=principal)
        question.is_active = False
        question.deleted_at = utcnow()
        await session.flush()
        await audit_service.record(session, principal, action="question.delete", target_type="question",
                                   target_id=question.uid, ip_address=ip_address,
                                   details={"title": question.title})

    async def generate(
        self, session: AsyncSession, principal: Principal, *, category: str, difficulty: str,
        type: str, language: str, count: int,
    ) -> list[Question]:
        """New questions through the LLM port when configured, otherwise the
        built-in generator; stored as `generated`, never duplicating one."""
        existing = [q.text for q in await session.scalars(
            question_repository.filtered(category=category, language=language).limit(200))]
        created: list[Question] = []
        for draft in await self._drafts(category, difficulty, type, language, count * 4, existing):
            question = await self._insert(session, draft, source="generated", created_by=principal.user_id)
            if question is not None:
                created.append(question)
                existing.append(question.text)
            if len(created) == count:
                break
        if not created:
            raise Conflict("No new question could be generated for these filters")
        return created

    async def _drafts(self, category, difficulty, type, language, want, existing) -> list[QuestionDraft]:
        drafts: list[QuestionDraft] = []
        try:
            from interviewd.domain.evaluation.service import evaluation_service
        except ImportError:  # the evaluation package is optional for the bank itself
            evaluation_service = None
        generate = getattr(evaluation_service, "generate_question", None)
        if generate is not None:
            for _ in range(min(want, 5)):
                draft = await generate(category=category, difficulty=difficulty, type=type,
                                       language=language, avoid=existing[-50:])
                if draft is None:
                    break
                drafts.append(QuestionDraft.model_validate(_as_dict(draft)))
        drafts.extend(builtin_drafts(category=category, difficulty=difficulty, type=type,
                                     language=language, avoid=existing, count=want))
        return drafts

    async def _insert(self, session: AsyncSession, draft: QuestionDraft, *, source: str,
                      created_by: int | None = None, key: str | None = None) -> Question | None:
        """Store a draft; None when an identical question already exists."""
        text_hash = normalised_hash(draft.text)
        if await question_repository.by_text_hash(session, draft.language, text_hash):
            return None
        title = draft.title or draft.text[:80]
        question = Question(
            key=key or f"{source}-{text_hash[:16]}", language=draft.language, type=draft.type,
            category=draft.category, difficulty=draft.difficulty, title=title, text=draft.text,
            text_hash=text_hash, tags=draft.tags,
            search_text=search_text(title, draft.text, draft.category, draft.tags),
            expected_keywords=draft.expected_keywords, sample_answer=draft.sample_answer,
            evaluation_criteria=draft.evaluation_criteria, hints=draft.hints,
            follow_up_questions=draft.follow_up_questions, estimated_time=draft.estimated_time,
            source=source, created_by=created_by,
        )
        try:
            async with session.begin_nested():
                await question_repository.add(session, question)
        except IntegrityError:
            return None
        return question


def _title_from(text: str) -> str:
    first = re.split(r"(?<=[.?!])\s", text.strip(), maxsplit=1)[0]
    return first if len(first) <= 80 else first[:77].rstrip() + "..."


def _difficulty_rank(value: str) -> int:
    return DIFFICULTY_ORDER.index(value) if value in DIFFICULTY_ORDER else len(DIFFICULTY_ORDER)


def _as_dict(draft) -> dict:
    return draft.model_dump() if hasattr(draft, "model_dump") else dict(draft)


def validate_topics(raw: str | None) -> list[str]:
    topics = [t.strip().lower() for t in (raw or "").split(",") if t.strip()]
    if len(topics) > 20:
        raise ValidationFailed("At most 20 topics", field="topics")
    return topics


question_service = QuestionService()
