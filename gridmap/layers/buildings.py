"""Buildings (楼栋) and households (住户)."""

from __future__ import annotations

import pandas as pd

from gridmap.errors import Problem


def validate_buildings(frame: pd.DataFrame) -> list[Problem]:
    """Return the problems of a buildings layer (negative floors or household counts)."""
    problems: list[Problem] = []
    for field in ("floors", "households_expected"):
        if field in frame.columns:
            negative = frame[field].fillna(0) < 0
            if negative.any():
                problems.append(
                    Problem(
                        "error",
                        f"{int(negative.sum())} buildings have a negative {field}.",
                        field=field,
                        count=int(negative.sum()),
                        fix="correct the values.",
                    )
                )
    return problems


def validate_households(frame: pd.DataFrame) -> list[Problem]:
    """Return the problems of a households layer (negative member counts)."""
    if "members" in frame.columns and (frame["members"].fillna(0) < 0).any():
        n = int((frame["members"].fillna(0) < 0).sum())
        return [
            Problem(
                "error",
                f"{n} households have a negative member count.",
                field="members",
                count=n,
                fix="correct the values.",
            )
        ]
    return []
