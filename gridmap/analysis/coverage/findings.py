"""The checks of the coverage audit, each turning prepared layers into a batch of findings.

A batch is a plain DataFrame with the columns of `FINDING_COLUMNS` plus
``message_zh``; `gridmap.analysis.coverage.check` concatenates, locates and orders
them. Every builder is vectorised over features: Python only loops over the
few findings when it formats their messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from gridmap.analysis.coverage import topology
from gridmap.analysis.coverage.membership import Hierarchy, is_missing, text_ids
from gridmap.schema import GRID_LEVELS, LAYERS, PARENT_LEVEL


class CheckInfo(NamedTuple):
    """Severity and labels of one check."""

    severity: str
    zh: str
    en: str


#: Every check, in report order: name -> (severity, Chinese label, English label).
CHECKS: dict[str, CheckInfo] = {
    "invalid_geometry": CheckInfo("error", "几何图形无效", "invalid geometry"),
    "duplicate_id": CheckInfo("error", "编号重复", "duplicate id"),
    "no_leader": CheckInfo("error", "未明确负责人", "no leader"),
    "bad_parent": CheckInfo("error", "上级网格编码错误", "bad parent"),
    "outside_parent": CheckInfo("error", "超出上级网格", "outside parent"),
    "gap": CheckInfo("error", "覆盖空白（漏管区域）", "gap"),
    "overlap": CheckInfo("error", "网格重叠", "overlap"),
    "building_missed": CheckInfo("error", "漏楼（楼栋未入格）", "building missed"),
    "building_split": CheckInfo("warning", "楼栋跨网格", "building split"),
    "household_missed": CheckInfo("error", "漏户（住户未入楼）", "household missed"),
    "building_no_households": CheckInfo("warning", "住宅楼栋无住户", "building without households"),
    "unit_missed": CheckInfo("error", "单位未入格", "unit missed"),
}
FINDING_COLUMNS = (
    "check",
    "severity",
    "layer",
    "ids",
    "area_m2",
    "large_id",
    "medium_id",
    "message",
    "geometry",
)
#: Square metres below which a gap, overlap or part outside a parent is a sliver (not reported).
DEFAULT_MIN_AREA = 1.0


def obj(values: object) -> pd.Series:
    """Return a column that keeps None as None (pandas would infer a str dtype with NaN).

    Lists stay one value per row (``obj([["a", "b"], ["c"]])`` has two rows).
    """
    if isinstance(values, pd.Series):
        return values.astype(object).reset_index(drop=True)
    if isinstance(values, np.ndarray) and values.ndim == 1:
        return pd.Series(values, dtype=object)
    items = list(values)  # type: ignore[call-overload]
    arr = np.empty(len(items), dtype=object)
    arr[:] = items
    return pd.Series(arr, dtype=object)


@dataclass(frozen=True)
class LayerData:
    """One layer ready for checking: text ids, repaired geometries, lineage per row."""

    name: str
    frame: pd.DataFrame
    ids: np.ndarray
    geoms: np.ndarray | None
    original: np.ndarray | None
    repair: topology.Repair | None
    large: np.ndarray
    medium: np.ndarray
    flags: np.ndarray | None = None
    _columns: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    @property
    def shapes(self) -> np.ndarray:
        """The (repaired) geometries of a spatial layer; `TypeError` for an attribute table."""
        if self.geoms is None:
            raise TypeError(f"layer {self.name!r} has no geometry")
        return self.geoms

    @property
    def grid_flags(self) -> np.ndarray:
        """`topology.coverage_flags` of a grid layer; `TypeError` for another layer."""
        if self.flags is None:
            raise TypeError(f"layer {self.name!r} is not a grid layer")
        return self.flags

    def column(self, name: str) -> np.ndarray:
        """Text values of a column, None where blank or where the column is absent."""
        if name not in self._columns:
            self._columns[name] = (
                text_ids(self.frame[name])
                if name in self.frame.columns
                else np.full(len(self.frame), None, dtype=object)
            )
        return self._columns[name]

    def label(self, positions: np.ndarray) -> pd.Series:
        """``id`` or ``id（name）`` for rows, for messages."""
        ids = obj(self.ids[positions]).fillna("?")
        names = obj(self.column("name")[positions])
        return ids.where(names.isna(), ids + "（" + names.fillna("") + "）")


def batch(
    check: str,
    layer: str,
    ids: Iterable[object],
    *,
    message: ArrayLike,
    message_zh: ArrayLike,
    large: ArrayLike | None = None,
    medium: ArrayLike | None = None,
    area: ArrayLike = np.nan,
    geometry: ArrayLike | None = None,
) -> pd.DataFrame:
    """Assemble one check's findings; `ids` holds one id per finding or a list per finding."""
    id_lists = [list(v) if isinstance(v, list | tuple) else [v] for v in ids]
    n = len(id_lists)

    def full(value: ArrayLike | None) -> pd.Series:
        if value is None or np.ndim(value) == 0:
            return obj([value] * n)
        return obj(value)

    return pd.DataFrame(
        {
            "check": check,
            "severity": CHECKS[check].severity,
            "layer": layer,
            "ids": obj([[None if is_missing(i) else str(i) for i in v] for v in id_lists]),
            "area_m2": np.broadcast_to(np.asarray(area, dtype=float), (n,)).copy(),
            "large_id": full(large),
            "medium_id": full(medium),
            "message": full(message),
            "message_zh": full(message_zh),
            "geometry": full(geometry),
        },
        index=pd.RangeIndex(n),
    )


