"""The district layers: grids, buildings and households, units, equipment, inspections, hazards.

One `LayerSpec` per layer, its fields in the order they are documented
(``docs/schema.md``) and written. The plan's record ledgers (trainings, fire
teams, plans, drills, meetings) are in `gridmap.schema.plan_layers`.
"""

from __future__ import annotations

from gridmap.schema.aliases import (
    BUILDING_REF_ALIASES,
    EQUIPMENT_NAME_ALIASES,
    GRID_ID_ALIASES,
    GRID_NAME_ALIASES,
    LEADER_ALIASES,
    PARENT_ALIASES,
    PHONE_ALIASES,
    UNIT_NAME_ALIASES,
)
from gridmap.schema.enums import (
    BUILDING_USE_CHOICES,
    EQUIPMENT_STATUS_CHOICES,
    GRID_KIND_CHOICES,
    HAZARD_SEVERITY_CHOICES,
    HAZARD_STATUS_CHOICES,
    INSPECTION_RESULT_CHOICES,
    INSPECTOR_ROLE_CHOICES,
    UNIT_CATEGORY_CHOICES,
)
from gridmap.schema.fields import POINT, POLYGONAL, Field, LayerSpec

# ---------------------------------------------------------------------------
# Shared field definitions
_GRID_ID = Field(
    "grid_id",
    "id",
    "网格编码",
    "grid code",
    required=True,
    aliases=GRID_ID_ALIASES,
)
_GRID_NAME = Field("name", "text", "名称", "name", required=True, aliases=GRID_NAME_ALIASES)
_LEADER = Field(
    "leader",
    "text",
    "负责人",
    "responsible leader",
    required=True,
    aliases=LEADER_ALIASES,
    personal=True,
)
PHONE_FIELD = Field(
    "phone",
    "text",
    "联系电话",
    "phone",
    aliases=PHONE_ALIASES,
    personal=True,
)
_BUILDING_REF = Field(
    "building_id",
    "id",
    "楼栋编号",
    "building id",
    aliases=BUILDING_REF_ALIASES,
)


def _parent(level_zh: str) -> Field:
    return Field(
        "parent_id",
        "id",
        f"上级网格编码（{level_zh}）",
        "parent grid code",
        required=True,
        aliases=PARENT_ALIASES,
    )


