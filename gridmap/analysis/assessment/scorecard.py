"""The assessment scorecard (考核): every town and community, every indicator, a score and a rank.

`assess` measures each indicator of the scorecard table
(`gridmap.standards.assessment`) for every large and medium grid over a
period, compares it with its target, and scores the grid: the weights of the
indicators passed over the weights of those that apply, times 100, or 0 when a
veto indicator fails (一票否决). Grids are ranked within their level, highest
score first; equal scores share a rank.

What each indicator measures over a grid's tree (a community with its zones; a
town with its communities and zones):

==============  ==========================================================
coverage        error findings of `check_coverage` located in the grid
leaders         grids of the tree with a named leader / grids of the tree
inspections     inspections done / required by the frequency table
                (`gridmap.analysis.inspections.compliance.compliance`) over the tree
hazards         hazards whose deadline falls in the window rectified by it /
                those hazards (`gridmap.analysis.inspections.hazards.hazard_states`)
publicity       months with a publicity day / whole months, summed over the
                tree's communities (`gridmap.analysis.plan_records`)
trainings       trainings counted / required, likewise
drills          plans due a drill that were drilled / plans due
meetings        longest interval between joint meetings, in days (towns)
supervision     half years with supervision / whole half years (towns), by
                the frequency table's supervision row
equipment       existing points holding the standard kit / existing points
                (`gridmap.analysis.equipment.inventory_shortfalls`)
serious_fire    serious fires with responsibility not fulfilled that the
                user named in the grid's tree
==============  ==========================================================

A rate with nothing to count (no hazard due, no plan due, no equipment point,
no whole month in the window) does not apply and leaves the score.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gridmap.analysis.assessment.measures import RESULT_COLUMNS, Inputs, measure
from gridmap.analysis.assessment.periods import AssessmentPeriod, parse_period
from gridmap.analysis.coverage import CoverageReport
from gridmap.analysis.plan_records import (
    drill_status,
    grid_tree,
    meeting_intervals,
    reference_problems,
)
from gridmap.district import District
from gridmap.errors import Problem
from gridmap.standards.assessment import SCORECARD, Indicator, check_scorecard
from gridmap.standards.inspections import (
    DEFAULT_FREQUENCIES,
    InspectionRequirement,
    supervision_requirement,
)

#: Columns of `Assessment.scores` (one row per grid, ranked).
SCORE_COLUMNS = (
    "level",
    "grid_id",
    "name",
    "large_id",
    "rank",
    "score",
    "raw_score",
    "vetoed",
    "vetoed_by",
    "passed",
    "applicable",
)
_LEVEL_ORDER = {"grid_large": 0, "grid_medium": 1}


@dataclass(frozen=True)
class Assessment:
    """What `assess` found.

    Attributes
    ----------
    period
        The period assessed; `first` and `last` are the window's days.
    table
        The scorecard used.
    results
        One row per grid and indicator applying to its level (`RESULT_COLUMNS`):
        value (NaN where it does not apply), target, passed, the counts behind a
        rate, and a short text of the value in Chinese and English.
    scores
        One row per large and medium grid (`SCORE_COLUMNS`), large grids first,
        each level ranked.
    plans, meetings
        The drill status of every plan and the meeting intervals of every town.
    problems
        Records naming grids or plans the district does not have.
    supervision
        The supervision row of the frequency table used (the rule of the
        ``supervision`` indicator), None when the table has none.
    """

    period: AssessmentPeriod
    first: dt.date
    last: dt.date
    table: tuple[Indicator, ...]
    results: pd.DataFrame
    scores: pd.DataFrame
    plans: pd.DataFrame
    meetings: pd.DataFrame
    problems: tuple[Problem, ...] = field(default=())
    supervision: InspectionRequirement | None = None


# ---------------------------------------------------------------------------
# Assessing and scoring


def _targets(tree: pd.DataFrame) -> pd.DataFrame:
    rows = tree[tree["level"].isin(tuple(_LEVEL_ORDER))]
    rows = rows[rows["grid_id"].notna()].drop_duplicates(["level", "grid_id"])
    return rows[["level", "grid_id", "name", "large_id"]].reset_index(drop=True)


def _scores(targets: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    applicable = results[results["applicable"]]
    key = ["level", "grid_id"]
    weight = applicable.groupby(key)["weight"].sum()
    earned = (
        (applicable["weight"] * applicable["passed"])
        .groupby([applicable["level"], applicable["grid_id"]])
        .sum()
    )
    vetoes = applicable[applicable["veto"] & ~applicable["passed"]]
    vetoed_by = vetoes.groupby(key)["indicator"].agg(lambda s: ", ".join(s))
    counts = applicable.groupby(key)["passed"].agg(["sum", "size"])
    index = pd.MultiIndex.from_frame(targets[key])
    raw = (100 * earned / weight.where(weight > 0)).reindex(index)
    out = targets.copy()
    out["raw_score"] = raw.round(2).to_numpy(dtype=float)
    out["vetoed_by"] = vetoed_by.reindex(index).to_numpy(dtype=object)
    out["vetoed"] = out["vetoed_by"].notna()
    out["score"] = np.where(out["vetoed"], 0.0, out["raw_score"])
    out["passed"] = counts["sum"].reindex(index).fillna(0).astype(np.int64).to_numpy()
    out["applicable"] = counts["size"].reindex(index).fillna(0).astype(np.int64).to_numpy()
    out["rank"] = out.groupby("level")["score"].rank(method="min", ascending=False).astype("Int64")
    out["_level"] = out["level"].map(_LEVEL_ORDER)
    out = out.sort_values(["_level", "rank", "grid_id"], kind="stable", na_position="last")
    return out.reindex(columns=list(SCORE_COLUMNS)).reset_index(drop=True)


def assess(
    district: District,
    *,
    period: str | AssessmentPeriod,
    as_of: object | None = None,
    table: Iterable[Indicator] = SCORECARD,
    serious_fires: Iterable[str] = (),
    frequencies: Iterable[InspectionRequirement] = DEFAULT_FREQUENCIES,
    coverage: CoverageReport | None = None,
) -> Assessment:
    """Score every large and medium grid of `district` over `period`.

    Parameters
    ----------
    district
        The three grid layers; every other layer is used when present.
    period
        ``2025H2``, ``2026H1``, ``2026`` (or an `AssessmentPeriod`), in Asia/Shanghai.
    as_of
        The day of the assessment: a period still running is assessed up to it.
        None assesses the whole period.
    table
        The scorecard (`gridmap.standards.assessment.SCORECARD`).
    serious_fires
        Grid codes (zone, community or town) where a serious fire occurred with
        responsibility not fulfilled; the fire counts for the grid's community and town.
    frequencies
        The inspection frequency table (`gridmap.standards.inspections`); its
        supervision row (`supervision_requirement`) is the rule of the
        ``supervision`` indicator and is left out of ``inspections``.
    coverage
        `check_coverage(district)`, when already computed.

    Raises
    ------
    ValueError
        For an unreadable period, a period starting after `as_of`, an invalid
        table or a serious fire in an unknown grid.

    Examples
    --------
    >>> from gridmap.analysis.assessment import assess
    >>> result = assess(district, period="2026H1")
    >>> result.first, result.last
    (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    >>> result.scores.columns[:4].tolist()
    ['level', 'grid_id', 'name', 'large_id']
    """
    rows = check_scorecard(table)
    period = period if isinstance(period, AssessmentPeriod) else parse_period(period)
    first, last = period.window(as_of=as_of)
    tree = grid_tree(district)
    targets = _targets(tree)
    inputs = Inputs(
        district,
        tree,
        targets,
        first,
        last,
        tuple(frequencies),
        coverage,
        tuple(str(g) for g in serious_fires),
    )
    plans = drill_status(district, tree, last=last)
    towns = targets.loc[targets["level"] == "grid_large", "grid_id"]
    meetings = meeting_intervals(district, towns, first=first, last=last)
    results = measure(inputs, rows, plans, meetings)
    return Assessment(
        period=period,
        first=first,
        last=last,
        table=rows,
        results=results,
        scores=_scores(targets, results),
        plans=plans,
        meetings=meetings,
        problems=tuple(reference_problems(district, tree)),
        supervision=supervision_requirement(inputs.frequencies),
    )


__all__ = ["RESULT_COLUMNS", "SCORE_COLUMNS", "Assessment", "assess"]
