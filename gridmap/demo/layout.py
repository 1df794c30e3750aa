"""Where buildings stand: street blocks split into parcels, and village hamlets.

Every generator appends rotated rectangles to a :class:`Footprints` collector.
Urban parcels work in the street frame (u along east-west roads, v along
north-south roads); hamlets use their own slightly turned frame. Rectangles of
one parcel or hamlet never overlap; the caller removes the few clashes left
between neighbours.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gridmap.demo.partition import LAND_CORE, LAND_INDUSTRY, LAND_SEAT, STREET_ANGLE, Blocks

SETBACK = 4.0  # building line behind the kerb, m
LANE = 8.0  # lane between two parcels of one block, m

#: Parcel types and their probabilities per land use (core near downtown, core, seat, industry).
PARCEL_TYPES = (
    "residential",
    "frontage",
    "commercial",
    "public",
    "old_town",
    "green",
    "industrial",
)
PARCEL_P: dict[str | int, tuple[float, ...]] = {
    "downtown": (0.30, 0.22, 0.24, 0.08, 0.02, 0.14, 0.0),
    LAND_CORE: (0.38, 0.12, 0.08, 0.09, 0.03, 0.30, 0.0),
    LAND_SEAT: (0.10, 0.45, 0.10, 0.10, 0.10, 0.15, 0.0),
    LAND_INDUSTRY: (0.0, 0.0, 0.06, 0.0, 0.0, 0.20, 0.74),
}
#: Downtown: the commercial heart along 中心路, street-frame metres from the district centre.
DOWNTOWN_UV = (500.0, 1250.0)
DOWNTOWN_RADIUS = 750.0


@dataclass
class Footprints:
    """Column lists of candidate buildings (centre, size, angle and attributes)."""

    x: list[float] = field(default_factory=list)
    y: list[float] = field(default_factory=list)
    length: list[float] = field(default_factory=list)
    width: list[float] = field(default_factory=list)
    angle: list[float] = field(default_factory=list)
    use: list[str] = field(default_factory=list)
    floors: list[int] = field(default_factory=list)
    households: list[int] = field(default_factory=list)
    tag: list[str] = field(default_factory=list)
    place: list[int] = field(default_factory=list)  # block index, or -1 - zone index for hamlets

    def add(self, x, y, length, width, angle, *, use, floors, households, tag, place) -> None:
        """Append one building footprint with its attributes."""
        self.x.append(float(x))
        self.y.append(float(y))
        self.length.append(float(length))
        self.width.append(float(width))
        self.angle.append(float(angle))
        self.use.append(use)
        self.floors.append(int(floors))
        self.households.append(int(households))
        self.tag.append(tag)
        self.place.append(int(place))

    def arrays(self) -> dict[str, np.ndarray]:
        """Return the footprints' columns as arrays."""
        return {k: np.asarray(v) for k, v in self.__dict__.items()}


