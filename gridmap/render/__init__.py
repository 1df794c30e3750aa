"""Rendering: the district's layers and results drawn for a screen or for paper.

Nothing here reads or writes files or goes to the network: the renderers take
layers and results in memory and return folium maps, matplotlib figures or
bytes; `gridmap.io` writes them and passes in what needs a disk or a network
(the tile fetcher and the font store of printed maps).

Packages
--------
web
    Folium/Leaflet maps for the app: the coverage map, the inspection,
    equipment, assessment and editing maps, their data preparation, styles,
    tile providers and locally served JS/CSS assets.
pdf
    Print-ready maps with matplotlib: one sheet of the district or a grid,
    the per-grid atlas, the optional web-tile basemap and the CJK font.

Import the subpackage you need (``from gridmap.render.web import build_map``,
``from gridmap.render.pdf import map_sheet``); this facade loads neither, so
the CLI does not pay for folium when it prints, nor the app for matplotlib.
"""

__all__ = ["pdf", "web"]
