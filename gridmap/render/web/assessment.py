"""The score choropleth of the Assessment page: towns or communities coloured by score band.

The bands are fixed (not quantiles), so a map of one period compares with
another: 90 and above, 80-90, 60-80, below 60, and vetoed grids apart. The map
itself is `gridmap.render.web.inspections.choropleth_map` (offline assets,
GCJ-02 shift done by the caller's `to_web`).

>>> colours, legend = score_colours(pd.Series([95.0, 85.0, 70.0, 40.0, 0.0, None]),
...                                 pd.Series([False, False, False, False, True, False]))
>>> colours.tolist()
['#1a9850', '#91cf60', '#fee08b', '#fc8d59', '#7f0000', '#d9d9d9']
>>> list(legend)[0], list(legend)[-1]
('≥ 90', 'vetoed')
"""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from gridmap.render.web.assets import STATIC_URL
from gridmap.render.web.inspections import NO_DATA, choropleth_map
from gridmap.render.web.tiles import TileProvider

#: (lower bound, legend label, colour) of the score bands, best first.
SCORE_BANDS = (
    (90.0, "≥ 90", "#1a9850"),
    (80.0, "80 – 90", "#91cf60"),
    (60.0, "60 – 80", "#fee08b"),
    (-np.inf, "< 60", "#fc8d59"),
)
VETOED = "#7f0000"


def score_colours(
    score: pd.Series, vetoed: pd.Series, *, vetoed_label: str = "vetoed"
) -> tuple[pd.Series, dict[str, str]]:
    """Return a colour per grid by score band (vetoed dark red, no score grey) and the legend."""
    values = pd.to_numeric(score, errors="coerce").to_numpy(dtype=float)
    colours = np.full(len(values), NO_DATA, dtype=object)
    known = ~np.isnan(values)
    for low, _, colour in reversed(SCORE_BANDS):  # best band last, so it wins
        colours[known & (values >= low)] = colour
    colours[np.asarray(vetoed, dtype=bool)] = VETOED
    legend = {label: colour for _, label, colour in SCORE_BANDS}
    legend[vetoed_label] = VETOED
    return pd.Series(colours, index=score.index), legend


def score_map(
    grids: gpd.GeoDataFrame,
    *,
    fields: dict[str, str],
    bounds: list[list[float]],
    vetoed_label: str = "vetoed",
    tiles: TileProvider | None = None,
    tile_key: str | None = None,
    asset_base: str | None = STATIC_URL,
    name: str = "",
) -> folium.Map:
    """Grids (EPSG:4326, with ``score`` and ``vetoed`` columns) coloured by score band."""
    colours, legend = score_colours(grids["score"], grids["vetoed"], vetoed_label=vetoed_label)
    return choropleth_map(
        grids,
        colour=colours,
        fields=fields,
        bounds=bounds,
        legend=legend,
        tiles=tiles,
        tile_key=tile_key,
        asset_base=asset_base,
        name=name,
    )
