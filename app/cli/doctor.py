"""`jobmatrix doctor`: check a deployment before WeCom is pointed at it (docs/operations.md)."""

from __future__ import annotations

import typer

from app.cli import cli


@cli.command("doctor")
def doctor_command(
    public_url: str = typer.Option("", envvar="JOBMATRIX_PUBLIC_URL",
                                   help="Base URL registered in WeCom, e.g. https://jobs.example.gov.cn"),
    time_source: str = typer.Option("", help="A URL whose Date header is the reference clock "
                                    "(default: the PostgreSQL server's clock)."),
    max_clock_skew: float = typer.Option(30.0, help="Seconds of clock difference still accepted."),
    key_file: str = typer.Option("var/data.key", help="Where the embedded setup keeps its data key."),
) -> None:
    """Check tokens, keys, receive ids, the public callback URL, database, clock and data key.

    One line per finding; every FAIL line says how to fix it. Exit code 1 when anything failed."""
    from app.ops.doctor import diagnose

    findings = diagnose(public_url=public_url, time_source=time_source, max_clock_skew=max_clock_skew,
                        key_file=key_file)
    for finding in findings:
        typer.echo(finding.line())
    failed = sum(not f.ok for f in findings)
    typer.echo(f"{failed} problem(s) found" if failed else "no problems found")
    raise typer.Exit(1 if failed else 0)
