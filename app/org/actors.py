"""Who did something, with the kind of identity they proved (issue 11, item 1).

A bare string cannot tell a WeCom userid "admin" from the admin API's bearer token, nor an
Official Account openid from a staff userid that happens to be spelled the same. Every decision
therefore takes an Actor: the kind says how the identity was established, and only the kind
grants rights (a staff userid is looked up as staff only when the speaker *is* that staff member).
"""

from __future__ import annotations

from dataclasses import dataclass

STAFF = "staff"  # a WeCom member found in the org's staff table
WECOM_USER = "wecom_user"  # a WeCom userid that is not (or no longer) staff
OPENID = "openid"  # an Official Account follower
TOKEN = "token"  # the bearer token of the admin API
SYSTEM = "system"  # the software itself (timeouts, automatic checks)
KINDS = (STAFF, WECOM_USER, OPENID, TOKEN, SYSTEM)


@dataclass(frozen=True)
class Actor:
    kind: str
    ref: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown actor kind {self.kind!r}")

    @classmethod
    def staff(cls, userid: str) -> Actor:
        return cls(STAFF, userid)

    @classmethod
    def admin_token(cls) -> Actor:
        return cls(TOKEN, "admin")

    @property
    def is_admin_token(self) -> bool:
        return self.kind == TOKEN

    @property
    def staff_userid(self) -> str | None:
        """The userid to look up as staff, only when the speaker was identified as staff."""
        return self.ref if self.kind == STAFF else None

    def __str__(self) -> str:
        """How the audit log names the actor. A token's name carries a ':' that no WeCom userid
        or openid may contain, so the log can never confuse it with a person."""
        if self.kind in (TOKEN, SYSTEM):
            return f"{self.kind}:{self.ref}"
        return self.ref


ADMIN_TOKEN = Actor.admin_token()
