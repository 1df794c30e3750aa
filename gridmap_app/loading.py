"""Cached loading and analysis, keyed on plain values only.

Every cached function takes the file path and its modification time (and
size) as strings/ints, plus plain parameters: Streamlit never hashes a
GeoDataFrame or a CRS. Whatever may hold personal data is keyed on the
`view` too (`gridmap_app.auth.views`: ``full``, ``none``, ``grids:M1``,
``public``), because the caches are shared by every session: `district`
is the district as the signed-in user may see it (masked), `full_district`
the file as loaded, for the checks and for saving. The district and its
coverage report are kept with ``st.cache_resource`` (one shared, read-only
copy: no pickling of a large district on every rerun); derived figures and
map data with ``st.cache_data``. A `GridmapError` is shown with ``st.error`` as readable
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
from gridmap_app.auth.views import shown_district

MIN_AREA = DEFAULT_MIN_AREA


@dataclass(frozen=True)
class Source:
    """A file as a cache key: path, modification time and size, and the view it is shown in."""

    path: str
    mtime_ns: int
    size: int
    view: str

    @classmethod
    def of(cls, path: str, view: str) -> Source:
        """Stat `path`; a missing file is a `DataError` naming it."""
        try:
            stat = os.stat(path)
        except OSError as exc:
            raise DataError(f"file not found or not readable ({exc.strerror}).", file=path) from exc
        return cls(path, stat.st_mtime_ns, stat.st_size, view)

    @property
    def key(self) -> tuple[str, int, int, str]:
        """(path, mtime, size, view): the key of what is shown."""
        return (self.path, self.mtime_ns, self.size, self.view)

    @property
    def file_key(self) -> tuple[str, int, int]:
        """(path, mtime, size): the key of what does not depend on the view."""
        return (self.path, self.mtime_ns, self.size)

    def viewed_as(self, view: str) -> Source:
        """The same file in another view (an export's public version)."""
        return Source(self.path, self.mtime_ns, self.size, view)


@st.cache_resource(show_spinner=False, max_entries=4)
def _district(path: str, mtime_ns: int, size: int) -> District:
    return read_district(path)


@st.cache_resource(show_spinner=False, max_entries=4)
def _report(path: str, mtime_ns: int, size: int, min_area: float) -> CoverageReport:
    return check_coverage(_district(path, mtime_ns, size), min_area=min_area)


@st.cache_resource(show_spinner=False, max_entries=8)
def _shown(path: str, mtime_ns: int, size: int, view: str) -> District:
    return shown_district(_district(path, mtime_ns, size), view)


def district(source: Source) -> District:
    """The district as `source.view` shows it (personal data masked outside the view)."""
    return _shown(*source.key)


def full_district(source: Source) -> District:
    """The district as loaded: for the checks, the counts and saving, never for showing."""
    return _district(*source.file_key)


def report(source: Source) -> CoverageReport:
    """The coverage check of the full district (findings name ids and counts, no persons)."""
    return _report(*source.file_key, MIN_AREA)


@st.cache_data(show_spinner=False, max_entries=64)
def kpis(path: str, mtime_ns: int, size: int, selection: tuple) -> dict[str, Any]:
    """Counts of the selection, on the full district (masking changes no count)."""
    key = (path, mtime_ns, size)
    return scope.coverage_kpis(
        _district(*key), _report(*key, MIN_AREA), scope.Selection(*selection)
    )


@st.cache_data(show_spinner=False, max_entries=64)
def profile(path: str, mtime_ns: int, size: int, view: str, selection: tuple) -> dict[str, Any]:
    key = (path, mtime_ns, size)
    return scope.grid_profile(
        _shown(*key, view), _report(*key, MIN_AREA), scope.Selection(*selection)
    )


@st.cache_data(show_spinner=False, max_entries=32)
def map_data(
    path: str,
    mtime_ns: int,
    size: int,
    view: str,
    *,
    focus: tuple[str, str] | None,
    indicator: str | None,
    gcj02: bool,
) -> MapData:
    key = (path, mtime_ns, size)
    found = _shown(*key, view)
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


def open_source(path: str, view: str, lang: str) -> Source | None:
    """Load and check the file; on a `GridmapError` show it and return None."""
    try:
        source = Source.of(path, view)
        with st.spinner(t("loading", lang)):
            report(source)
    except GridmapError as exc:
        show_error(exc, lang)
        return None
    return source
