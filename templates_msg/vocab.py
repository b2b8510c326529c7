"""The shared occupation vocabulary and place list, and a jieba tokenizer that knows them.

Everything here is loaded once per process on first use: jieba's dictionary takes about a
second to build, far too slow to pay per message.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

MODIFIERS = frozenset(
    "大棚 装修 汽车厂 服装厂 食品厂 电子厂 纸箱厂 鞋厂 工地 物业 医院 超市 食堂 学校食堂 冷库 养老院 驾校 药店 快递"
    " 物流 酒店 饭店 后厨 厨房 仓库 园林 家政 服务区 加油站 洗车房 澡堂 宠物店 化工厂 砖厂 水泥厂".split()
)


@dataclass(frozen=True)
class Occupation:
    canonical: str
    category: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class Mention:
    """An occupation found in a text: the canonical name and where the words were."""

    canonical: str
    surface: str
    start: int
    end: int


def _data_lines(name: str) -> list[str]:
    text = resources.files("templates_msg").joinpath("data", name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def occupations() -> tuple[Occupation, ...]:
    """All occupations of the shared vocabulary, in file order."""
    result = []
    for line in _data_lines("occupations.tsv"):
        canonical, category, synonyms = line.split("\t")[:3]  # a 4th column (broader) is for matching
        result.append(
            Occupation(canonical, category, tuple(dict.fromkeys([canonical, *synonyms.split("|")])))
        )
    return tuple(result)


@cache
def synonym_index() -> dict[str, str]:
    """Surface word -> canonical occupation; a word listed on two lines belongs to the first."""
    index: dict[str, str] = {}
    for occ in occupations():
        for syn in occ.synonyms:
            index.setdefault(syn, occ.canonical)
    return index


@cache
def places() -> tuple[str, ...]:
    """Known place names, longest first so 中牟新区 wins over 中牟."""
    return tuple(sorted(set(_data_lines("places.txt")), key=len, reverse=True))


def normalize_occupation(word: str) -> str | None:
    """Canonical occupation for a surface word (叉车 -> 叉车工), or None."""
    return synonym_index().get(word)


@cache
def tokenizer() -> Any:
    """A private jieba tokenizer with occupations and places as user words, built once."""
    import jieba

    jieba.setLogLevel(logging.WARNING)  # jieba prints its cache-building chatter otherwise
    tk = jieba.Tokenizer()
    tk.initialize()
    for word in synonym_index():
        tk.add_word(word, freq=50000)
    for place in places():
        tk.add_word(place, freq=50000)
    return tk


@cache
def _openings() -> frozenset[str]:
    """First two characters of every vocabulary word (all words have at least two)."""
    return frozenset(word[:2] for word in synonym_index())


_SEGMENT = re.compile(r"[^\s，,。.!！?？;；:：、]+")


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) for each jieba token; no HMM so unknown words stay split (faster).

    Only segments that could hold a vocabulary word are segmented: jieba is the slowest step.
    """
    out = []
    openings = _openings()
    for seg in _SEGMENT.finditer(text):
        piece = seg.group(0)
        if not any(piece[i : i + 2] in openings for i in range(len(piece) - 1)):
            continue
        pos = seg.start()
        for word in tokenizer().cut(piece, HMM=False):
            out.append((word, pos, pos + len(word)))
            pos += len(word)
    return out


def find_occupations(text: str) -> list[Mention]:
    """Occupation mentions in text order; a token is matched whole so 看门口 is not 看门."""
    return list(_find_occupations(text))


# classify and parse both look for occupations in the same text; segmenting is the slowest
# step of understanding a message, so do it once per message (a tiny cache: no reuse across messages).
@lru_cache(maxsize=8)
def _find_occupations(text: str) -> tuple[Mention, ...]:
    index = synonym_index()
    found = [Mention(index[w], w, s, e) for w, s, e in tokens(text) if w in index]
    # A workplace word written right before another occupation word only modifies it
    # (大棚摘草莓, 装修木工); two trades written together (月嫂育儿嫂) are both kept.
    return tuple(
        m
        for i, m in enumerate(found)
        if not (m.surface in MODIFIERS and i + 1 < len(found) and found[i + 1].start == m.end)
    )


def unique_canonicals(mentions: list[Mention]) -> list[str]:
    return list(dict.fromkeys(m.canonical for m in mentions))
