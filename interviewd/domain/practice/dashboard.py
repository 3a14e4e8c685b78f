"""The gamified dashboard of contract 001: totals, streaks, XP, progress per
domain and achievements."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.domain.practice import achievements, progress
from interviewd.domain.practice.repository import achievement_repository, practice_session_repository
from interviewd.domain.practice.schemas import Dashboard, UnlockedAchievement
from interviewd.domain.practice.users import target_user
from interviewd.kit.clock import utcnow
from interviewd.kit.principal import Principal


class DashboardService:
    async def dashboard(
        self, session: AsyncSession, principal: Principal, *, user_id: str | None = None,
        timezone: str | None = None, now: datetime | None = None,
    ) -> Dashboard:
        """The user's dashboard; days are calendar days of `timezone`, else of
        the user's `preferences.timezone`, else UTC. Achievements earned and not
        yet recorded are unlocked on the way."""
        settings = runtime.current().settings
        now = now or utcnow()
        user = await target_user(session, principal, user_id, field="userId")
        tz = (progress.zone(timezone, field="timezone") if timezone
              else progress.zone((user.preferences or {}).get("timezone")))
        await achievements.unlock_for(session, user_id=user.id, now=now)
        rows = await practice_session_repository.completed_for_user(session, user.id)
        moments = [s.completed_at for s, *_ in rows]
        current, best = progress.streaks(moments, tz, now=now)
        unlocked = [
            UnlockedAchievement(a.code, rule.title, rule.description, a.unlocked_at)
            for a in await achievement_repository.for_user(session, user.id)
            if (rule := achievements.BY_CODE.get(a.code)) is not None
        ]
        scores = [s.overall_score for s, *_ in rows]
        known = [score for score in scores if score is not None]
        xp = progress.experience_points(scores, progress.local_days(moments, tz),
                                        sum(achievements.BY_CODE[a.code].xp for a in unlocked))
        recent = [
            {"_id": s.uid, "domain": domain.slug, "score": s.overall_score, "completedAt": s.completed_at}
            for s, _d, domain, _u in reversed(rows[-settings.practice_recent_sessions:])
        ]
        return Dashboard(
            total_sessions=len(rows),
            average_score=round(sum(known) / len(known), 1) if known else None,
            current_streak=current, best_streak=best, experience_points=xp, timezone=tz.key,
            recent_sessions=recent,
            domain_progress=self._domain_progress(rows, settings.practice_proficiency_window),
            achievements=unlocked,
        )

    @staticmethod
    def _domain_progress(rows: list, window: int) -> list[dict]:
        """Proficiency: the mean overall score of the domain's last `window`
        scored sessions, so that it follows improvement."""
        by_domain: dict[str, list] = defaultdict(list)
        for s, _d, domain, _u in rows:
            by_domain[domain.slug].append(s.overall_score)
        result = []
        for slug, scores in by_domain.items():
            recent = [score for score in scores if score is not None][-window:]
            result.append({
                "domain": slug,
                "proficiency": round(sum(recent) / len(recent), 1) if recent else 0,
                "sessionsCompleted": len(scores),
            })
        return sorted(result, key=lambda item: (-item["sessionsCompleted"], item["domain"]))


dashboard_service = DashboardService()
