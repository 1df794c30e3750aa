"""A deterministic sample district: 上街区 (Shangjie District, Zhengzhou), fictionalised.

The six towns and subdistricts, their codes and the district's location are real;
everything inside them (communities, zones, buildings, people, records) is
generated from a seed. Nothing here touches disk.
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd

from gridmap.demo.defects import PlantedDefect
from gridmap.demo.district import DEFAULT_SEED, DemoDistrict, build_demo
from gridmap.demo.equipment import KIT_STANDARD, PILOT_EXTRA
from gridmap.demo.planted import PLANTED_DEFECTS
from gridmap.demo.records import YEAR_END, YEAR_START

#: The sample district's name, recorded in the GeoPackage it writes.
DEMO_NAME = "上街区"

__all__ = [
    "DEFAULT_SEED",
    "DEMO_NAME",
    "KIT_STANDARD",
    "PILOT_EXTRA",
    "PLANTED_DEFECTS",
    "YEAR_END",
    "YEAR_START",
    "DemoDistrict",
    "PlantedDefect",
    "build_demo",
    "build_demo_district",
    "planted_defects",
]


def build_demo_district(
    seed: int = DEFAULT_SEED,
    *,
    progress: Callable[[str], None] | None = None,
) -> dict[str, gpd.GeoDataFrame]:
    """Build every layer of the sample district, keyed by the schema's layer names."""
    return build_demo(seed, progress=progress).layers


def planted_defects(seed: int = DEFAULT_SEED) -> list[PlantedDefect]:
    """Return the defects planted in the district of ``seed``.

    For the default seed this is `PLANTED_DEFECTS` (no build needed); any other seed builds
    the district to find out, which takes a few seconds.
    """
    if seed == DEFAULT_SEED:
        return PLANTED_DEFECTS
    return list(build_demo(seed).defects)
