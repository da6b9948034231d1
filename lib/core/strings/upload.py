"""Upload strings: the upload page, templates, validation messages and CLI output: key -> (zh, en)."""

STRINGS: dict[str, tuple[str, str]] = {
    # page
    "upload.title": ("数据上传", "Upload data"),
    "upload.intro": (
        "每季度上传本单位的数据：先下载模板填写，或直接上传自己的 CSV / Excel 表格。"
        "上传后先校验、再预览变化，确认后才写入；每次导入都可以撤销。",
        "Upload your quarterly figures: fill in a template or upload your own CSV / Excel sheet. "
        "The file is checked and the changes previewed before anything is written; "
        "every import can be undone.",
    ),
    "upload.templates": ("下载模板", "Templates"),
    "upload.templates.help": (
        "CSV 模板带 UTF-8 BOM，可直接用 Excel 打开；Excel 模板第二页是指标目录。"
        "以 # 开头的行是说明，导入时会被跳过。季度报表模板是可打印的报表样式（标题、年份合并在各季度之上、"
        "表尾填表人/审核人），填好后原样上传即可，标题和签字行会被跳过。",
        "CSV templates carry a UTF-8 BOM so Excel opens them; the Excel template lists the "
        "indicator catalogue on its second sheet. Lines starting with # are notes and are skipped. "
        "The quarterly report form is laid out for printing (a title, the year merged over the "
        "quarters, signature lines below): fill it in and upload it as it is; the title and "
        "signature lines are skipped.",
    ),
    "upload.tpl.csv": ("{kind}模板（CSV）", "{kind} template (CSV)"),
    "upload.tpl.xlsx": ("{kind}模板（Excel）", "{kind} template (Excel)"),
    "upload.tpl.xls": ("{kind}模板（Excel 97–2003 .xls）", "{kind} template (Excel 97–2003 .xls)"),
    "upload.tpl.report": ("季度报表模板（{fmt}）", "Quarterly report form ({fmt})"),
    "upload.tpl.report.xlsx": ("Excel", "Excel"),
    "upload.tpl.report.xls": ("Excel 97–2003 .xls", "Excel 97–2003 .xls"),
    "upload.tpl.catalog": ("指标目录（CSV）", "Indicator catalogue (CSV)"),
    "upload.edit.title": (
        "下载现有数据（下载后修改再上传）",
        "Download the data to edit and upload",
    ),
    "upload.edit.help": (
        "下载的是库中现有数据，格式就是上传格式：在 Excel 里修改需要更正的单元格后原样上传，"
        "只有改动过的数据会被更新；不改动直接上传不会写入任何数据。",
        "The files hold the store's current data in the upload layout: correct the cells you "
        "need in Excel and upload the file; only the edited figures change, and an unedited file "
        "writes nothing.",
    ),
    "upload.edit.csv": ("{kind}（CSV）", "{kind} (CSV)"),
    "upload.edit.xlsx": ("{kind}（Excel）", "{kind} (Excel)"),
    "upload.edit.suffix": ("现有数据", "current"),
    "upload.sheet": ("工作表", "Sheet"),
    "upload.sheet.help": (
        "只列出可见的工作表；隐藏的工作表不会被读取。",
        "Only visible sheets are listed; hidden sheets are never read.",
    ),
    "upload.kind": ("数据类型", "Kind of data"),
    "upload.kind.auto": ("自动识别", "Detect"),
    "upload.kind.observations": ("指标数据", "Figures"),
    "upload.kind.targets": ("目标", "Targets"),
    "upload.kind.stations": ("服务阵地", "Stations"),
    "upload.file": (
        "选择 CSV 或电子表格文件（.xlsx、.xls、.xlsm、.xlsb、.ods，Excel、WPS 或 LibreOffice 保存的均可）",
        "Choose a CSV or spreadsheet file (.xlsx, .xls, .xlsm, .xlsb, .ods; saved by Excel, WPS or "
        "LibreOffice)",
    ),
    "upload.file.help": (
        "把文件拖到下面的框里，或点框中的按钮选择文件；每个文件不超过 20MB，格式为 CSV、XLSX、XLS、"
        "XLSM、XLSB 或 ODS。",
        "Drag the file into the box below or click its button to choose one; up to 20 MB per "
        "file, CSV, XLSX, XLS, XLSM, XLSB or ODS.",
    ),
    "upload.picker.limit": (
        "每个文件不超过 20MB · CSV、XLSX、XLS、XLSM、XLSB、ODS",
        "20MB per file • CSV, XLSX, XLS, XLSM, XLSB, ODS",
    ),
    "upload.picker.button": ("选择文件", "Upload"),
    "upload.picker.drop": ("把文件放到这里", "Drag and drop a file here"),
    "upload.picker.refused": (
        "不能上传此文件：只接受 CSV、XLSX、XLS、XLSM、XLSB、ODS 文件，每个不超过 20MB。",
        "This file cannot be uploaded: CSV, XLSX, XLS, XLSM, XLSB or ODS, up to 20 MB per file.",
    ),
    "upload.problem_lines": ("每个问题的完整说明", "Every problem in full"),
    "upload.problem_lines_more": (
        "另有 {n} 个问题，见上表。",
        "{n} more problems in the table above.",
    ),
    "upload.stage.parse": ("正在读取文件…", "Reading the file…"),
    "upload.stage.validate": ("正在校验…", "Checking…"),
    "upload.stage.diff": ("正在比对已有数据…", "Comparing with the store…"),
    "upload.stage.write": ("正在写入…", "Writing…"),
    "upload.read_as": (
        "已读取：{kind}，{fmt}，编码 {encoding}，{rows} 行",
        "Read: {kind}, {fmt}, encoding {encoding}, {rows} rows",
    ),
    "upload.fmt.long": ("长表（每行一个数据）", "long (one figure per row)"),
    "upload.fmt.wide": ("宽表（每列一个季度或年份）", "wide (one column per quarter or year)"),
    "upload.fmt.table": ("表格", "table"),
    "upload.problems": (
        "发现 {n} 个问题，未写入任何数据。请修改文件后重新上传。",
        "{n} problems found; nothing was written. Fix the file and upload it again.",
    ),
    "upload.more_problems": ("……另有 {n} 个问题未列出", "… and {n} more problems"),
    "upload.problem_line": (
        "第 {row} 行，列“{column}”：{reason}",
        'row {row}, column "{column}": {reason}',
    ),
    "upload.problem_file": ("文件：{reason}", "file: {reason}"),
    "upload.duplicate": (
        "此文件（相同内容）已在批次 {batch} 中导入（{user}），不会重复写入，数据没有任何变化。",
        "This exact file was already imported as batch {batch} ({user}); nothing was changed.",
    ),
    "upload.summary": (
        "新增 {new} 项，修改 {changed} 项，未变 {unchanged} 项；空白 {blank} 项（空白表示无数据，不写入）。",
        "{new} new, {changed} changed, {unchanged} unchanged; {blank} blank (no figure, not written).",
    ),
    "upload.skipped": (
        "已跳过第 {row} 行（{why}）：{text}",
        "skipped row {row} ({why}): {text}",
    ),
    "upload.skip.title": ("表头上方的标题或说明", "title or note above the header"),
    "upload.skip.footer": ("表尾签字或日期行", "signature or date line"),
    "upload.skip.unit": (
        "计量单位说明，表中数值按此单位读取",
        "unit note: the figures are read in this unit",
    ),
    "upload.skip.total": ("合计行，不作为数据", "totals row, not a figure"),
    "upload.skip.header2": (
        "表头第二行，与上一行合并为列名",
        "the header's second row, joined with the row above into the column names",
    ),
    "upload.ignored_columns": ("以下列未使用：{names}", "Columns not used: {names}"),
    "upload.metric.new": ("新增", "New"),
    "upload.metric.changed": ("修改", "Changed"),
    "upload.metric.unchanged": ("未变", "Unchanged"),
    "upload.read_as_xlsx": (
        "已读取：{kind}，{fmt}，工作表“{sheet}”，{rows} 行",
        'Read: {kind}, {fmt}, sheet "{sheet}", {rows} rows',
    ),
    "upload.section.new": ("新增", "New"),
    "upload.section.changed": ("修改（原值 → 新值）", "Changed (old → new)"),
    "upload.section.unchanged": ("未变", "Unchanged"),
    "upload.confirm": (
        "我确认用新数值覆盖 {n} 项已有的不同数据",
        "I confirm overwriting {n} existing figures with different values",
    ),
    "upload.commit": ("确认导入", "Import"),
    "upload.need_confirm": (
        "有 {n} 项已有数据会被覆盖，请先勾选确认。",
        "{n} existing figures would be overwritten: tick the confirmation first.",
    ),
    "upload.done": (
        "已导入：批次 {batch}，新增 {new} 项，修改 {changed} 项，未变 {unchanged} 项。",
        "Imported as batch {batch}: {new} new, {changed} changed, {unchanged} unchanged.",
    ),
    "upload.no_figures": (
        "文件中没有填写任何数据，没有可导入的内容（表头下面只有说明、示例、签字行或空白的数值）。"
        "填好数据后再上传。",
        "The file holds no figures, so there is nothing to import (below the header there are "
        "only notes, examples, signature lines or blank values). Fill in the figures and upload "
        "it again.",
    ),
    "upload.nothing": ("文件中的数据与现有数据完全相同。", "The file matches the store exactly."),
    "upload.dry_run": ("试运行：未写入任何数据。", "Dry run: nothing was written."),
    "upload.need_yes": (
        "有 {n} 项已有数据将被覆盖；确认覆盖请加 --yes 重新运行。未写入任何数据。",
        "{n} existing figures would be overwritten; run again with --yes to confirm. "
        "Nothing was written.",
    ),
    "upload.undo.title": ("撤销导入", "Undo an import"),
    "upload.undo.pick": ("选择批次", "Batch"),
    "upload.undo.button": ("撤销此批次", "Undo this batch"),
    "upload.undo.none": ("没有可撤销的导入批次。", "No import batch to undo."),
    "upload.undo.option": (
        "批次 {batch} · {file} · {user} · 新增 {new} 修改 {changed}",
        "batch {batch} · {file} · {user} · {new} new {changed} changed",
    ),
    "upload.undo.done": (
        "批次 {batch} 已撤销：移除 {removed} 项，恢复 {restored} 项原数据。",
        "Batch {batch} undone: {removed} removed, {restored} earlier figures restored.",
    ),
    "upload.undo.label": (
        "批次 {batch} · {at} · {user} · {file} · {kind} · 新增 {new} 项，修改 {changed} 项",
        "batch {batch} · {at} · {user} · {file} · {kind} · {new} new, {changed} changed",
    ),
    "upload.undo.will": ("将撤销 {label}：", "Will undo {label}:"),
    "upload.undo.more": ("……另有 {n} 项未列出", "… and {n} more"),
    "upload.undo.col.removed": ("撤销（移除）", "Taken away"),
    "upload.undo.col.restored": ("恢复为", "Restored"),
    "upload.undo.nothing_back": ("（无，原先没有数据）", "(none: there was no figure)"),
    "upload.undo.none_picked": ("（请选择要撤销的批次）", "(pick the batch to undo)"),
    "upload.undo.confirm": (
        "确认撤销{label}",
        "Confirm undoing {label}",
    ),
    "upload.undo.preview": ("撤销后将发生以下变化：", "Undoing it changes these figures:"),
    "upload.undo.not_yours": (
        "编辑只能撤销自己上传的批次；其他批次请联系管理员。",
        "Editors can undo only their own uploads; ask an administrator for other batches.",
    ),
    "upload.undo.not_found": ("没有批次 {batch}", "There is no batch {batch}"),
    "upload.undo.already": ("批次 {batch} 已经撤销过", "Batch {batch} is already undone"),
    "upload.undo.seed": (
        "批次 {batch} 是初始数据，不能撤销",
        "Batch {batch} is the shipped seed and cannot be undone",
    ),
    "upload.undo.superseded": (
        "批次 {batch} 的部分数据已被之后的批次 {later} 修改，请先撤销批次 {later}",
        "Some figures of batch {batch} were changed later by batch {later}: undo {later} first",
    ),
    "upload.err.stale": (
        "预览之后数据已被他人修改，请重新上传预览后再导入。未写入任何数据。",
        "The store changed since the preview: upload again to see the new preview. "
        "Nothing was written.",
    ),
    "upload.err.write_failed": (
        "写入失败（数据库忙或不可用），未写入任何数据，请稍后重试：{detail}",
        "writing failed (the store is busy or unavailable); nothing was written, try again: {detail}",
    ),
    "upload.err.already": (
        "此文件已在批次 {batch} 中导入，未重复写入。",
        "This file was already imported as batch {batch}; nothing was written.",
    ),
    # preview columns
    "upload.col.row": ("行", "Row"),
    "upload.col.column": ("列", "Column"),
    "upload.col.value": ("值", "Value"),
    "upload.col.reason": ("原因", "Reason"),
    "upload.col.org": ("单位", "Organisation"),
    "upload.col.item": ("项目", "Item"),
    "upload.col.period": ("期间", "Period"),
    "upload.col.old": ("原值", "Old"),
    "upload.col.new": ("新值", "New"),
    "upload.period.year": ("{year}年", "{year}"),
    "upload.period.quarter": ("{year}年第{quarter}季度", "{year} Q{quarter}"),
    # file-level problems
    "upload.err.missing_file": ("找不到文件：{path}", "no such file: {path}"),
    "upload.err.extension": (
        "不支持的文件类型“{ext}”：请上传 .csv、.xlsx、.xls、.xlsm、.xlsb 或 .ods 文件",
        'unsupported file type "{ext}": upload a .csv, .xlsx, .xls, .xlsm, .xlsb or .ods file',
    ),
    "upload.err.xlsb_short_cells": (
        "这个 .xlsb 文件的单元格用的是精简记录格式（多见于网页系统或 SheetJS 等程序导出的文件，"
        "Excel 自己保存时不用），读取时会漏掉单元格，因此不导入。请在 Excel 或 WPS 中打开后"
        "另存为 .xlsx 再上传",
        "this .xlsb file stores its cells in the short record form (written by web systems and "
        "tools such as SheetJS, not by Excel itself), which would be read with cells missing, so it "
        "is not imported. Open it in Excel or WPS, save it as .xlsx and upload that",
    ),
    "upload.err.empty": ("文件是空的", "the file is empty"),
    "upload.err.binary": (
        "文件含二进制内容，不是 CSV 文本表格；请上传 CSV 或 .xlsx",
        "the file holds binary content, not a CSV table; upload CSV or .xlsx",
    ),
    "upload.err.utf16": (
        "文件是 UTF-16 编码（Excel 的“Unicode 文本”）；请另存为“CSV UTF-8（逗号分隔）”或 .xlsx",
        'the file is UTF-16 (Excel "Unicode text"); save it as "CSV UTF-8" or .xlsx',
    ),
    "upload.err.encoding": (
        "无法识别文件编码；请另存为 UTF-8 或 GBK 编码的 CSV",
        "the text encoding is not recognised; save the CSV as UTF-8 or GBK",
    ),
    "upload.err.bad_xlsx": (
        "不是有效的电子表格文件（.xlsx、.xls、.ods 等），可能已损坏或是其他格式",
        "not a valid spreadsheet file (.xlsx, .xls, .ods …): damaged or another format",
    ),
    "upload.err.annual_sum": (
        "全年数 {annual} 与本文件四个季度之和 {total} 不一致（此指标的季度数相加即为全年数）",
        "the full-year figure {annual} differs from the sum of the file's four quarters, {total} "
        "(this indicator's quarters add up to the year)",
    ),
    "upload.err.encrypted": (
        "这是加密（设了打开密码）的 Excel 工作簿，无法读取；请在 Excel 中取消密码后另存为 .xlsx 再上传",
        "this Excel workbook is encrypted (password-protected) and cannot be read; remove the "
        "password in Excel, save as .xlsx and upload again",
    ),
    "upload.err.xls_renamed": (
        "这是旧版 .xls 格式的文件（只是改了扩展名）；请在 Excel 中另存为 .xlsx 再上传",
        "this is an old .xls file renamed to .xlsx; save it as .xlsx in Excel and upload again",
    ),
    "upload.err.macro": (
        "这是含宏的工作簿（.xlsm），为安全起见不予读取；请另存为普通 .xlsx（不含宏）再上传",
        "this is a macro-enabled workbook (.xlsm), refused for safety; save it as a plain .xlsx "
        "(without macros) and upload again",
    ),
    "upload.err.xlsx_size": (
        "Excel 文件解压后约 {mb} MB，超过 {limit} MB 的上限（可能是恶意构造的文件）；"
        "请只保留需要上传的数据后另存",
        "the Excel file expands to about {mb} MB, over the {limit} MB limit (possibly a crafted "
        "file); keep only the data to upload and save again",
    ),
    "upload.err.xlsx_parts": (
        "Excel 文件包含 {n} 个部件，超过 {limit} 个的上限",
        "the Excel file holds {n} parts, over the limit of {limit}",
    ),
    "upload.err.xlsx_strings": (
        "Excel 文件声明了 {n} 个共享字符串，超过 {limit} 个的上限",
        "the Excel file declares {n} shared strings, over the limit of {limit}",
    ),
    "upload.err.parse_timeout": (
        "读取 Excel 文件超过 {seconds} 秒仍未完成，已停止；请减少行数或另存为 CSV 后上传",
        "reading the Excel file took over {seconds} seconds and was stopped; upload fewer rows "
        "or save it as CSV",
    ),
    "upload.err.parse_memory": (
        "读取 Excel 文件需要超过 {mb} MB 内存，已停止；请减少行数或另存为 CSV 后上传",
        "reading the Excel file needs over {mb} MB of memory and was stopped; upload fewer rows "
        "or save it as CSV",
    ),
    "upload.err.xlsx_cell": (
        "第 {row} 行有一个单元格超过 {limit} 个字（Excel 本身的上限），文件不是 Excel 正常保存的",
        "row {row} holds a cell longer than {limit} characters (Excel's own limit): the file was "
        "not saved by Excel",
    ),
    "upload.err.no_sheet": (
        "工作簿中没有名为“{sheet}”的可见工作表（可见的工作表：{sheets}）",
        'the workbook has no visible sheet named "{sheet}" (visible sheets: {sheets})',
    ),
    "upload.err.bad_csv": ("CSV 格式有误：{detail}", "malformed CSV: {detail}"),
    "upload.err.bad_csv_row": (
        "CSV 格式有误：从第 {row} 行（文件第 {line} 行）起引号没有闭合或引号后还有文字，"
        "后面的行会被并进一个单元格；请检查这一行的引号",
        "malformed CSV from row {row} (line {line}): a quote is not closed, or text follows a "
        "closing quote, so the rows below would run into one cell; check this row's quotes",
    ),
    "upload.err.short_row": (
        "这一行只有 {n} 列，表头有 {width} 列（少了分隔符，或几行连在了一起）",
        "this row has {n} cells but the header names {width} columns (a missing separator, "
        "or rows run together)",
    ),
    "upload.err.swallowed_rows": (
        "一个单元格里包含了后面几行的内容（引号没有闭合），这些行会丢失",
        "a cell holds the following rows (a quote left open): those rows would be lost",
    ),
    "upload.err.no_header": (
        "没有找到表头行（至少两列有列名的一行）",
        "no header row found (a row naming at least two columns)",
    ),
    "upload.err.no_rows": ("表头下面没有数据行", "there are no data rows under the header"),
    "upload.err.missing_column": (
        "缺少必需的列“{name}”（可用列名：{aliases}）",
        'required column "{name}" is missing (accepted names: {aliases})',
    ),
    "upload.err.encoding_hint": (
        "；文件按 {encoding} 编码读取，列名无法识别时请检查编码",
        "; the file was read as {encoding}: if the names look garbled check its encoding",
    ),
    "upload.err.duplicate_column": (
        "与第 {other} 列“{other_name}”含义相同，只能保留一列",
        'means the same as column {other} "{other_name}": keep only one',
    ),
    "upload.err.blank_header": (
        "这一列没有列名，但下面有数据（表头可能是合并单元格：请把表头放在同一行，每列一个列名）",
        "this column has no name but holds data (merged header cells? put one name per column "
        "in a single header row)",
    ),
    "upload.err.period_year": (
        "列名“{name}”没有年份：请加“年份”列，或把列名写成“2025年一季度”",
        'column "{name}" has no year: add a "year" column or name it like "2025Q1"',
    ),
    "upload.err.wide_kind": (
        "宽表（每列一个季度或年份）只用于指标数据",
        "the wide layout (one column per period) is for figures only",
    ),
    # row-level problems
    "upload.err.formula": (
        "单元格是公式“{text}”，不能导入：请复制后“选择性粘贴 → 数值”",
        'the cell is a formula "{text}": paste the values instead',
    ),
    "upload.err.required": ("必填项为空", "required value is blank"),
    "upload.err.unknown_org": ("未知单位“{text}”{hint}", 'unknown organisation "{text}"{hint}'),
    "upload.err.unknown_indicator": ("未知指标“{text}”{hint}", 'unknown indicator "{text}"{hint}'),
    "upload.err.unknown_source": ("未知来源“{text}”{hint}", 'unknown source "{text}"{hint}'),
    "upload.err.unknown_type": (
        "未知阵地类型“{text}”{hint}",
        'unknown station type "{text}"{hint}',
    ),
    "upload.err.hint": ("，是否指：{names}", "; did you mean: {names}"),
    "upload.err.note": ("{note}", "{note}"),
    "upload.err.bad_year": ("“{text}”不是有效年份", '"{text}" is not a year'),
    "upload.err.year_range": (
        "年份 {year} 超出范围（{lo}–{hi}）",
        "year {year} is out of range ({lo}–{hi})",
    ),
    "upload.err.bad_quarter": (
        "“{text}”不是有效季度（可写 Q1、1、一季度、第一季度；全年留空）",
        '"{text}" is not a quarter (write Q1, 1 or 一季度; leave blank for the whole year)',
    ),
    "upload.err.quarter_range": (
        "季度 {quarter} 超出范围（只能是 1–4）",
        "quarter {quarter} is out of range (1–4 only)",
    ),
    "upload.err.bad_period": (
        "“{text}”不是有效期间（可写 2025、2025Q1、2025年一季度）",
        '"{text}" is not a period (write 2025, 2025Q1 or 2025年一季度)',
    ),
    "upload.field.period": ("期间", "period"),
    "upload.err.number": ("“{text}”不是有效数字", '"{text}" is not a valid number'),
    "upload.err.multiple_numbers": (
        "“{text}”不是有效数字（一个单元格只能填一个数字）",
        '"{text}" is not a valid number (one number per cell)',
    ),
    "upload.err.unit_mismatch": (
        "“{text}”的单位与指标单位“{unit}”不符",
        '"{text}" has a unit that does not match the indicator unit "{unit}"',
    ),
    "upload.err.negative": ("数值不能为负数：“{text}”", 'the value cannot be negative: "{text}"'),
    "upload.err.duplicate_row": (
        "与第 {other} 行重复（同一{what}）",
        "duplicates row {other} (same {what})",
    ),
    "upload.dup.observations": ("单位、指标、年份、季度", "organisation, indicator, year, quarter"),
    "upload.dup.targets": (
        "单位、指标、年份、季度、依据",
        "organisation, indicator, year, quarter, plan",
    ),
    "upload.dup.stations": ("阵地编号或单位与名称", "station code, or organisation and name"),
    "upload.err.bad_coord": ("“{text}”不是有效坐标", '"{text}" is not a coordinate'),
    "upload.err.swapped": (
        "纬度和经度可能填反了（纬度 {lat}，经度 {lon}）",
        "latitude and longitude look swapped (lat {lat}, lon {lon})",
    ),
    "upload.err.outside_china": (
        "坐标（纬度 {lat}，经度 {lon}）不在中国境内",
        "the coordinates (lat {lat}, lon {lon}) are outside China",
    ),
    "upload.err.bad_choice": (
        "“{text}”无效，可填：{choices}",
        '"{text}" is not valid; use: {choices}',
    ),
    "upload.err.base_year_after": (
        "起始年份 {base} 晚于目标年份 {year}",
        "base year {base} is after the target year {year}",
    ),
    "upload.err.user_too_long": (
        "用户名过长（超过 {n} 个字），未写入任何数据",
        "the user name is too long (over {n} characters); nothing was written",
    ),
    "upload.err.over_bound": (
        "“{text}”超出合理范围：此指标的数值不能超过 {bound}",
        '"{text}" is beyond the plausible bound: this indicator\'s values are at most {bound}',
    ),
    "upload.err.qualifier_conflict": (
        "数值写的是“{written}”，但限定列写的是“{column}”，两者不一致",
        'the value says "{written}" but the qualifier column says "{column}"',
    ),
    "upload.qualifier.exact": ("确数", "exact"),
    "upload.qualifier.at_least": ("余/以上（至少）", "at least"),
    "upload.qualifier.about": ("约/近（大约）", "about"),
    "upload.err.too_long": ("内容过长（超过 {n} 个字）", "too long (over {n} characters)"),
    # column display names (for missing-column messages)
    "upload.field.org": ("单位", "org"),
    "upload.field.indicator": ("指标", "indicator"),
    "upload.field.year": ("年份", "year"),
    "upload.field.quarter": ("季度", "quarter"),
    "upload.field.value": ("数值", "value"),
    "upload.field.unit": ("计量单位", "unit"),
    "upload.field.period_note": ("期间说明", "period_note"),
    "upload.field.qualifier": ("限定", "qualifier"),
    "upload.field.locator": ("原文位置", "locator"),
    "upload.field.source": ("来源", "source"),
    "upload.field.base_year": ("起始年份", "base_year"),
    "upload.field.comparator": ("比较", "comparator"),
    "upload.field.plan": ("依据", "plan"),
    "upload.field.plan_en": ("依据（英文）", "plan_en"),
    "upload.field.code": ("编号", "code"),
    "upload.field.name": ("名称", "name"),
    "upload.field.name_en": ("英文名称", "name_en"),
    "upload.field.type": ("类型", "type"),
    "upload.field.town": ("镇街", "town"),
    "upload.field.address": ("地址", "address"),
    "upload.field.lat": ("纬度", "lat"),
    "upload.field.lon": ("经度", "lon"),
    "upload.field.precision": ("定位精度", "precision"),
    "upload.field.opened_year": ("建成年份", "opened_year"),
    "upload.field.status": ("状态", "status"),
}
