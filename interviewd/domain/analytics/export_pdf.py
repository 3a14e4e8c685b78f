"""The PDF form of the data export: a readable report of the account, the
analytics overview and every session (one table row each). The complete
data, answers and evaluations included, is in the JSON and CSV forms; the
PDF says so. fpdf2 with the font domain/feedback/pdf.py finds (Nanum Gothic
for Hangul when the system has it, REPORT_FONT_PATH to choose another)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from interviewd.kit.clock import isoformat_z

LABELS = {
    "en": {
        "title": "Your interviewd data", "exported": "Exported", "account": "Account",
        "overview": "Overview", "sessions_total": "Sessions", "completed": "Completed",
        "average": "Average score", "completion": "Completion rate", "streak": "Current streak (days)",
        "hours": "Hours spent", "answered": "Questions answered", "skills": "Skills",
        "questions": "questions", "trend": "trend", "recommendations": "Recommendations",
        "all_sessions": "Sessions", "none": "No sessions yet.",
        "note": "This report is a summary. The complete export, with every question, answer and "
                "evaluation, is available as JSON or CSV (POST /api/analytics/export).",
    },
    "ko": {
        "title": "interviewd 내 데이터", "exported": "내보낸 시각", "account": "계정",
        "overview": "개요", "sessions_total": "세션", "completed": "완료",
        "average": "평균 점수", "completion": "완료율", "streak": "현재 연속 일수",
        "hours": "사용 시간", "answered": "답변한 질문", "skills": "역량",
        "questions": "문항", "trend": "추세", "recommendations": "추천",
        "all_sessions": "세션 목록", "none": "아직 세션이 없습니다.",
        "note": "이 보고서는 요약입니다. 모든 질문, 답변, 평가가 포함된 전체 데이터는 JSON 또는 CSV로 "
                "내보낼 수 있습니다 (POST /api/analytics/export).",
    },
}
ACCOUNT_FIELDS = ("userId", "email", "name", "role", "provider", "createdAt", "lastLoginAt")


def report_blocks(account: dict, overview, sessions: list[dict], now: datetime) -> list[tuple[str, str]]:
    language = (account.get("preferences") or {}).get("language")
    t = LABELS.get(language if isinstance(language, str) else "en", LABELS["en"])
    totals = overview.totals
    blocks: list[tuple[str, str]] = [
        ("h1", t["title"]),
        ("small", f"{t['exported']}: {isoformat_z(now)} · {overview.timezone}"),
        ("h2", t["account"]),
    ]
    blocks += [("li", f"{key}: {account.get(key)}") for key in ACCOUNT_FIELDS if account.get(key)]
    preferences = account.get("preferences") or {}
    if preferences:
        blocks.append(("li", "preferences: " + ", ".join(f"{k}={v}" for k, v in sorted(preferences.items()))))
    average = "-" if totals.average_score is None else f"{totals.average_score:.1f}"
    blocks += [
        ("h2", t["overview"]),
        ("li", f"{t['sessions_total']}: {totals.sessions} · {t['completed']}: {totals.completed}"),
        ("li", f"{t['average']}: {average} · {t['completion']}: {overview.completion_rate}%"),
        ("li", f"{t['streak']}: {overview.streak_days} · {t['hours']}: {round(totals.seconds / 3600, 1)}"),
        ("li", f"{t['answered']}: {totals.questions_answered}"),
    ]
    if overview.categories:
        blocks.append(("h2", t["skills"]))
        for skill in overview.categories:
            score = "-" if skill.score is None else f"{skill.score:.1f}"
            blocks.append(("li", f"{skill.name}: {score} ({skill.level}) · "
                                 f"{skill.questions} {t['questions']} · {t['trend']}: {skill.trend}"))
    if overview.recommendations:
        blocks.append(("h3", t["recommendations"]))
        blocks += [("li", item["content"]) for item in overview.recommendations]
    blocks += [("rule", ""), ("h2", f"{t['all_sessions']} ({len(sessions)})")]
    if not sessions:
        blocks.append(("p", t["none"]))
    return blocks


def session_rows(sessions: list[dict], timezone: str) -> list[tuple[str, ...]]:
    """One table row per session: when (local time of `timezone`), kind,
    status, title, score."""
    tz = ZoneInfo(timezone)
    rows = []
    for row in sessions:
        moment = row.get("completedAt") or row.get("createdAt")
        when = moment.astimezone(tz).strftime("%Y-%m-%d %H:%M") if isinstance(moment, datetime) else ""
        score = row.get("overallScore")
        rows.append((when, row.get("kind") or "", row.get("status") or "",
                     row.get("title") or "", "" if score is None else f"{score:.1f}"))
    return rows


def note(account: dict) -> str:
    language = (account.get("preferences") or {}).get("language")
    return LABELS.get(language if isinstance(language, str) else "en", LABELS["en"])["note"]


COLUMN_WIDTHS = (30, 18, 22, 95, 15)  # mm; A4 less the margins is 190
TITLE_COLUMN = 3


def render(blocks: list[tuple[str, str]], rows: list[tuple[str, ...]], closing: str, *, title: str,
           font_path: str | None) -> bytes:
    """The report: the blocks as feedback/pdf.py lays them out, then the
    sessions as a table of single-line cells. Cells do not wrap (a title too
    long for its column is shortened), which keeps thousands of rows fast:
    fpdf2's line breaking costs far more per line than a plain cell."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    from interviewd.domain.feedback import pdf as layout

    body_font = layout.find_font(font_path, layout.FONT_CANDIDATES)
    document = FPDF(format="A4")
    document.set_title(title)
    document.set_creator("interviewd")
    document.set_auto_page_break(auto=True, margin=15)
    family = "Helvetica"
    if body_font:
        document.add_font("Body", fname=body_font)
        family = "Body"
    document.add_page()

    def text_of(value: str) -> str:
        return value if body_font else value.encode("latin-1", "replace").decode("latin-1")

    sizes = {"h1": (18, 9), "h2": (14, 8), "h3": (12, 7), "p": (10.5, 5.5), "li": (10.5, 5.5),
             "small": (8.5, 4.5)}
    for kind, value in blocks:
        if kind == "rule":
            document.ln(2)
            document.line(document.l_margin, document.get_y(), document.w - document.r_margin,
                          document.get_y())
            document.ln(3)
            continue
        size, height = sizes.get(kind, sizes["p"])
        document.set_font(family, size=size)
        if kind in ("h1", "h2"):
            document.ln(2)
        document.multi_cell(0, height, text_of(("- " if kind == "li" else "") + value),
                            new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    document.set_font(family, size=8)
    line, bottom = 4.5, document.h - document.b_margin
    y = document.get_y() + line
    for row in rows:
        if y > bottom:
            document.add_page()
            y = document.get_y() + line
        x = document.l_margin
        for column, (width, value) in enumerate(zip(COLUMN_WIDTHS, row, strict=True)):
            value = text_of(value)
            limit = width - 2
            # Only the title can outgrow its column; the other values are short by construction.
            if column == TITLE_COLUMN and document.get_string_width(value) > limit:
                while value and document.get_string_width(value + "...") > limit:
                    value = value[:-1]
                value += "..."
            # text() places a string without cell layout: much cheaper per row.
            document.text(x, y, value)
            x += width
        y += line
    document.set_y(y)
    document.ln(3)
    document.set_font(family, size=8.5)
    document.multi_cell(0, 4.5, text_of(closing), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(document.output())
