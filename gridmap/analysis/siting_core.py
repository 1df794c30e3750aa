"""Plumbing of the siting models: sparse pairs, exact reductions, and the HiGHS call.

The models themselves are in `gridmap.analysis.siting_model`. No geometry
here: demand is a weight vector, sites are columns, and which site serves
which demand is a sparse boolean matrix (`cover`, demand x sites) built from a
KD-tree or a road network, never a dense all-pairs matrix. This is the level
of spopt's ``from_cost_matrix``; `gridmap.analysis.siting` wraps it for
GeoDataFrames.

Models
------
MCLP (maximal covering)
    Open at most ``p`` new sites to maximise the covered demand weight; fixed
    sites (existing points) are open and counted.
LSCP (set covering)
    Open the fewest new sites so that every demand (or a share of the total
    weight) is covered.
p-median
    Open at most ``p`` new sites to minimise the weighted distance of every
    demand to its site (for comparison; needs distances within a cut-off).

Exactness. Before the solver, demand covered by a fixed site is counted and
dropped (without capacities), rows with the same set of candidate sites are
merged with their weights summed, and a row with a single candidate folds its
weight into that site's objective. None of this changes the optimum. The model
goes to HiGHS (highspy) with a time limit; with ``mip_gap=0`` and integral
weights the search stops once no better integral objective can exist, which is
a proof of optimality. Every reported coverage is recomputed from the chosen
sites, not read from the solver's continuous variables.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import highspy
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.spatial import cKDTree

from gridmap.errors import DataError, Problem

_INF = float(highspy.kHighsInf)
_STATUS = {
    highspy.HighsModelStatus.kOptimal: "optimal",
    highspy.HighsModelStatus.kTimeLimit: "time_limit",
    highspy.HighsModelStatus.kInfeasible: "infeasible",
    highspy.HighsModelStatus.kModelEmpty: "optimal",
    highspy.HighsModelStatus.kInterrupt: "interrupted",
    highspy.HighsModelStatus.kSolutionLimit: "solution_limit",
    highspy.HighsModelStatus.kMemoryLimit: "memory_limit",
}


@dataclass(frozen=True)
class Pairs:
    """Demand-site pairs within a distance: sparse, one entry per pair (zero distances kept)."""

    demand: np.ndarray
    site: np.ndarray
    distance: np.ndarray
    n_demand: int
    n_sites: int

    def cover(self, radius: float) -> sp.csr_matrix:
        """Boolean matrix (demand x sites): True where the distance is at most `radius`."""
        keep = self.distance <= radius
        return sp.csr_matrix(
            (np.ones(int(keep.sum()), dtype=bool), (self.demand[keep], self.site[keep])),
            shape=(self.n_demand, self.n_sites),
        )


def euclidean_pairs(demand_xy: np.ndarray, site_xy: np.ndarray, max_distance: float) -> Pairs:
    """All demand-site pairs at most `max_distance` apart, by KD-tree (inclusive).

    >>> pairs = euclidean_pairs(np.array([[0.0, 0], [10, 0]]), np.array([[0.0, 0]]), 10)
    >>> pairs.demand.tolist(), pairs.distance.tolist()
    ([0, 1], [0.0, 10.0])
    """
    demand_xy = np.asarray(demand_xy, dtype=float).reshape(-1, 2)
    site_xy = np.asarray(site_xy, dtype=float).reshape(-1, 2)
    if len(demand_xy) == 0 or len(site_xy) == 0:
        empty = np.array([], dtype=np.int64)
        return Pairs(empty, empty, np.array([], float), len(demand_xy), len(site_xy))
    found = cKDTree(demand_xy).sparse_distance_matrix(
        cKDTree(site_xy), max_distance, output_type="ndarray"
    )
    order = np.lexsort((found["j"], found["i"]))
    found = found[order]
    return Pairs(
        found["i"].astype(np.int64),
        found["j"].astype(np.int64),
        found["v"].astype(float),
        len(demand_xy),
        len(site_xy),
    )


@dataclass(frozen=True)
class SiteLimits:
    """Per-group limits on the number of open sites (fixed sites count).

    ``group[j]`` is the group (e.g. medium grid) position of site j, -1 for none;
    ``minimum[g]`` / ``maximum[g]`` bound the open sites of group g.
    """

    group: np.ndarray
    minimum: np.ndarray
    maximum: np.ndarray


@dataclass(frozen=True)
class Solution:
    """Result of one model: which sites are open and how much of each demand is covered."""

    model: str
    open: np.ndarray
    chosen: np.ndarray
    coverage: np.ndarray
    objective: float
    bound: float
    status: str
    gap: float
    solve_time: float
    build_time: float
    rows: int
    columns: int
    nonzeros: int
    flow: Pairs | None = None

    @property
    def optimal(self) -> bool:
        return self.status == "optimal"


# ---------------------------------------------------------------------------
# Reductions


@dataclass(frozen=True)
class _Reduced:
    free: np.ndarray  # site positions of the free columns
    matrix: sp.csr_matrix  # aggregated rows x free columns
    weight: np.ndarray  # weight of each aggregated row
    fixed_weight: float  # weight covered by fixed sites (uncapacitated models)
    coverable: np.ndarray  # bool per demand: some open-able site covers it


def _row_keys(matrix: sp.csr_matrix) -> np.ndarray:
    matrix.sort_indices()
    ptr, idx = matrix.indptr, matrix.indices.astype(np.int32)
    keys = [idx[a:b].tobytes() for a, b in zip(ptr[:-1], ptr[1:], strict=True)]
    return pd.factorize(pd.Series(keys, dtype=object))[0]


def _aggregate(
    matrix: sp.csr_matrix, weight: np.ndarray
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """Merge rows with the same set of columns, summing their weights.

    Returns the merged rows, their weights, and the merged row of each input row.
    """
    if matrix.shape[0] == 0:
        return matrix, weight, np.zeros(0, np.int64)
    keys = _row_keys(matrix)
    first = np.unique(keys, return_index=True)[1]
    return matrix[first], np.bincount(keys, weights=weight, minlength=len(first)), keys


def _reduce(cover: sp.csr_matrix, weight: np.ndarray, fixed: np.ndarray) -> _Reduced:
    covered_fixed = (
        cover[:, np.flatnonzero(fixed)].getnnz(axis=1) > 0
        if fixed.any()
        else np.zeros(cover.shape[0], bool)
    )
    free = np.flatnonzero(~fixed)
    sub = cover[:, free].tocsr()
    live = ~covered_fixed & (sub.getnnz(axis=1) > 0) & (weight > 0)
    matrix, agg_weight, _ = _aggregate(sub[np.flatnonzero(live)], weight[live])
    coverable = covered_fixed | (sub.getnnz(axis=1) > 0)
    return _Reduced(free, matrix, agg_weight, float(weight[covered_fixed].sum()), coverable)


def _fold_singletons(
    matrix: sp.csr_matrix, weight: np.ndarray, folded: np.ndarray | None = None
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """Drop rows with no candidate; rows with one candidate become its objective weight.

    Returns the remaining rows, their weights, and each column's folded weight
    (added to `folded` when given).
    """
    nnz = matrix.getnnz(axis=1)
    single = nnz == 1
    extra = np.bincount(
        matrix[np.flatnonzero(single)].indices, weights=weight[single], minlength=matrix.shape[1]
    )
    many = np.flatnonzero(nnz > 1)
    return matrix[many], weight[many], extra if folded is None else folded + extra


# ---------------------------------------------------------------------------
# Checks


def _check_inputs(cover: sp.spmatrix, weight: np.ndarray, fixed: np.ndarray | None):
    cover = sp.csr_matrix(cover, dtype=bool)
    weight = np.asarray(weight, dtype=float)
    if weight.shape != (cover.shape[0],):
        raise ValueError(f"weight has {weight.shape} entries; cover has {cover.shape[0]} rows.")
    if (weight < 0).any() or not np.isfinite(weight).all():
        raise ValueError("demand weights must be finite and >= 0.")
    fixed = np.zeros(cover.shape[1], bool) if fixed is None else np.asarray(fixed, dtype=bool)
    if fixed.shape != (cover.shape[1],):
        raise ValueError(f"fixed has {fixed.shape} entries; cover has {cover.shape[1]} columns.")
    return cover, weight, fixed


def _group_rows(
    limits: SiteLimits | None, free: np.ndarray, fixed: np.ndarray
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """Rows sum(x_j, j free in g) within [min - fixed_g, max - fixed_g], for limited groups."""
    if limits is None:
        return sp.csr_matrix((0, len(free))), np.zeros(0), np.zeros(0)
    group = np.asarray(limits.group, dtype=np.int64)
    n_groups = len(limits.minimum)
    fixed_count = np.bincount(group[fixed & (group >= 0)], minlength=n_groups)
    free_group = group[free]
    has = free_group >= 0
    member = sp.csr_matrix(
        (np.ones(int(has.sum())), (free_group[has], np.flatnonzero(has))),
        shape=(n_groups, len(free)),
    )
    free_count = np.asarray(member.sum(axis=1)).ravel()
    lo = np.asarray(limits.minimum, float) - fixed_count
    hi = np.asarray(limits.maximum, float) - fixed_count
    problems = []
    short = np.flatnonzero(lo > free_count)
    if len(short):
        problems.append(
            Problem(
                "error",
                f"{len(short)} grids need more points than they have candidates "
                f"(group positions {short[:10].tolist()}).",
                fix="add candidate sites inside those grids, or lower the minimum per grid.",
                count=len(short),
            )
        )
    over = np.flatnonzero(hi < 0)
    if len(over):
        problems.append(
            Problem(
                "error",
                f"{len(over)} grids already hold more fixed points than the maximum "
                f"(group positions {over[:10].tolist()}).",
                fix="raise the maximum per grid, or do not keep the existing points.",
                count=len(over),
            )
        )
    if problems:
        raise DataError(problems)
    active = np.flatnonzero((lo > 0) | (hi < free_count))
    return member[active], np.maximum(lo[active], 0), np.minimum(hi[active], free_count[active])


# ---------------------------------------------------------------------------
# The solver


@dataclass
class _Model:
    cost: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    integer: np.ndarray
    matrix: sp.csr_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray
    maximize: bool
    offset: float = 0.0
    integral_objective: bool = False


@dataclass(frozen=True)
class _Run:
    values: np.ndarray
    status: str
    objective: float
    bound: float
    gap: float
    seconds: float
    duals: np.ndarray | None = None


def _highs(time_limit: float, mip_gap: float, integral: bool, threads: int | None):
    solver = highspy._Highs() if hasattr(highspy, "_Highs") else highspy.Highs()  # no banner
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("time_limit", float(time_limit))
    solver.setOptionValue("mip_rel_gap", float(mip_gap))
    if integral and mip_gap == 0:
        # Objective values are integers: a gap below 1 proves the incumbent optimal.
        solver.setOptionValue("mip_abs_gap", 1.0 - 1e-6)
    if threads is not None:
        solver.setOptionValue("threads", int(threads))
    return solver


def _run(
    model: _Model,
    *,
    time_limit: float,
    mip_gap: float,
    start: np.ndarray | None = None,
    threads: int | None = None,
) -> _Run:
    n_col = len(model.cost)
    if n_col == 0:
        return _Run(np.zeros(0), "optimal", model.offset, model.offset, 0.0, 0.0)
    solver = _highs(time_limit, mip_gap, model.integral_objective, threads)
    a = model.matrix.tocsc()
    a.sort_indices()
    solver.passModel(
        n_col,
        a.shape[0],
        int(a.nnz),
        1,  # column-wise
        -1 if model.maximize else 1,
        float(model.offset),
        model.cost.astype(float),
        model.lower.astype(float),
        model.upper.astype(float),
        model.row_lower.astype(float),
        model.row_upper.astype(float),
        a.indptr.astype(np.int32),
        a.indices.astype(np.int32),
        a.data.astype(float),
        model.integer.astype(np.int32),
    )
    if start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = start.astype(float).tolist()
        solver.setSolution(solution)
    began = time.perf_counter()
    solver.run()
    seconds = time.perf_counter() - began
    status = solver.getModelStatus()
    name = _STATUS.get(status, solver.modelStatusToString(status).lower().replace(" ", "_"))
    info = solver.getInfo()
    has_value = info.primal_solution_status == 2  # feasible
    values = np.asarray(solver.getSolution().col_value) if has_value else np.zeros(0)
    objective = info.objective_function_value if has_value else float("nan")
    is_mip = bool(model.integer.any())
    bound = info.mip_dual_bound if is_mip else objective
    duals = None if is_mip or not has_value else np.asarray(solver.getSolution().row_dual)
    return _Run(values, name, objective, bound, _gap(objective, bound, model), seconds, duals)


def _gap(objective: float, bound: float, model: _Model) -> float:
    if not (np.isfinite(objective) and np.isfinite(bound)):
        return float("inf")
    if model.integral_objective:  # an integral objective cannot beat the rounded bound
        bound = np.floor(bound + 1e-6) if model.maximize else np.ceil(bound - 1e-6)
    diff = max(bound - objective if model.maximize else objective - bound, 0.0)
    return 0.0 if diff == 0 else diff / max(abs(objective), 1e-9)


def _is_integral(values: np.ndarray) -> bool:
    return bool(np.all(np.abs(values - np.round(values)) < 1e-9))


def _covered_share(cover: sp.csr_matrix, open_: np.ndarray) -> np.ndarray:
    return (cover @ open_.astype(np.int64) > 0).astype(float)


def _solution(model_name: str, run: _Run, **kw) -> Solution:
    return Solution(
        model=model_name,
        objective=float(kw.pop("objective")),
        bound=float(run.bound),
        status=run.status,
        gap=float(run.gap),
        solve_time=run.seconds,
        **kw,
    )


def _infeasible(model_name: str, hint: str) -> DataError:
    return DataError(Problem("error", f"the {model_name.upper()} model has no solution.", fix=hint))


def _stack(cover_block: sp.csr_matrix, n_y: int, extra: list[sp.csr_matrix]) -> sp.csr_matrix:
    """Rows ``[-cover | I]`` (``y_r - sum_j a_rj x_j <= 0``), then `extra` rows on x only."""
    blocks = [sp.hstack([-cover_block.astype(float), sp.identity(n_y, format="csr")])]
    for block in extra:
        blocks.append(sp.hstack([block.astype(float), sp.csr_matrix((block.shape[0], n_y))]))
    return sp.vstack(blocks, format="csr")


def _mclp_model(
    rows: sp.csr_matrix,
    weight: np.ndarray,
    folded: np.ndarray,
    p: int,
    groups: tuple[sp.csr_matrix, np.ndarray, np.ndarray],
    *,
    offset: float,
    integral: bool,
    relax: bool = False,
) -> _Model:
    """MCLP on merged rows: x (columns, binary) then y (rows, continuous in [0, 1])."""
    member, g_lo, g_hi = groups
    n_x, n_y = rows.shape[1], rows.shape[0]
    return _Model(
        cost=np.r_[folded, weight],
        lower=np.zeros(n_x + n_y),
        upper=np.ones(n_x + n_y),
        integer=np.r_[np.full(n_x, 0.0 if relax else 1.0), np.zeros(n_y)],
        matrix=_stack(rows, n_y, [sp.csr_matrix(np.ones((1, n_x))), member]),
        row_lower=np.r_[np.full(n_y, -_INF), -_INF, g_lo],
        row_upper=np.r_[np.zeros(n_y), p, g_hi],
        maximize=True,
        offset=offset,
        integral_objective=integral,
    )


def _compact(
    rows: sp.csr_matrix, weight: np.ndarray, folded: np.ndarray, columns: np.ndarray
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """The rows restricted to `columns`, merged again, single-candidate rows folded."""
    sub = rows[:, columns].tocsr()
    keep = np.flatnonzero(sub.getnnz(axis=1) > 0)
    merged, merged_weight, _ = _aggregate(sub[keep], weight[keep])
    return _fold_singletons(merged, merged_weight, folded[columns])


def _cap_bound(run: _Run, cap: float, model: _Model) -> _Run:
    """A maximisation's bound is at most `cap` (all demand covered); recompute the gap."""
    if not np.isfinite(run.bound) or run.bound <= cap:
        return run
    return replace(run, bound=cap, gap=_gap(run.objective, cap, model))
