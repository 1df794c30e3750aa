"""The plan's inspection frequencies (定期检查制度), as one configurable table.

Each `InspectionRequirement` says which inspector role must inspect each grid
of one level how often. `gridmap.analysis.inspections.compliance.compliance` checks a
district against a table of them; pass ``table=...`` to use other rules.

How the plan's sentences are read (the defaults):

``patrol`` daily per medium grid
    "Guards, patrol members and multi-form fire teams daily": a community or
    village has one patrol team (as the sample district generates it), so the
    patrol must be in every medium grid every day. Guards inspect their own
    premises and are recorded as unit self-inspections (``unit``), which the
    plan sets no frequency for here.
``community`` weekly per small grid
    "Village/community staff weekly": each responsibility zone is walked by
    its zone officer at least once per ISO week.
``police`` weekly per large grid, of units
    "Police station weekly spot checks; community police weekly": one police
    station serves one town or subdistrict (large grid). Only a police
    inspection whose target is a social unit (``target_id`` names a unit)
    is a spot check of "the units it manages"; patrols without a unit do
    not count. At least one such spot check per ISO week in each large grid.
``safety_office`` monthly per medium grid
    "Safety office monthly": the town safety office (安监办) makes one
    targeted inspection of each community or village per calendar month.
``safety_office`` half-yearly per large grid, of the grid itself
    "Supervision every half year": the schema has no separate district role,
    so supervision is recorded as a ``safety_office`` inspection whose
    ``target_id`` is the large grid's own code; the monthly community visits
    do not count toward it. Once per calendar half year (Jan-Jun, Jul-Dec).
    This row is the one home of the supervision rule: the assessment's
    ``supervision`` indicator (`gridmap.standards.assessment`) reads it with
    `supervision_requirement`, so changing it here changes the scorecard.

>>> [(r.role, r.level, r.period) for r in DEFAULT_FREQUENCIES][:2]
[('patrol', 'grid_medium', 'daily'), ('community', 'grid_small', 'weekly')]
>>> requirement("police").scope
'units'
>>> supervision_requirement().key
'safety_office@grid_large/half_yearly'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from gridmap.schema import GRID_LEVELS, INSPECTOR_ROLE_LABELS, INSPECTOR_ROLES

Period = Literal["daily", "weekly", "monthly", "half_yearly"]
#: What an inspection must be about to count: anything in the grid (``area``),
#: a social unit in the grid (``units``), or the grid itself (``grid``).
Scope = Literal["area", "units", "grid"]

PERIODS: tuple[Period, ...] = ("daily", "weekly", "monthly", "half_yearly")
SCOPES: tuple[Scope, ...] = ("area", "units", "grid")
#: Labels of the periods.
PERIOD_LABELS: dict[str, tuple[str, str]] = {
    "daily": ("每日", "daily"),
    "weekly": ("每周", "weekly"),
    "monthly": ("每月", "monthly"),
    "half_yearly": ("每半年", "half-yearly"),
}

#: Labels (Chinese, English) of the inspector roles as inspectors: the schema's
#: (`gridmap.schema.INSPECTOR_ROLE_LABELS`), under the name the ledgers and pages use.
ROLE_LABELS: dict[str, tuple[str, str]] = INSPECTOR_ROLE_LABELS
#: Labels of the compliance statuses.
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "on_schedule": ("按期", "on schedule"),
    "late": ("未按期", "late"),
    "never": ("未巡查", "never"),
}


@dataclass(frozen=True)
class InspectionRequirement:
    """One row of the frequency table.

    Attributes
    ----------
    role
        Inspector role (`gridmap.schema.INSPECTOR_ROLES`).
    level
        Grid level each of whose grids needs the inspections.
    period
        Calendar period in Asia/Shanghai: day, ISO week (Monday-Sunday),
        month or half year.
    zh, en
        Label of the requirement.
    times
        Inspections needed per period (one by default).
    scope
        What counts: ``area`` any inspection placed in the grid, ``units``
        only inspections whose target is a social unit in the grid, ``grid``
        only inspections whose target_id names the grid itself.
    """

    role: str
    level: str
    period: Period
    zh: str
    en: str
    times: int = 1
    scope: Scope = "area"

    def __post_init__(self) -> None:
        problems = []
        if self.role not in INSPECTOR_ROLES:
            problems.append(f"role {self.role!r} is not one of {', '.join(INSPECTOR_ROLES)}")
        if self.level not in GRID_LEVELS:
            problems.append(f"level {self.level!r} is not one of {', '.join(GRID_LEVELS)}")
        if self.period not in PERIODS:
            problems.append(f"period {self.period!r} is not one of {', '.join(PERIODS)}")
        if self.scope not in SCOPES:
            problems.append(f"scope {self.scope!r} is not one of {', '.join(SCOPES)}")
        if int(self.times) < 1:
            problems.append(f"times must be at least 1, not {self.times}")
        if problems:
            raise ValueError("invalid inspection requirement: " + "; ".join(problems))

    @property
    def key(self) -> str:
        """A short unique name, e.g. ``patrol@grid_medium/daily``."""
        return f"{self.role}@{self.level}/{self.period}"

    def label(self, lang: str = "zh") -> str:
        """Return the label in `lang` (``zh`` or ``en``)."""
        return self.en if lang == "en" else self.zh


#: The plan's frequencies (see the module docstring for how each is read).
DEFAULT_FREQUENCIES: tuple[InspectionRequirement, ...] = (
    InspectionRequirement(
        "patrol",
        "grid_medium",
        "daily",
        "巡防队员每日巡查（每社区/村）",
        "patrol team daily, per community or village",
    ),
    InspectionRequirement(
        "community",
        "grid_small",
        "weekly",
        "社区/村工作人员每周巡查（每片区）",
        "community or village staff weekly, per responsibility zone",
    ),
    InspectionRequirement(
        "police",
        "grid_large",
        "weekly",
        "派出所每周抽查辖区单位（每镇/街道）",
        "police station weekly spot check of its units, per town",
        scope="units",
    ),
    InspectionRequirement(
        "safety_office",
        "grid_medium",
        "monthly",
        "安监办每月针对性检查（每社区/村）",
        "safety office monthly targeted inspection, per community or village",
    ),
    InspectionRequirement(
        "safety_office",
        "grid_large",
        "half_yearly",
        "每半年督导检查（每镇/街道）",
        "half-yearly supervision, per town",
        scope="grid",
    ),
)


def requirement(
    role: str, *, table: tuple[InspectionRequirement, ...] = DEFAULT_FREQUENCIES
) -> InspectionRequirement:
    """Return the first requirement of `table` for `role`."""
    for row in table:
        if row.role == role:
            return row
    raise KeyError(f"no requirement for role {role!r} in the table")


def supervision_requirement(
    table: tuple[InspectionRequirement, ...] = DEFAULT_FREQUENCIES,
) -> InspectionRequirement | None:
    """Return the supervision row of `table` (督导检查), None when the table has none.

    That is the first requirement of a large grid whose scope is the grid itself.

    >>> supervision_requirement(DEFAULT_FREQUENCIES[:4]) is None
    True
    """
    for row in table:
        if row.level == "grid_large" and row.scope == "grid":
            return row
    return None
