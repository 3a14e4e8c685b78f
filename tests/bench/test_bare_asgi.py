"""The benchmark's ceiling app answers like /api/ping, so that the two are comparable."""

from __future__ import annotations

import httpx
from asgi_lifespan import LifespanManager

from bench.bare_asgi import app as bare_app


async def test_bare_asgi_answers_what_api_ping_answers(client):
    async with LifespanManager(bare_app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as bare:
            answer = await bare.get("/")
            posted = await bare.post("/anything", content=b"x" * 70_000)

    ping = await client.get("/api/ping")
    assert ping.status_code == answer.status_code == 200
    assert answer.json() == ping.json() == {"message": "pong"}
    assert answer.headers["content-type"] == "application/json"
    assert int(answer.headers["content-length"]) == len(answer.content)
    # A request body is read to its end first, so keep-alive connections stay usable.
    assert posted.status_code == 200 and posted.json() == {"message": "pong"}
