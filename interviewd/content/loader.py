from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from interviewd.content.schema import ChallengeSeed, QuestionSeed

HERE = Path(__file__).parent


class ContentError(ValueError):
    pass


def _load(folder: str, model):
    items, keys = [], set()
    for path in sorted((HERE / folder).glob("*.json")):
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ContentError(f"{path.name}: not valid JSON: {exc}") from exc
        for index, entry in enumerate(entries):
            try:
                item = model.model_validate(entry)
            except ValidationError as exc:
                key = entry.get("key", f"#{index}") if isinstance(entry, dict) else f"#{index}"
                raise ContentError(f"{path.name} {key}: {exc}") from exc
            if item.key in keys:
                raise ContentError(f"{path.name}: duplicate key {item.key}")
            keys.add(item.key)
            items.append(item)
    return items


@cache
def load_questions() -> tuple[QuestionSeed, ...]:
    return tuple(_load("questions", QuestionSeed))


@cache
def load_challenges() -> tuple[ChallengeSeed, ...]:
    return tuple(_load("challenges", ChallengeSeed))
