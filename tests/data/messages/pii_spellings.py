"""Deterministic generator of invented private values and of the ways people spell them.

Only the spelling of private data is generated here; every message around it is hand-written
(frozen_*.py, dev_*.py). Each message gets its own random.Random seeded from its id, so adding
or editing one message never changes the values of another, and the frozen test split stays
byte-identical when the development part grows.

Values are invented: mobiles are <prefix>000<5 digits> (the "138000xxxxx" convention for test
data), ID cards carry a valid GB 11643 check digit over invented birth dates, bank cards pass
Luhn, QQ/WeChat ids and mailboxes are made-up strings.
"""

from __future__ import annotations

import random

from stdnum import luhn
from stdnum.cn import ric

MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "147", "150", "151",
                   "152", "153", "155", "156", "157", "158", "159", "166", "173", "175", "176", "177",
                   "178", "180", "181", "182", "183", "185", "186", "187", "188", "189", "191", "198", "199")
_REGIONS = ("410122", "410102", "410103", "410104", "410105", "410181", "410183", "410184", "410185",
            "411422", "412726", "410221", "410225")

_CN = dict(zip("0123456789", "零一二三四五六七八九", strict=True))
_YAO = dict(zip("0123456789", "零幺二三四五六七八九", strict=True))
_LIANG = dict(zip("0123456789", "零幺两三四五六七八九", strict=True))
_RING = dict(zip("0123456789", "〇一二三四五六七八九", strict=True))
_RADIO = dict(zip("0123456789", "洞幺两三四五六拐八勾", strict=True))
_CAPS = dict(zip("0123456789", "零壹贰叁肆伍陆柒捌玖", strict=True))
_FW = dict(zip("0123456789", "０１２３４５６７８９", strict=True))
_CIRCLED = dict(zip("0123456789", "⓪①②③④⑤⑥⑦⑧⑨", strict=True))
_LETTERS = {"1": "l", "0": "O"}
_EMOJI = ("😊", "🌹", "👍", "🙏", "☀️", "🌸", "💐", "❤️", "🔥", "✨")
_SEPARATORS = ("杠", "-", "—", ".", "·", "/", "_", "、")
_NUMERAL_TABLES = {"cn": _CN, "yao": _YAO, "liang": _LIANG, "ring": _RING, "radio": _RADIO, "caps": _CAPS,
                   "fw": _FW, "circled": _CIRCLED}


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + "000" + "".join(rng.choice("0123456789") for _ in range(5))


def landline(rng: random.Random) -> str:
    return rng.choice(("0371", "0371", "0371", "0378")) + "6" + "".join(rng.choice("0123456789") for _ in range(7))


def id_card(rng: random.Random) -> str:
    body = rng.choice(_REGIONS) + f"{rng.randint(1958, 2008)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body += f"{rng.randint(0, 999):03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum wants a placeholder check digit


def bank_card(rng: random.Random) -> str:
    length = rng.choice((16, 19, 19))
    body = rng.choice(("6217", "6222", "6228", "6230", "6212")) + "".join(
        rng.choice("0123456789") for _ in range(length - 5))
    return body + luhn.calc_check_digit(body)


def qq(rng: random.Random) -> str:
    return str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(rng.randint(6, 9)))


_PINYIN = ("wang", "li", "zhang", "liu", "chen", "yang", "zhao", "huang", "zhou", "wu", "xu", "sun",
           "ma", "zhu", "hu", "guo", "he", "gao", "lin", "luo", "zheng", "liang", "song", "han")
_WORDS = ("xiaomei", "dage", "jun", "hong", "ping", "lan", "fang", "qiang", "ming", "hua", "juan", "gang",
          "yun", "li", "xia", "bo", "tao", "jie", "zm", "hn", "zz", "ny", "job", "work")


def wechat_id(rng: random.Random) -> str:
    shapes = (
        lambda: rng.choice(_PINYIN) + rng.choice(_WORDS) + str(rng.randint(60, 2008)),
        lambda: rng.choice(_WORDS) + "_" + rng.choice(_PINYIN) + str(rng.randint(1, 999)),
        lambda: "wxid_" + "".join(rng.choice("abcdefghijkmnpqrstuvwxyz0123456789") for _ in range(10)),
        lambda: rng.choice(_PINYIN).capitalize() + rng.choice(_WORDS) + "-" + str(rng.randint(10, 99)),
    )
    return rng.choice(shapes)()


def email(rng: random.Random) -> str:
    local = rng.choice((qq(rng), rng.choice(_PINYIN) + rng.choice(_WORDS) + str(rng.randint(1, 99))))
    return local + "@" + rng.choice(("qq.com", "163.com", "126.com", "sina.com"))


