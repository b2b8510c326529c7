"""What the page says: each figure's name, its definition and the seed system's baseline (Chinese).

Definitions travel with the numbers (in the JSON and the CSV), so a figure is never read
without the rule that produced it.
"""

from __future__ import annotations

NO_DATA = "暂无数据"
NOT_RECORDED = "暂无数据（尚未记录）"

# key: (label, unit, definition, seed-system baseline from DESIGN.md or "")
HEADLINES: dict[str, tuple[str, str, str, str]] = {
    "township_on_time": (
        "乡镇30分钟转译及时率", "rate",
        "期内到达乡镇、需信息管家审批的转译（上行求职、下行招聘和政策）中，由管家或备岗管家本人在时限内"
        "（默认30分钟，按乡镇设置）通过或驳回的比例。超时自动通过和超时未处理的都算不及时；"
        "仍在时限内等待处理的不计入。",
        ""),
    "village_same_day": (
        "村级信息当日送达率", "rate",
        "期内计划发往村群众求职群的信息中，在计划发送的当天（本地时间）确实发进群里的比例：客户群要群主在"
        "「群发助手」确认发送、并经企业微信回查为已发送，普通微信群要专员转发后点「已转发」；只转给某个人的"
        "不算送达。服务时间外到达的信息计划在下一次开放时发出；当天尚未结束且未确认的（等待群主确认）不计入，"
        "已取消的不计入。卡片下方并列已确认、等待群主确认、未送达三个数。",
        ""),
    "village_coverage": (
        "村级岗位信息覆盖率", "rate",
        "全部村（社区）中，期内其群众求职群至少收到一条招聘信息（已确认发进群里）的村所占比例；"
        "没有群众求职群的村算未覆盖。",
        "种子系统：42% → 84.6%"),
    "jobs_posted": ("招聘信息数", "count", "期内提交的招聘信息条数（含待审核和被驳回的）。", ""),
    "seeker_notes": ("求职信息数", "count", "期内提交的求职信息条数（含等待村级人员核对的）。", ""),
    "policies": ("政策通知数", "count", "期内区级信息员发布的政策通知条数。", ""),
    "employers_posting": (
        "发布招聘的企业数", "count",
        "期内至少提交一条招聘信息的企业数：关联了认证企业的按企业计，其余按发布人计；区级信息员代发的不计。"
        "期间跨月时，每月的数字见分月表。",
        "种子系统：每月 40 → 120 家"),
    "certified_enterprises": (
        "已认证企业数", "count", "目前处于“已认证”状态、且在期末之前通过认证的企业数（存量，不随期间起点变化）。", ""),
    "recruitment_cycle_days": (
        "招聘周期（中位数）", "days",
        "期内结束招聘（标记招满）的岗位，从发布到招满所用天数的中位数；撤回的岗位不计。",
        "种子系统：23.5 → 9.2 天"),
    "hire_cycle_days": (
        "招聘周期（发布→录用，中位数）", "days",
        "期内有首次录用（求职者本人已确认）的岗位，从岗位发布到首次录用确认所用天数的中位数。",
        "种子系统：23.5 → 9.2 天"),
    "first_contact_hours": (
        "首次联系用时（中位数，小时）", "count",
        "期内首次被企业联系上（本人同意后把电话交给企业）的求职信息，从登记到这次同意所用小时数的中位数。", ""),
    "placements": (
        "就业人数", "count",
        "期内经本平台对接、企业报告录用且求职者本人回复确认的人次（企业报“已录用”后由本人回复1确认）。",
        "种子系统：2,400 人"),
    "satisfaction": (
        "满意度", "rate",
        "期内收到的满意度回答（录用7天后、岗位招满时向双方各问一次）中，回答“满意”或4-5分的比例；"
        "“一般”记3分，“不满意”记1分。",
        "种子系统：92.2%"),
    "training_conversion": (
        "培训转化就业率", "rate",
        "期内结业的培训班学员中，结业后90天内经本平台录用（本人确认）的比例；结业未满90天且尚未录用的学员"
        "也计入分母，所以刚结业的班数字偏低。",
        "种子系统：21.3% → 54.2%"),
    "staff_training_sessions": ("人社微课堂场次", "count", "面向各级人员的培训场次（每年至少2场）。系统尚未记录。", ""),
}

# Figures nothing in the system records yet: shown as such, never estimated.
NOT_RECORDED_KEYS = ("staff_training_sessions",)

ROLE_NAMES = {"township_steward": "信息管家", "backup_steward": "备岗管家"}
