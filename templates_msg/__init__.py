"""Understanding messages: classify, parse, mask and render (pure functions, no I/O).

Entry points for the rest of JobMatrix:
    understand(text, author_role=None) -> Understanding
    incomplete_reply(u) -> str | None;  partial_state(u) -> dict;  merge_partial(state, u) -> Understanding
    compact_line / render_text / render_markdown / card_fields (templates_msg.render)
"""

from templates_msg.classify import classify
from templates_msg.mask import find_pii, mask
from templates_msg.model import Finding, Kind, MaskResult, Understanding
from templates_msg.render import card_fields, compact_line, fit_bytes, render_markdown, render_text
from templates_msg.reply import incomplete_reply, merge_partial, partial_state
from templates_msg.understand import understand

__all__ = [
    "Finding",
    "Kind",
    "MaskResult",
    "Understanding",
    "card_fields",
    "classify",
    "compact_line",
    "find_pii",
    "fit_bytes",
    "incomplete_reply",
    "mask",
    "merge_partial",
    "partial_state",
    "render_markdown",
    "render_text",
    "understand",
]
