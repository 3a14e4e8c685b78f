"""Two server processes: an update caused on one reaches the user's sockets on
the other through Redis."""

from __future__ import annotations

import asyncio
import uuid

import redis

from tests.realtime.conftest import launch, live_timeline, sign_up
from tests.web.processes import stop


async def test_metrics_update_crosses_processes_through_redis(
        tmp_path, database_url, redis_url, connect, practice_session):
    channel = "interviewd-socketio-test-" + uuid.uuid4().hex
    processes = []
    try:
        first, second = launch(processes, tmp_path, database_url, count=2,
                               INTERVIEWD_REDIS_URL=redis_url,
                               INTERVIEWD_REALTIME_REDIS_CHANNEL=channel)
        alice, bob = await sign_up(first.url), await sign_up(second.url)
        session_id = await practice_session(alice["userId"])
        on_first = await connect(first.url, {"token": alice["accessToken"]})
        on_second = await connect(second.url, {"token": alice["accessToken"]}, transports=["websocket"])
        bob_on_second = await connect(second.url, {"token": bob["accessToken"]})

        store = redis.Redis.from_url(redis_url)
        try:
            subscribers = dict(store.pubsub_numsub(channel))
        finally:
            store.close()
        assert subscribers[channel.encode()] == 2, "both processes listen on the channel"

        await on_first.emit({"sessionId": session_id, "gestureScore": 77})
        here = await on_first.inbox.next("metrics:update")
        there = await on_second.inbox.next("metrics:update")
        assert here == there
        assert here["sessionId"] == session_id and here["stored"] is True
        assert here["metrics"]["gestureScore"] == 77
        assert await live_timeline(database_url, session_id) == [here["metrics"]]

        # And back: a sample sent on the second process reaches the first.
        await on_second.emit({"sessionId": session_id, "gestureScore": 78})
        back = await on_first.inbox.next("metrics:update")
        assert back["metrics"]["gestureScore"] == 78 and back["stored"] is False
        assert (await on_second.inbox.next("metrics:update")) == back

        # Samples racing from both processes: the throttle lets exactly one in.
        for _ in range(3):
            raced = await practice_session(alice["userId"])
            answers = await asyncio.gather(*(
                socket.send({"sessionId": raced, "postureScore": score})
                for socket, score in ((on_first, 10), (on_second, 20), (on_first, 30), (on_second, 40))))
            assert sorted(a["stored"] for a in answers) == [False, False, False, True], answers
            assert len(await live_timeline(database_url, raced)) == 1

        await asyncio.sleep(0.5)
        assert bob_on_second.inbox.pending("metrics:update") == 0
    finally:
        for process in processes:
            stop(process)

    store = redis.Redis.from_url(redis_url)
    try:
        # The processes left nothing behind: no listener, no key of this channel.
        assert dict(store.pubsub_numsub(channel))[channel.encode()] == 0
        assert list(store.scan_iter(match=f"*{channel}*")) == []
    finally:
        store.close()
