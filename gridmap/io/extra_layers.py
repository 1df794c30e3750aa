"""Read layers of a district file that the schema does not manage (roads, candidate sites ...).

`read_extra_layers` returns a new `District` with the named layers added, in
the district's working CRS, so analysis can use them by name
(``site_equipment(district, SitingOptions(candidates="candidate_sites"))``). Saving edits
writes only the edited layers, so the added ones are never written back.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import geopandas as gpd
import pyogrio

from gridmap.district import District
from gridmap.errors import DataError, Problem


def read_extra_layers(
    district: District, required: Iterable[str] = (), optional: Iterable[str] = ()
) -> District:
    """Add the `required` and (when the file has them) `optional` layers to `district`.

    Raises `DataError` naming every required layer the file lacks or that has no CRS.
    """
    if district.path is None:
        raise DataError("the district has no file to read extra layers from.")
    required, optional = list(required), list(optional)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        in_file = {str(name) for name, _ in pyogrio.list_layers(district.path)}
    problems = [
        Problem(
            "error",
            f"the file has no layer {name!r}.",
            file=district.path,
            layer=name,
            fix="add it (e.g. in QGIS) or choose another; the file has: "
            f"{', '.join(sorted(in_file))}.",
        )
        for name in required
        if name not in in_file and name not in district
    ]
    layers = {}
    for name in [*required, *optional]:
        if name in district or name not in in_file or name in layers:
            continue
        frame = pyogrio.read_dataframe(district.path, layer=name)
        if not isinstance(frame, gpd.GeoDataFrame) or frame.crs is None:
            problems.append(
                Problem(
                    "error",
                    "the layer has no geometry or no CRS.",
                    file=district.path,
                    layer=name,
                    fix="set the layer's CRS in QGIS (Layer CRS > Set layer CRS) and save again.",
                )
            )
            continue
        layers[name] = frame.to_crs(district.crs)
    if problems:
        raise DataError(problems)
    return district.with_layers(**layers)
