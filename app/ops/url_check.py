"""Play WeCom's (or the Official Account's) URL check against our own public callback URL.

What the platform does when an admin saves the callback URL (wecom-platform.md §1.1, §4.1): a GET
with a signed, encrypted echostr (plain mode for the OA: signature over token, timestamp, nonce),
answered within 1 s by the bare plaintext — no quotes, no BOM, no newline. Answering anything
else is the most common reason a bot never receives a message, so each way of getting it wrong
gets its own explanation.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

import httpx

from bots.wire.crypto import CallbackCrypto, sign

URL_CHECK_SECONDS = 1.0  # WeCom gives up after 1 s (§1.1)


@dataclass(frozen=True)
class Receiver:
    name: str  # wecom | mp | aibot
    path: str
    token: str
    aes_key: str  # empty for the OA: its URL check is plain even in safe mode (§4.1)
    receive_id: str
    token_var: str  # the settings that must match the server's
    key_var: str


def _random_echostr() -> str:
    return str(secrets.randbelow(10**19 - 10**18) + 10**18)  # decimal, like WeCom's


def signed_request(receiver: Receiver, now: float) -> tuple[dict[str, str], str]:
    """(query params, the plaintext the server must answer with)."""
    timestamp, nonce, echostr = str(int(now)), str(secrets.randbelow(10**9)), _random_echostr()
    if receiver.aes_key:
        crypto = CallbackCrypto(token=receiver.token, encoding_aes_key=receiver.aes_key, receive_id=receiver.receive_id)
        sealed = crypto.encrypt(echostr, timestamp=timestamp, nonce=nonce)
        return {"msg_signature": sealed.signature, "timestamp": timestamp, "nonce": nonce, "echostr": sealed.encrypt}, echostr
    return {"signature": sign(receiver.token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
            "echostr": echostr}, echostr


def explain_answer(receiver: Receiver, status: int, body: str, want: str, params: dict[str, str]) -> str | None:
    """None when the answer is exactly right; otherwise what is wrong and what to change."""
    short = body[:80].replace("\n", "\\n")
    if status in (301, 302, 303, 307, 308):
        return (f"answered {status} (a redirect), which WeCom does not follow; fix: register the final URL "
                "(often https:// instead of http://, or with/without a trailing slash)")
    if status == 404:
        return f"answered 404; fix: the proxy must pass {receiver.path} through to `jobmatrix serve`"
    if status == 503 and "not configured" in body:
        return (f"the server answers that this callback is not configured; fix: set {receiver.token_var}"
                f"{' and ' + receiver.key_var if receiver.aes_key else ''} in the server's environment and restart it")
    if status == 403:
        return (f"the server refused the signed check ({short}); fix: {receiver.token_var} and {receiver.key_var} "
                "must be the same on the server as in the admin console, and the server's clock must be right")
    if status == 400:
        return (f"the server could not decrypt the check ({short}); fix: {receiver.key_var} (and the receive id) "
                "must match the admin console on the server")
    if status != 200:
        return f"answered HTTP {status} ({short}); fix: see the server's log"
    if body == want:
        return None
    if body.strip().strip('"') == want:
        return (f"answered {short!r} instead of the bare echostr (quotes, spaces or a newline around it); "
                "fix: the proxy or a framework is rewriting the body — it must be exactly the plaintext")
    if body.lstrip("\ufeff") == want:
        return "answered with a byte-order mark before the echostr; fix: remove the BOM from the response"
    if body == params.get("echostr"):
        return ("echoed the encrypted echostr instead of decrypting it; fix: the URL reaches a different "
                "program than JobMatrix")
    return f"answered {short!r}, not the echostr; fix: the URL does not reach this JobMatrix server"


def check_receiver(receiver: Receiver, public_url: str, *, client: httpx.Client,
                   now: float | None = None) -> str | None:
    """Send one signed URL check; None when it passed, else the problem and its fix."""
    params, want = signed_request(receiver, time.time() if now is None else now)
    url = public_url.rstrip("/") + receiver.path
    started = time.perf_counter()
    try:
        answer = client.get(url, params=params, follow_redirects=False)
    except httpx.HTTPError as exc:
        return (f"{url} is unreachable ({type(exc).__name__}: {exc}); fix: DNS, firewall, TLS certificate "
                "and the reverse proxy must let WeCom reach it")
    elapsed = time.perf_counter() - started
    problem = explain_answer(receiver, answer.status_code, answer.text, want, params)
    if problem is None and elapsed > URL_CHECK_SECONDS:
        return (f"answered correctly but took {elapsed:.2f} s; WeCom gives up after {URL_CHECK_SECONDS:.0f} s; "
                "fix: look for a slow proxy or an overloaded server")
    return problem
