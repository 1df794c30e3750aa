"""The assessment as tables for people (Chinese or English headers) and as a JSON document.

`scorecard_table` is the ranked scorecard (考核排名表): one row per town and
community, the score, the veto, and one column per indicator holding the value
and whether it passed. `indicator_table` is the detail (考核明细): one row per
grid and indicator with target, value and result. `assessment_document` is the
same as plain JSON-ready data.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gridmap.analysis.assessment.scorecard import Assessment
from gridmap.standards.inspections import PERIOD_LABELS

LEVEL_LABELS: dict[str, tuple[str, str]] = {
    "grid_large": ("镇（街道）", "town"),
    "grid_medium": ("社区（村）", "community"),
}
RESULT_LABELS: dict[str, tuple[str, str]] = {
    "passed": ("达标", "passed"),
    "failed": ("未达标", "failed"),
    "na": ("不适用", "n/a"),
}
#: Headers of the scorecard: key -> (Chinese, English).
SCORECARD_HEADERS: dict[str, tuple[str, str]] = {
    "rank": ("排名", "Rank"),
    "level": ("层级", "Level"),
    "grid_id": ("网格编码", "Code"),
    "name": ("网格名称", "Name"),
    "town": ("所属镇（街道）", "Town"),
    "score": ("得分", "Score"),
    "raw_score": ("否决前得分", "Score before veto"),
    "veto": ("一票否决", "Vetoed by"),
    "passed": ("达标指标数", "Indicators passed"),
}
#: Headers of the detail table.
DETAIL_HEADERS: dict[str, tuple[str, str]] = {
    "level": ("层级", "Level"),
    "grid_id": ("网格编码", "Code"),
    "name": ("网格名称", "Name"),
    "indicator": ("考核指标", "Indicator"),
    "target": ("目标", "Target"),
    "value": ("实际", "Value"),
    "detail": ("说明", "Detail"),
    "result": ("结果", "Result"),
    "weight": ("权重", "Weight"),
    "veto": ("一票否决项", "Veto"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def _results(frame: pd.DataFrame) -> pd.Series:
    return pd.Series(
        np.select(
            [~frame["applicable"].astype(bool), frame["passed"].astype(bool)],
            ["na", "passed"],
            "failed",
        ),
        index=frame.index,
    )


def target_text(assessment: Assessment, lang: str = "zh") -> dict[str, str]:
    """Return the target of each indicator as text, e.g. ``≥ 95%`` or ``≤ 61 天``.

    Examples
    --------
    >>> from gridmap.analysis.assessment import assess, target_text
    >>> targets = target_text(assess(district, period="2026H1"), lang="en")
    >>> targets["inspections"], targets["meetings"]
    ('≥ 95%', '≤ 61 days')
    """
    out = {}
    for ind in assessment.table:
        if not ind.at_most:
            out[ind.key] = f"≥ {ind.target:.0%}"
        elif ind.key == "meetings":
            out[ind.key] = f"≤ {ind.target:g} " + ("days" if lang == "en" else "天")
        else:
            out[ind.key] = f"≤ {ind.target:g}"
    return out


def _town_names(assessment: Assessment) -> pd.Series:
    scores = assessment.scores
    towns = scores[scores["level"] == "grid_large"]
    return pd.Series(towns["name"].to_numpy(dtype=object), index=towns["grid_id"].to_numpy())


def scorecard_table(assessment: Assessment, *, lang: str = "zh") -> pd.DataFrame:
    """Return the ranked scorecard: towns first, then communities, each by rank.

    Examples
    --------
    >>> from gridmap.analysis.assessment import assess, scorecard_table
    >>> table = scorecard_table(assess(district, period="2026H1"), lang="en")
    >>> table.iloc[:3, :4]
       Rank Level       Code   Name
    0     1  town  410106003  新安路街道
    1     2  town  410106001  济源路街道
    2     3  town  410106002  中心路街道
    """
    scores = assessment.scores
    labels = {i.key: i.label(lang) for i in assessment.table}
    results = assessment.results
    marks = _results(results).map(lambda r: _pick(RESULT_LABELS[r], lang))
    detail = results["detail_en" if lang == "en" else "detail_zh"].fillna("")
    cell = (detail + "（" + marks + "）") if lang != "en" else (detail + " (" + marks + ")")
    wide = (
        pd.DataFrame(
            {
                "key": results["level"] + "|" + results["grid_id"],
                "indicator": results["indicator"],
                "cell": cell,
            }
        )
        .pivot(index="key", columns="indicator", values="cell")
        .reindex(columns=[i.key for i in assessment.table])
    )
    key = scores["level"] + "|" + scores["grid_id"]
    towns = _town_names(assessment)
    is_town = scores["level"] == "grid_large"
    veto = scores["vetoed_by"].map(
        lambda v: (
            "、".join(labels.get(k, k) for k in str(v).split(", ")) if isinstance(v, str) else ""
        )
    )
    table = pd.DataFrame(
        {
            "rank": scores["rank"].astype("Int64"),
            "level": scores["level"].map(lambda v: _pick(LEVEL_LABELS[v], lang)),
            "grid_id": scores["grid_id"],
            "name": scores["name"],
            "town": scores["large_id"].map(towns).where(~is_town, ""),
            "score": scores["score"],
            "raw_score": scores["raw_score"],
            "veto": veto,
            "passed": scores["passed"].astype(str) + "/" + scores["applicable"].astype(str),
        }
    )
    table.columns = [_pick(SCORECARD_HEADERS[c], lang) for c in table.columns]
    cells = wide.reindex(key.to_numpy()).fillna("—").reset_index(drop=True)
    cells.columns = [labels[c] for c in cells.columns]
    return pd.concat([table.reset_index(drop=True), cells], axis=1)


def indicator_table(assessment: Assessment, *, lang: str = "zh") -> pd.DataFrame:
    """One row per grid and indicator: target, value, result (in scorecard order).

    Examples
    --------
    >>> from gridmap.analysis.assessment import assess, indicator_table
    >>> table = indicator_table(assess(district, period="2026H1"), lang="en")
    >>> len(table), table.columns[:4].tolist()
    (354, ['Level', 'Code', 'Name', 'Indicator'])
    """
    results = assessment.results
    scores = assessment.scores
    order = {k: i for i, k in enumerate(scores["level"] + "|" + scores["grid_id"])}
    rank = (results["level"] + "|" + results["grid_id"]).map(order)
    keys = [i.key for i in assessment.table]
    results = results.assign(_r=rank, _i=results["indicator"].map(keys.index))
    results = results.sort_values(["_r", "_i"], kind="stable")
    names = dict(zip(scores["level"] + "|" + scores["grid_id"], scores["name"], strict=True))
    labels = {i.key: i.label(lang) for i in assessment.table}
    targets = target_text(assessment, lang)
    value = results["value"].where(results["applicable"].astype(bool))
    rate = ~results["indicator"].map({i.key: i.at_most for i in assessment.table}).astype(bool)
    shown = np.where(
        value.isna(),
        "—",
        np.where(rate, value.map(lambda v: f"{v:.1%}"), value.map(lambda v: f"{v:g}")),
    )
    yes_no = ("是", "否") if lang != "en" else ("yes", "no")
    table = pd.DataFrame(
        {
            "level": results["level"].map(lambda v: _pick(LEVEL_LABELS[v], lang)),
            "grid_id": results["grid_id"],
            "name": (results["level"] + "|" + results["grid_id"]).map(names),
            "indicator": results["indicator"].map(labels),
            "target": results["indicator"].map(targets),
            "value": shown,
            "detail": results["detail_en" if lang == "en" else "detail_zh"],
            "result": _results(results).map(lambda r: _pick(RESULT_LABELS[r], lang)),
            "weight": results["weight"],
            "veto": np.where(results["veto"].astype(bool), yes_no[0], yes_no[1]),
        }
    )
    table.columns = [_pick(DETAIL_HEADERS[c], lang) for c in table.columns]
    return table.reset_index(drop=True)


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    if value is pd.NA or value is None:
        return None
    return value


def assessment_document(assessment: Assessment) -> dict[str, Any]:
    """Return the assessment as plain data: period, window, indicators, grids with their results.

    Examples
    --------
    >>> from gridmap.analysis.assessment import assess, assessment_document
    >>> document = assessment_document(assess(district, period="2026H1"))
    >>> sorted(document)
    ['end', 'grids', 'period', 'problems', 'scorecard', 'start']
    """
    by_grid = {
        key: group for key, group in assessment.results.groupby(["level", "grid_id"], sort=False)
    }
    grids = []
    for row in assessment.scores.itertuples(index=False):
        group = by_grid.get((row.level, row.grid_id))
        indicators = {}
        if group is not None:
            for r in group.itertuples(index=False):
                indicators[r.indicator] = {
                    "applicable": bool(r.applicable),
                    "value": _plain(r.value) if r.applicable else None,
                    "target": _plain(r.target),
                    "passed": bool(r.passed),
                    "done": _plain(r.done),
                    "required": _plain(r.required),
                    "detail_zh": r.detail_zh,
                    "detail_en": r.detail_en,
                }
        grids.append(
            {
                "level": row.level,
                "grid_id": row.grid_id,
                "name": _plain(row.name),
                "large_id": _plain(row.large_id),
                "rank": _plain(row.rank),
                "score": _plain(row.score),
                "raw_score": _plain(row.raw_score),
                "vetoed": bool(row.vetoed),
                "vetoed_by": row.vetoed_by.split(", ") if isinstance(row.vetoed_by, str) else [],
                "indicators": indicators,
            }
        )
    return {
        "period": assessment.period.label,
        "start": str(assessment.first),
        "end": str(assessment.last),
        "scorecard": [
            {
                "key": i.key,
                "zh": i.zh,
                "en": i.en,
                "weight": i.weight,
                "target": i.target,
                "at_most": i.at_most,
                "levels": list(i.levels),
                "veto": i.veto,
            }
            for i in assessment.table
        ],
        "grids": grids,
        "problems": [p.as_dict() for p in assessment.problems],
    }


def scorecard_rules(assessment: Assessment, *, lang: str = "zh") -> pd.DataFrame:
    """Return the scorecard used: indicator, levels, target, weight, veto and the rule.

    Examples
    --------
    >>> from gridmap.analysis.assessment import assess, scorecard_rules
    >>> rules = scorecard_rules(assess(district, period="2026H1"), lang="en")
    >>> rules.iloc[0, :3].tolist(), float(rules.iloc[0, 3])
    (['full coverage (no coverage-check errors)', 'town、community', '≤ 0'], 15.0)
    """
    zh = lang != "en"
    period = dict(PERIOD_LABELS)
    period["yearly"] = ("每年（截至考核期末的一年）", "yearly (the year ending with the window)")
    targets = target_text(assessment, lang)
    rows = []
    for ind in assessment.table:
        rule = ""
        every, times = ind.period, ind.times
        if ind.key == "supervision":  # the frequency table's supervision row
            sup = assessment.supervision
            every, times = (sup.period, sup.times) if sup is not None else (None, 1)
        if every:
            rule = _pick(period[every], lang) + (f" {times} 次" if zh else f", {times} per period")
        rows.append(
            {
                "考核指标" if zh else "Indicator": ind.label(lang),
                "适用层级" if zh else "Levels": "、".join(
                    _pick(LEVEL_LABELS[v], lang) for v in ind.levels
                ),
                "目标" if zh else "Target": targets[ind.key],
                "权重" if zh else "Weight": ind.weight,
                "一票否决" if zh else "Veto": ("是" if ind.veto else "否")
                if zh
                else ("yes" if ind.veto else "no"),
                "频次" if zh else "Rule": rule,
            }
        )
    return pd.DataFrame(rows)


def plan_table(assessment: Assessment) -> pd.DataFrame:
    """Drill status of every plan, Chinese headers.

    Examples
    --------
    >>> from gridmap.analysis.assessment import assess, plan_table
    >>> table = plan_table(assess(district, period="2026H1"))
    >>> len(table), table.columns[:3].tolist()
    (40, ['预案编号', '预案名称', '所属网格'])
    """
    plans = assessment.plans
    return pd.DataFrame(
        {
            "预案编号": plans["plan_id"],
            "预案名称": plans["title"],
            "所属网格": plans["grid_id"],
            "应演练": np.where(plans["due"].astype(bool), "是", "否（批准未满一年）"),
            "年度内已演练": np.where(plans["drilled"].astype(bool), "是", "否"),
            "年度内演练次数": plans["drills"],
            "最近演练日期": plans["last_drill"].map(lambda d: "" if d is None else str(d)),
        }
    )


def meeting_table(assessment: Assessment) -> pd.DataFrame:
    """Joint meetings of every town in the window, Chinese headers.

    Examples
    --------
    >>> from gridmap.analysis.assessment import assess, meeting_table
    >>> meeting_table(assess(district, period="2026H1")).columns[:3].tolist()
    ['镇（街道）编码', '名称', '会议次数']
    """
    meetings = assessment.meetings
    names = _town_names(assessment)
    limit = next((i.target for i in assessment.table if i.key == "meetings"), 61.0)
    return pd.DataFrame(
        {
            "镇（街道）编码": meetings["large_id"],
            "名称": meetings["large_id"].map(names),
            "会议次数": meetings["meetings"],
            "最长间隔天数": meetings["longest_interval"],
            "间隔起": meetings["longest_from"].astype(str),
            "间隔止": meetings["longest_to"].astype(str),
            "是否达标": np.where(meetings["longest_interval"] <= limit, "达标", "未达标"),
        }
    )


def workbook_tables(assessment: Assessment) -> list[tuple[str, str, pd.DataFrame]]:
    """(sheet name, title, table) of the assessment workbook, in Chinese.

    Examples
    --------
    >>> from gridmap.analysis.assessment import assess, workbook_tables
    >>> [name for name, _, _ in workbook_tables(assess(district, period="2026H1"))]
    ['考核排名', '考核明细', '考核指标', '预案演练', '联席会议']
    """
    span = f"{assessment.first} 至 {assessment.last}"
    title = f"消防安全网格化管理考核（{assessment.period.label}，{span}）"
    return [
        ("考核排名", title + " 排名", scorecard_table(assessment)),
        ("考核明细", title + " 明细", indicator_table(assessment)),
        ("考核指标", "考核指标、目标、权重与一票否决项", scorecard_rules(assessment)),
        ("预案演练", f"应急预案演练情况（截至 {assessment.last} 的一年）", plan_table(assessment)),
        ("联席会议", f"联席会议召开情况（{span}）", meeting_table(assessment)),
    ]
