"""Character-level normalisation: full-width forms, digit spellings, invisible characters."""

from __future__ import annotations

import re
import unicodedata

# Every spelling of a digit seen in phone numbers typed on phones: ASCII, full-width,
# Chinese numerals (incl. the 幺/两 used when reading numbers aloud), financial numerals,
# circled digits and the radio-operator alphabet (拐=7, 勾=9, 洞=0).
_DIGIT_SPELLINGS = {
    "0": "0０零〇○洞⓪",
    "1": "1１一幺壹①⑴",
    "2": "2２二两貳贰②⑵",
    "3": "3３三叁③⑶",
    "4": "4４四肆④⑷",
    "5": "5５五伍⑤⑸",
    "6": "6６六陆陸⑥⑹",
    "7": "7７七柒拐⑦⑺",
    "8": "8８八捌⑧⑻",
    "9": "9９九玖勾⑨⑼",
}
DIGIT_OF: dict[str, str] = {ch: d for d, chars in _DIGIT_SPELLINGS.items() for ch in chars}


def _unicode_digits() -> dict[str, str]:
    """Every other character Unicode gives a single digit value: fancy fonts (𝟏𝟑𝟖, 𝟭𝟯𝟴),
    superscripts (¹³⁸), dingbats (➊, ❶), other scripts' digits (١٣٨) — used to slip past filters."""
    found = {}
    blocks = (
        (0xB2, 0xBA), (0x660, 0x6FA), (0x966, 0x970), (0x2070, 0x208A), (0x2460, 0x2500), (0x2776, 0x2794),
        (0x1D7CE, 0x1D800), (0x1F100, 0x1F10B),
    )  # superscripts, Arabic-Indic, Devanagari, sub/superscripts, enclosed, dingbats, math fonts
    for code in (c for first, last in blocks for c in range(first, last)):
        ch = chr(code)
        value = unicodedata.digit(ch, None)
        if value is not None and 0 <= value <= 9 and ch not in DIGIT_OF:
            found[ch] = str(value)
    return found


DIGIT_OF.update(_unicode_digits())
ASCII_DIGITS = frozenset("0123456789")

# Characters that are invisible or decorate a digit (keycap emoji 1️⃣, zero-width joiners);
# a number split by them is still one number.
IGNORABLE = frozenset("\ufe0f\u20e3\u200b\u200c\u200d\u2060\ufeff")


def to_halfwidth(text: str) -> str:
    """Full-width ASCII (ＡＢＣ１２３＠) to half-width; the ideographic space to a space."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - 0xFEE0))
        elif code == 0x3000:
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def digits_only(text: str, *, include_cn: bool = True) -> str:
    """All digits of a text in order, every spelling mapped to ASCII (used by leak checks)."""
    if include_cn:
        return "".join(DIGIT_OF[ch] for ch in text if ch in DIGIT_OF)
    return "".join(ch for ch in to_halfwidth(text) if ch in ASCII_DIGITS)


_SPACES = re.compile(r"[ \t\u3000]+")


def squeeze(text: str) -> str:
    """Half-width text with runs of spaces collapsed (for parsing, not for masking)."""
    return _SPACES.sub(" ", to_halfwidth(text)).strip()
