"""A small question bank inserted through the ORM, and helpers that walk an
AI session through HTTP the way a client does."""

from __future__ import annotations

import hashlib

import httpx
from sqlalchemy import update

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.models import CodingChallenge, InterviewSession, Question
from tests.conftest import bearer, register

CRITERIA = {
    "understanding": "Explains what the question is really about.",
    "logic": "Reasons step by step from the problem to a choice.",
    "specificity": "Names concrete structures, numbers and cases.",
    "jobFit": "Relates the answer to building production software.",
}

TECHNICAL = [
    ("hash-tables", "algorithms", "How does a hash table work?",
     "Explain how a hash table stores and finds keys, and what happens on collisions.",
     ["hash function", "buckets", "collision", "chaining", "load factor", "resize"],
     "A hash table maps keys to buckets with a hash function. Lookups are O(1) on average. Collisions "
     "are handled with chaining or open addressing, and the table resizes when the load factor grows."),
    ("http-caching", "backend-apis", "HTTP caching",
     "How would you make a read-heavy HTTP API cheaper to serve with caching?",
     ["cache-control", "etag", "cdn", "invalidation", "ttl", "stale"],
     "Set Cache-Control with a max-age (TTL), return ETag validators for conditional requests, put a CDN "
     "in front, and plan invalidation for writes; serve stale content while revalidating."),
    ("db-indexes", "databases", "Database indexes",
     "When does a database index speed up a query, and what does it cost?",
     ["b-tree", "selectivity", "write cost", "composite", "query plan", "storage"],
     "A B-tree index helps selective lookups and range scans; composite indexes follow column order. "
     "Every index costs storage and write time, so check the query plan before adding one."),
]

TWO_SUM_TESTS = [
    {"input": [[2, 7, 11, 15], 9], "expected": [0, 1], "hidden": False},
    {"input": [[3, 2, 4], 6], "expected": [1, 2], "hidden": False},
    {"input": [[3, 3], 6], "expected": [0, 1], "hidden": True},
    {"input": [[1, 5, 8, 12], 20], "expected": [2, 3], "hidden": True},
    {"input": [[-4, 10, 0, 7], 3], "expected": [0, 3], "hidden": True},
]
PY_SOLUTION = (
    "def two_sum(nums, target):\n"
    "    seen = {}\n"
    "    for i, n in enumerate(nums):\n"
    "        if target - n in seen:\n"
    "            return [seen[target - n], i]\n"
    "        seen[n] = i\n"
    "    return []\n"
)
JS_SOLUTION = (
    "function twoSum(nums, target) {\n"
    "  const seen = new Map();\n"
    "  for (let i = 0; i < nums.length; i++) {\n"
    "    if (seen.has(target - nums[i])) return [seen.get(target - nums[i]), i];\n"
    "    seen.set(nums[i], i);\n"
    "  }\n"
    "  return [];\n"
    "}\n"
)

GOOD_ANSWER = (
    "A hash table uses a hash function to map each key to one of an array of buckets, so a lookup is O(1) "
    "on average. When two keys land in the same bucket we have a collision: with chaining each bucket "
    "keeps a small list, with open addressing we probe the next slot. Because collisions grow with the "
    "load factor, the table resizes (for example doubling at 0.75) and rehashes every key. In a project "
    "last year I replaced a list scan with a dict and cut a 2 second request to 40 ms."
)


def _hash(text: str) -> str:
    return hashlib.sha256(text.lower().encode()).hexdigest()


def _question(key: str, *, type: str, category: str, title: str, text: str, keywords: list[str],
              sample: str, language: str = "en", difficulty: str = "medium") -> Question:
    return Question(
        key=key, language=language, type=type, category=category, difficulty=difficulty, title=title,
        text=text, text_hash=_hash(text), tags=[category], expected_keywords=keywords, sample_answer=sample,
        evaluation_criteria=CRITERIA, hints=["Start from the definition."],
        follow_up_questions=["What are the trade-offs?"], estimated_time=5, search_text=text.lower(),
    )


async def insert_bank(*, prefix: str = "t", language: str = "en", coding: bool = True,
                      technical: int = 3, behavioral: int = 2, difficulty: str = "medium") -> dict[str, int]:
    """Technical, behavioral and (optionally) one coding question; returns {key: id}."""
    rows: list[Question] = []
    for i in range(technical):
        key, category, title, text, keywords, sample = TECHNICAL[i % len(TECHNICAL)]
        suffix = f" ({prefix}{i})" if i >= len(TECHNICAL) or prefix != "t" else ""
        rows.append(_question(f"{prefix}-{key}-{i}", type="technical", category=category, title=title,
                              text=text + suffix, keywords=keywords, sample=sample, language=language,
                              difficulty=difficulty))
    for i in range(behavioral):
        rows.append(_question(
            f"{prefix}-conflict-{i}", type="behavioral", category="behavioral", title="A disagreement",
            text=f"Tell me about a time you disagreed with a teammate on a technical decision. ({prefix}{i})",
            keywords=["situation", "action", "result", "listened", "data"],
            sample="Situation: we disagreed on a database. Task: decide within a week. Action: I listened, "
                   "built a benchmark with data. Result: we chose Postgres and shipped on time.",
            language=language, difficulty=difficulty))
    challenge_question = None
    if coding:
        challenge_question = _question(
            f"{prefix}-two-sum", type="coding", category="algorithms", title="Two Sum",
            text=f"Given an array of integers nums and a target, return the indices of the two numbers that "
                 f"add up to target. ({prefix})",
            keywords=["hash map", "complement", "o(n)"],
            sample="Walk the array once, keeping a hash map from value to index; for each number look up "
                   "its complement.", language=language, difficulty=difficulty)
        rows.append(challenge_question)
    async with unit_of_work(runtime.current().sessionmaker) as session:
        session.add_all(rows)
        await session.flush()
        if challenge_question is not None:
            session.add(CodingChallenge(
                question_id=challenge_question.id,
                function_name={"python": "two_sum", "javascript": "twoSum"},
                languages={
                    "python": {"signature": "def two_sum(nums, target):",
                               "starter": "def two_sum(nums, target):\n    pass\n", "solution": PY_SOLUTION},
                    "javascript": {"signature": "function twoSum(nums, target)",
                                   "starter": "function twoSum(nums, target) {\n}\n",
                                   "solution": JS_SOLUTION},
                },
                tests=TWO_SUM_TESTS, comparison="exact",
            ))
        return {q.key: q.id for q in rows}


async def candidate(client: httpx.AsyncClient, **extra) -> dict:
    account = await register(client, **extra)
    token = account["tokens"]["accessToken"]
    return {**account, "token": token, "headers": bearer(token)}


async def start(client: httpx.AsyncClient, headers: dict, **body) -> dict:
    payload = {"mode": "technical", "jobType": "Backend Engineer", "difficulty": "medium",
               "questionCount": 3, **body}
    response = await client.post("/api/sessions", json=payload, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def reference_solution(question_uid: str, language: str = "python") -> str:
    """The challenge's reference solution, read through the question service."""
    from interviewd.domain.questions.service import question_service

    async with unit_of_work(runtime.current().sessionmaker) as session:
        question = await question_service.get(session, question_id=question_uid)
        challenge = await question_service.challenge_for(session, question.id)
        return challenge.languages[language]["solution"]


async def move_session_start(session_uid: str, **fields) -> None:
    """Move a session's clock fields (started_at, created_at...) into the past."""
    async with unit_of_work(runtime.current().sessionmaker) as session:
        await session.execute(update(InterviewSession).where(InterviewSession.uid == session_uid)
                              .values(**fields))
