from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.kit.repository import Repository
from interviewd.models.question import CodingChallenge, Question


def search_text(title: str, text: str, category: str, tags: Iterable[str]) -> str:
    tag_part = "," + ",".join(t.lower() for t in tags) + ","
    return f"{title}\n{text}\n{category}\n{tag_part}".lower()


class QuestionRepository(Repository[Question]):
    model = Question

    async def by_uid(self, session: AsyncSession, uid: str) -> Question | None:
        return await session.scalar(select(Question).where(Question.uid == uid))

    async def by_key(self, session: AsyncSession, key: str) -> Question | None:
        return await session.scalar(select(Question).where(Question.key == key))

    async def by_text_hash(self, session: AsyncSession, language: str, text_hash: str) -> Question | None:
        return await session.scalar(
            select(Question).where(Question.language == language, Question.text_hash == text_hash)
        )

    def filtered(
        self,
        *,
        types: list[str] | None = None,
        difficulty: str | None = None,
        category: str | None = None,
        topics: list[str] | None = None,
        language: str | None = None,
        search: str | None = None,
        exclude_ids: Iterable[int] = (),
        include_inactive: bool = False,
    ) -> Select:
        stmt = select(Question)
        if not include_inactive:
            stmt = stmt.where(Question.is_active.is_(True))
        if types:
            stmt = stmt.where(Question.type.in_(types))
        if difficulty:
            stmt = stmt.where(Question.difficulty == difficulty)
        if category:
            stmt = stmt.where(Question.category == category)
        if language:
            stmt = stmt.where(Question.language == language)
        if topics:
            stmt = stmt.where(or_(*[
                or_(Question.category == topic, Question.search_text.contains(f",{topic},"))
                for topic in topics
            ]))
        if search:
            for word in search.lower().split()[:8]:
                stmt = stmt.where(Question.search_text.contains(word))
        exclude = list(exclude_ids)
        if exclude:
            stmt = stmt.where(Question.id.not_in(exclude))
        return stmt

    async def count_by(self, session: AsyncSession, column, *, language: str | None = None) -> list[tuple]:
        stmt = select(column, func.count()).where(Question.is_active.is_(True))
        if language:
            stmt = stmt.where(Question.language == language)
        rows = await session.execute(stmt.group_by(column).order_by(column))
        return [tuple(r) for r in rows]

    async def active_tags(self, session: AsyncSession, *, language: str | None = None) -> list[list[str]]:
        stmt = select(Question.tags).where(Question.is_active.is_(True))
        if language:
            stmt = stmt.where(Question.language == language)
        return list(await session.scalars(stmt))

    async def ids(self, session: AsyncSession, stmt: Select) -> list[int]:
        return list(await session.scalars(stmt.with_only_columns(Question.id).order_by(Question.id)))

    async def by_ids(self, session: AsyncSession, ids: list[int]) -> list[Question]:
        if not ids:
            return []
        rows = {q.id: q for q in await session.scalars(select(Question).where(Question.id.in_(ids)))}
        return [rows[i] for i in ids if i in rows]

    async def challenge(self, session: AsyncSession, question_id: int) -> CodingChallenge | None:
        return await session.get(CodingChallenge, question_id)

    async def increment(self, session: AsyncSession, question_id: int, **deltas: int) -> None:
        values = {name: getattr(Question, name) + delta for name, delta in deltas.items()}
        await session.execute(update(Question).where(Question.id == question_id).values(**values))


question_repository = QuestionRepository()
