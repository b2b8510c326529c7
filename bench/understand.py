"""Masking on the same messages and the same task: ours vs jionlp's PII extraction vs plain regexes.

Run: .venv/bin/python bench/understand.py [--rounds N]     (jionlp: pip install -e '.[bench]')

For each split of tests/data/messages (dev, test; the old flat corpus if there is no split) it
prints, per masker, the private values still readable after masking (per type), over-masking
(the labelled words that must stay — prices, dates, an employer's business phone — that were
masked away) and speed on one core: messages per second and p50/p99 time per message, with
ratios to ours. Then our kind, field and red-flag figures (templates_msg.evaluate, the same
scorer the tests use). Only totals are printed: never a message of the test split.

"ours" is the whole of understand() (classify, parse, mask): masking needs the kind, because a
job ad's phone is public and a resident's is not. The anchors mask every phone they find.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rich.progress import Progress  # noqa: E402

from templates_msg.evaluate import (  # noqa: E402
    cli_flags,
    confusion_table,
    evaluate,
    leaked,
    load_corpus,
    understand_record,
)

PII_TYPES = ("phone", "landline", "id_card", "bank_card", "wechat", "qq", "email", "name", "address")
P99_BUDGET_MS = 20.0  # the callback's share of WeCom's 5 s, per message (issue 10)
Masker = Callable[[dict[str, Any]], str]


def _ours(record: dict[str, Any]) -> str:
    return understand_record(record).masked


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = "*" * (end - start)
    return "".join(chars)


# A plain regex masker, the baseline anyone would write in an afternoon.
_REGEXES = [re.compile(p) for p in (
    r"1[3-9]\d{9}",  # mobile
    r"0\d{2,3}-?\d{7,8}",  # landline
    r"\d{17}[\dXx]",  # ID card
    r"\d{16,19}",  # bank card
    r"[\w.+-]+@[\w-]+\.[\w.]+",  # e-mail
    r"(?i)(?:qq|微信|vx|wx)\s*[:：号]?\s*[A-Za-z0-9_-]{5,20}",  # QQ / WeChat after their keyword
)]


def _regex(record: dict[str, Any]) -> str:
    text = record["text"]
    return _blank(text, [m.span() for rx in _REGEXES for m in rx.finditer(text)])


def _jionlp() -> tuple[Masker | None, str]:
    """jionlp's extractors (phone, ID, QQ, WeChat, e-mail) used as a masker, or why not."""
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            import jionlp as jio  # type: ignore[import-not-found]
    except Exception as exc:  # not installed, or failed on import
        return None, f"unavailable ({type(exc).__name__})"
    extractors = (jio.extract_phone_number, jio.extract_id_card, jio.extract_qq, jio.extract_wechat_id,
                  jio.extract_email)

    def mask(record: dict[str, Any]) -> str:
        text = record["text"]
        spans = [hit["offset"] for extract in extractors for hit in extract(text, detail=True)]
        return _blank(text, [tuple(s) for s in spans])

    return mask, f"jionlp {getattr(jio, '__version__', '?')}"


@dataclass
class Run:
    name: str
    times: list[float] = field(default_factory=list)  # seconds per message, best of the rounds
    leaks: Counter[str] = field(default_factory=Counter)
    lost_keeps: int = 0
    keeps: int = 0

    @property
    def msg_per_s(self) -> float:
        return len(self.times) / sum(self.times) if self.times else 0.0

    def percentile_ms(self, q: float) -> float:
        ordered = sorted(self.times)
        return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def _run(name: str, masker: Masker, records: list[dict[str, Any]], rounds: int, progress: Progress) -> Run:
    run = Run(name)
    outputs = [masker(r) for r in records]  # warm-up (models, caches, jieba's dictionary)
    best = [float("inf")] * len(records)
    task = progress.add_task(f"{name:<10}", total=rounds * len(records))
    for _ in range(rounds):
        for i, record in enumerate(records):
            start = time.perf_counter()
            masker(record)
            best[i] = min(best[i], time.perf_counter() - start)
            progress.advance(task)
    run.times = best  # the best of the rounds per message: a busy neighbour does not decide it
    for record, masked in zip(records, outputs, strict=True):
        for item in record.get("pii", []):
            run.leaks[item["type"]] += leaked(item["type"], item["value"], masked)
        keeps = record.get("keep", [])
        run.keeps += len(keeps)
        run.lost_keeps += sum(k not in masked for k in keeps)
    return run


