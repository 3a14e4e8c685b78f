"""Images made with Pillow, accounts without a password, and a user's data of
every kind written through the ORM, for the account tests."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
from PIL import Image
from sqlalchemy import func, select

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.domain.auth.service import auth_service
from interviewd.domain.recordings.service import storage
from interviewd.kit.clock import utcnow
from interviewd.kit.jobs import enqueue
from interviewd.models import (
    Achievement,
    AiAnswer,
    AiSessionDetails,
    AiSessionQuestion,
    AnalysisResult,
    AvailabilityRule,
    BookingDetails,
    BookingHold,
    ExternalIdentity,
    FavoriteMentor,
    FeedbackReport,
    InterviewSession,
    Job,
    Mentor,
    PasswordResetToken,
    PracticeDetails,
    PracticeDomain,
    Question,
    Recording,
    RefreshToken,
    Review,
    User,
    VideoRoom,
)
from tests.conftest import bearer, unique_email


def image_bytes(fmt: str, size: tuple[int, int] = (64, 48), *, exif: bool = False) -> bytes:
    """A real image of `fmt` (PNG, JPEG, WEBP) made by Pillow."""
    image = Image.new("RGB", size, (200, 30, 90))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "CameraMaker"  # Make
        data[0x0132] = "2024:01:01 10:00:00"  # DateTime
        kwargs["exif"] = data.tobytes()
    image.save(out, fmt, **kwargs)
    return out.getvalue()


async def passwordless_user(client: httpx.AsyncClient, *, signed_in_ago: timedelta = timedelta(0)) -> dict:
    """An account as an OAuth sign-in leaves it (no password), signed in
    `signed_in_ago`; returns {userId, id, email, headers}."""
    email = unique_email("oauth")
    async with unit_of_work(runtime.current().sessionmaker) as session:
        user = User(email=email, password_hash=None, name="OAuth Person", provider="google",
                    profile={}, preferences={})
        session.add(user)
        await session.flush()
        session.add(ExternalIdentity(user_id=user.id, provider="google", subject=uuid.uuid4().hex,
                                     email=email))
        pair = await auth_service.issue_tokens(session, user)
        if signed_in_ago:
            rows = await session.scalars(select(RefreshToken).where(RefreshToken.user_id == user.id))
            for row in rows:
                row.created_at = utcnow() - signed_in_ago
        uid, user_id = user.uid, user.id
    return {"userId": uid, "id": user_id, "email": email, "headers": bearer(pair.access_token),
            "tokens": pair}


async def user_row(uid: str) -> User | None:
    async with runtime.current().sessionmaker() as session:
        return await session.scalar(select(User).where(User.uid == uid))


@dataclass
class Seeded:
    """What seed_account wrote for one user."""

    user_id: int
    email: str
    session_ids: list[int] = field(default_factory=list)
    booking_id: int = 0  # the reviewed booking
    files: list[str] = field(default_factory=list)  # storage keys
    mentor_id: int = 0  # the mentor the user booked (belongs to nobody)


async def _question(session) -> Question:
    key = f"acct-{uuid.uuid4().hex[:12]}"
    question = Question(key=key, type="coding", category="algorithms", difficulty="easy",
                        title="Two sum", text="Find two numbers adding up to a target.", text_hash=key)
    session.add(question)
    await session.flush()
    return question


async def new_mentor(session, *, user_id: int | None = None, name: str = "Mentor Person") -> Mentor:
    mentor = Mentor(user_id=user_id, name=name, title="Staff Engineer", bio="Ten years of interviews",
                    specialties=["system design"], skills=["python"], languages=["en"],
                    search_text=name.lower(), timezone="UTC")
    session.add(mentor)
    await session.flush()
    session.add(AvailabilityRule(mentor_id=mentor.id, weekday=0, start_minute=540, end_minute=1020))
    return mentor


async def booking(session, *, user_id: int, mentor: Mentor, status: str, starts_in: timedelta,
                  holds: bool = True) -> InterviewSession:
    start = (utcnow() + starts_in).replace(second=0, microsecond=0)
    row = InterviewSession(kind="booking", user_id=user_id, status=status, title="Mock interview",
                           scheduled_at=start, details={})
    session.add(row)
    await session.flush()
    session.add(BookingDetails(session_id=row.id, mentor_id=mentor.id, session_type="System design",
                               starts_at=start, ends_at=start + timedelta(minutes=60), duration_minutes=60,
                               participant_email="guest@example.com", participant_name="Guest",
                               special_requests="Please focus on caching", meeting_link="https://meet"))
    if holds:
        for minute in (0, 1):
            session.add(BookingHold(session_id=row.id, calendar=f"mentor:{mentor.id}",
                                    minute=start + timedelta(minutes=minute)))
            session.add(BookingHold(session_id=row.id, calendar=f"user:{user_id}",
                                    minute=start + timedelta(minutes=minute)))
    await session.flush()
    return row


async def seed_account(user_uid: str, *, tag: str) -> Seeded:
    """One of everything a candidate can own: an AI session with a solved
    coding answer, its evaluation and report; a standalone evaluation; a
    practice session with a recording file; a completed booking the user
    reviewed, an upcoming one with holds and a video room; a favourite, an
    achievement, a reset token, an external identity and a queued mail."""
    async with unit_of_work(runtime.current().sessionmaker) as session:
        user = await session.scalar(select(User).where(User.uid == user_uid))
        seeded = Seeded(user_id=user.id, email=user.email)
        now = utcnow()
        question = await _question(session)

        ai = InterviewSession(kind="ai", user_id=user.id, status="completed", title=f"AI {tag}",
                              started_at=now - timedelta(minutes=40), completed_at=now - timedelta(minutes=5),
                              overall_score=80.0, duration_seconds=35 * 60, details={})
        session.add(ai)
        await session.flush()
        session.add(AiSessionDetails(session_id=ai.id, mode="technical", job_type="Backend Engineer",
                                     difficulty="hard", question_count=3, estimated_duration=30,
                                     include_coding=True, topics=[], persona={}))
        session.add(AiSessionQuestion(session_id=ai.id, question_id=question.id, order=1, status="answered"))
        answer = AiAnswer(session_id=ai.id, question_id=question.id, user_id=user.id,
                          answer_text=f"my answer {tag}",
                          code_submission={"language": "python", "code": "def f(): pass"},
                          code_result={"status": "passed", "passed": 5, "total": 5, "results": []})
        session.add(answer)
        await session.flush()
        session.add(AnalysisResult(answer_id=answer.id, session_id=ai.id, question_id=question.id,
                                   user_id=user.id, rubric={}, total_score=80.0, scores={}))
        session.add(AnalysisResult(user_id=user.id, question_text="standalone", user_answer=f"text {tag}",
                                   rubric={}, total_score=60.0, scores={}))
        session.add(FeedbackReport(session_id=ai.id, overall_score=80.0, summary=f"report {tag}"))

        domain = await session.scalar(select(PracticeDomain).where(PracticeDomain.slug == "acct-domain"))
        if domain is None:
            domain = PracticeDomain(slug="acct-domain", name="Account domain")
            session.add(domain)
            await session.flush()
        practice = InterviewSession(kind="practice", user_id=user.id, status="completed",
                                    completed_at=now - timedelta(days=1), overall_score=70.0,
                                    duration_seconds=10 * 60, details={})
        session.add(practice)
        await session.flush()
        session.add(PracticeDetails(session_id=practice.id, domain_id=domain.id, session_type="video",
                                    feedback=["Good pace"]))
        key = f"recordings/{practice.uid}/{uuid.uuid4().hex}.webm"
        await storage().put(key, b"\x1a\x45\xdf\xa3webm" + tag.encode(), "video/webm")
        session.add(Recording(session_id=practice.id, user_id=user.id, media_kind="video",
                              content_type="video/webm", size_bytes=10, storage_key=key))
        seeded.files.append(key)

        mentor = await new_mentor(session, name=f"Booked Mentor {tag}")
        seeded.mentor_id = mentor.id
        past = await booking(session, user_id=user.id, mentor=mentor, status="completed",
                             starts_in=-timedelta(days=3))
        past.completed_at = now - timedelta(days=3)
        session.add(Review(session_id=past.id, mentor_id=mentor.id, user_id=user.id, rating=5,
                           comment=f"Great mentor {tag}"))
        mentor.rating, mentor.review_count = 5.0, 1
        upcoming = await booking(session, user_id=user.id, mentor=mentor, status="confirmed",
                                 starts_in=timedelta(days=2))
        session.add(VideoRoom(room_id=f"room-{uuid.uuid4().hex}", session_id=upcoming.id, provider="jitsi",
                              room_url="https://meet.jit.si/x"))
        session.add(FavoriteMentor(user_id=user.id, mentor_id=mentor.id))
        session.add(Achievement(user_id=user.id, code="first_session"))
        session.add(PasswordResetToken(user_id=user.id, token_hash=uuid.uuid4().hex,
                                       expires_at=now + timedelta(hours=1)))
        session.add(ExternalIdentity(user_id=user.id, provider="linkedin", subject=uuid.uuid4().hex))
        await enqueue(session, "send_email", {"to": [user.email], "subject": "Reminder", "text": "hi"},
                      run_at=now + timedelta(days=1))
        await enqueue(session, "mail.welcome", {"user_id": user.id}, run_at=now + timedelta(days=1))
        await session.flush()
        seeded.session_ids = [ai.id, practice.id, past.id, upcoming.id]
        seeded.booking_id = past.id
    return seeded


# Tables whose rows point at a user, and the column that does.
USER_COLUMNS = {
    InterviewSession: InterviewSession.user_id,
    AiAnswer: AiAnswer.user_id,
    AnalysisResult: AnalysisResult.user_id,
    Recording: Recording.user_id,
    RefreshToken: RefreshToken.user_id,
    PasswordResetToken: PasswordResetToken.user_id,
    ExternalIdentity: ExternalIdentity.user_id,
    FavoriteMentor: FavoriteMentor.user_id,
    Achievement: Achievement.user_id,
    Review: Review.user_id,
    Mentor: Mentor.user_id,
}
# Tables whose rows hang from a session.
SESSION_COLUMNS = {
    AiSessionDetails: AiSessionDetails.session_id,
    AiSessionQuestion: AiSessionQuestion.session_id,
    AiAnswer: AiAnswer.session_id,
    AnalysisResult: AnalysisResult.session_id,
    FeedbackReport: FeedbackReport.session_id,
    PracticeDetails: PracticeDetails.session_id,
    Recording: Recording.session_id,
    BookingDetails: BookingDetails.session_id,
    BookingHold: BookingHold.session_id,
    VideoRoom: VideoRoom.session_id,
    Review: Review.session_id,
}


async def rows_of(user_id: int, session_ids: list[int]) -> dict[str, int]:
    """How many rows of each table still point at the user or their sessions."""
    counts: dict[str, int] = {}
    async with runtime.current().sessionmaker() as session:
        for model, column in USER_COLUMNS.items():
            counts[f"{model.__tablename__}.user_id"] = await session.scalar(
                select(func.count()).select_from(model).where(column == user_id))
        for model, column in SESSION_COLUMNS.items():
            counts[f"{model.__tablename__}.session_id"] = await session.scalar(
                select(func.count()).select_from(model).where(column.in_(session_ids)))
        counts["users"] = await session.scalar(
            select(func.count()).select_from(User).where(User.id == user_id))
        counts["booking_holds.calendar"] = await session.scalar(
            select(func.count()).select_from(BookingHold).where(BookingHold.calendar == f"user:{user_id}"))
    return counts


async def jobs_about(email: str) -> list[Job]:
    async with runtime.current().sessionmaker() as session:
        jobs = list(await session.scalars(select(Job)))
    return [j for j in jobs if email in str(j.payload)]
