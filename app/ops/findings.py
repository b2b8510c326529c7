"""One line of `jobmatrix doctor`: a check that passed, or a problem with its fix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    check: str
    ok: bool
    text: str

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'} {self.check}: {self.text}"


def ok(check: str, text: str) -> Finding:
    return Finding(check, True, text)


def problem(check: str, text: str) -> Finding:
    return Finding(check, False, text)
