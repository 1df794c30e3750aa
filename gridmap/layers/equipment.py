"""Equipment storage points (消防器材存放点) and their inventories."""

from __future__ import annotations

import pandas as pd

from gridmap.errors import Problem

#: Inventory count fields of an equipment point, in the plan's order.
INVENTORY_FIELDS = (
    "extinguishers",
    "gas_masks",
    "water_guns",
    "hoses",
    "wrenches",
    "boxes",
    "mist_units",
    "signage",
)


def validate(frame: pd.DataFrame) -> list[Problem]:
    """Return the problems of an equipment layer (negative inventory counts)."""
    problems: list[Problem] = []
    for field in INVENTORY_FIELDS:
        if field in frame.columns:
            negative = frame[field].fillna(0) < 0
            if negative.any():
                problems.append(
                    Problem(
                        "error",
                        f"{int(negative.sum())} points have a negative count.",
                        field=field,
                        count=int(negative.sum()),
                        fix="correct the inventory.",
                    )
                )
    return problems
