"""Access tokens of the WeCom app (§2.1) and of the Official Account (§4.2)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

VALID = 0
INVALID = 40014  # WeCom: unknown or invalidated early (§3.3)
EXPIRED = 42001


@dataclass
class Token:
    value: str
    expires_at: float
    revoked: bool = False


class TokenStore:
    """Issued tokens of one credential; old tokens are kept so that using them reports 42001."""

    def __init__(self) -> None:
        self._tokens: dict[str, Token] = {}
        self._current: Token | None = None

    def issue_stable(self, *, now: float, ttl: float) -> Token:
        """WeCom: the same token while it is valid, a new one after expiry or invalidation (§2.1)."""
        current = self._current
        if current and not current.revoked and now < current.expires_at:
            return current
        return self._new(now=now, ttl=ttl)

    def issue_rotating(self, *, now: float, ttl: float, overlap: float) -> Token:
        """MP: each fetch makes a new token; the previous one lives `overlap` seconds more (§4.2)."""
        previous = self._current
        if previous and not previous.revoked:
            previous.expires_at = min(previous.expires_at, now + overlap)
        return self._new(now=now, ttl=ttl)

    def check(self, value: str, *, now: float) -> int:
        """VALID, INVALID (unknown or revoked) or EXPIRED."""
        token = self._tokens.get(value)
        if token is None or token.revoked:
            return INVALID
        if now >= token.expires_at:
            return EXPIRED
        return VALID

    def invalidate(self) -> str | None:
        """Revoke every live token early (as WeCom may, §2.1); returns the current one's value."""
        for token in self._tokens.values():
            token.revoked = True
        return self._current.value if self._current else None

    def current(self) -> str | None:
        return self._current.value if self._current else None

    def _new(self, *, now: float, ttl: float) -> Token:
        # Real tokens are long opaque strings (up to 512 bytes, §2.1).
        token = Token(value=secrets.token_urlsafe(48), expires_at=now + ttl)
        self._tokens[token.value] = token
        self._current = token
        return token
