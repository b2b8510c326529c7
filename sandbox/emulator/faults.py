"""Fault injection: errcodes, bare HTTP errors, latency and dropped connections, seeded per run."""

from __future__ import annotations

import asyncio
import json
import random
from dataclasses import dataclass, replace
from typing import Any

from sandbox.emulator.config import FaultConfig

DROP = "drop"
ACCEPTED = "accepted:"  # "accepted:http:502", "accepted:timeout": delivered, then the answer fails


def endpoint_name(path: str) -> str | None:
    """ "message/send" for /cgi-bin/message/send, "mp/message/custom/send" for the MP API; None otherwise."""
    if path.startswith("/cgi-bin/"):
        return path[len("/cgi-bin/") :]
    if path.startswith("/mp/cgi-bin/"):
        return "mp/" + path[len("/mp/cgi-bin/") :]
    return None


@dataclass(frozen=True)
class Decision:
    latency_s: float = 0.0
    outcome: int | str | None = None  # errcode, "http:NNN", DROP, ACCEPTED..., or None for a normal answer
    hang_s: float = 0.0  # for "accepted:timeout"


class FaultInjector:
    """Decides the fate of each API call; the same seed and call order give the same faults."""

    def __init__(self, config: FaultConfig | None = None) -> None:
        self.configure(config or FaultConfig())

    def configure(self, config: FaultConfig) -> None:
        self.config = replace(config, errors=list(config.errors), script=list(config.script))
        self._rng = random.Random(config.seed)
        self._script = list(config.script)

    def decide(self, endpoint: str) -> Decision:
        cfg = self.config
        if cfg.paths and not any(endpoint.startswith(p) for p in cfg.paths):
            return Decision()
        # Always draw the same three numbers so one outcome never shifts the next call's draw.
        roll, pick, jitter = self._rng.random(), self._rng.random(), self._rng.random()
        latency = (cfg.latency_ms + jitter * cfg.latency_jitter_ms) / 1000.0
        if self._script:
            outcome = self._script.pop(0)
            return Decision(latency, None if outcome in (0, "0", None) else outcome, cfg.hang_seconds)
        if roll < cfg.drop_rate:
            return Decision(latency, DROP)
        if roll < cfg.drop_rate + cfg.error_rate and cfg.errors:
            return Decision(latency, cfg.errors[int(pick * len(cfg.errors))], cfg.hang_seconds)
        return Decision(latency)

    def snapshot(self) -> dict[str, Any]:
        data = dict(self.config.__dict__)
        data["script_left"] = list(self._script)
        return data


def parse_outcome(value: int | str) -> tuple[str, int]:
    """("http", status) for "http:502"; ("errcode", n) for an errcode."""
    if isinstance(value, str) and value.startswith("http:"):
        return "http", int(value[5:])
    return "errcode", int(value)


class FaultMiddleware:
    """Pure ASGI middleware in front of the API routes; control routes are never faulted."""

    def __init__(self, app: Any, state: Any) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        endpoint = endpoint_name(scope.get("path", "")) if scope["type"] == "http" else None
        if endpoint is None:
            await self.app(scope, receive, send)
            return
        decision = self.state.decide_fault(endpoint)
        if decision.latency_s:
            await asyncio.sleep(decision.latency_s)
        if decision.outcome is None:
            await self.app(scope, receive, send)
            return
        if isinstance(decision.outcome, str) and decision.outcome.startswith(ACCEPTED):
            await self._accept_then_fail(scope, receive, send, endpoint, decision)
            return
        self.state.record_call(endpoint, "dropped" if decision.outcome == DROP else decision.outcome)
        if decision.outcome == DROP:
            await _drop_connection(receive, send)
            return
        kind, value = parse_outcome(decision.outcome)
        if kind == "http":
            await _send(send, value, b"<html><body>%d</body></html>" % value, b"text/html")
            return
        ip = (scope.get("client") or ("127.0.0.1", 0))[0]
        body = self.state.error_body(endpoint, value, ip=ip, detail="injected fault")
        await _send(send, 200, json.dumps(body).encode(), b"application/json")


    async def _accept_then_fail(self, scope: dict, receive: Any, send: Any, endpoint: str, decision: Decision) -> None:
        """The platform acts on the request (the message is delivered and counted), but its
        answer never reaches the client: a bare 5xx, or silence until the client gives up."""
        assert isinstance(decision.outcome, str)
        failure = decision.outcome[len(ACCEPTED):]

        async def swallow(message: dict) -> None:
            return None

        await self.app(scope, receive, swallow)  # the route counts the call as answered 0
        with self.state.lock:
            self.state.counters.note(decision.outcome)
        if failure == "timeout":
            await asyncio.sleep(decision.hang_s)
            _close_socket(send)
            return
        kind, value = parse_outcome(failure)
        if kind != "http":
            raise ValueError(f"accepted faults are 'accepted:http:NNN' or 'accepted:timeout', not {decision.outcome!r}")
        await _send(send, value, b"<html><body>%d</body></html>" % value, b"text/html")


def _close_socket(send: Any) -> None:
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is not None:
        transport.close()


async def _send(send: Any, status: int, body: bytes, content_type: bytes) -> None:
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _drop_connection(receive: Any, send: Any) -> None:
    """Close the socket with no response at all, so the client sees a connection error.

    uvicorn's `send` is a bound method of its request cycle, which holds the transport. The body
    is read first so the close is a clean FIN (unread bytes would turn it into a reset); the yield
    lets uvicorn notice the disconnect instead of writing its own 500 page.
    """
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is not None:
        message = await receive()
        while message.get("more_body"):
            message = await receive()
        transport.close()
        for _ in range(3):
            await asyncio.sleep(0)
        return
    # Not under uvicorn: start a response and fail mid-way, which makes servers close the socket.
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"10")]})
    raise ConnectionAbortedError("emulator fault: dropped connection")
