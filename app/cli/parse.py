"""`jobmatrix parse`: JSON lines in, understood messages out (owned by templates_msg)."""

from app.cli import cli


@cli.command("parse")
def parse_command() -> None:
    """Read {"id","text"} JSON lines on stdin; write {"id","kind","fields","masked","red_flags"} lines."""
    import sys

    from templates_msg.cli import run_parse_stream

    run_parse_stream(sys.stdin, sys.stdout)
