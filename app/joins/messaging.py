"""What residents are told when they scan a village code (Simplified Chinese, phone-sized)."""

HOW_TO_POST = (
    "想找活儿，直接发一句话：技能 + 意向 + 联系方式，例如：\n"
    "会开叉车 有证5年 想在县城附近找仓库的活 电话138xxxx5678"
)


def welcome(village_name: str, *, join_qr_coming: bool) -> str:
    lines = [f"欢迎加入「{village_name}」就业服务！", HOW_TO_POST]
    if join_qr_coming:
        lines.append("村里的求职群入群二维码马上发给您，长按识别即可进群，新岗位会第一时间发到群里。")
    else:
        lines.append("有新岗位我们会及时告诉您；想进村里的求职群，请找村里的人社服务专员拉您进群。")
    return "\n".join(lines)
