"""Distinct, signed, encrypted WeCom text callbacks, written to a file the load generators replay.

Every request is a new message (its own MsgId, nonce and fresh timestamp), so the full path
stores each one and never answers from the dedupe table. Generation costs ~50 µs a request,
so pools are built just before the phase that sends them, well inside the 300 s skew window.
"""

from __future__ import annotations

import itertools
import random
import secrets
from dataclasses import dataclass
from pathlib import Path

from tests.support.callbacks import sealed_wecom, text_xml

PATH = "/wecom/callback"

# What residents actually type into the app: colloquial, unpunctuated, a phone number at the end.
_TEMPLATES = (
    "会开{skill} 有证{years}年 想在{place}找{work}的活 电话{phone}",
    "本人{age}岁 {skill}干了{years}年 {place}附近有{work}的活吗 联系{phone}",
    "{age}岁 女 在家带孩子 想找{place}附近的{work} 半天也行 {phone}",
    "找工作 {skill} {years}年经验 {place}或者郑州都行 要求管吃住 电话{phone}",
    "我想找个{work}的工作 在{place} 会{skill} 手机{phone}",
)
_SKILLS = ("叉车", "电焊", "挖掘机", "水电安装", "厨师", "保洁", "开大车 A2", "缝纫", "瓦工", "收银")
_WORK = ("仓库", "物流分拣", "工厂流水线", "工地", "饭店后厨", "超市", "保安", "家政", "汽车配件厂", "食品厂")
_PLACES = (
    "中牟",
    "官渡镇",
    "刘集镇",
    "韩寺镇",
    "姚家镇",
    "狼城岗",
    "万滩镇",
    "白沙镇",
    "郑州经开区",
    "雁鸣湖",
)

# MsgIds are 64-bit in WeCom; a random base keeps two runs against one database apart too.
_msg_ids = itertools.count(random.SystemRandom().randrange(10**17, 9 * 10**17))


def resident_text(rng: random.Random) -> str:
    return rng.choice(_TEMPLATES).format(
        skill=rng.choice(_SKILLS),
        work=rng.choice(_WORK),
        place=rng.choice(_PLACES),
        years=rng.randint(1, 20),
        age=rng.randint(19, 58),
        phone=f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
    )


def sealed_request(sender: str, content: str) -> tuple[str, str]:
    """(path with query, XML body) of one signed, encrypted callback, as WeCom would send it."""
    params, body = sealed_wecom(text_xml(sender, content, next(_msg_ids)))
    query = "&".join(f"{key}={value}" for key, value in params.items())  # hex and digits: no escaping
    return f"{PATH}?{query}", body


@dataclass(frozen=True)
class Pool:
    """A file of requests, one a line: `path?query<TAB>body`."""

    path: Path
    size: int

    def lines(self) -> list[tuple[str, str]]:
        with self.path.open(encoding="utf-8") as handle:
            return [tuple(line.rstrip("\n").split("\t", 1)) for line in handle]  # type: ignore[misc]


def write_pool(path: Path, size: int, sender: str) -> Pool:
    rng = random.Random(secrets.randbits(32))
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(size):
            target, body = sealed_request(sender, resident_text(rng))
            handle.write(f"{target}\t{body}\n")
    return Pool(path, size)
