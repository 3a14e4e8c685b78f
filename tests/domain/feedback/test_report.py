"""The report's arithmetic and wording, and the transcript PDF."""

from __future__ import annotations

import io

from pypdf import PdfReader

from interviewd.domain.feedback import pdf, report
from interviewd.domain.feedback.report import AnsweredQuestion


def test_percentile_counts_ties_half_and_needs_peers():
    assert report.percentile_rank(70, []) is None
    assert report.percentile_rank(70, [40, 60, 80, 90]) == 50
    assert report.percentile_rank(70, [70, 70]) == 50
    assert report.percentile_rank(100, [10, 20, 30]) == 100
    assert report.percentile_rank(0, [10, 20, 30]) == 0


def test_benchmark_average_top_quartile_and_difference():
    bench = report.benchmark(82, [60, 70, 80, 90], "Backend Engineer")
    assert bench == {"role": "Backend Engineer", "categoryAverage": 75.0, "topQuartile": 82.5,
                     "difference": 7.0, "sampleSize": 4}
    assert report.benchmark(50, [], "X")["categoryAverage"] is None


def test_trajectory_against_previous_sessions():
    assert report.trajectory(70, []) == "stable"
    assert report.trajectory(80, [60, 70]) == "improving"
    assert report.trajectory(50, [60, 70]) == "declining"
    assert report.trajectory(66, [60, 70]) == "stable"


def _q(score, *, type="technical", rubric=None, passed=None, total=None, answered=True):
    rubric = rubric or {"understanding": 20, "logic": 20, "specificity": 8, "jobFit": 20}
    return AnsweredQuestion(title=f"Q{score}", type=type, category="algorithms", answered=answered,
                            total_score=score, rubric=rubric,
                            scores={"completeness": score, "correctness": score, "communication": 70},
                            strengths=["Clear explanation"], improvements=["Add numbers"],
                            structure_feedback="Three paragraphs.", words=120,
                            tests_passed=passed, tests_total=total)


def test_weakest_axis_drives_improvements_and_recommendations():
    content = report.build(questions=[_q(70), _q(60, passed=3, total=5), _q(0, answered=False)],
                           overall=43.3, mode="technical", role="Backend Engineer", language="en",
                           history=[30.0])
    assert content.improvement_areas[0].startswith("Add concrete examples")
    assert any("five or six stories" in r for r in content.recommendations)
    assert any("coding challenges" in r for r in content.recommendations)
    assert any("every question gets an answer" in r for r in content.recommendations)
    assert "Understood what each question" in content.strengths[0]
    assert "2 of 3 questions answered" in content.summary and "3 of 5 tests passed" in content.summary
    assert content.technical_skills["skill"] == "Algorithm Design"
    assert content.technical_skills["growthTrajectory"] == "improving"
    assert content.communication["score"] == 70.0


def test_korean_report():
    content = report.build(questions=[_q(80, type="behavioral")], overall=80, mode="behavioral",
                           role="백엔드 개발자", language="ko", history=[])
    assert "백엔드 개발자" in content.summary and "종합 점수는 80/100점" in content.summary
    assert content.technical_skills["skill"] == "인성 역량"


def test_pdf_holds_korean_and_latin_text():
    blocks = [("h1", "면접 기록: Backend Engineer"), ("p", "질문 1: 해시 테이블을 설명하세요"),
              ("code", "def two_sum(nums, target):\n    return []"), ("li", "Strength one"), ("rule", "")]
    data = pdf.render(blocks, title="t")
    assert data.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "two_sum" in text and "Strength one" in text
    if pdf.find_font(None) and "nanum" in pdf.find_font(None).lower():
        assert "해시 테이블" in text


def test_pdf_without_a_unicode_font_falls_back_to_the_core_font(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "FONT_CANDIDATES", ())
    data = pdf.render([("p", "Café 면접")], title="t", font_path=str(tmp_path / "none.ttf"))
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Café ??" in text


def test_long_transcripts_flow_over_pages():
    blocks = [("p", "word " * 400)] * 12
    reader = PdfReader(io.BytesIO(pdf.render(blocks, title="t")))
    assert len(reader.pages) > 3
