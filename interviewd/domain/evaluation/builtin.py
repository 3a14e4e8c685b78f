"""The built-in evaluator: deterministic, offline, pure Python.

It measures form and coverage (expected keywords, overlap with the question
and a reference answer, concrete detail, structure, length, filler) and maps
them onto 004's rubric and 003's scores. docs/evaluation.md describes the
method, its weights and its limits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from interviewd.domain.evaluation import text as tx
from interviewd.domain.evaluation.messages import say
from interviewd.domain.evaluation.schemas import (
    BUILTIN_MODEL,
    AIAnalysis,
    DetailedFeedback,
    Evaluation,
    EvaluationRequest,
    Rubric,
    Scores,
    sentiment_for,
)

NARRATIVE_TYPES = ("behavioral", "situational")
# A keyword found only in fragments this short (a bare list) counts half.
PROSE_MIN_WORDS = 6
# Below this relevance an answer is treated as off the question.
OFF_TOPIC = 0.2
# Cosine with the reference at which topical overlap counts as complete.
TOPICAL_FULL = 0.35


def _sat(value: float, full: float) -> float:
    return max(0.0, min(1.0, value / full)) if full > 0 else 0.0


def _round(value: float) -> int:
    return int(value + 0.5)  # half up, the same on every platform


@dataclass
class Features:
    language: str
    word_count: float = 0.0
    sentence_count: int = 0
    paragraph_count: int = 0
    keyword_hits: list[str] = field(default_factory=list)
    keyword_misses: list[str] = field(default_factory=list)
    keyword_coverage: float = 0.0  # 0-1, fragments count half
    topical: float = 0.0  # 0-1
    stuffing: bool = False
    figures: list[str] = field(default_factory=list)
    metric_count: int = 0
    examples: list[str] = field(default_factory=list)
    technologies: list[str] = field(default_factory=list)
    timeframes: list[str] = field(default_factory=list)
    connectives: list[str] = field(default_factory=list)
    enumerations: int = 0
    star_found: list[str] = field(default_factory=list)
    star_order: float = 1.0  # share of STAR transitions in order
    fillers: list[str] = field(default_factory=list)
    filler_rate: float = 0.0  # per 100 words
    senior_markers: list[str] = field(default_factory=list)
    role_hits: int = 0
    role_terms: int = 0
    grammar_issues: list[str] = field(default_factory=list)
    avg_sentence_words: float = 0.0
    repetition: float = 0.0  # share of content terms that repeat an earlier one
    code_share: float | None = None


def measure(request: EvaluationRequest) -> Features:
    lang = request.language
    answer = request.answer_text or ""
    norm = tx.normalise(answer)
    f = Features(language=lang)
    answer_words = tx.words(answer)
    # A Korean eojeol carries a word plus its particles or endings.
    f.word_count = len(answer_words) * (1.5 if lang == "ko" else 1.0)
    sents = tx.sentences(answer)
    f.sentence_count = len(sents)
    f.paragraph_count = len(tx.paragraphs(answer))
    f.avg_sentence_words = (len(answer_words) / len(sents)) if sents else 0.0

    _keywords(request, sents, f)

    reference = " ".join([request.question_text, request.sample_answer, *(request.expected_keywords * 2)])
    f.topical = _sat(tx.cosine(tx.features_for_cosine(answer), tx.features_for_cosine(reference)),
                     TOPICAL_FULL)

    f.figures = sorted(set(m.group(0).strip() for m in tx.NUMBER.finditer(norm)))
    f.metric_count = len(set(m.group(0).strip() for m in tx.METRIC.finditer(norm)))
    f.examples = tx.find_markers(norm, tx.EXAMPLES[lang])
    answer_terms = tx.terms(answer)
    latin = re.findall(r"[a-z0-9][a-z0-9+#./\-]*[a-z0-9+#]|[a-z]", norm)
    f.technologies = sorted({t for t in latin if t in tx.TECHNOLOGIES})
    f.timeframes = tx.find_markers(norm, tx.TIMEFRAMES[lang])
    f.connectives = tx.find_markers(norm, tx.CONNECTIVES[lang])
    f.enumerations = len(tx.ENUMERATION.findall(answer.lower()))
    f.fillers = tx.find_markers(norm, tx.FILLERS[lang])
    filler_count = tx.count_markers(norm, tx.FILLERS[lang])
    f.filler_rate = 100.0 * filler_count / max(f.word_count, 1.0)
    f.senior_markers = tx.find_markers(norm, tx.SENIOR_MARKERS[lang])
    if answer_terms:
        f.repetition = 1.0 - len(set(answer_terms)) / len(answer_terms)

    role_text = " ".join(filter(None, [request.category.replace("-", " "),
                                       request.job_context.role if request.job_context else None]))
    role_terms = sorted(set(tx.terms(role_text)) - tx.GENERIC)
    f.role_terms = len(role_terms)
    answer_set = set(answer_terms)
    f.role_hits = sum(1 for t in role_terms if t in answer_set or (lang == "ko" and t in tx.compact(answer)))

    if request.question_type in NARRATIVE_TYPES:
        _star(sents, lang, f)
    f.grammar_issues = _grammar(answer, sents, lang)
    if request.code_result is not None:
        f.code_share = request.code_result.share
    return f


def _keywords(request: EvaluationRequest, sents: list[str], f: Features) -> None:
    keywords = [k for k in dict.fromkeys(k.strip() for k in request.expected_keywords) if k]
    if not keywords:
        return
    sentence_data = [(tx.compact(s), set(tx.terms(s)), len(tx.words(s))) for s in sents]
    credit = 0.0
    keyword_terms = 0
    for keyword in keywords:
        wanted = set(tx.terms(keyword))
        key_compact = tx.compact(keyword)
        best = 0.0
        for compact_sentence, sentence_terms, length in sentence_data:
            # Korean (and any keyword whose terms vanish as stop words): substring
            # of the compacted text; otherwise every stemmed term of the keyword.
            if (request.language == "ko" or not wanted or tx.HANGUL.search(keyword)):
                hit = bool(key_compact) and key_compact in compact_sentence
            else:
                hit = wanted <= sentence_terms
            if hit:
                best = max(best, 1.0 if length >= PROSE_MIN_WORDS else 0.5)
        if best:
            f.keyword_hits.append(keyword)
            keyword_terms += max(len(wanted), 1)
        else:
            f.keyword_misses.append(keyword)
        credit += best
    f.keyword_coverage = credit / len(keywords)
    content_terms = len(tx.terms(request.answer_text))
    # Many keywords and little else: a list of buzzwords, not an explanation.
    f.stuffing = bool(f.keyword_hits) and content_terms > 0 and (
        keyword_terms / content_terms > 0.45
        or f.keyword_coverage < 0.75 * len(f.keyword_hits) / len(keywords)
    )


def _star(sents: list[str], lang: str, f: Features) -> None:
    markers = tx.STAR_MARKERS[lang]
    sequence: list[int] = []
    found: set[str] = set()
    for sentence in sents:
        norm = tx.normalise(sentence)
        counts = []
        for index, part in enumerate(tx.STAR_PARTS):
            hits = len(tx.find_markers(norm, markers[part]))
            if part == "action" and lang == "en" and tx.ACTION_EN.search(norm):
                hits += 1
            # An explicit label ("Result: ...") settles it.
            if re.match(r"\s*" + part + r"\s*[:\-]", norm):
                hits += 3
            counts.append((hits, index))
        best_hits, best_index = max(counts, key=lambda item: (item[0], -item[1]))
        for hits, index in counts:
            if hits:
                found.add(tx.STAR_PARTS[index])
        if best_hits:
            sequence.append(best_index)
    f.star_found = [p for p in tx.STAR_PARTS if p in found]
    steps = [b for a, b in zip(sequence, sequence[1:], strict=False) if a != b]
    pairs = [(a, b) for a, b in zip(sequence, sequence[1:], strict=False) if a != b]
    f.star_order = (sum(1 for a, b in pairs if b > a) / len(pairs)) if steps else (1.0 if sequence else 0.0)


def _grammar(answer: str, sents: list[str], lang: str) -> list[str]:
    issues: list[str] = []
    stripped = answer.strip()
    if stripped and not re.search(r"[.!?。)\]\"'`]$", stripped) and len(sents) >= 1:
        issues.append(say(lang, "g_punct"))
    if lang == "en":
        lower_starts = sum(1 for s in sents if s[:1].isalpha() and s[:1].islower())
        if lower_starts:
            issues.append(say(lang, "g_capital", n=lower_starts))
        if re.search(r"(?<![\w'])i(?![\w'])", answer):
            issues.append(say(lang, "g_lower_i"))
    repeats = sorted({m.group(1).lower() for m in re.finditer(r"\b(\w+)\s+\1\b", answer, re.IGNORECASE)
                      if not m.group(1).isdigit()})
    if repeats:
        issues.append(say(lang, "g_repeat", items=", ".join(repeats[:3])))
    long_limit = 40 if lang == "en" else 30
    long_sentences = sum(1 for s in sents if len(tx.words(s)) > long_limit)
    if long_sentences:
        issues.append(say(lang, "g_long", n=long_sentences))
    return issues


def _length_factor(words: float) -> float:
    if words <= 10:
        return 0.1
    if words <= 40:
        return 0.1 + 0.5 * (words - 10) / 30
    if words <= 80:
        return 0.6 + 0.4 * (words - 40) / 40
    if words <= 400:
        return 1.0
    return max(0.7, 1.0 - (words - 400) / 1000)


@dataclass
class Axes:
    understanding: float
    logic: float
    specificity: float
    job_fit: float
    completeness: float
    correctness: float
    communication: float
    length: float
    relevance: float
    star: float


def score(request: EvaluationRequest, f: Features) -> Axes:
    narrative = request.question_type in NARRATIVE_TYPES
    has_keywords = bool(request.expected_keywords)
    kw = f.keyword_coverage if has_keywords else f.topical
    top = f.topical
    relevance = min(1.0, 0.6 * max(kw, top) + 0.4 * min(kw, top))
    # Good form about something else earns little: structure and detail are
    # credited in proportion to relevance.
    gate = 0.1 + 0.9 * relevance
    length = _length_factor(f.word_count)
    if f.code_share is not None:
        length = max(length, 0.6)  # the code speaks too; a short explanation is fine
    # Long answers with little topical density are not rewarded for length.
    if f.word_count > 250 and top < 0.4:
        length *= 0.8
    stuffing = 0.6 if f.stuffing else 1.0
    filler = _sat(f.filler_rate, 8.0)
    repetition_penalty = 1.0 - 0.5 * _sat(f.repetition - 0.45, 0.3)

    sentences = 1.0 if f.sentence_count >= 3 else (0.6 if f.sentence_count == 2 else 0.3)
    connectives = _sat(len(f.connectives), 4)
    layout = _sat(max(f.paragraph_count - 1, 0) + f.enumerations, 2)
    sentence_length = 1.0 if 6 <= f.avg_sentence_words <= 30 else 0.5
    star = 0.0
    if narrative:
        presence = len(f.star_found) / 4
        star = 0.6 * presence + 0.4 * (f.star_order if len(f.star_found) >= 3 else 0.0)
        logic_raw = 0.5 * star + 0.25 * connectives + 0.15 * sentences + 0.1 * layout
    else:
        logic_raw = 0.45 * connectives + 0.25 * sentences + 0.15 * layout + 0.15 * sentence_length

    specific_raw = (0.3 * _sat(len(f.figures) + f.metric_count, 3) + 0.25 * _sat(len(f.examples), 1)
                    + 0.25 * _sat(len(f.technologies), 3) + 0.2 * _sat(len(f.timeframes), 1))
    if narrative:
        # Stories rarely name technologies; actions and results are their detail.
        specific_raw = (0.3 * _sat(len(f.figures) + f.metric_count, 3) + 0.2 * _sat(len(f.examples), 1)
                        + 0.15 * _sat(len(f.technologies), 2) + 0.2 * _sat(len(f.timeframes), 1)
                        + 0.15 * (1.0 if "result" in f.star_found else 0.0))

    level = request.job_context.level if request.job_context else None
    if level == "senior":
        level_fit = _sat(len(f.senior_markers), 2)
    elif level == "mid":
        level_fit = 0.5 + 0.5 * _sat(len(f.senior_markers), 1)
    else:
        level_fit = 0.7 + 0.3 * _sat(len(f.senior_markers), 1)
    role_fit = _sat(f.role_hits, 1) if f.role_terms else top
    fit_raw = 0.35 * top + 0.25 * kw + relevance * (0.15 * role_fit + 0.1 * level_fit + 0.15 * (1.0 - filler))

    understanding_raw = (0.45 * kw + 0.4 * top + 0.15 * length * relevance) * stuffing
    logic_raw = logic_raw * gate * (0.5 + 0.5 * length) * repetition_penalty
    specific_raw = specific_raw * gate * (0.6 + 0.4 * length)
    fit_raw = fit_raw * (0.5 + 0.5 * length) * stuffing

    completeness = 0.5 * kw + relevance * (0.25 * length + 0.25 * (
        (len(f.star_found) / 4) if narrative else top))
    correctness = (0.5 * kw + 0.5 * top) * stuffing
    communication = (0.35 * (0.5 * connectives + 0.3 * sentences + 0.2 * layout) + 0.25 * length
                     + 0.25 * (1.0 - filler) + 0.15 * (1.0 - _sat(len(f.grammar_issues), 4)))
    communication *= 0.5 + 0.5 * relevance
    if f.code_share is not None:
        share = f.code_share
        understanding_raw = 0.5 * share + 0.5 * understanding_raw
        logic_raw = 0.5 * share + 0.5 * logic_raw
        correctness = share
        completeness = 0.6 * share + 0.4 * completeness
    return Axes(understanding=understanding_raw, logic=logic_raw, specificity=specific_raw, job_fit=fit_raw,
                completeness=completeness, correctness=correctness, communication=communication,
                length=length, relevance=relevance, star=star)


class BuiltinEvaluator:
    """Scores an answer from measurable features of its text."""

    model = BUILTIN_MODEL

    def evaluate(self, request: EvaluationRequest) -> Evaluation:
        f = measure(request)
        axes = score(request, f)
        rubric = Rubric(
            understanding=_clamp(_round(25 * axes.understanding), 25),
            logic=_clamp(_round(25 * axes.logic), 25),
            specificity=_clamp(_round(25 * axes.specificity), 25),
            job_fit=_clamp(_round(25 * axes.job_fit), 25),
        )
        total = rubric.total
        scores = Scores(completeness=_clamp(_round(100 * axes.completeness), 100),
                        correctness=_clamp(_round(100 * axes.correctness), 100),
                        communication=_clamp(_round(100 * axes.communication), 100))
        lang = request.language
        strengths = _strengths(request, f, axes)
        improvements, suggestions, gap = _improvements(request, f, axes)
        follow_up = _follow_up(request, f, axes)
        summary_key = "sum_strong" if total >= 70 else ("sum_ok" if total >= 45 else "sum_weak")
        summary = say(lang, summary_key, score=total) + (say(lang, "sum_top", gap=gap) if gap else "")
        confidence = min(0.7, 0.35 + 0.15 * axes.length + (0.1 if request.sample_answer else 0.0)
                         + (0.1 if len(request.expected_keywords) >= 3 else 0.0))
        return Evaluation(
            rubric=rubric,
            total_score=total,
            scores=scores,
            strengths=strengths,
            improvements=improvements,
            detailed_feedback=DetailedFeedback(
                grammar=_grammar_text(lang, f),
                structure=_structure_text(request, f),
                content=_content_text(request, f, axes),
                suggestions=suggestions,
            ),
            ideal_answer=request.sample_answer.strip() or _outline(request),
            follow_up_question=follow_up,
            sentiment=sentiment_for(total),
            summary=summary,
            ai_analysis=AIAnalysis(model=self.model, confidence=round(confidence, 2), processing_time=0),
        )


def _clamp(value: int, top: int) -> int:
    return max(0, min(top, value))


def _items(lang: str, values: list[str], limit: int = 5) -> str:
    return say(lang, "sep").join(values[:limit])


def _strengths(request: EvaluationRequest, f: Features, axes: Axes) -> list[str]:
    lang = request.language
    out = []
    if f.code_share is not None and request.code_result and request.code_result.total and f.code_share == 1:
        out.append(say(lang, "s_code_all", total=request.code_result.total))
    if f.keyword_hits and f.keyword_coverage >= 0.6 and not f.stuffing:
        out.append(say(lang, "s_keywords", items=_items(lang, f.keyword_hits)))
    if f.topical >= 0.6 and axes.length >= 0.6:
        out.append(say(lang, "s_on_topic"))
    if axes.relevance < OFF_TOPIC:
        return out  # form without substance is not a strength
    if request.question_type in NARRATIVE_TYPES and len(f.star_found) == 4 and f.star_order >= 0.75:
        out.append(say(lang, "s_star"))
    if len(f.figures) + f.metric_count >= 2:
        out.append(say(lang, "s_figures", items=_items(lang, f.figures, 3)))
    if f.examples:
        out.append(say(lang, "s_example"))
    if len(f.technologies) >= 2:
        out.append(say(lang, "s_tech", items=_items(lang, f.technologies, 4)))
    if len(f.connectives) >= 3:
        out.append(say(lang, "s_reasoning", items=_items(lang, f.connectives, 4)))
    if not f.fillers and axes.length >= 0.6:
        out.append(say(lang, "s_concise"))
    return out


def _improvements(request: EvaluationRequest, f: Features, axes: Axes) -> tuple[list[str], list[str], str]:
    """Improvements, matching suggestions, and the biggest gap (for the summary)."""
    lang = request.language
    items: list[tuple[float, str, str | None]] = []  # (weight, improvement, suggestion)
    narrative = request.question_type in NARRATIVE_TYPES
    code = request.code_result
    if code is not None and code.total and code.passed < code.total:
        items.append((1.0 - code.share + 0.5, say(lang, "i_code", passed=code.passed, total=code.total),
                      say(lang, "sg_code")))
    if axes.relevance < OFF_TOPIC:
        items.append((0.95, say(lang, "i_off_topic"), None))
    if f.keyword_misses:
        items.append((0.5 + 0.4 * len(f.keyword_misses) / max(len(request.expected_keywords), 1),
                      say(lang, "i_missing", items=_items(lang, f.keyword_misses)),
                      say(lang, "sg_missing", item=f.keyword_misses[0])))
    if f.stuffing:
        items.append((0.7, say(lang, "i_stuffing"), None))
    if axes.length < 0.6:
        items.append((0.75, say(lang, "i_short"), None))
    elif f.word_count > 400:
        items.append((0.3, say(lang, "i_long"), None))
    if narrative:
        missing = [p for p in tx.STAR_PARTS if p not in f.star_found]
        if missing:
            names = [say(lang, "star_" + p) for p in missing]
            items.append((0.6 + 0.05 * len(missing), say(lang, "i_star_missing", items=_items(lang, names)),
                          say(lang, "sg_" + missing[-1])))
        elif f.star_order < 0.75:
            items.append((0.5, say(lang, "i_star_order"), say(lang, "sg_structure")))
    if len(f.figures) + f.metric_count == 0:
        items.append((0.45, say(lang, "i_figures"), say(lang, "sg_figures")))
    if not f.examples and not narrative:
        items.append((0.4, say(lang, "i_example"), say(lang, "sg_example")))
    if len(f.connectives) < 2 and f.sentence_count >= 2:
        items.append((0.35, say(lang, "i_reasoning"), say(lang, "sg_structure")))
    if f.filler_rate >= 3.0 and f.fillers:
        items.append((0.3, say(lang, "i_filler", items=_items(lang, f.fillers, 4)),
                      say(lang, "sg_filler", item=f.fillers[0])))
    if request.job_context and request.job_context.level == "senior" and len(f.senior_markers) < 2:
        items.append((0.3, say(lang, "i_senior"), None))
    if not items:
        items.append((0.1, say(lang, "i_deeper"), None))
    items.sort(key=lambda item: -item[0])  # stable: ties keep the order above
    improvements = [text for _, text, _ in items]
    suggestions = list(dict.fromkeys(s for _, _, s in items if s))
    return improvements, suggestions, improvements[0] if items[0][0] >= 0.3 else ""


def _follow_up(request: EvaluationRequest, f: Features, axes: Axes) -> str | None:
    """One question aimed at the biggest gap, or None when there is none worth asking."""
    lang = request.language
    code = request.code_result
    if code is not None and code.total and code.passed < code.total:
        return say(lang, "fu_code")
    if axes.relevance < OFF_TOPIC:
        return say(lang, "fu_off_topic", question=request.question_text.strip())
    if request.question_type in NARRATIVE_TYPES:
        for part in ("result", "action", "task", "situation"):
            if part not in f.star_found:
                return say(lang, "fu_" + part)
    if f.keyword_misses and f.keyword_coverage < 0.7:
        misses = f.keyword_misses
        if len(misses) == 1:
            return say(lang, "fu_keywords_one", a=misses[0])
        return say(lang, "fu_keywords_two", a=misses[0], b=misses[1])
    if not f.examples and len(f.figures) + f.metric_count == 0:
        return say(lang, "fu_example")
    return None


def _grammar_text(lang: str, f: Features) -> str:
    if not f.grammar_issues:
        return say(lang, "g_ok")
    return say(lang, "g_prefix") + "; ".join(f.grammar_issues) + "."


def _structure_text(request: EvaluationRequest, f: Features) -> str:
    lang = request.language
    text = say(lang, "st_summary", sentences=f.sentence_count, paragraphs=f.paragraph_count,
               connectives=_items(lang, f.connectives, 6) or say(lang, "st_none"))
    if request.question_type in NARRATIVE_TYPES:
        found = [say(lang, "star_" + p) for p in f.star_found]
        missing = [say(lang, "star_" + p) for p in tx.STAR_PARTS if p not in f.star_found]
        order = "st_order_ok" if f.star_order >= 0.75 else "st_order_bad"
        text += say(lang, "st_star", found=_items(lang, found) or say(lang, "st_none"),
                    missing=_items(lang, missing) or say(lang, "st_none"), order=say(lang, order))
    return text


def _content_text(request: EvaluationRequest, f: Features, axes: Axes) -> str:
    lang = request.language
    overlap = _round(100 * f.topical)
    if request.expected_keywords:
        items = f" ({_items(lang, f.keyword_hits)})" if f.keyword_hits else ""
        total = len(f.keyword_hits) + len(f.keyword_misses)
        text = say(lang, "c_summary", hit=len(f.keyword_hits), total=total,
                   items=items, overlap=overlap)
    else:
        text = say(lang, "c_no_keywords", overlap=overlap)
    text += say(lang, "c_specific", numbers=len(f.figures), examples=len(f.examples),
                tech=len(f.technologies))
    code = request.code_result
    if code is not None:
        text += say(lang, "c_code", passed=code.passed, total=code.total, status=code.status)
    return text


def _outline(request: EvaluationRequest) -> str:
    lang = request.language
    steps = []
    if request.question_type in NARRATIVE_TYPES:
        steps.append(say(lang, "ideal_star"))
    else:
        steps.append(say(lang, "ideal_generic"))
    if request.expected_keywords:
        steps.append(say(lang, "ideal_cover", items=_items(lang, request.expected_keywords, 8)))
    return say(lang, "ideal_outline", steps="; ".join(steps)) + ("." if lang == "en" else "")


builtin_evaluator = BuiltinEvaluator()
