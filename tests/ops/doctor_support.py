"""A deployment for the doctor to examine: our real server, a reference clock, and a bad proxy."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from fastapi import FastAPI, Response

from tests.support.http import serve

CORP_ID = "ww0123456789abcdef"
MP_APP_ID = "wx0123456789abcdef"
WECOM_TOKEN = "doctorToken01"
WECOM_AES = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ"
MP_TOKEN = "doctorMpToken"
AIBOT_TOKEN = "doctorBotToken"
AIBOT_AES = "ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkj"

GOOD = {
    "WECOM_CORP_ID": CORP_ID, "WECOM_SECRET": "app-secret", "WECOM_TOKEN": WECOM_TOKEN,
    "WECOM_ENCODING_AES_KEY": WECOM_AES, "MP_APP_ID": MP_APP_ID, "MP_APP_SECRET": "mp-secret",
    "MP_TOKEN": MP_TOKEN, "AIBOT_TOKEN": AIBOT_TOKEN, "AIBOT_ENCODING_AES_KEY": AIBOT_AES,
}


@contextmanager
def reference_clock(offset: timedelta = timedelta(0)) -> Iterator[str]:
    """An HTTP server whose Date header is now + offset (like any web server, to the second)."""
    app = FastAPI()

    @app.api_route("/", methods=["GET", "HEAD"])
    def now() -> Response:
        return Response("", headers={"Date": format_datetime(datetime.now(UTC) + offset, usegmt=True)})

    # uvicorn adds its own Date header unless told not to; ours must be the only one.
    with serve(app, ready_path="/", date_header=False) as base:
        yield base + "/"


class QuotingProxy:
    """A reverse proxy that 'helpfully' sends the AI bot's answer as a JSON string (a classic bug)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["path"] != "/aibot/callback":
            await self.app(scope, receive, send)
            return
        status = 200
        body = b""

        async def keep(message) -> None:
            nonlocal status, body
            if message["type"] == "http.response.start":
                status = message["status"]
            else:
                body += message.get("body", b"")

        await self.app(scope, receive, keep)
        quoted = b'"' + body + b'"\n'
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(quoted)).encode())]})
        await send({"type": "http.response.body", "body": quoted})
