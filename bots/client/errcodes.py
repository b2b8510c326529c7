"""Errcode policy: what the client does with each errcode, in one table.

Sources: wecom-platform.md §3.3 (meanings and advised actions), §3.4 (token handling), §3.2 (rate
limits), §4.2-4.3 (Official Account). The rest of the client asks `rule_for()` and never branches
on an errcode itself; errmsg is never parsed (§3.3: "clients must branch on errcode only").
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import Enum
from typing import Literal

TokenKind = Literal["wecom", "mp", "none"]


class Action(Enum):
    OK = "ok"
    REFRESH_TOKEN = "refresh_token"  # drop the stored token, fetch a new one, call again
    RETRY = "retry"  # the platform hiccuped: pause briefly, call again
    BACK_OFF = "back_off"  # rate limited: pause exponentially longer, call again
    PERMANENT = "permanent"  # the same request will fail again: raise PermanentApiError


@dataclass(frozen=True)
class Rule:
    action: Action
    retries: int = 0  # further attempts this errcode earns within one call
    base_delay: float = 0.0  # seconds before the first retry; doubles each time
    max_delay: float = 0.0  # cap of one pause
    retry_after: float = 0.0  # hint in TransientApiError once the retries are used up


# Our own codes for failures that carry no errcode (WeCom uses -1 and up, never these).
CONNECTION_ERROR = -2  # refused, reset or timed out: no HTTP response (recorded with http_status 0)
HTTP_SERVER_ERROR = -3  # HTTP 5xx / 429, or a 2xx whose body is not JSON (a proxy page)
HTTP_CLIENT_ERROR = -4  # any other non-2xx status: our request is wrong, resending won't help

_OK = Rule(Action.OK)
_PERMANENT = Rule(Action.PERMANENT)
_REFRESH = Rule(Action.REFRESH_TOKEN, retries=1, retry_after=1.0)  # §3.4: retry once, with a cap
_BUSY = Rule(Action.RETRY, retries=3, base_delay=0.2, max_delay=2.0, retry_after=5.0)  # §3.3: -1 ≤3
# §3.2: a minute-level block lasts 60 s; pause in-call a little, then hand back with a hint.
_FREQ = Rule(Action.BACK_OFF, retries=4, base_delay=1.0, max_delay=8.0, retry_after=60.0)
_CONCURRENCY = Rule(Action.BACK_OFF, retries=4, base_delay=0.5, max_delay=4.0, retry_after=5.0)

RULES: dict[int, Rule] = {
    0: _OK,
    -1: _BUSY,  # system busy
    CONNECTION_ERROR: _BUSY,
    HTTP_SERVER_ERROR: _BUSY,
    HTTP_CLIENT_ERROR: _PERMANENT,
    40014: _REFRESH,  # invalid access_token; also what an expired token gets in practice (§3.3)
    42001: _REFRESH,  # access_token expired
    45009: _FREQ,  # API frequency limit; robot 20 msg/min (§2.5)
    45033: _CONCURRENCY,  # too many concurrent calls to one API
    # Permanent, listed so a reader sees they were considered (anything unlisted is permanent too):
    40001: _PERMANENT,  # WeCom: invalid secret (an MP token gets _REFRESH, see MP_RULES)
    40003: _PERMANENT,  # invalid UserID / openid
    40013: _PERMANENT,  # invalid corpid / appid
    40035: _PERMANENT,  # invalid parameter
    40037: _PERMANENT,  # MP: template_id unknown to this account (§4.4)
    40056: _PERMANENT,  # invalid agentid
    40058: _PERMANENT,  # invalid parameter
    40125: _PERMANENT,  # MP: invalid secret (§4.2)
    40164: _PERMANENT,  # MP: caller IP not whitelisted (§4.2)
    40007: _PERMANENT,  # MP: media_id unknown or expired (3 days): upload again
    40050: _PERMANENT,  # customer group (chat_id) not found
    40053: _PERMANENT,  # MP: invalid qrcode action_info (or permanent codes used up)
    41001: _PERMANENT,  # access_token missing: a bug on our side
    41047: _PERMANENT,  # 企业群发: unknown msgid
    41048: _PERMANENT,  # 企业群发: no group of the request can receive (quota spent today, §2.7)
    43004: _PERMANENT,  # MP: user not following (§4.3)
    44004: _PERMANENT,  # empty text
    45002: _PERMANENT,  # content too large (we split, so this is a bug on our side)
    45015: _PERMANENT,  # MP: outside the 48 h window (§4.3)
    45047: _PERMANENT,  # MP: customer-service quota used up (§4.3) — retrying does not refill it
    47003: _PERMANENT,  # MP: template data does not fill the template's keywords (§4.4)
    48002: _PERMANENT,  # API not permitted for this app
    60011: _PERMANENT,  # outside the app's visibility
    60020: _PERMANENT,  # caller IP not trusted
    81013: _PERMANENT,  # all recipients invalid
    82001: _PERMANENT,  # touser/toparty/totag all empty
    86001: _PERMANENT,  # appchat: bad chatid
    86003: _PERMANENT,  # appchat: chat not found
    86004: _PERMANENT,  # appchat: bad name
    86006: _PERMANENT,  # appchat: member count
    86007: _PERMANENT,  # appchat: bad member
    86008: _PERMANENT,  # appchat: chat not created by this app
    86215: _PERMANENT,  # appchat: chatid already exists
    86216: _PERMANENT,  # appchat: invalid member id
    93000: _PERMANENT,  # robot: bad webhook or removed
    93004: _PERMANENT,  # robot disabled
    93008: _PERMANENT,  # robot not in the group
    301002: _PERMANENT,  # token's app has no rights on this agentid
}

# §3.4 / §4.2: for Official Account tokens 40001 means "token invalid or not latest" (a newer
# fetch elsewhere replaced it), not "bad secret".
MP_RULES: dict[int, Rule] = {40001: _REFRESH}


def rule_for(errcode: int, *, token_kind: TokenKind) -> Rule:
    """The rule for `errcode` on an API authenticated by `token_kind`; unknown codes are permanent."""
    if token_kind == "mp" and errcode in MP_RULES:
        return MP_RULES[errcode]
    rule = RULES.get(errcode, _PERMANENT)
    if rule.action is Action.REFRESH_TOKEN and token_kind == "none":
        return _PERMANENT  # the robot webhook has no token to refresh; its key is the credential
    return rule


def http_errcode(status: int) -> int:
    """Our errcode for a response whose status is not 2xx."""
    return HTTP_SERVER_ERROR if status >= 500 or status == 429 else HTTP_CLIENT_ERROR


def pause_before_retry(rule: Rule, retry: int, rng: random.Random) -> float:
    """Seconds to wait before retry number `retry` (1-based): capped doubling with jitter.

    Jitter (half to full of the capped delay) keeps workers that failed together from
    retrying together.
    """
    delay = min(rule.max_delay, rule.base_delay * 2 ** (retry - 1))
    return delay * rng.uniform(0.5, 1.0)
