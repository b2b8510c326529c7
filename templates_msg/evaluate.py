"""Score understanding against a labelled corpus: PII leaks per type, kind and field accuracy.

Shared by the tests and bench/understand.py so both report the same figures.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from templates_msg.model import Understanding
from templates_msg.textnorm import digits_only, to_halfwidth

_NUMERIC_PII = frozenset({"phone", "landline", "id_card", "bank_card", "qq"})
# Free-text fields where the labelled value and the parsed value may differ by a qualifier
# (中牟 vs 中牟县城): either containing the other counts as a match.
_CONTAINMENT_FIELDS = frozenset({"location", "intent_location", "company"})


@dataclass
class Score:
    total: int = 0
    kind_ok: int = 0
    fields_total: int = 0
    fields_ok: int = 0
    leaks: Counter[str] = field(default_factory=Counter)
    pii_total: Counter[str] = field(default_factory=Counter)
    lost_keeps: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def kind_accuracy(self) -> float:
        return self.kind_ok / self.total if self.total else 0.0

    @property
    def field_accuracy(self) -> float:
        return self.fields_ok / self.fields_total if self.fields_total else 0.0


def load_corpus(folder: Path) -> list[dict[str, Any]]:
    """Every labelled record of every *.jsonl file in the folder, in file order."""
    records: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            records.extend(json.loads(line) for line in fh if line.strip())
    return records


# Letters people type for digits (l38OO0...): a number spelled with them is still readable.
_LOOKALIKE_DIGITS = str.maketrans("lIOo", "1100")


def leaked(pii_type: str, value: str, masked: str) -> bool:
    """Whether a private value is still readable in the masked text, in any spelling."""
    if pii_type in _NUMERIC_PII:
        core = "".join(ch for ch in value if ch.isdigit())
        core = core[:17] if pii_type == "id_card" else core
        return core in digits_only(masked.translate(_LOOKALIKE_DIGITS))
    flat = to_halfwidth(masked).lower().replace(" ", "")
    return to_halfwidth(value).lower().replace(" ", "") in flat


def field_matches(key: str, expected: Any, actual: Any) -> bool:
    if isinstance(expected, list):
        return isinstance(actual, list) and set(expected) == set(actual)
    if key in _CONTAINMENT_FIELDS and expected and actual:
        return expected in actual or actual in expected
    return bool(expected == actual)


def score_one(score: Score, record: dict[str, Any], u: Understanding) -> None:
    score.total += 1
    score.kind_ok += u.kind == record["kind"]
    if u.kind != record["kind"]:
        score.failures.append(f"{record['id']} kind {u.kind} != {record['kind']}: {record['text'][:40]}")
    for key, expected in record.get("fields", {}).items():
        score.fields_total += 1
        ok = field_matches(key, expected, u.fields.get(key))
        score.fields_ok += ok
        if not ok:
            score.failures.append(f"{record['id']} {key}: {u.fields.get(key)!r} != {expected!r}")
    for item in record.get("pii", []):
        score.pii_total[item["type"]] += 1
        if leaked(item["type"], item["value"], u.masked):
            score.leaks[item["type"]] += 1
            score.failures.append(f"{record['id']} LEAK {item['type']} {item['value']}: {u.masked[:60]}")
    for keep in record.get("keep", []):
        if keep not in u.masked:
            score.lost_keeps += 1
            score.failures.append(f"{record['id']} lost {keep!r}: {u.masked[:60]}")


def evaluate(records: list[dict[str, Any]], results: list[Understanding]) -> Score:
    score = Score()
    for record, u in zip(records, results, strict=True):
        score_one(score, record, u)
    return score
