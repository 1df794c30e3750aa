"""The HiGHS call behind the siting models, and the MILP blocks they share.

`solve` passes a `MilpModel` (costs, bounds, integrality, a sparse constraint
matrix) to HiGHS (highspy) with a time limit and returns a `SolverRun`: values,
status, objective, bound and gap. With ``mip_gap=0`` and integral weights the
search stops once no better integral objective can exist (an absolute gap
below 1), which is a proof of optimality. `mclp_model` and `stack_cover` build
the maximal-covering rows used by `gridmap.analysis.equipment._models` and the
pricing loop of `gridmap.analysis.equipment._screen`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import highspy
import numpy as np
import scipy.sparse as sp

from gridmap.analysis.equipment._core import Solution, aggregate_rows, fold_singletons
from gridmap.errors import DataError, Problem

INF = float(highspy.kHighsInf)
_STATUS = {
    highspy.HighsModelStatus.kOptimal: "optimal",
    highspy.HighsModelStatus.kTimeLimit: "time_limit",
    highspy.HighsModelStatus.kInfeasible: "infeasible",
    highspy.HighsModelStatus.kModelEmpty: "optimal",
    highspy.HighsModelStatus.kInterrupt: "interrupted",
    highspy.HighsModelStatus.kSolutionLimit: "solution_limit",
    highspy.HighsModelStatus.kMemoryLimit: "memory_limit",
}


@dataclass
class MilpModel:
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
class SolverRun:
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


def solve(
    model: MilpModel,
    *,
    time_limit: float,
    mip_gap: float,
    start: np.ndarray | None = None,
    threads: int | None = None,
) -> SolverRun:
    n_col = len(model.cost)
    if n_col == 0:
        return SolverRun(np.zeros(0), "optimal", model.offset, model.offset, 0.0, 0.0)
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
    return SolverRun(
        values, name, objective, bound, relative_gap(objective, bound, model), seconds, duals
    )


def relative_gap(objective: float, bound: float, model: MilpModel) -> float:
    if not (np.isfinite(objective) and np.isfinite(bound)):
        return float("inf")
    if model.integral_objective:  # an integral objective cannot beat the rounded bound
        bound = np.floor(bound + 1e-6) if model.maximize else np.ceil(bound - 1e-6)
    diff = max(bound - objective if model.maximize else objective - bound, 0.0)
    return 0.0 if diff == 0 else diff / max(abs(objective), 1e-9)


def is_integral(values: np.ndarray) -> bool:
    return bool(np.all(np.abs(values - np.round(values)) < 1e-9))


def make_solution(model_name: str, run: SolverRun, **kw) -> Solution:
    return Solution(
        model=model_name,
        objective=float(kw.pop("objective")),
        bound=float(run.bound),
        status=run.status,
        gap=float(run.gap),
        solve_time=run.seconds,
        **kw,
    )


def infeasible(model_name: str, hint: str) -> DataError:
    return DataError(Problem("error", f"the {model_name.upper()} model has no solution.", fix=hint))


def stack_cover(cover_block: sp.csr_matrix, n_y: int, extra: list[sp.csr_matrix]) -> sp.csr_matrix:
    """Rows ``[-cover | I]`` (``y_r - sum_j a_rj x_j <= 0``), then `extra` rows on x only."""
    blocks = [sp.hstack([-cover_block.astype(float), sp.identity(n_y, format="csr")])]
    for block in extra:
        blocks.append(sp.hstack([block.astype(float), sp.csr_matrix((block.shape[0], n_y))]))
    return sp.vstack(blocks, format="csr")


def mclp_model(
    rows: sp.csr_matrix,
    weight: np.ndarray,
    folded: np.ndarray,
    p: int,
    groups: tuple[sp.csr_matrix, np.ndarray, np.ndarray],
    *,
    offset: float,
    integral: bool,
    relax: bool = False,
) -> MilpModel:
    """MCLP on merged rows: x (columns, binary) then y (rows, continuous in [0, 1])."""
    member, g_lo, g_hi = groups
    n_x, n_y = rows.shape[1], rows.shape[0]
    return MilpModel(
        cost=np.r_[folded, weight],
        lower=np.zeros(n_x + n_y),
        upper=np.ones(n_x + n_y),
        integer=np.r_[np.full(n_x, 0.0 if relax else 1.0), np.zeros(n_y)],
        matrix=stack_cover(rows, n_y, [sp.csr_matrix(np.ones((1, n_x))), member]),
        row_lower=np.r_[np.full(n_y, -INF), -INF, g_lo],
        row_upper=np.r_[np.zeros(n_y), p, g_hi],
        maximize=True,
        offset=offset,
        integral_objective=integral,
    )


def compact_rows(
    rows: sp.csr_matrix, weight: np.ndarray, folded: np.ndarray, columns: np.ndarray
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """Return the rows restricted to `columns`, merged again, single-candidate rows folded."""
    sub = rows[:, columns].tocsr()
    keep = np.flatnonzero(sub.getnnz(axis=1) > 0)
    merged, merged_weight, _ = aggregate_rows(sub[keep], weight[keep])
    return fold_singletons(merged, merged_weight, folded[columns])


def cap_bound(run: SolverRun, cap: float, model: MilpModel) -> SolverRun:
    """Cap a maximisation's bound at `cap` (all demand covered) and recompute the gap."""
    if not np.isfinite(run.bound) or run.bound <= cap:
        return run
    return replace(run, bound=cap, gap=relative_gap(run.objective, cap, model))


def column_groups(member: sp.csr_matrix, n_free: int) -> np.ndarray:
    group = np.full(n_free, -1, dtype=np.int64)
    coo = member.tocoo()
    group[coo.col] = coo.row
    return group


def greedy_start(
    rows: sp.csr_matrix,
    row_weight: np.ndarray,
    folded: np.ndarray,
    *,
    limit: float,
    need: float,
    groups: tuple[sp.csr_matrix, np.ndarray, np.ndarray],
) -> np.ndarray:
    """Greedy start: fill each group's minimum, then take the largest gain until done."""
    n_free = rows.shape[1]
    by_column = rows.tocsc()
    gain = np.asarray(rows.T @ row_weight).ravel() + folded
    covered = np.zeros(rows.shape[0], bool)
    member, g_lo, g_hi = groups
    col_group = column_groups(member, n_free)
    count = np.zeros(len(g_lo))
    chosen = np.zeros(n_free, bool)
    got = 0.0

    def take(j: int) -> None:
        nonlocal got
        chosen[j] = True
        got += gain[j]
        if col_group[j] >= 0:
            count[col_group[j]] += 1
        new = by_column.indices[by_column.indptr[j] : by_column.indptr[j + 1]]
        new = new[~covered[new]]
        covered[new] = True
        touched = rows[new]
        np.subtract.at(gain, touched.indices, np.repeat(row_weight[new], touched.getnnz(axis=1)))

    for g in np.flatnonzero(g_lo > 0):
        while count[g] < g_lo[g]:
            options = np.flatnonzero((col_group == g) & ~chosen)
            take(int(options[np.argmax(gain[options])]))
    while chosen.sum() < limit and got < need - 1e-9:
        full = np.zeros(n_free, bool)
        has = col_group >= 0
        full[has] = count[col_group[has]] >= g_hi[col_group[has]]
        allowed = ~chosen & ~full
        if not allowed.any():
            break
        j = int(np.flatnonzero(allowed)[np.argmax(gain[allowed])])
        if gain[j] <= 0:
            break
        take(j)
    return chosen
