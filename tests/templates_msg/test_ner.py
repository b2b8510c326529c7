"""The name model: runs from the wheel's own weights, finds people, loads once per process."""

from __future__ import annotations

import socket

import pytest

from templates_msg import ner


def test_model_runs_without_any_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the name model tried to open a network connection")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    fresh = ner._Lac()  # a second load, with every socket refused
    tags, probs = fresh.tags("我叫王秀英")
    assert tags[2:] == ["PER-B", "PER-I", "PER-I"]
    assert all(0.0 < p <= 1.0 for p in probs)


def test_finds_people_places_and_where_they_are() -> None:
    found = ner.entities("俺妈叫李秀兰，住在中牟县白沙镇")
    people = [(e.text, e.start, e.end) for e in found if e.label == "PER"]
    assert people == [("李秀兰", 3, 6)]
    assert any(e.label == "LOC" and "白沙" in e.text for e in found)


def test_warm_up_loads_the_model_once() -> None:
    ner.warm_up()
    loaded = ner._model
    ner.warm_up()
    ner.entities("张建国 男 47岁")
    assert loaded is not None and ner._model is loaded


def test_long_text_is_read_in_pieces_with_spans_in_the_whole_text() -> None:
    text = "找活 " * 66 + "我叫王秀英" + "，找活" * 100  # the name sits across the 200th character
    people = [e for e in ner.entities(text) if e.label == "PER"]
    assert [text[e.start : e.end] for e in people] == ["王秀英"]


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u200f", "👍👍👍", "\x00\x01binary", "啊" * 10_000])
def test_odd_input_gives_spans_inside_the_text(text: str) -> None:
    for e in ner.entities(text):
        assert 0 <= e.start < e.end <= len(text) and text[e.start : e.end] == e.text
