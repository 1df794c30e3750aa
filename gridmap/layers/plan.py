"""The plan's other ledgers: trainings, fire teams, emergency plans, drills and joint meetings.

Checks within one layer only, all warnings (the records are kept and loaded):
a negative count (participants, members, attendees), a date in the future,
a "five into" publicity without its target, a plan whose last drill is dated
before its approval. References to other layers (a grid id no grid has, a drill
of an unknown plan) are reported by the assessment (`gridmap.analysis.plan_records`),
which sees the whole district.

>>> frame = pd.DataFrame({"participants": [12, -3], "date": pd.to_datetime(
...     ["2026-01-05", "2026-01-06"]).tz_localize("Asia/Shanghai"), "kind": ["five_into"] * 2,
...     "target": ["school", None]})
>>> [p.field for p in validate_trainings(frame, now=pd.Timestamp("2026-02-01", tz="Asia/Shanghai"))]
['participants', 'target']
"""

from __future__ import annotations

import pandas as pd

from gridmap import clock
from gridmap.errors import Problem


def _now(now: pd.Timestamp | None) -> pd.Timestamp:
    return now if now is not None else clock.now_in_shanghai()


def _negative(frame: pd.DataFrame, field: str, what: str) -> list[Problem]:
    if field not in frame.columns:
        return []
    bad = pd.to_numeric(frame[field], errors="coerce") < 0
    if not bad.any():
        return []
    return [
        Problem(
            "warning",
            f"{int(bad.sum())} records have a negative {what}.",
            field=field,
            count=int(bad.sum()),
            fix=f"enter the {what} as a whole number of people, 0 or more.",
        )
    ]


def _future(frame: pd.DataFrame, field: str, what: str, now: pd.Timestamp) -> list[Problem]:
    if field not in frame.columns:
        return []
    future = frame[field] > now
    if not future.any():
        return []
    return [
        Problem(
            "warning",
            f"{int(future.sum())} {what} are dated in the future.",
            field=field,
            count=int(future.sum()),
            fix="check the dates; a record is entered after the event.",
        )
    ]


def validate_trainings(frame: pd.DataFrame, *, now: pd.Timestamp | None = None) -> list[Problem]:
    """Negative participants, future dates, five-into publicity without a target."""
    problems = _negative(frame, "participants", "number of participants")
    problems += _future(frame, "date", "trainings", _now(now))
    if "target" in frame.columns:
        untargeted = (frame["kind"] == "five_into") & frame["target"].isna()
        if untargeted.any():
            problems.append(
                Problem(
                    "warning",
                    f"{int(untargeted.sum())} 'five into' publicity records do not say whom "
                    "they reached.",
                    field="target",
                    count=int(untargeted.sum()),
                    fix="fill in the target: community, school, enterprise, village or household.",
                )
            )
    return problems


def validate_fire_teams(frame: pd.DataFrame) -> list[Problem]:
    """Negative member counts."""
    return _negative(frame, "members", "number of members")


def validate_emergency_plans(
    frame: pd.DataFrame, *, now: pd.Timestamp | None = None
) -> list[Problem]:
    """Plans approved in the future; a last drill dated before the plan's approval."""
    problems = _future(frame, "approved_at", "plans", _now(now))
    if {"approved_at", "last_drill_at"} <= set(frame.columns):
        early = frame["last_drill_at"] < frame["approved_at"]
        if early.any():
            problems.append(
                Problem(
                    "warning",
                    f"{int(early.sum())} plans were last drilled before they were approved.",
                    field="last_drill_at",
                    count=int(early.sum()),
                    fix="check both dates; a drill follows the plan it exercises.",
                )
            )
    return problems


def validate_drills(frame: pd.DataFrame, *, now: pd.Timestamp | None = None) -> list[Problem]:
    """Negative participants, future dates."""
    problems = _negative(frame, "participants", "number of participants")
    return problems + _future(frame, "date", "drills", _now(now))


def validate_meetings(frame: pd.DataFrame, *, now: pd.Timestamp | None = None) -> list[Problem]:
    """Negative attendance, future dates."""
    problems = _negative(frame, "attendees", "number of attendees")
    return problems + _future(frame, "date", "meetings", _now(now))
