"""Texts of the Import page.

key -> (Chinese, English); merged into `gridmap.i18n.TEXT`.
"""

TEXT: dict[str, tuple[str, str]] = {
    "page.import": ("导入数据", "Import data"),
    "imp.intro": (
        "把测绘部门的 Shapefile、奥维/谷歌地球的 KML/KMZ、网络平台的 GeoJSON "
        "或 Excel 台帐导入辖区文件。写入前先检查，检查通过后才能导入；导入记入修改日志，可以撤销。",
        "Bring in Shapefiles from the survey bureau, KML/KMZ from desktop map apps, GeoJSON "
        "from web platforms or Excel ledgers. Everything is checked before anything is "
        "written; an import is logged in the edit history and can be undone.",
    ),
    "imp.target": ("导入到（辖区 GeoPackage 文件路径）", "Import into (district GeoPackage path)"),
    "imp.target.help": (
        "文件不存在时新建；已存在时通过修改日志原子保存。",
        "Created if it does not exist; otherwise saved atomically through the edit log.",
    ),
    "imp.target.none": ("请填写要导入的辖区文件路径。", "Enter the district file to import into."),
    "imp.layer": ("目标图层", "Target layer"),
    "imp.files": ("上传文件", "Upload files"),
    "imp.files.help": (
        "Shapefile 请同时选中 .shp/.dbf/.shx/.prj/.cpg，或上传 .zip。",
        "For a Shapefile select .shp/.dbf/.shx/.prj/.cpg together, or upload a .zip.",
    ),
    "imp.paths": (
        "或：本机文件路径（每行一个）",
        "Or: paths of files on this computer (one per line)",
    ),
    "imp.none": ("请上传文件或填写文件路径。", "Upload files or enter their paths."),
    "imp.preview": ("预览：{file}（{n} 条要素）", "Preview: {file} ({n} features)"),
    "imp.notes": ("读取说明", "Reading notes"),
    "imp.mapping": ("字段对应", "Column mapping"),
    "imp.mapping.help": (
        "已按别名和名称相似度预填；“—”表示保留原字段名。",
        "Pre-filled from the aliases and name similarity; “—” keeps the column as it is.",
    ),
    "imp.keep": ("—", "—"),
    "imp.coords": ("坐标系", "Coordinates"),
    "imp.coords.file": ("按文件声明", "As the file says"),
    "imp.coords.wgs84": ("WGS84（GPS）", "WGS 84 (GPS)"),
    "imp.coords.cgcs2000": ("CGCS2000", "CGCS2000"),
    "imp.coords.gcj02": ("GCJ-02（高德/腾讯，转换为 WGS84）", "GCJ-02 (Gaode/Tencent, converted)"),
    "imp.coords.bd09": ("BD-09（百度，转换为 WGS84）", "BD-09 (Baidu, converted)"),
    "imp.crs": ("或 EPSG 代码（如 EPSG:4547）", "Or an EPSG code (e.g. EPSG:4547)"),
    "imp.parent_by": ("上级网格匹配", "Parent grids"),
    "imp.parent_by.none": ("不匹配", "Do not match"),
    "imp.parent_by.name": ("按名称", "By name"),
    "imp.parent_by.code": ("按编码", "By code"),
    "imp.parent_by.location": ("按位置（面积重叠最大）", "By location (largest overlap)"),
    "imp.parent_column": ("上级名称/编码所在字段", "Column with the parent's name or code"),
    "imp.parent_prefix": ("编码取前几位（0 表示全部）", "Code = first N characters (0: all)"),
    "imp.accept_close": ("接受近似名称（相似度）", "Accept close names (similarity)"),
    "imp.defaults": ("统一填写（字段=值，每行一个）", "Fill in (FIELD=VALUE, one per line)"),
    "imp.generate_ids": ("为缺少编码的要素生成编码", "Generate ids where missing"),
    "imp.mode": ("方式", "Mode"),
    "imp.mode.upsert": (
        "按编码新增或更新（保留其他要素）",
        "Add or update by id (keep all other features)",
    ),
    "imp.mode.replace": (
        "替换该图层（删除未导入的要素）",
        "Replace the layer (remove features not imported)",
    ),
    "imp.mode.append": ("仅追加（编码已存在则报错）", "Append only (an existing id is an error)"),
    "imp.skip_bad": (
        "跳过图形无法读取的记录",
        "Skip records whose geometry cannot be read",
    ),
    "imp.unreadable": (
        "{file}：{n} 条记录的图形无法读取（文件已损坏），第 {rows} 条。"
        "除非勾选“跳过图形无法读取的记录”，否则不会写入。",
        "{file}: the geometry of {n} records cannot be read (the file is damaged): records "
        "{rows}. Nothing is written unless “Skip records whose geometry cannot be read” is ticked.",
    ),
    "imp.folder": (
        "输入的路径限于数据文件夹：{folder}（可用环境变量 GRIDMAP_DATA_DIR 设置）",
        "Typed paths are limited to the data folder: {folder} (set with GRIDMAP_DATA_DIR)",
    ),
    "imp.changes": (
        "新增 {added} 条要素，更新 {updated} 条，将删除现有要素 {removed} 条。",
        "{added} features added, {updated} updated, {removed} existing features will be removed.",
    ),
    "imp.changes.done": (
        "已新增 {added} 条要素，更新 {updated} 条，删除现有要素 {removed} 条。",
        "{added} features added, {updated} updated, {removed} existing features removed.",
    ),
    "imp.geometry_kept": (
        "{n} 条更新的要素在源文件中没有图形，保留原有图形。",
        "{n} updated features have no geometry in the source: their existing geometry is kept.",
    ),
    "imp.zone_changes": (
        "所属网格将改变：楼栋 {building} 栋，住户 {household} 户，单位 {unit} 家。",
        "Changing small or medium grid: {building} buildings, {household} households, "
        "{unit} units.",
    ),
    "imp.confirm_needed": (
        "本次导入将删除 {n} 条现有要素。请勾选确认后再导入。",
        "This import removes {n} existing features. Tick the confirmation to import.",
    ),
    "imp.confirm_remove": (
        "我确认删除这 {n} 条现有要素",
        "I confirm removing these {n} existing features",
    ),
    "imp.check": ("检查（不写入）", "Check (writes nothing)"),
    "imp.run": ("导入", "Import"),
    "imp.run.help": ("先检查并通过后才能导入。", "Check first; import is enabled when it passes."),
    "imp.result": ("检查结果", "Check result"),
    "imp.read": ("读取要素", "Features read"),
    "imp.kept": ("保留要素", "Features kept"),
    "imp.repaired": ("修复要素", "Features repaired"),
    "imp.dropped": ("剔除要素", "Features dropped"),
    "imp.ok": ("检查通过，可以导入。", "The check passed: ready to import."),
    "imp.errors": ("发现 {n} 个错误，修改后重新检查：", "{n} errors: fix them and check again:"),
    "imp.unmatched": (
        "以下上级名称/编码未匹配（要素保留，上级为空）",
        "Parents not found (features kept with no parent)",
    ),
    "imp.value": ("取值", "Value"),
    "imp.features": ("要素数", "Features"),
    "imp.candidates": ("最接近的候选", "Closest candidates"),
    "imp.reasons": ("原因", "Reason"),
    "imp.done": (
        "已导入 {n} 条要素到 {layer}（{file}）。",
        "Imported {n} features into {layer} ({file}).",
    ),
    "imp.stale": (
        "设置已改变，请重新检查后再导入。",
        "The settings changed: check again before importing.",
    ),
    "imp.bad_line": (
        "无法识别：{line}（应为 字段=值）",
        "Cannot read {line} (expected FIELD=VALUE)",
    ),
}
