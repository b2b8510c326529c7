"""Build the labelled message corpus (JSONL) from hand-written messages with placeholders.

All people, numbers and companies are invented. Phone, ID-card and bank-card numbers are
generated here from a fixed seed (IDs with valid GB 11643 check digits, cards passing Luhn) and
spelled the way people type them ({P3:cn} = Chinese numerals, {P3:344} = 138 1234 5678, ...).
Run: python tests/data/messages/build_corpus.py  (rewrites dev/{seekers,jobs,others,adversarial_pii}.jsonl)
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from stdnum import luhn  # noqa: E402
from stdnum.cn import ric  # noqa: E402

RNG = random.Random(20261125)
_PREFIXES = ["130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156",
             "157", "158", "159", "166", "173", "176", "177", "180", "182", "183", "185", "186", "187",
             "188", "189", "191", "198", "199"]
PHONES = [RNG.choice(_PREFIXES) + "".join(RNG.choice("0123456789") for _ in range(8)) for _ in range(200)]
_REGIONS = ["410122", "410102", "410103", "410105", "410181", "410183", "410184", "411422", "412726"]


def _make_id() -> str:
    body = RNG.choice(_REGIONS) + f"{RNG.randint(1962, 2004)}{RNG.randint(1, 12):02d}{RNG.randint(1, 28):02d}"
    body += f"{RNG.randint(0, 999):03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


def _make_card(length: int) -> str:
    body = "62" + "".join(RNG.choice("0123456789") for _ in range(length - 3))
    return body + luhn.calc_check_digit(body)


IDS = [_make_id() for _ in range(40)]
CARDS = [_make_card(RNG.choice([16, 19])) for _ in range(20)]
LANDLINES = ["0371" + str(RNG.randint(60000000, 69999999)) for _ in range(20)]

_CN = dict(zip("0123456789", "零一二三四五六七八九", strict=False))
_YAO = dict(zip("0123456789", "零幺二三四五六七八九", strict=False))
_LIANG = dict(zip("0123456789", "零幺两三四五六七八九", strict=False))
_RADIO = dict(zip("0123456789", "洞幺两三四五六拐八勾", strict=False))
_FW = dict(zip("0123456789", "０１２３４５６７８９", strict=False))
_CIRCLED = dict(zip("0123456789", "⓪①②③④⑤⑥⑦⑧⑨", strict=False))
_CAPS = dict(zip("0123456789", "零壹贰叁肆伍陆柒捌玖", strict=False))


def spell(digits: str, style: str) -> str:
    """One spelling of a number, as seen in real chats."""
    d = digits
    table = {"cn": _CN, "yao": _YAO, "liang": _LIANG, "radio": _RADIO, "fw": _FW, "circled": _CIRCLED, "caps": _CAPS}
    if style in table:
        return "".join(table[style].get(c, c) for c in d)
    styles = {
        "": d,
        "344": f"{d[:3]} {d[3:7]} {d[7:]}",
        "dash": f"{d[:3]}-{d[3:7]}-{d[7:]}",
        "38": f"{d[:3]} {d[3:]}",
        "47": f"{d[:4]} {d[4:]}",
        "335": f"{d[:3]} {d[3:6]} {d[6:]}",
        "spaced": " ".join(d),
        "+86": f"+86 {d}",
        "+86dash": f"+86-{d[:3]}-{d[3:7]}-{d[7:]}",
        "0086": f"0086{d}",
        "86": f"86-{d}",
        "nl": f"{d[:3]}\n{d[3:]}",
        "nl7": f"{d[:7]}\n{d[7:]}",
        "mix": "".join(_YAO.get(c, c) if i < 5 else c for i, c in enumerate(d)),
        "mixfw": "".join(_FW.get(c, c) if i % 2 else c for i, c in enumerate(d)),
        "keycap": "".join(c + "\ufe0f\u20e3" for c in d),
        "dot": f"{d[:3]}.{d[3:7]}.{d[7:]}",
        "fw344": " ".join("".join(_FW.get(c, c) for c in part) for part in (d[:3], d[3:7], d[7:])),
        "cn344": " ".join("".join(_CN.get(c, c) for c in part) for part in (d[:3], d[3:7], d[7:])),
        "zw": "\u200b".join(d),
        "paren": f"({d[:4]}){d[4:]}",
        "4": " ".join(d[i : i + 4] for i in range(0, len(d), 4)),
        "6-8-4": f"{d[:6]} {d[6:14]} {d[14:]}",
        "lowx": d[:-1] + d[-1].lower(),
        "landdash": f"{d[:4]}-{d[4:]}",
    }
    return styles[style]


_PH = re.compile(r"\{(P|ID|C|L)(\d+)(?::([\w+-]*))?\}")  # styles like 6-8-4 carry a dash


def _digits(kind: str, n: int) -> str:
    return {"P": PHONES, "ID": IDS, "C": CARDS, "L": LANDLINES}[kind][n]


def fill(text: str) -> str:
    return _PH.sub(lambda m: spell(_digits(m.group(1), int(m.group(2))), m.group(3) or ""), text)


def value(ref: str) -> str:
    """Normalised value of a placeholder reference like {P3} (digits only)."""
    m = _PH.fullmatch(ref)
    return _digits(m.group(1), int(m.group(2))) if m else ref


def _resolve(obj):
    if isinstance(obj, str):
        return value(obj) if _PH.fullmatch(obj) else obj
    if isinstance(obj, list):
        return [_resolve(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _resolve(v) for k, v in obj.items()}
    return obj


# Who wrote each of these older messages (they were written before labels carried an author):
# residents on the Official Account, employers on theirs, notices from the district officer,
# approvals by township stewards.
_EMPLOYER_COMMANDS = {"employer_register", "my_items", "filled", "withdraw"}
_STEWARD_COMMANDS = {"approve", "reject", "edit"}


def author(kind: str, fields: dict) -> dict:
    if kind == "job" or fields.get("command") in _EMPLOYER_COMMANDS:
        return {"role": "employer", "channel": "oa"}
    if kind == "policy":
        return {"role": "officer", "channel": "wecom_app"}
    if fields.get("command") in _STEWARD_COMMANDS:
        return {"role": "steward", "channel": "wecom_app"}
    return {"role": "resident", "channel": "oa"}


def record(rid: str, kind: str, text: str, fields: dict, pii: list, keep: list, flags: list) -> dict:
    return {
        "id": rid,
        "kind": kind,
        "author": author(kind, fields),
        "text": fill(text),
        "fields": _resolve(fields),
        "pii": [{"type": t, "value": _resolve(v)} for t, v in pii],
        "keep": [fill(k) for k in keep],
        "expected_red_flags": flags,
    }


def main() -> None:
    from corpus_jobs import JOBS
    from corpus_other import ADVERSARIAL, OTHERS
    from corpus_seekers import SEEKERS

    for name, rows in (("seekers", SEEKERS), ("jobs", JOBS), ("others", OTHERS), ("adversarial_pii", ADVERSARIAL)):
        with open(HERE / "dev" / f"{name}.jsonl", "w", encoding="utf-8") as fh:
            for i, row in enumerate(rows, 1):
                fh.write(json.dumps(record(f"{name[:3]}{i:03d}", **row), ensure_ascii=False) + "\n")
        print(name, len(rows))


if __name__ == "__main__":
    main()
