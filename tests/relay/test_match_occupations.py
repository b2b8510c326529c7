"""Occupation codes and their hierarchy, read from the shared vocabulary file."""

from __future__ import annotations

from importlib import resources

from relay.match import occupations
from relay.match.occupations import ancestors, codes_in, descendants, refine, related, relation
from templates_msg.understand import understand
from templates_msg.vocab import normalize_occupation


def test_welding_is_a_hierarchy():
    assert set(descendants("焊工")) >= {"电焊工", "氩弧焊工", "二保焊工"}
    assert ancestors("氩弧焊工") == ["焊工"]
    assert relation("焊工", "电焊工") == occupations.NARROWER  # a 电焊工 for a 焊工 job
    assert relation("电焊工", "焊工") == occupations.BROADER
    assert relation("电焊工", "氩弧焊工") is None  # two specialisations are not interchangeable
    assert "氩弧焊工" not in related("电焊工") and "焊工" in related("电焊工")


def test_the_parser_keeps_reading_welding_words_as_the_broad_occupation_and_matching_refines():
    # the corpus labels 招聘 电焊工3人 as 焊工: the first line that lists a word owns it
    assert normalize_occupation("电焊") == "焊工" and normalize_occupation("电焊工") == "焊工"
    assert understand("招聘 电焊工3人 月薪七千 中牟县白沙镇 电话13960838951").fields["title"] == "焊工"
    assert refine(["焊工"], "招聘 电焊工3人") == ["电焊工"]
    assert refine(["焊工"], "招焊工 会看图纸") == ["焊工"]
    assert codes_in("电焊") == ["电焊工"] and codes_in("保洁") == ["保洁员"] and codes_in("天上飞") == []


def test_the_vocabulary_file_stays_readable_by_three_column_readers():
    text = resources.files("templates_msg").joinpath("data", "occupations.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert all(len(row) in (3, 4) for row in rows)
    codes = [row[0] for row in rows]
    assert len(codes) == len(set(codes))  # a code is unique
    assert all(row[3] in codes for row in rows if len(row) == 4)  # a broader occupation exists
