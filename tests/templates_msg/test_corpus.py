"""The labelled corpus: zero leaks of every PII type, kind accuracy >= 97%, fields >= 95%."""

from __future__ import annotations

from collections import Counter

from templates_msg.evaluate import Score

PII_TYPES = ("phone", "landline", "id_card", "bank_card", "wechat", "qq", "email", "name", "address")


def test_corpus_is_big_and_varied(corpus: list[dict]) -> None:
    kinds = Counter(r["kind"] for r in corpus)
    assert len(corpus) >= 300
    assert all(kinds[k] >= 15 for k in ("seeker", "job", "policy", "query", "command", "other"))
    adversarial = [r for r in corpus if r["id"].startswith("adv")]
    assert len(adversarial) >= 40
    assert sum(bool(r["expected_red_flags"]) for r in corpus) >= 10


def test_no_pii_leaks_per_type(corpus_score: Score) -> None:
    report = {t: f"{corpus_score.leaks[t]}/{corpus_score.pii_total[t]}" for t in PII_TYPES}
    print("\nleaks per type (leaked/total):", report)
    leaks = [f for f in corpus_score.failures if " LEAK " in f]
    assert sum(corpus_score.leaks.values()) == 0, "\n".join(leaks)
    assert all(corpus_score.pii_total[t] > 0 for t in PII_TYPES)


def test_kept_substrings_survive(corpus_score: Score) -> None:
    lost = [f for f in corpus_score.failures if " lost " in f]
    assert corpus_score.lost_keeps == 0, "\n".join(lost)


def test_kind_accuracy(corpus_score: Score) -> None:
    print(f"\nkind accuracy {corpus_score.kind_accuracy:.1%}")
    wrong = [f for f in corpus_score.failures if " kind " in f]
    assert corpus_score.kind_accuracy >= 0.97, "\n".join(wrong)


def test_field_accuracy(corpus_score: Score) -> None:
    print(f"\nfield accuracy {corpus_score.field_accuracy:.1%} of {corpus_score.fields_total}")
    wrong = [
        f for f in corpus_score.failures if " LEAK " not in f and " lost " not in f and " kind " not in f
    ]
    assert corpus_score.field_accuracy >= 0.95, "\n".join(wrong[:80])
