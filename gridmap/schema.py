"""The GridMap data model: layer names, fields, enums and aliases, in one place.

Every other module asks this one what a layer is called, which fields it must
have, what type each field holds, which values an enumerated field accepts and
which column names found in real ledgers (台帐) mean the same field.
``docs/schema.md`` documents the same table for people; a test keeps the two in
step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FieldKind = Literal["id", "text", "int", "float", "bool", "datetime"]

POLYGONAL = ("Polygon", "MultiPolygon")
POINT = ("Point",)

#: Time zone in which GridMap stores and compares all dates and times.
TIMEZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class Field:
    """One attribute of a layer."""

    name: str
    kind: FieldKind
    zh: str
    en: str
    required: bool = False
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    personal: bool = False


@dataclass(frozen=True)
class LayerSpec:
    """One layer of a district GeoPackage."""

    name: str
    zh: str
    en: str
    id_field: str
    fields: tuple[Field, ...]
    geometry: tuple[str, ...] | None
    geometry_optional: bool = False
    required: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required_fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"layer {self.name!r} has no field {name!r}")

    def alias_map(self) -> dict[str, str]:
        """Map every accepted column name (lower-cased) to the canonical field name."""
        out: dict[str, str] = {}
        for f in self.fields:
            for alias in (f.name, *f.aliases):
                out[alias.strip().lower()] = f.name
        return out


# ---------------------------------------------------------------------------
# Enumerations
GRID_KINDS = ("community", "village")
BUILDING_USES = ("residential", "commercial", "industrial", "public", "mixed", "other")
UNIT_CATEGORIES = ("key", "general", "small_venue", "street_shop", "family_workshop")
INSPECTOR_ROLES = ("patrol", "community", "safety_office", "police", "unit")
INSPECTION_RESULTS = ("ok", "hazard")
HAZARD_SEVERITIES = ("general", "major")
HAZARD_STATUSES = ("open", "rectified", "transferred", "supervised")
EQUIPMENT_STATUSES = ("existing", "planned")
TRAINING_KINDS = ("publicity_day", "five_into", "unit_training", "resident_training")
#: Whom a training reached: the "five into" publicity (进社区、进学校、进企业、进农村、进家庭).
TRAINING_TARGETS = ("community", "school", "enterprise", "village", "household")
FIRE_TEAM_KINDS = ("professional", "volunteer", "patrol", "micro_station")

#: Chinese labels of enumerated values, for ledgers and the UI.
CHOICE_LABELS_ZH: dict[str, str] = {
    "community": "社区",
    "village": "行政村",
    "residential": "住宅",
    "commercial": "商业",
    "industrial": "工业",
    "public": "公共建筑",
    "mixed": "商住混合",
    "other": "其他",
    "key": "重点单位",
    "general": "一般",
    "small_venue": "九小场所",
    "street_shop": "沿街门店",
    "family_workshop": "家庭工厂",
    "patrol": "巡防队员",
    "safety_office": "安监办",
    "police": "派出所",
    "unit": "单位自查",
    "ok": "正常",
    "existing": "已建",
    "planned": "规划",
    "hazard": "发现隐患",
    "major": "重大隐患",
    "open": "待整改",
    "rectified": "已整改",
    "transferred": "已移交派出所",
    "supervised": "挂牌督办",
    "publicity_day": "消防宣传日",
    "five_into": "五进宣传",
    "unit_training": "单位培训",
    "resident_training": "居民培训",
    "school": "学校",
    "enterprise": "企业",
    "household": "家庭",
    "professional": "专职消防队",
    "volunteer": "志愿消防队",
    "micro_station": "微型消防站",
}

# ---------------------------------------------------------------------------
# Shared field definitions
_GRID_ID = Field(
    "grid_id",
    "id",
    "网格编码",
    "grid code",
    required=True,
    aliases=("网格编码", "网格编号", "网格代码", "网格id", "编码", "code", "id"),
)
_NAME = Field(
    "name", "text", "名称", "name", required=True, aliases=("网格名称", "名称", "单位名称", "名字")
)
_LEADER = Field(
    "leader",
    "text",
    "负责人",
    "responsible leader",
    required=True,
    aliases=("负责人", "网格长", "网格负责人", "责任人", "包保领导"),
    personal=True,
)
_PHONE = Field(
    "phone",
    "text",
    "联系电话",
    "phone",
    aliases=("联系电话", "电话", "手机", "手机号"),
    personal=True,
)
_BUILDING_REF = Field(
    "building_id",
    "id",
    "楼栋编号",
    "building id",
    aliases=("楼栋编号", "楼栋编码", "所属楼栋", "建筑编号"),
)


def _parent(level_zh: str) -> Field:
    return Field(
        "parent_id",
        "id",
        f"上级网格编码（{level_zh}）",
        "parent grid code",
        required=True,
        aliases=("上级网格", "上级网格编码", "所属网格", "parent", "parent_code"),
    )


GRID_LARGE = LayerSpec(
    "grid_large",
    "大网格（镇/街道）",
    "large grid (town / subdistrict)",
    "grid_id",
    (_GRID_ID, _NAME, _LEADER, _PHONE),
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
        _NAME,
        Field(
            "kind",
            "text",
            "类型（社区/行政村）",
            "kind (community | village)",
            required=True,
            choices=GRID_KINDS,
            aliases=("类型", "网格类型"),
        ),
        _LEADER,
        _PHONE,
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
        _NAME,
        _LEADER,
        _PHONE,
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
            choices=BUILDING_USES,
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
        _PHONE,
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
        _NAME,
        Field(
            "category",
            "text",
            "单位类别",
            "category",
            required=True,
            choices=UNIT_CATEGORIES,
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
        _PHONE,
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
        _NAME,
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
            choices=EQUIPMENT_STATUSES,
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
            choices=INSPECTOR_ROLES,
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
            choices=INSPECTION_RESULTS,
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
            choices=HAZARD_SEVERITIES,
            aliases=("隐患等级", "等级"),
        ),
        Field(
            "status",
            "text",
            "处理状态",
            "status",
            required=True,
            choices=HAZARD_STATUSES,
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
# The rest of the plan's system: training ledger, fire teams, emergency plans and drills,
# joint meetings (all optional; records without a place are attribute tables).
_RECORD_GRID = Field(
    "grid_id",
    "id",
    "所属网格编码",
    "grid code",
    required=True,
    aliases=("所属网格编码", "网格编码", "所属网格", "所在网格", "网格编号"),
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
            choices=TRAINING_KINDS,
            aliases=("活动类型", "培训类型", "类型", "形式"),
        ),
        Field(
            "target",
            "text",
            "宣传对象（五进）",
            "target (five into)",
            choices=TRAINING_TARGETS,
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
            choices=FIRE_TEAM_KINDS,
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
        _PHONE,
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
#: Every layer GridMap knows, in the order it is loaded, shown and documented.
LAYERS: dict[str, LayerSpec] = {
    spec.name: spec
    for spec in (
        GRID_LARGE,
        GRID_MEDIUM,
        GRID_SMALL,
        BUILDINGS,
        HOUSEHOLDS,
        UNITS,
        EQUIPMENT_POINTS,
        INSPECTIONS,
        HAZARDS,
        TRAININGS,
        FIRE_TEAMS,
        EMERGENCY_PLANS,
        DRILLS,
        MEETINGS,
    )
}
#: The optional record layers of the plan's other work items (issue 10).
PLAN_LAYERS = ("trainings", "fire_teams", "emergency_plans", "drills", "meetings")
GRID_LEVELS = ("grid_large", "grid_medium", "grid_small")
#: The parent level of each grid level that has one.
PARENT_LEVEL = {"grid_medium": "grid_large", "grid_small": "grid_medium"}

#: Columns of ledgers and CSV/Excel exports that hold coordinates (import; compared lower-cased).
#: Whether they are degrees or metres is read from the values, not the name.
COORDINATE_ALIASES: dict[str, tuple[str, ...]] = {
    "lon": (
        "lon", "lng", "long", "longitude", "经度", "东经", "x", "x坐标", "坐标x", "横坐标",
        "point_x",
    ),
    "lat": ("lat", "latitude", "纬度", "北纬", "y", "y坐标", "坐标y", "纵坐标", "point_y"),
}  # fmt: skip
#: Columns that name (rather than code) a grid's parent, per level, e.g. a community's 街道
#: (import; compared lower-cased).
PARENT_NAME_ALIASES: dict[str, tuple[str, ...]] = {
    "grid_medium": (
        "parent_name", "上级网格名称", "所属街道", "街道名称", "所属镇街", "镇街名称", "所属乡镇",
        "乡镇名称", "所属大网格",
    ),
    "grid_small": (
        "parent_name", "上级网格名称", "所属社区", "社区名称", "所属村居", "村居名称", "所属村",
        "所属中网格",
    ),
}  # fmt: skip


def layer_alias_map() -> dict[str, str]:
    """Map every accepted layer name (lower-cased) to the canonical layer name."""
    out: dict[str, str] = {}
    for spec in LAYERS.values():
        for alias in (spec.name, *spec.aliases):
            out[alias.strip().lower()] = spec.name
    return out
