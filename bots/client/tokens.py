"""Where access tokens live. bots/ defines the contract; app/ provides the database store.

One token per app per deployment (wecom-platform.md §3.4): every worker reads the same row,
and a short lease makes sure only one of them calls gettoken at a time.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


@dataclass(frozen=True)
class CachedToken:
    token: str
    expires_at: datetime


class TokenStore(Protocol):
    def load(self, app_key: str) -> CachedToken | None:
        """The stored token of this app, or None."""

    def save(self, app_key: str, token: str, expires_at: datetime) -> None:
        """Store a freshly fetched token (and end the caller's lease)."""

    def invalidate(self, app_key: str, token: str) -> None:
        """Forget `token` if it is still the stored one (another worker may have replaced it)."""

    def try_lease(self, app_key: str, holder: str, until: datetime, now: datetime) -> bool:
        """Take the refresh lease unless another holder has it until after `now`."""

    def release(self, app_key: str, holder: str) -> None:
        """Give the lease back without saving (the fetch failed)."""


class CallRecorder(Protocol):
    def record(self, *, app_key: str, api: str, errcode: int, http_status: int, attempt: int, duration_ms: int) -> None:
        """Remember the outcome of one API call attempt."""


class MemoryTokenStore:
    """A process-local store for tests and one-off scripts."""

    def __init__(self) -> None:
        self._tokens: dict[str, CachedToken] = {}
        self._leases: dict[str, tuple[str, datetime]] = {}
        self._lock = threading.Lock()

    def load(self, app_key: str) -> CachedToken | None:
        return self._tokens.get(app_key)

    def save(self, app_key: str, token: str, expires_at: datetime) -> None:
        with self._lock:
            self._tokens[app_key] = CachedToken(token, expires_at)
            self._leases.pop(app_key, None)

    def invalidate(self, app_key: str, token: str) -> None:
        with self._lock:
            current = self._tokens.get(app_key)
            if current and current.token == token:
                del self._tokens[app_key]

    def try_lease(self, app_key: str, holder: str, until: datetime, now: datetime) -> bool:
        with self._lock:
            current = self._leases.get(app_key)
            if current and current[0] != holder and current[1] > now:
                return False
            self._leases[app_key] = (holder, until)
            return True

    def release(self, app_key: str, holder: str) -> None:
        with self._lock:
            if self._leases.get(app_key, ("",))[0] == holder:
                del self._leases[app_key]


class MemoryCallRecorder:
    def __init__(self) -> None:
        self.calls: list[dict] = []

    def record(self, **call: object) -> None:
        self.calls.append(dict(call))


REFRESH_AHEAD = timedelta(seconds=300)
