"""Fine cells of the sample district and their assignment to nested grids.

The district outline is tiled by a Voronoi diagram: inside the planned urban
areas the generators sit on a rotated tensor grid, so their cells are street
blocks bounded by road centre lines; elsewhere they sit on a jittered 70 m
lattice. Each level of grids is a labelling of these cells, computed in a
smoothly domain-warped copy of the plane (so boundaries wiggle) and only among
the cells of the parent (so levels nest). Disconnected pieces are merged into a
neighbour, so every grid is one connected region.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

#: Centre of the sample district in EPSG:4547, about 113.27E 34.80N.
X0, Y0 = 433_200.0, 3_852_650.0
DISTRICT_AREA_M2 = 60e6
#: Rotation of the urban street grid, radians (counter-clockwise from east).
STREET_ANGLE = np.deg2rad(-6.0)
CELL_SPACING = 70.0

LAND_RURAL, LAND_CORE, LAND_INDUSTRY, LAND_SEAT = 0, 1, 2, 3
#: Planned areas, in km from the centre: (cx, cy, rx, ry, angle in degrees, land use).
LAND_MASKS = (
    (0.6, 1.35, 1.95, 1.2, -8.0, LAND_CORE),  # urban core of the road subdistricts
    (-0.9, 1.75, 0.8, 0.55, 20.0, LAND_CORE),  # its older north-western quarter
    (3.35, 0.35, 1.05, 1.35, 10.0, LAND_INDUSTRY),  # 工业路 industrial park
    (1.0, -1.25, 0.8, 0.5, 5.0, LAND_CORE),  # 矿山 residential quarter
    (2.3, -2.3, 0.85, 0.45, 15.0, LAND_INDUSTRY),  # 矿山 alumina plant
    (-2.6, -1.05, 0.55, 0.38, 0.0, LAND_SEAT),  # 峡窝镇 town seat
)
#: Relative weight of land per m² when balancing grids (people live in the core).
LAND_DENSITY = np.array([0.15, 1.0, 0.4, 0.35])


def to_street_frame(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Project absolute coordinates into the rotated street frame (u east-ish, v north-ish)."""
    c, s = np.cos(STREET_ANGLE), np.sin(STREET_ANGLE)
    dx, dy = x - X0, y - Y0
    return c * dx + s * dy, -s * dx + c * dy


