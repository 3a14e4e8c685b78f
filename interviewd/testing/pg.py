"""Create or drop a scratch PostgreSQL database for a test run.

python -m interviewd.testing.pg create|drop ADMIN_URL NAME
"""

from __future__ import annotations

import asyncio
import re
import sys

import asyncpg


async def _main(action: str, admin_url: str, name: str) -> None:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise SystemExit(f"unsafe database name {name!r}")
    conn = await asyncpg.connect(admin_url)
    try:
        if action == "create":
            await conn.execute(f'CREATE DATABASE "{name}"')
        else:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("create", "drop"):
        raise SystemExit(__doc__)
    asyncio.run(_main(*sys.argv[1:]))
