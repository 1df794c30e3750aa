"""Texts of the Edit grids page.

key -> (Chinese, English); merged into `gridmap.i18n.TEXT`.
"""

TEXT: dict[str, tuple[str, str]] = {
    "page.edit": ("边界编辑", "Edit grids"),
    "edit.intro": (
        "在地图上画线或画面来调整网格边界。保存前先预览：新增的空白、重叠、越界会被标出，"
        "并列出换格的楼栋、住户、单位和器材点。每次保存都记入修改日志，可撤销。",
        "Draw a line or an area on the map to adjust grid boundaries. Preview before saving: "
        "new gaps, overlaps and grids leaving their parent are shown, with the buildings, "
        "households, units and equipment points that change zone. Every save is logged and "
        "can be undone.",
    ),
    "edit.level": ("网格层级", "Grid level"),
    "edit.operation": ("操作", "Operation"),
    "edit.op.split": ("拆分（画线或画面）", "Split (draw a line or an area)"),
    "edit.op.merge": ("合并相邻网格", "Merge adjacent grids"),
    "edit.op.reshape": ("调整共用边界（画新边界线）", "Move a shared boundary (draw the new line)"),
    "edit.op.transfer": ("划转区域（画面）", "Hand over an area (draw it)"),
    "edit.op.draw": ("新建网格（画面）", "New grid (draw it)"),
    "edit.op.attributes": ("修改属性（负责人、上级等）", "Edit attributes (leader, parent ...)"),
    "edit.op.delete": ("删除网格", "Delete a grid"),
    "edit.grid": ("网格", "Grid"),
    "edit.grids": ("要合并的网格", "Grids to merge"),
    "edit.keep": ("保留谁的属性", "Keep the attributes of"),
    "edit.neighbour": ("相邻网格", "Neighbour"),
    "edit.from": ("划出网格", "From grid"),
    "edit.to": ("划入网格", "To grid"),
    "edit.parent": ("上级网格", "Parent grid"),
    "edit.new_name": ("新网格名称", "Name of the new grid"),
    "edit.new_leader": ("新网格负责人", "Leader of the new grid"),
    "edit.into": ("交给相邻网格", "Hand the area to"),
    "edit.into.none": (
        "不交出（留下空白，需说明理由）",
        "Nobody (leave a gap; a reason is needed)",
    ),
    "edit.snap": ("吸附容差（米）", "Snap tolerance (metres)"),
    "edit.draw_hint": (
        "用地图左侧的绘图工具画线或画面，画完后点“预览”。",
        "Draw with the tools on the left of the map, then press Preview.",
    ),
    "edit.drawn": ("已绘制：{kind}", "Drawn: {kind}"),
    "edit.no_drawing": ("还没有绘制图形。", "Nothing drawn yet."),
    "edit.preview": ("预览", "Preview"),
    "edit.user": ("修改人", "Your name"),
    "edit.reason": ("修改理由", "Reason"),
    "edit.accept": (
        "我已知悉上述新增问题，仍要保存（须填写理由）",
        "I accept the new findings above and save anyway (a reason is required)",
    ),
    "edit.save": ("保存修改", "Save the edit"),
    "edit.saved": ("已保存：{op}（{ids}）", "Saved: {op} ({ids})"),
    "edit.need_user": ("请填写修改人。", "Enter your name."),
    "edit.need_reason": (
        "此修改会新增错误问题，须勾选确认并填写理由后才能保存。",
        "This edit adds error findings: tick the box and give a reason to save it.",
    ),
    "edit.conflict": ("保存被拒绝：", "The save was refused:"),
    "edit.review.title": ("修改预览", "Preview of the edit"),
    "edit.review.ids": ("涉及网格：{ids}", "Grids involved: {ids}"),
    "edit.review.clean": ("未新增任何问题。", "The edit adds no findings."),
    "edit.review.findings": ("新增问题", "New findings"),
    "edit.review.moves": ("换格对象（{n}）", "Objects that change zone ({n})"),
    "edit.review.no_moves": ("没有楼栋、住户、单位或器材点换格。", "Nothing changes zone."),
    "edit.review.load": ("各片区负荷变化", "Load per zone before and after"),
    "edit.col.kind": ("类型", "Kind"),
    "edit.col.id": ("编号", "Id"),
    "edit.col.from": ("原网格", "From"),
    "edit.col.to": ("新网格", "To"),
    "edit.col.area": ("面积（平方米）", "Area (m²)"),
    "edit.col.check": ("问题", "Finding"),
    "edit.kind.building": ("楼栋", "building"),
    "edit.kind.household": ("住户", "household"),
    "edit.kind.unit": ("单位", "unit"),
    "edit.kind.equipment_point": ("器材点", "equipment point"),
    "edit.attributes.hint": (
        "直接在表格中修改，编号不可改（编号随拆分、合并生成）。",
        "Edit in the table; ids cannot change here (split and merge make new ids).",
    ),
    "edit.attributes.none": ("表格未修改。", "Nothing changed in the table."),
    "edit.history": ("修改历史", "Edit history"),
    "edit.history.empty": ("该文件还没有修改记录。", "No edits have been saved to this file."),
    "edit.undo.steps": ("撤销步数", "Steps to undo"),
    "edit.undo": ("撤销", "Undo"),
    "edit.undone": ("已撤销 {n} 步。", "Undid {n} steps."),
    "edit.export.version": (
        "导出历史版本：第几次修改之后（0 为最初）",
        "Export the version after edit (0: original)",
    ),
    "edit.export": ("生成历史版本文件", "Build that version"),
    "edit.export.download": ("下载 {name}", "Download {name}"),
}
