"""`python -m app.cli` is `jobmatrix`."""

from app.cli import main

main()
