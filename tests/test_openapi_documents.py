"""The committed OpenAPI documents (docs/openapi/) must match the code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from interviewd.cli import main

DOCS = Path(__file__).resolve().parent.parent / "docs" / "openapi"


@pytest.mark.parametrize(("surface", "filename"), [("api", "api.json"), ("hiring", "hiring.json")])
def test_committed_openapi_document_is_current(surface: str, filename: str) -> None:
    result = CliRunner().invoke(main, ["openapi", "--surface", surface])
    assert result.exit_code == 0, result.output
    generated = json.loads(result.output)
    committed = json.loads((DOCS / filename).read_text())
    assert generated == committed, f"docs/openapi/{filename} is stale: run scripts/openapi"
    assert generated["openapi"].startswith("3.1")
