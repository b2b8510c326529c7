"""Decide what a message is: seeker note, job ad, bureau notice, job query, command or chat.

A scored decision, not a chain of special cases: every cue (a named pattern of the text, or who
wrote it and where) adds its weights to the classes it speaks for, and `explain` lists which
cues fired with what weight. The rules that turn the totals into a kind are in `decide`. When a
note's job and seeker totals are too close and the author does not settle it, the outcome is
"not sure" and the bot asks the author (app/inbound/understanding.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from templates_msg.authors import Author
from templates_msg.commands import parse_command
from templates_msg.cues import CUES, Cue
from templates_msg.input_guard import strip_invisible
from templates_msg.model import Kind
from templates_msg.textnorm import digits_only
from templates_msg.vocab import find_occupations

_MOBILE = re.compile(r"1[3-9]\d{9}")
# A contact that is not a phone number: 微信号 / QQ with an id after it.
_ACCOUNT = re.compile(r"(?:微信|vx|VX|wx|QQ|qq|扣扣)\s*号?\s*[:：]?\s*[A-Za-z0-9_-]{5,}")
_CARD_RUN = re.compile(r"\d{15,19}[\dXx]?|\d{4}(?:[ -]\d{4}){3}(?:[ -]\d{1,3})?")
_NOTICE_HEAD = re.compile(r"【|通知|公告|提醒")
_WORKISH = re.compile(r"活|工作|招|上班|干|报名|要人|人要|厂|钱|岗位|职|补贴|社保|医保|培训|工资|失业|保险|贷款|政策")
_SELF_INTRO = re.compile(r"本人|俺\s*\d|\d{2}\s*岁|[男女]\s*\d{2}|都会|干了\d")
_CHAT = re.compile(
    r"^(?:收到|谢谢|好的|好|嗯+|哦+|ok|OK|👌|👍|🙏|辛苦了|感谢|多谢|明白|知道了|哈+|在吗|早|早上好|晚安|大家好)"
)
# A note whose job and seeker totals differ by less than this, with no author to settle it,
# is "not sure". 2 is one medium cue: below that the text itself does not lean either way.
UNSURE_MARGIN = 2


@dataclass
class Decision:
    """The kind, whether it is a guess, and the cue totals behind it (for `explain`)."""

    kind: Kind
    unsure: bool = False
    scores: dict[str, float] = field(default_factory=dict)  # text cues only
    strong: dict[str, float] = field(default_factory=dict)  # text cues of weight 2 or more
    personal: float = 0.0  # the part of the seeker score that only says who the writer is
    prior: dict[str, float] = field(default_factory=dict)  # what the author adds
    fired: list[tuple[str, dict[str, float]]] = field(default_factory=list)


def _cue_hits(text: str, cue: Cue) -> int:
    return min(len(cue.pattern.findall(text)), cue.cap)


def score_text(text: str, author: Author | None = None) -> Decision:
    """Add up every cue that fires (text cues, then the author's prior)."""
    totals: dict[str, float] = {"job": 0.0, "seeker": 0.0, "policy": 0.0, "query": 0.0}
    strong = dict(totals)
    personal = 0.0
    fired: list[tuple[str, dict[str, float]]] = []
    for cue in CUES:
        hits = _cue_hits(text, cue)
        if hits:
            contribution = {k: w * hits for k, w in cue.weights.items()}
            fired.append((cue.name, contribution))
            for k, w in contribution.items():
                totals[k] += w
                strong[k] += w if cue.weights[k] >= 2 else 0
            personal += contribution.get("seeker", 0) if cue.personal else 0
    if find_occupations(text):
        fired.append(("occupation word", {"job": 1, "seeker": 1}))
        totals["job"] += 1
        totals["seeker"] += 1
    prior = author.prior(text) if author is not None else {}
    if prior:
        fired.append((f"author {author.describe() if author else ''}", prior))
    return Decision(kind="other", scores=totals, strong=strong, personal=personal, prior=prior, fired=fired)


def scores(text: str) -> dict[str, float]:
    """Per-class cue totals of the text alone (exposed for debugging and for tests)."""
    return score_text(strip_invisible(text)).scores


def _note(d: Decision) -> Decision:
    """Job or seeker note: the text's cues plus the author's prior (which only weighs in here,
    so an employer's 你好 stays chat)."""
    lean = d.scores["job"] - d.scores["seeker"]  # what the words alone say
    push = d.prior.get("job", 0) - d.prior.get("seeker", 0)  # what the author adds
    d.kind = "job" if lean + push > 0 else "seeker"
    # The author confirms a lean of the words' typical cues (weight 2 or more), but never
    # decides words that only have weak hints: 保姆 郑州 138… from a resident, 焊工 日结 官渡 138…
    # from an employer may be passed on for someone else, so they are asked about.
    strong_lean = d.strong.get("job", 0) - d.strong.get("seeker", 0)
    confirmed = strong_lean * push > 0
    d.unsure = abs(lean) < UNSURE_MARGIN and not confirmed
    return d


def decide(text: str, author: Author | None = None) -> Decision:
    """The kind of one message, with the totals that decided it."""
    body = strip_invisible(text).strip()
    if not body:
        return Decision(kind="other")
    if parse_command(body):
        return Decision(kind="command")
    d = score_text(body, author)
    s = d.scores
    if is_chat(body):
        return d  # 收到 已通知村民 / 好的 明天去面试: a reply in the conversation, not a message to relay
    # The officer's or a training centre's prior counts here: their notices are short.
    notice_sized = len(body) >= 15 or bool(re.search(r"\d|【", body))
    policy = s["policy"] + (d.prior.get("policy", 0) if s["policy"] and notice_sized else 0)
    if policy >= 4 and policy >= s["job"] and not _asks_about_policy(body, s):
        d.kind = "policy"
        return d
    note = max(s["job"], s["seeker"])
    # ID and bank card numbers are not a way to reach the writer (and hold 11-digit runs).
    has_mobile = bool(_MOBILE.search(digits_only(_CARD_RUN.sub(" ", body))))
    asks = s["query"] and not _SELF_INTRO.search(body) and (note <= 6 or len(body) <= 20)
    if asks and (not has_mobile or s["seeker"] < 3):
        d.kind = "query" if _WORKISH.search(body) or note or s["policy"] else "other"
        return d
    # A note says something about work: who the writer is (俺闺女, an age) is not enough.
    work = max(s["job"], s["seeker"] - d.personal)
    if note >= 3 and (work >= 1 or has_mobile):
        return _note(d)
    # One notice word is a notice only in a notice-sized message (我们村今天开会了 is chat).
    if s["policy"] >= 3 and notice_sized:
        d.kind = "policy"
        return d
    return _note(d) if _short_note(d, body, has_mobile) else d


def _short_note(d: Decision, body: str, has_mobile: bool) -> bool:
    """A trade word plus a phone number is a note even without cue words (瓦工 贴砖 138…), and so
    is a weak cue with a way to reach the writer (会做抖音 微信号…)."""
    if len(body) < 5 or _CHAT.match(body):
        return False
    has_contact = has_mobile or bool(_ACCOUNT.search(body))
    note = max(d.scores["job"], d.scores["seeker"])
    typical = max(d.strong["job"], d.strong["seeker"]) >= 2  # not only weak hints (厂, 上班)
    return bool((typical or has_contact) and find_occupations(body)) or (note >= 2 and has_contact)


def _asks_about_policy(body: str, s: dict[str, float]) -> bool:
    """补贴怎么领？ is a question about a policy, not a notice: short, asks, and has no notice
    header (【…】, 通知)."""
    return len(body) <= 40 and s["query"] > 0 and not _NOTICE_HEAD.search(body)


def is_chat(text: str) -> bool:
    """收到 / 谢谢 / 好的 / 👍: a reply in the conversation that adds nothing to a note."""
    body = strip_invisible(text).strip()
    return bool(_CHAT.match(body)) and len(body) <= 12 and not re.search(r"\d", body)


def classify(text: str, author: Author | None = None) -> Kind:
    """seeker | job | policy | query | command | other (a "not sure" note gives its best guess)."""
    return decide(text, author).kind


def explain(text: str, author: Author | None = None) -> str:
    """Which cues fired, with their weights, and the outcome: for reviewing a wrong kind."""
    d = decide(text, author)
    lines = [f"{name}: {weights}" for name, weights in d.fired]
    lines.append(f"totals {d.scores} -> {d.kind}{' (not sure)' if d.unsure else ''}")
    return "\n".join(lines)
