"""Capacitated MCLP and LSCP: each open site serves at most `capacity` demand weight.

Variables: ``x_j`` (open new site j, binary) and ``z_rj`` (share of demand row
r served by site j, continuous, only for pairs within the service distance).
Demand may be split between sites (the households of one building may be served
by two points); rows with the same set of sites are merged first, which does
not change the optimum because a merged row can split exactly as its members
would. Fixed sites are open with the same capacity. The links ``z_rj <= x_j``
are kept explicitly: they tighten the relaxation a lot.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike

from gridmap.analysis.equipment._core import (
    Pairs,
    SiteLimits,
    Solution,
    aggregate_rows,
    coverable_target,
    fold_singletons,
    group_rows,
    reduce_cover,
)
from gridmap.analysis.equipment._solver import (
    INF,
    MilpModel,
    cap_bound,
    greedy_start,
    infeasible,
    is_integral,
    make_solution,
    solve,
)


def capacitated(  # noqa: PLR0913 -- the options of mclp and lscp, passed through
    name: str,
    cover: sp.csr_matrix,
    weight: np.ndarray,
    fixed: np.ndarray,
    *,
    capacity: float,
    p: int | None = None,
    share: float = 1.0,
    limits: SiteLimits | None = None,
    time_limit: float = 60.0,
    mip_gap: float = 0.0,
    threads: int | None = None,
    began: float | None = None,
) -> Solution:
    """Build the capacitated `mclp` (``name='mclp'``, `p`) or `lscp` (``'lscp'``, `share`)."""
    began = time.perf_counter() if began is None else began
    if capacity <= 0:
        raise ValueError("capacity must be > 0.")
    n_sites = cover.shape[1]
    live = (weight > 0) & (cover.getnnz(axis=1) > 0)
    live_rows = np.flatnonzero(live)
    agg, row_weight, member_row = aggregate_rows(cover[live_rows], weight[live])
    coo = agg.tocoo()
    r_of, j_of = coo.row.astype(np.int64), coo.col.astype(np.int64)
    n_r, n_z = agg.shape[0], len(r_of)
    free = np.flatnonzero(~fixed)
    pos = np.full(n_sites, -1)
    pos[free] = np.arange(len(free))
    n_x = len(free)
    z_col = n_x + np.arange(n_z)
    width = n_x + n_z

    def block(data, rows, cols, n_rows):
        return sp.csr_matrix((data, (rows, cols)), shape=(n_rows, width))

    served = block(np.ones(n_z), r_of, z_col, n_r)  # sum_j z_rj
    load = block(row_weight[r_of], j_of, z_col, n_sites)  # sum_r w_r z_rj ...
    open_free = block(-capacity * np.ones(n_x), free, np.arange(n_x), n_sites)  # ... - C x_j
    linked = np.flatnonzero(pos[j_of] >= 0)
    n_link = len(linked)
    link = block(
        np.r_[np.ones(n_link), -np.ones(n_link)],
        np.r_[np.arange(n_link), np.arange(n_link)],
        np.r_[z_col[linked], pos[j_of[linked]]],
        n_link,
    )
    member, g_lo, g_hi = group_rows(limits, free, fixed)
    groups = sp.hstack([member.astype(float), sp.csr_matrix((member.shape[0], n_z))])
    site_upper = np.where(fixed, capacity, 0.0)
    blocks = [served, load + open_free, link, groups]
    row_lower: list[ArrayLike] = [
        np.full(n_r, -INF),
        np.full(n_sites, -INF),
        np.full(n_link, -INF),
        g_lo,
    ]
    row_upper: list[ArrayLike] = [np.ones(n_r), site_upper, np.zeros(n_link), g_hi]
    if name == "mclp":
        if p is None:
            raise ValueError("the capacitated mclp needs p, the number of new points.")
        blocks.append(block(np.ones(n_x), np.zeros(n_x, int), np.arange(n_x), 1))
        row_lower.append([-INF])
        row_upper.append([p])
        cost = np.r_[np.zeros(n_x), row_weight[r_of]]
    else:
        reachable = np.zeros(len(weight), bool)
        reachable[live_rows] = True
        target = coverable_target(weight, reachable | (weight == 0), share)
        blocks.append(block(row_weight[r_of], np.zeros(n_z, int), z_col, 1))
        row_lower.append([target - 1e-9 * max(float(weight.sum()), 1)])
        row_upper.append([INF])
        cost = np.r_[np.ones(n_x), np.zeros(n_z)]
    model = MilpModel(
        cost=cost,
        lower=np.zeros(width),
        upper=np.ones(width),
        integer=np.r_[np.ones(n_x), np.zeros(n_z)],
        matrix=sp.vstack(blocks, format="csr"),
        row_lower=np.concatenate([np.asarray(v, float) for v in row_lower]),
        row_upper=np.concatenate([np.asarray(v, float) for v in row_upper]),
        maximize=name == "mclp",
        integral_objective=name == "lscp" or is_integral(weight),
    )
    built = time.perf_counter()
    start = None
    if name == "mclp" and n_x and p:
        start = _warm_start(
            model,
            cover,
            weight,
            fixed,
            p=p,
            groups=(member, g_lo, g_hi),
            n_x=n_x,
            time_limit=time_limit / 3,
            threads=threads,
        )
    left = max(time_limit - (time.perf_counter() - began), 1.0)
    run = solve(model, time_limit=left, mip_gap=mip_gap, start=start, threads=threads)
    if name == "mclp":
        run = cap_bound(run, float(weight.sum()), model)
    if run.status == "infeasible":
        raise infeasible(
            name, "raise the capacity or the number of points, or the per-grid limits."
        )
    return _expand(
        name,
        run,
        weight=weight,
        fixed=fixed,
        free=free,
        live_rows=live_rows,
        member_row=member_row,
        r_of=r_of,
        j_of=j_of,
        model=model,
        build_time=built - began,
    )


def _warm_start(model, cover, weight, fixed, *, p, groups, n_x, time_limit, threads):
    """Open the uncapacitated greedy choice and route demand by LP: a good first incumbent.

    Without it a time-limited run may end on a poor incumbent (even below the
    existing points' coverage).
    """
    red = reduce_cover(cover, weight, fixed)
    rows, row_weight, folded = fold_singletons(red.matrix, red.weight)
    x0 = greedy_start(rows, row_weight, folded, limit=p, need=np.inf, groups=groups).astype(float)
    routing = replace(
        model,
        integer=np.zeros_like(model.integer),
        lower=np.r_[x0, model.lower[n_x:]],
        upper=np.r_[x0, model.upper[n_x:]],
    )
    run = solve(routing, time_limit=time_limit, mip_gap=0.0, threads=threads)
    return run.values if run.status == "optimal" and len(run.values) else None


def _expand(  # noqa: PLR0913 -- the reduced model's index arrays, named at the one call
    name, run, *, weight, fixed, free, live_rows, member_row, r_of, j_of, model, build_time
):
    """Chosen sites, coverage per demand and the flows, back on the original demand rows."""
    n_x = len(free)
    values = run.values if len(run.values) else np.zeros(len(model.cost))
    chosen = np.sort(free[values[:n_x] > 0.5])
    open_ = fixed.copy()
    open_[chosen] = True
    z = np.clip(values[n_x:], 0.0, 1.0)
    n_rows = int(member_row.max()) + 1 if len(member_row) else 0
    row_share = np.clip(np.bincount(r_of, weights=z, minlength=n_rows), 0.0, 1.0)
    row_share[row_share > 1 - 1e-6] = 1.0  # solver tolerance
    row_share[row_share < 1e-9] = 0.0
    coverage = np.zeros(len(weight))
    coverage[live_rows] = row_share[member_row]
    used = z > 1e-9
    demand, site, share = _flows(member_row, live_rows, r_of[used], j_of[used], z[used])
    objective = float(weight @ coverage) if name == "mclp" else float(len(chosen))
    return make_solution(
        name,
        run,
        open=open_,
        chosen=chosen,
        coverage=coverage,
        objective=objective,
        build_time=build_time,
        rows=model.matrix.shape[0],
        columns=len(model.cost),
        nonzeros=int(model.matrix.nnz),
        flow=Pairs(demand, site, share, len(weight), len(fixed)),
    )


def _flows(member_row, live_rows, r, j, z):
    """Each merged row's flow (r -> j, share z) repeated for every demand merged into r."""
    order = np.argsort(member_row, kind="stable")
    sorted_rows = member_row[order]
    starts = np.searchsorted(sorted_rows, r, side="left")
    counts = np.searchsorted(sorted_rows, r, side="right") - starts
    offsets = np.repeat(starts - np.r_[0, np.cumsum(counts)[:-1]], counts)
    demand = live_rows[order[np.arange(int(counts.sum())) + offsets]]
    return demand, np.repeat(j, counts), np.repeat(z, counts)
