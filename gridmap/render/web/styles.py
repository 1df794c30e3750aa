"""Styles of GridMap's web maps (Leaflet path options), the one home of the map colours.

The printed maps derive theirs from these (`gridmap.render.pdf.style`).
"""

from __future__ import annotations

from typing import Any

STYLES: dict[str, dict[str, Any]] = {
    "grid_large": {"color": "#17224d", "weight": 3.5, "opacity": 0.95, "fill": False},
    "grid_medium": {"color": "#4a5a7a", "weight": 1.6, "opacity": 0.9, "fillOpacity": 0.28},
    "grid_small": {
        "color": "#5d6d7e",
        "weight": 0.7,
        "opacity": 0.85,
        "fillOpacity": 0.0,
        "dashArray": "3 2",
    },
    "choropleth": {"color": "#5d6d7e", "weight": 0.7, "opacity": 0.9, "fillOpacity": 0.75},
    "buildings": {"color": "#6e6e6e", "weight": 0.6, "fillColor": "#a6a6a6", "fillOpacity": 0.7},
    "building_points": {"radius": 2.5, "color": "#6e6e6e", "weight": 1, "fillOpacity": 0.7},
    "buildings_agg": {
        "color": "#6e6e6e",
        "weight": 0.5,
        "fillColor": "#9e9e9e",
        "fillOpacity": 0.55,
        "rMin": 1.5,
        "rMax": 7,
    },
    "equipment": {
        "radius": 7,
        "color": "#ffffff",
        "weight": 2,
        "fillColor": "#1e8449",
        "fillOpacity": 1.0,
    },
    "finding.error": {"color": "#d62728", "weight": 1.5, "opacity": 1.0},
    "finding.warning": {"color": "#e67e22", "weight": 1.5, "opacity": 1.0},
    "missed.error": {
        "radius": 6,
        "color": "#7b0000",
        "weight": 1.5,
        "fillColor": "#ff1a1a",
        "fillOpacity": 0.95,
    },
    "missed.warning": {
        "radius": 5,
        "color": "#7e4500",
        "weight": 1,
        "fillColor": "#f39c12",
        "fillOpacity": 0.9,
    },
    "selection": {
        "color": "#ff8c00",
        "weight": 5,
        "opacity": 0.95,
        "fill": False,
        "interactive": False,
    },
}
