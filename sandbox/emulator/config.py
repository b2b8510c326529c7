"""Settings of one emulator run: credentials, limits, faults and the clock."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class FaultConfig:
    """Faults injected into the API endpoints (never into /_emulator/).

    `errors` items are WeCom errcodes (ints such as -1, 45009, 45033) or "http:500"-style strings
    for a bare HTTP error status. `script` lists outcomes for the next calls, consumed before the
    random draw: an errcode, "http:502", "drop" or 0 (no fault). `paths` limits faults to
    endpoints whose name starts with one of the prefixes ("message/send", "mp/", "webhook/").

    "accepted:http:502" and "accepted:timeout" (in `errors` or `script`) let the call succeed —
    the message is delivered — and then fail its answer: a bare 5xx, or no answer for
    `hang_seconds` and a closed socket (the client's read times out first). That is what makes
    resending unsafe on APIs without a duplicate check (appchat/send, webhook/send).
    """

    error_rate: float = 0.0
    errors: list[int | str] = field(default_factory=lambda: [-1])
    latency_ms: float = 0.0
    latency_jitter_ms: float = 0.0
    drop_rate: float = 0.0
    seed: int | None = None
    paths: list[str] = field(default_factory=list)
    script: list[int | str] = field(default_factory=list)
    hang_seconds: float = 30.0  # how long "accepted:timeout" withholds the answer


class ManualClock:
    """A clock for tests: starts at `start` and moves only when told to."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds


@dataclass
class EmulatorConfig:
    """Identity of the emulated corp/app/Official Account and every limit the emulator enforces.

    Defaults follow wecom-platform.md (token 7200 s §2.1; response_code 72 h §1.8; robot 20/min §2.5;
    30 messages/min/member §3.2; MP 48 h window with 5 messages §4.3).
    """

    corp_id: str = "wwemulatorcorp0001"
    agent_id: int = 1000002
    secret: str = "emulator-app-secret"
    mp_app_id: str = "wxemulatormp00001"
    mp_app_secret: str = "emulator-mp-secret"
    host: str = "127.0.0.1"
    port: int = 0
    token_ttl: int = 7200
    # §2.2: the doc says truncate, the errcode table says 45002; which one the server does is unknown.
    text_overflow: str = "truncate"
    response_code_ttl: int = 72 * 3600
    robot_per_minute: int = 20
    member_per_minute: int = 30
    member_per_hour: int = 1000
    appchat_member_per_minute: int = 200
    mp_window_seconds: int = 48 * 3600
    mp_window_quota: int = 5
    mp_event_window_seconds: int = 60
    mp_event_window_quota: int = 3
    # §2.7: each customer group receives at most one 企业群发 per day.
    group_msg_daily_quota: int = 1
    # §4.2: a new MP token invalidates the previous one after a 5-minute overlap.
    mp_token_overlap: int = 300
    users: list[str] = field(default_factory=list)
    robots: dict[str, str] = field(default_factory=dict)
    followers: list[str] = field(default_factory=list)
    # §4.4 template messages: the templates this Official Account has added, id → keyword names
    # (e.g. {"tmpl_job": ["thing1", "thing2"]}); any other template_id answers 40037.
    mp_templates: dict[str, list[str]] = field(default_factory=dict)
    faults: FaultConfig = field(default_factory=FaultConfig)
    clock: Callable[[], float] = time.time

    def __post_init__(self) -> None:
        if self.text_overflow not in ("truncate", "error"):
            raise ValueError("text_overflow must be 'truncate' or 'error'")
