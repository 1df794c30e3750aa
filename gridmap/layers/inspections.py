"""Inspection records (巡查记录) and fire hazards (火灾隐患)."""

from __future__ import annotations

import pandas as pd

from gridmap import clock
from gridmap.errors import Problem


def validate_inspections(frame: pd.DataFrame, *, now: pd.Timestamp | None = None) -> list[Problem]:
    """Return the problems of an inspections layer (records dated after `now`)."""
    now = now if now is not None else clock.now_in_shanghai()
    future = frame["inspected_at"] > now
    if future.any():
        return [
            Problem(
                "warning",
                f"{int(future.sum())} inspections are dated in the future.",
                field="inspected_at",
                count=int(future.sum()),
                fix="check the clock of the device that recorded them.",
            )
        ]
    return []


def validate_hazards(frame: pd.DataFrame) -> list[Problem]:
    """Return the problems of a hazards layer (rectified hazards without a date)."""
    problems: list[Problem] = []
    if "rectified_at" in frame.columns:
        missing = (frame["status"] == "rectified") & frame["rectified_at"].isna()
        if missing.any():
            problems.append(
                Problem(
                    "warning",
                    f"{int(missing.sum())} rectified hazards have no rectification date.",
                    field="rectified_at",
                    count=int(missing.sum()),
                )
            )
    if "deadline" in frame.columns:
        early = frame["deadline"] < frame["found_at"]
        if early.any():
            problems.append(
                Problem(
                    "warning",
                    f"{int(early.sum())} hazards have a deadline before they were found.",
                    field="deadline",
                    count=int(early.sum()),
                )
            )
    return problems
