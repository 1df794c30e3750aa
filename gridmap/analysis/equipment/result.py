"""`SitingResult`: chosen sites, demand served before and after, totals, solver report.

Also the grid lineage of points (small, medium, large grid), the service areas
to draw, the rows a "save to plan" appends to ``equipment_points`` and the
`Edit` that appends them (`siting_edit`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gridmap.analysis.equipment._core import Pairs, Solution
from gridmap.district import District
from gridmap.geo import WEB_CRS
from gridmap.layers import INVENTORY_FIELDS, LINEAGE_COLUMN, LINEAGE_COLUMNS, Edit, first_hit


def grid_lineage(district: District, points: np.ndarray) -> pd.DataFrame:
    """``small_id``, ``medium_id``, ``large_id`` of each point (by place; None outside).

    Examples
    --------
    >>> from gridmap.analysis.equipment import grid_lineage
    >>> points = district["equipment_points"].geometry.to_numpy()
    >>> grid_lineage(district, points).head(2)
              small_id     medium_id   large_id
    0  410106001001001  410106001001  410106001
    1  410106001001004  410106001001  410106001
    """
    points = np.asarray(points, dtype=object)
    out = pd.DataFrame({c: np.full(len(points), None, object) for c in LINEAGE_COLUMNS})
    for level in ("grid_small", "grid_medium", "grid_large"):
        grids = district.get(level)
        if grids is not None and len(grids):
            pos = first_hit(points, grids.geometry.to_numpy())
            hit = pos >= 0
            column = LINEAGE_COLUMN[level]
            out.loc[hit, column] = grids["grid_id"].astype(str).to_numpy()[pos[hit]]
    return out


@dataclass(frozen=True)
class SitingResult:
    """What `site_equipment` found.

    Attributes
    ----------
    sites
        The chosen new sites: ``site_id``, ``source``, ``small_id``,
        ``medium_id``, ``large_id``, ``newly_covered`` (demand weight covered
        by no existing point and served by this one), ``serves`` (all demand
        weight it serves), point geometry in the district CRS.
    existing
        The points kept and counted (status existing or planned).
    demand
        Every demand point with ``weight``, ``covered_before``,
        ``covered_after`` (share of its weight covered, 0..1) and ``site_id``.
    totals
        ``demand``, ``covered_before``, ``covered_after``, ``share_before``,
        ``share`` (after), ``new_points``, ``existing_points``, ``unlocated``.
    status, gap, time, build_time
        Solver status (``optimal`` when proven), relative optimality gap,
        solve seconds and model-building seconds.
    """

    sites: gpd.GeoDataFrame
    existing: gpd.GeoDataFrame
    demand: gpd.GeoDataFrame
    totals: dict[str, float]
    status: str
    gap: float
    time: float
    build_time: float
    objective: float
    params: dict[str, object] = field(default_factory=dict)

    @property
    def optimal(self) -> bool:
        """True when the solver proved the selection optimal."""
        return self.status == "optimal"

    def to_json(self) -> dict[str, object]:
        """Return the document `gridmap site --json` writes (coordinates in EPSG:4326)."""
        web = self.sites.to_crs(WEB_CRS)
        chosen = [
            {
                "id": row.site_id,
                "x": round(float(geom.x), 7),
                "y": round(float(geom.y), 7),
                "grid_small": row.small_id,
                "grid_medium": row.medium_id,
                "grid_large": row.large_id,
                "newly_covered": round(float(row.newly_covered), 6),
            }
            for row, geom in zip(self.sites.itertuples(), web.geometry, strict=True)
        ]
        return {
            **self.params,
            "chosen": chosen,
            "totals": {
                k: (round(v, 6) if isinstance(v, float) else v) for k, v in self.totals.items()
            },
            "status": self.status,
            "gap": None if not np.isfinite(self.gap) else round(float(self.gap), 9),
            "time_s": round(float(self.time), 3),
            "build_time_s": round(float(self.build_time), 3),
        }

    def service_areas(self) -> gpd.GeoDataFrame:
        """Return the area each chosen and existing point serves.

        That is a disc of the radius (straight line), or the hull of the demand it serves
        buffered by 15 m (walking distance).
        """
        radius = self.params.get("radius_m", 300.0)
        if not isinstance(radius, int | float):
            raise TypeError(f"params['radius_m'] must be a number of metres, not {radius!r}.")
        frames = []
        for kind, points, key in (
            ("new", self.sites, "site_id"),
            ("existing", self.existing, "point_id"),
        ):
            if len(points) == 0:
                continue
            ids = points[key].astype(str).to_numpy()
            if self.params.get("distance") == "network":
                served = self.demand[self.demand["site_id"].isin(ids)]
                hulls = served.groupby("site_id").geometry.apply(
                    lambda g: shapely.convex_hull(shapely.union_all(g.to_numpy()))
                )
                geoms = [
                    shapely.buffer(shapely.union_all([hulls.get(i), p]), 15.0)
                    if i in hulls.index
                    else shapely.buffer(p, 15.0)
                    for i, p in zip(ids, points.geometry, strict=True)
                ]
            else:
                geoms = shapely.buffer(points.geometry.to_numpy(), float(radius), quad_segs=16)
            frames.append(
                gpd.GeoDataFrame(
                    {"site_id": ids, "kind": kind}, geometry=list(geoms), crs=self.sites.crs
                )
            )
        if not frames:
            return gpd.GeoDataFrame(
                columns=["site_id", "kind", "geometry"], geometry="geometry", crs=self.sites.crs
            )
        return pd.concat(frames, ignore_index=True)

    def uncovered(self) -> gpd.GeoDataFrame:
        """Demand points not (fully) covered after the new points."""
        return self.demand[self.demand["covered_after"] < 1 - 1e-9]

    def plan_rows(
        self, existing_ids: list[str] | None = None, *, prefix: str = "EP-P"
    ) -> gpd.GeoDataFrame:
        """Return the chosen sites as new ``equipment_points`` rows (planned, kit not yet held).

        Ids continue ``prefix`` numbering after the highest one in `existing_ids`.
        """
        taken = set(existing_ids or [])
        numbers = [
            int(i[len(prefix) :])
            for i in taken
            if i.startswith(prefix) and i[len(prefix) :].isdigit()
        ]
        start = max(numbers, default=0) + 1
        ids = [f"{prefix}{start + k:04d}" for k in range(len(self.sites))]
        rows = pd.DataFrame(
            {
                "point_id": ids,
                "name": [f"规划器材点 {i}" for i in ids],
                "grid_id": self.sites["small_id"].to_numpy(),
                "is_pilot": False,
                **{f: 0 for f in INVENTORY_FIELDS},
                "status": "planned",
            }
        )
        return gpd.GeoDataFrame(rows, geometry=self.sites.geometry.to_numpy(), crs=self.sites.crs)


def siting_edit(district: District, result: SitingResult, *, user: str, reason: str) -> Edit:
    """Return the `Edit` appending `result`'s chosen sites to ``equipment_points`` (status planned).

    Their ids continue the ``EP-P`` numbering of the district's points
    (`SitingResult.plan_rows`); the edit is saved by `gridmap.io.save_edit`
    like every other edit.

    Examples
    --------
    >>> from gridmap.analysis.equipment import SitingOptions, site_equipment, siting_edit
    >>> result = site_equipment(district, SitingOptions(count=2))
    >>> edit = siting_edit(district, result, user="王芳", reason="2026 plan")
    >>> edit.layer, edit.added["status"].tolist()
    ('equipment_points', ['planned', 'planned'])
    """
    points = district.get("equipment_points")
    taken = points["point_id"].astype(str).tolist() if points is not None else []
    added = result.plan_rows(taken)
    removed = points.iloc[0:0] if points is not None else added.iloc[0:0]
    return Edit(
        layer="equipment_points",
        operation="append",
        removed=removed,
        added=added,
        user=user,
        reason=reason,
    )


def _serving_site(pairs: Pairs, open_: np.ndarray, flow: Pairs | None) -> np.ndarray:
    """Nearest open site within the radius of each demand (largest flow with capacity)."""
    serving = np.full(pairs.n_demand, -1, dtype=np.int64)
    if flow is not None and flow.n_sites == pairs.n_sites and len(flow.demand):
        order = np.lexsort((-flow.distance, flow.demand))
        first = np.r_[True, flow.demand[order][1:] != flow.demand[order][:-1]]
        serving[flow.demand[order][first]] = flow.site[order][first]
        return serving
    keep = open_[pairs.site]
    dem, site, dist = pairs.demand[keep], pairs.site[keep], pairs.distance[keep]
    order = np.lexsort((site, dist, dem))
    first = np.r_[True, dem[order][1:] != dem[order][:-1]] if len(dem) else np.zeros(0, bool)
    serving[dem[order][first]] = site[order][first]
    return serving


def summarise(
    district: District,
    *,
    solution: Solution,
    demand: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    is_fixed: np.ndarray,
    pairs: Pairs,
    before: np.ndarray,
    unlocated: int,
    params: dict[str, object],
) -> SitingResult:
    """Assemble a `SitingResult` from the numeric solution."""
    weight = demand["weight"].to_numpy(float)
    after = solution.coverage if solution.model != "pmedian" else None
    if after is None:  # p-median: coverage within the radius by the open sites
        reached = np.zeros(len(weight), bool)
        reached[pairs.demand[solution.open[pairs.site]]] = True
        after = reached.astype(float)
    serving = _serving_site(pairs, solution.open, solution.flow if params.get("capacity") else None)
    site_ids = sites["candidate_id"].astype(str).to_numpy()
    out_demand = demand.copy()
    out_demand["covered_before"] = before
    out_demand["covered_after"] = after
    out_demand["site_id"] = np.where(serving >= 0, site_ids[np.maximum(serving, 0)], None)
    chosen = solution.chosen
    new = np.clip(after - before, 0, 1) * weight
    newly = np.bincount(np.maximum(serving, 0), weights=new * (serving >= 0), minlength=len(sites))
    serves = np.bincount(
        np.maximum(serving, 0), weights=after * weight * (serving >= 0), minlength=len(sites)
    )
    lineage = grid_lineage(district, sites.geometry.to_numpy()[chosen])
    chosen_frame = gpd.GeoDataFrame(
        {
            "site_id": site_ids[chosen],
            "source": sites["source"].to_numpy()[chosen],
            **{c: lineage[c].to_numpy() for c in lineage},
            "newly_covered": newly[chosen],
            "serves": serves[chosen],
        },
        geometry=sites.geometry.to_numpy()[chosen],
        crs=district.crs,
    ).sort_values("newly_covered", ascending=False, kind="stable", ignore_index=True)
    fixed_pos = np.flatnonzero(is_fixed)
    existing = gpd.GeoDataFrame(
        {"point_id": site_ids[fixed_pos], "serves": serves[fixed_pos]},
        geometry=sites.geometry.to_numpy()[fixed_pos],
        crs=district.crs,
    )
    total = float(weight.sum())
    covered_before = float(weight @ before)
    covered_after = float(weight @ after)
    totals = {
        "demand": total,
        "covered_before": covered_before,
        "covered_after": covered_after,
        "share_before": covered_before / total if total else 1.0,
        "share": covered_after / total if total else 1.0,
        "new_points": len(chosen),
        "existing_points": int(is_fixed.sum()),
        "candidates": int((~is_fixed).sum()),
        "unlocated": unlocated,
    }
    return SitingResult(
        sites=chosen_frame,
        existing=existing,
        demand=out_demand,
        totals=totals,
        status=solution.status,
        gap=solution.gap,
        time=solution.solve_time,
        build_time=solution.build_time,
        objective=solution.objective,
        params=params,
    )
