from __future__ import annotations

import pytest

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.domain.questions.repository import search_text
from interviewd.domain.questions.service import normalised_hash
from interviewd.models.question import CodingChallenge, Question
from tests.conftest import bearer, register
from tests.domain.auth.factories import create_admin


async def _admin_headers(client) -> dict:
    admin = await create_admin()
    credentials = {"email": admin["email"], "password": admin["password"]}
    login = await client.post("/api/auth/login", json=credentials)
    return bearer(login.json()["tokens"]["accessToken"])


QUESTIONS = [
    {"type": "technical", "category": "databases", "difficulty": "easy", "title": "Indexes",
     "question": "How does a B-tree index speed up a lookup in a relational database?",
     "tags": ["indexing", "sql"], "expectedKeywords": ["b-tree", "lookup", "selectivity"],
     "sampleAnswer": "A B-tree keeps keys sorted ...", "evaluationCriteria": {"logic": "ordered"}},
    {"type": "theory", "category": "databases", "difficulty": "medium", "title": "Isolation",
     "question": "Explain the difference between read committed and serializable isolation.",
     "tags": ["transactions", "sql"]},
    {"type": "behavioral", "category": "behavioral", "difficulty": "medium", "title": "Conflict",
     "question": "Tell me about a time you disagreed with a teammate about a design.",
     "tags": ["conflict"]},
    {"type": "technical", "category": "frontend", "difficulty": "hard", "title": "Rendering",
     "question": "How would you find what makes a React list re-render too often?",
     "tags": ["react", "performance"]},
    {"type": "behavioral", "category": "behavioral", "difficulty": "easy", "language": "ko",
     "title": "갈등", "question": "팀원과 의견이 달랐던 경험을 말씀해 주세요. 어떻게 해결했나요?",
     "tags": ["conflict"]},
]


@pytest.fixture
async def bank(client):
    headers = await _admin_headers(client)
    created = []
    for body in QUESTIONS:
        response = await client.post("/api/admin/questions", json=body, headers=headers)
        assert response.status_code == 201, response.text
        created.append(response.json()["question"])
    return {"admin": headers, "questions": created}


async def test_browse_filters_pagination_and_facets(client, bank):
    user = bearer((await register(client))["tokens"]["accessToken"])
    everything = (await client.get("/api/questions", headers=user)).json()
    assert everything["success"] is True and everything["pagination"]["total"] == 5
    assert set(everything["filters"]["categories"]) == {"databases", "behavioral", "frontend"}
    assert everything["filters"]["difficulties"] == ["easy", "medium", "hard"]
    assert "sql" in everything["filters"]["topics"]

    page = (await client.get("/api/questions?limit=2&offset=0", headers=user)).json()
    assert len(page["questions"]) == 2 and page["pagination"]["hasMore"] is True
    last = (await client.get("/api/questions?limit=2&offset=4", headers=user)).json()
    assert len(last["questions"]) == 1 and last["pagination"]["hasMore"] is False

    async def titles(query: str) -> set[str]:
        response = await client.get(f"/api/questions?{query}", headers=user)
        assert response.status_code == 200, response.text
        return {q["title"] for q in response.json()["questions"]}

    assert await titles("category=databases") == {"Indexes", "Isolation"}
    assert await titles("type=behavioral&language=en") == {"Conflict"}
    assert await titles("language=ko") == {"갈등"}
    assert await titles("difficulty=hard") == {"Rendering"}
    assert await titles("topics=react,transactions") == {"Rendering", "Isolation"}
    assert await titles("search=b-tree%20lookup") == {"Indexes"}
    summary = (await client.get("/api/questions?category=frontend", headers=user)).json()["questions"][0]
    assert set(summary) >= {"questionId", "type", "category", "difficulty", "title", "estimatedTime",
                            "tags", "solvedCount", "successRate"}


async def test_bad_filters_are_validation_errors(client, bank):
    user = bearer((await register(client))["tokens"]["accessToken"])
    response = await client.get("/api/questions?difficulty=impossible", headers=user)
    assert response.status_code == 400
    assert response.json()["error"]["details"]["field"] == "difficulty"
    assert (await client.get("/api/questions?limit=0", headers=user)).status_code == 400
    assert (await client.get("/api/questions")).status_code == 401


async def test_candidates_never_see_answers_admins_do(client, bank):
    user = bearer((await register(client))["tokens"]["accessToken"])
    qid = bank["questions"][0]["questionId"]
    candidate = await client.get(f"/api/questions/{qid}", headers=user)
    assert candidate.status_code == 200
    body = candidate.json()["question"]
    assert body["description"].startswith("How does a B-tree")
    assert "sampleAnswer" not in body and "expectedKeywords" not in body
    admin = (await client.get(f"/api/questions/{qid}", headers=bank["admin"])).json()["question"]
    assert admin["expectedKeywords"] == ["b-tree", "lookup", "selectivity"]
    assert (await client.get("/api/questions/nope", headers=user)).status_code == 404


