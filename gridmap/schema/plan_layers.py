"""The rest of the plan's system: trainings, fire teams, emergency plans, drills, meetings.

All optional; records without a place are attribute tables.
"""

from __future__ import annotations

from gridmap.schema.aliases import RECORD_GRID_ALIASES
from gridmap.schema.enums import (
    FIRE_TEAM_KIND_CHOICES,
    TRAINING_KIND_CHOICES,
    TRAINING_TARGET_CHOICES,
)
from gridmap.schema.fields import POINT, Field, LayerSpec
from gridmap.schema.layers import PHONE_FIELD

_RECORD_GRID = Field(
    "grid_id",
    "id",
    "所属网格编码",
    "grid code",
    required=True,
    aliases=RECORD_GRID_ALIASES,
)


def _count(name: str, zh: str, en: str, *aliases: str) -> Field:
    return Field(name, "int", zh, en, aliases=(zh, *aliases))


TRAININGS = LayerSpec(
    "trainings",
    "宣传培训记录",
    "publicity and training ledger",
    "training_id",
    (
        Field(
            "training_id",
            "id",
            "登记编号",
            "training id",
            required=True,
            aliases=("登记编号", "培训编号", "记录编号", "编号"),
        ),
        Field(
            "date",
            "datetime",
            "日期",
            "date",
            required=True,
            aliases=("日期", "活动日期", "培训日期", "宣传日期", "培训时间", "时间"),
        ),
        _RECORD_GRID,
        Field(
            "kind",
            "text",
            "活动类型",
            "kind",
            required=True,
            labels=TRAINING_KIND_CHOICES,
            aliases=("活动类型", "培训类型", "类型", "形式"),
        ),
        Field(
            "target",
            "text",
            "宣传对象（五进）",
            "target (five into)",
            labels=TRAINING_TARGET_CHOICES,
            aliases=("宣传对象", "培训对象", "五进对象", "对象"),
        ),
        _count("participants", "参加人数", "participants", "参训人数", "受教育人数", "人数"),
        Field("note", "text", "内容", "note", aliases=("内容", "主题", "备注", "说明")),
    ),
    POINT,
    geometry_optional=True,
    aliases=("宣传培训", "宣传培训工作情况登记", "培训台帐", "培训记录", "training"),
)
FIRE_TEAMS = LayerSpec(
    "fire_teams",
    "多种形式消防队伍",
    "multi-form fire teams",
    "team_id",
    (
        Field(
            "team_id",
            "id",
            "队伍编号",
            "team id",
            required=True,
            aliases=("队伍编号", "消防队编号", "编号"),
        ),
        Field(
            "name", "text", "队伍名称", "name", required=True, aliases=("队伍名称", "队名", "名称")
        ),
        Field(
            "kind",
            "text",
            "队伍类型",
            "kind",
            required=True,
            labels=FIRE_TEAM_KIND_CHOICES,
            aliases=("队伍类型", "类型", "类别"),
        ),
        Field(
            "grid_id",
            "id",
            "所属网格编码",
            "grid code",
            aliases=_RECORD_GRID.aliases,
        ),
        _count("members", "队员人数", "members", "队员数", "人数"),
        Field("leader", "text", "队长", "team leader", aliases=("队长", "负责人"), personal=True),
        PHONE_FIELD,
        Field(
            "equipment",
            "text",
            "装备情况",
            "equipment note",
            aliases=("装备情况", "器材装备", "配备器材", "装备"),
        ),
    ),
    POINT,
    aliases=("消防队伍", "多种形式消防队伍", "fire_team"),
)
EMERGENCY_PLANS = LayerSpec(
    "emergency_plans",
    "应急处置预案",
    "emergency plans",
    "plan_id",
    (
        Field("plan_id", "id", "预案编号", "plan id", required=True, aliases=("预案编号", "编号")),
        _RECORD_GRID,
        Field(
            "title",
            "text",
            "预案名称",
            "title",
            required=True,
            aliases=("预案名称", "名称", "标题"),
        ),
        Field(
            "approved_at",
            "datetime",
            "批准日期",
            "approved at",
            aliases=("批准日期", "审批日期", "发布日期", "制定日期"),
        ),
        Field(
            "last_drill_at",
            "datetime",
            "最近演练日期",
            "last drill at",
            aliases=("最近演练日期", "最近演练时间", "上次演练日期"),
        ),
    ),
    None,
    geometry_optional=True,
    aliases=("应急预案", "应急处置预案", "预案", "emergency_plan"),
)
DRILLS = LayerSpec(
    "drills",
    "应急演练记录",
    "drills",
    "drill_id",
    (
        Field(
            "drill_id", "id", "演练编号", "drill id", required=True, aliases=("演练编号", "编号")
        ),
        Field(
            "plan_id",
            "id",
            "预案编号",
            "plan id",
            required=True,
            aliases=("预案编号", "所属预案", "演练预案"),
        ),
        Field(
            "date",
            "datetime",
            "演练日期",
            "date",
            required=True,
            aliases=("演练日期", "演练时间", "日期", "时间"),
        ),
        _count("participants", "参演人数", "participants", "参加人数", "人数"),
        Field("note", "text", "演练内容", "note", aliases=("演练内容", "内容", "备注", "说明")),
    ),
    None,
    geometry_optional=True,
    aliases=("演练", "应急演练", "演练记录", "drill"),
)
MEETINGS = LayerSpec(
    "meetings",
    "联席会议记录",
    "joint meetings",
    "meeting_id",
    (
        Field(
            "meeting_id",
            "id",
            "会议编号",
            "meeting id",
            required=True,
            aliases=("会议编号", "编号"),
        ),
        Field(
            "large_id",
            "id",
            "大网格编码（镇/街道）",
            "large grid code (town)",
            required=True,
            aliases=("大网格编码", "镇街编码", "所属镇街", "所属网格", "网格编码"),
        ),
        Field(
            "date",
            "datetime",
            "会议日期",
            "date",
            required=True,
            aliases=("会议日期", "会议时间", "日期", "时间"),
        ),
        _count("attendees", "参会人数", "attendees", "到会人数", "人数"),
        Field("topics", "text", "议题", "topics", aliases=("议题", "会议议题", "会议内容", "内容")),
    ),
    None,
    geometry_optional=True,
    aliases=("联席会议", "联席会议记录", "会议记录", "meeting"),
)
