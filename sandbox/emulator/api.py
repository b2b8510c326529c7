"""One code path for every API call: read the body, check the token, run the rule, count, answer.

API errors come back as HTTP 200 with a JSON errcode, like the real servers (§3.3).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from sandbox.emulator import tokens
from sandbox.emulator.errors import ApiError
from sandbox.emulator.state import EmulatorState

WECOM, MP = "wecom", "mp"


@dataclass
class Call:
    state: EmulatorState
    query: Any
    body: dict
    now: float
    ip: str


Rule = Callable[[Call], dict]


async def run(
    request: Request,
    endpoint: str,
    rule: Rule,
    *,
    auth: str | None,
    family: str = WECOM,
    has_body: bool = True,
    bare_ok: bool = False,
) -> JSONResponse:
    """Answer one API call; `bare_ok` for answers without errcode (the MP token, §4.2)."""
    state: EmulatorState = request.app.state.emulator
    ip = request.client.host if request.client else "127.0.0.1"
    raw = await request.body() if has_body else b""
    with state.lock:
        now = state.now()
        try:
            if auth:
                check_token(state, auth, request.query_params.get("access_token"), now)
            body = parse_body(raw, family) if has_body else {}
            result = rule(Call(state=state, query=request.query_params, body=body, now=now, ip=ip))
            payload = result if bare_ok else {"errcode": 0, "errmsg": "ok", **result}
            errcode = 0
        except ApiError as err:
            errcode = err.errcode
            payload = {**state.error_body(endpoint, errcode, ip=ip, detail=err.detail), **err.extra}
        state.counters.record(endpoint, errcode)
    return JSONResponse(payload)


def check_token(state: EmulatorState, app: str, token: str | None, now: float) -> None:
    """41001 when absent (it must be in the query string, §2); 40014 or 42001 (MP: 40001) when bad."""
    if not token:
        raise ApiError(41001)
    store = state.wecom_tokens if app == WECOM else state.mp_tokens
    status = store.check(token, now=now)
    if status == tokens.INVALID:
        raise ApiError(40014 if app == WECOM else 40001)
    if status == tokens.EXPIRED:
        raise ApiError(42001)


def parse_body(raw: bytes, family: str) -> dict:
    """The JSON object of the request; 40058 (WeCom) / 47001 or 44002 (MP) otherwise."""
    if not raw.strip():
        raise ApiError(40058 if family == WECOM else 44002, "empty post data")
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(40058 if family == WECOM else 47001, "invalid json") from exc
    if not isinstance(body, dict):
        raise ApiError(40058 if family == WECOM else 47001, "json body is not an object")
    return body


def split_ids(value: object) -> list[str]:
    """ "u1|u2" → ["u1", "u2"]; message/send takes pipe-joined strings (§2.2)."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v) for v in value if str(v)]
    return [v for v in str(value).split("|") if v]


def check_agent(state: EmulatorState, body: dict) -> None:
    agentid = body.get("agentid")
    if agentid is None or agentid == "":
        raise ApiError(41011)
    try:
        if int(agentid) != state.config.agent_id:
            raise ApiError(40056)
    except (TypeError, ValueError) as exc:
        raise ApiError(40056) from exc
