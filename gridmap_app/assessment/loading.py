"""Cached assessment for the Assessment page, keyed on plain values (path, mtime, size, options).

The district and its coverage report come from `gridmap_app.loading` (one
shared copy each); the assessment is kept with ``st.cache_data``. Saving a
record changes the file's mtime, so every key changes with it.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from gridmap.analysis.assessment import Assessment, assess, record_span
from gridmap.district import District
from gridmap.schema import GRID_LEVELS
from gridmap.standards.assessment import with_vetoes
from gridmap.tasks import assessment_workbook_bytes
from gridmap_app import loading

Key = tuple[str, int, int, str]


def district(key: Key) -> District:
    return loading.district(loading.Source(*key))


@st.cache_data(show_spinner=False, max_entries=16)
def assessment(
    path: str,
    mtime_ns: int,
    size: int,
    view: str,
    *,
    period: str,
    as_of: str,
    vetoes: tuple[str, ...],
    fires: tuple[str, ...],
) -> Assessment:
    source = loading.Source(path, mtime_ns, size, view)
    return assess(
        loading.district(source),
        period=period,
        as_of=as_of,
        table=with_vetoes(vetoes),
        serious_fires=fires,
        coverage=loading.report(source),
    )


@st.cache_data(show_spinner=False, max_entries=16)
def workbook(
    path: str,
    mtime_ns: int,
    size: int,
    view: str,
    *,
    period: str,
    as_of: str,
    vetoes: tuple[str, ...],
    fires: tuple[str, ...],
) -> bytes:
    return assessment_workbook_bytes(
        assessment(
            path, mtime_ns, size, view, period=period, as_of=as_of, vetoes=vetoes, fires=fires
        )
    )


@st.cache_data(show_spinner=False, max_entries=8)
def span(path: str, mtime_ns: int, size: int, view: str) -> tuple[dt.date, dt.date] | None:
    return record_span(district((path, mtime_ns, size, view)))


@st.cache_data(show_spinner=False, max_entries=8)
def grid_names(path: str, mtime_ns: int, size: int, view: str) -> dict[str, dict[str, str]]:
    """Names of every grid per level (the code where a grid has no name)."""
    found = district((path, mtime_ns, size, view))
    return {level: found.grid_names(level).astype(str).to_dict() for level in GRID_LEVELS}
