"""A small stand-in for WeCom and the Official Account, served over real HTTP on loopback.

Only what the client tests need, with the real request and response shapes
(wecom-platform.md §2, §4.2-4.3). Switches: `invalidate_tokens()` (next call gets 40014),
`fail_next(api, *errcodes)` (0 lets a call through), `token_delay`, unknown users (81013).
"""

from __future__ import annotations

import secrets
import socket
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import PlainTextResponse

CORP_ID, AGENT_ID, SECRET = "wwfake0001", 1000002, "app-secret"
MP_APP_ID, MP_SECRET = "wxfakemp01", "mp-secret"
ROBOT_KEY = "robot-key-1"
USERS = {"zhangsan", "lisi", "wangwu"}
OPENIDS = {"o-resident-1"}


@dataclass
class FakeState:
    lock: threading.Lock = field(default_factory=threading.Lock)
    tokens: dict[str, str] = field(default_factory=dict)  # token -> "wecom" | "mp"
    token_fetches: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    token_delay: float = 0.0
    failures: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    http_failures: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    received: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))  # api -> bodies
    chats: dict[str, list[str]] = field(default_factory=dict)
    response_codes: set[str] = field(default_factory=set)
    api_calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def reset(self) -> None:
        FakeState.__init__(self)

    def invalidate_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    def fail_next(self, api: str, *errcodes: int) -> None:
        with self.lock:
            self.failures[api].extend(errcodes)

    def fail_http_next(self, api: str, *statuses: int) -> None:
        with self.lock:
            self.http_failures[api].extend(statuses)


def _error(errcode: int, errmsg: str) -> dict[str, Any]:
    return {"errcode": errcode, "errmsg": f"{errmsg}, hint: [fake], from ip: 127.0.0.1"}


router = APIRouter()


def _state(request: Request) -> FakeState:
    return request.app.state.fake


def _issue(state: FakeState, kind: str) -> dict[str, Any]:
    time.sleep(state.token_delay)
    token = secrets.token_urlsafe(24)
    with state.lock:
        state.tokens[token] = kind
        state.token_fetches[kind] += 1
    return {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}


async def _admit(request: Request, api: str, kind: str | None) -> tuple[Any, dict]:
    """(error answer or None, JSON body) after the token check and injected failures."""
    state = _state(request)
    body = await request.json() if request.method == "POST" else {}
    with state.lock:
        state.api_calls[api] += 1
        if state.http_failures[api]:
            return PlainTextResponse("bad gateway", status_code=state.http_failures[api].pop(0)), body
        if kind:
            token = request.query_params.get("access_token")
            if not token:
                return _error(41001, "access_token missing"), body
            if state.tokens.get(token) != kind:
                return _error(40001 if kind == "mp" else 40014, "invalid access_token"), body
        code = state.failures[api].pop(0) if state.failures[api] else 0
        if code:  # 0 in the queue lets one call through
            return _error(code, "injected"), body
    return None, body


def _accept(request: Request, api: str, body: dict) -> None:
    state = _state(request)
    with state.lock:
        state.received[api].append(body)


def _too_long(content: str, limit: int = 2048) -> bool:
    return len(content.encode()) > limit


@router.get("/cgi-bin/gettoken")
def gettoken(request: Request, corpid: str, corpsecret: str):
    if corpid != CORP_ID:
        return _error(40013, "invalid corpid")
    if corpsecret != SECRET:
        return _error(40001, "invalid credential")
    return _issue(_state(request), "wecom")


@router.get("/mp/cgi-bin/token")
def mp_token(request: Request, grant_type: str, appid: str, secret: str):
    if appid != MP_APP_ID or secret != MP_SECRET:
        return _error(40125, "invalid appsecret")
    answer = _issue(_state(request), "mp")
    del answer["errcode"], answer["errmsg"]  # §4.2: success has no errcode
    return answer


