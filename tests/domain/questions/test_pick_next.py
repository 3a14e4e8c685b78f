from __future__ import annotations

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.domain.questions.repository import search_text
from interviewd.domain.questions.service import normalised_hash, question_service
from interviewd.models.question import Question


async def _add(session, key, type, difficulty, category, language="en", tags=()):
    text = f"Question {key} about {category} in detail please"
    q = Question(key=key, type=type, difficulty=difficulty, category=category, language=language,
                 title=key, text=text, text_hash=normalised_hash(text), tags=list(tags),
                 search_text=search_text(key, text, category, tags))
    session.add(q)
    await session.flush()
    return q


async def test_pick_next_follows_mode_and_relaxes_in_order(client):
    async with unit_of_work(runtime.current().sessionmaker) as session:
        algo = await _add(session, "algo-hard", "technical", "hard", "algorithms", tags=["graphs"])
        db = await _add(session, "db-easy", "theory", "easy", "databases", tags=["sql"])
        star = await _add(session, "star", "behavioral", "medium", "behavioral")
        ko = await _add(session, "ko-star", "behavioral", "medium", "behavioral", language="ko")
        code = await _add(session, "code", "coding", "easy", "algorithms")
        pick = question_service.pick_next

        q = await pick(session, mode="technical", difficulty="hard", topics=["graphs"], language="en",
                       exclude_ids=set(), include_coding=False)
        assert q.id == algo.id
        # Topic and difficulty are relaxed rather than running dry.
        q = await pick(session, mode="technical", difficulty="hard", topics=["graphs"], language="en",
                       exclude_ids={algo.id}, include_coding=False)
        assert q.id == db.id
        q = await pick(session, mode="technical", difficulty=None, topics=[], language="en",
                       exclude_ids={algo.id, db.id}, include_coding=False)
        assert q is None
        q = await pick(session, mode="technical", difficulty=None, topics=[], language="en",
                       exclude_ids={algo.id, db.id}, include_coding=True)
        assert q.id == code.id
        q = await pick(session, mode="technical", difficulty=None, topics=[], language="en",
                       exclude_ids=set(), include_coding=True, want_type="coding")
        assert q.id == code.id
        # The interview language first, then English.
        q = await pick(session, mode="behavioral", difficulty="medium", topics=[], language="ko",
                       exclude_ids=set(), include_coding=False)
        assert q.id == ko.id
        q = await pick(session, mode="behavioral", difficulty="medium", topics=[], language="ko",
                       exclude_ids={ko.id}, include_coding=False)
        assert q.id == star.id
