"""KML/KMZ as desktop map apps write them: placemarks in nested folders.

GDAL's LIBKML driver makes one layer per folder and flattens the tree: a
nested folder's layer does not say which folder holds it, and a second
folder of the same name comes back as ``社区一 (#2)``. `read_kml` reads the
placemarks with GDAL, reads the folder tree from the KML itself with the
standard library, and gives each placemark two attributes: ``folder`` (the
name of the folder that holds it, as written) and ``folder_path`` (the
names from the outermost folder down, joined by ``/``: ``街道甲/社区一``).
The document itself is not a folder: its own placemarks have neither.
"""

from __future__ import annotations

import contextlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from gridmap.io.import_encoding import source_error

#: LIBKML's own columns (styling and time), not the user's attributes.
KML_BOILERPLATE = (
    "id",
    "timestamp",
    "begin",
    "end",
    "altitudeMode",
    "tessellate",
    "extrude",
    "visibility",
    "drawOrder",
    "icon",
    "snippet",
)
#: The attributes a placemark's folder becomes.
FOLDER, FOLDER_PATH = "folder", "folder_path"
_CONTAINERS = ("Folder", "Document")
_GDAL_SUFFIX = re.compile(r" \(#\d+\)$")


@dataclass(frozen=True)
class KmlContainer:
    """A folder (or the document) as written in the KML, with its direct placemarks."""

    name: str | None
    path: tuple[str, ...]  # empty for the document: it is not a folder
    placemarks: int
    top: bool = False  # the outermost container (LIBKML lists it only if it has placemarks)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _name(element: ET.Element) -> str | None:
    for child in element:
        if _local(child.tag) == "name":
            return (child.text or "").strip()
    return None


def kml_containers(data: bytes) -> list[KmlContainer]:
    """Return the folders of a KML document in document order (outer before inner).

    The outermost Document is the root and not a folder (its path is empty);
    an outermost Folder (a KML with no Document) is a folder like any other.
    """
    root = ET.fromstring(data)
    out: list[KmlContainer] = []

    def walk(element: ET.Element, path: tuple[str, ...], top: bool) -> None:
        for child in element:
            kind = _local(child.tag)
            if kind not in _CONTAINERS:
                continue
            name = _name(child)
            inner = path if top and kind == "Document" else (*path, name or "")
            placemarks = sum(1 for c in child if _local(c.tag) == "Placemark")
            out.append(KmlContainer(name, inner, placemarks, top))
            walk(child, inner, False)

    walk(root, (), True)
    return out


def _names_match(gdal: str, written: str | None) -> bool:
    if written is None or written == "":
        return gdal == "" or re.fullmatch(r"Layer\d+", gdal) is not None
    return gdal == written or re.fullmatch(re.escape(written) + r"( \(#\d+\))+", gdal) is not None


def match_layers(
    layers: list[tuple[str, int]], containers: list[KmlContainer]
) -> list[KmlContainer] | None:
    """Return the container behind each LIBKML layer (name, features), or None if they differ.

    LIBKML lists the root only when it holds placemarks itself, then every
    folder in document order; names are stripped and made unique with
    `` (#2)``, unnamed folders become ``Layer<n>``.
    """
    expected = [c for c in containers if c.placemarks or not c.top]
    if len(expected) != len(layers):
        return None
    for (name, count), container in zip(layers, expected, strict=True):
        named = not container.path or _names_match(name, container.name)
        if count != container.placemarks or not named:
            return None
    return expected


@contextlib.contextmanager
def _libkml_names() -> Iterator[None]:
    """Keep KML attribute names as written (LIBKML otherwise turns 网格编码 into ____)."""
    before = pyogrio.get_gdal_config_option("LIBKML_LAUNDER_FIELD_NAMES")
    pyogrio.set_gdal_config_options({"LIBKML_LAUNDER_FIELD_NAMES": "NO"})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"LIBKML_LAUNDER_FIELD_NAMES": before})


def _fallback_folders(names: list[str]) -> list[KmlContainer]:
    """Folders from LIBKML's layer names alone: GDAL's `` (#2)`` taken off a repeated name."""
    out = []
    for i, name in enumerate(names):
        base = _GDAL_SUFFIX.sub("", name)
        folder = base if base != name and base in names[:i] else name
        out.append(KmlContainer(folder, (folder,), 0))
    return out


def read_kml(path: Path) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Return the placemarks of a KML file with their ``folder`` and ``folder_path``, and notes."""
    layers: list[tuple[str, gpd.GeoDataFrame]] = []
    with _libkml_names():
        for name, _ in pyogrio.list_layers(path):
            layers.append((str(name), pyogrio.read_dataframe(path, layer=name)))
    notes = []
    try:
        found = match_layers([(n, len(f)) for n, f in layers], kml_containers(path.read_bytes()))
    except ET.ParseError as exc:
        found, reason = None, f"the KML is not well-formed XML ({exc})"
    else:
        reason = "its folders do not line up with what GDAL read"
    if found is None:
        found = _fallback_folders([n for n, _ in layers])
        notes.append(f"folder tree not read ({reason}): folder_path holds the folder's name only")
    frames, paths = [], []
    for (_, frame), container in zip(layers, found, strict=True):
        if not len(frame):
            continue
        frame = frame.drop(columns=[c for c in KML_BOILERPLATE if c in frame.columns])
        in_folder = bool(container.path)
        frame.insert(0, FOLDER_PATH, "/".join(container.path) if in_folder else None)
        frame.insert(0, FOLDER, container.path[-1] if in_folder else None)
        frames.append(frame)
        paths += ["/".join(container.path)] if in_folder else []
    if not frames:
        raise source_error("holds no placemarks.", str(path))
    out = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=4326)
    if paths:
        shown = list(dict.fromkeys(paths))
        notes.insert(
            0,
            f"{len(shown)} KML folders became the 'folder' and 'folder_path' attributes: "
            + ", ".join(shown),
        )
    else:
        out = out.drop(columns=[FOLDER, FOLDER_PATH])
    return out, notes
