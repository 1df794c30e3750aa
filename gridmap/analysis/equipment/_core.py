"""Plumbing of the siting models: sparse pairs, limits, exact reductions and input checks.

The models themselves are in `gridmap.analysis.equipment._models`. No geometry
here: demand is a weight vector, sites are columns, and which site serves
which demand is a sparse boolean matrix (`cover`, demand x sites) built from a
KD-tree or a road network, never a dense all-pairs matrix. This is the level
of spopt's ``from_cost_matrix``; `gridmap.analysis.equipment.siting` wraps it for
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
weight into that site's objective. None of this changes the optimum. The
model goes to HiGHS (`gridmap.analysis.equipment._solver`). Every reported
coverage is recomputed from the chosen sites, not read from the solver's
continuous variables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.spatial import cKDTree

from gridmap.errors import DataError, Problem


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

    Examples
    --------
    >>> pairs = euclidean_pairs(np.array([[0.0, 0], [10, 0]]), np.array([[0.0, 0]]), 10)
    >>> pairs.demand.tolist(), pairs.distance.tolist()
    ([0, 1], [0.0, 10.0])

    On the sample, the households within 300 m of an equipment point:

    >>> from gridmap.analysis.equipment import demand_points, euclidean_pairs, fixed_points
    >>> points, _ = demand_points(district)
    >>> existing = fixed_points(district, True)
    >>> xy = points.get_coordinates().to_numpy()
    >>> pairs = euclidean_pairs(xy, existing.get_coordinates().to_numpy(), 300.0)
    >>> len(pairs.demand) > 0, pairs.n_demand, pairs.n_sites
    (True, 3899, 64)
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
    ``minimum[g]`` / ``maximum[g]`` bound the open sites of group g. `names`
    (the grid id of each group) and `layer` (the grid layer) let an error
    name the grids; without them it names group positions.
    """

    group: np.ndarray
    minimum: np.ndarray
    maximum: np.ndarray
    names: tuple[str, ...] = ()
    layer: str | None = None

    def label(self, g: int) -> str:
        """Return the grid id of group `g` (its position when the groups have no names)."""
        return self.names[g] if g < len(self.names) else f"group {g}"


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
class Reduced:
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


def aggregate_rows(
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


def reduce_cover(cover: sp.csr_matrix, weight: np.ndarray, fixed: np.ndarray) -> Reduced:
    covered_fixed = (
        cover[:, np.flatnonzero(fixed)].getnnz(axis=1) > 0
        if fixed.any()
        else np.zeros(cover.shape[0], bool)
    )
    free = np.flatnonzero(~fixed)
    sub = cover[:, free].tocsr()
    live = ~covered_fixed & (sub.getnnz(axis=1) > 0) & (weight > 0)
    matrix, agg_weight, _ = aggregate_rows(sub[np.flatnonzero(live)], weight[live])
    coverable = covered_fixed | (sub.getnnz(axis=1) > 0)
    return Reduced(free, matrix, agg_weight, float(weight[covered_fixed].sum()), coverable)


def fold_singletons(
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


def check_inputs(cover: sp.spmatrix, weight: np.ndarray, fixed: np.ndarray | None):
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


def coverable_target(weight: np.ndarray, coverable: np.ndarray, share: float) -> float:
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


def _count(n: float, noun: str) -> str:
    return f"{n:g} {noun}" + ("" if n == 1 else "s")


def _listed(limits: SiteLimits, groups: np.ndarray, detail, shown: int = 10) -> str:
    """Return the first `shown` groups as ``M01 (2 kept points), ...``, then how many more."""
    text = ", ".join(f"{limits.label(int(g))} ({detail(int(g))})" for g in groups[:shown])
    return text + (f" and {len(groups) - shown} more" if len(groups) > shown else "")


def group_rows(
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
        need = lambda g: f"needs {lo[g]:g} more, has {_count(float(free_count[g]), 'candidate')}"  # noqa: E731
        listed = _listed(limits, short, need)
        problems.append(
            Problem(
                "error",
                f"{len(short)} grids need more new points than they have candidate sites: "
                f"{listed}.",
                layer=limits.layer,
                fix="add candidate sites inside those grids (a candidate layer with points "
                "there, or --candidates lattice), or lower the minimum per grid "
                "(--min-per-grid).",
                count=len(short),
            )
        )
    over = np.flatnonzero(hi < 0)
    if len(over):
        listed = _listed(limits, over, lambda g: _count(float(fixed_count[g]), "kept point"))
        most = int(fixed_count[over].max())
        problems.append(
            Problem(
                "error",
                f"{len(over)} grids already hold more kept (existing or planned) points than "
                f"the maximum per grid of {limits.maximum[over].min():g}: {listed}.",
                layer=limits.layer,
                fix=f"raise the maximum per grid (--max-per-grid) to at least {most}, or site "
                "without counting the existing and planned points (--ignore-existing).",
                count=len(over),
            )
        )
    if problems:
        raise DataError(problems)
    active = np.flatnonzero((lo > 0) | (hi < free_count))
    return member[active], np.maximum(lo[active], 0), np.minimum(hi[active], free_count[active])


def covered_share(cover: sp.csr_matrix, open_: np.ndarray) -> np.ndarray:
    return (cover @ open_.astype(np.int64) > 0).astype(float)
