"""Score understanding against a labelled corpus: PII leaks per type, over-masking, kind (with a
per-kind confusion), field accuracy and red-flag precision/recall.

Shared by the tests and bench/understand.py so both report the same figures. A record labelled
`ambiguous: true` (a person could not tell its kind either) counts as right only when the system
answers "not sure" (and asks the author); a confident answer on a clear message must be right.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
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
    keeps_total: int = 0
    # (labelled kind, answered kind) -> count; "unsure" is the answer "not sure".
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    ambiguous: int = 0
    flags_tp: int = 0
    flags_fp: int = 0
    flags_fn: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def kind_accuracy(self) -> float:
        return self.kind_ok / self.total if self.total else 0.0

    @property
    def field_accuracy(self) -> float:
        return self.fields_ok / self.fields_total if self.fields_total else 0.0

    @property
    def over_masking(self) -> float:
        """Share of the labelled must-stay words (prices, dates, a business phone) masked away."""
        return self.lost_keeps / self.keeps_total if self.keeps_total else 0.0

    @property
    def flag_precision(self) -> float:
        found = self.flags_tp + self.flags_fp
        return self.flags_tp / found if found else 1.0

    @property
    def flag_recall(self) -> float:
        wanted = self.flags_tp + self.flags_fn
        return self.flags_tp / wanted if wanted else 1.0


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


def answered_kind(u: Understanding) -> str:
    return "unsure" if u.unsure else u.kind


def kind_is_right(record: dict[str, Any], u: Understanding) -> bool:
    if record.get("ambiguous"):
        return u.unsure
    return not u.unsure and u.kind == record["kind"]


def score_one(
    score: Score, record: dict[str, Any], u: Understanding, flags: list[str] | None = None
) -> None:
    score.total += 1
    labelled = "ambiguous" if record.get("ambiguous") else record["kind"]
    score.ambiguous += labelled == "ambiguous"
    score.confusion[(labelled, answered_kind(u))] += 1
    ok = kind_is_right(record, u)
    score.kind_ok += ok
    if not ok:
        score.failures.append(f"{record['id']} kind {answered_kind(u)} != {labelled}: {record['text'][:40]}")
    if flags is not None:
        _score_flags(score, record, flags)
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
        score.keeps_total += 1
        if keep not in u.masked:
            score.lost_keeps += 1
            score.failures.append(f"{record['id']} lost {keep!r}: {u.masked[:60]}")


def _score_flags(score: Score, record: dict[str, Any], flags: list[str]) -> None:
    got, want = set(flags), set(record.get("expected_red_flags", []))
    score.flags_tp += len(got & want)
    score.flags_fp += len(got - want)
    score.flags_fn += len(want - got)
    for code in sorted(got ^ want):
        side = "extra" if code in got else "missed"
        score.failures.append(f"{record['id']} flag {side} {code}: {record['text'][:40]}")


def understand_record(record: dict[str, Any]) -> Understanding:
    """understand() with the record's `author` label ({role, channel}) when it has one."""
    from templates_msg.understand import understand

    author = record.get("author") or {}
    return understand(record["text"], author_role=author.get("role"), channel=author.get("channel"))


def evaluate(
    records: list[dict[str, Any]],
    results: list[Understanding],
    flagger: Callable[[Understanding], list[str]] | None = None,
) -> Score:
    """Score every record; red flags too when a `flagger` gives each understanding's flag codes."""
    score = Score()
    for record, u in zip(records, results, strict=True):
        score_one(score, record, u, flagger(u) if flagger else None)
    return score


def cli_flags(u: Understanding) -> list[str]:
    """The red flags `jobmatrix parse` reports for an understood message."""
    from templates_msg.cli import red_flags_of

    return red_flags_of(u)


def confusion_table(score: Score) -> str:
    """Rows: labelled kind; columns: answered kind (unsure = asked the author)."""
    rows = sorted({r for r, _ in score.confusion})
    cols = sorted({c for _, c in score.confusion} | set(rows) - {"ambiguous"})
    lines = ["labelled \\ answered".ljust(20) + "".join(c[:8].rjust(9) for c in cols)]
    for r in rows:
        lines.append(r.ljust(20) + "".join(str(score.confusion[(r, c)] or ".").rjust(9) for c in cols))
    return "\n".join(lines)
