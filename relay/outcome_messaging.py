"""What the outcome flows say to residents, employers and trainers (Simplified Chinese)."""

from __future__ import annotations

# -- contact with consent -------------------------------------------------------------------------


def consent_question(company: str, job: str, seeker_code: str) -> str:
    about = f"（{job}）" if job else ""
    return (f"{company}{about}想联系您，同意请回复1，不同意请回复2。"
            f"\n（关于您的求职信息 {seeker_code}；24小时内没有回复，就当您这次不方便。）")


def contact_asked(seeker_code: str) -> str:
    return f"已替您询问 {seeker_code} 本人，对方同意后会把电话发给您（最迟24小时内答复）。"


def contact_queued(seeker_code: str) -> str:
    return f"已记下您想联系 {seeker_code}，对方现在暂时收不到消息，一看到就会问TA，结果会告诉您（最迟24小时）。"


def contact_released(seeker_code: str, who: str, phone: str) -> str:
    return f"{seeker_code} 同意与您联系：{who} 电话 {phone}。请礼貌沟通，录用后回复「已录用 {seeker_code}」。"


def employer_contact_for_seeker(company: str, person: str, phone: str) -> str:
    contact = " ".join(p for p in (person, f"电话 {phone}" if phone else "") if p) or "（对方会尽快打给您）"
    return f"好的，已把您的电话告诉{company}。对方联系方式：{contact}。对方会尽快和您联系。"


def seeker_declined_ack(company: str) -> str:
    return f"好的，不把您的电话告诉{company}。祝您早日找到合适的工作！"


def contact_not_now(seeker_code: str) -> str:
    """Declined or silent: the employer is not told which, only that it did not work out."""
    return f"很抱歉，{seeker_code} 这次不方便与您联系。您可以看看其他求职信息，或发布岗位等合适的人来问。"


CONTACT_HOWTO = "想联系求职者，请回复「联系 S编号」，例如：联系 S12。"


def no_such_seeker(code: str) -> str:
    return f"没有找到求职信息 {code}，请核对编号（在群里转发的求职信息末尾，如 S12）。"


def seeker_not_open(code: str) -> str:
    return f"{code} 已撤回或不再公开，不能联系。"


def seeker_said_no(code: str) -> str:
    return f"{code} 已婉拒过贵单位的联系请求，为尊重本人意愿，不再重复打扰。"


def already_waiting(code: str) -> str:
    return f"已经在询问 {code} 了，请耐心等待对方答复（最迟24小时）。"


def already_granted(code: str) -> str:
    return f"{code} 已同意过与您联系，电话在之前发给您的消息里。"


def no_phone(code: str) -> str:
    return f"{code} 没有留电话，请联系其所在村的人社服务专员帮忙对接。"


def over_daily_limit(limit: int) -> str:
    return f"贵单位今天已发出 {limit} 次联系请求，达到每天上限，请明天再试。这次没有发出请求。"


ONLY_EMPLOYERS = "只有认证企业可以联系求职者。企业请回复「企业认证」。"
QUESTION_ANSWER_CONSENT = "请回复1（同意对方联系您）或2（不同意）。"

# -- hires --------------------------------------------------------------------------------------


def hire_question(company: str, job: str) -> str:
    about = f"（{job}）" if job else ""
    return f"{company}{about}说已经录用您了，是真的请回复1，不是请回复2。"


def hire_reported(seeker_code: str) -> str:
    return f"已记录录用 {seeker_code}，正在请本人确认。谢谢您通过本平台招聘！"


def hire_already(seeker_code: str) -> str:
    return f"已经记录过录用 {seeker_code}，无需重复。"


def hire_needs_contact(seeker_code: str) -> str:
    return f"{seeker_code} 还没有同意与贵单位联系，不能记录录用。请先回复「联系 {seeker_code}」。"


HIRE_CONFIRMED = "谢谢确认！祝您工作顺利。一周后会请您对这次找工作的服务打个分。"
HIRE_DENIED = "好的，已记下不是这样，谢谢告知。"
QUESTION_ANSWER_HIRE = "请回复1（确实被录用了）或2（没有）。"


def hire_confirmed_for_employer(seeker_code: str) -> str:
    return f"{seeker_code} 已确认录用。一周后会请您对这次招聘服务打个分。"


def filled_pick(job_code: str, seeker_codes: list[str]) -> str:
    if not seeker_codes:
        return ""
    listed = "、".join(seeker_codes)
    return f"\n通过平台联系过的求职者：{listed}。录用了谁，请回复「已录用 S编号 {job_code}」。"


# -- surveys ------------------------------------------------------------------------------------


def survey_question(reason: str, subject: str) -> str:
    head = {"hire": f"您通过本平台{subject}已经一周了。", "job_closed": f"您的岗位{subject}已招满结束。"}.get(reason, "")
    return f"{head}您对这次服务满意吗？请回复：满意 / 一般 / 不满意（或打分1-5，5分最满意）。"


SURVEY_THANKS = "谢谢您的评价！我们会继续改进。"
SURVEY_OUT_OF_RANGE = "请回复 满意、一般、不满意，或1到5之间的数字（5分最满意）。这次的回答没有记录。"

# -- training (结业即推岗) ------------------------------------------------------------------------


def class_opened(code: str, occupation: str, start: str, end: str) -> str:
    return (f"已开班 {code}：{occupation}，{start} 至 {end}。学员名单（须本人同意推荐）由管理后台导入；"
            f"签到请回复「签到 {code} 姓名 姓名」，结业请回复「结业 {code}」。")


def attendance_recorded(code: str, present: int, unknown: list[str]) -> str:
    tail = f"；名单里没有：{'、'.join(unknown)}" if unknown else ""
    return f"{code} 今天签到 {present} 人{tail}。"


def class_graduated(code: str, graduates: int, jobs_sent: int) -> str:
    return f"{code} 已结业：{graduates} 名学员的简历（已隐去隐私）已推送到企业群，{jobs_sent} 条岗位推荐已发给学员。"


def graduate_jobs(occupation: str, lines: list[str]) -> str:
    if not lines:
        return f"恭喜结业！目前暂时没有{occupation}的岗位，有了会第一时间告诉您。"
    return "恭喜结业！这些岗位正在招人：\n" + "\n".join(lines) + "\n想应聘请直接拨打岗位电话。"


def graduates_batch(occupation: str, class_code: str, profiles: list[str]) -> str:
    head = f"【结业学员】{occupation}培训班 {class_code} 结业 {len(profiles)} 人，可直接录用："
    return head + "\n" + "\n".join(profiles) + "\n想联系学员请联系区人社局就业科（注明编号）。"


NOT_A_TRAINER = "只有培训机构的老师可以开班、签到和结业。"
NO_SUCH_CLASS = "没有找到这个培训班，请核对编号（如 T3）。"
CLASS_NOT_YOURS = "这个培训班不是您开的，不能操作。"
BAD_DATES = "开班日期不对：请写成「开班 叉车工 2026-12-01 至 2026-12-20」，结束日期不能早于开始日期。"
ALREADY_GRADUATED = "这个培训班已经结业了，结业推送不会重复发送。"
NO_GRADUATES = "这个班没有同意推荐、且按时出勤的学员，未推送。"
