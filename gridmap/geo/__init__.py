"""Geodesy: the metric working CRS and China's web-map coordinate systems.

Modules
-------
crs
    The choice and checks of coordinate reference systems: `metric_crs_for`
    (CGCS2000 Gauss-Kruger zone inside China, UTM elsewhere), `require_metric`,
    `WEB_CRS` and `CHINA_BOUNDS`.
coords
    WGS 84 <-> GCJ-02 <-> BD-09 conversions (vectorised), the datum offset
    check of an imported layer and `from_web` (a web-map drawing in the
    working CRS). It builds on `crs`; `crs` imports nothing from it.

>>> from gridmap.geo import metric_crs_for
>>> metric_crs_for(113.3, 34.8).to_epsg()
4547
"""

from gridmap.geo.coords import (
    SHIFTED_SYSTEMS,
    OffsetCheck,
    bd09_to_gcj02,
    bd09_to_wgs84,
    convert,
    convert_geometries,
    convert_layer,
    datum_offset_check,
    from_web,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    looks_like_gcj02,
    outside_china,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)
from gridmap.geo.crs import (
    CHINA_BOUNDS,
    WEB_CRS,
    metric_crs_for,
    metric_crs_for_frame,
    require_metric,
)

__all__ = [
    "CHINA_BOUNDS",
    "SHIFTED_SYSTEMS",
    "WEB_CRS",
    "OffsetCheck",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "convert",
    "convert_geometries",
    "convert_layer",
    "datum_offset_check",
    "from_web",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "looks_like_gcj02",
    "metric_crs_for",
    "metric_crs_for_frame",
    "outside_china",
    "require_metric",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
]
