"""The plan's assessment (目标管理、督导考核、一票否决): its rules and scorecard, as one table.

Each `Indicator` row is one line of the scorecard: what is measured, for which
grid levels, the target, the weight in the score, whether failing it vetoes
the grid (一票否决), and, for the plan's recurring work items, the rule itself
(how often, how many). `gridmap.analysis.assessment.assess` scores a district
against a table of them; pass ``table=...`` to use other weights, targets or
vetoes.

How the plan's sentences are read (the defaults; periods are calendar periods
in Asia/Shanghai, counted as whole periods inside the assessment window as in
`gridmap.analysis.inspections.compliance`):

``publicity`` a publicity day every month per medium grid
    Each whole calendar month of the window needs one record of kind
    ``publicity_day`` in the ``trainings`` layer whose ``grid_id`` is the
    community or one of its zones. Value: months held / months required; a
    town's value sums its communities' months. A town-wide record counts for
    no community.
``trainings`` trainings logged
    Two records of the other kinds (``five_into``, ``unit_training``,
    ``resident_training``) per community per whole half year (at most two
    count per half year, so a busy spring does not make up for an empty autumn).
``drills`` at least one drill per plan per year
    "Per year" is the year ending on the last day of the window (for 2026H1:
    2025-07-01 to 2026-06-30; for 2026: the calendar year). A plan is due when
    it was approved on or before the first day of that year (or has no
    approval date); a plan approved later has not had its year yet and is not
    counted. A due plan is drilled when a ``drills`` record of it, or its
    ``last_drill_at``, falls in that year. Value: drilled / due plans of the
    grid and the grids below it.
``meetings`` a joint meeting every two months per large grid
    Judged by the interval between consecutive meetings: at most **61 days**
    (a meeting 61 days after the previous one is on time, 62 days is late).
    61 days is two average months (365 / 6 = 60.8, rounded up): a town keeping
    it holds six meetings a year. The calendar reading ("by the same day two
    months later") is not used: it allows 62 days across July-August and
    December-January, and a town meeting every 62 days holds fewer than six a
    year. Intervals are counted in calendar days from the last meeting before
    the window (or, with none, from the day before the window starts) through
    each meeting in the window to the day after the window ends: a town whose
    last meeting was 61 days before the window's last day had one due inside
    the window and is late. Value: the longest interval in days.
``supervision`` supervision every half year per large grid
    The rule is the supervision row of the inspection frequency table
    (`gridmap.standards.inspections.supervision_requirement`: by default a
    ``safety_office`` inspection whose ``target_id`` is the large grid itself
    in each whole half year of the window), not a second copy here: pass
    ``frequencies=...`` to `gridmap.analysis.assessment.assess` to change it.
    A frequency table without a supervision row leaves the indicator with
    nothing to measure (it does not apply). That row is left out of the
    ``inspections`` indicator so it is not counted twice.

The other indicators: ``coverage`` (no error finding of the coverage check in
the grid), ``leaders`` (every grid of the grid's tree has a named leader),
``inspections`` (inspections done / required over the grid's tree, by the
frequency table, at least 95 %), ``hazards`` (hazards whose deadline falls in
the window rectified by their deadline, at least 90 %), ``equipment``
(existing equipment points holding the standard kit, all of them) and
``serious_fire`` (a serious fire in the grid where responsibility was not
fulfilled, as named by the user: the layer model holds no fire records).

Score: the weights of the indicators passed over the weights of the indicators
that apply (an indicator with nothing to measure, such as equipment in a
grid without points, does not apply), times 100. A grid failing a veto
indicator scores 0 whatever else it passed (一票否决). Defaults veto on a
serious fire and on a failed coverage check; a district that vetoes on one of
them only sets ``veto=False`` on the other.

>>> [i.key for i in SCORECARD if i.veto]
['coverage', 'serious_fire']
>>> sum(i.weight for i in SCORECARD)
100.0
>>> indicator("meetings").target, indicator("meetings").at_most
(61.0, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from gridmap.schema import TRAINING_KINDS

BOTH = ("grid_large", "grid_medium")
#: Indicators GridMap knows how to measure.
KNOWN_INDICATORS = (
    "coverage",
    "leaders",
    "inspections",
    "hazards",
    "publicity",
    "trainings",
    "drills",
    "meetings",
    "supervision",
    "equipment",
    "serious_fire",
)
_PERIODS = ("monthly", "half_yearly", "yearly")


@dataclass(frozen=True)
class Indicator:
    """One line of the scorecard.

    Attributes
    ----------
    key
        What is measured (one of `KNOWN_INDICATORS`).
    zh, en
        Label of the indicator (the Chinese one heads the exported column).
    weight
        Share of the score (weights need not add up to 100).
    target
        A rate from 0 to 1 the value must reach, or a count / number of days
        it must not exceed (``at_most``).
    at_most
        The value passes when at most the target (counts, days) instead of at least.
    levels
        Grid levels the indicator is scored for.
    veto
        Failing it vetoes the grid (score 0, ranked last).
    period, times
        The rule of a recurring work item of the plan's ledgers: ``times``
        records per calendar ``period`` (``monthly``, ``half_yearly``;
        ``yearly`` for drills). Supervision's rule is in the inspection
        frequency table instead.
    kinds
        Training kinds counted (``trainings`` layer).
    """

    key: str
    zh: str
    en: str
    weight: float
    target: float
    at_most: bool = False
    levels: tuple[str, ...] = BOTH
    veto: bool = False
    period: str | None = None
    times: int = 1
    kinds: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        problems = []
        if self.key not in KNOWN_INDICATORS:
            problems.append(f"key {self.key!r} is not one of {', '.join(KNOWN_INDICATORS)}")
        if self.weight < 0:
            problems.append(f"weight must be 0 or more, not {self.weight}")
        if not self.at_most and not 0 <= self.target <= 1:
            problems.append(f"a rate target lies between 0 and 1, not {self.target}")
        if self.at_most and self.target < 0:
            problems.append(f"a count target must be 0 or more, not {self.target}")
        if not self.levels or set(self.levels) - set(BOTH):
            problems.append(f"levels must be some of {', '.join(BOTH)}, not {self.levels}")
        if self.period is not None and self.period not in _PERIODS:
            problems.append(f"period {self.period!r} is not one of {', '.join(_PERIODS)}")
        if int(self.times) < 1:
            problems.append(f"times must be at least 1, not {self.times}")
        if self.key == "supervision" and (self.period is not None or self.times != 1):
            problems.append(
                "the supervision rule is the supervision row of the inspection frequency "
                "table (gridmap.standards.inspections); set no period or times here"
            )
        if set(self.kinds) - set(TRAINING_KINDS):
            problems.append(f"kinds must be some of {', '.join(TRAINING_KINDS)}")
        if problems:
            raise ValueError(f"invalid indicator {self.key!r}: " + "; ".join(problems))
        object.__setattr__(self, "weight", float(self.weight))
        object.__setattr__(self, "target", float(self.target))

    def label(self, lang: str = "zh") -> str:
        """Return the label in `lang` (``zh`` or ``en``)."""
        return self.en if lang == "en" else self.zh


#: The plan's scorecard with its rules (see the module docstring for how each is read).
SCORECARD: tuple[Indicator, ...] = (
    Indicator(
        "coverage",
        "网格全覆盖（覆盖检查无错误）",
        "full coverage (no coverage-check errors)",
        15,
        0,
        at_most=True,
        veto=True,
    ),
    Indicator("leaders", "网格负责人明确", "every grid has a leader", 10, 1.0),
    Indicator("inspections", "巡查频次落实率", "inspections done on schedule", 15, 0.95),
    Indicator("hazards", "隐患按期整改率", "hazards rectified by their deadline", 15, 0.9),
    Indicator(
        "publicity",
        "每月消防宣传日",
        "a publicity day every month",
        10,
        1.0,
        period="monthly",
        kinds=("publicity_day",),
    ),
    Indicator(
        "trainings",
        "宣传培训登记（每半年 2 次）",
        "trainings logged (2 per half year)",
        5,
        1.0,
        period="half_yearly",
        times=2,
        kinds=("five_into", "unit_training", "resident_training"),
    ),
    Indicator(
        "drills", "预案每年至少演练一次", "every plan drilled once a year", 10, 1.0, period="yearly"
    ),
    Indicator(
        "meetings",
        "联席会议每两个月一次（间隔天数）",
        "joint meeting every two months (interval in days)",
        10,
        61,
        at_most=True,
        levels=("grid_large",),
    ),
    Indicator(
        "supervision",
        "每半年督导检查",
        "supervision every half year",
        5,
        1.0,
        levels=("grid_large",),
    ),
    Indicator("equipment", "器材存放点配备达标", "equipment points stocked to standard", 5, 1.0),
    Indicator(
        "serious_fire",
        "发生较大火灾且责任未落实",
        "serious fire with responsibility not fulfilled",
        0,
        0,
        at_most=True,
        veto=True,
    ),
)


def check_scorecard(table: Iterable[Indicator]) -> tuple[Indicator, ...]:
    """Return `table` as a tuple; each indicator may appear once and some weight must count."""
    rows = tuple(table)
    keys = [row.key for row in rows]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise ValueError(
            f"the scorecard lists {', '.join(twice)} more than once; keep one row each."
        )
    if rows and not any(row.weight > 0 for row in rows):
        raise ValueError("every indicator of the scorecard has weight 0; give some a weight.")
    return rows


def indicator(key: str, *, table: Iterable[Indicator] = SCORECARD) -> Indicator:
    """Return the row of `table` for `key`."""
    for row in table:
        if row.key == key:
            return row
    raise KeyError(f"the scorecard has no indicator {key!r}")


def with_vetoes(vetoes: Iterable[str], *, table: Iterable[Indicator] = SCORECARD) -> tuple:
    """`table` with exactly the indicators named in `vetoes` as veto indicators.

    >>> [i.key for i in with_vetoes(["serious_fire"]) if i.veto]
    ['serious_fire']
    """
    chosen = set(vetoes)
    rows = tuple(table)
    unknown = chosen - {row.key for row in rows}
    if unknown:
        raise ValueError(
            f"no indicator {', '.join(sorted(unknown))} in the scorecard; "
            f"indicators are: {', '.join(row.key for row in rows)}."
        )
    return tuple(replace(row, veto=row.key in chosen) for row in rows)
