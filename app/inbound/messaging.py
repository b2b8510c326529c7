"""What the bot says back (Simplified Chinese, short: residents read on phones)."""

JOIN_GUIDE = (
    "您好！您还没有加入本区就业服务群。\n"
    "求职的群众：请扫描所在村（社区）「群众求职群」的二维码，关注后即可发布求职信息、接收招聘岗位。\n"
    "招聘的企业：请回复「企业认证」，按提示完成企业注册认证后即可发布岗位。\n"
    "如有疑问，请联系所在村的人社服务专员。"
)

UNKNOWN_SCENE = (
    "欢迎关注！这个二维码已失效或不属于本区，暂时无法为您绑定村（社区）。"
    "请向村里的人社服务专员要一张新的二维码再扫一次。"
)

SORRY = "收到您的消息，系统这会儿出了点问题，工作人员会尽快处理，不用重发。"

UNSUPPORTED_TYPE = "暂时只能看懂文字消息，请用文字把您的情况发过来，谢谢！"

_NOTE_LABELS = {"seeker": "求职信息", "job": "招聘信息"}
_OTHER_ACKS = {
    "policy": "收到您发的政策通知，我们会按规定转发到各群。",
    "query": "收到您的咨询，有合适的岗位我们会尽快回复您。",
    "command": "这条指令没有可以处理的内容（编号不对或您无权操作）。回复「帮助」查看能用的指令。",
}


def acknowledge_note(kind: str, summary: str) -> str:
    """Ack of a complete note: what we took it to be, exactly as it will be relayed."""
    if kind == "seeker":
        return f"收到您的求职信息，将这样转发（已隐去个人隐私）：\n{summary}"
    return f"收到您的招聘信息，将这样发布：\n{summary}"


def partial_received(summary: str) -> str:
    return f"已记下：{summary}" if summary else ""


def held_for_staff(reason: str) -> str:
    return f"收到您的消息。里面可能有个人信息（{reason}），村里工作人员核对后再帮您转发。"


def acknowledge_other(kind: str) -> str:
    return _OTHER_ACKS[kind]


def acknowledge_plain() -> str:
    return "收到，谢谢！有需要随时发消息给我们。"


def matching_jobs(lines: list[str]) -> str:
    return "正在招的相关岗位（直接打电话问）：\n" + "\n".join(lines)


def answer_query(jobs: list[str], lines: list[str]) -> str:
    """A resident asks 有没有招保洁的: the open posts, or an honest 'not now'."""
    if lines:
        return matching_jobs(lines) + "\n想让企业看到您，就发一句：会干啥 + 想干啥 + 电话。"
    wanted = "、".join(jobs) if jobs else "这类"
    return (f"暂时没有正在招的{wanted}岗位。有新岗位会第一时间发到村里的群；"
            "也可以发一句「会干啥 + 想干啥 + 电话」登记求职，让企业来找您。")

# Decisions are for staff the org file lists; anyone else (a resident, an openid spelled like a
# userid) is told so and nothing changes.
NOT_STAFF = "您无权审批：只有本乡镇的信息管家、备岗管家和区信息员可以处理。"

FORMER_STAFF = (
    "您已不在本区就业服务工作人员名单中，不能再审批或代发信息。"
    "如有疑问，请联系区人社局信息员。"
)
