"""The labelled corpus itself, without the parser: every label is well-formed and true to its text,
the split is big enough, the data is what its sources generate, and the test split is frozen."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from templates_msg.evaluate import leaked
from templates_msg.model import KINDS
from vetting.redflags import LABELS as RED_FLAGS

MESSAGES = Path(__file__).resolve().parents[1] / "data" / "messages"
SPLITS = ("dev", "test")
PII_TYPES = {"phone", "landline", "id_card", "bank_card", "wechat", "qq", "email", "name", "address"}
NUMERIC_PII = {"phone", "landline", "id_card", "bank_card", "qq"}
ROLES = {"resident", "employer", "steward", "village_staff", "officer", "trainer"}
CHANNELS = {"oa", "wecom_app", "forwarded"}
SALARY_UNITS = {"month", "day", "hour", "piece", None}
FIELD_KEYS = {
    "seeker": ({"intent_jobs", "intent_location", "gender", "age", "name", "phone"}, {"skills", "skills_typed"}),
    "job": ({"title", "headcount", "salary_min", "salary_max", "salary_unit", "location", "contact_phone",
             "age_min", "age_max"}, {"company", "benefits"}),
    "query": ({"jobs"}, {"location"}),
    "command": ({"command"}, {"target", "text"}),
    "policy": (set(), set()),
    "other": (set(), set()),
}

# How a private number is found in the text it was spelled in (README.md, "Normalisation"):
# full-width, circled and keycap digits, Chinese numerals (including 幺/两, the radio 洞/拐/勾 and
# the financial capitals) and the look-alike letters l/I/O/o become digits; everything else goes.
_DIGIT_LOOKALIKES = str.maketrans(
    "零〇一幺二两三四五六七八九洞拐勾壹贰叁肆伍陆柒捌玖０１２３４５６７８９⓪①②③④⑤⑥⑦⑧⑨lIOo",
    "00112234567890791234567890123456789012345678911" + "00",
)


def normalised_digits(text: str) -> str:
    return re.sub(r"\D", "", text.translate(_DIGIT_LOOKALIKES))


def occurs(pii_type: str, value: str, text: str) -> bool:
    if pii_type in NUMERIC_PII:
        digits = normalised_digits(value)
        digits = digits[:17] if pii_type == "id_card" else digits  # an ID's check digit may be X
        return digits in normalised_digits(text)
    return value in text


def _load(split: str) -> list[dict[str, Any]]:
    records = []
    for path in sorted((MESSAGES / split).glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            record = json.loads(line)
            record["_where"] = f"{split}/{path.name}:{n}"
            records.append(record)
    return records


@pytest.fixture(scope="module")
def splits() -> dict[str, list[dict[str, Any]]]:
    return {split: _load(split) for split in SPLITS}


@pytest.fixture(scope="module")
def everything(splits: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return [r for split in SPLITS for r in splits[split]]


@pytest.fixture(scope="module")
def vocabulary() -> set[str]:
    rows = (MESSAGES.parents[2] / "templates_msg" / "data" / "occupations.tsv").read_text(encoding="utf-8")
    return {line.split("\t")[0] for line in rows.splitlines() if line and not line.startswith("#")}


def _schema_problems(r: dict[str, Any]) -> list[str]:
    problems = []
    if not isinstance(r.get("id"), str) or not r["id"]:
        problems.append("id")
    if r.get("kind") not in KINDS:
        problems.append(f"kind {r.get('kind')!r}")
    author = r.get("author") or {}
    if author.get("role") not in ROLES or author.get("channel") not in CHANNELS or set(author) != {"role", "channel"}:
        problems.append(f"author {author!r}")
    if not isinstance(r.get("text"), str) or not r["text"].strip():
        problems.append("text")
    if not all(isinstance(p, dict) and p.get("type") in PII_TYPES and isinstance(p.get("value"), str) and p["value"]
               for p in r.get("pii", [None])):
        problems.append(f"pii {r.get('pii')!r}")
    if not isinstance(r.get("keep"), list) or not all(isinstance(k, str) and k for k in r["keep"]):
        problems.append("keep")
    flags = r.get("expected_red_flags")
    if not isinstance(flags, list) or not set(flags) <= set(RED_FLAGS) or len(set(flags)) != len(flags):
        problems.append(f"expected_red_flags {flags!r}")
    if "ambiguous" in r and r["ambiguous"] is not True:
        problems.append("ambiguous is true or absent")
    fields = r.get("fields")
    required, optional = FIELD_KEYS.get(r.get("kind"), (set(), set()))
    if not isinstance(fields, dict):
        problems.append("fields")
    elif not (r.get("ambiguous") and fields == {}) and not (required <= set(fields) <= required | optional):
        problems.append(f"field keys {sorted(fields)}")
    elif r.get("kind") == "seeker" and fields:
        if fields["gender"] not in ("男", "女", None) or not isinstance(fields["age"], int | None):
            problems.append("gender/age")
    elif r.get("kind") == "job" and fields:
        if fields["salary_unit"] not in SALARY_UNITS:
            problems.append(f"salary_unit {fields['salary_unit']!r}")
        if (fields["salary_min"] is not None or fields["salary_max"] is not None) and fields["salary_unit"] is None:
            problems.append("a salary without its unit")  # a unit alone is fine: 计件 without a rate
    return problems


def test_every_record_follows_the_schema(everything: list[dict[str, Any]]) -> None:
    bad = [f"{r['_where']} {r.get('id')}: {', '.join(p)}" for r in everything if (p := _schema_problems(r))]
    assert not bad, "\n".join(bad)


def test_ids_are_unique(everything: list[dict[str, Any]]) -> None:
    repeated = [i for i, n in Counter(r["id"] for r in everything).items() if n > 1]
    assert not repeated, repeated


def test_the_corpus_is_big_and_the_test_split_holds_30_percent(splits: dict[str, list[dict[str, Any]]]) -> None:
    total = sum(len(records) for records in splits.values())
    assert total >= 1000
    assert len(splits["test"]) >= 0.30 * total
    for split, records in splits.items():
        kinds = Counter(r["kind"] for r in records)
        assert all(kinds[k] >= 10 for k in KINDS), (split, kinds)
        assert sum(r.get("ambiguous", False) for r in records) >= 4, split
        assert sum(bool(r["expected_red_flags"]) for r in records) >= 20, split
        roles = Counter(r["author"]["role"] for r in records)
        assert all(roles[role] for role in ROLES), (split, roles)


def test_every_pii_type_is_in_both_splits(splits: dict[str, list[dict[str, Any]]]) -> None:
    for split, records in splits.items():
        types = Counter(p["type"] for r in records for p in r["pii"])
        assert set(types) == PII_TYPES, (split, types)


def test_every_private_value_occurs_in_its_text(everything: list[dict[str, Any]]) -> None:
    missing = [f"{r['id']} {p['type']} {p['value']!r}: {r['text'][:60]}"
               for r in everything for p in r["pii"] if not occurs(p["type"], p["value"], r["text"])]
    assert not missing, "\n".join(missing)


def test_the_scorer_sees_every_private_value_left_unmasked(everything: list[dict[str, Any]]) -> None:
    """Masking nothing must count as a leak of every labelled value, whatever its spelling;
    otherwise a leak of that spelling would go unreported."""
    unseen = [f"{r['id']} {p['type']} {p['value']!r}" for r in everything for p in r["pii"]
              if not leaked(p["type"], p["value"], r["text"])]
    assert not unseen, "\n".join(unseen)


def test_every_kept_span_occurs_in_its_text(everything: list[dict[str, Any]]) -> None:
    missing = [f"{r['id']} {k!r}" for r in everything for k in r["keep"] if k not in r["text"]]
    assert not missing, "\n".join(missing)


def test_a_kept_span_never_holds_a_private_value(everything: list[dict[str, Any]]) -> None:
    clashes = [f"{r['id']} {k!r} holds {p['value']!r}" for r in everything for k in r["keep"] for p in r["pii"]
               if occurs(p["type"], p["value"], k)]
    assert not clashes, "\n".join(clashes)


def test_occupations_in_fields_are_in_the_vocabulary(everything: list[dict[str, Any]], vocabulary: set[str]) -> None:
    unknown = []
    for r in everything:
        f = r["fields"]
        named = [*f.get("intent_jobs", []), *f.get("skills", []), *f.get("jobs", [])] + (
            [f["title"]] if f.get("title") else [])
        unknown += [f"{r['id']} {o}" for o in named if o not in vocabulary]
    assert not unknown, "\n".join(unknown)


def test_skills_as_typed_occur_in_the_text(everything: list[dict[str, Any]]) -> None:
    missing = [f"{r['id']} {s!r}" for r in everything for s in r["fields"].get("skills_typed", []) if s not in r["text"]]
    assert not missing, "\n".join(missing)


def test_phones_in_fields_agree_with_the_private_values(everything: list[dict[str, Any]]) -> None:
    """A seeker's phone is one of their private values; a job's contact phone is in the text and
    is not private (the employer's business line)."""
    wrong = []
    for r in everything:
        private = {p["value"] for p in r["pii"] if p["type"] in ("phone", "landline")}
        phone, contact = r["fields"].get("phone"), r["fields"].get("contact_phone")
        if phone and phone not in private:
            wrong.append(f"{r['id']} seeker phone {phone} is not labelled private")
        if contact and (contact in private or contact not in normalised_digits(r["text"])):
            wrong.append(f"{r['id']} contact phone {contact}")
    assert not wrong, "\n".join(wrong)


def test_the_data_is_what_its_sources_generate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(MESSAGES))
    import build_split
    for split, modules in build_split.SOURCES.items():
        for module, name in modules.items():
            path = MESSAGES / split / f"{name}.jsonl"
            assert build_split.build(split, module, name) == path.read_text(encoding="utf-8"), path


def test_the_test_split_matches_its_frozen_manifest() -> None:
    """Any change to test/ must come with a deliberate change of test.sha256 (README.md)."""
    recorded = (MESSAGES / "test.sha256").read_text(encoding="utf-8")
    actual = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n"
                     for p in sorted((MESSAGES / "test").glob("*.jsonl")))
    assert actual == recorded
