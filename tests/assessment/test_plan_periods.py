"""Assessment periods offered by the app: choices, default and the span of a district's records.

Known answers worked out by hand on the calendar, in Asia/Shanghai.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyproj
import pytest
from conftest import make_tiny_layers

from gridmap.analysis.assessment import default_period, period_choices, record_span
from gridmap.district import District
from gridmap.layers import validate_layer
from gridmap.schema import LAYERS

D = dt.date.fromisoformat


def district_of(**extra: pd.DataFrame) -> District:
    """The tiny district with `extra` layers; ``inspections=None`` drops that layer."""
    layers = {k: v for k, v in make_tiny_layers().items() if k != "inspections"}
    layers.update({k: v for k, v in extra.items() if v is not None})
    typed = {name: validate_layer(frame, LAYERS[name])[0] for name, frame in layers.items()}
    return District(typed, crs=pyproj.CRS(4547))


@pytest.mark.parametrize(
    ("first", "last", "choices"),
    [
        # one half year: that half and its year
        ("2026-02-01", "2026-03-01", ["2026H1", "2026"]),
        # across the middle of a year
        ("2026-06-30", "2026-07-01", ["2026H2", "2026H1", "2026"]),
        # across a year end, one day each side
        ("2025-12-31", "2026-01-01", ["2026H1", "2026", "2025H2", "2025"]),
        # the sample district's span: November to October
        ("2025-11-01", "2026-10-31", ["2026H2", "2026H1", "2026", "2025H2", "2025"]),
        # three calendar years, each year after its halves
        (
            "2024-07-01",
            "2026-01-15",
            ["2026H1", "2026", "2025H2", "2025H1", "2025", "2024H2", "2024"],
        ),
        # a single day
        ("2026-07-01", "2026-07-01", ["2026H2", "2026"]),
        # 16:30 UTC on 31 December is 1 January in Shanghai: 2025 is not offered
        ("2025-12-31T16:30:00Z", "2026-03-01", ["2026H1", "2026"]),
        ("2025-12-31T15:59:00Z", "2026-03-01", ["2026H1", "2026", "2025H2", "2025"]),
    ],
)
def test_period_choices(first: str, last: str, choices: list[str]) -> None:
    assert period_choices(first, last) == choices


def test_period_choices_refuse_a_reversed_range() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        period_choices("2026-01-02", "2026-01-01")


@pytest.mark.parametrize(
    ("last", "default"),
    [
        ("2026-06-30", "2026H1"),  # the last day of a half year: that half year
        ("2026-07-01", "2026H1"),  # the day after: still the half year just ended
        ("2026-10-31", "2026H1"),
        ("2026-12-30", "2026H1"),
        ("2026-12-31", "2026H2"),
        ("2026-01-01", "2025H2"),  # across the year end
        ("2026-06-29", "2025H2"),
        ("2025-12-31T16:30:00Z", "2025H2"),  # 1 January 2026 in Shanghai
        ("2025-12-31T15:59:00Z", "2025H2"),  # 31 December 2025 in Shanghai
        (dt.date(2025, 12, 31), "2025H2"),
    ],
)
def test_default_period(last: object, default: str) -> None:
    assert default_period(last) == default


def test_the_record_span_of_a_district_without_records_is_none() -> None:
    assert record_span(district_of()) is None


def test_the_record_span_of_empty_layers_is_none() -> None:
    empty = pd.DataFrame({"training_id": [], "date": [], "grid_id": [], "kind": []}, dtype=object)
    assert record_span(district_of(trainings=empty)) is None


def test_the_record_span_covers_every_dated_layer_in_shanghai() -> None:
    inspections = make_tiny_layers()["inspections"].iloc[:1].copy()
    inspections["inspected_at"] = ["2025-12-31T16:30:00Z"]  # 1 January 2026 in Shanghai
    only = record_span(district_of(inspections=inspections))
    assert only == (D("2026-01-01"), D("2026-01-01"))
    trainings = pd.DataFrame(
        {
            "training_id": ["T1", "T2"],
            "date": ["2025-07-01 00:00", "2025-09-01"],  # naive: Shanghai wall time
            "grid_id": "M1",
            "kind": "publicity_day",
        }
    )
    meetings = pd.DataFrame(
        {"meeting_id": ["MT1"], "large_id": ["L1"], "date": ["2026-03-04T16:00:00Z"]}
    )
    span = record_span(district_of(inspections=inspections, trainings=trainings, meetings=meetings))
    assert span == (D("2025-07-01"), D("2026-03-05"))  # the meeting is 5 March in Shanghai
    assert period_choices(*span) == ["2026H1", "2026", "2025H2", "2025"]
    assert default_period(span[1]) == "2025H2"


def test_a_hazard_does_not_widen_the_span() -> None:
    """Hazards are not the plan's dated records: the tiny district's hazard (June 2025) is
    outside the span of its only inspection."""
    inspections = make_tiny_layers()["inspections"].iloc[:1].copy()
    inspections["inspected_at"] = ["2026-02-01 10:00"]
    assert record_span(district_of(inspections=inspections)) == (
        D("2026-02-01"),
        D("2026-02-01"),
    )
