"""The SQL of the data export: one query per record type, each selecting
only the user's own rows and only the columns the export shows (the labels
are the exported field names). Password hashes, refresh and reset token
hashes, share tokens, storage keys and meeting links are never selected."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import JSON, Boolean, Select, Text, and_, cast, select
from sqlalchemy.orm import aliased

from interviewd.models.ai import AiAnswer, AiSessionDetails, AiSessionQuestion, AnalysisResult, FeedbackReport
from interviewd.models.base import UTCDateTime
from interviewd.models.identity import ExternalIdentity
from interviewd.models.mentor import BookingDetails, FavoriteMentor, Mentor, Review
from interviewd.models.practice import Achievement, PracticeDetails, PracticeDomain, Recording
from interviewd.models.question import Question
from interviewd.models.session import InterviewSession

# How the export writes a column's values.
TIME, RAW_JSON, BOOL, PLAIN = "time", "json", "bool", "plain"


@dataclass(frozen=True)
class RecordType:
    name: str  # the JSON key, and the CSV file's name
    query: Callable[[int], Select]

    @property
    def columns(self) -> list[str]:
        return [c.name for c in self.query(0).selected_columns]

    def statement(self, user_id: int) -> tuple[Select, list[str], list[str]]:
        """The query with JSON columns read as their stored text (the export
        writes that text as it is, instead of parsing and re-encoding it), the
        column names, and each column's kind."""
        query = self.query(user_id)
        columns, kinds, names = [], [], []
        for column in query.selected_columns:
            names.append(column.name)
            if isinstance(column.type, JSON):
                columns.append(cast(column.element if hasattr(column, "element") else column, Text)
                               .label(column.name))
                kinds.append(RAW_JSON)
            elif isinstance(column.type, UTCDateTime):
                columns.append(column)
                kinds.append(TIME)
            elif isinstance(column.type, Boolean):
                columns.append(column)
                kinds.append(BOOL)
            else:
                columns.append(column)
                kinds.append(PLAIN)
        return query.with_only_columns(*columns), names, kinds


S = InterviewSession


def _identities(user_id: int) -> Select:
    e = ExternalIdentity
    return (select(e.provider.label("provider"), e.subject.label("subject"), e.email.label("email"),
                   e.created_at.label("createdAt"), e.last_used_at.label("lastUsedAt"))
            .where(e.user_id == user_id).order_by(e.id))


def _sessions(user_id: int) -> Select:
    return (select(S.uid.label("sessionId"), S.kind.label("kind"), S.status.label("status"),
                   S.title.label("title"), S.scheduled_at.label("scheduledAt"),
                   S.started_at.label("startedAt"),
                   S.completed_at.label("completedAt"), S.overall_score.label("overallScore"),
                   S.duration_seconds.label("durationSeconds"), S.details.label("details"),
                   S.created_at.label("createdAt"), S.updated_at.label("updatedAt"))
            .where(S.user_id == user_id).order_by(S.created_at, S.id))


def _ai_sessions(user_id: int) -> Select:
    d = AiSessionDetails
    return (select(S.uid.label("sessionId"), d.mode.label("mode"), d.job_type.label("jobType"),
                   d.difficulty.label("difficulty"), d.programming_language.label("programmingLanguage"),
                   d.interview_language.label("interviewLanguage"), d.include_coding.label("includeCoding"),
                   d.topics.label("topics"), d.category.label("category"),
                   d.custom_category.label("customCategory"), d.question_count.label("questionCount"),
                   d.current_question_index.label("currentQuestionIndex"),
                   d.estimated_duration.label("estimatedDuration"), d.persona.label("persona"),
                   d.client_metadata.label("metadata"))
            .join(S, S.id == d.session_id).where(S.user_id == user_id).order_by(S.created_at, S.id))


