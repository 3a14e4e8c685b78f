from __future__ import annotations

import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.web.processes import INTERVIEWD, clean_env


@dataclass
class Installation:
    """A fresh interviewd installation: its own data dir and SQLite file, so
    the command line never touches the shared test database."""

    root: Path
    data_dir: Path
    db_path: Path

    @property
    def database_url(self) -> str:
        return f"sqlite+aiosqlite:///{self.db_path}"

    def env(self, **extra: str) -> dict[str, str]:
        settings = {"INTERVIEWD_DATA_DIR": str(self.data_dir),
                    "INTERVIEWD_DATABASE_URL": f"sqlite:///{self.db_path}"}
        return clean_env(**{**settings, **extra})

    def run(self, *args: str, **extra_env: str) -> subprocess.CompletedProcess:
        return subprocess.run([INTERVIEWD, *args], env=self.env(**extra_env), cwd=self.root,
                              capture_output=True, text=True, timeout=120)

    def query(self, sql: str) -> list[tuple]:
        with sqlite3.connect(self.db_path) as conn:
            return conn.execute(sql).fetchall()


@pytest.fixture
def installation(tmp_path: Path) -> Installation:
    return Installation(root=tmp_path, data_dir=tmp_path / "data", db_path=tmp_path / "cli.db")
