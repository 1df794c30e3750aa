"""Walking distance over a road network: demand-site pairs within a distance along the roads.

The road lines are noded where they cross (`shapely.union_all`), so two roads
that cross are connected; a bridge over a road is therefore treated as a
junction. Lines are cut into pieces of at most `step` metres and every vertex
becomes a graph node. Demand and sites walk straight to their nearest node
(that access distance counts), then along the roads. Shortest paths are
scipy.sparse.csgraph Dijkstra searches from the sites' nodes, stopped at the
service distance and run in chunks, so memory stays bounded.

>>> from shapely.geometry import LineString
>>> road = [LineString([(0, 0), (100, 0), (100, 100)])]
>>> pairs = network_pairs(road, np.array([[100.0, 100]]), np.array([[0.0, 0]]), 250)
>>> round(float(pairs.distance[0]), 6)
200.0
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
import shapely
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from gridmap.analysis.equipment._core import Pairs

#: Default walking speed for service distances given in minutes (km/h).
WALKING_SPEED_KMH = 5.0


def minutes_to_metres(minutes: float, speed_kmh: float = WALKING_SPEED_KMH) -> float:
    """Distance walked in `minutes` at `speed_kmh`.

    Examples
    --------
    >>> minutes_to_metres(3.6)
    300.0
    """
    return float(minutes) * float(speed_kmh) * 1000.0 / 60.0


def road_graph(lines: Sequence[object] | np.ndarray, *, step: float = 25.0):
    """Nodes (x, y) and a symmetric sparse matrix of edge lengths for the road lines.

    Examples
    --------
    >>> from shapely.geometry import LineString
    >>> from gridmap.analysis.equipment import road_graph
    >>> nodes, lengths = road_graph([LineString([(0, 0), (100, 0)])], step=50.0)
    >>> len(nodes), lengths.shape
    (3, (3, 3))
    """
    geoms = np.asarray(lines, dtype=object)
    geoms = geoms[~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)]
    if len(geoms) == 0:
        return np.zeros((0, 2)), sp.csr_matrix((0, 0))
    noded = shapely.get_parts(shapely.line_merge(shapely.union_all(geoms)))
    noded = shapely.segmentize(noded[shapely.get_type_id(noded) == 1], step)
    coords, part = shapely.get_coordinates(noded, return_index=True)
    keys = np.round(coords, 3)
    nodes, node_of = np.unique(keys, axis=0, return_inverse=True)
    node_of = node_of.ravel()
    same_part = part[1:] == part[:-1]
    a, b = node_of[:-1][same_part], node_of[1:][same_part]
    length = np.hypot(*(coords[1:][same_part] - coords[:-1][same_part]).T)
    keep = a != b
    return nodes, _min_duplicates(a[keep], b[keep], length[keep], len(nodes))


def _min_duplicates(a, b, length, n) -> sp.csr_matrix:
    """Symmetric edge matrix keeping the shortest of parallel edges."""
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    order = np.lexsort((length, hi, lo))
    lo, hi, length = lo[order], hi[order], length[order]
    first = np.r_[True, (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])]
    lo, hi, length = lo[first], hi[first], length[first]
    return sp.csr_matrix((np.r_[length, length], (np.r_[lo, hi], np.r_[hi, lo])), shape=(n, n))


def _group(keys: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each wanted key, the positions in `keys` holding it: (order, start, count)."""
    order = np.argsort(keys, kind="stable")
    start = np.searchsorted(keys[order], wanted, side="left")
    count = np.searchsorted(keys[order], wanted, side="right") - start
    return order, start, count


def _expand(order, start, count):
    offsets = np.repeat(start - np.r_[0, np.cumsum(count)[:-1]], count)
    return order[np.arange(int(count.sum())) + offsets]


def network_pairs(
    lines: Sequence[object] | np.ndarray,
    demand_xy: np.ndarray,
    site_xy: np.ndarray,
    max_distance: float,
    *,
    step: float = 25.0,
    chunk_cells: int = 20_000_000,
) -> Pairs:
    """Demand-site pairs whose walking distance (access + roads + access) is within the limit.

    Examples
    --------
    >>> import numpy as np
    >>> from shapely.geometry import LineString
    >>> from gridmap.analysis.equipment import network_pairs
    >>> road = [LineString([(0, 0), (200, 0)])]
    >>> pairs = network_pairs(road, np.array([[0.0, 10.0]]), np.array([[150.0, 0.0]]), 200.0)
    >>> pairs.demand.tolist(), pairs.site.tolist(), pairs.distance.round(1).tolist()
    ([0], [0], [160.0])
    """
    demand_xy = np.asarray(demand_xy, float).reshape(-1, 2)
    site_xy = np.asarray(site_xy, float).reshape(-1, 2)
    nodes, graph = road_graph(lines, step=step)
    empty = np.zeros(0, np.int64)
    if len(nodes) == 0 or len(demand_xy) == 0 or len(site_xy) == 0:
        return Pairs(empty, empty, np.zeros(0), len(demand_xy), len(site_xy))
    tree = cKDTree(nodes)
    d_access, d_node = tree.query(demand_xy)
    s_access, s_node = tree.query(site_xy)
    sources = np.unique(s_node[s_access <= max_distance])
    out_d, out_s, out_v = [], [], []
    chunk = max(1, chunk_cells // len(nodes))
    for begin in range(0, len(sources), chunk):
        src = sources[begin : begin + chunk]
        dist = dijkstra(graph, directed=False, indices=src, limit=max_distance)
        row, node = np.nonzero(np.isfinite(dist))
        along = dist[row, node]
        # sites at each source node, then demand at each reached node
        s_order, s_start, s_count = _group(s_node, src[row])
        pick = np.repeat(np.arange(len(row)), s_count)
        site = _expand(s_order, s_start, s_count)
        d_order, d_start, d_count = _group(d_node, node[pick])
        pick2 = np.repeat(np.arange(len(pick)), d_count)
        demand = _expand(d_order, d_start, d_count)
        site = site[pick2]
        total = along[pick[pick2]] + s_access[site] + d_access[demand]
        ok = total <= max_distance
        out_d.append(demand[ok])
        out_s.append(site[ok])
        out_v.append(total[ok])
    demand = np.concatenate(out_d) if out_d else empty
    site = np.concatenate(out_s) if out_s else empty
    value = np.concatenate(out_v) if out_v else np.zeros(0)
    order = np.lexsort((site, demand))
    return Pairs(demand[order], site[order], value[order], len(demand_xy), len(site_xy))
