"""Numeric core of equipment siting: MCLP, LSCP and p-median on a sparse matrix, solved by HiGHS.

Each function takes the boolean coverage matrix ``cover`` (demand x sites,
scipy.sparse), the demand ``weight`` and the ``fixed`` sites (existing points,
always open and counted), and returns a `Solution`. No geometry: the wrapper
`gridmap.analysis.equipment.siting.site_equipment` builds these arrays from layers.

>>> import scipy.sparse as sp
>>> cover = sp.csr_matrix(np.array([[1, 0], [1, 1], [0, 1], [0, 1]], dtype=bool))
>>> best = mclp(cover, np.ones(4), 1)
>>> best.chosen.tolist(), best.objective, best.status
([1], 3.0, 'optimal')
>>> lscp(cover, np.ones(4)).chosen.tolist()
[0, 1]
"""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp

from gridmap.analysis.equipment._capacity import capacitated
from gridmap.analysis.equipment._core import (
    Pairs,
    SiteLimits,
    Solution,
    check_inputs,
    coverable_target,
    covered_share,
    fold_singletons,
    group_rows,
    reduce_cover,
)
from gridmap.analysis.equipment._screen import solve_by_pricing
from gridmap.analysis.equipment._solver import (
    INF,
    MilpModel,
    cap_bound,
    greedy_start,
    infeasible,
    is_integral,
    make_solution,
    mclp_model,
    solve,
    stack_cover,
)

__all__ = ["lscp", "mclp", "pmedian"]


def mclp(  # noqa: PLR0913 -- solver options, keyword-only (like scipy.optimize's)
    cover: sp.spmatrix,
    weight: np.ndarray,
    p: int,
    *,
    fixed: np.ndarray | None = None,
    limits: SiteLimits | None = None,
    capacity: float | None = None,
    time_limit: float = 60.0,
    mip_gap: float = 0.0,
    warm_start: bool = True,
    screening: bool = True,
    threads: int | None = None,
) -> Solution:
    """Open at most `p` new sites to maximise the covered demand weight.

    Fixed sites are open and their coverage counts. With `capacity`, a site
    serves at most that much demand weight and demand may be split between sites.
    Without capacity or per-grid limits and with many more candidates than
    `p`, `screening` prices candidates in by column generation and leaves out
    those that provably cannot be in a better solution
    (`gridmap.analysis.equipment._screen`); the answer is the same.

    Examples
    --------
    >>> import numpy as np
    >>> import scipy.sparse as sp
    >>> from gridmap.analysis.equipment import mclp
    >>> cover = sp.csr_matrix(np.array([[1, 0, 0], [1, 1, 0], [0, 1, 1], [0, 0, 1]]))
    >>> solution = mclp(cover, np.array([5.0, 1.0, 1.0, 2.0]), 1)
    >>> solution.chosen.tolist(), solution.objective
    ([0], 6.0)
    """
    began = time.perf_counter()
    cover, weight, fixed = check_inputs(cover, weight, fixed)
    if p < 0:
        raise ValueError("p, the number of new points, must be >= 0.")
    if capacity is not None:
        return capacitated(
            "mclp",
            cover,
            weight,
            fixed,
            capacity=capacity,
            p=p,
            limits=limits,
            time_limit=time_limit,
            mip_gap=mip_gap,
            threads=threads,
            began=began,
        )
    red = reduce_cover(cover, weight, fixed)
    rows, row_weight, folded = fold_singletons(red.matrix, red.weight)
    n_x = len(red.free)
    member, g_lo, g_hi = group_rows(limits, red.free, fixed)
    if g_lo.sum() > p:
        raise infeasible(
            "mclp",
            f"the grids' minimum needs {int(g_lo.sum())} new points but p is {p}; "
            "raise --count or lower the minimum per grid.",
        )
    integral = is_integral(weight)
    groups = (member, g_lo, g_hi)
    x0 = greedy_start(rows, row_weight, folded, limit=p, need=np.inf, groups=groups)
    built = time.perf_counter()
    left = max(time_limit - (built - began), 1.0)
    if screening and member.shape[0] == 0 and 0 < 4 * p < n_x:
        run, x, model = solve_by_pricing(
            rows,
            row_weight,
            folded,
            p,
            x0,
            offset=red.fixed_weight,
            integral=integral,
            time_limit=left,
            mip_gap=mip_gap,
            threads=threads,
        )
    else:
        model = mclp_model(
            rows, row_weight, folded, p, groups, offset=red.fixed_weight, integral=integral
        )
        start = None
        if warm_start and n_x:
            start = np.r_[x0.astype(float), np.minimum(rows @ x0.astype(float), 1.0)]
        run = solve(model, time_limit=left, mip_gap=mip_gap, start=start, threads=threads)
        if run.status == "infeasible":
            raise infeasible("mclp", "check the per-grid minimum and maximum against --count.")
        x = run.values[:n_x] > 0.5 if len(run.values) else np.zeros(n_x, bool)
    run = cap_bound(run, float(weight.sum()), model)
    return _finish(
        "mclp",
        run,
        cover=cover,
        weight=weight,
        fixed=fixed,
        chosen=red.free[x],
        model=model,
        build_time=built - began,
    )


