"""Column mapping for imports: suggested from the schema's aliases and name similarity.

`suggest_mapping` proposes ``{source column: field}``; `check_mapping` lists
every problem with a mapping the user gives; `apply_mapping` renames; and
`rename_known` applies the schema's aliases to what the mapping left, the
more specific alias winning (网格编码 over a GeoJSON feature ``id``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

import geopandas as gpd
import pandas as pd

from gridmap.analysis.importing.geometry import COORD_TARGETS
from gridmap.errors import DataError, Problem
from gridmap.schema import COORDINATE_ALIASES, LAYERS, PARENT_LEVEL, PARENT_NAME_ALIASES


def mapping_targets(layer: str, *, table: bool = False) -> tuple[str, ...]:
    """Names a source column may be mapped to for `layer`.

    Examples
    --------
    >>> from gridmap.analysis.importing import mapping_targets
    >>> mapping_targets("grid_small")
    ('grid_id', 'parent_id', 'name', 'leader', 'phone', 'members', 'parent_name')
    """
    spec = LAYERS[layer]
    extra = ("parent_name",) if layer in PARENT_LEVEL else ()
    return (*spec.field_names, *extra, *(COORD_TARGETS if table else ()))


def _alias_table(layer: str, *, table: bool) -> dict[str, str]:
    out = dict(LAYERS[layer].alias_map())
    for alias in PARENT_NAME_ALIASES.get(layer, ()):
        out.setdefault(alias.lower(), "parent_name")
    if table:
        for target, aliases in COORDINATE_ALIASES.items():
            for alias in aliases:
                out.setdefault(alias.lower(), target)
    return out


def suggest_mapping(
    columns: Iterable[object], layer: str, *, table: bool = False, cutoff: float = 0.8
) -> dict[str, str]:
    """Propose ``{source column: target}`` from the schema's aliases, then name similarity.

    Each target is proposed once; `table` adds the lon/lat columns of ledgers.

    Examples
    --------
    >>> suggest_mapping(["网格编号", "网格名", "所属社区", "人口"], "grid_small")
    {'网格编号': 'grid_id', '所属社区': 'parent_name', '网格名': 'name'}
    """
    aliases = _alias_table(layer, table=table)
    names = [str(c) for c in columns]
    out: dict[str, str] = {}
    for name in names:
        target = aliases.get(name.strip().lower())
        if target is not None and target not in out.values():
            out[name] = target
    keys = list(aliases)
    for name in names:
        if name in out:
            continue
        for close in difflib.get_close_matches(name.strip().lower(), keys, n=3, cutoff=cutoff):
            if aliases[close] not in out.values():
                out[name] = aliases[close]
                break
    return out


def parse_mapping(items: Iterable[str]) -> dict[str, str]:
    """Parse ``'source=target'`` items (the CLI's ``--map``).

    Examples
    --------
    >>> parse_mapping(["NOM=name", " Arr_Vll = parent_name "])
    {'NOM': 'name', 'Arr_Vll': 'parent_name'}
    """
    out: dict[str, str] = {}
    for item in items:
        source, sep, target = item.partition("=")
        if not sep or not source.strip() or not target.strip():
            raise DataError(
                Problem(
                    "error", f"cannot read the mapping {item!r}.", fix="write it as 'NOM=name'."
                )
            )
        out[source.strip()] = target.strip()
    return out


def check_mapping(
    mapping: Mapping[str, str], layer: str, columns: Iterable[object], *, table: bool = False
) -> list[Problem]:
    """Every problem with a mapping: unknown source columns, unknown or repeated targets.

    Examples
    --------
    >>> from gridmap.analysis.importing import check_mapping
    >>> problems = check_mapping({"编码": "grid_id", "x": "nonsense"}, "grid_small", ["编码"])
    >>> len(problems), problems[1].message
    (2, "'nonsense' is not a field of grid_small.")
    """
    present = [str(c) for c in columns]
    allowed = mapping_targets(layer, table=table)
    problems = []
    for source, target in mapping.items():
        if source not in present:
            problems.append(
                Problem(
                    "error",
                    f"the mapping names column {source!r}, which the source does not have.",
                    layer=layer,
                    fix=f"the source's columns are: {', '.join(present)}.",
                )
            )
        if target not in allowed:
            problems.append(
                Problem(
                    "error",
                    f"{target!r} is not a field of {layer}.",
                    layer=layer,
                    fix=f"map to one of: {', '.join(allowed)}.",
                )
            )
    targets = pd.Series(list(mapping.values()), dtype=object)
    for target in targets[targets.duplicated()].unique():
        sources = [s for s, t in mapping.items() if t == target]
        problems.append(
            Problem(
                "error",
                f"columns {', '.join(map(repr, sources))} are all mapped to {target!r}.",
                layer=layer,
                fix="map one column to each field.",
            )
        )
    return problems


def apply_mapping(
    frame: pd.DataFrame, mapping: Mapping[str, str]
) -> tuple[pd.DataFrame, list[str]]:
    """Rename columns by `mapping`; a column already named like a target moves aside.

    Returns the new frame and a note per column moved aside (as ``<name>_source``).

    Examples
    --------
    >>> import pandas as pd
    >>> from gridmap.analysis.importing import apply_mapping
    >>> frame = pd.DataFrame({"网格编码": ["A1"], "grid_id": ["old"]})
    >>> renamed, notes = apply_mapping(frame, {"网格编码": "grid_id"})
    >>> renamed.columns.tolist()
    ['grid_id', 'grid_id_source']
    """
    renames = {s: t for s, t in mapping.items() if s in frame.columns and s != t}
    geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    clashes = [t for t in renames.values() if t in frame.columns and t not in renames]
    moved = {t: f"{t}_source" for t in clashes if t != geometry}
    notes = [
        f"column {t!r} renamed {n!r} to make room for the mapped column" for t, n in moved.items()
    ]
    out = frame.rename(columns=moved).rename(columns=renames)
    return out, notes


def _alias_renames(frame: pd.DataFrame, layer: str) -> tuple[dict[str, str], list[str]]:
    """Columns to rename by the schema's aliases; of two candidates the more specific wins.

    A field's own name beats its first alias, which beats later ones: a
    GeoJSON feature ``id`` (a row number) does not displace 网格编码.
    """
    spec = LAYERS[layer]
    rank: dict[str, tuple[str, int]] = {}
    for f in spec.fields:
        for i, alias in enumerate((f.name, *f.aliases)):
            rank.setdefault(alias.strip().lower(), (f.name, i))
    best: dict[str, tuple[int, str]] = {}
    notes = []
    for column in frame.columns:
        found = rank.get(str(column).strip().lower())
        if found is None:
            continue
        target, i = found
        if target in best:
            keep = min(best[target], (i, str(column)))
            other = str(column) if keep[1] != str(column) else best[target][1]
            notes.append(f"columns {keep[1]!r} and {other!r} both mean {target}: used {keep[1]!r}")
            best[target] = keep
        else:
            best[target] = (i, str(column))
    renames = {column: target for target, (_, column) in best.items() if column != target}
    return renames, notes


def rename_known(frame: pd.DataFrame, layer: str) -> tuple[pd.DataFrame, dict[str, str], list]:
    """Rename columns the schema knows by an alias (网格名称 -> name, 所属街道 -> parent_name)."""
    renames, notes = _alias_renames(frame, layer)
    present = set(frame.columns)
    renames = {s: t for s, t in renames.items() if t not in present}
    frame = frame.rename(columns=renames)
    if "parent_name" not in frame.columns:
        aliases = {a.lower() for a in PARENT_NAME_ALIASES.get(layer, ())}
        found = [c for c in frame.columns if str(c).strip().lower() in aliases]
        if found:
            frame = frame.rename(columns={found[0]: "parent_name"})
            renames[found[0]] = "parent_name"
    return frame, renames, notes