def _questions(user_id: int) -> Select:
    q, slot = Question, AiSessionQuestion
    return (select(S.uid.label("sessionId"), slot.order.label("order"), q.uid.label("questionId"),
                   q.title.label("title"), q.text.label("text"), q.type.label("type"),
                   q.category.label("category"), q.difficulty.label("difficulty"),
                   slot.presented_at.label("presentedAt"), slot.answered_at.label("answeredAt"),
                   slot.status.label("status"), slot.time_spent.label("timeSpent"),
                   slot.follow_up.label("followUp"))
            .join(S, S.id == slot.session_id).join(q, q.id == slot.question_id)
            .where(S.user_id == user_id).order_by(S.created_at, S.id, slot.order))


def _answers(user_id: int) -> Select:
    a = AiAnswer
    return (select(a.uid.label("answerId"), S.uid.label("sessionId"), Question.uid.label("questionId"),
                   a.answer_text.label("answerText"), a.code_submission.label("codeSubmission"),
                   a.code_result.label("codeResult"), a.response_time.label("responseTime"),
                   a.submitted_at.label("submittedAt"), a.is_follow_up.label("isFollowUp"))
            .join(S, S.id == a.session_id).join(Question, Question.id == a.question_id)
            .where(a.user_id == user_id).order_by(a.submitted_at, a.id))


def _evaluations(user_id: int) -> Select:
    r = AnalysisResult
    answer, owner = aliased(AiAnswer), aliased(InterviewSession)
    return (select(r.uid.label("analysisId"), answer.uid.label("answerId"), owner.uid.label("sessionId"),
                   Question.uid.label("questionId"), r.question_text.label("question"),
                   r.user_answer.label("userAnswer"), r.rubric.label("scores"),
                   r.total_score.label("totalScore"),
                   r.scores.label("answerScores"), r.strengths.label("strengths"),
                   r.improvements.label("improvements"), r.detailed_feedback.label("detailedFeedback"),
                   r.ideal_answer.label("idealAnswer"), r.follow_up_question.label("followUpQuestion"),
                   r.sentiment.label("sentiment"), r.summary.label("summary"),
                   r.ai_analysis.label("aiAnalysis"),
                   r.created_at.label("createdAt"))
            .outerjoin(answer, answer.id == r.answer_id)
            .outerjoin(owner, owner.id == r.session_id)
            .outerjoin(Question, Question.id == r.question_id)
            .where(r.user_id == user_id).order_by(r.created_at, r.id))


def _reports(user_id: int) -> Select:
    f = FeedbackReport
    return (select(f.uid.label("feedbackId"), S.uid.label("sessionId"), f.summary.label("summary"),
                   f.overall_score.label("overallScore"), f.strengths.label("strengths"),
                   f.improvement_areas.label("improvementAreas"), f.recommendations.label("recommendations"),
                   f.percentile_rank.label("percentileRank"), f.benchmark.label("benchmarkComparison"),
                   f.technical_skills.label("technicalSkills"), f.communication.label("communication"),
                   and_(f.share_token.is_not(None), f.share_revoked_at.is_(None)).label("shareLinkActive"),
                   f.generated_at.label("generatedAt"))
            .join(S, S.id == f.session_id).where(S.user_id == user_id).order_by(f.generated_at, f.id))


def _practice(user_id: int) -> Select:
    p = PracticeDetails
    return (select(S.uid.label("sessionId"), PracticeDomain.slug.label("domain"),
                   p.session_type.label("sessionType"), p.metrics.label("metrics"),
                   p.measured_metrics.label("measuredMetrics"), p.live_timeline.label("liveTimeline"),
                   p.feedback.label("feedback"), p.recommendations.label("recommendations"))
            .join(S, S.id == p.session_id).join(PracticeDomain, PracticeDomain.id == p.domain_id)
            .where(S.user_id == user_id).order_by(S.created_at, S.id))


