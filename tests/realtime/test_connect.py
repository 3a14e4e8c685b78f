"""Connecting to /interview: only with a valid access token."""

from __future__ import annotations

import pytest

from tests.realtime.conftest import Refused, sign_up

UNAUTHORIZED = {"code": "UNAUTHORIZED"}


async def _refusal(connect, url: str, auth, **kwargs) -> dict:
    with pytest.raises(Refused) as refused:
        await connect(url, auth, **kwargs)
    return refused.value.reason


async def test_connect_without_a_token_is_refused(server, connect):
    for auth in (None, {}, {"token": ""}, {"token": 42}):
        reason = await _refusal(connect, server.url, auth)
        assert reason["message"].startswith("Authentication required"), reason
        assert reason["data"] == UNAUTHORIZED


async def test_connect_with_a_bad_token_is_refused(server, connect):
    account = await sign_up(server.url)
    forged = account["accessToken"][:-4] + ("AAAA" if not account["accessToken"].endswith("AAAA") else "BBBB")
    for token in ("not-a-jwt", forged):
        reason = await _refusal(connect, server.url, {"token": token})
        assert reason == {"message": "Invalid or expired token", "data": UNAUTHORIZED}


async def test_a_user_id_without_a_token_is_refused(server, connect):
    account = await sign_up(server.url)
    reason = await _refusal(connect, server.url, {"userId": account["userId"]})
    assert reason["message"].startswith("Authentication required")


async def test_connect_with_token_or_access_token(server, connect):
    account = await sign_up(server.url)
    polling = await connect(server.url, {"token": account["accessToken"]})
    websocket = await connect(server.url, {"accessToken": "Bearer " + account["accessToken"],
                                           "socketId": "aBcDeF1234567890"}, transports=["websocket"])
    assert polling.client.connected and websocket.client.connected
    assert polling.client.get_sid("/interview") != websocket.client.get_sid("/interview")


async def test_a_foreign_browser_origin_is_refused(server, connect):
    account = await sign_up(server.url)
    auth = {"token": account["accessToken"]}
    reason = await _refusal(connect, server.url, auth, transports=["websocket"],
                            headers={"Origin": "https://elsewhere.example"})
    assert reason == {"message": "Origin not allowed", "data": {"code": "FORBIDDEN"}}
    same_origin = await connect(server.url, auth, transports=["websocket"], headers={"Origin": server.url})
    assert same_origin.client.connected
