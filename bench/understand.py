"""Throughput of classify+parse+mask on the labelled corpus, against jionlp's phone/ID extraction.

Run: .venv/bin/python bench/understand.py [--rounds N]
Single process, single core; both sides warm up before timing and run in the same process.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from templates_msg.evaluate import evaluate, load_corpus  # noqa: E402
from templates_msg.understand import understand  # noqa: E402

PII_TYPES = ("phone", "landline", "id_card", "bank_card", "wechat", "qq", "email", "name", "address")
TARGET_MSG_PER_S = 2000


def _rate(fn: Callable[[str], object], texts: list[str], rounds: int) -> float:
    """Median messages per second of `rounds` passes, after one warm-up pass.

    The median keeps one pass slowed by a busy neighbour process from deciding the figure.
    """
    for text in texts:
        fn(text)
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for text in texts:
            fn(text)
        rates.append(len(texts) / (time.perf_counter() - start))
    return statistics.median(rates)


def _jionlp() -> tuple[Callable[[str], object] | None, str]:
    """jionlp's extractors as one callable, or None and the reason it is unavailable."""
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            import jionlp  # type: ignore[import-not-found]
    except Exception as exc:  # not installed, or failed on import
        return None, f"unavailable ({type(exc).__name__}: {exc})"[:80]

    def extract(text: str) -> object:
        return jionlp.extract_phone_number(text), jionlp.extract_id_card(text)

    return extract, f"jionlp {getattr(jionlp, '__version__', '?')}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    records = load_corpus(ROOT / "tests" / "data" / "messages" / "test")  # the frozen held-out split
    texts = [r["text"] for r in records]
    ours = _rate(understand, texts, args.rounds)
    theirs_fn, theirs_name = _jionlp()
    theirs = _rate(theirs_fn, texts, args.rounds) if theirs_fn else None
    score = evaluate(records, [understand(t) for t in texts])

    print(f"corpus: {len(texts)} messages, median of {args.rounds} timed passes, single core\n")
    print(f"{'pipeline':<46}{'msg/s':>10}")
    print("-" * 56)
    print(f"{'templates_msg classify+parse+mask':<46}{ours:>10.0f}")
    if theirs is None:
        print(f"{'jionlp phone+ID extraction':<46}{theirs_name:>10}")
    else:
        print(f"{'jionlp phone+ID extraction (' + theirs_name + ')':<46}{theirs:>10.0f}")
        print(f"{'ratio templates_msg / jionlp':<46}{ours / theirs:>10.2f}")
    print(f"{'target':<46}{TARGET_MSG_PER_S:>10}  {'OK' if ours >= TARGET_MSG_PER_S else 'BELOW TARGET'}")
    print()
    print(f"{'PII type':<14}{'leaked':>8}{'labelled':>10}")
    print("-" * 32)
    for t in PII_TYPES:
        print(f"{t:<14}{score.leaks[t]:>8}{score.pii_total[t]:>10}")
    print(f"{'total':<14}{sum(score.leaks.values()):>8}{sum(score.pii_total.values()):>10}")
    print()
    print(f"kind accuracy   {score.kind_accuracy:.1%}  ({score.kind_ok}/{score.total}, target 97%)")
    print(f"field accuracy  {score.field_accuracy:.1%}  ({score.fields_ok}/{score.fields_total}, target 95%)")
    print(f"kept substrings lost: {score.lost_keeps}")


if __name__ == "__main__":
    main()
