"""Request ids, Prometheus metrics and JSON access logs."""

from __future__ import annotations

import re
import uuid

from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import unique_email


async def test_every_response_carries_a_generated_request_id(client):
    ids = set()
    for path in ("/health", "/api/ping", "/api/v1/auth/me-nothing", "/nowhere"):
        response = await client.get(path)
        request_id = response.headers["x-request-id"]
        assert re.fullmatch(r"[A-Za-z0-9._:\-]{8,128}", request_id), request_id
        ids.add(request_id)
    assert len(ids) == 4


async def test_a_valid_client_request_id_is_echoed_and_reported_in_errors(client):
    sent = "trace-" + uuid.uuid4().hex
    response = await client.post("/api/auth/login", headers={"X-Request-ID": sent},
                                 json={"email": unique_email(), "password": "Wrong-Password-1"})
    assert response.status_code == 401
    assert response.headers["x-request-id"] == sent
    assert response.json()["requestId"] == sent


async def test_an_invalid_client_request_id_is_replaced(client):
    for bad in ("x" * 300, "has spaces in it", "semi;colon"):
        response = await client.get("/api/nowhere", headers={"X-Request-ID": bad})
        assert response.status_code == 404
        request_id = response.headers["x-request-id"]
        assert request_id != bad
        assert len(request_id) <= 128
        assert response.json()["requestId"] == request_id


async def test_generated_request_id_matches_the_error_envelope(client):
    response = await client.get("/api/auth/profile")
    assert response.status_code == 401
    assert response.json()["requestId"] == response.headers["x-request-id"]


def _samples(text: str, name: str) -> list:
    return [s for family in text_string_to_metric_families(text) for s in family.samples
            if s.name == name]


def _count(text: str, **labels: str) -> float:
    return sum(s.value for s in _samples(text, "interviewd_http_requests_total")
               if all(s.labels.get(k) == v for k, v in labels.items()))


async def test_metrics_are_labelled_by_route_template(client):
    before = (await client.get("/metrics")).text
    template = "/api/v1/admin/users/{user_id}"
    response = await client.get("/api/v1/admin/users/123")
    assert response.status_code == 401
    assert (await client.get("/api/ping")).status_code == 200

    scrape = await client.get("/metrics")
    assert scrape.status_code == 200
    assert scrape.headers["content-type"].startswith("text/plain")
    after = scrape.text
    assert _count(after, method="GET", route=template, status="401") == \
        _count(before, method="GET", route=template, status="401") + 1
    assert _count(after, method="GET", route="/api/ping", status="200") >= 1
    assert "/api/v1/admin/users/123" not in after

    durations = [s for s in _samples(after, "interviewd_http_request_duration_seconds_count")
                 if s.labels == {"method": "GET", "route": template}]
    assert durations and durations[0].value >= 1
    buckets = [s for s in _samples(after, "interviewd_http_request_duration_seconds_bucket")
               if s.labels.get("route") == template]
    assert any(s.labels["le"] == "+Inf" for s in buckets)


async def test_unknown_paths_share_one_label(client):
    before = (await client.get("/metrics")).text
    paths = [f"/no-such-{uuid.uuid4().hex}", f"/api/no-such-{uuid.uuid4().hex}",
             f"/api/v1/no-such-{uuid.uuid4().hex}", f"/auth/no-such-{uuid.uuid4().hex}"]
    for path in paths:
        assert (await client.get(path)).status_code == 404
    after = (await client.get("/metrics")).text
    for path in paths:
        assert path not in after
    assert _count(after, route="unmatched", status="404") == _count(before, route="unmatched",
                                                                    status="404") + len(paths)
