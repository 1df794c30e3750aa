"""The siting core on hand-made coverage: known optima, ties, existing points, properties."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridmap.analysis.equipment import (
    SiteLimits,
    euclidean_pairs,
    lscp,
    mclp,
    minutes_to_metres,
    network_pairs,
    pmedian,
)
from gridmap.errors import DataError

# Demand on a line at x = 0, 10, 20, 30, 40; candidates at 0, 20, 40; radius 10
# (inclusive): c0 serves {0, 10}, c20 serves {10, 20, 30}, c40 serves {30, 40}.
LINE_DEMAND = np.array([[0.0, 0], [10, 0], [20, 0], [30, 0], [40, 0]])
LINE_SITES = np.array([[0.0, 0], [20, 0], [40, 0]])


def line_cover() -> sp.csr_matrix:
    return euclidean_pairs(LINE_DEMAND, LINE_SITES, 10.0).cover(10.0)


def brute_mclp(cover: np.ndarray, weight: np.ndarray, p: int, fixed: np.ndarray) -> float:
    free = np.flatnonzero(~fixed)
    best = 0.0
    for k in range(p + 1):
        for combo in itertools.combinations(free, k):
            open_ = fixed.copy()
            open_[list(combo)] = True
            best = max(best, float(weight @ (cover @ open_.astype(int) > 0)))
    return best


def test_radius_is_inclusive() -> None:
    assert line_cover().toarray().astype(int).tolist() == [
        [1, 0, 0],
        [1, 1, 0],
        [0, 1, 0],
        [0, 1, 1],
        [0, 0, 1],
    ]


@pytest.mark.parametrize(("p", "objective"), [(0, 0.0), (1, 3.0), (2, 4.0), (3, 5.0), (4, 5.0)])
def test_mclp_line_optima(p: int, objective: float) -> None:
    solution = mclp(line_cover(), np.ones(5), p)
    assert solution.status == "optimal"
    assert solution.objective == objective
    assert solution.gap == 0.0
    assert len(solution.chosen) <= p


def test_mclp_p1_picks_the_middle() -> None:
    assert mclp(line_cover(), np.ones(5), 1).chosen.tolist() == [1]


def test_mclp_tie_returns_one_of_the_optimal_sets() -> None:
    solution = mclp(line_cover(), np.ones(5), 2)
    assert solution.chosen.tolist() in ([0, 1], [0, 2], [1, 2])
    assert solution.coverage.sum() == 4


def test_mclp_existing_point_is_kept_and_counted() -> None:
    fixed = np.array([False, True, False])
    solution = mclp(line_cover(), np.ones(5), 1, fixed=fixed)
    assert solution.objective == 4.0  # 3 by the existing point + 1 by either end
    assert solution.chosen.tolist() in ([0], [2])
    assert solution.open[1]


def test_mclp_weights_decide() -> None:
    weight = np.array([5.0, 1, 1, 1, 1])
    solution = mclp(line_cover(), weight, 1)
    assert solution.chosen.tolist() == [0] and solution.objective == 6.0


def test_lscp_line() -> None:
    assert lscp(line_cover()).chosen.tolist() == [0, 1, 2]
    with_middle = lscp(line_cover(), fixed=np.array([False, True, False]))
    assert with_middle.chosen.tolist() == [0, 2] and with_middle.objective == 2


def test_lscp_share() -> None:
    solution = lscp(line_cover(), np.ones(5), share=0.8)
    assert solution.objective == 2  # 4 of 5 needs two points
    assert solution.coverage.sum() >= 4


def test_lscp_unreachable_demand_is_a_readable_error() -> None:
    cover = sp.csr_matrix(np.array([[1, 0], [0, 0]], dtype=bool))
    with pytest.raises(DataError, match="at most 50.0%"):
        lscp(cover)
    assert lscp(cover, share=0.5).chosen.tolist() == [0]


def test_group_limits() -> None:
    # sites 0, 1 in grid 0, site 2 in grid 1; grid 1 needs one point
    cover = sp.csr_matrix(np.array([[1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 1]], dtype=bool))
    limits = SiteLimits(np.array([0, 0, 1]), np.array([0.0, 1.0]), np.array([1.0, 5.0]))
    solution = mclp(cover, np.ones(4), 2, limits=limits)
    assert 2 in solution.chosen and len(solution.chosen) == 2
    assert solution.objective == 3.0  # one of {0, 1} plus site 2
    with pytest.raises(DataError, match="minimum needs 1 new points but p is 0"):
        mclp(cover, np.ones(4), 0, limits=limits)


def test_group_minimum_without_candidates_is_an_error() -> None:
    cover = sp.csr_matrix(np.array([[1, 0]], dtype=bool))
    limits = SiteLimits(np.array([0, 0]), np.array([0.0, 1.0]), np.array([np.inf, np.inf]))
    with pytest.raises(DataError, match="more new points than they have candidate sites: group 1"):
        mclp(cover, np.ones(1), 1, limits=limits)


def test_capacity_splits_demand() -> None:
    # three demands of weight 1, two sites covering all; capacity 2 per site
    cover = sp.csr_matrix(np.ones((3, 2), dtype=bool))
    one = mclp(cover, np.ones(3), 1, capacity=2)
    assert one.objective == pytest.approx(2.0)
    two = lscp(cover, np.ones(3), capacity=2)
    assert two.objective == 2 and two.coverage.tolist() == [1.0, 1.0, 1.0]


def test_pmedian_line() -> None:
    pairs = euclidean_pairs(LINE_DEMAND, LINE_SITES, 100.0)
    one = pmedian(pairs, np.ones(5), 1)
    assert one.chosen.tolist() == [1] and one.objective == pytest.approx(60.0)
    three = pmedian(pairs, np.ones(5), 3)
    assert three.objective == pytest.approx(20.0)


def test_network_pairs_follow_the_roads() -> None:
    from shapely.geometry import LineString

    # an L-shaped road: the straight line is 141 m, the walk 200 m
    roads = [LineString([(0, 0), (100, 0), (100, 100)])]
    demand, site = np.array([[100.0, 100]]), np.array([[0.0, 0]])
    assert len(euclidean_pairs(demand, site, 150).demand) == 1
    assert len(network_pairs(roads, demand, site, 150).demand) == 0
    assert network_pairs(roads, demand, site, 200).distance.tolist() == [pytest.approx(200.0)]
    assert minutes_to_metres(3.6) == pytest.approx(300.0)


def test_network_pairs_cross_at_intersections() -> None:
    from shapely.geometry import LineString

    roads = [LineString([(0, 0), (200, 0)]), LineString([(100, -100), (100, 100)])]
    pairs = network_pairs(roads, np.array([[100.0, 100]]), np.array([[0.0, 0]]), 250, step=10)
    assert pairs.distance.tolist() == [pytest.approx(200.0)]


def test_screening_gives_the_same_optimum() -> None:
    rng = np.random.default_rng(3)
    centres = rng.uniform(0, 3000, (12, 2))
    demand = centres[rng.integers(0, 12, 3000)] + rng.normal(0, 150, (3000, 2))
    sites = rng.uniform(0, 3000, (250, 2))
    cover = euclidean_pairs(demand, sites, 250).cover(250)
    weight = rng.integers(1, 4, 3000).astype(float)
    fast = mclp(cover, weight, 6)
    plain = mclp(cover, weight, 6, screening=False)
    assert fast.status == plain.status == "optimal"
    assert fast.objective == plain.objective


small_instance = st.tuples(
    st.integers(1, 12), st.integers(1, 6), st.integers(0, 2**32 - 1), st.floats(0.1, 0.6)
)


def _random(n: int, m: int, seed: int, density: float):
    rng = np.random.default_rng(seed)
    cover = rng.random((n, m)) < density
    weight = rng.integers(0, 5, n).astype(float)
    fixed = rng.random(m) < 0.2
    return cover, weight, fixed


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instance, st.integers(0, 3))
def test_mclp_matches_brute_force(case, p) -> None:
    cover, weight, fixed = _random(*case)
    solution = mclp(sp.csr_matrix(cover), weight, p, fixed=fixed)
    assert solution.status == "optimal"
    assert solution.objective == pytest.approx(brute_mclp(cover.astype(int), weight, p, fixed))


@settings(max_examples=30, deadline=None)
@given(small_instance)
def test_mclp_never_decreases_as_p_grows(case) -> None:
    cover, weight, fixed = _random(*case)
    values = [mclp(sp.csr_matrix(cover), weight, p, fixed=fixed).objective for p in range(4)]
    assert values == sorted(values)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(5, 40), st.floats(0, 30))
def test_mclp_never_decreases_as_radius_grows(seed, radius, extra) -> None:
    rng = np.random.default_rng(seed)
    demand, sites = rng.uniform(0, 100, (25, 2)), rng.uniform(0, 100, (8, 2))
    weight = rng.integers(1, 4, 25).astype(float)
    pairs = euclidean_pairs(demand, sites, radius + extra)
    small = mclp(pairs.cover(radius), weight, 2).objective
    large = mclp(pairs.cover(radius + extra), weight, 2).objective
    assert large >= small


@settings(max_examples=30, deadline=None)
@given(small_instance, st.sampled_from([1.0, 0.9, 0.5]))
def test_lscp_covers_what_it_claims(case, share) -> None:
    cover, weight, fixed = _random(*case)
    cover[:, 0] = True  # every demand is reachable
    solution = lscp(sp.csr_matrix(cover), weight, share=share, fixed=fixed)
    covered = cover @ solution.open.astype(int) > 0
    assert weight @ covered >= share * weight.sum() - 1e-9
    assert solution.coverage.tolist() == covered.astype(float).tolist()
    # and no smaller number of new points would do
    free = np.flatnonzero(~fixed)
    for combo in itertools.combinations(free, max(int(solution.objective) - 1, 0)):
        if solution.objective == 0:
            break
        open_ = fixed.copy()
        open_[list(combo)] = True
        assert weight @ (cover @ open_.astype(int) > 0) < share * weight.sum() - 1e-9


@settings(max_examples=25, deadline=None)
@given(small_instance, st.integers(1, 3), st.floats(1, 6))
def test_capacity_is_honoured(case, p, capacity) -> None:
    cover, weight, fixed = _random(*case)
    solution = mclp(sp.csr_matrix(cover), weight, p, fixed=fixed, capacity=capacity)
    flow = solution.flow
    load = np.bincount(
        flow.site, weights=weight[flow.demand] * flow.distance, minlength=cover.shape[1]
    )
    assert (load <= capacity + 1e-6).all()
    assert solution.open[flow.site].all()
    assert cover[flow.demand, flow.site].all()
    assert len(solution.chosen) <= p


@settings(max_examples=25, deadline=None)
@given(small_instance, st.integers(0, 3))
def test_group_limits_are_honoured(case, p) -> None:
    cover, weight, fixed = _random(*case)
    m = cover.shape[1]
    group = np.arange(m) % 2
    fixed_count = np.bincount(group[fixed], minlength=2)
    limits = SiteLimits(group, np.zeros(2), np.maximum(fixed_count, 1).astype(float))
    solution = mclp(sp.csr_matrix(cover), weight, p, fixed=fixed, limits=limits)
    counts = np.bincount(group[solution.open], minlength=2)
    assert (counts <= limits.maximum).all()


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 5))
def test_screened_mclp_equals_the_plain_model(seed, p) -> None:
    rng = np.random.default_rng(seed)
    demand = rng.uniform(0, 1000, (300, 2))
    sites = rng.uniform(0, 1000, (40, 2))
    cover = euclidean_pairs(demand, sites, 120).cover(120)
    weight = rng.integers(1, 5, 300) + (rng.random(300) if seed % 2 else 0.0)  # fractional too
    fixed = rng.random(40) < 0.1
    fast = mclp(cover, weight, p, fixed=fixed)
    plain = mclp(cover, weight, p, fixed=fixed, screening=False)
    assert fast.status == plain.status == "optimal"
    assert fast.objective == pytest.approx(plain.objective, rel=1e-9)
    assert len(fast.chosen) <= p
