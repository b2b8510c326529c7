"""Find numbers that are private: mobiles, landlines, ID cards, bank cards, in any spelling.

The text is read as chains of digit groups (a group is consecutive digit characters in any
spelling; groups chain when only separators like spaces, dashes or a line break sit between
them). Every run of consecutive groups in a chain is tried against the number shapes, so
"138 1234 5678", "幺三八-1234-5678" and "+86 138\n12345678" are all one mobile.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from stdnum import luhn

from templates_msg.textnorm import DIGIT_OF, IGNORABLE

# Separators people put inside a number; a gap longer than this is not "inside" anymore.
_SEPARATORS = frozenset(" \t\r\n-－—–_.·,，、()（）+＋\u3000/。~～*#★☆|杠横")
# Letters typed for look-alike digits inside a number (l38OOOO1234): read as digits only next
# to a real digit, so words are never turned into numbers.
_LOOKALIKE = {"l": "1", "I": "1", "O": "0", "o": "0"}
# Words people put between the groups of a number read aloud ("138 然后 1234 最后是 5678").
_SPOKEN_GAP = 12
# Words that name a part of a number (前三位, 中间四位, 后四位是) and carry a digit of their own.
_GAP_WORDS = re.compile(r"(?:[前后中末尾](?:间|面)?|最后)[一二三四五六七八两3-8]位(?:数)?(?:是)?")
_RANGE_JOIN = frozenset("-－—–~～")
_MAX_GAP = 3
_MOBILE = re.compile(r"1[3-9]\d{9}")
# Area codes: 010, 02x, then 0[3-9] plus two digits whose first is not 0 (0371 Zhengzhou).
_LANDLINE = re.compile(r"(?:010|02\d|0[3-9][1-9]\d)[2-9]\d{6,7}")
_DATE = re.compile(r"(?<!\d)(?:19|20)\d\d[-./年](?:0?[1-9]|1[0-2])[-./月](?:0?[1-9]|[12]\d|3[01])(?!\d)")
_HOTLINE = re.compile(r"[48]00\d{7}")
_CONTEXT_PHONE = re.compile(r"(电话|手机|座机|固话|联系|热线|tel|Tel|TEL|打|call|号码)[^\d]{0,3}$")
_BENIGN_AFTER = re.compile(
    r"^\s*(元|块|万|千|米|cm|厘米|公斤|斤|kg|人|名|岁|号|年|月|日|天|平|亩|小时|分钟|%|个|件|台)"
)


@dataclass(frozen=True)
class Group:
    digits: str  # ASCII digits, maybe ending in X (ID check character)
    start: int
    end: int


@dataclass(frozen=True)
class NumberHit:
    type: str  # phone | landline | id_card | bank_card | ambiguous
    start: int
    end: int
    digits: str


def _read_groups(text: str) -> list[Group]:
    """Maximal runs of digit characters (any spelling), skipping invisible decorations."""
    groups: list[Group] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] not in DIGIT_OF and not (_lookalike_at(text, i) and i + 1 < n and text[i + 1].isdigit()):
            i += 1
            continue
        start, digits = i, []
        while i < n and (text[i] in DIGIT_OF or text[i] in IGNORABLE or _lookalike_at(text, i)):
            if text[i] in DIGIT_OF:
                digits.append(DIGIT_OF[text[i]])
            elif text[i] in _LOOKALIKE:
                digits.append(_LOOKALIKE[text[i]])
            i += 1
        # A trailing X/x right after 17 digits is the ID check character.
        if i < n and text[i] in "xX×" and len(digits) in (17, 3, 4, 1, 2):
            digits.append("X")
            i += 1
        end = i
        while end > start and text[end - 1] in IGNORABLE:
            end -= 1
        groups.append(Group("".join(digits), start, end))
    return groups


def _lookalike_at(text: str, i: int) -> bool:
    """A look-alike letter with an ASCII digit or another look-alike right beside it."""
    if text[i] not in _LOOKALIKE:
        return False
    near = text[max(0, i - 1) : i] + text[i + 1 : i + 2]
    if any(ch in _LOOKALIKE for ch in near):
        # OOOO inside 38OOOO12: count the run only if a real digit touches it somewhere.
        j, k = i, i
        while j > 0 and text[j - 1] in _LOOKALIKE:
            j -= 1
        while k + 1 < len(text) and text[k + 1] in _LOOKALIKE:
            k += 1
        near = text[max(0, j - 1) : j] + text[k + 1 : k + 2]
    return any(ch.isascii() and ch.isdigit() for ch in near)


def _is_separator(ch: str) -> bool:
    # Emoji and symbols between digit groups are decoration (138🌟1234🌟5678).
    return ch in _SEPARATORS or unicodedata.category(ch) in ("So", "Sk", "Sm")


def _chains(text: str, groups: list[Group]) -> list[list[Group]]:
    """Split groups into chains joined only by short separator gaps."""
    chains: list[list[Group]] = []
    for g in groups:
        if chains:
            prev = chains[-1][-1]
            gap = text[prev.end : g.start]
            if len(gap) <= _MAX_GAP and all(_is_separator(ch) for ch in gap) and "X" not in prev.digits:
                chains[-1].append(g)
                continue
        chains.append([g])
    return chains


def _valid_id(digits: str) -> bool:
    """Shape and GB 11643 check digit. Not python-stdnum's ric.is_valid: it also wants the region
    code in its own list, which misses real county codes (410225, 411422), and such an ID was
    reported as mistyped and held."""
    if len(digits) != 18 or not _ID_SHAPE.fullmatch(digits):
        return False
    total = sum(int(ch) * (2 ** (17 - i) % 11) for i, ch in enumerate(digits[:17]))
    check = (12 - total % 11) % 11
    return digits[17] == ("X" if check == 10 else str(check))


_ID_SHAPE = re.compile(r"[1-8]\d{5}(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dX]")


def _classify_digits(digits: str, before: str, first: str) -> str | None:
    """Which private-number shape a digit string has, if any."""
    if _valid_id(digits):
        return "id_card"
    if _ID_SHAPE.fullmatch(digits):
        return "id_suspect"  # an ID number with a typo is still someone's ID number
    if "X" in digits:
        return None
    if _MOBILE.fullmatch(digits):
        return "phone"
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and _MOBILE.fullmatch(digits[len(prefix) :]):
            return "phone"
    if 16 <= len(digits) <= 19 and luhn.is_valid(digits):
        return "bank_card"
    if _LANDLINE.fullmatch(digits):
        return "landline"
    if _HOTLINE.fullmatch(digits) and len(first) in (3, 10):
        return "landline"  # 400-xxx-xxxx business hotlines, written grouped or whole
    if len(digits) in (7, 8) and digits[0] in "2345678" and _CONTEXT_PHONE.search(before):
        return "landline"
    return None


def _best_run(text: str, chain: list[Group], i: int) -> tuple[int, str] | None:
    """Longest run of groups starting at chain[i] that forms a private number."""
    best: tuple[int, str] | None = None
    digits = ""
    before = text[max(0, chain[i].start - 8) : chain[i].start]
    for j in range(i, len(chain)):
        digits += chain[j].digits
        if len(digits) > 19:
            break
        kind = _classify_digits(digits, before, chain[i].digits)
        if kind == "landline" and _BENIGN_AFTER.match(text[chain[j].end : chain[j].end + 4]):
            continue  # "电话2000-6100元": a unit after the digits makes it money, not a number to call
        if kind is not None:
            best = (j, kind)
    return best


# Numbers that say what they are: a meeting to join, an order, a train (never a person's contact).
_LABELLED_NOT_CONTACT = re.compile(r"(?:会议号|会议ID|会议id|会议室|房间号|订单号|单号|车次|航班|邮编|编号)[\s:：]{0,3}$")


def _is_benign(text: str, run: list[Group]) -> bool:
    """Long digit runs that are plainly not contact numbers: dates, ranges, money, meeting ids."""
    digits = "".join(g.digits for g in run)
    if len(digits.replace("X", "")) < 7:
        return True
    if _LABELLED_NOT_CONTACT.search(text[max(0, run[0].start - 8) : run[0].start]):
        return True
    if _BENIGN_AFTER.match(text[run[-1].end : run[-1].end + 4]):
        return len(run) == 1 or all(len(g.digits) <= 5 for g in run)
    if (
        len(run) == 3
        and re.fullmatch(r"(19|20)\d\d", run[0].digits)
        and all(len(g.digits) <= 2 for g in run[1:])
    ):
        return True  # a date such as 2024-03-05
    return False


def _is_range(text: str, a: Group, b: Group) -> bool:
    """4000-6000, 18-45: two same-length ascending numbers joined by a dash."""
    gap = text[a.end : b.start].strip()
    if gap not in _RANGE_JOIN or "X" in a.digits + b.digits or len(a.digits) > 5 or len(b.digits) > 6:
        return False
    if int(a.digits) >= int(b.digits):
        return False
    if len(a.digits) <= 3 and len(b.digits) <= 3:
        return len(a.digits) == len(b.digits) == 2  # ages 18-45; not +86-150 or 1-3-8…
    return a.digits.endswith("00") and b.digits.endswith("00")  # pay ranges are round


def _dash_joined(text: str, a: Group, b: Group) -> bool:
    return text[a.end : b.start].strip() in _RANGE_JOIN


def _range_members(text: str, chain: list[Group]) -> set[int]:
    members: set[int] = set()
    for i in range(len(chain) - 1):
        # 1300-2000-000 is a mobile written in dashed groups, not a range with a tail.
        dashed_on = (i + 2 < len(chain) and _dash_joined(text, chain[i + 1], chain[i + 2])) or (
            i > 0 and i - 1 not in members and _dash_joined(text, chain[i - 1], chain[i])
        )
        if i not in members and not dashed_on and _is_range(text, chain[i], chain[i + 1]):
            members.update((i, i + 1))
    return members


def _leftovers(text: str, chain: list[Group], used: set[int]) -> list[NumberHit]:
    """Digit runs left over after private numbers were taken; long ones are ambiguous."""
    hits: list[NumberHit] = []
    run: list[Group] = []
    used = used | _range_members(text, chain)
    for idx, g in enumerate(chain + [Group("", -1, -1)]):
        if idx < len(chain) and idx not in used:
            run.append(g)
            continue
        if run and not _is_benign(text, run):
            hits.append(NumberHit("ambiguous", run[0].start, run[-1].end, "".join(x.digits for x in run)))
        run = []
    return hits


def _split_at_ranges(text: str, chain: list[Group]) -> list[list[Group]] | None:
    """Chains broken after each range pair (4000-6000 4500-8000), or None if there is none."""
    members = _range_members(text, chain)
    if not members:
        return None
    parts: list[list[Group]] = [[]]
    for i, g in enumerate(chain):
        parts[-1].append(g)
        if i in members and (i + 1 not in members or _is_range(text, chain[i - 1], g) if i else False):
            parts.append([])
    return [p for p in parts if p]


def _scan_chain(text: str, chain: list[Group]) -> list[NumberHit]:
    # Pay and age ranges (4000-6000 18-45) are cut out first so they never join a number.
    parts = _split_at_ranges(text, chain) or [chain]
    # A part that is just a range (月薪2000-6100) is never a number, whatever word came before.
    return [
        h for part in parts if not (len(part) == 2 and _is_range(text, *part)) for h in _scan_whole(text, part)
    ]


def _scan_whole(text: str, chain: list[Group]) -> list[NumberHit]:
    hits: list[NumberHit] = []
    used: set[int] = set()
    i = 0
    while i < len(chain):
        found = _best_run(text, chain, i)
        if found is None:
            i += 1
            continue
        j, kind = found
        digits = "".join(g.digits for g in chain[i : j + 1])
        hits.append(NumberHit(kind, _prefix_start(text, chain[i].start), chain[j].end, digits))
        used.update(range(i, j + 1))
        i = j + 1
    return hits + _leftovers(text, chain, used)


def _prefix_start(text: str, start: int) -> int:
    """Swallow a leading '+' so '+86 138…' is masked whole."""
    return start - 1 if start > 0 and text[start - 1] in "+＋" else start


def _outside_dates(text: str, groups: list[Group]) -> list[Group]:
    """Drop digit groups that belong to a written date (2026-03-05), which is never private."""
    spans = [m.span() for m in _DATE.finditer(text)]
    return [g for g in groups if not any(a <= g.start and g.end <= b for a, b in spans)]


def find_numbers(text: str) -> list[NumberHit]:
    """Every private or ambiguous number in the text, in text order."""
    hits: list[NumberHit] = []
    groups = _outside_dates(text, _read_groups(text))
    in_ranges: set[Group] = set()
    for chain in _chains(text, groups):
        hits.extend(_scan_chain(text, chain))
        in_ranges.update(chain[i] for i in _range_members(text, chain))
    # Groups not yet read as a number of known shape may still join one read aloud in parts
    # (前三位130 后面00018623): an ambiguous run that joins one is replaced by it.
    known = [h for h in hits if h.type != "ambiguous"]
    free = [
        g for g in groups
        if g not in in_ranges and len(g.digits) >= 3 and not any(h.start <= g.start and g.end <= h.end for h in known)
    ]
    spoken = _spoken_numbers(text, free)
    hits = [h for h in hits if not any(h.start < s.end and s.start < h.end for s in spoken)] + spoken
    return sorted(hits, key=lambda h: h.start)


def _spoken_numbers(text: str, groups: list[Group]) -> list[NumberHit]:
    """A mobile or ID number whose groups are apart, with words between them (read aloud:
    "幺三八 然后 1234 最后是 5678"). The groups must add up to exactly the number's length and
    none may carry a unit (元, 岁, 人), so amounts and ages next to each other never join."""
    hits: list[NumberHit] = []
    i = 0
    while i < len(groups):
        digits, j, found = "", i, None
        while j < len(groups) and len(digits) < 18:
            g = groups[j]
            gap = _GAP_WORDS.sub("", text[groups[j - 1].end : g.start]) if j > i else ""
            if len(gap) > _SPOKEN_GAP or any(ch in DIGIT_OF or ch == "\n" for ch in gap):
                break
            if "X" in digits:
                break
            # A unit after a group (元, 岁, 人) makes it an amount, unless it completes a number
            # already mostly read (then the unit is a slip; masking a little too much is safe).
            completes = len(digits) >= 7 and (_MOBILE.fullmatch(digits + g.digits) or _ID_SHAPE.fullmatch(digits + g.digits))
            if len(g.digits) <= 6 and _BENIGN_AFTER.match(text[g.end : g.end + 4]) and not completes:
                break
            digits += g.digits
            if j > i and _MOBILE.fullmatch(digits):
                found = (j, "phone")
            elif j > i and _ID_SHAPE.fullmatch(digits):
                found = (j, "id_card" if _valid_id(digits) else "id_suspect")
            j += 1
        if found:
            last, kind = found
            hits.append(NumberHit(kind, groups[i].start, groups[last].end, "".join(g.digits for g in groups[i : last + 1])))
            i = last + 1
        else:
            i += 1
    return hits
