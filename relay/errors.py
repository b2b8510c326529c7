"""Domain errors a person can cause; each carries the Chinese reply the edge sends back."""

from __future__ import annotations


class RelayError(Exception):
    """A refusal with its user-facing text in `args[0]`."""

    @property
    def reply(self) -> str:
        return str(self.args[0]) if self.args else ""


class NotFound(RelayError):
    pass


class NotAllowed(RelayError):
    pass


class NotPending(RelayError):
    pass