def _finish(name, run, *, cover, weight, fixed, chosen, model, build_time) -> Solution:
    open_ = fixed.copy()
    open_[chosen] = True
    coverage = covered_share(cover, open_)
    objective = float(weight @ coverage) if name == "mclp" else float(len(chosen))
    return make_solution(
        name,
        run,
        open=open_,
        chosen=np.sort(chosen),
        coverage=coverage,
        objective=objective,
        build_time=build_time,
        rows=model.matrix.shape[0],
        columns=len(model.cost),
        nonzeros=int(model.matrix.nnz),
    )


def lscp(
    cover: sp.spmatrix,
    weight: np.ndarray | None = None,
    *,
    share: float = 1.0,
    fixed: np.ndarray | None = None,
    limits: SiteLimits | None = None,
    capacity: float | None = None,
    time_limit: float = 60.0,
    mip_gap: float = 0.0,
    warm_start: bool = True,
    threads: int | None = None,
) -> Solution:
    """Open the fewest new sites so that `share` of the demand weight (default all) is covered.

    Raises `DataError` when the share cannot be reached: it says how much can be.

    Examples
    --------
    >>> import numpy as np
    >>> import scipy.sparse as sp
    >>> from gridmap.analysis.equipment import lscp
    >>> cover = sp.csr_matrix(np.array([[1, 0, 0], [1, 1, 0], [0, 1, 1], [0, 0, 1]]))
    >>> lscp(cover).chosen.tolist()
    [0, 2]
    """
    began = time.perf_counter()
    weight = np.ones(cover.shape[0]) if weight is None else weight
    cover, weight, fixed = check_inputs(cover, weight, fixed)
    if not 0 < share <= 1:
        raise ValueError("share must be in (0, 1].")
    if capacity is not None:
        return capacitated(
            "lscp",
            cover,
            weight,
            fixed,
            capacity=capacity,
            share=share,
            limits=limits,
            time_limit=time_limit,
            mip_gap=mip_gap,
            threads=threads,
            began=began,
        )
    red = reduce_cover(cover, weight, fixed)
    target = coverable_target(weight, red.coverable, share)
    need = target - red.fixed_weight - 1e-9 * max(float(weight.sum()), 1)
    member, g_lo, g_hi = group_rows(limits, red.free, fixed)
    n_x = len(red.free)
    if share >= 1:
        rows, row_weight, folded = red.matrix, red.weight, np.zeros(n_x)
        n_y = 0
        matrix = sp.vstack([rows.astype(float), member.astype(float)], format="csr")
        row_lower = np.r_[np.ones(rows.shape[0]), g_lo]
        row_upper = np.r_[np.full(rows.shape[0], INF), g_hi]
    else:
        rows, row_weight, folded = fold_singletons(red.matrix, red.weight)
        n_y = rows.shape[0]
        demand_row = sp.csr_matrix(np.r_[folded, row_weight][None, :])
        matrix = sp.vstack([stack_cover(rows, n_y, [member]), demand_row], format="csr")
        row_lower = np.r_[np.full(n_y, -INF), g_lo, need]
        row_upper = np.r_[np.zeros(n_y), g_hi, INF]
    model = MilpModel(
        cost=np.r_[np.ones(n_x), np.zeros(n_y)],
        lower=np.zeros(n_x + n_y),
        upper=np.ones(n_x + n_y),
        integer=np.r_[np.ones(n_x), np.zeros(n_y)],
        matrix=matrix,
        row_lower=row_lower,
        row_upper=row_upper,
        maximize=False,
        integral_objective=True,
    )
    start = None
    if warm_start and n_x and need > 0:
        x0 = greedy_start(
            rows, row_weight, folded, limit=n_x, need=need, groups=(member, g_lo, g_hi)
        )
        y0 = np.minimum(rows @ x0.astype(float), 1.0) if n_y else np.zeros(0)
        start = np.r_[x0.astype(float), y0]
    if need <= 0 and not (g_lo > 0).any():
        model = MilpModel(
            np.zeros(0), *(np.zeros(0),) * 3, sp.csr_matrix((0, 0)), np.zeros(0), np.zeros(0), False
        )
        n_x = 0
    built = time.perf_counter()
    run = solve(model, time_limit=time_limit, mip_gap=mip_gap, start=start, threads=threads)
    if run.status == "infeasible":
        raise infeasible("lscp", "check the per-grid minimum and maximum.")
    chosen = red.free[run.values[:n_x] > 0.5] if len(run.values) else np.zeros(0, np.int64)
    return _finish(
        "lscp",
        run,
        cover=cover,
        weight=weight,
        fixed=fixed,
        chosen=chosen,
        model=model,
        build_time=built - began,
    )


