"""Private spans beyond fixed shapes: people's names and addresses said in words.

A resident's own text always goes through the name model (templates_msg.pii_names); a public
text (a job ad, a bureau notice) only where it speaks about other people. What no rule could
confirm is masked anyway and listed as a suspect, so the steward sees what was hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from templates_msg.authors import RELAYED
from templates_msg.model import Finding
from templates_msg.pii_names import scan_private_text
from templates_msg.pii_public_names import scan_public_text
from templates_msg.pii_text import find_account_suspects, find_address_suspects


@dataclass(frozen=True)
class PrivateScan:
    findings: list[Finding]  # to mask
    suspects: list[Finding]  # masked on suspicion (a subset of findings)
    zones: list[tuple[int, int]]  # parts of a public text about other people: contacts there are masked


# Authors whose own contact points are public: a business, the bureau, a training school.
_INSTITUTIONS = frozenset({"employer", "officer", "trainer"})


def is_public(text: str, *, kind: str, role: str | None, unsure: bool = False) -> bool:
    """Whether the text's contact points (phone, landline, address) are its author's public ones.

    A resident's own text never is (residents post no jobs; their contacts are theirs). A job
    ad is, unless we are unsure it is not a resident's note; a notice is, from anyone but a
    resident. An institution's own words are, whatever kind they came out as, except a seeker
    note, a note we are unsure about (the author is asked first) and text relayed for someone
    else (转：…).
    """
    if role == "resident":
        return False
    if (kind == "job" and not unsure) or kind == "policy":
        return True
    return role in _INSTITUTIONS and kind != "seeker" and not unsure and not RELAYED.search(text)


def scan(text: str, *, public: bool, known: Sequence[Finding] = ()) -> PrivateScan:
    """Names (and, in a resident's text, addresses and account ids said loosely) to mask;
    `known` are the findings of fixed shape already made, which suspects never double."""
    # A resident's own text always goes through the name model; a public text only where it
    # speaks about other people.
    names = scan_public_text(text) if public else scan_private_text(text)
    if public:
        return PrivateScan(names.findings, names.suspects, names.zones)
    unsure = [
        f for f in find_address_suspects(text) + find_account_suspects(text)
        if not any(f.start < k.end and k.start < f.end for k in known)
    ]
    return PrivateScan(names.findings + unsure, names.suspects + unsure, [])
