"""Bot commands typed in chat: approvals by village staff, reports, self-service requests."""

from __future__ import annotations

import re
from typing import Any

_ID = r"#?\s*(?P<target>[A-Za-z]{0,2}\d{1,10})"
_REST = r"(?:\s*[:：,，]?\s*(?P<rest>.+))?"
# (name, pattern) tried top to bottom; each pattern must cover the whole message so
# ordinary sentences that merely contain 通过 or 修改 are not commands.
_COMMANDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("approve", re.compile(rf"(?:通过|同意|批准|审核通过|过)\s*{_ID}\s*")),
    ("reject", re.compile(rf"(?:驳回|拒绝|不通过|退回)\s*{_ID}{_REST}", re.S)),
    ("edit", re.compile(rf"(?:修改|改)\s*{_ID}{_REST}", re.S)),
    ("report", re.compile(rf"(?:举报|投诉)\s*{_ID}{_REST}", re.S)),
    ("withdraw", re.compile(rf"(?:撤回|撤销|下架)\s*{_ID}\s*")),
    # An employer says the job is filled (招满), before or after the code.
    ("filled", re.compile(rf"(?:已经?招满了?|招满了?|人招够了|已招到人?|招到人了)\s*{_ID}\s*")),
    ("filled", re.compile(rf"{_ID}\s*(?:已经?招满了?|招满了?|人招够了|已招到人?|招到人了)\s*")),
    ("employer_register", re.compile(r"企业认证|企业注册|认证企业|我要认证")),
    ("delete_my_data", re.compile(r"删除我的信息|删除我的资料|删除个人信息|注销|删除我的数据")),
    ("unsubscribe", re.compile(r"退订|取消订阅|不要再发了?|TD|td")),
    ("subscribe", re.compile(r"订阅(?P<rest>.*)")),
    ("help", re.compile(r"帮助|菜单|help|HELP|使用说明|怎么用|\?|？")),
    ("my_items", re.compile(r"我的发布|我的信息|查看我的信息|我发的")),
)


def parse_command(text: str) -> dict[str, Any] | None:
    """{'command', 'target', 'text'} when the whole message is a command, else None."""
    body = text.strip().lstrip("/").strip()
    for name, pattern in _COMMANDS:
        m = pattern.fullmatch(body)
        if m:
            groups = m.groupdict()
            target = groups.get("target")
            return {
                "command": name,
                "target": target.upper() if target else None,
                "text": (groups.get("rest") or "").strip() or None,
            }
    return None
