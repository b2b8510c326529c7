"""Occupation codes and their hierarchy (焊工 ⊃ 电焊工 / 氩弧焊工), read from the shared vocabulary.

An occupation's code is its canonical name in templates_msg/data/occupations.tsv (unique, stable,
readable in messages). The optional 4th column of that file names the broader occupation. The
parser reads a word listed under both a broad and a narrow occupation as the broad one (the first
line owns it), so matching refines: a job for 焊工 whose text says 氩弧焊 is coded 氩弧焊工.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from templates_msg.vocab import find_occupations, normalize_occupation, unique_canonicals

# How close two occupations are, best first; the scorer turns these into points. Two narrower
# occupations of one broader one (氩弧焊工, 电焊工) are not related: a specialisation is not
# interchangeable with another.
EXACT, NARROWER, BROADER = "exact", "narrower", "broader"


@dataclass(frozen=True)
class Occupation:
    code: str
    category: str
    words: tuple[str, ...]
    broader: str | None


@cache
def tree() -> dict[str, Occupation]:
    """Every occupation by code, with its broader occupation (None at the top)."""
    text = resources.files("templates_msg").joinpath("data", "occupations.tsv").read_text(encoding="utf-8")
    found: dict[str, Occupation] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        code, category, words = columns[0], columns[1], columns[2]
        broader = columns[3].strip() if len(columns) > 3 and columns[3].strip() else None
        found[code] = Occupation(code, category, tuple(dict.fromkeys([code, *words.split("|")])), broader)
    for occupation in found.values():
        if occupation.broader is not None and occupation.broader not in found:
            raise ValueError(f"occupations.tsv: {occupation.code} names unknown broader occupation {occupation.broader}")
    return found


def ancestors(code: str) -> list[str]:
    """Broader occupations, nearest first (电焊工 -> [焊工])."""
    out: list[str] = []
    node = tree().get(code)
    while node is not None and node.broader is not None and node.broader not in out:
        out.append(node.broader)
        node = tree().get(node.broader)
    return out


@cache
def narrower(code: str) -> tuple[str, ...]:
    """Direct narrower occupations of `code`, in file order."""
    return tuple(o.code for o in tree().values() if o.broader == code)


def descendants(code: str) -> list[str]:
    out: list[str] = []
    for child in narrower(code):
        out += [child, *descendants(child)]
    return out


def relation(wanted: str, offered: str) -> str | None:
    """How `offered` (a seeker's occupation) fits `wanted` (a job's): exact, narrower (a 电焊工 for a
    焊工 job), broader (a 焊工 for a 电焊工 job), or None (an 氩弧焊工 for a 电焊工 job)."""
    if wanted == offered:
        return EXACT
    if wanted in ancestors(offered):
        return NARROWER
    if offered in ancestors(wanted):
        return BROADER
    return None


def related(code: str) -> list[str]:
    """Every code that `relation` links to `code`: itself, its broader and narrower occupations."""
    return list(dict.fromkeys([code, *ancestors(code), *descendants(code)]))


def refine(codes: list[str], text: str) -> list[str]:
    """Replace a broad code by the narrower ones the text names (焊工 + "氩弧焊" -> 氩弧焊工)."""
    out: list[str] = []
    for code in codes:
        finer = [child for child in descendants(code) if any(word in text for word in tree()[child].words)]
        out += finer or [code]
    return list(dict.fromkeys(out))


def codes_in(text: str) -> list[str]:
    """The occupation codes a text names, most specific first-found (订阅 电焊 -> [电焊工])."""
    canonicals = unique_canonicals(find_occupations(text))
    if not canonicals:
        single = normalize_occupation(text.strip())
        canonicals = [single] if single else []
    return refine([c for c in canonicals if c in tree()], text)


def short_name(code: str) -> str:
    """叉车工 -> 叉车, 保洁员 -> 保洁: the stem used in 有叉车证."""
    for suffix in ("司机", "工", "员", "师"):
        if code.endswith(suffix) and len(code) > len(suffix) + 1:
            return code[: -len(suffix)]
    return code
