"""`jobmatrix org import FILE`: load the org tree from a YAML file (docs/org-file.md)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from app.cli import cli

if TYPE_CHECKING:
    from app.org.importer import ImportReport

org_app = typer.Typer(
    help="The org tree: district, townships, villages, their groups and staff.", no_args_is_help=True
)
cli.add_typer(org_app, name="org")


@org_app.command("import")
def import_command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="The org YAML file."),
    database_url: str | None = typer.Option(None, "--database-url", help="Default: JOBMATRIX_DATABASE_URL."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate and count changes, then roll back."),
) -> None:
    """Create or update nodes, groups, staff and contacts from FILE. Safe to repeat."""
    # Imported here so other commands do not pay for SQLAlchemy models at start-up.
    from app.org.importer import OrgFileInvalid

    try:
        source_text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        typer.echo(f"{file}: not UTF-8 text (byte {exc.start}); save the file as UTF-8", err=True)
        raise typer.Exit(1) from None
    console = Console()
    started = time.perf_counter()
    try:
        report = _run_import(source_text, str(file), database_url, dry_run, console)
    except OrgFileInvalid as exc:
        for error in exc.errors:
            typer.echo(str(error), err=True)
        typer.echo(f"{len(exc.errors)} error(s); nothing was imported.", err=True)
        raise typer.Exit(1) from None
    _print_report(console, report, time.perf_counter() - started, dry_run)


def _run_import(
    source_text: str, filename: str, database_url: str | None, dry_run: bool, console: Console
) -> ImportReport:
    from app.cli.database import open_database
    from app.db import make_session_factory, session_scope
    from app.org.importer import import_org

    _, engine = open_database(database_url)
    try:
        with _progress_bar(console) as bar, session_scope(make_session_factory(engine)) as session:
            task = bar.add_task("importing", total=None)
            report = import_org(
                session=session,
                source_text=source_text,
                filename=filename,
                progress=lambda done, total, code: bar.update(
                    task, completed=done, total=total, description=code
                ),
            )
            if dry_run:
                session.rollback()
        return report
    finally:
        engine.dispose()


def _progress_bar(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description:<14}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def _print_turnover(console: Console, report: ImportReport, dry_run: bool) -> None:
    """Who loses their rights with this import, and where their pending cards went."""
    if not report.deactivated:
        return
    verb = "would be deactivated" if dry_run else "deactivated"
    console.print(f"{len(report.deactivated)} staff {verb} (absent from the file or marked left):", markup=False)
    for staff in report.deactivated:
        console.print(f"  {staff.userid}  {staff.name}  {staff.role}", markup=False)
    for moved in report.handed_over:
        to = moved.to_userid or "nobody (the township has no steward, backup or officer)"
        console.print(f"  card of {moved.card}: {moved.from_userid} -> {to}", markup=False)


def _print_report(console: Console, report: ImportReport, seconds: float, dry_run: bool) -> None:
    from app.org.importer import TABLES

    for warning in report.warnings:
        console.print(f"warning: {warning}", style="yellow", markup=False, soft_wrap=True)
    _print_turnover(console, report, dry_run)
    table = Table(title="org import (dry run, rolled back)" if dry_run else "org import")
    for column in ("table", "created", "updated", "unchanged"):
        table.add_column(column, justify="left" if column == "table" else "right")
    for name in TABLES:
        counts = report.counts[name]
        table.add_row(name, str(counts.created), str(counts.updated), str(counts.unchanged))
    console.print(table)
    verdict = ("changes found" if dry_run else "changes applied") if report.changed else "nothing changed"
    console.print(f"{verdict} in {seconds:.2f} s", markup=False)
