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

from gridmap.analysis.equipment._core import (
    Pairs,
    SiteLimits,
    Solution,
    _check_inputs,
    _covered_share,
    _fold_singletons,
    _group_rows,
    _reduce,
)
from gridmap.analysis.equipment._screen import solve_by_pricing
from gridmap.analysis.equipment._solver import (
    _INF,
    _cap_bound,
    _infeasible,
    _is_integral,
    _mclp_model,
    _Model,
    _run,
    _solution,
    _stack,
)
from gridmap.errors import DataError, Problem

__all__ = ["Pairs", "SiteLimits", "Solution", "lscp", "mclp", "pmedian"]


def _column_groups(member: sp.csr_matrix, n_free: int) -> np.ndarray:
    group = np.full(n_free, -1, dtype=np.int64)
    coo = member.tocoo()
    group[coo.col] = coo.row
    return group


def _greedy(
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
    col_group = _column_groups(member, n_free)
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


def mclp(
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
    """
    began = time.perf_counter()
    cover, weight, fixed = _check_inputs(cover, weight, fixed)
    if p < 0:
        raise ValueError("p, the number of new points, must be >= 0.")
    if capacity is not None:
        from gridmap.analysis.equipment._capacity import capacitated

        return capacitated("mclp", cover, weight, fixed, capacity=capacity, p=p,
                           limits=limits, time_limit=time_limit, mip_gap=mip_gap,
                           threads=threads, began=began)  # fmt: skip
    red = _reduce(cover, weight, fixed)
    rows, row_weight, folded = _fold_singletons(red.matrix, red.weight)
    n_x = len(red.free)
    member, g_lo, g_hi = _group_rows(limits, red.free, fixed)
    if g_lo.sum() > p:
        raise _infeasible(
            "mclp",
            f"the grids' minimum needs {int(g_lo.sum())} new points but p is {p}; "
            "raise --count or lower the minimum per grid.",
        )
    integral = _is_integral(weight)
    groups = (member, g_lo, g_hi)
    x0 = _greedy(rows, row_weight, folded, limit=p, need=np.inf, groups=groups)
    built = time.perf_counter()
    left = max(time_limit - (built - began), 1.0)
    options = {"time_limit": left, "mip_gap": mip_gap, "threads": threads}
    if screening and member.shape[0] == 0 and 0 < 4 * p < n_x:
        run, x, model = solve_by_pricing(
            rows, row_weight, folded, p, x0, offset=red.fixed_weight, integral=integral, **options
        )
    else:
        model = _mclp_model(
            rows, row_weight, folded, p, groups, offset=red.fixed_weight, integral=integral
        )
        start = None
        if warm_start and n_x:
            start = np.r_[x0.astype(float), np.minimum(rows @ x0.astype(float), 1.0)]
        run = _run(model, start=start, **options)
        if run.status == "infeasible":
            raise _infeasible("mclp", "check the per-grid minimum and maximum against --count.")
        x = run.values[:n_x] > 0.5 if len(run.values) else np.zeros(n_x, bool)
    run = _cap_bound(run, float(weight.sum()), model)
    return _finish("mclp", run, cover, weight, fixed, red.free[x], model, built - began)


def _finish(name, run, cover, weight, fixed, chosen, model, build_time) -> Solution:
    open_ = fixed.copy()
    open_[chosen] = True
    coverage = _covered_share(cover, open_)
    objective = float(weight @ coverage) if name == "mclp" else float(len(chosen))
    return _solution(
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


def _coverable_check(weight: np.ndarray, coverable: np.ndarray, share: float) -> float:
    total = float(weight.sum())
    target = share * total
    reach = float(weight[coverable].sum())
    if target > reach + 1e-9 * max(total, 1):
        best = reach / total if total else 1.0
        raise DataError(
            Problem(
                "error",
                f"{int((~coverable & (weight > 0)).sum())} demand points have no candidate "
                f"site within the service distance, so at most {best:.1%} of the demand "
                f"can be covered (asked: {share:.1%}).",
                fix="raise the radius, add candidate sites near them, or ask for a share "
                f"of at most {np.floor(best * 1000) / 1000:.3f}.",
                count=int((~coverable & (weight > 0)).sum()),
            )
        )
    return target


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
    """
    began = time.perf_counter()
    weight = np.ones(cover.shape[0]) if weight is None else weight
    cover, weight, fixed = _check_inputs(cover, weight, fixed)
    if not 0 < share <= 1:
        raise ValueError("share must be in (0, 1].")
    if capacity is not None:
        from gridmap.analysis.equipment._capacity import capacitated

        return capacitated("lscp", cover, weight, fixed, capacity=capacity, share=share,
                           limits=limits, time_limit=time_limit, mip_gap=mip_gap,
                           threads=threads, began=began)  # fmt: skip
    red = _reduce(cover, weight, fixed)
    target = _coverable_check(weight, red.coverable, share)
    need = target - red.fixed_weight - 1e-9 * max(float(weight.sum()), 1)
    member, g_lo, g_hi = _group_rows(limits, red.free, fixed)
    n_x = len(red.free)
    if share >= 1:
        rows, row_weight, folded = red.matrix, red.weight, np.zeros(n_x)
        n_y = 0
        matrix = sp.vstack([rows.astype(float), member.astype(float)], format="csr")
        row_lower = np.r_[np.ones(rows.shape[0]), g_lo]
        row_upper = np.r_[np.full(rows.shape[0], _INF), g_hi]
    else:
        rows, row_weight, folded = _fold_singletons(red.matrix, red.weight)
        n_y = rows.shape[0]
        demand_row = sp.csr_matrix(np.r_[folded, row_weight][None, :])
        matrix = sp.vstack([_stack(rows, n_y, [member]), demand_row], format="csr")
        row_lower = np.r_[np.full(n_y, -_INF), g_lo, need]
        row_upper = np.r_[np.zeros(n_y), g_hi, _INF]
    model = _Model(
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
        x0 = _greedy(rows, row_weight, folded, limit=n_x, need=need,
                     groups=(member, g_lo, g_hi))  # fmt: skip
        y0 = np.minimum(rows @ x0.astype(float), 1.0) if n_y else np.zeros(0)
        start = np.r_[x0.astype(float), y0]
    if need <= 0 and not (g_lo > 0).any():
        model = _Model(np.zeros(0), *(np.zeros(0),) * 3, sp.csr_matrix((0, 0)),
                       np.zeros(0), np.zeros(0), False)  # fmt: skip
        n_x = 0
    built = time.perf_counter()
    run = _run(model, time_limit=time_limit, mip_gap=mip_gap, start=start, threads=threads)
    if run.status == "infeasible":
        raise _infeasible("lscp", "check the per-grid minimum and maximum.")
    chosen = red.free[run.values[:n_x] > 0.5] if len(run.values) else np.zeros(0, np.int64)
    return _finish("lscp", run, cover, weight, fixed, chosen, model, built - began)


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
    model = _Model(
        cost=np.r_[np.zeros(n_x), weight[dem] * dist],
        lower=np.zeros(n_x + n_z),
        upper=np.ones(n_x + n_z),
        integer=np.r_[np.ones(n_x), np.zeros(n_z)],
        matrix=sp.vstack([assign, link, card], format="csr"),
        row_lower=np.r_[np.ones(n_dem), np.full(n_link, -_INF), -_INF],
        row_upper=np.r_[np.ones(n_dem), np.zeros(n_link), p],
        maximize=False,
    )
    built = time.perf_counter()
    run = _run(model, time_limit=time_limit, mip_gap=mip_gap, threads=threads)
    if run.status == "infeasible":
        raise _infeasible("pmedian", "raise p or the cut-off distance so every demand can reach")
    chosen = free[run.values[:n_x] > 0.5] if len(run.values) else np.zeros(0, np.int64)
    open_ = fixed.copy()
    open_[chosen] = True
    z = run.values[n_x:] if len(run.values) else np.zeros(n_z)
    flow = Pairs(dem[z > 1e-9], site[z > 1e-9], z[z > 1e-9], pairs.n_demand, pairs.n_sites)
    return _solution(
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