def fmt_area(values: np.ndarray) -> pd.Series:
    """Format areas in m² as text with thousands separators and one decimal."""
    return obj([f"{v:,.1f}" for v in values])


# ---------------------------------------------------------------------------
# Checks on any layer


def invalid_geometry(data: LayerData) -> pd.DataFrame:
    """Return the findings for the layer's geometries that were invalid and got repaired."""
    if data.repair is None or data.original is None:
        return batch("invalid_geometry", data.name, [], message="", message_zh="")
    rows = np.flatnonzero(data.repair.invalid)
    reasons = data.repair.reason[rows]
    zh = obj([topology.reason_zh(r) for r in reasons])
    return batch(
        "invalid_geometry",
        data.name,
        data.ids[rows],
        large=data.large[rows],
        medium=data.medium[rows],
        geometry=data.original[rows],
        message="invalid geometry (" + obj(reasons) + "); repaired with make_valid "
        "(polygonal parts kept) for the other checks",
        message_zh="几何图形无效（" + zh + "），已自动修复后参与其他检查",
    )


def duplicate_id(data: LayerData) -> pd.DataFrame:
    """Return one finding per id that more than one feature of the layer carries."""
    ids = pd.Series(data.ids, dtype=object)
    dup = (ids.duplicated(keep=False) & ids.notna()).to_numpy()
    rows = np.flatnonzero(dup)
    codes, uniques = pd.factorize(ids[rows])
    first = rows[np.unique(codes, return_index=True)[1]]
    counts = np.bincount(codes) if len(codes) else np.array([], dtype=int)
    geometry = None
    if data.geoms is not None and len(rows):
        geometry = topology.group_union(data.geoms[rows], codes, len(uniques))
    spec = LAYERS.get(data.name)
    where_zh = spec.zh if spec else data.name
    n = obj([str(c) for c in counts])
    return batch(
        "duplicate_id",
        data.name,
        data.ids[first],
        large=data.large[first],
        medium=data.medium[first],
        geometry=geometry,
        message="id '" + obj(data.ids[first]) + "' occurs " + n + f" times in {data.name}",
        message_zh="编号 " + obj(data.ids[first]) + f" 在{where_zh}中出现 " + n + " 次",
    )


# ---------------------------------------------------------------------------
# Checks on grid layers


def no_leader(data: LayerData) -> pd.DataFrame:
    """Return the findings for the grids of the layer with no leader (网格长)."""
    rows = np.flatnonzero(pd.isna(data.column("leader")))
    label = data.label(rows)
    return batch(
        "no_leader",
        data.name,
        data.ids[rows],
        large=data.large[rows],
        medium=data.medium[rows],
        geometry=data.shapes[rows],
        message=label + " has no leader (负责人)",
        message_zh=label + " 未明确网格负责人",
    )


def bad_parent(data: LayerData, parent: LayerData) -> pd.DataFrame:
    """Return the findings for grids whose ``parent_id`` is blank or names no grid of `parent`."""
    named = data.column("parent_id")
    blank = pd.isna(named)
    unknown = (
        ~blank
        & ~pd.Series(named, dtype=object)
        .isin(pd.Series(parent.ids, dtype=object).dropna())
        .to_numpy()
    )
    rows = np.flatnonzero(blank | unknown)
    value = obj(named[rows]).fillna("")
    is_blank = obj(blank[rows]).astype(bool)
    zh_level = LAYERS[parent.name].zh
    message = ("parent_id '" + value + f"' names no grid in {parent.name}").where(
        ~is_blank, "parent_id is blank"
    )
    message_zh = ("上级网格编码 " + value + f" 在{zh_level}中不存在").where(
        ~is_blank, "未填写上级网格编码"
    )
    return batch(
        "bad_parent",
        data.name,
        data.ids[rows],
        large=data.large[rows],
        medium=data.medium[rows],
        geometry=data.shapes[rows],
        message=message,
        message_zh=message_zh,
    )


def _parent_positions(data: LayerData, parent: LayerData) -> tuple[np.ndarray, np.ndarray]:
    """Each row's parent as a position in one-geometry-per-id parents (duplicates unioned)."""
    codes, uniques = pd.factorize(pd.Series(parent.ids, dtype=object))
    known = codes >= 0
    unions = topology.group_union(parent.shapes[known], codes[known], len(uniques))
    named = data.column("parent_id")
    pos = pd.Index(uniques, dtype=object).get_indexer(pd.Index(named, dtype=object))
    pos[pd.isna(named)] = -1
    return unions, pos


