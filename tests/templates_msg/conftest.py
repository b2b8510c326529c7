from __future__ import annotations

from pathlib import Path

import pytest

from templates_msg.evaluate import Score, evaluate, load_corpus
from templates_msg.understand import understand

CORPUS_DIR = Path(__file__).resolve().parents[1] / "data" / "messages"


@pytest.fixture(scope="session")
def corpus() -> list[dict]:
    return load_corpus(CORPUS_DIR)


@pytest.fixture(scope="session")
def corpus_score(corpus: list[dict]) -> Score:
    return evaluate(corpus, [understand(r["text"]) for r in corpus])
