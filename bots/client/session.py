"""One app's HTTP channel to WeCom / the Official Account, with the errcode policy applied.

Why not subclass wechatpy's `WeChatClient`? Reading wechatpy 1.8.18 (client/base.py,
enterprise/client/__init__.py, session/): the gettoken URL is hard-coded to qyapi.weixin.qq.com
(our base URL must be configuration: the tests point it at 127.0.0.1); the token's expiry lives
on the instance (`self.expires_at`), not in the shared session, so two workers cannot share it;
there is no lease, so every worker refreshes on its own; a 40001/40014/42001 is retried by
recursion without a cap (§3.4); -1 and 45033 are not retried; every other errcode is one generic
exception; and it uses `requests`. Overriding `_request`, `_handle_result`, `access_token` and
`fetch_access_token` would leave nothing of the base class but its name.

So this is a thin httpx layer that keeps wechatpy's shape and reuses its pieces:
- `ApiSession.get/post(url, data=..., params=...)` accept what wechatpy's `BaseWeChatAPI` sends
  its client, so wechatpy's own API classes (`WeChatAppChat`, enterprise and MP `WeChatMessage`)
  build the request bodies unchanged, bound to this session;
- our errors subclass wechatpy's `WeChatClientException`;
- the policy (errcodes.py), the shared token (token.py) and byte limits (limits.py) are ours.
"""

from __future__ import annotations

import json
import logging
import random
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx

from .clock import Clock
from .errcodes import (
    CONNECTION_ERROR,
    HTTP_SERVER_ERROR,
    Action,
    Rule,
    TokenKind,
    http_errcode,
    pause_before_retry,
    rule_for,
)
from .errors import PermanentApiError, TransientApiError, UncertainDeliveryError
from .token import TokenProvider
from .tokens import CallRecorder

log = logging.getLogger(__name__)

_SECRET_PARAMS = re.compile(r"\b((?:access_token|corpsecret|secret|key)=)[^&\s\"']+")


