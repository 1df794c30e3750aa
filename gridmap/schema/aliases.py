"""Column names found in real ledgers (台帐) and exports, per layer where a name is layer-specific.

A name that means one thing in one layer and another elsewhere lives in that
layer's tuple only: 网格名称 names a grid, 单位名称 a social unit, so a units
ledger's 网格名称 column is not taken as the unit's name (it is kept as an
unknown column). Names common to several layers (联系电话, 楼栋编号) are shared.
All comparisons are made on stripped, lower-cased names.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------
# Field aliases shared by the layers that hold the field
GRID_ID_ALIASES = ("网格编码", "网格编号", "网格代码", "网格id", "编码", "code", "id")
GRID_NAME_ALIASES = ("网格名称", "名称", "名字")
LEADER_ALIASES = ("负责人", "网格长", "网格负责人", "责任人", "包保领导")
PHONE_ALIASES = ("联系电话", "电话", "手机", "手机号")
PARENT_ALIASES = ("上级网格", "上级网格编码", "所属网格", "parent", "parent_code")
BUILDING_REF_ALIASES = ("楼栋编号", "楼栋编码", "所属楼栋", "建筑编号")
#: A record's grid (trainings, fire teams, emergency plans).
RECORD_GRID_ALIASES = ("所属网格编码", "网格编码", "所属网格", "所在网格", "网格编号")

# ---------------------------------------------------------------------------
# Layer-specific names
UNIT_NAME_ALIASES = ("单位名称", "场所名称", "名称", "名字")
EQUIPMENT_NAME_ALIASES = ("器材点名称", "存放点名称", "名称", "名字")

# ---------------------------------------------------------------------------
# Import only

#: Columns of ledgers and CSV/Excel exports that hold coordinates (import; compared lower-cased).
#: Whether they are degrees or metres is read from the values, not the name.
COORDINATE_ALIASES: dict[str, tuple[str, ...]] = {
    "lon": (
        "lon",
        "lng",
        "long",
        "longitude",
        "经度",
        "东经",
        "x",
        "x坐标",
        "坐标x",
        "横坐标",
        "point_x",
    ),
    "lat": ("lat", "latitude", "纬度", "北纬", "y", "y坐标", "坐标y", "纵坐标", "point_y"),
}
#: Columns that name (rather than code) a grid's parent, per level, e.g. a community's 街道
#: (import; compared lower-cased).
PARENT_NAME_ALIASES: dict[str, tuple[str, ...]] = {
    "grid_medium": (
        "parent_name",
        "上级网格名称",
        "所属街道",
        "街道名称",
        "所属镇街",
        "镇街名称",
        "所属乡镇",
        "乡镇名称",
        "所属大网格",
    ),
    "grid_small": (
        "parent_name",
        "上级网格名称",
        "所属社区",
        "社区名称",
        "所属村居",
        "村居名称",
        "所属村",
        "所属中网格",
    ),
}
