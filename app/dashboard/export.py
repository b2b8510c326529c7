"""The dashboard as one CSV sheet: sections one under another, for the bureau's spreadsheets."""

from __future__ import annotations

import csv
import io

from app.csvsafe import safe_cell

# Excel opens a UTF-8 file as the local code page unless it starts with a byte-order mark.
BOM = "\ufeff"

SECTIONS = [
    ("townships", "各乡镇", [("name", "乡镇"), ("hops", "需审批转译"), ("hops_on_time", "按时处理"),
                             ("on_time_rate", "及时率"), ("village_posts", "村群计划发送"),
                             ("village_same_day", "当日发出"), ("same_day_rate", "当日送达率"),
                             ("village_confirmed", "已确认"), ("village_awaiting", "等待群主确认"),
                             ("village_missed", "未送达"),
                             ("villages", "村数"), ("villages_reached", "收到招聘的村"), ("coverage", "覆盖率")]),
    ("employers_by_month", "分月发布招聘的企业数", [("month", "月份"), ("employers", "企业数"), ("partial", "不足整月")]),
    ("staff", "人员工作量", [("township", "乡镇"), ("name", "姓名"), ("role", "岗位"), ("decisions", "处理条数"),
                             ("on_time", "按时处理"), ("approved", "通过"), ("rejected", "驳回"),
                             ("timeouts_in_township", "本乡镇超时自动通过"),
                             ("escalations_in_township", "本乡镇超时上报")]),
    ("deliveries", "投递（按渠道）", [("channel", "渠道"), ("sent", "已发送"), ("awaiting", "等待群主确认"), ("failed", "失败"),
                                      ("pending", "待发送"), ("cancelled", "已取消")]),
    ("delivery_errors", "投递失败（按错误码）", [("channel", "渠道"), ("errcode", "错误码"), ("count", "次数")]),
    ("inbound", "收到的消息（按渠道）", [("channel", "渠道"), ("count", "条数")]),
    ("rejected_callbacks", "被拒绝的回调", [("channel", "渠道"), ("code", "代码"), ("reason", "原因"), ("count", "次数")]),
    ("api_calls", "接口调用（按错误码）", [("api", "接口"), ("errcode", "错误码"), ("count", "次数")]),
]


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, float):
        return round(value, 4)
    return safe_cell(value)


def to_csv(metrics: dict) -> str:
    """Headline figures (with their definitions), then one block per table."""
    out = io.StringIO()
    out.write(BOM)
    sheet = csv.writer(out)
    period = metrics["period"]
    sheet.writerow([_cell(v) for v in ("统计期间", period["from"], period["to"], period["timezone"])])
    sheet.writerow([])
    sheet.writerow(["指标", "数值", "分子", "分母", "说明", "参照", "定义"])
    for head in metrics["headline"]:
        sheet.writerow([_cell(head["label"]), _cell(head["value"]), _cell(head["numerator"]),
                        _cell(head["denominator"]), _cell(head["note"]), _cell(head["baseline"]),
                        _cell(head["definition"])])
    for key, title, columns in SECTIONS:
        sheet.writerow([])
        sheet.writerow([title])
        sheet.writerow([label for _, label in columns])
        for row in metrics[key]:
            sheet.writerow([_cell(row.get(name)) for name, _ in columns])
    return out.getvalue()