def _print_maskers(runs: list[Run], records: list[dict[str, Any]]) -> None:
    labelled = Counter(item["type"] for r in records for item in r.get("pii", []))
    ours = runs[0]
    print(f"{'leaks (of labelled)':<22}" + "".join(f"{r.name:>14}" for r in runs))
    for t in PII_TYPES:
        print(f"  {t + f' ({labelled[t]})':<20}" + "".join(f"{r.leaks[t]:>14}" for r in runs))
    total = sum(labelled.values())
    print(f"  {f'total ({total})':<20}" + "".join(f"{sum(r.leaks.values()):>14}" for r in runs))
    print(f"{'over-masking':<22}" + "".join(
        f"{f'{r.lost_keeps}/{r.keeps} {r.lost_keeps / max(r.keeps, 1):.1%}':>14}" for r in runs))
    print(f"{'msg/s (1 core)':<22}" + "".join(f"{r.msg_per_s:>14.0f}" for r in runs))
    print(f"{'  ratio ours/x':<22}" + "".join(f"{ours.msg_per_s / r.msg_per_s:>14.2f}" for r in runs))
    print(f"{'p50 ms/msg':<22}" + "".join(f"{r.percentile_ms(0.5):>14.3f}" for r in runs))
    print(f"{'p99 ms/msg':<22}" + "".join(f"{r.percentile_ms(0.99):>14.3f}" for r in runs))
    verdict = "OK" if ours.percentile_ms(0.99) < P99_BUDGET_MS else "OVER BUDGET"
    print(f"ours p99 vs the {P99_BUDGET_MS:.0f} ms budget: {verdict}")


def _print_understanding(records: list[dict[str, Any]]) -> None:
    results = [understand_record(r) for r in records]
    score = evaluate(records, results, cli_flags)
    print(f"kind    {score.kind_accuracy:.1%} ({score.kind_ok}/{score.total}; {score.ambiguous} ambiguous)"
          "   target 97%")
    print(f"fields  {score.field_accuracy:.1%} ({score.fields_ok}/{score.fields_total})   target 95%")
    print(f"red flags precision {score.flag_precision:.3f} recall {score.flag_recall:.3f}"
          f" (tp {score.flags_tp}, fp {score.flags_fp}, fn {score.flags_fn})   target 0.9 each")
    print(confusion_table(score))


def splits() -> list[tuple[str, Path]]:
    base = ROOT / "tests" / "data" / "messages"
    found = [(name, base / name) for name in ("dev", "test") if any((base / name).glob("*.jsonl"))]
    return found or [("corpus", base)]


def _one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="timed passes; each message keeps its best time")
    args = parser.parse_args()
    pinned = _one_core()
    jionlp_mask, jionlp_name = _jionlp()
    maskers: list[tuple[str, Masker]] = [("ours", _ours), ("regex", _regex)]
    if jionlp_mask is not None:
        maskers.insert(1, ("jionlp", jionlp_mask))
    print(f"maskers: ours (templates_msg.understand), {jionlp_name}, plain regex; {pinned}; "
          f"best of {args.rounds} rounds per message\n")
    for split, folder in splits():
        records = load_corpus(folder)
        with Progress(transient=True) as progress:
            runs = [_run(name, masker, records, args.rounds, progress) for name, masker in maskers]
        print(f"== {split}: {len(records)} messages ==")
        _print_maskers(runs, records)
        print()
        _print_understanding(records)
        print()


if __name__ == "__main__":
    main()
