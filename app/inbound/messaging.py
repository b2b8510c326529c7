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


def welcome_bound(village_name: str) -> str:
    return (
        f"欢迎加入「{village_name}」就业服务！\n"
        "想找活儿，直接发一句话就行，写上会干啥、想干啥、怎么联系您，例如：\n"
        "会开叉车 有证5年 想在中牟县城附近找仓库的活 电话13800000000\n"
        "有新岗位我们会第一时间发到村里的群。"
    )


def acknowledge_text(kind_label: str, summary: str) -> str:
    """Ack of a note that was understood: what we took it to be, and what happens next."""
    lines = [f"收到您的{kind_label}：", summary] if summary else [f"收到您的{kind_label}。"]
    return "\n".join(lines)


def acknowledge_plain() -> str:
    return "收到，谢谢！有需要随时发消息给我们。"


UNSUPPORTED_TYPE = "暂时只能看懂文字消息，请用文字把您的情况发过来，谢谢！"
