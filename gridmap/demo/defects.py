"""Planted defects: a handful of realistic mistakes for the coverage checks to find.

Each planting function changes a layer on purpose and returns a
:class:`PlantedDefect` naming the check that should report it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.ops import substring

from gridmap.demo.buildings import BuildingSet, drop_overlaps, rectangles


@dataclass(frozen=True)
class PlantedDefect:
    """One deliberate defect in the sample district and the check that should find it."""

    check: str
    layer: str
    ids: tuple[str, ...]
    description_en: str
    description_zh: str

    def as_dict(self) -> dict[str, object]:
        """Return the defect as plain data (for ``planted.json``)."""
        return {
            "check": self.check,
            "layer": self.layer,
            "ids": list(self.ids),
            "description_en": self.description_en,
            "description_zh": self.description_zh,
        }


def sibling_borders(small: gpd.GeoDataFrame, min_length: float) -> list[tuple[int, int, object]]:
    """(i, j, border line) for zones of one medium grid sharing at least ``min_length`` metres."""
    geoms = small.geometry.values
    a, b = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    parent = small["parent_id"].to_numpy()
    keep = (a < b) & (parent[a] == parent[b])
    a, b = a[keep], b[keep]
    shared = shapely.line_merge(
        shapely.intersection(shapely.boundary(geoms[a]), shapely.boundary(geoms[b]))
    )
    out = []
    for i, j, line in zip(a.tolist(), b.tolist(), shared, strict=True):
        parts = [p for p in shapely.get_parts(line) if p.geom_type == "LineString"]
        if parts:
            longest = max(parts, key=lambda p: p.length)
            if longest.length >= min_length:
                out.append((i, j, longest))
    return out


def _strip(line, length: float, width: float):
    mid = line.length / 2
    piece = substring(line, mid - length / 2, mid + length / 2)
    return shapely.buffer(piece, width, cap_style="flat")


def plant_gap_and_overlap(
    rng: np.random.Generator, small: gpd.GeoDataFrame, medium: gpd.GeoDataFrame
) -> tuple[list[PlantedDefect], set[str]]:
    """Carve a sliver off one zone (gap) and push another zone into its neighbour (overlap).

    Both happen along street-straight borders between sibling zones of urban communities.
    ``small`` is changed in place; returns the defects and the zone ids involved.
    """
    kind = medium.set_index("grid_id")["kind"]
    borders = [
        t
        for t in sibling_borders(small, 150.0)
        if kind[small["parent_id"].iat[t[0]]] == "community"
    ]
    first = int(rng.integers(len(borders)))
    parents = small["parent_id"].to_numpy()
    others = [k for k, t in enumerate(borders) if parents[t[0]] != parents[borders[first][0]]]
    second = others[int(rng.integers(len(others)))]
    ids = small["grid_id"].to_numpy()
    geom = small.geometry.to_numpy().copy()
    # Gap: zone i loses a 70 m x 7 m sliver along its border with j.
    i, j, line = borders[first]
    before = shapely.area(geom[i])
    geom[i] = shapely.difference(geom[i], _strip(line, 70.0, 7.0))
    gap_area = before - shapely.area(geom[i])
    # Overlap: zone k reaches 5 m into zone l along 50 m of their border. The strip is
    # clipped to both zones so that it overlaps k too and the union stays one polygon.
    k, m, line2 = borders[second]
    strip = _strip(line2, 50.0, 5.0)
    over_area = shapely.area(shapely.intersection(strip, geom[m]))
    geom[k] = shapely.union(geom[k], shapely.intersection(strip, shapely.union(geom[k], geom[m])))
    small.geometry = gpd.GeoSeries(geom, index=small.index, crs=small.crs)
    defects = [
        PlantedDefect(
            "gap",
            "grid_medium",
            (parents[i],),
            f"About {gap_area:.0f} m² of medium grid {parents[i]} belongs to no small grid: a "
            f"sliver was cut off zone {ids[i]} along its border with zone {ids[j]}.",
            f"中网格 {parents[i]} 内约 {gap_area:.0f} 平方米不属于任何小网格：小网格 {ids[i]} "
            f"与 {ids[j]} 交界处被切去一条。",
        ),
        PlantedDefect(
            "overlap",
            "grid_small",
            (ids[k], ids[m]),
            f"Zone {ids[k]} reaches about {over_area:.0f} m² into its neighbour {ids[m]}.",
            f"小网格 {ids[k]} 越界约 {over_area:.0f} 平方米，与相邻小网格 {ids[m]} 重叠。",
        ),
    ]
    return defects, {ids[i], ids[j], ids[k], ids[m]}


def plant_no_leader(
    rng: np.random.Generator, small: gpd.GeoDataFrame, avoid: set[str]
) -> PlantedDefect:
    """Blank the leader (and phone) of one zone; ``small`` is changed in place."""
    free = np.flatnonzero(~small["grid_id"].isin(avoid).to_numpy())
    z = int(rng.choice(free))
    small.loc[small.index[z], "leader"] = ""
    small.loc[small.index[z], "phone"] = None
    gid = small["grid_id"].iat[z]
    return PlantedDefect(
        "no_leader",
        "grid_small",
        (gid,),
        f"Zone {gid} has no named leader (blank leader and phone).",
        f"小网格 {gid} 未明确网格负责人（负责人、电话为空）。",
    )


def plant_straddler(
    rng: np.random.Generator,
    bs: BuildingSet,
    small: gpd.GeoDataFrame,
    medium: gpd.GeoDataFrame,
    avoid: set[str],
) -> tuple[BuildingSet, shapely.Polygon, tuple[str, str]]:
    """Build a market hall across the border of two village zones.

    Returns the new building set, the straddling footprint and the two zone ids.
    """
    kind = medium.set_index("grid_id")["kind"]
    ids = small["grid_id"].to_numpy()
    borders = [
        t
        for t in sibling_borders(small, 200.0)
        if kind[small["parent_id"].iat[t[0]]] == "village"
        and ids[t[0]] not in avoid
        and ids[t[1]] not in avoid
    ]
    tree = shapely.STRtree(bs.polys)
    for n in rng.permutation(len(borders)).tolist():
        i, j, line = borders[n]
        for f in (0.5, 0.4, 0.6, 0.3, 0.7):
            p = line.interpolate(f, normalized=True)
            if tree.query(p, predicate="dwithin", distance=45.0).size:
                continue
            q = line.interpolate(min(line.length, line.project(p) + 5))
            ang = np.arctan2(q.y - p.y, q.x - p.x) + np.pi / 2
            hall = rectangles(
                np.array([p.x]),
                np.array([p.y]),
                np.array([40.0]),
                np.array([22.0]),
                np.array([ang]),
            )[0]
            shares = shapely.area(shapely.intersection(hall, small.geometry.values[[i, j]]))
            if shares.min() > 0.3 * hall.area:
                zone = i if shares[0] >= shares[1] else j
                attrs = {
                    "use": "commercial",
                    "floors": 1,
                    "households": 0,
                    "tag": "market",
                    "place": -1 - zone,
                }
                new = BuildingSet(
                    np.r_[bs.polys, [hall]],
                    {k: np.r_[v, [attrs[k]]] for k, v in bs.attrs.items()},
                    np.r_[bs.zone, [zone]],
                )
                order = np.r_[len(bs.polys), np.arange(len(bs.polys))]
                keep = drop_overlaps(new.polys[order])
                return new.take(np.sort(order[keep])), hall, (ids[i], ids[j])
    raise RuntimeError("no place found for the straddling building")


def building_split_defect(
    buildings: gpd.GeoDataFrame, hall: shapely.Polygon, pair: tuple[str, str]
) -> PlantedDefect:
    """Describe the straddling market hall, found again by its footprint after numbering."""
    hall_id = buildings["building_id"][shapely.equals(buildings.geometry.values, hall)].iat[0]
    return PlantedDefect(
        "building_split",
        "buildings",
        (hall_id,),
        f"Building {hall_id} (a market hall) straddles the border of zones {pair[0]} and "
        f"{pair[1]}.",
        f"楼栋 {hall_id}（农贸市场）跨越小网格 {pair[0]} 与 {pair[1]} 的边界。",
    )


def choose_household_defects(
    rng: np.random.Generator, buildings: gpd.GeoDataFrame, tags: np.ndarray
) -> tuple[str, str]:
    """Choose the two buildings whose households are planted missing.

    Returns (walk-up block left without registered households, rural apartment house of
    3-10 households that will be missing from the building ledger).
    """
    hh = buildings["households_expected"].to_numpy()
    empty = rng.choice(np.flatnonzero(tags == "walkup"))
    gone = rng.choice(np.flatnonzero((tags == "rural_apartment") & (hh >= 3) & (hh <= 10)))
    ids = buildings["building_id"].to_numpy()
    return str(ids[empty]), str(ids[gone])


def household_defects(
    households: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame, empty_id: str, gone_id: str
) -> list[PlantedDefect]:
    """Return the planted household defects of the two buildings `empty_id` and `gone_id`."""
    orphans = tuple(households["household_id"][households["building_id"] == gone_id])
    expected = buildings.set_index("building_id")["households_expected"]
    return [
        PlantedDefect(
            "household_missed",
            "households",
            orphans,
            f"{len(orphans)} households belong to building {gone_id}, which is missing from "
            "the building ledger.",
            f"{len(orphans)} 户住户所属楼栋 {gone_id} 未登记在楼栋台帐中。",
        ),
        PlantedDefect(
            "building_no_households",
            "buildings",
            (empty_id,),
            f"Residential building {empty_id} should hold {expected[empty_id]} households but "
            "none is registered.",
            f"住宅楼 {empty_id} 应有 {expected[empty_id]} 户，但未登记任何住户。",
        ),
    ]


# ---------------------------------------------------------------------------
# Source of ``planted.py``


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _string_lines(text: str, indent: int) -> str:
    """``text`` as implicitly concatenated literals, each line at most 100 columns wide."""
    limit = 100 - indent - 3
    tokens = re.findall(
        r"[^\s\u3000-\u9fff\uff00-\uffef]+\s*|[\u3000-\u9fff\uff00-\uffef]|\s+", text
    )
    pieces, current = [], ""
    for token in tokens:
        if current and _width(current + token) > limit:
            pieces.append(current)
            current = ""
        current += token
    pieces.append(current)
    return ("\n" + " " * indent).join(_quoted(p) for p in pieces)


def planted_source(defects: Iterable[PlantedDefect]) -> str:
    r"""Python source of ``planted.py`` for ``defects`` (then run ``ruff format`` on it).

    Regenerate after changing the generator::

        python -c "from gridmap.demo import build_demo; from gridmap.demo.defects import \
        planted_source; print(planted_source(build_demo().defects), end='')" \
        > gridmap/demo/planted.py && ruff format gridmap/demo/planted.py
    """
    out = [
        '"""The defects planted in the sample district of the default seed (generated: do not'
        " edit).",
        "",
        "Regenerate with `gridmap.demo.defects.planted_source` after any change to the generator;",
        "``tests/cli/test_demo.py`` checks that this list matches a fresh build of `DEFAULT_SEED`.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from gridmap.demo.defects import PlantedDefect",
        "",
        "PLANTED_DEFECTS: list[PlantedDefect] = [",
    ]
    for d in defects:
        ids = ", ".join(_quoted(i) for i in d.ids) + ("," if len(d.ids) == 1 else "")
        out += [
            "    PlantedDefect(",
            f"        {_quoted(d.check)},",
            f"        {_quoted(d.layer)},",
            f"        ({ids}),",
            f"        {_string_lines(d.description_en, 8)},",
            f"        {_string_lines(d.description_zh, 8)},",
            "    ),",
        ]
    return "\n".join([*out, "]"]) + "\n"
