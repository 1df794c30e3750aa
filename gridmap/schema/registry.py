"""Every layer GridMap knows, the grid levels and the accepted layer names."""

from __future__ import annotations

from gridmap.schema.fields import LayerSpec
from gridmap.schema.layers import (
    BUILDINGS,
    EQUIPMENT_POINTS,
    GRID_LARGE,
    GRID_MEDIUM,
    GRID_SMALL,
    HAZARDS,
    HOUSEHOLDS,
    INSPECTIONS,
    UNITS,
)
from gridmap.schema.plan_layers import DRILLS, EMERGENCY_PLANS, FIRE_TEAMS, MEETINGS, TRAININGS

#: Every layer GridMap knows, in the order it is loaded, shown and documented.
LAYERS: dict[str, LayerSpec] = {
    spec.name: spec
    for spec in (
        GRID_LARGE,
        GRID_MEDIUM,
        GRID_SMALL,
        BUILDINGS,
        HOUSEHOLDS,
        UNITS,
        EQUIPMENT_POINTS,
        INSPECTIONS,
        HAZARDS,
        TRAININGS,
        FIRE_TEAMS,
        EMERGENCY_PLANS,
        DRILLS,
        MEETINGS,
    )
}
#: The optional record layers of the plan's other work items (issue 10).
PLAN_LAYERS = ("trainings", "fire_teams", "emergency_plans", "drills", "meetings")
GRID_LEVELS = ("grid_large", "grid_medium", "grid_small")
#: The parent level of each grid level that has one.
PARENT_LEVEL = {"grid_medium": "grid_large", "grid_small": "grid_medium"}


def layer_alias_map() -> dict[str, str]:
    """Map every accepted layer name (lower-cased) to the canonical layer name."""
    out: dict[str, str] = {}
    for spec in LAYERS.values():
        for alias in (spec.name, *spec.aliases):
            out[alias.strip().lower()] = spec.name
    return out
