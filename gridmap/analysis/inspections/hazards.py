"""The hazard closed loop (隐患处理制度): state, age, deadlines and escalations as of a date.

The plan: a hazard found in a community is reported to the town safety office
and given a deadline (限期整改); one still open after its deadline is handed to
the police station (移交派出所); a major hazard (重大火灾隐患) is reported and put
under government supervision (挂牌督办).

The lifecycle as recorded (the ``status`` field): a hazard is recorded
``open`` (a major one too: being found does not put it under supervision),
then ``rectified`` (with ``rectified_at``), ``transferred`` to the police
station, or ``supervised`` once the government has put it under supervision.

Dates are Shanghai calendar days (`gridmap.analysis.inspections.compliance`). A deadline
is a day: a hazard due on 22 June is rectified in time on 22 June and overdue
from 23 June. ``as_of`` is a day too: the state at the end of that day, so a
hazard found after it is left out and a rectification after it does not count
yet. The layer records transfer and supervision only as a status, without a
date, so they are taken as recorded.

State of each hazard, first rule that applies:

``rectified``
    rectified_at on or before ``as_of`` (or status ``rectified`` with no date);
    ``rectified_in_time`` tells whether by the deadline.
``supervised``
    recorded as ``supervised`` (挂牌督办 has happened).
``supervision_due``
    a major hazard not yet recorded as ``supervised``: supervision is due
    (待挂牌督办), whether or not it is also past its deadline or transferred.
``transferred``
    recorded as ``transferred`` to the police station.
``overdue``
    past its deadline and not yet transferred: the transfer is due.
``open``
    within its deadline (or without one: ``no_deadline`` flags it).

Escalations due (the to-do list of ``as_of``): ``supervise`` for a hazard in
state ``supervision_due``, due from the day it was found;
``transfer`` for an ``overdue`` hazard, due from the day after its deadline.
``due_since`` says from when, ``new_today`` whether it became due on ``as_of``.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from gridmap.analysis.inspections.compliance import as_date, day_number, day_numbers
from gridmap.analysis.inspections.placement import assign_records, event_layer, text_ids
from gridmap.district import District
from gridmap.schema import GRID_LEVELS

HAZARD_STATES = ("open", "overdue", "supervision_due", "transferred", "supervised", "rectified")
#: Labels of the computed states.
STATE_LABELS: dict[str, tuple[str, str]] = {
    "open": ("整改中", "open"),
    "overdue": ("逾期未整改", "overdue"),
    "supervision_due": ("待挂牌督办", "supervision due"),
    "transferred": ("已移交派出所", "transferred to police"),
    "supervised": ("挂牌督办", "under supervision"),
    "rectified": ("已整改", "rectified"),
}
#: Labels of the escalations.
ESCALATION_LABELS: dict[str, tuple[str, str]] = {
    "transfer": ("应移交派出所", "hand over to the police station"),
    "supervise": ("应挂牌督办", "put under government supervision"),
}
SEVERITY_LABELS: dict[str, tuple[str, str]] = {
    "general": ("一般隐患", "general"),
    "major": ("重大火灾隐患", "major"),
}
_NAT = np.iinfo(np.int64).min


def _days(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Day numbers of a datetime column and a mask of the present ones."""
    if column not in frame.columns:
        return np.full(len(frame), _NAT, dtype=np.int64), np.zeros(len(frame), dtype=bool)
    days = day_numbers(frame[column])
    return days, (days != _NAT) & frame[column].notna().to_numpy()


def _dates(days: np.ndarray, present: np.ndarray) -> pd.Series:
    values = pd.Series(pd.to_datetime(np.where(present, days, 0).astype("datetime64[D]")))
    return values.dt.date.astype(object).where(present, None)


