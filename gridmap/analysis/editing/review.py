"""What an edit would do, before it is saved: new findings and who changes zone.

`review_edit` runs the coverage checks on the district before and after a
boundary edit and reports the findings the edit would add (a gap, an
overlap, a grid leaving its parent, an invalid geometry ...), which
buildings, households, units and equipment points would change small grid
(from -> to), and how the load per zone changes. This is what a leader
approves; an edit that adds error findings is blocked unless the planner
accepts it with a reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

import geopandas as gpd
import pandas as pd

from gridmap.analysis.coverage import DEFAULT_MIN_AREA, CoverageReport, check_coverage
from gridmap.district import District
from gridmap.errors import EditRefused
from gridmap.layers import Edit, apply_edit, first_hit

#: Checks a boundary edit can add findings to.
EDIT_CHECKS = (
    "invalid_geometry",
    "duplicate_id",
    "no_leader",
    "bad_parent",
    "outside_parent",
    "gap",
    "overlap",
    "building_missed",
    "building_split",
    "household_missed",
    "unit_missed",
)


@dataclass(frozen=True)
class EditReview:
    """The effect of an edit, for the planner and the approving leader.

    Attributes
    ----------
    after
        The district as it would be after the edit.
    new_findings
        Findings the edit adds (GeoDataFrame, working CRS): those present after
        the edit but not before, and those that were there but grow by more
        than `min_area` (a gap that gets larger); ``area_before_m2`` holds the
        earlier area of a grown one (NaN for a new one).
    moves
        One row per object that changes small or medium grid: kind (building,
        household, unit, equipment_point), id, from_small, to_small,
        from_medium, to_medium.
    load
        Per affected small grid: households and units before and after.
    """

    after: District
    report_after: CoverageReport
    new_findings: gpd.GeoDataFrame
    moves: pd.DataFrame
    load: pd.DataFrame

    @property
    def transfers(self) -> pd.DataFrame:
        """Counts of the moves per kind and (from, to) pair of small grids, largest first."""
        if self.moves.empty:
            return pd.DataFrame(columns=["kind", "from_small", "to_small", "count"])
        pairs = self.moves.fillna({"from_small": "", "to_small": ""})
        counts = pairs.groupby(["kind", "from_small", "to_small"]).size()
        out = counts.rename("count").reset_index().sort_values("count", ascending=False)
        # pandas-stubs reject the nested {column: {old: new}} mapping pandas documents.
        blank_to_none = cast(Any, {"from_small": {"": None}, "to_small": {"": None}})
        return out.replace(blank_to_none).reset_index(drop=True)

    @property
    def blocking(self) -> bool:
        """True when the edit adds error findings: saving needs an explicit reason."""
        return bool((self.new_findings["severity"] == "error").any())

    def approve(
        self,
        edits: Edit | Sequence[Edit],
        *,
        user: str,
        reason: str | None = None,
        accept_findings: bool = False,
    ) -> list[Edit]:
        """Return the reviewed `edits` stamped with `user` and `reason`, ready to save.

        This is the plan's gate: raises `EditRefused` when `user` is blank, or
        when the edits add error findings (a gap, an overlap, a grid leaving
        its parent, an invalid geometry ...) and the planner has not set
        `accept_findings` with a non-empty `reason`. A blank `reason` keeps
        each edit's own.
        """
        edits = [edits] if isinstance(edits, Edit) else list(edits)
        if not user.strip():
            raise EditRefused("give the name of the person making the edit; it goes into the log.")
        why = (reason or "").strip() or None
        if self.blocking and not (accept_findings and why):
            raise EditRefused(
                f"the edit adds error findings ({self.describe_errors()}); nothing was saved. "
                "Change the drawing, or accept the findings and give the reason."
            )
        return [replace(e, user=user.strip(), reason=why or e.reason) for e in edits]

    def describe_errors(self) -> str:
        """Return the error findings the edit adds, as ``check ids (area m²)`` joined by ``; ``."""
        errors = self.new_findings[self.new_findings["severity"] == "error"]
        parts = []
        for check, ids, area in zip(errors["check"], errors["ids"], errors["area_m2"], strict=True):
            size = f" ({area:,.1f} m²)" if area == area and area is not None else ""
            parts.append(f"{check} {', '.join(map(str, ids))}{size}")
        return "; ".join(parts)


def _keys(findings: pd.DataFrame) -> pd.Series:
    return findings["check"] + "|" + findings["ids"].map(lambda ids: ",".join(map(str, ids)))


def _new_or_grown(before: pd.DataFrame, after: pd.DataFrame, min_area: float) -> pd.DataFrame:
    """Return findings of `after` not in `before`, or in both with an area grown over `min_area`."""
    old_area = dict(zip(_keys(before), before["area_m2"], strict=True))
    keys = _keys(after)
    earlier = pd.to_numeric(keys.map(old_area), errors="coerce").astype(float)
    known = keys.isin(old_area)
    grown = known & (after["area_m2"].fillna(0) > earlier.fillna(0) + max(min_area, 0.0))
    out = after[~known | grown].copy()
    out["area_before_m2"] = earlier[~known | grown].where(grown[~known | grown])
    return out


def _changed(before: pd.DataFrame, after: pd.DataFrame, key: str, kind: str) -> pd.DataFrame:
    columns = [key, "small_id", *(["medium_id"] if "medium_id" in before else [])]
    merged = before[columns].merge(
        after[columns], on=key, how="outer", suffixes=("_before", "_after")
    )
    moved = merged["small_id_before"].fillna("") != merged["small_id_after"].fillna("")
    if "medium_id" in before:
        moved |= merged["medium_id_before"].fillna("") != merged["medium_id_after"].fillna("")
    merged = merged[moved]
    return pd.DataFrame(
        {
            "kind": kind,
            "id": merged[key].astype(str),
            "from_small": merged["small_id_before"],
            "to_small": merged["small_id_after"],
            "from_medium": merged.get("medium_id_before"),
            "to_medium": merged.get("medium_id_after"),
        }
    )


def _equipment_small(district: District) -> pd.DataFrame:
    points = district.get("equipment_points")
    if not isinstance(points, gpd.GeoDataFrame) or points.empty:
        return pd.DataFrame({"point_id": [], "small_id": []}, dtype=object)
    small = district["grid_small"]
    hit = first_hit(points.geometry.values, small.geometry.values)
    ids = small["grid_id"].to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "point_id": points["point_id"].astype(str).to_numpy(),
            "small_id": [ids[i] if i >= 0 else None for i in hit],
        }
    )


def _load(report: CoverageReport, zones: list[str]) -> pd.DataFrame:
    households = report.household_membership["small_id"].value_counts()
    units = report.unit_membership["small_id"].value_counts()
    return pd.DataFrame(
        {
            "households": households.reindex(zones, fill_value=0).to_numpy(),
            "units": units.reindex(zones, fill_value=0).to_numpy(),
        },
        index=zones,
    )


def review_edit(
    district: District,
    edit: Edit | list[Edit],
    *,
    min_area: float = DEFAULT_MIN_AREA,
    before: CoverageReport | None = None,
) -> EditReview:
    """Check an edit before saving it; `before` may pass the current report to save time.

    Examples
    --------
    >>> from gridmap.analysis.editing import delete_grid, review_edit
    >>> reason = "land taken by the new road"
    >>> edit = delete_grid(district, "grid_small", "410106001001002", reason=reason)
    >>> review = review_edit(district, edit)
    >>> review.new_findings["check"].value_counts().sort_index().to_dict()
    {'building_missed': 25, 'gap': 1, 'household_missed': 23}
    """
    edits = [edit] if isinstance(edit, Edit) else list(edit)
    after = district
    for one in edits:
        after = after.with_layers(**{one.layer: apply_edit(after[one.layer], one)})
    report_before = before if before is not None else check_coverage(district, min_area=min_area)
    report_after = check_coverage(after, min_area=min_area)
    fresh = _new_or_grown(report_before.findings, report_after.findings, min_area)
    fresh = fresh[fresh["check"].isin(EDIT_CHECKS)].reset_index(drop=True)
    moves = pd.concat(
        [
            _changed(report_before.membership, report_after.membership, "building_id", "building"),
            _changed(
                report_before.household_membership,
                report_after.household_membership,
                "household_id",
                "household",
            ),
            _changed(
                report_before.unit_membership, report_after.unit_membership, "unit_id", "unit"
            ),
            _changed(
                _equipment_small(district), _equipment_small(after), "point_id", "equipment_point"
            ),
        ],
        ignore_index=True,
    )
    zones = sorted(
        {*edits_small_ids(edits), *moves["from_small"].dropna(), *moves["to_small"].dropna()}
    )
    before_load, after_load = _load(report_before, zones), _load(report_after, zones)
    load = before_load.add_suffix("_before").join(after_load.add_suffix("_after"))
    load.index.name = "grid_id"
    return EditReview(
        after=after,
        report_after=report_after,
        new_findings=fresh,
        moves=moves.reset_index(drop=True),
        load=load.reset_index(),
    )


def edits_small_ids(edits: list[Edit]) -> list[str]:
    """Small grid ids an edit touches directly (empty for other levels).

    Examples
    --------
    >>> from gridmap.analysis.editing import edits_small_ids, merge_grids
    >>> edit = merge_grids(district, "grid_small", ["410106001001001", "410106001001002"])
    >>> edits_small_ids([edit])
    ['410106001001001', '410106001001002']
    """
    return [i for e in edits if e.layer == "grid_small" for i in e.affected_ids()]
