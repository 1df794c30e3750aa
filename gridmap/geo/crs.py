"""Choice and checks of coordinate reference systems.

GridMap measures in a metric working CRS chosen from the data: inside China the
CGCS2000 3-degree Gauss-Kruger zone (central meridian form, EPSG:4534-4554)
whose central meridian is nearest the data, elsewhere the WGS 84 UTM zone that
holds it. Web maps get EPSG:4326. Distances and areas are never computed on
degrees: `require_metric` turns such a call into an error.
"""

from __future__ import annotations

import math

import geopandas as gpd
from pyproj import CRS

from gridmap.errors import CRSError, Problem

WEB_CRS = CRS.from_epsg(4326)
#: Extent of CGCS2000 (EPSG:4490 area of use): lon min, lat min, lon max, lat max.
CHINA_BOUNDS = (73.62, 16.7, 134.77, 53.56)
_GK_FIRST_EPSG, _GK_FIRST_CM = 4534, 75  # CGCS2000 / 3-degree GK CM 75E .. CM 135E


def _crs_error(message: str, fix: str, layer: str | None, file: str | None) -> CRSError:
    return CRSError(Problem("error", message, file=file, layer=layer, fix=fix))


def metric_crs_for(
    lon: float, lat: float, *, layer: str | None = None, file: str | None = None
) -> CRS:
    """Return the metric working CRS for data centred on (lon, lat) in degrees.

    `layer` and `file` name the data in the error raised when no CRS fits
    (a centre beyond 84° of latitude, or not a number).

    Examples
    --------
    >>> metric_crs_for(113.27, 34.80).to_epsg()
    4547
    >>> metric_crs_for(-73.6, 45.5).to_epsg()
    32618
    """
    if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lat) > 84:
        where = (
            "beyond 84° of latitude, where no UTM zone holds it"
            if math.isfinite(lon) and math.isfinite(lat)
            else "not a number"
        )
        raise _crs_error(
            f"cannot choose a metric working CRS: the data's centre ({lon:.4f}, {lat:.4f}) is "
            f"{where}.",
            "check that the layer's CRS is right and its coordinates are longitude, latitude "
            "(not swapped, not metres read as degrees); for polar data name a metric working "
            "CRS, e.g. read_district(path, working_crs='EPSG:3413').",
            layer,
            file,
        )
    west, south, east, north = CHINA_BOUNDS
    if west <= lon <= east and south <= lat <= north:
        cm = min(max(3 * round(lon / 3), _GK_FIRST_CM), 135)
        return CRS.from_epsg(_GK_FIRST_EPSG + (cm - _GK_FIRST_CM) // 3)
    zone = int((lon + 180) // 6) % 60 + 1
    return CRS.from_epsg((32600 if lat >= 0 else 32700) + zone)


def metric_crs_for_frame(
    frame: gpd.GeoDataFrame, *, layer: str | None = None, file: str | None = None
) -> CRS:
    """Choose the working CRS from the centre of a layer's extent.

    `layer` and `file` name the layer in the `CRSError` raised when it has no
    CRS, no geometry, or a centre no metric CRS fits.
    """
    if frame.crs is None:
        raise _crs_error(
            "cannot choose a working CRS for a layer without a CRS.",
            "set the layer's CRS (QGIS: Layer Properties > Source), or name the CRS of its "
            "coordinates (gridmap info/check --crs EPSG:4490).",
            layer,
            file,
        )
    geoms = frame.geometry
    placed = geoms[~geoms.isna() & ~geoms.is_empty]
    if placed.empty:
        raise _crs_error(
            "cannot choose a working CRS for a layer with no geometry.",
            "give its features geometries, or name a metric working CRS (working_crs).",
            layer,
            file,
        )
    minx, miny, maxx, maxy = placed.to_crs(WEB_CRS).total_bounds
    return metric_crs_for((minx + maxx) / 2, (miny + maxy) / 2, layer=layer, file=file)


def require_metric(frame: gpd.GeoDataFrame | gpd.GeoSeries, what: str = "this layer") -> None:
    """Raise `CRSError` unless `frame` is in a projected CRS measured in metres."""
    crs = frame.crs
    if crs is None:
        raise CRSError(f"{what} has no CRS; set one before measuring distances or areas.")
    unit = crs.axis_info[0].unit_name if crs.axis_info else ""
    if not crs.is_projected or unit not in ("metre", "meter"):
        raise CRSError(
            f"{what} is in {crs.name} ({unit or 'no unit'}); distances and areas need a "
            "metric CRS. Load it with gridmap.io.read_district, or call "
            "frame.to_crs(gridmap.geo.crs.metric_crs_for_frame(frame)) first."
        )
