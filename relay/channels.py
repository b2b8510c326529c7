"""Channel adapters: one outbox row (channel, target, payload) → one bots.client call (docs/relay.md).

relay/ never builds a WeCom body itself (STYLE.md 4): this module only picks the client method
for a row and hands over the text, the card or the response_code.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from bots.client import (
    ApiError,
    ButtonCard,
    CardButton,
    CardField,
    Clock,
    MpClient,
    RobotClient,
    TokenStore,
    WeComClient,
)
from bots.client.limits import BYTE_LIMITS, message_parts
from bots.client.tokens import CachedToken

# §2.2: identical message/send JSON within this interval is not delivered twice. The maximum
# (4 h) covers a re-claim after a dispatcher died plus the longest retry back-off.
DUPLICATE_CHECK_SECONDS = 4 * 3600
PARTS_SENT = "_parts_sent"  # payload key: parts of a split text already delivered
ASSUMED = "assumed delivered: its dispatcher died after the request was complete (at most once)"


@dataclass(frozen=True)
class SendJob:
    delivery_id: int
    channel: str
    target: str
    purpose: str
    payload: dict[str, Any]
    hop_id: int | None = None
    attempts: int = 0  # HTTP attempts made so far (DeliveryAttempt rows)


@dataclass
class SendResult:
    msgid: str = ""
    response_code: str = ""
    parts: int = 1
    note: str = ""  # kept in Delivery.last_error even though the row is sent


@dataclass(frozen=True)
class Call:
    app_key: str
    api: str
    errcode: int
    duration_ms: int

    @property
    def is_send(self) -> bool:
        """Token fetches are recorded in api_calls but are not attempts of the delivery."""
        return self.api not in ("gettoken", "token")


class CapturingRecorder:
    """bots.client CallRecorder that keeps each thread's calls, so every attempt of one delivery
    (the client's own retries included) becomes a DeliveryAttempt row."""

    def __init__(self) -> None:
        self._local = threading.local()

    def record(self, *, app_key: str, api: str, errcode: int, http_status: int, attempt: int,
               duration_ms: int) -> None:
        calls = getattr(self._local, "calls", None)
        if calls is not None:
            calls.append(Call(app_key, api, errcode, duration_ms))

    def start(self) -> None:
        self._local.calls = []

    def confirmed_parts(self) -> int:
        """Sends answered with errcode 0 so far in this thread's current delivery."""
        return sum(1 for c in getattr(self._local, "calls", None) or () if c.is_send and c.errcode == 0)

    def take(self) -> list[Call]:
        calls: list[Call] = getattr(self._local, "calls", None) or []
        self._local.calls = None
        return calls


class CachedTokenStore:
    """Reads the shared token row at most every `ttl` seconds instead of once per message.

    Safe because a rejected token (40014/42001) goes through `invalidate`, which drops the copy.
    """

    def __init__(self, inner: TokenStore, ttl: float = 5.0) -> None:
        self._inner = inner
        self._ttl = ttl
        self._cache: dict[str, tuple[float, CachedToken | None]] = {}
        self._lock = threading.Lock()

    def load(self, app_key: str) -> CachedToken | None:
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(app_key)
        if hit and hit[1] is not None and now - hit[0] < self._ttl:
            return hit[1]
        token = self._inner.load(app_key)
        with self._lock:
            self._cache[app_key] = (now, token)
        return token

    def _drop(self, app_key: str) -> None:
        with self._lock:
            self._cache.pop(app_key, None)

    def save(self, app_key: str, token: str, expires_at: Any) -> None:
        self._drop(app_key)
        self._inner.save(app_key, token, expires_at)

    def invalidate(self, app_key: str, token: str) -> None:
        self._drop(app_key)
        self._inner.invalidate(app_key, token)

    def try_lease(self, app_key: str, holder: str, until: Any, now: Any) -> bool:
        return self._inner.try_lease(app_key, holder, until, now)

    def release(self, app_key: str, holder: str) -> None:
        self._inner.release(app_key, holder)


class _HeldBackBody(httpx.SyncByteStream):
    def __init__(self, body: bytes, at_commit: Callable[[], None]) -> None:
        self._body, self._at_commit = body, at_commit

    def __iter__(self) -> Iterator[bytes]:
        yield self._body[:-1]
        self._at_commit()
        yield self._body[-1:]


class CommitPointTransport(httpx.BaseTransport):
    """Sends every POST body but its last byte, calls `at_commit`, then sends the last byte.

    A server acts on a request only once its body is complete (Content-Length), so a dispatcher
    that dies before the last byte has certainly not sent the message, and one that dies after
    it most likely has. `at_commit` journals that point of no return (dispatch_journal.py);
    what is left uncertain is the few microseconds between that write and the last byte's.
    """

    def __init__(self, inner: httpx.BaseTransport, at_commit: Callable[[], None]) -> None:
        self._inner, self._at_commit = inner, at_commit

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            body = request.read()
            if body:
                request.stream = _HeldBackBody(body, self._at_commit)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


@dataclass
class ChannelConfig:
    corp_id: str
    agent_id: int
    secret: str
    wecom_api_base: str
    mp_app_id: str = ""
    mp_app_secret: str = ""
    mp_api_base: str = ""
    timeout: float = 10.0
    max_connections: int = 64
    extra: dict[str, Any] = field(default_factory=dict)


class Channels:
    """The clients of one dispatcher process, shared by its sender threads."""

    def __init__(self, config: ChannelConfig, *, token_store: TokenStore, clock: Clock | None = None) -> None:
        limits = httpx.Limits(max_connections=config.max_connections,
                              max_keepalive_connections=config.max_connections)
        # NODELAY: the held-back last byte must leave at once, not wait for an ACK (Nagle).
        inner = httpx.HTTPTransport(limits=limits,
                                    socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
        self.http = httpx.Client(timeout=config.timeout, transport=CommitPointTransport(inner, self._commit))
        self._local = threading.local()
        self.recorder = CapturingRecorder()
        self._config, self._clock = config, clock
        store = CachedTokenStore(token_store)
        self.wecom = WeComClient(corp_id=config.corp_id, agent_id=config.agent_id, secret=config.secret,
                                 api_base=config.wecom_api_base, token_store=store,
                                 recorder=self.recorder, clock=clock, http=self.http)
        self.mp = None
        if config.mp_app_id:
            self.mp = MpClient(app_id=config.mp_app_id, app_secret=config.mp_app_secret,
                               api_base=config.mp_api_base, token_store=store, recorder=self.recorder,
                               clock=clock, http=self.http)
        self._robots: dict[str, RobotClient] = {}
        self._robots_lock = threading.Lock()

    def close(self) -> None:
        self.http.close()

    def on_commit(self, hook: Callable[[int], None] | None) -> None:
        """Call `hook(parts_confirmed)` on this thread whenever a request reaches its last byte."""
        self._local.hook = hook

    def _commit(self) -> None:
        hook = getattr(self._local, "hook", None)
        if hook is not None:
            hook(self.recorder.confirmed_parts())

    def robot(self, key: str) -> RobotClient:
        with self._robots_lock:
            client = self._robots.get(key)
            if client is None:
                client = RobotClient(webhook_key=key, api_base=self._config.wecom_api_base,
                                     recorder=self.recorder, clock=self._clock, http=self.http)
                self._robots[key] = client
            return client

    def send(self, job: SendJob) -> SendResult:
        """Deliver one row; raises bots.client ApiError (Permanent/Transient) or ValueError."""
        payload = job.payload
        msgtype = payload.get("msgtype")
        if payload.get(PARTS_SENT) and not _parts_left(payload, _kind(job.channel, msgtype)):
            return SendResult(parts=0, note=ASSUMED)
        if job.channel == "appchat":
            return self._appchat(job.target, msgtype, _parts_left(payload, f"appchat_{msgtype}"))
        if job.channel == "robot":
            return self._robot(job.target, msgtype, _parts_left(payload, f"robot_{msgtype}"), payload)
        if job.channel == "app":
            return self._app(job.target, payload)
        if job.channel == "mp":
            if self.mp is None:
                raise ValueError("no Official Account configured (MP_APP_ID)")
            mp = self.mp
            sent = _each_part(_parts_left(payload, "mp_text"), lambda _, part: mp.custom.send_text(
                openid=job.target, content=part))
            return SendResult(parts=len(sent))
        if job.channel == "mp_template":
            if self.mp is None:
                raise ValueError("no Official Account configured (MP_APP_ID)")
            msgid = self.mp.template.send(openid=job.target, template_id=str(payload["template_id"]),
                                          data=dict(payload["data"]), url=str(payload.get("url", "")))
            return SendResult(msgid=str(msgid))
        if job.channel in ("customer_group", "manual"):
            # No API posts into these groups; a person confirms each batch (relay/group_tasks.py).
            raise ValueError(f"{job.channel} rows are delivered through group tasks, not the dispatcher")
        raise ValueError(f"unknown channel {job.channel!r}")

    def _appchat(self, chatid: str, msgtype: Any, parts: list[str]) -> SendResult:
        appchat = self.wecom.appchat
        if msgtype == "markdown":
            return SendResult(parts=len(_each_part(parts, lambda _, p: appchat.send_markdown(chatid=chatid, content=p))))
        if msgtype == "text":
            return SendResult(parts=len(_each_part(parts, lambda _, p: appchat.send_text(chatid=chatid, content=p))))
        raise ValueError(f"appchat takes text or markdown, not {msgtype!r} (§2.4)")

    def _robot(self, key: str, msgtype: Any, parts: list[str], payload: dict) -> SendResult:
        robot = self.robot(key)
        if msgtype == "markdown":
            return SendResult(parts=len(_each_part(parts, lambda _, p: robot.send_markdown(content=p))))
        if msgtype == "text":
            # Only the post's first part mentions people, so nobody is pinged once per part.
            mentions = payload.get("mentioned_list") or ()
            first = int(payload.get(PARTS_SENT, 0)) == 0
            return SendResult(parts=len(_each_part(parts, lambda i, p: robot.send_text(
                content=p, mentioned_list=mentions if first and i == 0 else ()))))
        raise ValueError(f"robot rows are text or markdown, not {msgtype!r}")

    def _app(self, userid: str, payload: dict) -> SendResult:
        message, msgtype = self.wecom.message, payload.get("msgtype")
        interval = DUPLICATE_CHECK_SECONDS
        if msgtype in ("text", "markdown"):
            send = message.send_text if msgtype == "text" else message.send_markdown
            sent = _each_part(_parts_left(payload, f"app_{msgtype}"), lambda _, part: send(
                touser=[userid], content=part, enable_duplicate_check=True, duplicate_check_interval=interval))
            msgid = ",".join(r.msgid for results in sent for r in results)[:128]
            return SendResult(msgid=msgid, parts=len(sent))
        if msgtype == "template_card":
            card = card_from_payload(payload["card"])
            result = message.send_template_card(card=card, touser=[userid], enable_duplicate_check=True,
                                                duplicate_check_interval=interval)
            return SendResult(msgid=result.msgid, response_code=result.response_code or "")
        if msgtype == "update_card":
            message.update_card_button(response_code=payload["response_code"],
                                       replace_name=payload["replace_name"], userids=[userid])
            return SendResult()
        raise ValueError(f"app rows are text, markdown, template_card or update_card, not {msgtype!r}")


def _parts_left(payload: dict, kind: str) -> list[str]:
    """The messages still to send for a row: its text as numbered parts when it is longer than
    the channel's byte limit (bots/client/limits.py message_parts), without the parts an earlier,
    partly failed attempt delivered. The parts are a pure function of the text, so a retry
    repeats none of them and keeps their numbers."""
    content = str(payload.get("content", ""))
    parts = message_parts(content, BYTE_LIMITS[kind]) if kind in BYTE_LIMITS else [content]  # type: ignore[index]
    return parts[int(payload.get(PARTS_SENT, 0)):]


def _each_part(parts: list[str], send: Callable[[int, str], Any]) -> list[Any]:
    """Send each part (each fits one message); a failure says how many went out before it."""
    results: list[Any] = []
    for index, part in enumerate(parts):
        try:
            results.append(send(index, part))
        except ApiError as exc:
            exc.parts_sent = len(results)
            raise
    return results


def _kind(channel: str, msgtype: Any) -> str:
    return f"{channel}_{msgtype}"


def card_from_payload(card: dict[str, Any]) -> ButtonCard:
    """The ButtonCard a `template_card` row describes (the object ButtonCard.to_payload wrote)."""
    title = card.get("main_title") or {}
    return ButtonCard(
        task_id=str(card["task_id"]),
        title=str(title.get("title", "")),
        description=str(title.get("desc", "")),
        buttons=tuple(CardButton(text=b["text"], key=b["key"], style=int(b.get("style", 1)))
                      for b in card.get("button_list", ())),
        sub_title_text=str(card.get("sub_title_text", "")),
        fields=tuple(CardField(f["keyname"], f["value"]) for f in card.get("horizontal_content_list", ())),
        source_desc=str((card.get("source") or {}).get("desc", "")),
    )