def _achievements(user_id: int) -> Select:
    a = Achievement
    return (select(a.code.label("code"), a.unlocked_at.label("unlockedAt"))
            .where(a.user_id == user_id).order_by(a.unlocked_at, a.id))


def _recordings(user_id: int) -> Select:
    r = Recording
    return (select(r.uid.label("recordingId"), S.uid.label("sessionId"), r.media_kind.label("mediaKind"),
                   r.content_type.label("contentType"), r.size_bytes.label("sizeBytes"),
                   r.duration_seconds.label("durationSeconds"), r.transcript.label("transcript"),
                   r.transcript_status.label("transcriptStatus"), r.measured.label("measured"),
                   r.created_at.label("createdAt"))
            .join(S, S.id == r.session_id).where(S.user_id == user_id).order_by(r.created_at, r.id))


def _bookings(user_id: int) -> Select:
    b = BookingDetails
    return (select(S.uid.label("sessionId"), Mentor.uid.label("mentorId"), Mentor.name.label("mentorName"),
                   b.session_type.label("sessionType"), b.starts_at.label("startsAt"),
                   b.ends_at.label("endsAt"),
                   b.duration_minutes.label("durationMinutes"), b.meeting_type.label("meetingType"),
                   b.record_session.label("recordSession"), b.special_requests.label("specialRequests"),
                   b.participant_email.label("participantEmail"), b.participant_name.label("participantName"),
                   b.rating.label("rating"), b.feedback.label("feedback"),
                   b.cancellation_reason.label("cancellationReason"), b.cancelled_by.label("cancelledBy"))
            .join(S, S.id == b.session_id).join(Mentor, Mentor.id == b.mentor_id)
            .where(S.user_id == user_id).order_by(b.starts_at, S.id))


def _reviews(user_id: int) -> Select:
    r = Review
    return (select(r.uid.label("reviewId"), S.uid.label("sessionId"), Mentor.uid.label("mentorId"),
                   r.rating.label("rating"), r.comment.label("comment"), r.is_public.label("isPublic"),
                   r.created_at.label("createdAt"))
            .join(S, S.id == r.session_id).join(Mentor, Mentor.id == r.mentor_id)
            .where(r.user_id == user_id).order_by(r.created_at, r.id))


def _favorites(user_id: int) -> Select:
    f = FavoriteMentor
    return (select(Mentor.uid.label("mentorId"), Mentor.name.label("mentorName"),
                   f.created_at.label("createdAt"))
            .join(Mentor, Mentor.id == f.mentor_id).where(f.user_id == user_id).order_by(f.created_at, f.id))


def _mentor_profile(user_id: int) -> Select:
    m = Mentor
    return (select(m.uid.label("mentorId"), m.name.label("name"), m.title.label("title"),
                   m.current_company.label("currentCompany"), m.previous_companies.label("previousCompanies"),
                   m.bio.label("bio"), m.specialties.label("specialties"), m.skills.label("skills"),
                   m.languages.label("languages"), m.experience.label("experience"), m.rating.label("rating"),
                   m.review_count.label("reviewCount"), m.hourly_rate.label("hourlyRate"),
                   m.timezone.label("timezone"), m.is_active.label("isActive"),
                   m.created_at.label("createdAt"))
            .where(m.user_id == user_id).order_by(m.id))


RECORD_TYPES: tuple[RecordType, ...] = (
    RecordType("externalIdentities", _identities),
    RecordType("sessions", _sessions),
    RecordType("aiSessions", _ai_sessions),
    RecordType("questions", _questions),
    RecordType("answers", _answers),
    RecordType("evaluations", _evaluations),
    RecordType("feedbackReports", _reports),
    RecordType("practiceSessions", _practice),
    RecordType("achievements", _achievements),
    RecordType("recordings", _recordings),
    RecordType("bookings", _bookings),
    RecordType("reviews", _reviews),
    RecordType("favoriteMentors", _favorites),
    RecordType("mentorProfile", _mentor_profile),
)