@router.post("/cgi-bin/message/send")
async def message_send(request: Request):
    error, body = await _admit(request, "message/send", "wecom")
    if error:
        return error
    users = [u for u in body.get("touser", "").split("|") if u]
    invalid = [u for u in users if u not in USERS]
    if users and len(invalid) == len(users):
        return _error(81013, "user & party & tag all invalid")
    msgtype = body["msgtype"]
    if _too_long(body.get(msgtype, {}).get("content") or ""):
        return _error(45002, "content size out of limit")
    _accept(request, "message/send", body)
    answer = {"errcode": 0, "errmsg": "ok", "invaliduser": "|".join(invalid), "msgid": secrets.token_hex(8)}
    if msgtype == "template_card":
        answer["response_code"] = code = secrets.token_hex(16)
        with _state(request).lock:
            _state(request).response_codes.add(code)
    return answer


@router.post("/cgi-bin/message/update_template_card")
async def update_card(request: Request):
    error, body = await _admit(request, "message/update_template_card", "wecom")
    if error:
        return error
    state = _state(request)
    with state.lock:
        if body.get("response_code") not in state.response_codes:
            return _error(40035, "invalid response_code")
        state.response_codes.discard(body["response_code"])  # single use (§1.8)
    _accept(request, "message/update_template_card", body)
    return {
        "errcode": 0,
        "errmsg": "ok",
        "invaliduser": [u for u in body.get("userids", []) if u not in USERS],
    }


@router.post("/cgi-bin/appchat/create")
async def appchat_create(request: Request):
    error, body = await _admit(request, "appchat/create", "wecom")
    if error:
        return error
    chatid = body.get("chatid") or secrets.token_hex(8)
    with _state(request).lock:
        _state(request).chats[chatid] = list(body["userlist"])
    return {"errcode": 0, "errmsg": "ok", "chatid": chatid}


@router.post("/cgi-bin/appchat/update")
async def appchat_update(request: Request):
    error, body = await _admit(request, "appchat/update", "wecom")
    if error:
        return error
    chats = _state(request).chats
    if body["chatid"] not in chats:
        return _error(86003, "chat not found")
    members = chats[body["chatid"]] + body.get("add_user_list", [])
    chats[body["chatid"]] = [m for m in members if m not in body.get("del_user_list", [])]
    return {"errcode": 0, "errmsg": "ok"}


@router.post("/cgi-bin/appchat/send")
async def appchat_send(request: Request):
    error, body = await _admit(request, "appchat/send", "wecom")
    if error:
        return error
    if body["chatid"] not in _state(request).chats:
        return _error(86003, "chat not found")
    if _too_long(body[body["msgtype"]]["content"]):
        return _error(45002, "content size out of limit")
    _accept(request, "appchat/send", body)
    return {"errcode": 0, "errmsg": "ok"}


@router.post("/cgi-bin/webhook/send")
async def webhook_send(request: Request, key: str):
    error, body = await _admit(request, "webhook/send", None)
    if error:
        return error
    if key != ROBOT_KEY:
        return _error(93000, "invalid webhook url")
    if _too_long(body[body["msgtype"]]["content"], 4096 if body["msgtype"] == "markdown" else 2048):
        return _error(45002, "content size out of limit")
    _accept(request, "webhook/send", body)
    return {"errcode": 0, "errmsg": "ok"}


@router.post("/mp/cgi-bin/message/custom/send")
async def mp_custom_send(request: Request):
    error, body = await _admit(request, "message/custom/send", "mp")
    if error:
        return error
    if body["touser"] not in OPENIDS:
        return _error(40003, "invalid openid")
    _accept(request, "message/custom/send", body)
    return {"errcode": 0, "errmsg": "ok"}


def build_app(state: FakeState) -> FastAPI:
    app = FastAPI()
    app.state.fake = state
    app.include_router(router)
    return app


class FakeServer:
    """The fake on a free loopback port, served by uvicorn on a background thread."""

    def __init__(self) -> None:
        self.state = FakeState()
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        port = self._socket.getsockname()[1]
        self.wecom_api_base = f"http://127.0.0.1:{port}/cgi-bin/"
        self.mp_api_base = f"http://127.0.0.1:{port}/mp/cgi-bin/"
        config = uvicorn.Config(build_app(self.state), log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def start(self) -> FakeServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake WeCom server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()
