"""Typed access and per-layer validation, one module per layer family.

`validate_layer` applies the schema (`_validate.conform_layer`) and then the
family's own rules.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from gridmap.errors import Problem
from gridmap.layers import buildings, equipment, grids, inspections, plan, units
from gridmap.layers._validate import conform_layer, rename_aliases
from gridmap.schema import LayerSpec

_FAMILY_RULES: dict[str, Callable[..., list[Problem]]] = {
    "grid_large": grids.validate,
    "grid_medium": grids.validate,
    "grid_small": grids.validate,
    "buildings": buildings.validate_buildings,
    "households": buildings.validate_households,
    "units": units.validate,
    "equipment_points": equipment.validate,
    "inspections": inspections.validate_inspections,
    "hazards": inspections.validate_hazards,
    "trainings": plan.validate_trainings,
    "fire_teams": plan.validate_fire_teams,
    "emergency_plans": plan.validate_emergency_plans,
    "drills": plan.validate_drills,
    "meetings": plan.validate_meetings,
}


def validate_layer(
    frame: pd.DataFrame, spec: LayerSpec, *, file: str | None = None, coerce_ids: bool = False
) -> tuple[pd.DataFrame, list[Problem]]:
    """Return the layer typed to its schema, with every problem found in it."""
    typed, problems = conform_layer(frame, spec, file=file, coerce_ids=coerce_ids)
    rules = _FAMILY_RULES.get(spec.name)
    if rules is not None and not any(p.severity == "error" for p in problems):
        found = rules(typed)
        problems += [Problem(**{**p.__dict__, "file": file, "layer": spec.name}) for p in found]
    return typed, problems


__all__ = ["conform_layer", "rename_aliases", "validate_layer"]
