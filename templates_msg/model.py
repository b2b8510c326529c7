"""Plain data types shared by classify, parse, mask and render."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["seeker", "job", "policy", "query", "command", "other"]
KINDS: tuple[Kind, ...] = ("seeker", "job", "policy", "query", "command", "other")

# PII categories reported by masking; tests count leaks per category.
PiiType = Literal["phone", "landline", "id_card", "bank_card", "wechat", "qq", "email", "name", "address"]


@dataclass(frozen=True)
class Finding:
    """One piece of private information found in a text: its span in the original text."""

    type: str
    start: int
    end: int
    value: str  # normalised value (digits for numbers, the id itself for accounts)
    replacement: str


@dataclass(frozen=True)
class MaskResult:
    """The relayable text plus what was found and whether a human must look first."""

    text: str
    findings: tuple[Finding, ...] = ()
    hold_reason: str | None = None

    def suspects(self, candidates: list[Finding]) -> tuple[Finding, ...]:
        """What was masked on suspicion: those of the candidates that were masked, and numbers
        of no known shape (ambiguous digit runs, ID numbers whose check digit is wrong)."""
        masked = {(f.start, f.end) for f in self.findings}
        unsure = [f for f in self.findings if f.type in ("ambiguous", "id_suspect")]
        return tuple(sorted([f for f in candidates if (f.start, f.end) in masked] + unsure, key=lambda f: f.start))


@dataclass
class Understanding:
    """Everything the relay needs to know about one inbound message."""

    kind: Kind
    fields: dict[str, Any]
    masked: str
    missing: list[str] = field(default_factory=list)
    hold_reason: str | None = None
    findings: tuple[Finding, ...] = ()
    original: str = ""
    # Spans masked only to be safe (a name-like or digit span no rule could confirm): the
    # steward's card shows them so a person decides before the note goes further.
    suspects: tuple[Finding, ...] = ()
    # Seeker note or job ad, the cues did not say which: the bot asks the author before relaying.
    unsure: bool = False
    # Why the input could not be a message at all (templates_msg.input_guard), if it could not.
    input_problem: str | None = None

    @property
    def complete(self) -> bool:
        """True when a note carries every required part (always true for non-notes)."""
        return not self.missing

    @property
    def held(self) -> bool:
        """True when masking was unsure and village staff must check before relaying."""
        return self.hold_reason is not None

    @property
    def needs_review(self) -> bool:
        """True when something was masked on suspicion and a person should look at it."""
        return bool(self.suspects)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (used by the CLI and by storage)."""
        return {
            "kind": self.kind,
            "fields": self.fields,
            "masked": self.masked,
            "missing": list(self.missing),
            "hold_reason": self.hold_reason,
            "needs_review": [f.value for f in self.suspects],
            "unsure": self.unsure,
        }
