"""`jobmatrix serve`, `jobmatrix migrate`, `jobmatrix keygen`."""

from __future__ import annotations

import typer

from app.cli import cli
from app.settings import ConfigError, Settings, load_settings


def settings_or_exit(**overrides: object) -> Settings:
    """Settings, or one clear line naming the bad variable and exit code 2."""
    try:
        return load_settings(**overrides)
    except ConfigError as error:
        typer.echo(str(error.code), err=True)
        raise typer.Exit(2) from None


@cli.command("migrate")
def migrate_command(database_url: str = typer.Option("", help="Overrides JOBMATRIX_DATABASE_URL.")) -> None:
    """Apply every Alembic migration to the database."""
    from app.migrate import upgrade

    settings = settings_or_exit(**({"JOBMATRIX_DATABASE_URL": database_url} if database_url else {}))
    upgrade(settings.database_url)
    typer.echo(f"database is at the latest revision: {settings.database_url.split('@')[-1]}")


@cli.command("serve")
def serve_command(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, help="uvicorn worker processes (PostgreSQL only for more than one)."),
) -> None:
    """Apply migrations, then run the web app (webhooks, admin API, dashboard)."""
    import uvicorn

    from app.main import create_app
    from app.migrate import upgrade

    settings = settings_or_exit()
    sqlite = settings.database_url.startswith("sqlite")
    if workers > 1 and sqlite:
        # The relay worker (intake, dispatcher, scheduler) runs inside the single SQLite process;
        # N web processes would serve callbacks that nothing ever routes or sends.
        typer.echo(f"serve --workers {workers} needs PostgreSQL: SQLite is one process, which also runs the relay "
                   "worker. Drop --workers, or set JOBMATRIX_DATABASE_URL=postgresql://… and run "
                   "`jobmatrix dispatch` and `jobmatrix scheduler` beside the web workers.", err=True)
        raise typer.Exit(2)
    upgrade(settings.database_url)
    if workers > 1:
        _share_metrics_between_workers()
        uvicorn.run("app.main:create_app", factory=True, host=host, port=port, workers=workers, log_level="info")
        return
    app = create_app(settings)
    # SQLite is one process: the relay's intake, dispatcher and scheduler run here too. On
    # PostgreSQL they run as `jobmatrix dispatch` and `jobmatrix scheduler` processes.
    runtime = _relay_runtime(app) if sqlite else None
    try:
        uvicorn.run(app, host=host, port=port, log_level="info")
    finally:
        if runtime is not None:
            runtime.stop()


def _share_metrics_between_workers() -> None:
    """Each worker counts its callbacks in files that a scrape of any worker adds up (docs/operations.md)."""
    import os
    from pathlib import Path

    from app.ops.callback_metrics import MULTIPROC_ENV, prepare_multiprocess_dir

    prepare_multiprocess_dir(Path(os.environ.get(MULTIPROC_ENV) or "var/prometheus-multiproc"))


def _relay_runtime(app):
    from app.retention import housekeeping_jobs
    from relay.worker import RelayRuntime

    factory, settings = app.state.session_factory, app.state.settings
    return RelayRuntime(settings=settings, engine=factory.kw["bind"], session_factory=factory,
                        housekeeping=housekeeping_jobs(settings)).start()


@cli.command("keygen")
def keygen_command() -> None:
    """Print a new data key for JOBMATRIX_DATA_KEY (put it first; keep old keys after it to rotate)."""
    from app.privacy import generate_key

    typer.echo(generate_key())
