"""The GridMap data model: layer names, fields, enums and aliases, in one place.

Every other module asks this package what a layer is called, which fields it
must have, what type each field holds, which values an enumerated field accepts
(and by which Chinese names) and which column names found in real ledgers (台帐)
mean the same field. ``docs/schema.md`` documents the same table for people; a
test keeps the two in step.

The package is split by kind of knowledge; every name is importable from here:

- `gridmap.schema.fields`: `Field`, `LayerSpec`, `Choice`, geometry kinds, `TIMEZONE`;
- `gridmap.schema.enums`: the enumerations with their Chinese and English labels;
- `gridmap.schema.aliases`: column names of real ledgers, per layer where layer-specific;
- `gridmap.schema.layers`, `gridmap.schema.plan_layers`: the layer specs;
- `gridmap.schema.registry`: `LAYERS`, the grid levels, `layer_alias_map`;
- `gridmap.schema.sheets`: `Sheet`, the one worksheet type of the ledgers.
- `gridmap.schema.sources`: `SourceTable`, one imported file as read from disk.
"""

from __future__ import annotations

from gridmap.schema.aliases import COORDINATE_ALIASES, PARENT_NAME_ALIASES
from gridmap.schema.enums import (
    BUILDING_USE_CHOICES,
    BUILDING_USES,
    CHOICE_LABELS_EN,
    CHOICE_LABELS_ZH,
    ENUMERATIONS,
    EQUIPMENT_STATUS_CHOICES,
    EQUIPMENT_STATUSES,
    FIRE_TEAM_KIND_CHOICES,
    FIRE_TEAM_KINDS,
    GRID_KIND_CHOICES,
    GRID_KINDS,
    HAZARD_SEVERITIES,
    HAZARD_SEVERITY_CHOICES,
    HAZARD_STATUS_CHOICES,
    HAZARD_STATUSES,
    INSPECTION_RESULT_CHOICES,
    INSPECTION_RESULTS,
    INSPECTOR_ROLE_CHOICES,
    INSPECTOR_ROLE_LABELS,
    INSPECTOR_ROLES,
    TRAINING_KIND_CHOICES,
    TRAINING_KINDS,
    TRAINING_TARGET_CHOICES,
    TRAINING_TARGETS,
    UNIT_CATEGORIES,
    UNIT_CATEGORY_CHOICES,
)
from gridmap.schema.fields import POINT, POLYGONAL, TIMEZONE, Choice, Field, FieldKind, LayerSpec
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
from gridmap.schema.registry import (
    GRID_LEVELS,
    LAYERS,
    PARENT_LEVEL,
    PLAN_LAYERS,
    layer_alias_map,
)
from gridmap.schema.sheets import Sheet
from gridmap.schema.sources import SourceTable

__all__ = [
    "Sheet",
    "SourceTable",
    "BUILDINGS",
    "BUILDING_USES",
    "BUILDING_USE_CHOICES",
    "CHOICE_LABELS_EN",
    "CHOICE_LABELS_ZH",
    "COORDINATE_ALIASES",
    "DRILLS",
    "EMERGENCY_PLANS",
    "ENUMERATIONS",
    "EQUIPMENT_POINTS",
    "EQUIPMENT_STATUSES",
    "EQUIPMENT_STATUS_CHOICES",
    "FIRE_TEAMS",
    "FIRE_TEAM_KINDS",
    "FIRE_TEAM_KIND_CHOICES",
    "GRID_KINDS",
    "GRID_KIND_CHOICES",
    "GRID_LARGE",
    "GRID_LEVELS",
    "GRID_MEDIUM",
    "GRID_SMALL",
    "HAZARDS",
    "HAZARD_SEVERITIES",
    "HAZARD_SEVERITY_CHOICES",
    "HAZARD_STATUSES",
    "HAZARD_STATUS_CHOICES",
    "HOUSEHOLDS",
    "INSPECTIONS",
    "INSPECTION_RESULTS",
    "INSPECTION_RESULT_CHOICES",
    "INSPECTOR_ROLES",
    "INSPECTOR_ROLE_CHOICES",
    "INSPECTOR_ROLE_LABELS",
    "LAYERS",
    "MEETINGS",
    "PARENT_LEVEL",
    "PARENT_NAME_ALIASES",
    "PLAN_LAYERS",
    "POINT",
    "POLYGONAL",
    "TIMEZONE",
    "TRAININGS",
    "TRAINING_KINDS",
    "TRAINING_KIND_CHOICES",
    "TRAINING_TARGETS",
    "TRAINING_TARGET_CHOICES",
    "UNITS",
    "UNIT_CATEGORIES",
    "UNIT_CATEGORY_CHOICES",
    "Choice",
    "Field",
    "FieldKind",
    "LayerSpec",
    "layer_alias_map",
]
