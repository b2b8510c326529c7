"""What the relay says to people (Simplified Chinese; stewards and villagers read on phones)."""

from __future__ import annotations

from datetime import datetime

from bots.client.limits import BYTE_LIMITS, utf8_len

# The smallest text limit of any channel a post can take (§3.1): longer posts are split.
TEXT_LIMIT = min(BYTE_LIMITS[kind] for kind in ("appchat_text", "robot_text", "app_text", "mp_text"))

KIND_LABELS = {"job": "招工", "seeker": "求职", "policy": "政策通知", "graduates": "结业学员"}
DECISION_LABELS = {"approved": "已通过", "rejected": "已驳回", "expired": "已关闭"}
ELLIPSIS = "…"


def shorten(text: str, chars: int) -> str:
    """At most `chars` characters; a cut text ends with "…" so nobody takes it for the whole."""
    return text if len(text) <= chars else text[: max(chars - 1, 0)] + ELLIPSIS
NOTE_LABELS = {"seeker": "求职信息", "job": "招聘信息", "policy": "政策通知"}


def relay_content(code: str, text: str) -> str:
    """An item as posted into a group; the code lets anyone ask about it later.

    The code closes a post that fits one message; a longer post goes out in numbered parts
    (relay/channels.py), so its code leads, where the first part carries it and no part can be
    left holding the code alone.
    """
    if code.startswith("S"):  # the note has no phone: employers ask through the Official Account
        post = f"{text}\n（编号{code}，想联系TA请在公众号回复「联系 {code}」）"
    else:
        post = f"{text}\n（编号{code}）"
    if utf8_len(post) <= TEXT_LIMIT:
        return post
    return f"（编号{code}）{text}"


def card_title(kind: str, code: str) -> str:
    return f"待审核：{KIND_LABELS.get(kind, '信息')} {code}"


def suspect_note(values: list[str]) -> str:
    """The line an approval card shows above a note with spans masked only on suspicion."""
    listed = "、".join(values)
    return f"【疑似隐私：{listed}】已先隐去；如不是隐私，请点「修改」补回后再通过。"


def card_desc(due_local: datetime) -> str:
    return f"请在30分钟内处理（{due_local:%H:%M}前），超时将提醒并上报"


BUTTON_TEXTS = {"approve": "通过", "reject": "驳回", "edit": "修改"}


def replace_name(status: str, actor_name: str) -> str:
    """What a decided card shows in place of its buttons."""
    if actor_name == "timeout":
        return "已超时自动通过"
    return f"{DECISION_LABELS.get(status, '已处理')} · {actor_name}"


def decided_reply(status: str, code: str, onward: int) -> str:
    if status == "approved":
        return f"{code} 已通过，正在转发到 {onward} 个群。" if onward else f"{code} 已通过。"
    return f"{code} 已驳回，不再转发。"


def released(code: str) -> str:
    return f"{code} 已核对，已送乡镇信息管家审核。"


def edited_reply(code: str, text: str) -> str:
    return f"{code} 已修改为：\n{text}\n确认无误请回复「通过 {code}」。"


def edit_howto(code: str) -> str:
    return f"请直接回复「修改 {code} 新的文字」，改好后再回复「通过 {code}」。"


def already_decided(code: str, status: str, by: str) -> str:
    who = "系统（超时）" if by == "timeout" else by or "他人"
    return f"{code} 已由{who}处理（{DECISION_LABELS.get(status, '已处理')}），这次操作没有改动。"


NOT_ALLOWED = "您不是这条信息所在乡镇的信息管家，无权审核，操作未生效。如有疑问请联系区级信息员。"
NOT_FOUND = "没有找到这条待审核的信息，请核对编号（如 J12 或 S7）。"
NOT_PENDING = "这条信息现在不需要审核。"
EDIT_NEEDS_TEXT = "修改时请带上新的文字，例如：修改 J12 招叉车工2名 月薪6000 中牟县城 电话138xxxx0000"


def ambiguous(code: str, hop_ids: list[int]) -> str:
    listed = "、".join(str(i) for i in hop_ids)
    return f"{code} 在多个乡镇待审核，请用审核号操作（{listed}），例如「通过 {hop_ids[0]}」。"


def submitted(kind: str, code: str, summary: str) -> str:
    if kind == "seeker":
        return f"收到您的求职信息，编号{code}，将这样转发（已隐去个人隐私）：\n{summary}"
    # A job post keeps the employer's business contact: nothing is hidden, so don't say it is.
    return f"收到您的{NOTE_LABELS.get(kind, '信息')}，编号{code}，将这样发布：\n{summary}"


def policy_published(code: str) -> str:
    return f"政策通知已发布，编号{code}，将发到本区所有群（村里的群在服务时间内发送）。"


def held_reply(code: str, reason: str) -> str:
    return f"收到您的消息，编号{code}。里面可能有个人信息（{reason}），村里工作人员核对后再帮您转发。"


def held_notice(code: str, village: str, reason: str, text: str) -> str:
    return f"【待核对】{village} 的求职信息 {code} 暂未转发：{reason}。\n{text}"


def rejected_notice(code: str, reason: str) -> str:
    tail = f"原因：{reason}。" if reason else ""
    return f"您的信息 {code} 未能转发。{tail}如需帮助请联系村里的人社服务专员。"


def reminder(code: str, due_local: datetime) -> str:
    return f"【提醒】{code} 还在等您审核，请在 {due_local:%H:%M} 前处理：回复「通过 {code}」或点卡片按钮。"


def escalation(code: str, township: str, auto_approved: bool, text: str) -> str:
    if auto_approved:
        head = f"【超时】{township} 的 {code} 30分钟内无人审核，系统已自动通过并转发。"
    else:
        head = f"【超时上报】{township} 的 {code} 30分钟内无人审核，请代为处理：回复「通过 {code}」或「驳回 {code} 原因」。"
    return f"{head}\n{text}"


def cutoff_escalation(village: str, codes: list[str]) -> str:
    listed = "、".join(codes)
    return f"【信息不过夜】{village} 群里今天还有 {len(codes)} 条信息没发出去（{listed}），请今晚前手动转发或联系区级信息员。"


def digest(day: str, township: str, arrived: int, on_time: int, villages: int, same_day: int) -> str:
    t_rate = f"{on_time * 100 // arrived}%" if arrived else "无"
    v_rate = f"{same_day * 100 // villages}%" if villages else "无"
    return (
        f"【昨日时效】{day} {township}\n"
        f"乡镇30分钟审核：{on_time}/{arrived}（{t_rate}）\n"
        f"村级当日送达：{same_day}/{villages}（{v_rate}）"
    )


CLOSED_LABELS = {"done": "已招满", "withdrawn": "已撤回"}


def closed_card(status: str) -> str:
    """A waiting card of an item closed before anyone decided it."""
    return f"{CLOSED_LABELS.get(status, '已关闭')}，无需审核"


def item_closed(code: str, status: str) -> str:
    return f"{code} {CLOSED_LABELS.get(status, '已关闭')}，不用再审核了，操作未生效。"


def job_published(code: str) -> str:
    return f"您的岗位 {code} 已审核通过，已发布，正在发到村里的群。"


def item_paused(code: str) -> str:
    return f"{code} 已暂停（被举报待复核、已撤回或已驳回），现在不能通过。"
