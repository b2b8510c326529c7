"""What the relay says about group tasks (customer-group sends and manual relays), in Chinese."""

from __future__ import annotations

from datetime import datetime

AWAITING = "等待群主确认"  # how an unconfirmed group delivery shows everywhere (issue 9)
RELAYED_BUTTON = "已转发"


def owner_request(group: str, codes: list[str], remind_local: datetime) -> str:
    return (f"【待确认群发】请打开企业微信「客户群」→「群发助手」，确认把 {'、'.join(codes)} 发到「{group}」。"
            f"只有您点了发送，群里才能看到；{remind_local:%H:%M}前未确认会再提醒您。")


def owner_reminder(group: str, codes: list[str], escalate_local: datetime) -> str:
    return (f"【提醒】「{group}」的群发（{'、'.join(codes)}）还{AWAITING}。请在「群发助手」里点发送；"
            f"{escalate_local:%H:%M}前仍未发送将报告乡镇信息管家。")


def relayer_text(group: str, content: str) -> str:
    return f"请把下面这段复制转发到「{group}」：\n\n{content}"


def relayer_card_title(group: str) -> str:
    return f"待转发：{group}"[:36]


def relayer_card_desc(codes: list[str]) -> str:
    return f"{'、'.join(codes)}：转发到群里后点「{RELAYED_BUTTON}」"


def relayer_reminder(group: str, codes: list[str]) -> str:
    return f"【提醒】{'、'.join(codes)} 还没转发到「{group}」。转发后请点卡片上的「{RELAYED_BUTTON}」。"


def escalation(group: str, who: str, codes: list[str], manual: bool) -> str:
    what = "转发" if manual else "确认群发"
    return (f"【上报】「{group}」的 {'、'.join(codes)} 已超时，{who}还未{what}，群众还看不到。"
            "请联系本人处理，或另行通知群众。")


def quota_refused(group: str, codes: list[str], retry_local: datetime) -> str:
    return (f"【群发次数已用完】「{group}」今天已收到过一次群发（企业微信每个客户群每天限一次），"
            f"{'、'.join(codes)} 将于 {retry_local:%m-%d %H:%M} 再次发起，请届时提醒群主确认。")


def task_failed(group: str, codes: list[str], errcode: int) -> str:
    return (f"【群发失败】「{group}」的 {'、'.join(codes)} 无法创建群发任务（错误码 {errcode}），"
            "请检查群主和客户群配置，并另行通知群众。")


def group_mismatch(group: str, codes: list[str], sender: str, reason: str, owner: str) -> str:
    why = (f"企业微信里的群主是 {owner}，组织文件写的是 {sender}" if reason == "owner"
           else "企业微信里找不到这个客户群（chat_id 可能填错了，或群已解散）")
    return f"【群发失败】「{group}」的 {'、'.join(codes)} 无法发出：{why}。请改正组织文件后重新导入，并另行通知群众。"


def never_sent(group: str, codes: list[str], days: int) -> str:
    return (f"【未送达】「{group}」的 {'、'.join(codes)} 群主 {days} 天内没有在「群发助手」里发送，已停止等待，"
            "按未送达统计。请另行通知群众。")


def no_owner(group: str) -> str:
    return (f"【配置缺失】「{group}」是客户群或普通微信群，但组织文件没有写群主（owner）或转发人（relay_by），"
            "信息无法送达。请在组织文件里补上后重新导入。")


def relayed_reply(group: str, count: int) -> str:
    return f"已记录：{count} 条信息已转发到「{group}」，谢谢！"


def relayed_already(group: str) -> str:
    return f"「{group}」这一批已经记录为已转发，无需再点。"


NOT_YOURS = "这张转发卡片不是发给您的，操作未生效。"
