"""The one translation table of the user interface: Chinese by default, English on request.

Every text the app and the web map show comes from here. Layer, field and
enumeration labels are not repeated: they come from `gridmap.schema` through
`layer_label`, `field_label` and `choice_label`.

>>> t("kpi.errors")
'错误问题'
>>> t("kpi.errors", "en")
'Error findings'
>>> t("upload.help", "en", mb=200)
'GeoPackage (.gpkg), at most 200 MB.'
>>> layer_label("grid_small", "en")
'small grid (responsibility zone)'
>>> choice_label("small_venue"), choice_label("small_venue", "en")
('九小场所', 'nine small venues')
"""

from __future__ import annotations

from typing import Literal

from gridmap.schema import CHOICE_LABELS_ZH, LAYERS

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"
#: How each language names itself in the language switch.
LANG_NAMES = {"zh": "中文", "en": "English"}

#: key -> (Chinese, English). Placeholders use str.format names.
TEXT: dict[str, tuple[str, str]] = {
    # app shell
    "app.title": ("消防安全网格化管理", "Fire-safety grid management"),
    "page.coverage_map": ("一张图", "Coverage map"),
    "sidebar.language": ("语言 / Language", "语言 / Language"),
    "sidebar.data": ("数据", "Data"),
    "sidebar.basemap": ("底图", "Basemap"),
    "source.label": ("数据来源", "Data source"),
    "source.sample": ("示例辖区（上街区）", "Sample district (Shangjie)"),
    "source.upload": ("上传 GeoPackage", "Upload a GeoPackage"),
    "source.path": ("按路径打开", "Open by path"),
    "upload.label": ("选择辖区 GeoPackage 文件", "Choose a district GeoPackage"),
    "upload.help": ("GeoPackage (.gpkg)，不超过 {mb} MB。", "GeoPackage (.gpkg), at most {mb} MB."),
    "upload.none": ("请先上传一个 GeoPackage 文件。", "Upload a GeoPackage file first."),
    "path.label": ("GeoPackage 文件路径", "Path of a GeoPackage file"),
    "path.open": ("打开", "Open"),
    "path.none": ("请输入文件路径并点击“打开”。", "Enter a file path and press Open."),
    "sample.missing": (
        "示例数据 {path} 不存在。请先运行：gridmap demo {path}",
        "The sample {path} does not exist. Create it with: gridmap demo {path}",
    ),
    "loading": ("正在加载并检查数据…", "Loading and checking the data…"),
    "load.error": ("无法打开数据：", "The data cannot be opened:"),
    "load.problems": ("加载时发现 {n} 个提示", "{n} notes found while loading"),
    "loaded": ("已加载：{name}", "Loaded: {name}"),
    # basemaps
    "tiles.none": ("无底图（离线）", "No basemap (offline)"),
    "tiles.osm": ("OpenStreetMap", "OpenStreetMap"),
    "tiles.tianditu_vec": ("天地图 矢量", "Tianditu vector"),
    "tiles.tianditu_img": ("天地图 影像", "Tianditu imagery"),
    "tiles.gaode": ("高德地图（GCJ-02）", "Gaode (GCJ-02)"),
    "tiles.key": ("天地图密钥 (tk)", "Tianditu key (tk)"),
    "tiles.key_missing": (
        "请填写天地图密钥，否则底图不显示。",
        "Enter a Tianditu key, or the basemap will stay empty.",
    ),
    "tiles.gcj02_shift": (
        "高德底图使用 GCJ-02 坐标：地图上的数据已平移到 GCJ-02 以对齐底图；数据本身不变。",
        "Gaode tiles use GCJ-02: the data is shifted onto GCJ-02 on the map to "
        "line up with them; the data itself is unchanged.",
    ),
    "tiles.online": (
        "所选底图需要互联网；内网请选择“无底图”。",
        "This basemap needs the internet; on an intranet choose 'No basemap'.",
    ),
    "assets.missing": (
        "离线地图组件未安装，地图将从互联网加载 Leaflet。请运行：{command}",
        "The offline map assets are not installed, so the map loads Leaflet from the "
        "internet. Install them with: {command}",
    ),
    # selection
    "sel.all": ("全部", "All"),
    "sel.large": ("大网格（镇/街道）", "Large grid (town / subdistrict)"),
    "sel.medium": ("中网格（社区/村）", "Medium grid (community / village)"),
    "sel.small": ("小网格（责任片区）", "Small grid (responsibility zone)"),
    "sel.district": ("全辖区", "Whole district"),
    "sel.hint": ("在地图上点击网格可逐级选中。", "Click a grid on the map to select it."),
    # KPIs
    "kpi.grids": ("网格 大/中/小", "Grids large/medium/small"),
    "kpi.buildings": ("楼栋覆盖率", "Buildings covered"),
    "kpi.households": ("住户覆盖率", "Households covered"),
    "kpi.units": ("单位覆盖率", "Units covered"),
    "kpi.errors": ("错误问题", "Error findings"),
    "kpi.no_leader": ("无负责人网格", "Grids without leader"),
    "kpi.of": ("{covered} / {total}", "{covered} of {total}"),
    # choropleth
    "choro.label": ("专题图（按小网格着色）", "Choropleth (colour small grids by)"),
    "choro.none": ("不着色", "None"),
    "choro.households": ("每片区住户数", "Households per zone"),
    "choro.units": ("每片区单位数", "Units per zone"),
    "choro.findings": ("每片区问题数", "Findings per zone"),
    # side panel
    "panel.leader": ("负责人", "Leader"),
    "panel.phone": ("联系电话", "Phone"),
    "panel.none": ("（未填写）", "(not given)"),
    "panel.counts": ("数量", "Counts"),
    "panel.buildings": ("楼栋", "Buildings"),
    "panel.households": ("住户", "Households"),
    "panel.units": ("社会单位", "Social units"),
    "panel.equipment": ("器材存放点", "Equipment points"),
    "panel.findings": ("覆盖问题", "Coverage findings"),
    "panel.no_findings": ("未发现问题。", "No findings."),
    "panel.children": ("下级网格", "Grids below"),
    "panel.large_grids": ("大网格及负责人", "Large grids and leaders"),
    "panel.more": ("另有 {n} 条未显示", "{n} more not shown"),
    "col.id": ("编码", "Code"),
    "col.name": ("名称", "Name"),
    "col.check": ("问题", "Check"),
    "col.severity": ("级别", "Severity"),
    "col.ids": ("对象", "Objects"),
    "col.area": ("面积 (m²)", "Area (m²)"),
    "col.message": ("说明", "Message"),
    "col.count": ("数量", "Count"),
    "severity.error": ("错误", "error"),
    "severity.warning": ("警告", "warning"),
    # map
    "map.layers.labels": ("网格名称", "Grid names"),
    "map.layers.buildings": ("楼栋", "Buildings"),
    "map.layers.buildings_agg": ("楼栋（聚合）", "Buildings (aggregated)"),
    "map.layers.households": ("住户密度", "Household density"),
    "map.layers.equipment": ("器材存放点", "Equipment points"),
    "map.layers.findings": ("覆盖问题", "Coverage findings"),
    "map.layers.warnings": ("提示（警告）", "Warnings"),
    "map.layers.selection": ("当前选择", "Selection"),
    "map.layers.choropleth": ("专题图：{name}", "Choropleth: {name}"),
    "map.legend.title": ("图例", "Legend"),
    "map.legend.gap": ("空白/重叠（红色斜线）", "Gap / overlap (red hatch)"),
    "map.legend.missed": ("漏管楼栋/单位", "Missed building / unit"),
    "map.legend.warning": ("警告", "Warning"),
    "map.count": ("{n} 个", "{n}"),
    "map.aggregated": ("此处聚合了 {n} 个", "{n} aggregated here"),
    "map.no_data": ("无数据", "no data"),
    "map.offline_note": ("数据未显示？", "Data not shown?"),
}


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """Return the text for `key` in `lang`, with ``{name}`` placeholders filled."""
    try:
        zh, en = TEXT[key]
    except KeyError:
        raise KeyError(f"no translation for {key!r}; add it to gridmap.i18n.TEXT") from None
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def layer_label(layer: str, lang: str = DEFAULT_LANG) -> str:
    """The schema's label of a layer."""
    spec = LAYERS[layer]
    return spec.en if lang == "en" else spec.zh


def field_label(layer: str, field: str, lang: str = DEFAULT_LANG) -> str:
    """The schema's label of a field of a layer."""
    spec = LAYERS[layer].field(field)
    return spec.en if lang == "en" else spec.zh


#: English labels of enumerated values where the code itself does not read well.
_CHOICE_LABELS_EN = {
    "key": "key units",
    "general": "general",
    "small_venue": "nine small venues",
    "street_shop": "street shops",
    "family_workshop": "family workshops",
}


def choice_label(value: str, lang: str = DEFAULT_LANG) -> str:
    """Label of an enumerated value (a unit category, a building use...)."""
    if lang == "en":
        return _CHOICE_LABELS_EN.get(value, value.replace("_", " "))
    return CHOICE_LABELS_ZH.get(value, value)


def check_label(
    check: str, checks: dict[str, tuple[str, str, str]], lang: str = DEFAULT_LANG
) -> str:
    """Label of a coverage check from the analysis' ``CHECKS`` table."""
    entry = checks.get(check)
    if entry is None:
        return check
    return entry[2] if lang == "en" else entry[1]
