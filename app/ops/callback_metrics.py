"""Counts and times every callback request, whichever web worker serves it.

The figures live in this process (prometheus-client). With several uvicorn workers,
`jobmatrix serve --workers N` sets PROMETHEUS_MULTIPROC_DIR before the workers start, so each
worker writes its counts to a shared directory and a scrape of any worker adds them all up
(prometheus-client's multiprocess mode; the variable must be set before the library is imported).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

CALLBACK_PATHS = {"/wecom/callback": "wecom", "/mp/callback": "mp", "/aibot/callback": "aibot"}

# What the status code of our answer means (app/inbound/views.py decides the codes).
OUTCOMES = {200: "accepted", 403: "refused_signature", 400: "refused_malformed", 413: "refused_too_large",
            503: "not_configured"}

# `*_created` series (a timestamp per label set) only add noise; multiprocess mode has none either.
disable_created_metrics()

# Not the default registry: the tests build many apps in one process, and a scrape adds the
# database figures of its own app to these (metrics.py).
REGISTRY = CollectorRegistry(auto_describe=True)

CALLBACKS = Counter(
    "jobmatrix_callbacks", "Callback requests by channel, kind (url_check or message) and outcome.",
    ["channel", "kind", "outcome"], registry=REGISTRY)
# WeCom wants the URL check answered within 1 s and a message within 5 s (wecom-platform.md §1.1, §1.3).
CALLBACK_SECONDS = Histogram(
    "jobmatrix_callback_seconds", "Time from request to the last byte of our answer, by channel.",
    ["channel"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0), registry=REGISTRY)


def outcome_of(status: int) -> str:
    return OUTCOMES.get(status, "error" if status >= 500 else f"http_{status}")


class CallbackMetrics:
    """Pure ASGI middleware: nothing is buffered, only the status code is read on its way out."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        channel = CALLBACK_PATHS.get(scope.get("path", "")) if scope["type"] == "http" else None
        if channel is None:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def watch(message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            kind = "url_check" if scope.get("method") == "GET" else "message"
            CALLBACKS.labels(channel, kind, outcome_of(status)).inc()
            CALLBACK_SECONDS.labels(channel).observe(time.perf_counter() - started)


def prepare_multiprocess_dir(path: Path) -> None:
    """Before the workers start: an empty directory (old files would add a previous run's counts)."""
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    os.environ[MULTIPROC_ENV] = str(path.resolve())


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None
