"""`interviewd seed`: reference data always, demo accounts with --demo.

Every seeder is idempotent: it looks its rows up by a natural key and creates
or updates them, so running seed twice changes nothing the second time.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.auth.service import auth_service
from interviewd.domain.mentor.seeding import seed_demo_mentors
from interviewd.domain.practice.service import practice_service
from interviewd.domain.questions.seeding import seed_question_bank
from interviewd.domain.users.repository import user_repository
from interviewd.domain.users.schemas import UserCreate
from interviewd.domain.users.service import check_password, user_service
from interviewd.kit.passwords import hash_password, verify_password
from interviewd.models.user import Role, User, UserStatus

# Demo accounts for a local install only; the README lists them.
DEMO_ACCOUNTS = [
    {"email": "candidate@demo.interviewd.dev", "password": "demo-candidate-pass", "name": "Casey Candidate",
     "role": Role.CANDIDATE.value, "username": None},
    {"email": "interviewer@demo.interviewd.dev", "password": "demo-interviewer-pass",
     "name": "Ivy Interviewer", "role": Role.INTERVIEWER.value, "username": "interviewer",
     "company": "Demo Corp"},
    {"email": "mentor@demo.interviewd.dev", "password": "demo-mentor-pass", "name": "Morgan Mentor",
     "role": Role.MENTOR.value, "username": None},
    {"email": "admin@demo.interviewd.dev", "password": "demo-admin-pass", "name": "Ada Admin",
     "role": Role.ADMIN.value, "username": "admin"},
]


async def seed_reference_data(session: AsyncSession) -> dict[str, int]:
    """Reference data every installation needs: practice domains, the question
    bank and coding challenges. Each loader is idempotent."""
    return {**await seed_practice_domains(session), **await seed_question_bank(session)}


# The practice areas of contract 001; slugs are what its dashboard shows.
PRACTICE_DOMAINS = [
    {"slug": "software-dev", "name": "Software Development",
     "description": "Coding, system design and engineering behaviour questions"},
    {"slug": "data-science", "name": "Data Science",
     "description": "Statistics, machine learning, experimentation and data storytelling"},
    {"slug": "product-management", "name": "Product Management",
     "description": "Product sense, prioritisation, metrics and stakeholder questions"},
    {"slug": "design", "name": "Design",
     "description": "Portfolio walkthroughs, design critique and UX problem solving"},
    {"slug": "sales", "name": "Sales",
     "description": "Discovery calls, objection handling and closing role-plays"},
    {"slug": "finance", "name": "Finance",
     "description": "Accounting, valuation, modelling and market questions"},
    {"slug": "marketing", "name": "Marketing",
     "description": "Campaign strategy, positioning, growth and analytics"},
    {"slug": "behavioral", "name": "Behavioral",
     "description": "Teamwork, conflict, leadership and STAR-format stories"},
]


async def seed_practice_domains(session: AsyncSession) -> dict[str, int]:
    """Create or update the practice domains by slug."""
    count = await practice_service.seed_domains(session, domains=PRACTICE_DOMAINS)
    return {"practice domains": count}


async def upsert_user(
    session: AsyncSession, *, email: str, password: str, name: str, role: str,
    username: str | None = None, company: str | None = None,
) -> tuple[User, bool]:
    """Create the account, or make the existing one match. Returns (user, created)."""
    user = await user_repository.by_email(session, email)
    if user is None:
        user = await user_service.create(
            session,
            data=UserCreate(email=email, password=password, name=name, role=role,
                            username=username, company=company),
        )
        return user, True
    # The policy applies to a re-password too, not only to new accounts.
    check_password(password, email=user.email)
    user.role, user.status, user.name = role, UserStatus.ACTIVE.value, name
    if not await verify_password(user.password_hash, password):
        # A new password signs out every session that used the old one.
        user.password_hash = await hash_password(password)
        await auth_service.revoke_all(session, user)
    if company:
        user.company = company
    await session.flush()
    return user, False


async def seed_demo_accounts(session: AsyncSession) -> list[dict]:
    created = []
    for account in DEMO_ACCOUNTS:
        user, was_created = await upsert_user(session, **account)
        if account["role"] == Role.INTERVIEWER.value:
            user.subscription_status, user.subscription_plan = "active", "professional"
        created.append({"email": user.email, "password": account["password"], "role": user.role,
                        "created": was_created})
    return created


async def seed_demo_data(session: AsyncSession) -> dict[str, int]:
    """Demo content beside the demo accounts: 200+ mentors with availability
    and reviews (docs/mentors.md). Idempotent like every seeder."""
    return await seed_demo_mentors(session)
