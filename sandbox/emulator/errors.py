"""API errors and the errmsg text the real servers return (wecom-platform.md §3.3, §4.2)."""

from __future__ import annotations

import secrets

# Short English texts in the style of the real errmsg; clients must branch on errcode only (§3.3).
WECOM_TEXT = {
    -1: "system busy",
    40001: "invalid credential",
    40003: "invalid userid",
    40008: "invalid message type",
    40013: "invalid corpid",
    40014: "invalid access_token",
    40029: "invalid code",
    40032: "invalid userid list size",
    40035: "invalid parameter",
    40050: "chatid not found",
    40056: "invalid agentid",
    40058: "invalid parameter",
    41001: "access_token missing",
    41002: "corpid missing",
    41004: "corpsecret missing",
    40063: "some parameters are empty",
    41008: "missing code",
    41009: "userid missing",
    41011: "agentid missing",
    41046: "msgid missing",
    41047: "invalid msgid",
    41048: "no customer to send",
    42001: "access_token expired",
    44004: "empty content",
    45002: "content size out of limit",
    45009: "api freq out of limit",
    45033: "api concurrent out of limit",
    81013: "user & party & tag all invalid",
    82001: "all touser & toparty & totag are empty",
    82002: "invalid partyid list size",
    82003: "invalid tagid list size",
    86001: "invalid chatid",
    86003: "chatid not found",
    86004: "invalid chat name",
    86006: "invalid chat member count",
    86007: "invalid chat member",
    86008: "not the creator app of this chat",
    86215: "chatid already exists",
    86216: "invalid chat member userid",
    93000: "invalid webhook url",
    93008: "robot not in the group",
    301002: "access_token has no privilege on this agentid",
}

MP_TEXT = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40008: "invalid message type",
    40004: "invalid media type",
    40005: "invalid file type",
    40007: "invalid media_id",
    40009: "invalid image size",
    40013: "invalid appid",
    40003: "invalid openid",
    40037: "invalid template_id",
    40053: "invalid action info",
    40125: "invalid appsecret",
    41001: "access_token missing",
    41005: "media data missing",
    42001: "access_token expired",
    43004: "require subscribe",
    44002: "empty post data",
    44004: "empty content",
    45009: "reach max api daily quota limit",
    45015: "response out of time limit or subscription is canceled",
    45047: "out of response count limit",
    47001: "data format error",
    47003: "argument invalid!",
}


class ApiError(Exception):
    """An API-level failure: answered with HTTP 200 and a JSON errcode (§3.3)."""

    def __init__(self, errcode: int, detail: str = "", **extra: object) -> None:
        super().__init__(f"{errcode}: {detail}")
        self.errcode = errcode
        self.detail = detail
        self.extra = extra


def wecom_errmsg(errcode: int, ip: str, now: float, detail: str = "") -> str:
    """`<text>, hint: [<id>], from ip: <ip>, more info at …?e=<code>` as in the real errors (§3.3)."""
    if errcode == 0:
        return "ok"
    text = detail or WECOM_TEXT.get(errcode, "error")
    hint = f"{int(now)}_{secrets.randbelow(100)}_{secrets.token_hex(16)}"
    return (
        f"{text}, hint: [{hint}], from ip: {ip}, "
        f"more info at https://open.work.weixin.qq.com/devtool/query?e={errcode}"
    )


def mp_errmsg(errcode: int, detail: str = "") -> str:
    """`<text> rid: <id>` as the Official Account API answers (§4.2)."""
    if errcode == 0:
        return "ok"
    text = detail or MP_TEXT.get(errcode, "error")
    rid = f"{secrets.token_hex(4)}-{secrets.token_hex(4)}-{secrets.token_hex(4)}"
    return f"{text} rid: {rid}"