def pmedian(
    pairs: Pairs,
    weight: np.ndarray,
    p: int,
    *,
    fixed: np.ndarray | None = None,
    time_limit: float = 60.0,
    mip_gap: float = 0.0,
    threads: int | None = None,
) -> Solution:
    """Open at most `p` new sites to minimise the weighted distance of demand to its site.

    Only the pairs given (those within a cut-off distance) may be assigned;
    demand with no pair is left out (coverage 0). For comparison on district
    sizes: the model has one variable per pair.

    Examples
    --------
    >>> import numpy as np
    >>> from gridmap.analysis.equipment import euclidean_pairs, pmedian
    >>> demand = np.array([[0.0, 0.0], [10.0, 0.0], [100.0, 0.0]])
    >>> sites = np.array([[5.0, 0.0], [100.0, 0.0]])
    >>> pairs = euclidean_pairs(demand, sites, 200.0)
    >>> pmedian(pairs, np.ones(3), 1).chosen.tolist()
    [0]
    """
    began = time.perf_counter()
    weight = np.asarray(weight, float)
    fixed = np.zeros(pairs.n_sites, bool) if fixed is None else np.asarray(fixed, bool)
    live = np.zeros(pairs.n_demand, bool)
    live[pairs.demand] = True
    keep = weight[pairs.demand] > 0
    dem, site, dist = pairs.demand[keep], pairs.site[keep], pairs.distance[keep]
    free = np.flatnonzero(~fixed)
    pos = np.full(pairs.n_sites, -1)
    pos[free] = np.arange(len(free))
    n_x, n_z = len(free), len(dem)
    rows_of = np.unique(dem, return_inverse=True)[1]
    n_dem = int(rows_of.max()) + 1 if n_z else 0
    assign = sp.csr_matrix((np.ones(n_z), (rows_of, n_x + np.arange(n_z))), (n_dem, n_x + n_z))
    linked = np.flatnonzero(pos[site] >= 0)
    n_link = len(linked)
    link = sp.csr_matrix(  # z_ij - x_j <= 0 for free sites j
        (
            np.r_[np.ones(n_link), -np.ones(n_link)],
            (np.r_[np.arange(n_link), np.arange(n_link)], np.r_[n_x + linked, pos[site[linked]]]),
        ),
        shape=(n_link, n_x + n_z),
    )
    card = sp.csr_matrix((np.ones(n_x), (np.zeros(n_x, int), np.arange(n_x))), (1, n_x + n_z))
    model = MilpModel(
        cost=np.r_[np.zeros(n_x), weight[dem] * dist],
        lower=np.zeros(n_x + n_z),
        upper=np.ones(n_x + n_z),
        integer=np.r_[np.ones(n_x), np.zeros(n_z)],
        matrix=sp.vstack([assign, link, card], format="csr"),
        row_lower=np.r_[np.ones(n_dem), np.full(n_link, -INF), -INF],
        row_upper=np.r_[np.ones(n_dem), np.zeros(n_link), p],
        maximize=False,
    )
    built = time.perf_counter()
    run = solve(model, time_limit=time_limit, mip_gap=mip_gap, threads=threads)
    if run.status == "infeasible":
        raise infeasible("pmedian", "raise p or the cut-off distance so every demand can reach")
    chosen = free[run.values[:n_x] > 0.5] if len(run.values) else np.zeros(0, np.int64)
    open_ = fixed.copy()
    open_[chosen] = True
    z = run.values[n_x:] if len(run.values) else np.zeros(n_z)
    flow = Pairs(dem[z > 1e-9], site[z > 1e-9], z[z > 1e-9], pairs.n_demand, pairs.n_sites)
    return make_solution(
        "pmedian",
        run,
        open=open_,
        chosen=np.sort(chosen),
        coverage=live.astype(float),
        objective=float(model.cost[n_x:] @ z) if len(z) else 0.0,
        build_time=built - began,
        rows=model.matrix.shape[0],
        columns=len(model.cost),
        nonzeros=int(model.matrix.nnz),
        flow=flow,
    )
