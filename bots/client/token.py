"""Access tokens shared by every worker of a deployment (wecom-platform.md §3.4, DESIGN.md #4).

The token lives in the TokenStore (the database in production), keyed per app. A worker that
finds it missing or within REFRESH_AHEAD of expiry takes the store's refresh lease; only the
holder calls gettoken, the others keep using a still-valid token or wait briefly for the new one.
This matters twice over: gettoken is rate-limited (§2.1), and for the Official Account every
fetch invalidates the previous token after 5 minutes (§4.2), so workers fetching on their own
would knock each other's tokens out.

Each worker also keeps its own copy of the stored token and reads the store again only when that
copy nears expiry or is rejected: no database read per API call. The price: when WeCom drops a
token early, every worker pays one rejected call (40014) before picking up the new token.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .clock import Clock
from .errors import TransientApiError
from .tokens import REFRESH_AHEAD, CachedToken, TokenStore


@dataclass(frozen=True)
class FetchedToken:
    token: str
    expires_in: int  # seconds, as gettoken / token answers


class TokenProvider:
    """The current access token of one app, fetched by at most one worker at a time.

    `fetch` performs the HTTP call (gettoken for WeCom, token for the OA) and raises ApiError on
    failure; it is given by the client, which records the call like any other.
    """

    def __init__(
        self,
        *,
        app_key: str,
        fetch: Callable[[], FetchedToken],
        store: TokenStore,
        clock: Clock,
        lease_seconds: float = 15.0,
        wait_seconds: float = 20.0,
        poll_seconds: float = 0.05,
        refresh_ahead: timedelta = REFRESH_AHEAD,
    ) -> None:
        self.app_key = app_key
        self._fetch = fetch
        self._store = store
        self._clock = clock
        self._lease = timedelta(seconds=lease_seconds)  # longer than one gettoken call's timeout
        self._wait_seconds = wait_seconds
        self._poll_seconds = poll_seconds
        self._refresh_ahead = refresh_ahead
        self._worker = uuid.uuid4().hex[:12]
        # WeCom may hand back the same token while it is valid (§2.1), so an early refresh can
        # leave the token just as close to expiry; don't retry that on every call.
        self._early_refresh_after = 0.0
        self._local: CachedToken | None = None  # this worker's copy of the stored token

    def get(self) -> str:
        """A token valid for a while yet; fetches one if needed."""
        local, now = self._local, self._clock.now()
        if local and local.expires_at > now and not self._due(local.expires_at, now):
            return local.token  # no store read per call; a rejected token is caught by its errcode
        self._local = self._shared()
        return self._local.token

    def invalidate(self, token: str) -> None:
        """Forget `token` after the platform rejected it (40014/42001), unless already replaced."""
        if self._local and self._local.token == token:
            self._local = None
        self._store.invalidate(self.app_key, token)

    def _shared(self) -> CachedToken:
        """The store's token if fresh, else a new one: fetched by us under the lease, or by the
        lease holder while we wait (bounded)."""
        deadline = self._clock.monotonic() + self._wait_seconds
        poll = self._poll_seconds
        while True:
            now = self._clock.now()
            cached = self._store.load(self.app_key)
            valid = cached if cached is not None and cached.expires_at > now else None
            if valid is not None and not self._due(valid.expires_at, now):
                return valid
            # A unique holder per attempt: MemoryTokenStore lets a holder re-take its own lease,
            # and two threads of one worker must not both fetch.
            holder = f"{self._worker}:{uuid.uuid4().hex[:8]}"
            if self._store.try_lease(self.app_key, holder, now + self._lease, now):
                return self._refresh(holder)
            if valid is not None:
                return valid  # the lease holder is renewing it; this one still works
            if self._clock.monotonic() >= deadline:
                message = "timed out waiting for another worker's token refresh"
                raise TransientApiError(-1, message, "gettoken", retry_after=self._wait_seconds)
            self._clock.sleep(poll)
            poll = min(poll * 2, 1.0)

    def _due(self, expires_at: datetime, now: datetime) -> bool:
        if expires_at - self._refresh_ahead > now:
            return False
        return self._clock.monotonic() >= self._early_refresh_after

    def _refresh(self, holder: str) -> CachedToken:
        """Fetch and store a token; the caller holds the lease."""
        self._early_refresh_after = self._clock.monotonic() + 30.0
        now = self._clock.now()
        cached = self._store.load(self.app_key)
        # Re-read under the lease: another worker may have saved a token (and ended its lease)
        # between our load and our try_lease.
        if cached and cached.expires_at - self._refresh_ahead > now:
            self._store.release(self.app_key, holder)
            return cached
        try:
            fetched = self._fetch()
        except BaseException:
            self._store.release(self.app_key, holder)
            raise
        expires_at = self._clock.now() + timedelta(seconds=fetched.expires_in)
        self._store.save(self.app_key, fetched.token, expires_at)
        return CachedToken(fetched.token, expires_at)
