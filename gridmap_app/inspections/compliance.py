"""The schedule compliance view of the Inspections page: choropleth, summary, table, Excel."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from gridmap.analysis import inspections as ins
from gridmap.i18n import layer_label, t
from gridmap.io import compliance_summary_zh, compliance_table_zh, workbook_bytes
from gridmap.render.web import inspections as rm
from gridmap.schema import Sheet
from gridmap.standards.inspections import DEFAULT_FREQUENCIES, STATUS_LABELS
from gridmap_app.auth import guard
from gridmap_app.context import Context
from gridmap_app.inspections import loading as data
from gridmap_app.inspections.widgets import Key, gcj02, label, map_args, show


def compliance_view(key: Key, ctx: Context, f: dict) -> None:
    lang = ctx.lang
    result = data.compliance(*key, start=f["start"], end=f["end"])
    level = st.radio(
        t("insp.level", lang),
        ("grid_small", "grid_medium", "grid_large"),
        horizontal=True,
        key="insp_compliance_level",
        format_func=lambda v: layer_label(v, lang),
    )
    worst = ins.worst_status(result, level).set_index("grid_id")
    fields = {
        "grid_id": t("col.id", lang),
        "name": t("col.name", lang),
        "status": t("insp.compliance.worst", lang),
        "rate": t("insp.compliance.rate", lang),
    }
    m = rm.compliance_map(
        data.district(key)[level],
        worst,
        labels={s: label(STATUS_LABELS, s, lang) for s in rm.STATUS_COLOURS},
        fields=fields,
        gcj02=gcj02(ctx),
        **map_args(ctx),
    )
    show(m, "insp_compliance_map")
    summary = ins.compliance_summary(result)
    periods = {(r.role, r.level): r.period for r in DEFAULT_FREQUENCIES}
    st.markdown(f"**{t('insp.compliance.summary', lang)}**")
    st.dataframe(
        compliance_summary_zh(summary, periods=periods) if lang == "zh" else summary,
        hide_index=True,
    )
    names = pd.Series(
        {k: v for level_names in data.grid_names(*key).values() for k, v in level_names.items()}
    )
    table = compliance_table_zh(result, names=names, periods=periods)
    st.dataframe(table if lang == "zh" else result, hide_index=True)
    book = workbook_bytes(
        [
            Sheet("汇总", "巡查频次落实情况 汇总", compliance_summary_zh(summary, periods=periods)),
            Sheet("明细", f"巡查频次落实情况（{f['start']} 至 {f['end']}）", table),
        ]
    )
    assert ctx.user is not None
    guard.download(
        ctx.user,
        t("insp.compliance.download", lang),
        book,
        key="insp_compliance_xlsx",
        file_name=f"巡查频次_{f['start']}_{f['end']}.xlsx",
        public=False,
    )
