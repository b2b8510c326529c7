from __future__ import annotations

from pathlib import Path

import pytest

from templates_msg.evaluate import Score, cli_flags, evaluate, load_corpus, understand_record

# The development split: understanding is tuned and gated on it. tests/data/messages/test is the
# frozen held-out split whose figures are reported (bench/understand.py); never tune on it.
CORPUS_DIR = Path(__file__).resolve().parents[1] / "data" / "messages" / "dev"


@pytest.fixture(scope="session")
def corpus() -> list[dict]:
    return load_corpus(CORPUS_DIR)


@pytest.fixture(scope="session")
def corpus_score(corpus: list[dict]) -> Score:
    return evaluate(corpus, [understand_record(r) for r in corpus], cli_flags)
