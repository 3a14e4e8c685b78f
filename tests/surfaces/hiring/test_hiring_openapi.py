"""/api/v1 has its own documentation and OpenAPI 3.1 document."""

from __future__ import annotations


async def test_api_v1_docs_and_openapi(client):
    document = await client.get("/api/v1/openapi.json")
    assert document.status_code == 200
    spec = document.json()
    assert spec["openapi"].startswith("3.1")
    paths = spec["paths"]
    for path in ("/auth/login", "/auth/registration/", "/auth/refresh", "/auth/change-password",
                 "/auth/logout", "/admin/auth/login", "/admin/users/pending", "/admin/users/{user_id}"):
        assert path in paths, path
    # Both body forms of sign-in are documented.
    login_body = paths["/auth/login"]["post"]["requestBody"]["content"]
    assert {"application/json", "application/x-www-form-urlencoded"} <= set(login_body)
    assert not any(path.startswith("/api/") for path in paths)

    docs = await client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert docs.headers["content-type"].startswith("text/html")
    # The page loads the document of this surface, where it is mounted.
    assert "/api/v1/openapi.json" in docs.text


async def test_api_has_a_different_document(client):
    v1 = (await client.get("/api/v1/openapi.json")).json()
    api = await client.get("/api/openapi.json")
    assert api.status_code == 200
    spec = api.json()
    assert spec["openapi"].startswith("3.1")
    assert spec != v1
    assert spec["info"]["title"] != v1["info"]["title"]
    assert "/auth/register" in spec["paths"] and "/auth/register" not in v1["paths"]
    assert "/auth/registration/" not in spec["paths"]

    docs = await client.get("/api/docs")
    assert docs.status_code == 200
    assert "/api/openapi.json" in docs.text and "/api/v1/openapi.json" not in docs.text
