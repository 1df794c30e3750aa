"""Boundary editing: the planner's operations on the grids, and the review before a save.

Every operation is a pure function of the district and the planner's drawing
that returns an `Edit` (`gridmap.layers.Edit`); `review_edit` shows what it
would do (new findings, who changes zone, the load per zone) and
`EditReview.approve` is the plan's gate before `gridmap.io.commit_edits`
saves it. Modules:

- `operations`: draw, split, merge, reshape, transfer, reassign and delete grids;
- `geometry`: clean polygons, snapping, cutting and the grid id scheme;
- `review`: `review_edit`, `EditReview` and its gate (`EditReview.approve`).

The examples in this package's docstrings run on the bundled sample district,
``district = gridmap.io.read_district("data/boundaries/shangjie_demo.gpkg")``
(tests/test_docstring_examples.py runs them).

>>> "gap" in EDIT_CHECKS
True
"""

from gridmap.analysis.editing.geometry import next_grid_ids, polygonal, snap_geometry
from gridmap.analysis.editing.operations import (
    delete_grid,
    draw_grid,
    merge_grids,
    reassign_grid,
    reshape_boundary,
    split_grid,
    transfer_area,
)
from gridmap.analysis.editing.review import EDIT_CHECKS, EditReview, edits_small_ids, review_edit

__all__ = [
    "EDIT_CHECKS",
    "EditReview",
    "delete_grid",
    "draw_grid",
    "edits_small_ids",
    "merge_grids",
    "next_grid_ids",
    "polygonal",
    "reassign_grid",
    "reshape_boundary",
    "review_edit",
    "snap_geometry",
    "split_grid",
    "transfer_area",
]
