"""Exact MCLP for many candidates: price candidates in, bound, fix out, then solve what is left.

On merged rows the MCLP reads ``max sum_r w_r y_r + sum_j f_j x_j`` subject to
``y_r <= sum_j a_rj x_j``, ``sum_j x_j <= p``, ``0 <= x, y <= 1`` (x binary).
Any multipliers ``0 <= lambda_r <= w_r`` and ``theta >= 0`` bound it from above
(LP duality)::

    D = p theta + sum_j max(0, c_j - theta) + sum_r (w_r - lambda_r),
    c_j = f_j + sum_r a_rj lambda_r

and a solution that opens candidate j is worth at most ``D - max(0, theta - c_j)``.

1. Column generation: solve the LP on a few promising candidates, read its
   duals (rows it does not reach get ``lambda_r = w_r``), price every other
   candidate (``c_j > theta`` enters), repeat until none enters. Then D is
   the full LP bound, found on a small LP.
2. The MIP on those candidates gives an incumbent of value ``LB``.
3. A candidate that cannot reach ``LB + 1`` (integral weights; ``LB`` otherwise)
   is left out; if everything left was already in step 2's MIP, which was
   solved to optimality, the incumbent is optimal. Otherwise the MIP on what is
   left (and the incumbent's candidates) decides.

Every bound used is recomputed from clipped multipliers, so numerical noise in
the LP duals can only weaken the fixing, never make it wrong.
"""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp

from gridmap.analysis.equipment._core import (
    aggregate_rows,
)
from gridmap.analysis.equipment._solver import (
    MilpModel,
    SolverRun,
    compact_rows,
    mclp_model,
    relative_gap,
    solve,
)


def coverage_value(rows: sp.csr_matrix, weight: np.ndarray, folded: np.ndarray, x: np.ndarray):
    """Objective of the selection `x` (boolean over columns), without the offset."""
    hit = rows @ x.astype(np.int64) > 0
    return float(weight @ hit + folded @ x)


_TRACE: list | None = None  # set to a list to record the column-generation rounds


def improve_by_swaps(
    rows: sp.csr_matrix,
    weight: np.ndarray,
    folded: np.ndarray,
    x: np.ndarray,
    allowed: np.ndarray,
    *,
    rounds: int = 100,
) -> np.ndarray:
    """Best-improvement local search swapping one open column for one `allowed` column.

    Swapping in j and out k changes the objective by exactly
    ``gain_j - loss_k + overlap_jk``: the uncovered weight j adds, the weight
    only k covers, and the part of that weight j covers too.
    """
    x = x.copy()
    pool = np.flatnonzero(allowed)
    by_pool = rows[:, pool].tocsc()
    for _ in range(rounds):
        inside = np.flatnonzero(x)
        if len(inside) == 0 or len(pool) == 0:
            break
        count = rows @ x.astype(np.float64)
        gain = by_pool.T @ (weight * (count == 0)) + folded[pool]
        only = sp.csr_matrix(rows[:, inside].multiply((count == 1)[:, None]))
        loss = np.asarray(only.T @ weight).ravel() + folded[inside]
        overlap = np.asarray((by_pool.T @ only.multiply(weight[:, None])).todense())
        delta = gain[:, None] - loss[None, :] + overlap
        delta[x[pool], :] = -np.inf
        j, k = np.unravel_index(np.argmax(delta), delta.shape)
        if delta[j, k] <= 1e-9:
            break
        x[pool[j]], x[inside[k]] = True, False
    return x


def _no_groups(n: int):
    return sp.csr_matrix((0, n)), np.zeros(0), np.zeros(0)


def _top(score: np.ndarray, mask: np.ndarray, k: int) -> np.ndarray:
    """Positions of the `k` highest scores among `mask`."""
    pos = np.flatnonzero(mask)
    if len(pos) <= k:
        return pos
    return pos[np.argpartition(-score[pos], k - 1)[:k]]