async def test_coding_challenge_hides_hidden_tests_and_solutions(client):
    user = bearer((await register(client))["tokens"]["accessToken"])
    async with unit_of_work(runtime.current().sessionmaker) as session:
        text = "Return the sum of two integers a and b."
        question = Question(key="test-sum", type="coding", category="algorithms", difficulty="easy",
                            title="Sum", text=text, text_hash=normalised_hash(text), tags=["math"],
                            search_text=search_text("Sum", text, "algorithms", ["math"]))
        session.add(question)
        await session.flush()
        session.add(CodingChallenge(
            question_id=question.id, function_name={"python": "add", "javascript": "add"},
            languages={"python": {"signature": "def add(a, b):", "starter": "def add(a, b):\n    pass",
                                  "solution": "def add(a, b):\n    return a + b  # SECRET-SOLUTION"},
                       "javascript": {"signature": "function add(a, b)", "starter": "function add(a, b) {}",
                                      "solution": "function add(a, b) { return a + b } // SECRET"}},
            tests=[{"input": [1, 2], "expected": 3, "hidden": False},
                   {"input": [40, 2], "expected": 424242, "hidden": True}],
        ))
        uid = question.uid
    response = await client.get(f"/api/questions/{uid}", headers=user)
    challenge = response.json()["question"]["codingChallenge"]
    assert challenge["examples"] == [{"input": [1, 2], "expected": 3}]
    assert challenge["hiddenTestCount"] == 1 and challenge["starterCode"]["python"].startswith("def add")
    assert "SECRET" not in response.text and "424242" not in response.text


async def test_random_categories_difficulties(client, bank):
    user = bearer((await register(client))["tokens"]["accessToken"])
    random = (await client.get("/api/questions/random?count=3&type=behavioral", headers=user)).json()
    assert {q["type"] for q in random["questions"]} == {"behavioral"} and len(random["questions"]) == 2
    cats = (await client.get("/api/questions/categories", headers=user)).json()["categories"]
    assert {c["id"]: c["count"] for c in cats} == {"behavioral": 2, "databases": 2, "frontend": 1}
    diffs = (await client.get("/api/questions/difficulties", headers=user)).json()["difficulties"]
    assert [d["id"] for d in diffs] == ["easy", "medium", "hard"]


async def test_generate_stores_new_questions_without_duplicates(client, bank):
    user = bearer((await register(client))["tokens"]["accessToken"])
    first = await client.post("/api/questions/generate", headers=user,
                              json={"category": "databases", "difficulty": "medium", "count": 3})
    assert first.status_code == 201, first.text
    second = await client.post("/api/questions/generate", headers=user,
                               json={"category": "databases", "difficulty": "medium", "count": 3})
    texts = [q["description"] for q in first.json()["questions"] + second.json()["questions"]]
    assert len(texts) == 6 and len({normalised_hash(t) for t in texts}) == 6
    qid = first.json()["questions"][0]["questionId"]
    admin_view = (await client.get(f"/api/questions/{qid}", headers=bank["admin"])).json()["question"]
    assert admin_view["source"] == "generated"
    korean = await client.post("/api/questions/generate", headers=user,
                               json={"category": "backend-apis", "type": "behavioral", "language": "ko"})
    assert korean.status_code == 201 and korean.json()["questions"][0]["language"] == "ko"


async def test_admin_crud_and_soft_delete(client, bank):
    user = bearer((await register(client))["tokens"]["accessToken"])
    body = {"type": "technical", "category": "go", "difficulty": "easy", "question": "What is a goroutine?"}
    assert (await client.post("/api/admin/questions", json=body, headers=user)).status_code == 403
    created = await client.post("/api/admin/questions", json=body, headers=bank["admin"])
    qid = created.json()["question"]["questionId"]
    duplicate = await client.post("/api/admin/questions", json={**body, "question": "What is a  goroutine?!"},
                                  headers=bank["admin"])
    assert duplicate.status_code == 409
    updated = await client.put(f"/api/admin/questions/{qid}", headers=bank["admin"],
                               json={"difficulty": "medium", "tags": ["concurrency"]})
    assert updated.status_code == 200 and updated.json()["question"]["difficulty"] == "medium"
    assert (await client.put(f"/api/admin/questions/{qid}", json={"difficulty": "x"},
                             headers=bank["admin"])).status_code == 400
    assert (await client.delete(f"/api/admin/questions/{qid}", headers=user)).status_code == 403
    assert (await client.delete(f"/api/admin/questions/{qid}", headers=bank["admin"])).status_code == 204
    assert (await client.get(f"/api/questions/{qid}", headers=user)).status_code == 404
    listed = (await client.get("/api/questions?category=go", headers=user)).json()
    assert listed["pagination"]["total"] == 0
    retired = (await client.get(f"/api/questions/{qid}", headers=bank["admin"])).json()["question"]
    assert retired["isActive"] is False and retired["deletedAt"]
    async with runtime.current().sessionmaker() as session:  # the row itself is kept
        assert await session.get(Question, int(await _id_of(session, qid))) is not None


async def _id_of(session, uid: str) -> int:
    from sqlalchemy import select

    return await session.scalar(select(Question.id).where(Question.uid == uid))
