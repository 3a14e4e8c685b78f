"""The `interviewd` command."""

from __future__ import annotations

import asyncio
import json

import click

from interviewd.config import get_settings


def _run(coro_factory):
    """Run an async command body against a fresh runtime."""
    from interviewd import runtime

    async def main():
        rt = runtime.build(get_settings(), pooled=False)
        runtime.install(rt)
        try:
            return await coro_factory(rt)
        finally:
            await rt.close()
            runtime.install(None)

    return asyncio.run(main())


def _migrate() -> None:
    from interviewd.migrate import upgrade

    upgrade(get_settings().database_url)


@click.group()
@click.version_option(package_name="interviewd")
def main() -> None:
    """interviewd: one backend for interview platforms."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="Server processes.")
@click.option("--no-migrate", is_flag=True, help="Do not apply pending migrations first.")
def serve(host: str, port: int, workers: int, no_migrate: bool) -> None:
    """Serve the HTTP API (applies pending migrations first)."""
    import uvicorn

    if not no_migrate:
        _migrate()
    uvicorn.run(
        "interviewd.app:create_app", factory=True, host=host, port=port, workers=workers,
        proxy_headers=True, access_log=False, log_config=None,
    )


@main.command()
def migrate() -> None:
    """Apply pending database migrations."""
    _migrate()
    click.echo("database is up to date")


@main.command()
@click.option("--demo", is_flag=True, help="Also create the demo accounts and demo mentors.")
def seed(demo: bool) -> None:
    """Load reference data (idempotent); with --demo, demo accounts and mentors too."""
    from interviewd.db import unit_of_work
    from interviewd.seed import seed_demo_accounts, seed_demo_data, seed_reference_data

    _migrate()

    async def body(rt):
        async with unit_of_work(rt.sessionmaker) as session:
            counts = await seed_reference_data(session)
            accounts = await seed_demo_accounts(session) if demo else []
            if demo:
                counts.update(await seed_demo_data(session))
        return counts, accounts

    counts, accounts = _run(body)
    for name, count in counts.items():
        click.echo(f"{name}: {count}")
    for account in accounts:
        click.echo(f"demo {account['role']}: {account['email']} / {account['password']}")
    click.echo("seed complete")


@main.command("create-admin")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--name", default="Administrator", show_default=True)
def create_admin(email: str, password: str, name: str) -> None:
    """Create an administrator, or promote and re-password an existing account."""
    from interviewd.db import unit_of_work
    from interviewd.errors import DomainError
    from interviewd.models.user import Role
    from interviewd.seed import upsert_user

    _migrate()

    async def body(rt):
        async with unit_of_work(rt.sessionmaker) as session:
            user, created = await upsert_user(
                session, email=email, password=password, name=name, role=Role.ADMIN.value
            )
            return user.email, created

    try:
        email, created = _run(body)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"admin {'created' if created else 'updated'}: {email}")


@main.command()
@click.option("--surface", type=click.Choice(["api", "hiring"]), default="api", show_default=True)
def openapi(surface: str) -> None:
    """Print a surface's OpenAPI document."""
    from interviewd.surfaces.candidate.app import create_candidate_app
    from interviewd.surfaces.hiring.app import create_hiring_app

    app = create_candidate_app() if surface == "api" else create_hiring_app()
    app.servers = [{"url": "/api" if surface == "api" else "/api/v1"}]
    click.echo(json.dumps(app.openapi(), indent=2))


@main.command()
@click.option("--workers", default=None, type=int, help="Worker threads (default from settings).")
def worker(workers: int | None) -> None:
    """Run background jobs (for deployments with INTERVIEWD_JOBS_IN_PROCESS=false)."""
    from interviewd.app import _register_job_handlers
    from interviewd.jobs.queue import JobQueue
    from interviewd.web.observability import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level)
    _register_job_handlers()
    JobQueue(settings).run_worker(workers)


if __name__ == "__main__":
    main()
