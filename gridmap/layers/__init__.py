"""The layer families: each family's validation at load and the knowledge that belongs to it.

`validate_layer` applies the schema (`_validate.conform_layer`) and then the
family's own rules. Modules:

- `_validate`: schema conformance of one layer (names, types, enums, geometry types);
- `grids`: the grid hierarchy (`CHILD_LEVEL`, `LINEAGE_COLUMN`), display names
  (`grid_names`) and which grid holds a point (`first_hit`);
- `buildings`: rules of buildings (楼栋) and households (住户);
- `equipment`: equipment storage points and their `INVENTORY_FIELDS`;
- `inspections`: rules of inspection records and fire hazards;
- `plan`: rules of the plan's other ledgers (trainings, teams, plans, drills, meetings);
- `edits`: the `Edit` type (what a change removes and adds) and `apply_edit`.

>>> LINEAGE_COLUMN["grid_small"]
'small_id'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd

from gridmap.errors import Problem
from gridmap.layers import buildings, equipment, inspections, plan
from gridmap.layers._validate import conform_layer, rename_aliases
from gridmap.layers.edits import Edit, apply_edit
from gridmap.layers.equipment import INVENTORY_FIELDS
from gridmap.layers.grids import (
    CHILD_LEVEL,
    LINEAGE_COLUMN,
    LINEAGE_COLUMNS,
    first_hit,
    grid_names,
)
from gridmap.schema import LayerSpec

#: Rules of a family beyond the schema, by layer (grids and units have none at load:
#: their gaps, overlaps and bad parents are the coverage check's findings).
_FAMILY_RULES: dict[str, Callable[..., list[Problem]]] = {
    "buildings": buildings.validate_buildings,
    "households": buildings.validate_households,
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
    """Return the layer typed to its schema, with every problem found in it.

    The family's rules run only when the schema found no error.
    """
    typed, problems = conform_layer(frame, spec, file=file, coerce_ids=coerce_ids)
    rules = _FAMILY_RULES.get(spec.name)
    if rules is not None and not any(p.severity == "error" for p in problems):
        found = rules(typed)
        problems += [replace(p, file=file, layer=spec.name) for p in found]
    return typed, problems


__all__ = [
    "CHILD_LEVEL",
    "INVENTORY_FIELDS",
    "LINEAGE_COLUMN",
    "LINEAGE_COLUMNS",
    "Edit",
    "apply_edit",
    "conform_layer",
    "first_hit",
    "grid_names",
    "rename_aliases",
    "validate_layer",
]
