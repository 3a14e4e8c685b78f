"""The domain layer never imports the web framework or a surface (DESIGN.md
section 2): it must run the same in a request, a job worker and the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

import interviewd

PACKAGE_ROOT = Path(interviewd.__file__).parent
DOMAIN = PACKAGE_ROOT / "domain"
FORBIDDEN = ("fastapi", "starlette", "interviewd.surfaces", "interviewd.web")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> list[tuple[int, str]]:
    """Every module `source` imports, relative imports resolved against `module`,
    including imports nested in functions and TYPE_CHECKING blocks."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)
              and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant)):
            found.append((node.lineno, str(node.args[0].value)))
    return found


def violations(source: str, module: str, *, is_package: bool = False) -> list[str]:
    return [
        f"{module}:{line} imports {name}"
        for line, name in imported_modules(source, module, is_package=is_package)
        if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)
    ]


def test_domain_imports_neither_the_web_framework_nor_a_surface():
    files = sorted(DOMAIN.rglob("*.py"))
    assert files, "no domain modules found"
    problems = []
    for path in files:
        problems += violations(path.read_text(), _module_name(path), is_package=path.name == "__init__.py")
    assert problems == []


def test_the_checker_catches_each_kind_of_forbidden_import():
    module = "interviewd.domain.users.service"
    caught = [
        "import fastapi",
        "from fastapi import Depends",
        "import starlette.requests as r",
        "from starlette.responses import JSONResponse",
        "from interviewd.surfaces.candidate import app",
        "from interviewd import web",
        "import interviewd.web.deps",
        "from ...web.ratelimit import RateLimiter",
        "from ... import surfaces",
        "def later():\n    from fastapi import Request\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from starlette.types import Scope\n",
        "import importlib\nimportlib.import_module('interviewd.surfaces.hiring.app')",
    ]
    for source in caught:
        assert violations(source, module), source
    assert violations("from .. import web", "interviewd.domain", is_package=True)

    allowed = [
        "from interviewd.errors import NotFound",
        "from interviewd.domain.users.repository import user_repository",
        "from ..auth.service import auth_service",
        "import fastapi_like_but_not",
        "from interviewd.webhooks import thing",
        "from sqlalchemy.ext.asyncio import AsyncSession",
    ]
    for source in allowed:
        assert violations(source, module) == [], source
