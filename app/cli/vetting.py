"""`jobmatrix vetting blacklist import FILE`: load the bureau's wage-arrears blacklist (CSV)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from app.cli import cli

vetting_app = typer.Typer(help="Employer vetting (三审): the wage-arrears blacklist.", no_args_is_help=True)
blacklist_app = typer.Typer(help="The bureau's wage-arrears blacklist.", no_args_is_help=True)
vetting_app.add_typer(blacklist_app, name="blacklist")
cli.add_typer(vetting_app, name="vetting")


@blacklist_app.command("import")
def import_command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True,
                                help="CSV with a header: credit_code (or 统一社会信用代码), name, reason."),
    database_url: str | None = typer.Option(None, "--database-url", help="Default: JOBMATRIX_DATABASE_URL."),
) -> None:
    """Add or update every listed enterprise; rows with an invalid credit code are reported, not imported."""
    from app.cli.database import open_database
    from app.db import make_session_factory, session_scope
    from vetting.blacklist import count_rows, import_file

    _, engine = open_database(database_url)
    console = Console()
    try:
        with _bar(console) as bar, session_scope(make_session_factory(engine)) as session:
            task = bar.add_task("blacklist", total=count_rows(file))
            report = import_file(session=session, path=file, now=datetime.now(UTC),
                                 progress=lambda n: bar.advance(task, n))
    finally:
        engine.dispose()
    for line in report.skipped:
        console.print(f"[yellow]skipped[/] {line}")
    console.print(f"blacklist: {report.added} added, {report.updated} updated, {len(report.skipped)} skipped")


def _bar(console: Console) -> Progress:
    return Progress(TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=console)