def hazard_states(
    district: District, *, as_of: object, assignment: pd.DataFrame | None = None
) -> gpd.GeoDataFrame:
    """State, age and escalation of every hazard found by the end of `as_of`.

    Returns
    -------
    GeoDataFrame
        On the layer's index (hazards found later are left out): ``hazard_id``,
        ``severity``, ``status`` (as recorded), ``unit_id``, ``description``,
        ``small_id``, ``medium_id``, ``large_id``, ``found_date``,
        ``deadline_date``, ``rectified_date`` (dates or None), ``state``,
        ``rectified_in_time`` (boolean, NA unless rectified with both dates),
        ``overdue`` (past the deadline and not rectified), ``days_overdue``
        (days past the deadline, to ``as_of`` or to the late rectification;
        0 otherwise), ``age_days`` (found to rectified, else to ``as_of``),
        ``no_deadline``, ``escalation`` (None, ``transfer`` or ``supervise``),
        ``due_since`` (date), ``new_today`` and the geometry.

    Examples
    --------
    >>> from gridmap.analysis.inspections import hazard_states
    >>> states = hazard_states(district, as_of="2026-06-30")
    >>> states["state"].value_counts().sort_index().to_dict()
    {'open': 11, 'overdue': 6, 'rectified': 192, 'supervised': 16, 'supervision_due': 1,
    'transferred': 26}
    """
    frame = event_layer(district, "hazards")
    today = day_number(as_date(as_of))
    if assignment is None:
        targets = (
            frame["unit_id"]
            if "unit_id" in frame.columns
            else pd.Series(None, index=frame.index, dtype=object)
        )
        points = (
            frame.geometry.values
            if isinstance(frame, gpd.GeoDataFrame)
            else np.full(len(frame), None, dtype=object)
        )
        assignment = assign_records(district, targets, points)
    found, has_found = _days(frame, "found_at")
    deadline, has_deadline = _days(frame, "deadline")
    rect, has_rect = _days(frame, "rectified_at")
    keep = has_found & (found <= today)
    status = text_ids(frame["status"])
    major = text_ids(frame["severity"]) == "major"
    rectified = (has_rect & (rect <= today)) | ((status == "rectified") & ~has_rect)
    past = has_deadline & (today > deadline)
    supervised = status == "supervised"
    supervise = major & ~rectified & ~supervised
    state = np.select(
        [rectified, supervised, supervise, status == "transferred", past],
        ["rectified", "supervised", "supervision_due", "transferred", "overdue"],
        "open",
    ).astype(object)
    in_time = pd.array(np.where(has_deadline, rect <= deadline, False), dtype="boolean")
    in_time[~(rectified & has_rect & has_deadline)] = pd.NA
    end = np.where(rectified & has_rect, rect, today)
    late_days = np.where(has_deadline, end - deadline, 0)
    transfer = state == "overdue"
    escalation = np.select([supervise, transfer], ["supervise", "transfer"], "").astype(object)
    escalation[escalation == ""] = None
    due = np.where(supervise, found, deadline + 1)
    has_due = supervise | transfer
    out = gpd.GeoDataFrame(
        {
            "hazard_id": text_ids(frame["hazard_id"]),
            "severity": text_ids(frame["severity"]),
            "status": status,
            "unit_id": text_ids(frame["unit_id"]) if "unit_id" in frame else None,
            "description": frame["description"].to_numpy(dtype=object)
            if "description" in frame
            else None,
            "small_id": assignment["small_id"].to_numpy(dtype=object),
            "medium_id": assignment["medium_id"].to_numpy(dtype=object),
            "large_id": assignment["large_id"].to_numpy(dtype=object),
            "found_date": _dates(found, has_found).to_numpy(),
            "deadline_date": _dates(deadline, has_deadline).to_numpy(),
            "rectified_date": _dates(rect, has_rect & rectified).to_numpy(),
            "state": state,
            "rectified_in_time": in_time,
            "overdue": ~rectified & past,
            "days_overdue": np.where(has_deadline & (late_days > 0), late_days, 0),
            "age_days": np.where(has_found, end - found, 0),
            "no_deadline": ~has_deadline & ~rectified,
            "escalation": escalation,
            "due_since": _dates(due, has_due).to_numpy(),
            "new_today": has_due & (due == today),
        },
        index=frame.index,
        geometry=frame.geometry.values if isinstance(frame, gpd.GeoDataFrame) else None,
        crs=district.crs,
    )
    return out[keep]


def escalations_due(states: pd.DataFrame) -> pd.DataFrame:
    """Return the hazards with an escalation due, oldest due first (from `hazard_states`).

    Examples
    --------
    >>> from gridmap.analysis.inspections import escalations_due, hazard_states
    >>> due = escalations_due(hazard_states(district, as_of="2026-06-30"))
    >>> len(due), due.columns[:4].tolist()
    (7, ['hazard_id', 'severity', 'status', 'unit_id'])
    """
    due = states[states["escalation"].notna()]
    return due.sort_values(["due_since", "hazard_id"], kind="stable")


def state_counts(states: pd.DataFrame, *, by: str = "medium_id") -> pd.DataFrame:
    """Hazards per state (every state a column), ``overdue`` and ``escalations``, per grid.

    Examples
    --------
    >>> from gridmap.analysis.inspections import hazard_states, state_counts
    >>> counts = state_counts(hazard_states(district, as_of="2026-06-30"), by="large_id")
    >>> counts.columns.tolist()
    ['large_id', 'open', 'overdue', 'supervision_due', 'transferred', 'supervised', 'rectified',
    'total', 'overdue_now', 'escalations']
    """
    keys = states[by].fillna("")
    table = pd.crosstab(
        keys, pd.Categorical(states["state"], categories=list(HAZARD_STATES)), dropna=False
    )
    table = table.reindex(columns=list(HAZARD_STATES), fill_value=0)
    table.columns = list(HAZARD_STATES)
    table["total"] = table.sum(axis=1)
    table["overdue_now"] = states.groupby(keys)["overdue"].sum().reindex(table.index).fillna(0)
    table["escalations"] = (
        states["escalation"].notna().groupby(keys).sum().reindex(table.index).fillna(0)
    )
    return table.astype(np.int64).rename_axis(by).reset_index()