GRID_LARGE = LayerSpec(
    "grid_large",
    "大网格（镇/街道）",
    "large grid (town / subdistrict)",
    "grid_id",
    (_GRID_ID, _GRID_NAME, _LEADER, PHONE_FIELD),
    POLYGONAL,
    required=True,
    aliases=("大网格", "镇街", "街道", "large_grids"),
)
GRID_MEDIUM = LayerSpec(
    "grid_medium",
    "中网格（社区/行政村）",
    "medium grid (community / administrative village)",
    "grid_id",
    (
        _GRID_ID,
        _parent("大网格"),
        _GRID_NAME,
        Field(
            "kind",
            "text",
            "类型（社区/行政村）",
            "kind (community | village)",
            required=True,
            labels=GRID_KIND_CHOICES,
            aliases=("类型", "网格类型"),
        ),
        _LEADER,
        PHONE_FIELD,
    ),
    POLYGONAL,
    required=True,
    aliases=("中网格", "社区", "村居", "medium_grids"),
)
GRID_SMALL = LayerSpec(
    "grid_small",
    "小网格（责任片区）",
    "small grid (responsibility zone)",
    "grid_id",
    (
        _GRID_ID,
        _parent("中网格"),
        _GRID_NAME,
        _LEADER,
        PHONE_FIELD,
        Field(
            "members",
            "text",
            "网格成员",
            "members",
            aliases=("网格员", "网格成员", "成员"),
            personal=True,
        ),
    ),
    POLYGONAL,
    required=True,
    aliases=("小网格", "责任片区", "片区", "small_grids"),
)
BUILDINGS = LayerSpec(
    "buildings",
    "楼栋",
    "buildings",
    "building_id",
    (
        Field(
            "building_id",
            "id",
            "楼栋编号",
            "building id",
            required=True,
            aliases=("楼栋编号", "楼栋编码", "建筑编号", "编号"),
        ),
        Field(
            "use",
            "text",
            "用途",
            "use",
            required=True,
            labels=BUILDING_USE_CHOICES,
            aliases=("用途", "建筑用途", "使用性质"),
        ),
        Field("address", "text", "地址", "address", aliases=("地址", "门牌地址", "楼栋地址")),
        Field("floors", "int", "层数", "floors", aliases=("层数", "楼层数", "地上层数")),
        Field(
            "households_expected",
            "int",
            "应有户数",
            "expected households",
            aliases=("应有户数", "户数", "住户数"),
        ),
    ),
    ("Polygon", "MultiPolygon", "Point"),
    aliases=("楼栋", "建筑", "building"),
)
HOUSEHOLDS = LayerSpec(
    "households",
    "住户",
    "households",
    "household_id",
    (
        Field(
            "household_id",
            "id",
            "住户编号",
            "household id",
            required=True,
            aliases=("住户编号", "户编号", "户号"),
        ),
        Field(
            "building_id",
            "id",
            "所属楼栋编号",
            "building id",
            required=True,
            aliases=_BUILDING_REF.aliases,
        ),
        Field("members", "int", "人口数", "members", aliases=("人口数", "人数", "家庭人口")),
        Field(
            "head", "text", "户主", "head of household", aliases=("户主", "户主姓名"), personal=True
        ),
        PHONE_FIELD,
    ),
    POINT,
    geometry_optional=True,
    aliases=("住户", "户籍", "household"),
)
UNITS = LayerSpec(
    "units",
    "社会单位",
    "social units",
    "unit_id",
    (
        Field(
            "unit_id",
            "id",
            "单位编号",
            "unit id",
            required=True,
            aliases=("单位编号", "单位编码", "统一社会信用代码"),
        ),
        Field("name", "text", "名称", "name", required=True, aliases=UNIT_NAME_ALIASES),
        Field(
            "category",
            "text",
            "单位类别",
            "category",
            required=True,
            labels=UNIT_CATEGORY_CHOICES,
            aliases=("单位类别", "类别", "场所类型"),
        ),
        Field(
            "manager",
            "text",
            "消防安全责任人",
            "fire-safety manager",
            aliases=("责任人", "消防安全责任人", "负责人"),
            personal=True,
        ),
        PHONE_FIELD,
        _BUILDING_REF,
    ),
    POINT,
    aliases=("社会单位", "单位", "unit"),
)
EQUIPMENT_POINTS = LayerSpec(
    "equipment_points",
    "消防器材存放点",
    "equipment storage points",
    "point_id",
    (
        Field(
            "point_id",
            "id",
            "器材点编号",
            "point id",
            required=True,
            aliases=("器材点编号", "存放点编号", "编号"),
        ),
        Field("name", "text", "名称", "name", required=True, aliases=EQUIPMENT_NAME_ALIASES),
        Field("grid_id", "id", "所在网格编码", "grid code", aliases=("所在网格", "网格编码")),
        Field("is_pilot", "bool", "试点社区", "pilot community", aliases=("试点", "是否试点")),
        Field("extinguishers", "int", "灭火器（具）", "fire extinguishers", aliases=("灭火器",)),
        Field("gas_masks", "int", "防毒面具（个）", "gas masks", aliases=("防毒面具",)),
        Field("water_guns", "int", "水枪（支）", "water guns", aliases=("水枪",)),
        Field("hoses", "int", "水带及接口（盘）", "hose reels with couplings", aliases=("水带",)),
        Field("wrenches", "int", "消防扳手（把）", "fire wrenches", aliases=("消防扳手", "扳手")),
        Field("boxes", "int", "器材箱（个）", "equipment boxes", aliases=("器材箱",)),
        Field("mist_units", "int", "细水雾灭火装置（台）", "water-mist units", aliases=("细水雾",)),
        Field("signage", "int", "标识牌（块）", "signs", aliases=("标识牌", "标牌")),
        Field(
            "status",
            "text",
            "状态（已建/规划）",
            "status (existing | planned)",
            labels=EQUIPMENT_STATUS_CHOICES,
            aliases=("状态", "建设状态"),
        ),
    ),
    POINT,
    aliases=("器材点", "消防器材点", "equipment"),
)
INSPECTIONS = LayerSpec(
    "inspections",
    "巡查记录",
    "inspections",
    "inspection_id",
    (
        Field(
            "inspection_id",
            "id",
            "巡查编号",
            "inspection id",
            required=True,
            aliases=("巡查编号", "记录编号"),
        ),
        Field(
            "inspected_at",
            "datetime",
            "巡查时间",
            "inspected at",
            required=True,
            aliases=("巡查时间", "检查时间", "时间"),
        ),
        Field(
            "inspector_role",
            "text",
            "巡查人员类别",
            "inspector role",
            required=True,
            labels=INSPECTOR_ROLE_CHOICES,
            aliases=("巡查人员类别", "人员类别", "角色"),
        ),
        Field(
            "inspector", "text", "巡查人", "inspector", aliases=("巡查人", "检查人"), personal=True
        ),
        Field("target_id", "id", "巡查对象编号", "target id", aliases=("巡查对象", "对象编号")),
        Field(
            "result",
            "text",
            "巡查结果",
            "result",
            labels=INSPECTION_RESULT_CHOICES,
            aliases=("巡查结果", "结果"),
        ),
        Field("note", "text", "备注", "note", aliases=("备注", "说明")),
    ),
    POINT,
    aliases=("巡查记录", "巡查", "inspection"),
)
HAZARDS = LayerSpec(
    "hazards",
    "火灾隐患",
    "fire hazards",
    "hazard_id",
    (
        Field("hazard_id", "id", "隐患编号", "hazard id", required=True, aliases=("隐患编号",)),
        Field(
            "found_at",
            "datetime",
            "发现时间",
            "found at",
            required=True,
            aliases=("发现时间", "发现日期"),
        ),
        Field(
            "severity",
            "text",
            "隐患等级",
            "severity",
            required=True,
            labels=HAZARD_SEVERITY_CHOICES,
            aliases=("隐患等级", "等级"),
        ),
        Field(
            "status",
            "text",
            "处理状态",
            "status",
            required=True,
            labels=HAZARD_STATUS_CHOICES,
            aliases=("处理状态", "状态"),
        ),
        Field("deadline", "datetime", "整改期限", "deadline", aliases=("整改期限", "期限")),
        Field(
            "rectified_at",
            "datetime",
            "整改完成时间",
            "rectified at",
            aliases=("整改完成时间", "整改时间"),
        ),
        Field("unit_id", "id", "单位编号", "unit id", aliases=("单位编号",)),
        Field(
            "description", "text", "隐患描述", "description", aliases=("隐患描述", "描述", "内容")
        ),
    ),
    POINT,
    aliases=("火灾隐患", "隐患", "hazard"),
)
# ---------------------------------------------------------------------------
