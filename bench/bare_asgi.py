"""The ceiling for the load benchmark: the least an ASGI server can do per request.

A raw ASGI callable (no framework, no middleware, no database) that answers
every HTTP request with `{"message":"pong"}`, the same body as /api/ping.
Served by uvicorn with the settings `interviewd serve` uses, whatever one
request costs here is the floor set by uvicorn, the loopback network and the
load generator; the gap between this and an interviewd route is interviewd's.

    uvicorn --app-dir bench bare_asgi:app --port 8001
"""

from __future__ import annotations

BODY = b'{"message":"pong"}'
HEADERS = [
    (b"content-type", b"application/json"),
    (b"content-length", str(len(BODY)).encode()),
]


async def app(scope, receive, send) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    # Drain the request body so that keep-alive connections stay usable.
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})