#: Ledger columns: key -> (Chinese header, English header).
LEDGER_COLUMNS: dict[str, tuple[str, str]] = {
    "hazard_id": ("隐患编号", "Hazard"),
    "large_name": ("镇（街道）", "Town"),
    "medium_name": ("社区（村）", "Community"),
    "small_name": ("责任片区", "Zone"),
    "unit_id": ("单位编号", "Unit"),
    "unit_name": ("单位名称", "Unit name"),
    "severity": ("隐患等级", "Severity"),
    "description": ("隐患描述", "Description"),
    "found_date": ("发现日期", "Found"),
    "deadline_date": ("整改期限", "Deadline"),
    "rectified_date": ("整改完成日期", "Rectified"),
    "state": ("当前状态", "State"),
    "in_time": ("是否按期整改", "In time"),
    "age_days": ("存续天数", "Age (days)"),
    "days_overdue": ("逾期天数", "Days overdue"),
    "escalation": ("待办升级", "Escalation due"),
    "due_since": ("升级起始日期", "Due since"),
}


def _names(district: District, layer: str, id_field: str) -> pd.Series:
    """Name of each feature of `layer` by id (the first named row of a duplicated id)."""
    frame = district.get(layer)
    if frame is None or "name" not in frame.columns:
        return pd.Series(dtype=object)
    return (
        pd.Series(frame["name"].to_numpy(dtype=object), index=text_ids(frame[id_field]))
        .groupby(level=0)
        .first()
    )


def hazard_ledger(states: pd.DataFrame, district: District, *, lang: str = "zh") -> pd.DataFrame:
    """Return the hazard ledger (隐患台帐): one row per hazard, ordered by town, community, date.

    Headers are Chinese (``lang="zh"``) or English; values of enumerations
    are labelled in the same language. The community column is what splits
    the ledger per community (`gridmap.io.ledger_inspections`).

    Examples
    --------
    >>> from gridmap.analysis.inspections import hazard_ledger, hazard_states
    >>> ledger = hazard_ledger(hazard_states(district, as_of="2026-06-30"), district)
    >>> len(ledger), ledger.columns[:4].tolist()
    (252, ['隐患编号', '镇（街道）', '社区（村）', '责任片区'])
    """
    pick = 1 if lang == "en" else 0
    yes_no = ("否", "是") if pick == 0 else ("no", "yes")
    grids = {level: district.grid_names(level) for level in GRID_LEVELS}
    units = _names(district, "units", "unit_id")
    out = pd.DataFrame(
        {
            "hazard_id": states["hazard_id"].to_numpy(),
            "large_name": states["large_id"].map(grids["grid_large"]).fillna(states["large_id"]),
            "medium_name": states["medium_id"]
            .map(grids["grid_medium"])
            .fillna(states["medium_id"]),
            "small_name": states["small_id"].map(grids["grid_small"]).fillna(states["small_id"]),
            "unit_id": states["unit_id"],
            "unit_name": states["unit_id"].map(units),
            "severity": states["severity"].map({k: v[pick] for k, v in SEVERITY_LABELS.items()}),
            "description": states["description"],
            "found_date": states["found_date"],
            "deadline_date": states["deadline_date"],
            "rectified_date": states["rectified_date"],
            "state": states["state"].map({k: v[pick] for k, v in STATE_LABELS.items()}),
            "in_time": states["rectified_in_time"].map({True: yes_no[1], False: yes_no[0]}),
            "age_days": states["age_days"],
            "days_overdue": states["days_overdue"],
            "escalation": states["escalation"].map(
                {k: v[pick] for k, v in ESCALATION_LABELS.items()}
            ),
            "due_since": states["due_since"],
        }
    ).astype(object)
    out = out.where(out.notna(), None)
    order = pd.DataFrame(
        {
            "l": states["large_id"].fillna("~").to_numpy(),
            "m": states["medium_id"].fillna("~").to_numpy(),
            "f": states["found_date"].astype(str).to_numpy(),
            "h": states["hazard_id"].fillna("").to_numpy(),
        }
    )
    out = out.iloc[order.sort_values(["l", "m", "f", "h"], kind="stable").index.to_numpy()]
    out.columns = [LEDGER_COLUMNS[c][pick] for c in out.columns]
    return out.reset_index(drop=True)
