"""Self-practice (contract 001): domains and practice sessions with metrics."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.domain.practice import achievements
from interviewd.domain.practice.repository import domain_repository, practice_session_repository
from interviewd.domain.practice.schemas import (
    SESSION_TYPES,
    Page,
    PracticeMetrics,
    PracticeSessionCreate,
    PracticeSessionView,
)
from interviewd.domain.practice.scoring import assess
from interviewd.domain.practice.users import target_user
from interviewd.domain.recordings.service import recording_service
from interviewd.errors import NotFound, ValidationFailed
from interviewd.kit.clock import as_utc, utcnow
from interviewd.kit.principal import Principal
from interviewd.models.practice import PracticeDetails, PracticeDomain
from interviewd.models.session import InterviewSession, SessionKind

# Server-measured figures fill what the client did not send.
MEASURED_FALLBACKS = ("speechPaceWpm", "fillerWordFrequency")


class PracticeService:
    async def list_domains(self, session: AsyncSession, principal: Principal) -> list[PracticeDomain]:
        """The active practice domains, by name."""
        return await domain_repository.active(session)

    async def seed_domains(self, session: AsyncSession, *, domains: list[dict]) -> int:
        """Create or update the given domains by slug; returns how many exist."""
        for data in domains:
            domain = await domain_repository.by_slug(session, data["slug"])
            if domain is None:
                await domain_repository.add(session, PracticeDomain(**data))
            else:
                for key, value in data.items():
                    if getattr(domain, key) != value:
                        setattr(domain, key, value)
        await session.flush()
        return len(domains)

    async def create_session(
        self, session: AsyncSession, principal: Principal, *, data: PracticeSessionCreate
    ) -> PracticeSessionView:
        """Schedule a practice session for the caller (an admin may name any user)."""
        user = await target_user(session, principal, data.user_id, field="userId")
        domain = await domain_repository.by_reference(session, data.domain_id)
        if domain is None or not domain.is_active:
            raise ValidationFailed("Unknown domain", field="domainId", details={"value": data.domain_id})
        if data.session_type not in SESSION_TYPES:
            raise ValidationFailed(f"sessionType must be one of {', '.join(SESSION_TYPES)}",
                                   field="sessionType", details={"value": data.session_type})
        row = InterviewSession(
            kind=SessionKind.PRACTICE.value, user_id=user.id, status="scheduled",
            scheduled_at=as_utc(data.scheduled_at) if data.scheduled_at else None, details={},
        )
        await practice_session_repository.add(session, row)
        details = PracticeDetails(session_id=row.id, domain_id=domain.id, session_type=data.session_type,
                                  live_timeline=[], feedback=[], recommendations=[])
        session.add(details)
        await session.flush()
        return PracticeSessionView(row, details, domain, user.uid)

    async def list_sessions(
        self, session: AsyncSession, principal: Principal, *, user_id: str | None = None,
        page: int | None = None, page_size: int | None = None,
    ) -> list[PracticeSessionView] | Page:
        """The user's practice sessions, newest first: a list, or a Page when
        page or page_size is given."""
        settings = runtime.current().settings
        user = await target_user(session, principal, user_id, field="userId")
        paged = page is not None or page_size is not None
        page = 1 if page is None else page
        page_size = settings.practice_default_page_size if page_size is None else page_size
        if page < 1:
            raise ValidationFailed("page must be at least 1", field="page", details={"value": page})
        if not 1 <= page_size <= settings.practice_max_page_size:
            raise ValidationFailed(f"pageSize must be between 1 and {settings.practice_max_page_size}",
                                   field="pageSize", details={"value": page_size})
        limit = page_size if paged else settings.practice_max_list_size
        offset = (page - 1) * page_size if paged else 0
        rows, total = await practice_session_repository.views_for_user(
            session, user.id, limit=limit, offset=offset)
        views = [PracticeSessionView(*row) for row in rows]
        return Page(views, total, page, page_size) if paged else views

    async def get_session(
        self, session: AsyncSession, principal: Principal, *, session_id: str
    ) -> PracticeSessionView:
        """One practice session with its recording links; another user's is not found."""
        view = await self._visible(session, principal, session_id)
        view.recording = await self._recording(session, view)
        return view

    async def submit_metrics(
        self, session: AsyncSession, principal: Principal, *, session_id: str, metrics: PracticeMetrics,
        now: datetime | None = None,
    ) -> PracticeSessionView:
        """Record the final metrics and complete the session: overall score,
        per-category feedback and recommendations are derived from them, and
        achievements they earn are unlocked. Submitting again recomputes
        everything but keeps the first completion time."""
        now = now or utcnow()
        view = await self._visible(session, principal, session_id)
        submitted = metrics.as_stored()
        if all(submitted.get(key) in (None, []) for key in submitted):
            raise ValidationFailed("metrics must contain at least one measurement", field="metrics")
        effective = dict(submitted)
        for key in MEASURED_FALLBACKS:
            measured = (view.details.measured_metrics or {}).get(key)
            if effective.get(key) is None and measured is not None:
                effective[key] = measured
        result = assess(effective)
        view.details.metrics = submitted
        view.details.feedback = result.feedback
        view.details.recommendations = result.recommendations
        view.session.overall_score = result.overall_score
        view.session.status = "completed"
        view.session.completed_at = view.session.completed_at or now
        await session.flush()
        await achievements.unlock_for(session, user_id=view.session.user_id, now=now)
        return view

    async def session_analytics(
        self, session: AsyncSession, principal: Principal, *, session_id: str
    ) -> PracticeSessionView:
        """The session's submitted metrics and what was derived from them."""
        return await self._visible(session, principal, session_id)

    @staticmethod
    async def _visible(session: AsyncSession, principal: Principal, uid: str) -> PracticeSessionView:
        row = await practice_session_repository.view(session, uid)
        # Another user's session is "not found", so that ids cannot be probed.
        if row is None or (row[0].user_id != principal.user_id and not principal.is_admin):
            raise NotFound("Session not found")
        return PracticeSessionView(*row)

    @staticmethod
    async def _recording(session: AsyncSession, view: PracticeSessionView) -> dict | None:
        return await recording_service.links_for_session(session, session_id=view.session.id)


practice_service = PracticeService()
