"""Socket.IO lives inside the root app: the other routes still answer, and
request ids, access metrics and CORS cover the Engine.IO endpoint too."""

from __future__ import annotations


async def test_engine_io_endpoint_is_served_beside_the_api(make_client):
    client = await make_client(cors_origins=["https://app.example.com"])
    opened = await client.get("/socket.io/", params={"EIO": "4", "transport": "polling"},
                              headers={"Origin": "https://app.example.com"})
    assert opened.status_code == 200, opened.text
    assert opened.text.startswith("0{") and '"sid"' in opened.text
    assert opened.headers.get("x-request-id")
    # One CORS answer, from the root app's middleware, not a second from Engine.IO.
    assert opened.headers.get_list("access-control-allow-origin") == ["https://app.example.com"]

    preflight = await client.options("/socket.io/", params={"EIO": "4", "transport": "polling"}, headers={
        "Origin": "https://app.example.com", "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 200
    assert preflight.headers.get_list("access-control-allow-origin") == ["https://app.example.com"]

    assert (await client.get("/api/ping")).json() == {"message": "pong"}
    assert (await client.get("/health")).status_code == 200
    metrics = (await client.get("/metrics")).text
    assert 'interviewd_http_requests_total{method="GET",route="/socket.io/",status="200"}' in metrics
