"""`District`: the typed layers of one district, in one metric working CRS."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeAlias

import geopandas as gpd
import pandas as pd
from pyproj import CRS

from gridmap.errors import Problem
from gridmap.geo.crs import WEB_CRS
from gridmap.layers import grid_names
from gridmap.schema import LAYERS

#: A layer: a GeoDataFrame for spatial layers, a DataFrame for attribute tables.
Layer: TypeAlias = gpd.GeoDataFrame | pd.DataFrame


@dataclass(frozen=True)
class District:
    """The layers of a district, keyed by schema layer name.

    Every spatial layer is in `crs`, a projected CRS in metres. Layers the
    file did not have are absent (use `get` or ``name in district``).
    `problems` holds the warnings found at load; `extra_layers` names layers of
    the file that GridMap does not manage and keeps untouched when saving;
    `source_names` maps a layer to its name in the file (an alias such as
    大网格), under which it is saved again; `fingerprint` identifies the file's
    content at load, so a save can tell whether someone else saved meanwhile;
    `name` is the district's own name as the file records it (``上街区``), or "";
    `masked` is True for a view whose personal fields were masked for a user
    (`gridmap.analysis.access.mask_district`): such a view is for showing and
    exporting, and `gridmap.io.save_edit` refuses to save it.
    """

    layers: Mapping[str, Layer]
    crs: CRS
    path: str | None = None
    problems: tuple[Problem, ...] = ()
    extra_layers: tuple[str, ...] = ()
    source_crs: Mapping[str, str] = field(default_factory=dict)
    source_names: Mapping[str, str] = field(default_factory=dict)
    fingerprint: str | None = None
    name: str = ""
    masked: bool = False

    def __getitem__(self, name: str) -> Layer:
        if name not in self.layers:
            known = ", ".join(self.layers)
            raise KeyError(f"the district has no layer {name!r}; it has: {known}")
        return self.layers[name]

    def __contains__(self, name: object) -> bool:
        return name in self.layers

    def __iter__(self) -> Iterator[str]:
        return iter(self.layers)

    def get(self, name: str) -> Layer | None:
        """Return the layer `name`, or None when the district has no such layer."""
        return self.layers.get(name)

    def display_name(self) -> str:
        """Return the name to print.

        That is the file's district name, else the single large grid's name, else the file's
        stem ("" for a district not read from a file).

        >>> District({}, CRS(4547), path="/data/shangjie.gpkg").display_name()
        'shangjie'
        """
        if self.name.strip():
            return self.name.strip()
        large = self.layers.get("grid_large")
        if large is not None and len(large) == 1 and "name" in large:
            only = large["name"].iloc[0]
            if isinstance(only, str) and only.strip():
                return only.strip()
        return Path(self.path).stem if self.path else ""

    def grid_names(self, level: str, *, ids_for_unnamed: bool = True) -> pd.Series:
        """Display name of every grid of `level` by grid id: its name, else its id (or None).

        Empty when the district has no such layer; a duplicated id takes its
        first row's name (`gridmap.layers.grids.grid_names`).

        >>> import shapely
        >>> grids = gpd.GeoDataFrame({"grid_id": ["L1"], "name": ["上街镇"]},
        ...                          geometry=[shapely.box(0, 0, 1, 1)], crs=4547)
        >>> District({"grid_large": grids}, CRS(4547)).grid_names("grid_large").to_dict()
        {'L1': '上街镇'}
        """
        return grid_names(self.layers.get(level), ids_for_unnamed=ids_for_unnamed)

    def with_layers(self, **layers: Layer) -> District:
        """Return a new district with some layers replaced or added."""
        return replace(self, layers={**self.layers, **layers})

    def to_web(self, name: str) -> gpd.GeoDataFrame:
        """Return layer `name` in EPSG:4326 for web maps and GeoJSON."""
        layer = self[name]
        if not isinstance(layer, gpd.GeoDataFrame):
            raise TypeError(f"layer {name!r} has no geometry")
        return layer.to_crs(WEB_CRS)

    def summary(self) -> dict[str, object]:
        """Layers, counts, CRS and extent, as plain data (what `gridmap info` prints)."""
        layers: dict[str, dict[str, object]] = {}
        for name, layer in self.layers.items():
            spec = LAYERS.get(name)
            entry: dict[str, object] = {
                "features": len(layer),
                "title_zh": spec.zh if spec else "",
                "geometry": sorted(layer.geom_type.dropna().unique().tolist())
                if isinstance(layer, gpd.GeoDataFrame)
                else [],
            }
            if name in self.source_crs:
                entry["source_crs"] = self.source_crs[name]
            layers[name] = entry
        extent = None
        grids = self.layers.get("grid_large")
        if isinstance(grids, gpd.GeoDataFrame) and grids.geometry.notna().any():
            extent = {
                "working": [round(float(v), 3) for v in grids.total_bounds],
                "wgs84": [round(float(v), 6) for v in grids.to_crs(WEB_CRS).total_bounds],
            }
        return {
            "path": self.path,
            "crs": f"EPSG:{self.crs.to_epsg()}" if self.crs.to_epsg() else self.crs.to_string(),
            "crs_name": self.crs.name,
            "extent": extent,
            "layers": layers,
            "extra_layers": list(self.extra_layers),
            "problems": [p.as_dict() for p in self.problems],
        }