def _restricted_lp(rows, weight, folded, p, cols, *, time_limit, threads):
    """LP on `cols` over merged rows; returns multipliers for every row, theta, x and value.

    Rows are merged (same columns) and single-column rows folded for speed; the
    multipliers are spread back: a merged row's dual is shared in proportion to
    weight, and a folded row gets its full weight (its column's cost carries it).
    """
    sub = rows[:, cols].tocsr()
    reach = np.flatnonzero(sub.getnnz(axis=1) > 0)
    merged, merged_weight, member = aggregate_rows(sub[reach], weight[reach])
    nnz = merged.getnnz(axis=1)
    many, single = np.flatnonzero(nnz > 1), np.flatnonzero(nnz == 1)
    single_col = merged[single].indices
    f = folded[cols] + np.bincount(single_col, merged_weight[single], minlength=len(cols))
    lp = mclp_model(
        merged[many],
        merged_weight[many],
        f,
        p,
        _no_groups(len(cols)),
        offset=0.0,
        integral=False,
        relax=True,
    )
    run = solve(lp, time_limit=time_limit, mip_gap=0.0, threads=threads)
    if run.status != "optimal" or run.duals is None:
        return None
    x = np.clip(run.values[: len(cols)], 0, 1)
    merged_lam = np.zeros(merged.shape[0])
    merged_lam[many] = np.abs(run.duals[: len(many)])
    merged_lam[single] = merged_weight[single]  # the folded LP's dual, spread back
    merged_lam = np.clip(merged_lam, 0, merged_weight)
    lam = weight.copy()
    share = np.divide(
        weight[reach],
        merged_weight[member],
        out=np.zeros(len(reach)),
        where=merged_weight[member] > 0,
    )
    lam[reach] = merged_lam[member] * share
    if _TRACE is not None:
        _TRACE.append((len(cols), len(many), run.objective, round(run.seconds, 2)))
    return lam, float(abs(run.duals[len(many)])), x, run.objective


def _lp_bound(rows, weight, folded, p, chosen, *, time_limit, threads, by_column_t):
    """Column generation on the LP: (bound D, costs c, theta, columns used, LP support)."""
    n = rows.shape[1]
    used = chosen.copy()
    used[_top(folded + by_column_t @ weight, ~used, 5 * p)] = True
    scale = max(1.0, float(weight.max(initial=0)), float(folded.max(initial=0)))
    deadline = time.perf_counter() + time_limit
    best = None
    for _ in range(100):
        cols = np.flatnonzero(used)
        left = deadline - time.perf_counter()
        found = _restricted_lp(
            rows, weight, folded, p, cols, time_limit=max(left, 0.1), threads=threads
        )
        if found is None:
            return best
        lam, theta, x, value = found
        c = folded + by_column_t @ lam
        bound = float(p * theta + np.maximum(c - theta, 0).sum() + (weight - lam).sum())
        support = np.zeros(n, bool)
        support[cols[x > 1e-6]] = True
        if best is None or bound < best[0]:
            best = (bound, c, theta, used.copy(), support)
        enter = ~used & (c > theta + 1e-7 * scale)
        if not enter.any() or bound - value <= 1e-4 * max(1.0, abs(value)):
            return best
        used[_top(c - theta, enter, max(3 * p, 100))] = True
        if used.sum() > n // 2 or time.perf_counter() > deadline:
            return best
    return best


def _solve_on(rows, weight, folded, p, columns, *, start, integral, time_limit, mip_gap, threads):
    """Solve the MIP restricted to `columns`: its run, the selection over all columns, model."""
    n = rows.shape[1]
    sub_rows, sub_weight, sub_folded = compact_rows(rows, weight, folded, columns)
    model = mclp_model(
        sub_rows,
        sub_weight,
        sub_folded,
        p,
        _no_groups(len(columns)),
        offset=0.0,
        integral=integral,
    )
    x_start = start[columns].astype(float)
    y_start = np.minimum(sub_rows @ x_start, 1.0)
    run = solve(
        model,
        time_limit=time_limit,
        mip_gap=mip_gap,
        start=np.r_[x_start, y_start],
        threads=threads,
    )
    x = np.zeros(n, bool)
    if len(run.values):
        x[columns[run.values[: len(columns)] > 0.5]] = True
    return run, x, model


