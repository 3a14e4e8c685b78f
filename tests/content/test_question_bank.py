"""Checks over the whole question bank as `interviewd seed` loads it: every file
under interviewd/content/questions, whichever language or category it holds.

The loader already validates each entry's shape; these tests guard what a
single entry cannot show: the bank is large and varied enough for 003/004's
category, difficulty and language filters, and no question is listed twice."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict

import pytest

from interviewd.content.loader import load_questions

MIN_QUESTIONS = 400
MIN_CATEGORIES = 12
MIN_KOREAN = 40
DIFFICULTIES = {"easy", "medium", "hard"}
NON_CODING_TYPES = {"behavioral", "situational", "theory", "technical"}


class Bank(tuple):
    # A failing assertion shows its arguments; four hundred questions would bury the message.
    def __repr__(self) -> str:
        return f"<{len(self)} questions>"


@pytest.fixture(scope="module")
def bank() -> Bank:
    return Bank(load_questions())


def normalise(text: str) -> str:
    """Case, width, punctuation and spacing differences do not make a new question."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def test_bank_holds_at_least_400_english_and_korean_questions(bank):
    counts = Counter(q.language for q in bank)
    assert counts["en"] + counts["ko"] >= MIN_QUESTIONS, dict(counts)


def test_bank_holds_at_least_40_korean_questions(bank):
    korean = [q for q in bank if q.language == "ko"]
    assert len(korean) >= MIN_KOREAN, len(korean)


def test_bank_spans_at_least_12_categories(bank):
    categories = {q.category for q in bank}
    assert len(categories) >= MIN_CATEGORIES, sorted(categories)


def test_every_difficulty_is_present(bank):
    assert {q.difficulty for q in bank} == DIFFICULTIES


def test_every_non_coding_type_is_present(bank):
    types = {q.type for q in bank}
    assert types >= NON_CODING_TYPES, sorted(NON_CODING_TYPES - types)


def test_no_coding_questions_without_a_challenge(bank):
    # A coding question needs tests and starters to be answerable; those live in
    # content/challenges, so a bare "coding" entry here could never be run.
    coding = [q.key for q in bank if q.type == "coding"]
    assert coding == []


def test_keys_are_unique(bank):
    duplicates = [key for key, n in Counter(q.key for q in bank).items() if n > 1]
    assert duplicates == []


def test_titles_are_unique_per_category_and_language(bank):
    seen: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for q in bank:
        seen[(q.category, q.language, normalise(q.title))].append(q.key)
    duplicates = {group: keys for group, keys in seen.items() if len(keys) > 1}
    assert duplicates == {}


def test_no_two_questions_share_the_same_text(bank):
    seen: dict[str, list[str]] = defaultdict(list)
    for q in bank:
        seen[normalise(q.text)].append(q.key)
    duplicates = [keys for keys in seen.values() if len(keys) > 1]
    assert duplicates == []


def test_normalise_ignores_case_punctuation_and_spacing():
    assert normalise("What is  a Hash-Map?") == normalise("what is a hash map")
    assert normalise("해시 맵이란 무엇인가요?") == normalise("해시  맵이란 무엇인가요")
    assert normalise("What is a hash map?") != normalise("What is a heap?")
