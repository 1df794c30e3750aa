"""Hierarchy from attributes: a grid's parent from a name, a code or its location.

Real sources rarely carry GridMap's ``parent_id``. A community ledger names
its 街道; a statistics block carries a code whose first digits are its
area's code; a commune has no parent attribute at all, only a location. The
functions here turn each of those into ``parent_id`` and never drop a
feature: a name that matches no parent stays in the layer with an empty
``parent_id`` and is listed with its closest candidates, because real data
spells names in several ways (accents, dashes, 街道办事处 for 街道).

>>> normalise_name("Rivière-des-Prairies–Pointe-aux-Trembles")
'rivieredesprairiespointeauxtrembles'
>>> normalise_name("济源路街道办事处") == normalise_name("济源路街道")
True
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

ParentBy = Literal["name", "code", "location"]

#: Administrative suffixes that the same unit's name carries in one ledger and not another.
NAME_SUFFIXES = ("办事处", "居民委员会", "村民委员会", "居委会", "村委会")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


@dataclass(frozen=True)
class UnmatchedParent:
    """A parent name or code that matched no grid of the parent level."""

    value: str
    features: int
    candidates: tuple[str, ...]

    def __str__(self) -> str:
        near = ", ".join(self.candidates) if self.candidates else "no close candidate"
        return f"{self.value!r} ({self.features} features): closest {near}"


@dataclass(frozen=True)
class ParentMatch:
    """The result of `match_parents`: ``parent_id`` filled where a parent was found."""

    frame: pd.DataFrame
    matched: int
    unmatched: tuple[UnmatchedParent, ...]
    approximate: tuple[tuple[str, str, int], ...]  # (source value, parent name, features)
    notes: tuple[str, ...] = ()


def normalise_name(name: object) -> str:
    """Reduce a name for comparison: no accents, case, punctuation, spaces, 办事处 suffix.

    Examples
    --------
    >>> from gridmap.analysis.importing import normalise_name
    >>> normalise_name(" 济源路街道办事处 "), normalise_name("Jiyuan Road")
    ('济源路街道', 'jiyuanroad')
    """
    if name is None or (isinstance(name, float) and np.isnan(name)):
        return ""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _NOT_WORD.sub("", text)
    for suffix in NAME_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    return text


def _code_text(values: pd.Series) -> pd.Series:
    """Codes as text: whole-number floats lose their '.0', blanks become ''."""

    def one(v: object) -> str:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v).strip()

    return values.map(one).astype(object)


def _shared_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _candidates(
    key: str, keys: list[str], labels: dict[str, str], *, codes: bool
) -> tuple[str, ...]:
    """Return the 3 closest known keys: by spelling for names, by order and prefix for codes."""
    if not codes:
        return tuple(labels[k] for k in difflib.get_close_matches(key, keys, n=3, cutoff=0.5))
    ordered = sorted(keys)
    at = bisect.bisect_left(ordered, key)
    window = ordered[max(0, at - 3) : at + 3]
    distance = (lambda k: abs(int(k) - int(key))) if key.isdigit() else (lambda k: 0)
    window.sort(key=lambda k: (-_shared_prefix(k, key), distance(k) if k.isdigit() else 0))
    return tuple(labels[k] for k in window[:3])


def _match_keys(
    keys: pd.Series,
    lookup: dict[str, list[str]],
    labels: dict[str, str],
    *,
    accept_close: float | None,
    shown: pd.Series,
    codes: bool,
) -> tuple[pd.Series, list[UnmatchedParent], list[tuple[str, str, int]]]:
    """Map each key to a parent id; report the keys that match none."""
    unique_ids = {k: ids[0] for k, ids in lookup.items() if len(ids) == 1}
    parent = keys.map(unique_ids)
    unmatched: list[UnmatchedParent] = []
    approximate: list[tuple[str, str, int]] = []
    known = list(lookup)
    missing = parent.isna() & (keys != "")
    for key, group in keys[missing].groupby(keys[missing], sort=True):
        if key in lookup:  # ambiguous: several parents share this name
            candidates = tuple(f"{labels[key]} [{pid}]" for pid in lookup[key])
            unmatched.append(UnmatchedParent(str(shown[group.index[0]]), len(group), candidates))
            continue
        if accept_close is not None:
            best = difflib.get_close_matches(key, known, n=2, cutoff=accept_close)
            if len(best) == 1 and len(lookup[best[0]]) == 1:
                parent[group.index] = lookup[best[0]][0]
                approximate.append((str(shown[group.index[0]]), labels[best[0]], len(group)))
                continue
        unmatched.append(
            UnmatchedParent(
                str(shown[group.index[0]]), len(group), _candidates(key, known, labels, codes=codes)
            )
        )
    return parent, unmatched, approximate


def _by_attribute(
    frame: pd.DataFrame,
    parents: pd.DataFrame,
    *,
    by: ParentBy,
    column: str,
    prefix: int | None,
    accept_close: float | None,
) -> ParentMatch:
    if column not in frame.columns:
        raise KeyError(f"the source has no column {column!r} to take parents from")
    values = frame[column]
    parent_ids = _code_text(parents["grid_id"])
    if by == "name":
        keys = values.map(normalise_name)
        parent_keys = parents["name"].map(normalise_name)
        labels = dict(zip(parent_keys, parents["name"].astype(str), strict=False))
        shown = values
    else:
        keys = _code_text(values)
        if prefix:
            keys = keys.str[:prefix]
        parent_keys = parent_ids
        labels = dict(zip(parent_ids, parent_ids, strict=False))
        shown = keys
    lookup: dict[str, list[str]] = {}
    for key, pid in zip(parent_keys, parent_ids, strict=False):
        if key:
            lookup.setdefault(key, []).append(pid)
    parent, unmatched, approx = _match_keys(
        keys, lookup, labels, accept_close=accept_close, shown=shown, codes=by == "code"
    )
    out = frame.copy()
    out["parent_id"] = pd.Series(
        [v if isinstance(v, str) else None for v in parent], index=frame.index, dtype=object
    )
    blank = int((keys == "").sum())
    notes = (f"{blank} features have no {column} value, so no parent",) if blank else ()
    return ParentMatch(out, int(parent.notna().sum()), tuple(unmatched), tuple(approx), notes)


def _by_location(frame: gpd.GeoDataFrame, parents: gpd.GeoDataFrame) -> ParentMatch:
    """Parent = the parent polygon that covers the largest share of the feature."""
    from gridmap.geo import metric_crs_for_frame

    if frame.crs is None or parents.crs is None:
        raise ValueError("both layers need a CRS to match parents by location")
    metric = metric_crs_for_frame(parents)
    geoms = frame.to_crs(metric).geometry.values
    boxes = parents.to_crs(metric).geometry.values
    ids = _code_text(parents["grid_id"]).to_numpy()
    tree = shapely.STRtree(boxes)
    f_idx, p_idx = tree.query(geoms, predicate="intersects")
    share = np.zeros(len(f_idx))
    if len(f_idx):
        inter = shapely.area(shapely.intersection(geoms[f_idx], boxes[p_idx]))
        own = shapely.area(geoms[f_idx])
        share = np.where(own > 0, inter / np.where(own > 0, own, 1), 1.0)
    pairs = pd.DataFrame({"f": f_idx, "p": p_idx, "share": share})
    best = pairs.sort_values(["f", "share"], ascending=[True, False]).drop_duplicates("f")
    parent = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    parent.iloc[best["f"].to_numpy()] = ids[best["p"].to_numpy()]
    unmatched = []
    lost = np.setdiff1d(np.arange(len(frame)), best["f"].to_numpy())
    label = frame["name"] if "name" in frame.columns else frame.index.to_series()
    if len(lost):
        present = ~(shapely.is_missing(geoms[lost]) | shapely.is_empty(geoms[lost]))
        nearest = np.full(len(lost), -1)
        if present.any():
            nearest[present] = tree.query_nearest(geoms[lost][present], all_matches=False)[1]
        for i, n in zip(lost, nearest, strict=True):
            near = (str(parents["name"].iloc[n]) + f" [{ids[n]}]",) if n >= 0 else ()
            unmatched.append(UnmatchedParent(str(label.iloc[i]), 1, near))
    notes = []
    straddling = int((best["share"] < 0.5).sum())
    if straddling:
        notes.append(f"{straddling} features have less than half their area in their parent")
    out = frame.copy()
    out["parent_id"] = parent
    return ParentMatch(out, len(best), tuple(unmatched), (), tuple(notes))


def match_parents(
    frame: pd.DataFrame,
    parents: pd.DataFrame,
    *,
    by: ParentBy,
    column: str = "parent_name",
    prefix: int | None = None,
    accept_close: float | None = None,
) -> ParentMatch:
    """Fill ``parent_id`` of `frame` from the grids of the parent level.

    Parameters
    ----------
    frame
        The features being imported; not changed.
    parents
        The parent level's grids with ``grid_id`` and ``name`` (and geometry for
        ``by="location"``).
    by
        ``"name"``: `column` holds the parent's name, compared after
        `normalise_name`; ``"code"``: `column` holds the parent's ``grid_id``,
        or starts with it when `prefix` (number of characters) is given;
        ``"location"``: the parent covering most of the feature.
    accept_close
        With names or codes, accept the single closest candidate whose
        similarity (difflib ratio, 0-1) reaches this value; each accepted pair
        is listed in `ParentMatch.approximate`. By default only exact matches
        (after normalisation) are accepted.

    Examples
    --------
    >>> kids = pd.DataFrame({"grid_id": ["a", "b", "c"], "jd": ["济源路街道", "峡窝镇 ", "新安路"]})
    >>> towns = pd.DataFrame({"grid_id": ["L1", "L2"], "name": ["济源路街道办事处", "峡窝镇"]})
    >>> m = match_parents(kids, towns, by="name", column="jd")
    >>> m.frame["parent_id"].tolist(), [u.value for u in m.unmatched]
    (['L1', 'L2', None], ['新安路'])
    """
    if by == "location":
        return _by_location(frame, parents)
    if by not in ("name", "code"):
        raise ValueError(f"parents are matched by name, code or location, not {by!r}")
    return _by_attribute(
        frame, parents, by=by, column=column, prefix=prefix, accept_close=accept_close
    )