def _row(lo: float, hi: float, size: float, gap: float) -> np.ndarray:
    """Centres of as many ``size``-long items with ``gap`` between them as fit in [lo, hi]."""
    n = int((hi - lo + gap) // (size + gap))
    if n <= 0:
        return np.empty(0)
    used = n * size + (n - 1) * gap
    return lo + (hi - lo - used) / 2 + size / 2 + np.arange(n) * (size + gap)


class ParcelBuilder:
    """Fill urban parcels with buildings; all coordinates in the street frame."""

    def __init__(self, rng: np.random.Generator, out: Footprints, to_xy) -> None:
        self.rng, self.out, self.to_xy = rng, out, to_xy

    def put(self, u, v, lu, lv, *, use, floors, hh, tag, place) -> None:
        """Add a building given in street coordinates (u, v) along the street grid."""
        x, y = self.to_xy(np.asarray(u), np.asarray(v))
        self.out.add(
            x, y, lu, lv, STREET_ANGLE, use=use, floors=floors, households=hh, tag=tag, place=place
        )

    def residential(self, box, place, walkup: bool | None = None) -> None:
        """Fill block `box` with housing: walk-up rows (mostly) or a tower estate."""
        u0, u1, v0, v1 = box
        rng = self.rng
        if walkup is None:
            walkup = rng.random() < 0.8
        if walkup:
            length = float(rng.choice([30.0, 36.0, 42.0, 54.0]))
            depth, floors = rng.uniform(11, 13), int(rng.integers(5, 7))
            gap_u, gap_v = rng.uniform(16, 24), rng.uniform(24, 30)
            per_floor = 2 * max(2, int(length // 15))
            tag = "walkup"
        else:
            length, depth = rng.uniform(26, 34), rng.uniform(16, 19)
            floors = int(rng.choice([11, 15, 18]))
            gap_u, gap_v = rng.uniform(22, 32), rng.uniform(40, 50)
            per_floor, tag = 4, "tower"
        for v in _row(v0, v1, depth, gap_v):
            for u in _row(u0, u1, length, gap_u):
                self.put(
                    u,
                    v,
                    length,
                    depth,
                    use="residential",
                    floors=floors,
                    hh=floors * per_floor,
                    tag=tag,
                    place=place,
                )

    def frontage(self, box, place, south: bool) -> None:
        """Line the south or north edge of `box` with a row of shop houses."""
        u0, u1, v0, v1 = box
        rng = self.rng
        depth = rng.uniform(12, 15)
        vf = v0 + depth / 2 if south else v1 - depth / 2
        u = u0
        while True:
            length = rng.uniform(18, 40)
            if u + length > u1:
                break
            floors = int(rng.integers(2, 6))
            hh = (floors - 1) * max(1, int(length // 10))
            self.put(
                u + length / 2,
                vf,
                length,
                depth,
                use="mixed",
                floors=floors,
                hh=hh,
                tag="frontage",
                place=place,
            )
            u += length + rng.uniform(3, 7)
        rest = (u0, u1, v0 + depth + 14, v1) if south else (u0, u1, v0, v1 - depth - 14)
        if rest[3] - rest[2] > 30:
            self.residential(rest, place, walkup=True)

    def commercial(self, box, place) -> None:
        """Fill block `box` with a mall, market, offices, a hotel or shops."""
        u0, u1, v0, v1 = box
        rng, cu, cv = self.rng, (u0 + u1) / 2, (v0 + v1) / 2
        kind = rng.choice(
            ["mall", "market", "office", "hotel", "shops"], p=[0.18, 0.13, 0.27, 0.17, 0.25]
        )
        w, h = u1 - u0, v1 - v0
        if kind in ("mall", "market"):
            lu, lv = w * rng.uniform(0.6, 0.85), h * rng.uniform(0.5, 0.8)
            floors = int(rng.integers(3, 7)) if kind == "mall" else int(rng.integers(1, 3))
            self.put(cu, cv, lu, lv, use="commercial", floors=floors, hh=0, tag=kind, place=place)
        elif kind in ("office", "hotel"):
            lu, lv = min(w - 10, rng.uniform(36, 50)), min(h - 10, rng.uniform(16, 22))
            floors = int(rng.integers(8, 25))
            self.put(
                cu,
                v0 + lv / 2 + 6,
                lu,
                lv,
                use="commercial",
                floors=floors,
                hh=0,
                tag=kind,
                place=place,
            )
            if h > 2 * lv + 30:
                self.put(
                    cu,
                    v1 - 10,
                    min(w - 10, 30.0),
                    14,
                    use="commercial",
                    floors=3,
                    hh=0,
                    tag="shops",
                    place=place,
                )
        else:
            for v in _row(v0, v1, 16, 20):
                for u in _row(u0, u1, 36, 8):
                    self.put(
                        u,
                        v,
                        36,
                        16,
                        use="commercial",
                        floors=int(rng.integers(1, 4)),
                        hh=0,
                        tag="shops",
                        place=place,
                    )

    def public(self, box, place) -> None:
        """Place one public building (school, clinic ...) in block `box`."""
        u0, u1, v0, v1 = box
        rng, w, h = self.rng, u1 - u0, v1 - v0
        kind = str(
            rng.choice(
                [
                    "school",
                    "middle_school",
                    "kindergarten",
                    "hospital",
                    "clinic",
                    "gov",
                    "nursing_home",
                ],
                p=[0.3, 0.1, 0.2, 0.05, 0.13, 0.12, 0.1],
            )
        )
        if kind in ("school", "middle_school") and w > 75 and h > 60:
            self.put(
                u0 + 36,
                v1 - 10,
                64,
                15,
                use="public",
                floors=int(rng.integers(4, 6)),
                hh=0,
                tag=kind,
                place=place,
            )
            self.put(
                u0 + 36,
                v1 - 45,
                64,
                15,
                use="public",
                floors=4,
                hh=0,
                tag="school_annex",
                place=place,
            )
        elif kind == "hospital" and w > 70 and h > 60:
            self.put(
                u0 + 32,
                v0 + 15,
                60,
                24,
                use="public",
                floors=int(rng.integers(6, 13)),
                hh=0,
                tag=kind,
                place=place,
            )
            self.put(
                u0 + 22,
                v1 - 12,
                40,
                18,
                use="public",
                floors=4,
                hh=0,
                tag="hospital_annex",
                place=place,
            )
        else:
            lu, lv = min(w - 8, rng.uniform(30, 45)), min(h - 8, rng.uniform(16, 26))
            self.put(
                (u0 + u1) / 2,
                (v0 + v1) / 2,
                lu,
                lv,
                use="public",
                floors=int(rng.integers(2, 5)),
                hh=0,
                tag=kind,
                place=place,
            )

    def old_town(self, box, place) -> None:
        """Fill block `box` with the small, dense houses of an old town."""
        u0, u1, v0, v1 = box
        rng = self.rng
        for v in _row(v0, v1, 12, 7):
            for u in _row(u0, u1, 15, 4):
                if rng.random() < 0.12:
                    continue  # a yard, a lane or a demolished house
                floors = int(rng.integers(2, 5))
                edge = v - v0 < 12 or v1 - v < 12
                use = "mixed" if edge and rng.random() < 0.35 else "residential"
                self.put(
                    u,
                    v,
                    15,
                    12,
                    use=use,
                    floors=floors,
                    hh=1 + floors // 2,
                    tag="old_house",
                    place=place,
                )

    def green(self, box, place) -> None:
        """Leave block `box` green, now and then with a utility hut."""
        u0, u1, v0, v1 = box
        if self.rng.random() < 0.35:
            self.put(
                (u0 + u1) / 2,
                (v0 + v1) / 2,
                10,
                6,
                use="other",
                floors=1,
                hh=0,
                tag="utility",
                place=place,
            )

    def industrial(self, box, place) -> None:
        """Fill block `box` with sheds and workshops."""
        u0, u1, v0, v1 = box
        rng, w, h = self.rng, u1 - u0, v1 - v0
        lu = min(w - 6, rng.uniform(50, 150))
        lv = min(h * 0.55, rng.uniform(24, 60))
        tag = "big_shed" if lu * lv > 4000 else "shed"
        self.put(
            u0 + lu / 2 + 3,
            v1 - lv / 2 - 3,
            lu,
            lv,
            use="industrial",
            floors=int(rng.integers(1, 3)),
            hh=0,
            tag=tag,
            place=place,
        )
        rest_v1 = v1 - lv - 14
        if rest_v1 - v0 > 18:
            self.put(
                u0 + 18,
                v0 + 9,
                30,
                12,
                use="industrial",
                floors=int(rng.integers(2, 5)),
                hh=0,
                tag="plant_office",
                place=place,
            )
            for u in _row(u0 + 40, u1, 20, 8)[: int(rng.integers(0, 4))]:
                self.put(
                    u, v0 + 8, 20, 12, use="industrial", floors=1, hh=0, tag="workshop", place=place
                )
        if w - lu > 20:
            self.put(u1 - 5, v1 - 5, 6, 4, use="other", floors=1, hh=0, tag="utility", place=place)


def parcel_boxes(rng: np.random.Generator, blocks: Blocks, b: int) -> list[tuple]:
    """Split the buildable part of block ``b`` into 1-4 parcels (u0, u1, v0, v1, south edge)."""
    hw = blocks.half_width[b]
    u0, u1 = blocks.u0[b] + hw[0] + SETBACK, blocks.u1[b] - hw[1] - SETBACK
    v0, v1 = blocks.v0[b] + hw[2] + SETBACK, blocks.v1[b] - hw[3] - SETBACK
    nu = 1 if u1 - u0 < 150 else int(rng.integers(1, 3))
    nv = 1 if v1 - v0 < 130 else int(rng.integers(1, 3))
    us = np.sort(rng.uniform(0.4, 0.6, nu - 1)) * (u1 - u0) + u0
    vs = np.sort(rng.uniform(0.4, 0.6, nv - 1)) * (v1 - v0) + v0
    ue, ve = np.r_[u0, us, u1], np.r_[v0, vs, v1]
    out = []
    for i in range(nu):
        for j in range(nv):
            out.append(
                (
                    ue[i] + (LANE / 2 if i else 0),
                    ue[i + 1] - (LANE / 2 if i < nu - 1 else 0),
                    ve[j] + (LANE / 2 if j else 0),
                    ve[j + 1] - (LANE / 2 if j < nv - 1 else 0),
                    j == 0,
                )
            )
    return out


def deal(rng: np.random.Generator, n: int, probs) -> np.ndarray:
    """``n`` draws with exactly the expected share of each outcome, in random order.

    Dealing from a shuffled deck instead of drawing independently keeps the mix of parcels,
    and so the number of buildings and households, steady from seed to seed.
    """
    p = np.asarray(probs, float)
    counts = np.floor(n * p).astype(int)
    rest = np.argsort(-(n * p - counts), kind="stable")[: n - counts.sum()]
    counts[rest] += 1
    return rng.permutation(np.repeat(np.arange(len(p)), counts))


def fill_blocks(rng: np.random.Generator, blocks: Blocks, out: Footprints, to_xy) -> None:
    """Fill every urban block with parcels of buildings."""
    pb = ParcelBuilder(rng, out, to_xy)
    cu, cv = (blocks.u0 + blocks.u1) / 2, (blocks.v0 + blocks.v1) / 2
    downtown = np.hypot(cu - DOWNTOWN_UV[0], cv - DOWNTOWN_UV[1]) < DOWNTOWN_RADIUS
    parcels = []
    for b in range(len(blocks.u0)):
        land = int(blocks.land[b])
        group = "downtown" if downtown[b] and land == LAND_CORE else land
        parcels += [
            (group, b, box)
            for box in parcel_boxes(rng, blocks, b)
            if box[1] - box[0] >= 30 and box[3] - box[2] >= 30
        ]
    kinds = np.empty(len(parcels), object)
    groups = np.array([str(p[0]) for p in parcels])
    for group, probs in PARCEL_P.items():
        mine = np.flatnonzero(groups == str(group))
        kinds[mine] = np.array(PARCEL_TYPES)[deal(rng, mine.size, probs)]
    for (_group, b, (u0, u1, v0, v1, south)), kind in zip(parcels, kinds, strict=True):
        box = (u0, u1, v0, v1)
        if kind == "frontage":
            pb.frontage(box, b, south)
        else:
            getattr(pb, kind)(box, b)
