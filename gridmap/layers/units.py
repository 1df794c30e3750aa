"""Social units (社会单位): key units, general units, 九小场所, street shops, family workshops."""

from __future__ import annotations

import pandas as pd

from gridmap.errors import Problem
from gridmap.schema import UNIT_CATEGORIES


def validate(frame: pd.DataFrame) -> list[Problem]:
    """Units need no rules beyond the schema at load."""
    return []


def counts_by_category(units: pd.DataFrame) -> pd.Series:
    """Units per category, every category present (zero where none)."""
    return units["category"].value_counts().reindex(list(UNIT_CATEGORIES), fill_value=0)
