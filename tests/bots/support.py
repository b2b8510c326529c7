"""Helpers shared by the client tests."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from bots.client.limits import utf8_len


class FastClock:
    """Real time, but `sleep` only records: retries back off for seconds, tests must not."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        time.sleep(min(seconds, 0.005))  # still yield, so waiting threads can make progress


def chinese_text(total_bytes: int) -> str:
    lines, size, n = [], 0, 0
    while size < total_bytes:
        line = f"第{n}条：中牟县某物流园招聘装卸工十名，日结一百八十元，包午餐，年龄十八至五十五岁。\n"
        lines.append(line)
        size += utf8_len(line)
        n += 1
    return "".join(lines)