class _RedactSecrets(logging.Filter):
    """httpx logs every request URL at INFO; ours carry the token, the secret or the robot key."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_redact(arg) for arg in record.args)
        return True


def _redact(value: object) -> object:
    text = str(value)
    return _SECRET_PARAMS.sub(r"\1***", text) if _SECRET_PARAMS.search(text) else value


logging.getLogger("httpx").addFilter(_RedactSecrets())

Json = dict[str, Any]

# Sends WeCom keeps no duplicate check for (§2.4 appchat/send, §2.5 webhook/send): once the
# request may have reached the platform, a resend could post the message twice. message/send has
# enable_duplicate_check and is retried as usual.
NO_DUPLICATE_CHECK = frozenset({"appchat/send", "webhook/send"})
# httpx errors raised before the request was complete on the wire: the platform cannot have acted.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.WriteError, httpx.WriteTimeout)


class ApiSession:
    """Calls `{api_base}{endpoint}` for one app, retrying and recording as errcodes.py says.

    `tokens` is None for the robot webhook, whose key in the URL is the credential (§2.5).
    """

    def __init__(
        self,
        *,
        api_base: str,
        app_key: str,
        token_kind: TokenKind,
        tokens: TokenProvider | None,
        recorder: CallRecorder,
        clock: Clock,
        http: httpx.Client,
        rng: random.Random | None = None,
    ) -> None:
        if not api_base.startswith(("http://", "https://")) or not api_base.endswith("/"):
            raise ValueError(f"API base must be an http(s) URL ending in '/': {api_base!r}")
        self.api_base = api_base
        self.app_key = app_key
        self.token_kind = token_kind
        self.tokens = tokens
        self._recorder = recorder
        self._clock = clock
        self._http = http
        self._rng = rng or random.Random()

    def call(
        self,
        method: str,
        endpoint: str,
        *,
        params: Json | None = None,
        body: Json | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        authenticated: bool = True,
    ) -> Json:
        """The decoded answer of a successful call; raises PermanentApiError / TransientApiError.

        `files` ({field: (filename, bytes, content type)}) sends a multipart upload instead of JSON.
        """
        used: Counter[Action] = Counter()
        attempt = 0
        while True:
            attempt += 1
            token = self.tokens.get() if authenticated and self.tokens else None
            errcode, errmsg, answer, maybe_done = self._attempt(method, endpoint, params, body, token, attempt, files)
            rule = rule_for(errcode, token_kind=self.token_kind if authenticated else "none")
            if rule.action is Action.OK:
                return answer
            if maybe_done and endpoint in NO_DUPLICATE_CHECK:
                raise UncertainDeliveryError(errcode, errmsg, endpoint)
            if used[rule.action] >= rule.retries:
                raise _failure(rule, errcode, errmsg, endpoint)
            used[rule.action] += 1
            log.info("%s errcode %s, %s (attempt %d)", endpoint, errcode, rule.action.value, attempt)
            if rule.action is Action.REFRESH_TOKEN and token is not None and self.tokens:
                self.tokens.invalidate(token)
            else:
                self._clock.sleep(pause_before_retry(rule, used[rule.action], self._rng))

    # wechatpy's BaseWeChatAPI calls these two (see the module docstring).
    def get(
        self, url: str, *, params: Json | None = None, result_processor: Callable[[Json], Any] | None = None
    ) -> Any:
        answer = self.call("GET", url, params=params)
        return result_processor(answer) if result_processor else answer

    def post(
        self,
        url: str,
        *,
        data: Json | None = None,
        params: Json | None = None,
        result_processor: Callable[[Json], Any] | None = None,
    ) -> Any:
        answer = self.call("POST", url, params=params, body=data)
        return result_processor(answer) if result_processor else answer

    def _attempt(
        self,
        method: str,
        endpoint: str,
        params: Json | None,
        body: Json | None,
        token: str | None,
        attempt: int,
        files: dict[str, tuple[str, bytes, str]] | None = None,
    ) -> tuple[int, str, Json, bool]:
        """One HTTP exchange: (errcode, errmsg, decoded body, maybe carried out), recorded whatever
        happened. "Maybe carried out": the request was complete and the answer is a 5xx or never
        came, so the platform may have acted on it."""
        query = dict(params or {})
        if token is not None:
            query["access_token"] = token  # §2: the token is read from the query string only
        content = None
        if body is not None:  # UTF-8, not \\u escapes: what wechatpy sends, and what limits count
            content = json.dumps(body, ensure_ascii=False).encode("utf-8")
        started = self._clock.monotonic()
        status = 0
        maybe_done = False
        try:
            if files is not None:  # multipart: httpx writes the boundary header itself
                response = self._http.request(method, self.api_base + endpoint, params=query, files=files)
            else:
                response = self._http.request(
                    method,
                    self.api_base + endpoint,
                    params=query,
                    content=content,
                    headers={"Content-Type": "application/json; charset=utf-8"},
                )
        except httpx.TransportError as exc:  # refused, reset, timeout, dropped mid-answer
            answer: dict[str, Any] = {}
            errcode, errmsg = CONNECTION_ERROR, f"{type(exc).__name__}: {exc}"
            maybe_done = not isinstance(exc, _NOT_SENT)
        else:
            status = response.status_code
            errcode, errmsg, answer = _decode(response)
            maybe_done = status >= 500
        duration_ms = int((self._clock.monotonic() - started) * 1000)
        self._record(endpoint, errcode, status, attempt, duration_ms)
        return errcode, errmsg, answer, maybe_done

    def _record(self, api: str, errcode: int, status: int, attempt: int, duration_ms: int) -> None:
        try:
            self._recorder.record(
                app_key=self.app_key,
                api=api,
                errcode=errcode,
                http_status=status,
                attempt=attempt,
                duration_ms=duration_ms,
            )
        except Exception:  # a lost statistic must not turn a delivered message into a failure
            log.exception("could not record %s errcode %s", api, errcode)


def _decode(response: httpx.Response) -> tuple[int, str, Json]:
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if not response.is_success:
        errmsg = answer.get("errmsg") if isinstance(answer, dict) else None
        return http_errcode(response.status_code), errmsg or f"HTTP {response.status_code}", {}
    if not isinstance(answer, dict):
        return HTTP_SERVER_ERROR, "response is not a JSON object", {}
    # The OA's token endpoint answers success without an errcode (§4.2).
    return int(answer.get("errcode", 0)), str(answer.get("errmsg", "")), answer


def _failure(rule: Rule, errcode: int, errmsg: str, api: str) -> Exception:
    if rule.action is Action.PERMANENT:
        return PermanentApiError(errcode, errmsg, api)
    return TransientApiError(errcode, errmsg, api, retry_after=rule.retry_after)


class OwnedHttp:
    """Mixin for the clients: use the given httpx.Client, or make (and later close) one."""

    def _init_http(self, http: httpx.Client | None, timeout: float) -> httpx.Client:
        self._owns_http = http is None
        self._http = http or httpx.Client(timeout=timeout)
        return self._http

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
