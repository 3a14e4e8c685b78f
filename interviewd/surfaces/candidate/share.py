"""GET /share/{token}: the public, read-only page of a feedback report.

Mounted at the root app, beside /api. It needs no sign-in and shows the
report only: no e-mail, no name, no answers, nothing of any other session.
A revoked or unknown link is a plain 404 page."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.feedback.service import feedback_service
from interviewd.errors import NotFound
from interviewd.kit.clock import isoformat_z
from interviewd.web.deps import db_session

router = APIRouter(include_in_schema=False)

_templates = Environment(loader=PackageLoader("interviewd", "templates"),
                         autoescape=select_autoescape(["html"]))

# The token is in the URL: no referrer may carry it elsewhere, no cache keep the page.
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
}

TEXT = {
    "en": {"title": "Interview feedback", "mode": "Mode", "difficulty": "Difficulty",
           "completed": "Completed",
           "percentile": "Percentile rank", "summary": "Summary", "strengths": "Strengths",
           "improve": "Areas to improve", "recommend": "Recommendations", "benchmark": "Benchmark",
           "average": "average", "top_quartile": "top quartile", "generated": "Generated",
           "missing": "This report is not available."},
    "ko": {"title": "면접 피드백", "mode": "유형", "difficulty": "난이도", "completed": "완료",
           "percentile": "백분위", "summary": "요약", "strengths": "강점", "improve": "개선할 점",
           "recommend": "추천", "benchmark": "비교", "average": "평균", "top_quartile": "상위 25%",
           "generated": "생성", "missing": "이 보고서는 볼 수 없습니다."},
}


@router.get("/share/{token}", response_class=HTMLResponse)
async def shared_report(token: str, session: AsyncSession = Depends(db_session)) -> HTMLResponse:
    try:
        view = await feedback_service.shared(session, token=token)
    except NotFound:
        return HTMLResponse("<!doctype html><title>Not found</title><p>This report is not available.</p>",
                            status_code=404, headers=HEADERS)
    report, details = view.report, view.details
    lang = details.interview_language if details.interview_language in TEXT else "en"
    t = TEXT[lang]
    html = _templates.get_template("share/report.html").render(
        lang=lang, t=t, job_type=details.job_type, mode=details.mode, difficulty=details.difficulty,
        completed_at=isoformat_z(view.session.completed_at), score=round(report.overall_score),
        percentile=None if report.percentile_rank is None else round(report.percentile_rank),
        summary=report.summary,
        skill_blocks=[b for b in (report.technical_skills, report.communication) if b],
        lists=[(t["strengths"], report.strengths), (t["improve"], report.improvement_areas),
               (t["recommend"], report.recommendations)],
        bench=report.benchmark or {"categoryAverage": None}, generated_at=isoformat_z(report.generated_at),
    )
    return HTMLResponse(html, headers=HEADERS)
