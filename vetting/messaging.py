"""What vetting says to employers, officers and residents (Simplified Chinese, short)."""

from __future__ import annotations

PROMPTS = {
    "name": "请发送企业名称（营业执照上的全称）。",
    "credit_code": "请发送18位统一社会信用代码（营业执照左上角）。",
    "legal_rep": "请发送法定代表人姓名。",
    "address": "请发送企业地址（写到门牌号）。",
    "industry": "请发送所属行业，例如“食品制造”“物流仓储”“劳务派遣”。",
    "hr_licence": "贵单位从事劳务派遣/人力资源服务，请发送《劳务派遣经营许可证》或《人力资源服务许可证》编号。",
    "contact_name": "请发送招聘联系人姓名。",
    "contact_phone": "请发送招聘联系人电话（发布岗位时将核对这个号码）。",
    "photo": "最后一步：请发送营业执照照片（直接发图片）。",
}
FIELD_LABELS = {
    "name": "企业名称", "credit_code": "信用代码", "legal_rep": "法定代表人", "address": "地址", "industry": "行业",
    "hr_licence": "许可证编号", "contact_name": "联系人", "contact_phone": "联系电话", "photo": "执照照片",
}
START = "欢迎办理企业注册认证（三审：执照初审、用工资质核验、岗位真实性复核）。随时回复“取消认证”可退出，回复“企业认证”可接着填。\n"
CANCELLED = "已取消企业认证。需要时再回复“企业认证”。"
NOT_FOR_RESIDENTS = "您已登记为求职群众，不能办理企业认证。企业招聘请由企业联系人用自己的微信号回复“企业认证”。"
NOT_FOR_STAFF = "工作人员账号不能办理企业认证；请企业联系人用自己的微信号办理。"
NOT_ALLOWED = "您无权处理这条审核。"
NOT_FOUND = "没有找到这家企业或岗位，请核对编号。"
REJECT_NEEDS_REASON = "驳回请写明原因，例如：驳回 E12 执照照片不清晰"
NOT_CERTIFIED_POST = "贵单位尚未通过企业认证，岗位暂不能发布。请回复“企业认证”完成注册认证，认证通过后即可发布。"
SUSPENDED_POST = "贵单位的企业认证已被暂停，暂不能发布岗位。如有疑问请联系区人社局信息员。"
RESIDENT_REPORT_THANKS = "已收到您对{code}的举报，工作人员会尽快核实，谢谢！"
REPORT_ALREADY = "您已经举报过{code}，工作人员正在核实。"
REPORT_NEEDS_REASON = "举报请写明原因，例如：举报 J12 要交押金"


def resume(answers_summary: str, prompt: str) -> str:
    return f"继续您上次的企业认证。已填写：{answers_summary or '无'}\n{prompt}"


def got(label: str, value: str, prompt: str) -> str:
    return f"已记下{label}：{value}\n{prompt}"


def correction(text: str) -> str:
    return f"这一项需要改一下：{text}"


def submitted(code: str) -> str:
    return f"资料已提交，编号{code}。区人社局将进行营业执照初审和用工资质核验，结果会发消息告诉您。"


def status_reply(code: str, label: str, reason: str = "") -> str:
    return f"贵单位（{code}）认证状态：{label}" + (f"，原因：{reason}" if reason else "") + "。"


def rejected(code: str, stage: str, reason: str, resubmit: bool) -> str:
    again = "请重新发送营业执照照片，或回复“企业认证”修改资料后重新提交。" if resubmit else "如有疑问请联系区人社局信息员。"
    return f"很抱歉，贵单位（{code}）{stage}未通过，原因：{reason}。{again}"


def certified(name: str, group: str) -> str:
    return (
        f"恭喜！{name}已通过企业认证，现在就可以发布岗位" + (f"，并已加入「{group}」" if group else "") + "。\n"
        "发布时按这个格式发一条消息即可：\n"
        "招聘 岗位名称 人数 工资 工作地点 联系人 电话\n"
        "例如：招聘叉车工2名 月薪6000-7000 地点中牟汽车产业园 联系人王经理 13800000000\n"
        "请勿收取押金或费用，不得有性别、民族、地域、婚育等歧视性要求。"
    )


def join_info(group: str, officer: str) -> str:
    return f"「{group}」是企业微信内部群，请联系区人社局信息员{officer}用企业微信邀请您入群；入群前您发的岗位同样会即时发布。"


def post_submitted(code: str, summary: str) -> str:
    """Not "published": a job reaches residents only when a township steward approves it."""
    return f"已提交，等待审核，编号{code}。乡镇审核通过后会发到各村的群，发布时会通知您。将这样发布：\n{summary}"


def post_held(code: str, reasons: str) -> str:
    return f"收到您的岗位，编号{code}。内容需要区人社局复核（{reasons}），复核通过后会马上发布，请留意消息。"


def post_decided(code: str, approved: bool, reason: str = "") -> str:
    if approved:
        return f"您的岗位{code}已通过区级复核，正在等待乡镇审核，发布时会通知您。"
    return f"您的岗位{code}复核未通过：{reason}。"


def withdrawn_notice(code: str, reason: str) -> str:
    return f"【岗位撤回】{code}已下架（{reason}），请勿再联系报名。"


def suspended(name: str, reason: str) -> str:
    return f"{name}的企业认证已暂停（{reason}），在此期间不能发布岗位，已发布的岗位已撤回。"


def reinstated(name: str) -> str:
    return f"{name}的企业认证已恢复，可以继续发布岗位。"


# Review 3 states of a post as officers read them (PostReview.status; never shown raw).
POST_STATUS_LABELS = {"published": "已发布", "held": "待复核", "reported": "被举报待复核", "rejected": "未通过",
                      "withdrawn": "已撤回"}


def post_status(status: str) -> str:
    return POST_STATUS_LABELS.get(status, "处理中")


def decided(code: str, action: str, status_label: str) -> str:
    verb = {"approve": "通过", "reject": "驳回", "suspend": "暂停", "reinstate": "恢复"}.get(action, action)
    return f"已{verb}{code}，当前状态：{status_label}。"


def already_handled(code: str, status_label: str) -> str:
    return f"{code}的这一步已由他人处理，当前状态：{status_label}，这次操作没有改动。"


def cannot(code: str, status_label: str) -> str:
    return f"{code}当前状态为“{status_label}”，不能这样处理。"


def blocked_by_checks(code: str, problems: list[str]) -> str:
    return f"{code}未通过自动核验，不能通过：" + "；".join(problems)
