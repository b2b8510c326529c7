"""A table as the page, the CSV and the Excel file all show it: a Chinese title, Chinese column
labels and rows of plain values. One shape for every table, so every table can be exported."""

from __future__ import annotations

from dataclasses import dataclass, field

KIND_LABELS = {"job": "招聘", "seeker": "求职", "policy": "政策", "graduates": "高校毕业生"}
ITEM_STATUS_LABELS = {"held": "待核对", "relaying": "转发中", "done": "已结束", "rejected": "已驳回",
                      "withdrawn": "已撤回"}
HOP_STATUS_LABELS = {"pending": "待处理", "approved": "已通过", "rejected": "已驳回", "expired": "已过期"}
TIER_LABELS = {"district": "区", "township": "乡镇", "village": "村"}
POST_STATE_LABELS = {"confirmed": "已发进群", "awaiting": "等待群主确认", "missed": "未送达"}
STAFF_ROLE_LABELS = {"township_steward": "信息管家", "backup_steward": "备岗管家", "district_officer": "区级信息员",
                     "village_head": "村级专员", "hr_specialist": "人力资源专员", "volunteer": "志愿者",
                     "trainer": "培训讲师"}


@dataclass
class Table:
    name: str  # the export's file name stem (ASCII)
    title: str
    columns: list[tuple[str, str]]  # (key, Chinese label)
    rows: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"name": self.name, "title": self.title, "columns": [list(c) for c in self.columns], "rows": self.rows}
