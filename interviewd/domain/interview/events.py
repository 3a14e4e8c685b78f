"""What happens in an AI session, for whoever listens (a WebSocket hub, say).

Events leave only on commit, like jobs and e-mails: a rolled-back answer is
never announced. With no listener subscribed, emitting costs nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.db import on_commit

log = structlog.get_logger(__name__)

# (event type, session uid, data) in 003's WebSocket vocabulary:
# question_presented, answer_evaluated, session_completed.
Listener = Callable[[str, str, dict], Awaitable[None]]

_listeners: list[Listener] = []


def subscribe(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def unsubscribe(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def emit(session: AsyncSession, event_type: str, session_uid: str, data: dict) -> None:
    if not _listeners:
        return

    async def deliver() -> None:
        for listener in list(_listeners):
            try:
                await listener(event_type, session_uid, data)
            except Exception:  # one failing listener must not starve the others
                log.exception("interview_event_listener_failed", event_type=event_type)

    on_commit(session, deliver)
