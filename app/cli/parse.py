"""`jobmatrix parse`: JSON lines in, understood messages out (owned by templates_msg)."""

import typer

from app.cli import cli
from templates_msg.cli import FORMAT_HELP


@cli.command("parse", help=FORMAT_HELP)
def parse_command() -> None:
    import sys

    from templates_msg.cli import run_parse_stream

    # Bytes in: a line that is not UTF-8 is reported with its number instead of ending the run.
    failed = run_parse_stream(sys.stdin.buffer, sys.stdout, sys.stderr)
    if failed:
        typer.echo(f"{failed} line(s) failed", err=True)
        raise typer.Exit(1)
