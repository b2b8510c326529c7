"""One call from raw text to an Understanding: classify, parse, mask, list what is missing."""

from __future__ import annotations

import re
from typing import Any

from templates_msg.authors import Author
from templates_msg.classify import Decision, decide
from templates_msg.commands import parse_command
from templates_msg.input_guard import NO_TEXT, input_problem
from templates_msg.mask import find_pii, mask
from templates_msg.model import Finding, Kind, Understanding
from templates_msg.names import find_full_name
from templates_msg.parse_common import read_place
from templates_msg.parse_job import parse_job
from templates_msg.parse_seeker import parse_seeker
from templates_msg.private_spans import is_public
from templates_msg.private_spans import scan as scan_private_spans
from templates_msg.vocab import find_occupations, unique_canonicals

# Kinds whose phone numbers are a business's or the bureau's public contact.
_PUBLIC_KINDS = frozenset({"job", "policy"})
_DATE = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]|\d{4}年\d{1,2}月\d{1,2}[日号]")


def _policy_fields(text: str, findings: list[Finding]) -> dict[str, Any]:
    first_line = text.strip().splitlines()[0] if text.strip() else ""
    phones = [f.value for f in findings if f.type in ("phone", "landline")]
    return {
        "title": first_line[:30],
        "dates": _DATE.findall(text),
        "location": read_place(text),
        "contact_phone": phones[0] if phones else None,
    }


def _query_fields(text: str) -> dict[str, Any]:
    return {"jobs": unique_canonicals(find_occupations(text)), "location": read_place(text)}


def parse_fields(kind: Kind, text: str, findings: list[Finding]) -> dict[str, Any]:
    """Structured fields for a message already classified as `kind`."""
    if kind == "seeker":
        return parse_seeker(text, findings)
    if kind == "job":
        return parse_job(text, findings)
    if kind == "policy":
        return _policy_fields(text, findings)
    if kind == "query":
        return _query_fields(text)
    if kind == "command":
        return parse_command(text) or {}
    return {}


def missing_parts(kind: Kind, fields: dict[str, Any]) -> list[str]:
    """Required parts a note lacks (field names); notices, queries and chat need nothing."""
    if kind == "seeker":
        return [] if fields.get("skills") or fields.get("intent_jobs") else ["intent_jobs"]
    if kind != "job":
        return []
    missing = []
    if not (fields.get("title") or fields.get("title_text")):
        missing.append("title")
    if fields.get("salary_min") is None and fields.get("salary_unit") != "piece":
        missing.append("salary")
    if not fields.get("location"):
        missing.append("location")
    if not fields.get("contact_phone"):
        missing.append("contact_phone")
    return missing


def _not_a_message(text: str, problem: str) -> Understanding:
    """Binary junk or a wall of text relays nothing (so nothing leaks); emoji alone stay as sent."""
    return Understanding(
        kind="other", fields={}, masked=text if problem == NO_TEXT else "", original=text, input_problem=problem
    )


def understand(
    text: str, *, author_role: str | None = None, channel: str | None = None, kind: Kind | None = None
) -> Understanding:
    """Classify, parse and mask one message.

    author_role ("resident"/"seeker", "employer", "staff"/"steward", "officer" or None) and the
    channel ("oa", "district", "village") weigh in on the kind (templates_msg.authors); a notice
    from staff keeps its phone numbers, the same text from anyone else is masked. `kind` is given
    when the author has said what the message is (their answer to KIND_QUESTION).
    """
    problem = input_problem(text)
    if problem is not None:
        return _not_a_message(text, problem)
    author = Author.of(author_role, channel)
    decision = decide(text, author) if kind is None else Decision(kind=kind)
    kind = decision.kind
    findings = find_pii(text)
    fields = parse_fields(kind, text, findings)
    public = is_public(text, kind=kind, role=author.role if author else None, unsure=decision.unsure)
    full_name = fields.get("name") if kind == "seeker" else find_full_name(text) if not public else None
    private = scan_private_spans(text, public=public, known=findings)
    result = mask(
        text,
        keep_business_contact=public,
        full_name=full_name,
        gender=fields.get("gender"),
        findings=findings,
        names=private.findings,
        private_zones=private.zones,
    )
    return Understanding(
        kind=kind,
        fields=fields,
        masked=result.text,
        missing=missing_parts(kind, fields),
        hold_reason=result.hold_reason,
        findings=result.findings,
        original=text,
        suspects=result.suspects(private.suspects),
        unsure=decision.unsure,
    )
