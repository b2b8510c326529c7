"""The Official Account template message that carries a subscribed job when the 48-hour
customer-service window is closed (wecom-platform.md §4.4; docs/matching.md names the keywords).

A template message needs no window, only a follower and a template the account has added
(MP_JOB_TEMPLATE_ID); its keyword values are short (typed keywords such as thing allow 20
characters), so the job travels as its code, its first line and the reasons, not its full text.
"""

from __future__ import annotations

from typing import Any

from app.settings import load_settings

# The keywords the configured template must have, in this order (docs/matching.md).
KEYWORDS = ("character_string1", "thing2", "thing3")
VALUE_LIMIT = 20


def template_id() -> str:
    """MP_JOB_TEMPLATE_ID ("" = off). Read where the job is matched: matching runs inside whichever
    process publishes the item (web approval, relay worker), none of which hands it the settings."""
    return load_settings().mp_job_template_id.strip()


def payload(*, template: str, code: str, text: str, reasons: str) -> dict[str, Any]:
    """One `mp_template` outbox row: the template and each keyword's value."""
    title = next((line.strip() for line in text.splitlines() if line.strip()), code)
    values = (code, title, reasons or "符合您的订阅")
    return {"template_id": template, "data": {name: _short(value) for name, value in zip(KEYWORDS, values, strict=True)}}


def _short(value: str) -> str:
    return value if len(value) <= VALUE_LIMIT else value[: VALUE_LIMIT - 1] + "…"
