"""Regression floors on the development split: kind, fields and red flags may not fall below what
was reached (minus a small margin for a label or two). The frozen test split is scored by
bench/understand.py, never tuned on here."""

from __future__ import annotations

from templates_msg.evaluate import Score, confusion_table

# Reached on dev (with authors) when these floors were set; the margin is about two messages.
KIND_FLOOR = 0.99
FIELDS_FLOOR = 0.99
FLAGS_FLOOR = 0.95


def _wrong(score: Score, marker: str) -> str:
    return "\n".join(f for f in score.failures if marker in f)


def test_kind_floor_on_dev(corpus_score: Score) -> None:
    print("\n" + confusion_table(corpus_score))
    assert corpus_score.kind_accuracy >= KIND_FLOOR, _wrong(corpus_score, " kind ")


def test_field_floor_on_dev(corpus_score: Score) -> None:
    assert corpus_score.field_accuracy >= FIELDS_FLOOR


def test_red_flag_floors_on_dev(corpus_score: Score) -> None:
    wrong = _wrong(corpus_score, " flag ")
    assert corpus_score.flag_precision >= FLAGS_FLOOR, wrong
    assert corpus_score.flag_recall >= FLAGS_FLOOR, wrong


def test_ambiguous_notes_count_right_only_when_the_system_asks_or_agrees(corpus: list[dict]) -> None:
    from templates_msg.evaluate import kind_is_right
    from templates_msg.understand import understand

    record = {"id": "x", "kind": "seeker", "ambiguous": True, "text": "电焊工 13800001111"}
    assert kind_is_right(record, understand(record["text"]))  # unsure: asks the author
    assert not kind_is_right({**record, "ambiguous": False, "kind": "job"}, understand(record["text"]))