def nested(data: LayerData, parent: LayerData, *, min_area: float) -> list[pd.DataFrame]:
    """outside_parent for the rows of `data`, gap for the rows of `parent`."""
    unions, pos = _parent_positions(data, parent)
    # Parents by distinct id for the outside test; by row for the gap test.
    by_id = topology.nesting(
        unions, data.shapes, pos, child_flags=data.grid_flags, min_area=min_area
    )
    area = by_id.outside.area
    rows = np.flatnonzero((area >= min_area) & (area > 0))
    area = area[rows]
    parent_rows = np.flatnonzero(~pd.Index(parent.ids, dtype=object).duplicated())
    parent_label = pd.Series(parent.label(parent_rows).to_numpy(), index=parent.ids[parent_rows])
    label = obj(parent_label.reindex(data.column("parent_id")[rows]).to_numpy())
    outside = batch(
        "outside_parent",
        data.name,
        data.ids[rows],
        area=area,
        large=data.large[rows],
        medium=data.medium[rows],
        geometry=by_id.outside.geoms[rows],
        message=fmt_area(area) + " m² lies outside its parent " + label,
        message_zh="有 " + fmt_area(area) + " 平方米超出上级网格 " + label,
    )
    return [
        outside,
        gap(
            parent,
            data,
            by_id.uncovered if len(unions) == len(parent.ids) else None,
            min_area=min_area,
        ),
    ]


def gap(
    parent: LayerData, child: LayerData, parts: topology.Parts | None, *, min_area: float
) -> pd.DataFrame:
    """Parts of each parent row covered by no child (`parts` when already computed)."""
    if parts is None:  # duplicated parent ids: test every parent row on its own
        parts = topology.uncovered_parts(parent.shapes, child.shapes, child.flags)
    rows = np.flatnonzero((parts.area >= min_area) & (parts.area > 0))
    area = parts.area[rows]
    label = parent.label(rows)
    zh_child = LAYERS[child.name].zh.split("（")[0]
    return batch(
        "gap",
        parent.name,
        parent.ids[rows],
        area=area,
        large=parent.large[rows],
        medium=parent.medium[rows],
        geometry=parts.geoms[rows],
        message=fmt_area(area) + " m² of " + label + f" is covered by no {child.name}",
        message_zh=label + " 内有 " + fmt_area(area) + f" 平方米未被任何{zh_child}覆盖",
    )


def overlap(data: LayerData, *, min_area: float) -> pd.DataFrame:
    """Return the findings for pairs of grids of the layer overlapping by over `min_area` m²."""
    pairs = topology.overlapping_pairs(
        data.shapes, min_area=min_area, ids=data.ids, flags=data.flags
    )
    a, b = obj(data.ids[pairs.left]).fillna(""), obj(data.ids[pairs.right]).fillna("")
    swap = (a > b).to_numpy()
    first = np.where(swap, pairs.right, pairs.left)
    second = np.where(swap, pairs.left, pairs.right)
    ids = [[x, y] for x, y in zip(data.ids[first], data.ids[second], strict=True)]
    la, lb = data.label(first), data.label(second)
    return batch(
        "overlap",
        data.name,
        ids,
        area=pairs.area,
        large=data.large[first],
        medium=data.medium[first],
        geometry=pairs.geoms,
        message=la + " and " + lb + " overlap by " + fmt_area(pairs.area) + " m²",
        message_zh=la + " 与 " + lb + " 重叠 " + fmt_area(pairs.area) + " 平方米",
    )


def grid_findings(layers: Mapping[str, LayerData], *, min_area: float) -> list[pd.DataFrame]:
    """no_leader, bad_parent, outside_parent, gap and overlap on the three grid levels."""
    out: list[pd.DataFrame] = []
    for level in GRID_LEVELS:
        data = layers[level]
        out += [no_leader(data), overlap(data, min_area=min_area)]
        parent_level = PARENT_LEVEL.get(level)
        if parent_level is not None:
            parent = layers[parent_level]
            out += [bad_parent(data, parent), *nested(data, parent, min_area=min_area)]
    return out


def row_lineage(
    name: str, ids: np.ndarray, hierarchy: Hierarchy, membership: Mapping[str, pd.DataFrame]
) -> tuple[np.ndarray, np.ndarray]:
    """Return the declared large and medium grid of every row of a layer (None where unknown)."""
    none = np.full(len(ids), None, dtype=object)
    if name == "grid_large":
        return ids, none
    if name == "grid_medium":
        return hierarchy.medium_large, ids
    if name == "grid_small":
        return hierarchy.small_large, hierarchy.small_medium
    table = membership.get(name)
    if table is None:
        return none, none.copy()
    return (table["large_id"].to_numpy(dtype=object), table["medium_id"].to_numpy(dtype=object))