def from_street_frame(u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Convert street coordinates (u, v) to the district's x and y."""
    c, s = np.cos(STREET_ANGLE), np.sin(STREET_ANGLE)
    return X0 + c * u - s * v, Y0 + s * u + c * v


def district_outline() -> shapely.Polygon:
    """Return the fixed, irregular district outline of about 60 km² (same for every seed)."""
    t = np.linspace(0, 2 * np.pi, 721)[:-1]
    r = (
        1
        + 0.09 * np.cos(2 * t - 0.6)
        + 0.07 * np.cos(3 * t + 1.1)
        + 0.05 * np.cos(4 * t + 2.3)
        + 0.035 * np.cos(5 * t + 2.0)
        + 0.025 * np.cos(7 * t + 0.3)
        + 0.015 * np.cos(9 * t + 1.7)
        + 0.01 * np.cos(13 * t + 0.5)
    )
    x, y = 5000 * r * np.cos(t), 3600 * r * np.sin(t)
    scale = np.sqrt(DISTRICT_AREA_M2 / shapely.Polygon(np.c_[x, y]).area)
    return shapely.Polygon(np.c_[X0 + scale * x, Y0 + scale * y])


def land_use(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Planned land use at each point (``LAND_*``), from the wobbly ellipses of ``LAND_MASKS``."""
    out = np.full(np.shape(x), LAND_RURAL)
    for cx, cy, rx, ry, ang, kind in LAND_MASKS:
        a = np.deg2rad(ang)
        dx, dy = (x - X0) / 1000 - cx, (y - Y0) / 1000 - cy
        p = (np.cos(a) * dx + np.sin(a) * dy) / rx
        q = (-np.sin(a) * dx + np.cos(a) * dy) / ry
        phi = np.arctan2(q, p)
        wobble = 1 + 0.08 * np.sin(3 * phi + cx) + 0.05 * np.sin(5 * phi + cy)
        out = np.where((np.hypot(p, q) < wobble) & (out == LAND_RURAL), kind, out)
    return out


@dataclass(frozen=True)
class Warp:
    """A smooth displacement field: a sum of random plane waves."""

    k: np.ndarray  # (n, 2) wave vectors
    phase: np.ndarray  # (n,)
    amp: np.ndarray  # (n, 2) displacement amplitudes

    @classmethod
    def random(
        cls,
        rng: np.random.Generator,
        amplitude: float,
        wavelengths: tuple[float, float],
        n: int = 6,
    ) -> Warp:
        """Draw a warp of `n` plane waves with wavelengths in `wavelengths` metres."""
        lam = rng.uniform(*wavelengths, size=n)
        theta = rng.uniform(0, 2 * np.pi, size=n)
        k = (2 * np.pi / lam)[:, None] * np.c_[np.cos(theta), np.sin(theta)]
        amp = rng.normal(0, amplitude / np.sqrt(n), size=(n, 2))
        return cls(k, rng.uniform(0, 2 * np.pi, size=n), amp)

    def __call__(self, xy: np.ndarray) -> np.ndarray:
        """Return the points `xy` displaced by the warp."""
        waves = np.sin((xy - [X0, Y0]) @ self.k.T + self.phase)
        return xy + waves @ self.amp


@dataclass(frozen=True)
class Blocks:
    """Urban street blocks, in the street frame: road centre lines and road half-widths."""

    u0: np.ndarray
    u1: np.ndarray
    v0: np.ndarray
    v1: np.ndarray
    half_width: np.ndarray  # (n, 4): west, east, south, north road half-widths
    land: np.ndarray
    road_ew: np.ndarray  # index of the road on the block's south side
    road_ns: np.ndarray  # index of the road on the block's west side


@dataclass(frozen=True)
class Cells:
    """The fine tessellation of the district."""

    polys: np.ndarray
    xy: np.ndarray
    land: np.ndarray
    area: np.ndarray
    edges: np.ndarray  # (m, 2) pairs of cells sharing an edge longer than 1 m
    edge_len: np.ndarray
    blocks: Blocks  # the urban blocks among the cells, in cell order ``block_cell``
    block_cell: np.ndarray


def _street_lines(rng: np.random.Generator, lo: float, hi: float, step: tuple[float, float]):
    gaps = rng.uniform(*step, size=int((hi - lo) / step[0]) + 2)
    centres = lo + np.cumsum(gaps)
    centres = centres[centres < hi]
    mids = (centres[:-1] + centres[1:]) / 2
    return centres[1:-1], mids  # block centres and the road lines between them


def _half_widths(n_lines: int, offset: int) -> np.ndarray:
    main = (np.arange(n_lines) + offset) % 3 == 0
    return np.where(main, 15.0, 8.0)


def _urban_blocks(rng: np.random.Generator, outline: shapely.Polygon):
    """Lay out the street blocks of the planned areas.

    Returns (blocks, their centres, which grid cells are blocks, road lines along u, road
    lines along v).
    """
    uc, um = _street_lines(rng, -6500, 6500, (185.0, 260.0))
    vc, vm = _street_lines(rng, -5000, 5000, (150.0, 215.0))
    hu = _half_widths(len(um), int(rng.integers(3)))
    hv = _half_widths(len(vm), int(rng.integers(3)))
    ii, jj = (a.ravel() for a in np.meshgrid(np.arange(len(uc)), np.arange(len(vc)), indexing="ij"))
    bx, by = from_street_frame(uc[ii], vc[jj])
    bland = land_use(bx, by)
    keep = (bland != LAND_RURAL) & shapely.contains_xy(outline, bx, by)
    ii, jj, bland = ii[keep], jj[keep], bland[keep]
    kept = np.zeros((len(uc), len(vc)), bool)
    kept[ii, jj] = True
    half_width = np.c_[hu[ii], hu[ii + 1], hv[jj], hv[jj + 1]]
    blocks = Blocks(um[ii], um[ii + 1], vm[jj], vm[jj + 1], half_width, bland, jj, ii)
    return blocks, np.c_[bx[keep], by[keep]], kept, um, vm


def _lattice(rng, outline, kept: np.ndarray, um: np.ndarray, vm: np.ndarray) -> np.ndarray:
    """Jittered lattice points outside the blocks, with a ring outside the outline."""
    x0, y0, x1, y1 = outline.buffer(4 * CELL_SPACING).bounds
    gx, gy = np.meshgrid(np.arange(x0, x1, CELL_SPACING), np.arange(y0, y1, CELL_SPACING))
    jx = gx.ravel() + rng.uniform(-0.4, 0.4, gx.size) * CELL_SPACING
    jy = gy.ravel() + rng.uniform(-0.4, 0.4, gy.size) * CELL_SPACING
    ju, jv = to_street_frame(jx, jy)
    near_block = np.zeros(jx.size, bool)
    for du, dv in ((0, 0), (30, 0), (-30, 0), (0, 30), (0, -30)):
        bi = np.clip(np.searchsorted(um, ju + du) - 1, 0, kept.shape[0] - 1)
        bj = np.clip(np.searchsorted(vm, jv + dv) - 1, 0, kept.shape[1] - 1)
        inside = (ju + du > um[0]) & (ju + du < um[-1]) & (jv + dv > vm[0]) & (jv + dv < vm[-1])
        near_block |= inside & kept[bi, bj]
    return np.c_[jx[~near_block], jy[~near_block]]


def build_cells(rng: np.random.Generator, outline: shapely.Polygon) -> Cells:
    """Tile the district with street blocks (planned areas) and jittered Voronoi cells (rest)."""
    blocks, centres, kept, um, vm = _urban_blocks(rng, outline)
    lattice = _lattice(rng, outline, kept, um, vm)
    x0, y0, x1, y1 = outline.bounds
    # Tiny jitter of block centres avoids degenerate (co-circular) Voronoi vertices.
    xy = np.r_[centres + rng.uniform(-0.5, 0.5, centres.shape), lattice]
    region = shapely.box(x0 - 3000, y0 - 3000, x1 + 3000, y1 + 3000)
    polys = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=region, ordered=True)
    )
    inside = shapely.contains_xy(outline, xy[:, 0], xy[:, 1])
    polys, xy = polys[inside], xy[inside]
    n_blocks = len(centres)
    block_cell = np.flatnonzero(inside[:n_blocks])
    land = np.r_[blocks.land, np.full(len(lattice), LAND_RURAL)][inside]
    edges, edge_len = _shared_edges(polys)
    return Cells(polys, xy, land, shapely.area(polys), edges, edge_len, blocks, block_cell)


def _shared_edges(polys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of cells that share an edge, found by matching identical vertex pairs."""
    coords, owner = shapely.get_coordinates(shapely.get_exterior_ring(polys), return_index=True)
    same = owner[:-1] == owner[1:]
    a, b, who = coords[:-1][same], coords[1:][same], owner[:-1][same]
    length = np.hypot(*(b - a).T)
    a, b = np.round(a, 3), np.round(b, 3)
    swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    key = np.where(swap[:, None], np.c_[b, a], np.c_[a, b])
    _, inv, counts = np.unique(key, axis=0, return_inverse=True, return_counts=True)
    order = np.argsort(inv, kind="stable")
    inv_sorted = inv[order]
    first = order[:-1][(inv_sorted[:-1] == inv_sorted[1:]) & (counts[inv_sorted[:-1]] == 2)]
    second = order[1:][(inv_sorted[:-1] == inv_sorted[1:]) & (counts[inv_sorted[:-1]] == 2)]
    pairs = np.c_[who[first], who[second]]
    lengths = length[first]
    ok = (pairs[:, 0] != pairs[:, 1]) & (lengths > 1.0)
    pairs, lengths = np.sort(pairs[ok], axis=1), lengths[ok]
    # Two cells may share several collinear edge pieces: add their lengths up.
    uniq, inv2 = np.unique(pairs, axis=0, return_inverse=True)
    return uniq, np.bincount(inv2.ravel(), weights=lengths)


# ---------------------------------------------------------------------------
# Labelling
def components(n: int, edges: np.ndarray) -> np.ndarray:
    """Connected-component label (smallest member index) of each of ``n`` nodes."""
    comp = np.arange(n)
    a, b = edges[:, 0], edges[:, 1]
    while True:
        m = np.minimum(comp[a], comp[b])
        new = comp.copy()
        np.minimum.at(new, a, m)
        np.minimum.at(new, b, m)
        new = new[new]
        if np.array_equal(new, comp):
            return comp
        comp = new


def make_connected(labels: np.ndarray, parent: np.ndarray, cells: Cells) -> np.ndarray:
    """Merge every piece of a region that is not its largest into an adjacent sibling region."""
    labels = labels.copy()
    e, w = cells.edges, cells.edge_len
    for _ in range(50):
        comp = components(labels.size, e[labels[e[:, 0]] == labels[e[:, 1]]])
        comp_area = np.bincount(comp, weights=cells.area, minlength=labels.size)
        order = np.lexsort((-comp_area[comp], labels))
        first = np.r_[True, labels[order][1:] != labels[order][:-1]]
        best = np.full(labels.max() + 1, -1)
        best[labels[order][first]] = comp[order][first]  # the largest piece of each label
        stray = comp != best[labels]
        if not stray.any():
            return labels
        # For each stray piece, the sibling label sharing the longest boundary with it.
        cross = (
            stray[e[:, 0]]
            & (labels[e[:, 0]] != labels[e[:, 1]])
            & (parent[e[:, 0]] == parent[e[:, 1]])
        )
        cross_r = (
            stray[e[:, 1]]
            & (labels[e[:, 0]] != labels[e[:, 1]])
            & (parent[e[:, 0]] == parent[e[:, 1]])
        )
        piece = np.r_[comp[e[cross, 0]], comp[e[cross_r, 1]]]
        target = np.r_[labels[e[cross, 1]], labels[e[cross_r, 0]]]
        length = np.r_[w[cross], w[cross_r]]
        if piece.size == 0:
            return labels
        key = piece * (labels.max() + 1) + target
        uk, inv = np.unique(key, return_inverse=True)
        tot = np.bincount(inv, weights=length)
        pk, tk = uk // (labels.max() + 1), uk % (labels.max() + 1)
        pick = np.lexsort((-tot, pk))
        first = np.r_[True, pk[pick][1:] != pk[pick][:-1]]
        new_label = dict(zip(pk[pick][first].tolist(), tk[pick][first].tolist(), strict=True))
        move = np.array([new_label.get(c, -1) for c in comp[stray].tolist()])
        idx = np.flatnonzero(stray)
        labels[idx[move >= 0]] = move[move >= 0]
    raise RuntimeError("could not make grids connected")


def weighted_regions(
    pos: np.ndarray, area: np.ndarray, seeds: np.ndarray, targets: np.ndarray, iters: int = 80
) -> np.ndarray:
    """Additively weighted nearest-seed regions whose areas approach ``targets``."""
    w = np.zeros(len(seeds))
    dist = np.hypot(*(pos[:, None, :] - seeds[None]).transpose(2, 0, 1))
    for _ in range(iters):
        lab = np.argmin(dist - w, axis=1)
        got = np.bincount(lab, weights=area, minlength=len(seeds))
        w += np.clip(0.6 * (np.sqrt(targets) - np.sqrt(got)), -120, 120)
    return np.argmin(dist - w, axis=1)


def balanced_kmeans(
    rng: np.random.Generator, pos: np.ndarray, mass: np.ndarray, k: int, iters: int = 45
) -> np.ndarray:
    """Split points into ``k`` compact clusters of about equal mass (power-diagram k-means)."""
    if k == 1:
        return np.zeros(len(pos), int)
    p = mass / mass.sum()
    centres = [pos[rng.choice(len(pos), p=p)]]
    for _ in range(k - 1):  # k-means++ seeding
        d2 = np.min(((pos[:, None, :] - np.array(centres)[None]) ** 2).sum(-1), axis=1)
        q = d2 * mass
        centres.append(pos[rng.choice(len(pos), p=q / q.sum())])
    c = np.array(centres)
    w = np.zeros(k)
    spread = np.ptp(pos, axis=0).prod() / k
    target = mass.sum() / k
    for it in range(iters):
        lab = np.argmin(((pos[:, None, :] - c[None]) ** 2).sum(-1) - w, axis=1)
        got = np.bincount(lab, weights=mass, minlength=k)
        if (got == 0).any():  # re-seed an empty cluster inside the heaviest one
            big = np.argmax(got)
            members = np.flatnonzero(lab == big)
            far = ((pos[members] - c[big]) ** 2).sum(-1)
            c[np.argmin(got)] = pos[members[np.argmax(far)]]
            w[:] = 0
            continue
        c = (
            np.c_[
                np.bincount(lab, weights=mass * pos[:, 0], minlength=k),
                np.bincount(lab, weights=mass * pos[:, 1], minlength=k),
            ]
            / got[:, None]
        )
        if it >= iters // 3:  # after plain Lloyd steps, nudge the weights toward equal mass
            w += np.clip(0.08 * spread * (target - got) / target, -0.05 * spread, 0.05 * spread)
    lab = np.argmin(((pos[:, None, :] - c[None]) ** 2).sum(-1) - w, axis=1)
    # Relabel densely so no label is empty.
    used = np.unique(lab)
    return np.searchsorted(used, lab)


def nearest_seed_split(pos: np.ndarray, k: int) -> np.ndarray:
    """Split points among ``k`` far-apart points of their own (farthest-point sampling).

    Every label keeps at least its seed, so all ``k`` regions are non-empty.
    """
    seeds = [int(np.argmin(pos[:, 1]))]
    d = np.hypot(*(pos - pos[seeds[0]]).T)
    for _ in range(k - 1):
        seeds.append(int(np.argmax(d)))
        d = np.minimum(d, np.hypot(*(pos - pos[seeds[-1]]).T))
    return np.argmin(((pos[:, None, :] - pos[seeds][None]) ** 2).sum(-1), axis=1)
