"""Cached loading and analysis, keyed on plain values only.

Every cached function takes the file path and its modification time (and
size) as strings/ints, plus plain parameters: Streamlit never hashes a
GeoDataFrame or a CRS. The district and its coverage report are kept with
``st.cache_resource`` (one shared, read-only copy: no pickling of a large
district on every rerun); derived figures and map data with
``st.cache_data``. A `GridmapError` is shown with ``st.error`` as readable
text; other exceptions are bugs and are not caught.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

import streamlit as st

from gridmap.analysis.coverage import DEFAULT_MIN_AREA, CoverageReport, check_coverage, scope
from gridmap.district import District
from gridmap.errors import DataError, GridmapError
from gridmap.i18n import t
from gridmap.io import read_district
from gridmap.render.web.data import MapData, prepare_map_data

MIN_AREA = DEFAULT_MIN_AREA


@dataclass(frozen=True)
class Source:
    """A file as a cache key: path, modification time and size."""

    path: str
    mtime_ns: int
    size: int

    @classmethod
    def of(cls, path: str) -> Source:
        """Stat `path`; a missing file is a `DataError` naming it."""
        try:
            stat = os.stat(path)
        except OSError as exc:
            raise DataError(f"file not found or not readable ({exc.strerror}).", file=path) from exc
        return cls(path, stat.st_mtime_ns, stat.st_size)

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.path, self.mtime_ns, self.size)


@st.cache_resource(show_spinner=False, max_entries=4)
def _district(path: str, mtime_ns: int, size: int) -> District:
    return read_district(path)


@st.cache_resource(show_spinner=False, max_entries=4)
def _report(path: str, mtime_ns: int, size: int, min_area: float) -> CoverageReport:
    return check_coverage(_district(path, mtime_ns, size), min_area=min_area)


def district(source: Source) -> District:
    return _district(*source.key)


def report(source: Source) -> CoverageReport:
    return _report(*source.key, MIN_AREA)


@st.cache_data(show_spinner=False, max_entries=64)
def kpis(path: str, mtime_ns: int, size: int, selection: tuple) -> dict[str, Any]:
    key = (path, mtime_ns, size)
    return scope.coverage_kpis(
        _district(*key), _report(*key, MIN_AREA), scope.Selection(*selection)
    )


@st.cache_data(show_spinner=False, max_entries=64)
def profile(path: str, mtime_ns: int, size: int, selection: tuple) -> dict[str, Any]:
    key = (path, mtime_ns, size)
    return scope.grid_profile(_district(*key), _report(*key, MIN_AREA), scope.Selection(*selection))


@st.cache_data(show_spinner=False, max_entries=32)
def map_data(
    path: str,
    mtime_ns: int,
    size: int,
    *,
    focus: tuple[str, str] | None,
    indicator: str | None,
    gcj02: bool,
) -> MapData:
    key = (path, mtime_ns, size)
    found = _district(*key)
    rep = _report(*key, MIN_AREA)
    values = scope.small_grid_indicator(found, rep, indicator) if indicator else None
    return prepare_map_data(found, rep.findings, focus=focus, values=values, gcj02=gcj02)


_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>#|~$])")


def show_error(exc: GridmapError, lang: str, *, intro: str | None = None) -> None:
    """A GridMap error as a readable message (markdown special characters escaped).

    `intro` heads the message; by default it says the data cannot be opened.
    """
    lines = [_MARKDOWN.sub(r"\\\1", line) for line in str(exc).splitlines()]
    st.error((intro or t("load.error", lang)) + "  \n" + "  \n".join(lines))


def open_source(path: str, lang: str) -> Source | None:
    """Load and check the file; on a `GridmapError` show it and return None."""
    try:
        source = Source.of(path)
        with st.spinner(t("loading", lang)):
            report(source)
    except GridmapError as exc:
        show_error(exc, lang)
        return None
    return source
