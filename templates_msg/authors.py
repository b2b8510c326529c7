"""Who wrote a message and where: the prior a classifier adds before reading the text.

An employer bound to an enterprise posts jobs; a resident on the Official Account writes about
themself; village staff type notes for residents, and relay others' messages with 转; the
district officer posts notices and jobs. The text still decides when its own cues are strong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Spellings of roles used by the inbound glue, the corpus labels and the CLI.
_ROLES = {
    "resident": "resident", "seeker": "resident",
    "employer": "employer", "enterprise": "employer",
    "staff": "staff", "steward": "staff", "village_staff": "staff", "township_steward": "staff",
    "officer": "officer", "district_officer": "officer", "bureau": "officer",
    "trainer": "trainer",  # a training school: class notices and graduate lists
}
# Channels: the Official Account 1:1 chat, the WeCom app, the district employers' group, a
# village group; "forwarded" is a message passed on from someone else (WeChat's 转发).
_CHANNELS = {
    "oa": "oa", "mp": "oa", "wecom_app": "wecom_app", "wecom": "wecom_app", "aibot": "wecom_app",
    "district": "district", "village": "village", "township": "township", "forwarded": "forwarded",
}
# 转：… / 帮忙转发 / 代发: staff relaying someone else's words; the author says nothing then.
RELAYED = re.compile(r"^\W*(?:转发?|帮(?:忙)?转|代发|帮[一-龥]{1,4}发)|转自")

# Weights added to the class totals (same scale as templates_msg.cues: 3 = decisive alone).
_PRIORS: dict[str, dict[str, float]] = {
    "employer": {"job": 3},
    "resident": {"seeker": 2},
    "staff": {"seeker": 1},
    "officer": {"policy": 2, "job": 1},
    "trainer": {"policy": 2},
}


@dataclass(frozen=True)
class Author:
    role: str | None = None  # resident | employer | staff | officer | trainer (normalised)
    channel: str | None = None  # oa | wecom_app | district | village | township | forwarded

    @classmethod
    def of(cls, role: str | None, channel: str | None = None) -> Author | None:
        """Normalise the spellings; None when nothing is known about the author."""
        r = _ROLES.get((role or "").strip().lower())
        c = _CHANNELS.get((channel or "").strip().lower())
        return cls(r, c) if r or c else None

    def describe(self) -> str:
        return f"{self.role or '?'}@{self.channel or '?'}"

    def prior(self, text: str) -> dict[str, float]:
        """What being this author adds; nothing when the text is relayed from someone else."""
        if self.channel == "forwarded" or RELAYED.search(text):
            return {}
        prior = dict(_PRIORS.get(self.role or "", {}))
        if self.channel == "district" and self.role != "officer":
            prior["job"] = prior.get("job", 0) + 1  # the employers' group is where jobs are posted
        return prior
