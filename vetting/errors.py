"""Domain errors; each carries the Chinese reply the edge gives (chat) or the API's detail."""

from __future__ import annotations


class VettingError(Exception):
    status_code = 409

    def __init__(self, reply: str, problems: list[str] | None = None) -> None:
        super().__init__(reply)
        self.reply = reply
        self.problems = problems or []


class Invalid(VettingError):
    status_code = 422


class NotAllowed(VettingError):
    status_code = 403


class NotFound(VettingError):
    status_code = 404
