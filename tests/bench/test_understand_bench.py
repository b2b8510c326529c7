"""bench/understand.py measures every masker on the same records with the same leak check."""

from __future__ import annotations

from rich.progress import Progress

from bench.understand import _jionlp, _ours, _regex, _run

RECORDS = [
    {"id": "b1", "text": "本人张建国 男45岁 会电焊 电话13800001234", "kind": "seeker",
     "pii": [{"type": "phone", "value": "13800001234"}, {"type": "name", "value": "张建国"}], "keep": ["45岁"]},
    {"id": "b2", "text": "急招普工5名 月薪5000 地点白沙镇 电话13800005678", "kind": "job",
     "pii": [], "keep": ["5000", "13800005678"]},
]


def test_each_masker_is_scored_on_leaks_over_masking_and_time() -> None:
    with Progress(disable=True) as progress:
        ours = _run("ours", _ours, RECORDS, 1, progress)
        regex = _run("regex", _regex, RECORDS, 1, progress)
    assert sum(ours.leaks.values()) == 0 and ours.lost_keeps == 0
    # A plain regex masks the phone but not the name, and masks the employer's public phone too.
    assert regex.leaks == {"phone": 0, "name": 1} and regex.lost_keeps == 1 and regex.keeps == 3
    assert len(ours.times) == 2 and ours.msg_per_s > 0 and ours.percentile_ms(0.99) >= ours.percentile_ms(0.5)


def test_jionlp_is_used_as_a_masker_when_installed() -> None:
    masker, name = _jionlp()
    if masker is None:
        assert name.startswith("unavailable")
        return
    masked = masker(RECORDS[0])
    assert "13800001234" not in masked and "张建国" in masked  # jionlp has no person-name extractor
