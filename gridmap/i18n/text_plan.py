"""Texts of the Assessment and Plan records pages.

key -> (Chinese, English); merged into `gridmap.i18n.TEXT`.
"""

TEXT: dict[str, tuple[str, str]] = {
    "page.assessment": ("考核评分", "Assessment"),
    "page.plan_records": ("台帐登记", "Plan records"),
    "assess.period": ("考核期", "Period"),
    "assess.period_help": (
        "半年（H1 上半年、H2 下半年）或全年，按北京时间；未结束的考核期截至今天。",
        "A half year (H1, H2) or a year, in Asia/Shanghai; a running period is "
        "assessed up to today.",
    ),
    "assess.level": ("地图层级", "Map level"),
    "assess.level.grid_large": ("镇（街道）", "Towns"),
    "assess.level.grid_medium": ("社区（村）", "Communities"),
    "assess.veto": ("一票否决项", "Veto indicators"),
    "assess.fires": (
        "发生较大火灾且责任未落实的网格",
        "Grids with a serious fire where responsibility was not fulfilled",
    ),
    "assess.window": ("考核期 {first} 至 {last}", "Assessed {first} to {last}"),
    "assess.kpi.towns": ("镇（街道）平均分", "Towns: mean score"),
    "assess.kpi.communities": ("社区（村）平均分", "Communities: mean score"),
    "assess.kpi.vetoed": ("一票否决", "Vetoed"),
    "assess.ranking": ("考核排名", "Ranking"),
    "assess.detail": ("考核明细", "Detail"),
    "assess.rules": ("考核指标、目标与权重", "Indicators, targets and weights"),
    "assess.download": ("下载考核台帐（Excel）", "Download the workbook (Excel)"),
    "assess.map.score": ("得分", "Score"),
    "assess.map.rank": ("排名", "Rank"),
    "assess.map.veto": ("一票否决", "Vetoed by"),
    "assess.band.vetoed": ("一票否决", "vetoed"),
    "assess.band.none": ("无得分", "no score"),
    "assess.problems": (
        "{n} 条记录引用了本辖区不存在的网格或预案，未计入考核：",
        "{n} records name grids or plans the district does not have and were not counted:",
    ),
    "plan.view": ("台帐", "Ledger"),
    "plan.view.trainings": ("宣传培训", "Trainings"),
    "plan.view.drills": ("应急演练", "Drills"),
    "plan.view.meetings": ("联席会议", "Joint meetings"),
    "plan.view.fire_teams": ("消防队伍", "Fire teams"),
    "plan.date": ("日期", "Date"),
    "plan.grid": ("网格", "Grid"),
    "plan.code": ("或输入编码", "or type the code"),
    "plan.kind": ("活动类型", "Kind"),
    "plan.target": ("宣传对象（五进）", "Target (five into)"),
    "plan.target.none": ("（无）", "(none)"),
    "plan.participants": ("参加人数", "Participants"),
    "plan.note": ("内容/备注", "Content / note"),
    "plan.plan": ("应急预案", "Emergency plan"),
    "plan.town": ("镇（街道）", "Town"),
    "plan.attendees": ("参会人数", "Attendees"),
    "plan.topics": ("议题", "Topics"),
    "plan.user": ("登记人", "Recorded by"),
    "plan.submit": ("保存", "Save"),
    "plan.saved": ("已保存：{id}", "Saved: {id}"),
    "plan.refused": ("未保存，请修正：", "Not saved; please correct:"),
    "plan.conflict": (
        "文件已被他人修改，未保存。请重新加载后再登记。",
        "The file was changed by someone else; nothing was saved. Reload and try again.",
    ),
    "plan.recent": ("最近的记录（共 {n} 条）", "Latest records ({n} in all)"),
    "plan.none_yet": (
        "该文件尚无此类记录；保存第一条时将新建图层。",
        "The file has no such records yet; the first one saved creates the layer.",
    ),
    "plan.no_plans": (
        "该文件没有应急预案，无法登记演练（可用 gridmap import 导入预案台帐）。",
        "The file has no emergency plans, so no drill can be recorded (import the plan "
        "ledger with gridmap import).",
    ),
}
