"""Equipment (消防器材): where to put new storage points, and the kit the plan calls for.

Siting chooses new equipment storage points (消防器材存放点) that cover the
demand (households, social units) within a service distance, straight or
walking over the roads, keeping the points already sited; the result becomes
an `Edit` of ``equipment_points`` (`siting_edit`). The kit side turns the plan's
standard (`gridmap.standards.equipment`) into a bill of materials and checks
the existing points' inventory.

The examples in this package's docstrings run on the bundled sample district,
``district = gridmap.io.read_district("data/boundaries/shangjie_demo.gpkg")``
(tests/test_docstring_examples.py runs them).

>>> from gridmap.analysis.equipment import SitingOptions
>>> SitingOptions(model="lscp", radius=250, share=0.9).share
0.9

Modules
-------
`siting`
    `site_equipment` and its options (`SitingOptions`): layers in, `SitingResult` out.
`inputs`
    Demand points, candidate sites and the points already sited.
`result`
    `SitingResult` (chosen sites, coverage before and after, solver report),
    the grid lineage of points and `siting_edit`.
`walking`
    Demand-site pairs within a walking distance over a road network.
`kit`
    Bill of materials for planned points and pilot communities, inventory shortfalls.
`_core`, `_models`, `_solver`, `_screen`, `_capacity` (private)
    The numeric core without geometry: sparse demand-site pairs, the MCLP,
    LSCP and p-median models (`mclp`, `lscp`, `pmedian`, exported here), the
    HiGHS call, the pricing loop for many candidates and the capacitated
    forms. They import each other's helpers; nothing else imports them.
"""

from __future__ import annotations

from gridmap.analysis.equipment._core import Pairs, SiteLimits, Solution, euclidean_pairs
from gridmap.analysis.equipment._models import lscp, mclp, pmedian
from gridmap.analysis.equipment.inputs import (
    DEFAULT_RADIUS,
    FIXED_STATUSES,
    Demand,
    candidate_sites,
    demand_points,
    fixed_points,
)
from gridmap.analysis.equipment.kit import (
    COMMUNITY_COLUMNS,
    TOTAL_ROW,
    BillOfMaterials,
    bill_of_materials,
    inventory_shortfalls,
    pilot_communities,
    point_communities,
    shortfall_table,
)
from gridmap.analysis.equipment.result import SitingResult, grid_lineage, siting_edit
from gridmap.analysis.equipment.siting import Model, SitingOptions, site_equipment
from gridmap.analysis.equipment.walking import (
    WALKING_SPEED_KMH,
    minutes_to_metres,
    network_pairs,
    road_graph,
)

__all__ = [
    "COMMUNITY_COLUMNS",
    "DEFAULT_RADIUS",
    "FIXED_STATUSES",
    "TOTAL_ROW",
    "WALKING_SPEED_KMH",
    "BillOfMaterials",
    "Demand",
    "Model",
    "Pairs",
    "SiteLimits",
    "SitingOptions",
    "SitingResult",
    "Solution",
    "bill_of_materials",
    "candidate_sites",
    "demand_points",
    "euclidean_pairs",
    "fixed_points",
    "grid_lineage",
    "inventory_shortfalls",
    "lscp",
    "mclp",
    "minutes_to_metres",
    "network_pairs",
    "pilot_communities",
    "pmedian",
    "point_communities",
    "road_graph",
    "shortfall_table",
    "site_equipment",
    "siting_edit",
]
