"""What matching says (Simplified Chinese, short: people read it on phones)."""

from __future__ import annotations

from relay.match.search import Suggestion

PAGE = 5
MORE_HINT = "回复「更多」看下一批。"


def _first_line(text: str, width: int = 60) -> str:
    line = next((part for part in text.splitlines() if part.strip()), "")
    return line[:width]


def suggestion_lines(suggestions: list[Suggestion]) -> str:
    """J12 招叉车工2名 月薪6000-8000 …\n   （同镇 · 有叉车证 · 年龄符合）"""
    return "\n".join(f"{s.code} {_first_line(s.text)}\n   （{s.reason_line}）" for s in suggestions)


def query_answer(suggestions: list[Suggestion], *, wanted: str, has_more: bool, can_subscribe: bool = False) -> str:
    if not suggestions:
        subscribe = f"；发「订阅 {wanted.split('、')[0]}」有新岗位时推送给您" if can_subscribe else ""
        return (f"暂时没有正在招的{wanted or '这类'}岗位。有新岗位会第一时间发到村里的群；"
                f"也可以发一句「会干啥 + 想干啥 + 电话」登记求职，让企业来找您{subscribe}。")
    text = "正在招的岗位（最合适的在前，直接打电话问）：\n" + suggestion_lines(suggestions)
    return text + ("\n" + MORE_HINT if has_more else "")


def more_answer(suggestions: list[Suggestion], *, has_more: bool) -> str:
    if not suggestions:
        return "没有更多了。换个说法再问，例如「白沙镇附近招不招叉车工」。"
    return "接着看：\n" + suggestion_lines(suggestions) + ("\n" + MORE_HINT if has_more else "\n（已经是全部了）")


NO_QUESTION = "请先问一句想找什么活，例如「有没有保洁的活」，再回复「更多」。"
SEARCHING = "正在为您查找合适的岗位，找到后马上发给您（一般不超过1分钟）。"
SEARCH_FAILED = "抱歉，刚才没能查到岗位，请过几分钟再问一次。"


def seeker_note_jobs(suggestions: list[Suggestion]) -> str:
    """In the ack of a seeker note: open jobs that fit right now."""
    return "正在招的相关岗位（直接打电话问）：\n" + suggestion_lines(suggestions)


def seekers_for_employer(job_code: str, suggestions: list[Suggestion]) -> str:
    return (f"您的岗位 {job_code} 已发布。这些求职者可能合适（已隐去联系方式）：\n"
            + suggestion_lines(suggestions))


def jobs_for_seeker(seeker_code: str, suggestions: list[Suggestion], *, has_more: bool) -> str:
    return (f"您的求职信息 {seeker_code} 已审核通过并转发。这些岗位可能合适：\n" + suggestion_lines(suggestions)
            + ("\n" + MORE_HINT if has_more else ""))


def subscribed(name: str, hours: str, daily: int, *, by_template: bool = False) -> str:
    rule = ("您48小时内没有给我们发过消息时，岗位摘要会以服务通知的形式送达" if by_template
            else "按微信的规定，您48小时内给我们发过消息，我们才能推送")
    return f"已订阅「{name}」岗位。有新岗位会在 {hours} 之间推送给您，每天最多 {daily} 条。{rule}；回复「退订」停止。"


SUBSCRIBE_WHAT = "想订阅哪类岗位？请回复「订阅 工种」，例如「订阅 电焊」或「订阅 保洁」。"


def subscribe_unknown(word: str) -> str:
    return f"没有听懂「{word}」是哪类岗位。请换个常见说法，例如「订阅 电焊」「订阅 叉车」。"


def unsubscribed(names: list[str]) -> str:
    if not names:
        return "您没有订阅岗位推送，不会收到推送。"
    return f"已退订：{'、'.join(names)}。不会再给您推送岗位，想要时回复「订阅 工种」。"


def pushed_job(code: str, text: str, reasons: str) -> str:
    return f"【订阅推送】新岗位 {code}：\n{_first_line(text, 120)}\n（{reasons}）\n回复「退订」停止推送。"