# ---- spellings -------------------------------------------------------------------------------

def _groups(d: str) -> tuple[str, str, str]:
    return d[:3], d[3:7], d[7:]


def _table(d: str, table: dict[str, str]) -> str:
    return "".join(table.get(c, c) for c in d)


def _read_aloud(d: str, rng: random.Random) -> str:
    a, b, c = _groups(d)
    t = rng.choice((_YAO, _LIANG, _CN))
    joiners = rng.choice((("然后", "最后是"), ("那个", "就是"), ("，", "，"), ("然后是", "后面是"),
                          ("嗯", "然后")))
    return f"{_table(a, t)} {joiners[0]} {_table(b, t)} {joiners[1]}{_table(c, t)}"


MOBILE_STYLES = ("plain", "344", "dash", "dot", "gang", "emoji", "fw", "cn", "yao", "liang", "aloud",
                 "letters", "+86", "86", "nl", "mixcn", "keycap", "spaced", "circled", "335", "radio",
                 "halves", "sep", "fw344", "ring")


def spell_mobile(d: str, style: str, rng: random.Random) -> str:
    a, b, c = _groups(d)
    if style in _NUMERAL_TABLES:
        return _table(d, _NUMERAL_TABLES[style])
    if style == "plain":
        return d
    if style == "344":
        return f"{a} {b} {c}"
    if style == "335":
        return f"{a} {d[3:6]} {d[6:]}"
    if style == "dash":
        return f"{a}-{b}-{c}"
    if style == "dot":
        return f"{a}.{b}.{c}"
    if style == "gang":
        return f"{a}杠{b}杠{c}"
    if style == "sep":
        s = rng.choice(_SEPARATORS)
        return f"{a}{s}{b}{s}{c}"
    if style == "emoji":
        e = rng.choice(_EMOJI)
        return f"{a}{e}{b}{e}{c}"
    if style == "aloud":
        return _read_aloud(d, rng)
    if style == "letters":
        return "".join(_LETTERS.get(ch, ch) if rng.random() < 0.7 else ch for ch in d)
    if style == "+86":
        return rng.choice(("+86 ", "+86", "+86-")) + d
    if style == "86":
        return rng.choice(("86-", "0086", "86 ")) + d
    if style == "nl":
        cut = rng.choice((3, 7))
        return d[:cut] + "\n" + d[cut:]
    if style == "mixcn":
        cut = rng.randint(3, 8)
        return _table(d[:cut], _YAO) + d[cut:]
    if style == "keycap":
        return "".join(ch + "\ufe0f\u20e3" for ch in d)
    if style == "spaced":
        return " ".join(d)
    if style == "halves":
        return f"前三位{a} 后面{b}{c}"
    if style == "fw344":
        return " ".join(_table(x, _FW) for x in (a, b, c))
    raise ValueError(f"unknown mobile style {style!r}")


LANDLINE_STYLES = ("plain", "dash", "paren", "space", "cn")


def spell_landline(d: str, style: str, rng: random.Random) -> str:
    area, rest = d[:4], d[4:]
    return {
        "plain": d,
        "dash": f"{area}-{rest}",
        "paren": f"({area}){rest}",
        "space": f"{area} {rest}",
        "cn": _table(d, _YAO),
    }[style]


ID_STYLES = ("plain", "6-8-4", "fw", "lowx", "spaced4", "cn")


def spell_id(d: str, style: str, rng: random.Random) -> str:
    if style == "plain":
        return d
    if style == "6-8-4":
        return f"{d[:6]} {d[6:14]} {d[14:]}"
    if style == "fw":
        return _table(d, _FW).replace("X", "Ｘ")
    if style == "lowx":
        return d.replace("X", "x")
    if style == "spaced4":
        return " ".join(d[i:i + 4] for i in range(0, len(d), 4))
    if style == "cn":
        return _table(d[:-4], _CN) + d[-4:]
    raise ValueError(f"unknown id style {style!r}")


CARD_STYLES = ("plain", "four", "dash", "fw")


def spell_card(d: str, style: str, rng: random.Random) -> str:
    return {
        "plain": d,
        "four": " ".join(d[i:i + 4] for i in range(0, len(d), 4)),
        "dash": "-".join(d[i:i + 4] for i in range(0, len(d), 4)),
        "fw": _table(d, _FW),
    }[style]


QQ_STYLES = ("plain", "cn", "spaced", "fw")


def spell_qq(d: str, style: str, rng: random.Random) -> str:
    return {"plain": d, "cn": _table(d, _YAO), "spaced": " ".join(d), "fw": _table(d, _FW)}[style]