def solve_by_pricing(
    rows: sp.csr_matrix,
    weight: np.ndarray,
    folded: np.ndarray,
    p: int,
    start: np.ndarray,
    *,
    offset: float,
    integral: bool,
    time_limit: float,
    mip_gap: float,
    threads: int | None,
) -> tuple[SolverRun, np.ndarray, MilpModel]:
    """Solve the plain MCLP exactly (see the module doc); x is over all columns."""
    began = time.perf_counter()
    rows = sp.csr_matrix(rows, dtype=np.float64)
    n = rows.shape[1]
    options = {"integral": integral, "mip_gap": mip_gap, "threads": threads}
    found = _lp_bound(
        rows,
        weight,
        folded,
        p,
        start.astype(bool),
        time_limit=time_limit / 2,
        threads=threads,
        by_column_t=rows.T.tocsr(),
    )
    if found is None:  # fall back to the whole model
        run, x, model = _solve_on(
            rows, weight, folded, p, np.arange(n), start=start, time_limit=time_limit, **options
        )
        return _finish_run(
            run,
            x,
            model,
            lp_bound=None,
            offset=offset,
            began=began,
            rows=rows,
            weight=weight,
            folded=folded,
        )
    bound, c, theta, used, support = found
    # An incumbent from the LP's support (and the greedy start), then the fixing.
    left = max(time_limit - (time.perf_counter() - began), 1.0)
    first = np.flatnonzero(support | start.astype(bool))
    run, x, model = _solve_on(
        rows, weight, folded, p, first, start=start, time_limit=left, **options
    )
    value = coverage_value(rows, weight, folded, x) if len(run.values) else -np.inf
    if value < coverage_value(rows, weight, folded, start):
        x, value = start.astype(bool), coverage_value(rows, weight, folded, start)
    need = value + (1 - 1e-6 if integral else 1e-9 * max(1.0, abs(value)))
    could_beat = bound - np.maximum(theta - c, 0) >= need
    better = improve_by_swaps(rows, weight, folded, x, could_beat)
    if coverage_value(rows, weight, folded, better) > value:
        x, value = better, coverage_value(rows, weight, folded, better)
        need = value + (1 - 1e-6 if integral else 1e-9 * max(1.0, abs(value)))
        could_beat = bound - np.maximum(theta - c, 0) >= need
    tried = np.zeros(n, bool)
    tried[first] = True
    if _TRACE is not None:
        _TRACE.append(("fix", int(len(first)), value, int(could_beat.sum())))
    if run.status == "optimal" and not (could_beat & ~tried).any():
        proven = replace_run(run, value, value, "optimal", time.perf_counter() - began)
        return _finish_run(
            proven,
            x,
            model,
            lp_bound=bound,
            offset=offset,
            began=began,
            rows=rows,
            weight=weight,
            folded=folded,
        )
    keep = np.flatnonzero(could_beat | x)
    left = max(time_limit - (time.perf_counter() - began), 1.0)
    run, x_final, model = _solve_on(
        rows, weight, folded, p, keep, start=x, time_limit=left, **options
    )
    if len(run.values) and coverage_value(rows, weight, folded, x_final) >= value:
        x = x_final
    return _finish_run(
        run,
        x,
        model,
        lp_bound=bound,
        offset=offset,
        began=began,
        rows=rows,
        weight=weight,
        folded=folded,
    )


def replace_run(
    run: SolverRun, objective: float, bound: float, status: str, seconds: float
) -> SolverRun:
    return SolverRun(run.values, status, objective, bound, 0.0, seconds)


def _finish_run(run, x, model, *, lp_bound, offset, began, rows, weight, folded):
    """Return the run in the caller's terms: objective and bound with the offset, gap recomputed."""
    if x is None:
        x = np.zeros(rows.shape[1], bool)
    value = coverage_value(rows, weight, folded, x)
    bound = run.bound if np.isfinite(run.bound) else np.inf
    if lp_bound is not None:
        bound = min(lp_bound, max(bound, value))
    if run.status == "optimal":
        bound = max(value, min(bound, value))
    total, total_bound = value + offset, bound + offset
    gap = relative_gap(total, total_bound, model)
    out = SolverRun(run.values, run.status, total, total_bound, gap, time.perf_counter() - began)
    return out, x, model
