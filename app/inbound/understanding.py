"""Bridge from inbound text to templates_msg: what the ack says was understood."""

from __future__ import annotations

KIND_LABELS = {
    "seeker": "求职信息",
    "job": "招聘信息",
    "policy": "政策通知",
    "query": "咨询",
    "command": "指令",
}


def summarize(text: str, *, speaker_kind: str) -> tuple[str, str]:
    """(label of what the text is, masked summary); ("", "") for chat like 收到/谢谢."""
    from templates_msg import understand

    result = understand(text)
    label = KIND_LABELS.get(result.kind, "")
    return label, (result.masked if label else "")
