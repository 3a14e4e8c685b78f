"""Demo mentors for `interviewd seed --demo`.

Deterministic: mentor number i is drawn from `random.Random(i)`, so every run
describes the same people. Idempotent: a mentor is found by its demo user's
e-mail; a re-run rewrites the same values and adds availability and reviews
only to mentors that have none. Demo mentor accounts have no password (they
cannot sign in); `mentor@demo.interviewd.dev` owns the first profile.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.mentor.repository import mentor_repository
from interviewd.domain.mentor.service import mentor_service, search_text
from interviewd.kit.clock import utcnow
from interviewd.models.mentor import AvailabilityRule, BookingDetails, Mentor, Review
from interviewd.models.session import InterviewSession, SessionKind
from interviewd.models.user import Role, User, UserStatus

DEMO_MENTOR_COUNT = 210
DEMO_OWNER_EMAIL = "mentor@demo.interviewd.dev"
REVIEWER_COUNT = 24

FIRST_NAMES = [
    "Aarav", "Abena", "Ada", "Ahmed", "Aiko", "Alejandro", "Amara", "Ana", "Andrei", "Anika", "Arjun",
    "Astrid", "Beatriz", "Bilal", "Camila", "Carlos", "Chen", "Chiara", "Chloe", "Daniel", "Dmitri",
    "Elena", "Emeka", "Emma", "Fatima", "Felipe", "Freya", "Hana", "Hiroshi", "Ibrahim", "Ines", "Ingrid",
    "Isabela", "Jae-won", "Javier", "Ji-woo", "Jonas", "Kai", "Kavya", "Kenji", "Kofi", "Lars", "Layla",
    "Leila", "Liam", "Lucas", "Mai", "Marco", "Maria", "Mateo", "Mei", "Mohammed", "Nadia", "Nikhil",
    "Noah", "Nour", "Olga", "Omar", "Priya", "Rafael", "Ravi", "Rosa", "Sakura", "Samuel", "Sara",
    "Sebastian", "Siddharth", "Sofia", "Tariq", "Thabo", "Tomasz", "Valentina", "Wei", "Yara", "Yusuf",
    "Zainab", "Zoe",
]
LAST_NAMES = [
    "Abe", "Adeyemi", "Agarwal", "Andersson", "Bianchi", "Cohen", "Costa", "Da Silva", "Dubois", "Eriksen",
    "Fernandes", "Fischer", "Garcia", "Gonzalez", "Gupta", "Haddad", "Hansen", "Hernandez", "Ito", "Ivanova",
    "Jensen", "Kim", "Kowalski", "Kumar", "Lee", "Lopez", "Mahlangu", "Martin", "Mensah", "Moreau", "Muller",
    "Nakamura", "Nguyen", "Novak", "Okafor", "Oliveira", "Park", "Patel", "Petrov", "Rahman", "Rossi",
    "Sato", "Schmidt", "Sharma", "Silva", "Singh", "Smith", "Suzuki", "Tan", "Torres", "Van Dijk", "Wang",
    "Wiśniewska", "Yamamoto", "Yilmaz", "Zhang",
]
COMPANIES = [
    "Google", "Meta", "Amazon", "Apple", "Microsoft", "Netflix", "Stripe", "Airbnb", "Uber", "Spotify",
    "Shopify", "Atlassian", "Salesforce", "Adobe", "Nvidia", "Databricks", "Snowflake", "Datadog",
    "Cloudflare", "GitLab", "Zalando", "Booking.com", "SAP", "Revolut", "Monzo", "Grab", "Sea", "Rakuten",
    "Mercado Libre", "Nubank", "Canva", "Infosys", "Flipkart", "Tencent", "Alibaba", "ByteDance", "Klarna",
    "Twilio", "Coinbase", "Palantir",
]
TRACKS = [
    ("Software Engineer", ["Coding Interviews", "System Design", "Career Growth"],
     ["JavaScript", "TypeScript", "React", "Node.js", "Python", "Java", "Go", "Algorithms",
      "Data Structures", "Distributed Systems", "SQL", "AWS", "Kubernetes", "Rust", "C++"]),
    ("Frontend Engineer", ["Frontend Interviews", "UI Architecture", "Accessibility"],
     ["JavaScript", "TypeScript", "React", "Vue", "Angular", "CSS", "HTML", "Web Performance", "Next.js"]),
    ("Backend Engineer", ["System Design", "API Design", "Scalability"],
     ["Python", "Java", "Go", "Kotlin", "PostgreSQL", "Redis", "Kafka", "Microservices", "gRPC", "AWS"]),
    ("Data Scientist", ["Machine Learning Interviews", "Statistics", "Case Studies"],
     ["Python", "SQL", "Machine Learning", "Statistics", "PyTorch", "TensorFlow", "A/B Testing", "pandas"]),
    ("Machine Learning Engineer", ["ML System Design", "Deep Learning", "MLOps"],
     ["Python", "PyTorch", "TensorFlow", "MLOps", "Kubernetes", "LLMs", "Computer Vision", "NLP"]),
    ("Product Manager", ["Product Sense", "Execution", "Behavioral Interviews"],
     ["Product Strategy", "Roadmapping", "Metrics", "User Research", "Prioritization", "SQL"]),
    ("Engineering Manager", ["Leadership Interviews", "Behavioral Interviews", "Team Building"],
     ["People Management", "Hiring", "System Design", "Agile", "Stakeholder Management"]),
    ("Site Reliability Engineer", ["SRE Interviews", "Incident Response", "System Design"],
     ["Linux", "Kubernetes", "Terraform", "AWS", "GCP", "Observability", "Go", "Networking"]),
    ("Mobile Engineer", ["Mobile Interviews", "App Architecture", "Coding Interviews"],
     ["Swift", "Kotlin", "iOS", "Android", "React Native", "Flutter", "Mobile Performance"]),
    ("Product Designer", ["Portfolio Reviews", "Design Critique", "Whiteboard Challenges"],
     ["Figma", "UX Research", "Interaction Design", "Design Systems", "Prototyping", "Accessibility"]),
    ("Security Engineer", ["Security Interviews", "Threat Modeling", "System Design"],
     ["Application Security", "Cryptography", "Penetration Testing", "Cloud Security", "Python"]),
]
LEVELS = ["", "Senior ", "Senior ", "Staff ", "Principal ", "Lead "]
# (timezone, languages beside English that fit it)
ZONES = [
    ("America/New_York", ["Spanish"]), ("America/Chicago", ["Spanish"]), ("America/Denver", []),
    ("America/Los_Angeles", ["Spanish", "Mandarin"]), ("America/Toronto", ["French"]),
    ("America/Sao_Paulo", ["Portuguese"]), ("America/Mexico_City", ["Spanish"]),
    ("America/Bogota", ["Spanish"]), ("Europe/London", []), ("Europe/Berlin", ["German"]),
    ("Europe/Paris", ["French"]), ("Europe/Madrid", ["Spanish"]), ("Europe/Warsaw", ["Polish"]),
    ("Europe/Stockholm", ["Swedish"]), ("Europe/Amsterdam", ["Dutch", "German"]),
    ("Europe/Istanbul", ["Turkish"]), ("Africa/Lagos", ["Yoruba"]), ("Africa/Nairobi", ["Swahili"]),
    ("Africa/Johannesburg", ["Afrikaans", "Zulu"]), ("Africa/Cairo", ["Arabic"]),
    ("Asia/Dubai", ["Arabic", "Hindi"]), ("Asia/Kolkata", ["Hindi", "Tamil"]),
    ("Asia/Singapore", ["Mandarin", "Malay"]), ("Asia/Shanghai", ["Mandarin"]), ("Asia/Tokyo", ["Japanese"]),
    ("Asia/Seoul", ["Korean"]), ("Australia/Sydney", []), ("Pacific/Auckland", ["Maori"]),
]
RESPONSE_TIMES = ["within 1 hour", "within 2 hours", "within 4 hours", "within 12 hours", "within 24 hours"]
SESSION_TYPES = ["Mock Interview", "System Design", "Coding Interview", "Behavioral Interview",
                 "Resume Review", "Career Coaching"]
COMMENTS = [
    "Clear, structured feedback and a realistic interview.",
    "Helped me see exactly where my system design answer fell apart.",
    "Great questions and practical tips I could use the next day.",
    "Very kind and precise; the mock felt like the real thing.",
    "Good session, although we ran a little short on time.",
    "Pointed out habits in my answers I had never noticed.",
    "Excellent preparation for my onsite, I got the offer!",
    "Useful, but I expected more depth on the coding part.",
    "Knows the hiring bar of big tech companies really well.",
    "Patient, thorough and encouraging.",
]
# Weekly patterns in the mentor's own timezone: (weekdays, start, end) in minutes.
PATTERNS = [
    [(range(0, 5), 9 * 60, 17 * 60)],
    [(range(0, 5), 18 * 60, 21 * 60), (range(5, 7), 10 * 60, 14 * 60)],
    [(range(0, 4), 8 * 60, 12 * 60), (range(0, 4), 13 * 60, 16 * 60)],
    [(range(1, 6), 12 * 60, 20 * 60)],
    [(range(5, 7), 9 * 60, 18 * 60)],
    [(range(0, 7), 7 * 60, 9 * 60 + 30)],
]


def demo_email(i: int) -> str:
    return f"mentor-{i:03d}@demo.interviewd.dev"


def profile(i: int) -> dict:
    """Mentor number i's profile and availability, always the same."""
    rng = random.Random(f"interviewd-demo-mentor-{i}")
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    role, specialties, skill_pool = rng.choice(TRACKS)
    timezone, local_languages = rng.choice(ZONES)
    experience = rng.randint(2, 25)
    level = LEVELS[min(len(LEVELS) - 1, experience // 5)] if experience > 4 else ""
    companies = rng.sample(COMPANIES, k=rng.randint(1, 4))
    skills = rng.sample(skill_pool, k=min(len(skill_pool), rng.randint(3, 7)))
    languages = ["English", *rng.sample(local_languages, k=min(len(local_languages), rng.randint(0, 2)))]
    if rng.random() < 0.1:
        languages.append(rng.choice(["French", "Spanish", "German", "Mandarin", "Hindi", "Arabic"]))
    rate = round(rng.randint(40, 120) + experience * rng.uniform(2, 8), -1)
    title = f"{level}{role}".strip()
    bio = (f"{title} at {companies[0]} with {experience} years of experience. "
           f"I help candidates prepare for {specialties[0].lower()} and {specialties[1].lower()}, "
           f"with a focus on {', '.join(skills[:3])}.")
    pattern = rng.choice(PATTERNS)
    return {
        "name": f"{first} {last}",
        "title": title,
        "current_company": companies[0],
        "previous_companies": companies[1:],
        "avatar": f"https://api.dicebear.com/7.x/personas/svg?seed=mentor-{i:03d}",
        "bio": bio,
        "specialties": list(specialties),
        "skills": skills,
        "languages": list(dict.fromkeys(languages)),
        "experience": experience,
        "hourly_rate": float(rate),
        "response_time": rng.choice(RESPONSE_TIMES),
        "timezone": timezone,
        "buffer_minutes": rng.choice([0, 0, 10, 15, 30]),
        "min_notice_minutes": rng.choice([60, 120, 240, 720, 1440]),
        "rules": [(d, s, e) for days, s, e in pattern for d in days],
        "review_count": rng.choice([0, 0, 1, 2, 3, 5, 8, 12, 20]),
        "review_bias": rng.choice([5, 5, 5, 4, 4, 4, 3]),
        "review_seed": rng.random(),
    }


async def _user(session: AsyncSession, email: str, name: str, role: str) -> User:
    user = await mentor_repository.user_by_email(session, email)
    if user is None:
        first, _, last = name.partition(" ")
        user = User(email=email, name=name, first_name=first, last_name=last or None, role=role,
                    status=UserStatus.ACTIVE.value, password_hash=None)
        session.add(user)
        await session.flush()
    return user


async def seed_demo_mentors(session: AsyncSession, *, count: int = DEMO_MENTOR_COUNT) -> dict[str, int]:
    """Create or refresh `count` demo mentors with availability and reviews."""
    reviewers = []
    for n in range(REVIEWER_COUNT):
        name = f"{FIRST_NAMES[n * 3 % len(FIRST_NAMES)]} {LAST_NAMES[n * 5 % len(LAST_NAMES)][0]}."
        reviewers.append(await _user(session, f"reviewer-{n:02d}@demo.interviewd.dev", name,
                                     Role.CANDIDATE.value))
    created = reviews = 0
    now = utcnow()
    for i in range(count):
        data = profile(i)
        owner_email = DEMO_OWNER_EMAIL if i == 0 else demo_email(i)
        existing_owner = await mentor_repository.user_by_email(session, owner_email)
        if i == 0 and existing_owner is None:
            continue  # the demo mentor account is seeded with the demo accounts
        owner = existing_owner or await _user(session, owner_email, data["name"], Role.MENTOR.value)
        if i == 0:
            data["name"] = owner.name
        mentor = await mentor_repository.by_user(session, owner.id)
        if mentor is None:
            mentor = Mentor(user_id=owner.id)
            session.add(mentor)
            created += 1
        for key in ("name", "title", "current_company", "previous_companies", "avatar", "bio", "specialties",
                    "skills", "languages", "experience", "hourly_rate", "response_time", "timezone",
                    "buffer_minutes", "min_notice_minutes"):
            if getattr(mentor, key) != data[key]:
                setattr(mentor, key, data[key])
        mentor.is_active = True
        text = search_text(mentor)
        if mentor.search_text != text:
            mentor.search_text = text
        await session.flush()
        if not await mentor_repository.rules(session, mentor.id):
            session.add_all(AvailabilityRule(mentor_id=mentor.id, weekday=d, start_minute=s, end_minute=e)
                            for d, s, e in data["rules"])
        if data["review_count"] and (await mentor_repository.review_stats(session, mentor.id))[1] == 0:
            reviews += await _reviews(session, mentor, reviewers, data, now=now)
            await mentor_service.refresh_rating(session, mentor_id=mentor.id)
    await session.flush()
    total = await mentor_repository.count_active(session)
    return {"demo mentors": total, "demo mentors created": created, "demo reviews created": reviews}


async def _reviews(session: AsyncSession, mentor: Mentor, reviewers: list[User], data: dict, *, now) -> int:
    rng = random.Random(data["review_seed"])
    for n in range(data["review_count"]):
        reviewer = rng.choice(reviewers)
        starts = (now - timedelta(days=rng.randint(3, 400))).replace(minute=0, second=0, microsecond=0)
        rating = max(1, min(5, data["review_bias"] + rng.choice([0, 0, 0, 0, 0, 1, -1, -1, -2])))
        booking = InterviewSession(kind=SessionKind.BOOKING.value, user_id=reviewer.id, status="completed",
                                   title=f"Session with {mentor.name}", scheduled_at=starts,
                                   started_at=starts, completed_at=starts + timedelta(hours=1),
                                   duration_seconds=3600)
        session.add(booking)
        await session.flush()
        session_type = rng.choice(SESSION_TYPES)
        session.add(BookingDetails(session_id=booking.id, mentor_id=mentor.id, session_type=session_type,
                                   starts_at=starts, ends_at=starts + timedelta(hours=1), duration_minutes=60,
                                   rating=rating, participant_email=reviewer.email,
                                   participant_name=reviewer.name))
        session.add(Review(session_id=booking.id, mentor_id=mentor.id, user_id=reviewer.id, rating=rating,
                           comment=rng.choice(COMMENTS), is_public=rng.random() > 0.1,
                           created_at=starts + timedelta(hours=2 + n)))
    await session.flush()
    return data["review_count"]
