"""GET /api/mentors: every filter of contract 000, search, pagination and facets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.domain.mentor.factories import make_mentor, review

NOW = datetime.now(UTC)


@pytest.fixture
async def mentors(client) -> dict[str, object]:
    """Four active mentors and one inactive one, each unlike the others."""
    made = {
        "ana": await make_mentor(
            name="Ana Costa", title="Senior Frontend Engineer", current_company="Google",
            previous_companies=["Meta"], skills=["React", "TypeScript"], languages=["English", "Portuguese"],
            specialties=["Frontend Interviews"], bio="I coach React performance.", experience=8,
            hourly_rate=120.0, tz="America/Sao_Paulo"),
        "ben": await make_mentor(
            name="Ben Okafor", title="Staff Backend Engineer", current_company="Stripe",
            previous_companies=["Google", "Uber"], skills=["Go", "PostgreSQL"], languages=["English"],
            specialties=["System Design"], bio="Large scale system design and APIs.", experience=14,
            hourly_rate=200.0, tz="Africa/Lagos"),
        "chen": await make_mentor(
            name="Chen Wei", title="Data Scientist", current_company="Alibaba", previous_companies=[],
            skills=["Python", "javascript"], languages=["Mandarin", "english"], specialties=["Statistics"],
            bio="Machine learning case studies.", experience=3, hourly_rate=60.0, tz="Asia/Shanghai"),
        "dora": await make_mentor(
            name="Dora Schmidt", title="Engineering Manager", current_company="SAP",
            previous_companies=["Meta"], skills=["JavaScript", "Leadership"], languages=["German", "Spanish"],
            specialties=["Behavioral Interviews", "System Design"], bio="Hiring manager view.",
            experience=20, hourly_rate=None, tz="Europe/Berlin"),
        "gone": await make_mentor(
            name="Gone Mentor", title="Retired", current_company="Oracle", skills=["COBOL"],
            languages=["Latin"], experience=40, hourly_rate=999.0, active=False),
    }
    await review(made["ana"], user_id=None, rating=5, comment="Great", when=NOW)
    await review(made["ana"], user_id=None, rating=4, comment="Good", when=NOW)
    await review(made["ben"], user_id=None, rating=5, comment="Superb", when=NOW)
    await review(made["chen"], user_id=None, rating=3, comment="Fine", when=NOW)
    return {name: m.uid for name, m in made.items()}


async def names(client, **params) -> list[str]:
    response = await client.get("/api/mentors", params=params)
    assert response.status_code == 200, response.text
    return [m["name"].split()[0].lower() for m in response.json()["mentors"]]


async def test_the_list_shape_and_its_order(client, mentors):
    response = await client.get("/api/mentors")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"mentors", "pagination", "filters"}
    # Best rated first; the inactive mentor never shows.
    assert [m["name"] for m in body["mentors"]] == ["Ben Okafor", "Ana Costa", "Chen Wei", "Dora Schmidt"]
    assert body["pagination"] == {"page": 1, "limit": 20, "total": 4, "totalPages": 1}
    ana = body["mentors"][1]
    assert set(ana) == {"id", "name", "title", "currentCompany", "previousCompanies", "avatar", "bio",
                        "specialties", "skills", "languages", "experience", "rating", "reviewCount",
                        "hourlyRate", "responseTime", "timezone", "availability"}
    assert ana["id"] == mentors["ana"] and ana["rating"] == 4.5 and ana["reviewCount"] == 2
    assert ana["hourlyRate"] == 120 and ana["timezone"] == "America/Sao_Paulo"
    # Every day 09:00-17:00 local: the next free starts, as UTC ISO strings.
    assert len(ana["availability"]) == 3
    assert all(s.endswith("Z") and datetime.fromisoformat(s) > NOW for s in ana["availability"])


async def test_list_filters_match_any_value_case_insensitively(client, mentors):
    assert await names(client, skills="react") == ["ana"]
    assert sorted(await names(client, skills="JavaScript")) == ["chen", "dora"]
    assert sorted(await names(client, skills="go, REACT")) == ["ana", "ben"]
    assert await names(client, skills="Haskell") == []
    # Companies match the current or a previous one.
    assert sorted(await names(client, companies="google")) == ["ana", "ben"]
    assert sorted(await names(client, companies="Meta,Alibaba")) == ["ana", "chen", "dora"]
    assert await names(client, companies="Oracle") == []  # only the inactive mentor
    assert sorted(await names(client, languages="English")) == ["ana", "ben", "chen"]
    assert sorted(await names(client, languages="spanish,portuguese")) == ["ana", "dora"]


async def test_number_filters(client, mentors):
    assert await names(client, rating_min=4.5) == ["ben", "ana"]
    assert await names(client, rating_min=5) == ["ben"]
    # Price filters leave out mentors without a rate.
    assert await names(client, price_min=100) == ["ben", "ana"]
    assert await names(client, price_max=120) == ["ana", "chen"]
    assert await names(client, price_min=61, price_max=199) == ["ana"]
    assert await names(client, experience_min=10) == ["ben", "dora"]
    assert await names(client, experience_min=20) == ["dora"]


async def test_filters_combine(client, mentors):
    assert await names(client, skills="javascript,go", languages="english", price_max=100) == ["chen"]
    assert await names(client, companies="google", experience_min=10, search="system design") == ["ben"]


async def test_search_needs_every_word(client, mentors):
    assert sorted(await names(client, search="system design")) == ["ben", "dora"]
    # The contract's own example: `+` in a query string is a space.
    response = await client.get("/api/mentors?search=system+design+apis")
    assert [m["name"] for m in response.json()["mentors"]] == ["Ben Okafor"]
    assert await names(client, search="REACT performance") == ["ana"]
    assert await names(client, search="manager") == ["dora"]  # title
    assert await names(client, search="chen statistics") == ["chen"]  # name and specialty
    assert await names(client, search="postgresql") == ["ben"]  # skill
    assert await names(client, search="react cobol") == []
    assert await names(client, search="100%_") == []
    assert len(await names(client, search="   ")) == 4


async def test_pagination(client, mentors):
    response = await client.get("/api/mentors", params={"limit": 3, "page": 2})
    body = response.json()
    assert [m["name"] for m in body["mentors"]] == ["Dora Schmidt"]
    assert body["pagination"] == {"page": 2, "limit": 3, "total": 4, "totalPages": 2}
    body = (await client.get("/api/mentors", params={"limit": 3, "page": 5})).json()
    assert body["mentors"] == [] and body["pagination"]["total"] == 4
    body = (await client.get("/api/mentors", params={"limit": 100, "skills": "react"})).json()
    assert body["pagination"] == {"page": 1, "limit": 100, "total": 1, "totalPages": 1}


@pytest.mark.parametrize("params", [
    {"page": 0}, {"page": "two"}, {"limit": 0}, {"limit": 101}, {"rating_min": 6}, {"rating_min": "high"},
    {"price_min": -1}, {"price_min": 100, "price_max": 50}, {"experience_min": -2},
    {"experience_min": "many"}, {"search": "x" * 201},
])
async def test_bad_parameters_are_400(client, params):
    response = await client.get("/api/mentors", params=params)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


async def test_facets_describe_all_active_mentors(client, mentors):
    expected = {
        "availableSkills": ["Go", "JavaScript", "Leadership", "PostgreSQL", "Python", "React", "TypeScript"],
        "availableCompanies": ["Alibaba", "Google", "Meta", "SAP", "Stripe", "Uber"],
        "availableLanguages": ["English", "German", "Mandarin", "Portuguese", "Spanish"],
        "priceRange": {"min": 60, "max": 200},
        "experienceRange": {"min": 3, "max": 20},
    }
    assert (await client.get("/api/mentors")).json()["filters"] == expected
    # The facets do not narrow with the filters.
    assert (await client.get("/api/mentors", params={"skills": "react"})).json()["filters"] == expected


async def test_facets_follow_profile_changes_made_through_the_api(client, mentors):
    from tests.conftest import bearer
    from tests.domain.mentor.factories import account

    first = (await client.get("/api/mentors")).json()["filters"]
    assert "Elixir" not in first["availableSkills"]
    mentor = await account(client)
    response = await client.post("/api/mentors", headers=bearer(mentor["token"]),
                                 json={"name": "New One", "skills": ["Elixir"], "hourlyRate": 500})
    assert response.status_code == 201
    after = (await client.get("/api/mentors")).json()["filters"]
    assert "Elixir" in after["availableSkills"] and after["priceRange"]["max"] == 500


async def test_an_empty_directory(client):
    body = (await client.get("/api/mentors")).json()
    assert body == {
        "mentors": [], "pagination": {"page": 1, "limit": 20, "total": 0, "totalPages": 0},
        "filters": {"availableSkills": [], "availableCompanies": [], "availableLanguages": [],
                    "priceRange": {"min": 0, "max": 0}, "experienceRange": {"min": 0, "max": 0}},
    }
