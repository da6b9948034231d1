"""Strings of the finished chair's screen (issue 17): admin safeguards, chart marks and legends,
table headers, the overview's headline strip and attention list. key -> (zh, en)."""

STRINGS: dict[str, tuple[str, str]] = {
    "admin.col_email": ("邮箱", "E-mail"),
    "admin.role_unchanged": (
        "{who} 的角色已是{role}，未作修改。",
        "{who} is already {role}; nothing changed.",
    ),
    "admin.last_admin": (
        "不能停用或降级 {who}：这是最后一位启用中的管理员。请先把另一位用户设为管理员。",
        "{who} cannot be disabled or demoted: this is the last enabled administrator. "
        "Make another user an administrator first.",
    ),
    "admin.last_admin_short": (
        "这是最后一位启用中的管理员",
        "this is the last enabled administrator",
    ),
    "admin.confirm_demote": (
        "确定把管理员 {who} 改为{role}吗？{who} 将失去用户管理、审计日志和备份权限。",
        "Make administrator {who} a {role}? {who} loses users, audit log and backups.",
    ),
    "admin.confirm_yes": ("确认修改", "Yes, change the role"),
    "admin.confirm_no": ("取消", "Cancel"),
    "chart.target_line": ("100% = 完成目标", "100% = target met"),
    "table.detail_hint": (
        "点选一行，在表格下方查看该行全部内容。",
        "Click a row to see all of it below the table.",
    ),
    "col.batch": ("批次", "Batch"),
    "col.kind": ("类型", "Kind"),
    "col.imported_by": ("导入人", "Imported by"),
    "col.imported_at": ("导入时间（北京）", "Imported (Beijing)"),
    "col.n_new": ("新增", "New"),
    "col.n_changed": ("修改", "Changed"),
    "col.n_unchanged": ("未变", "Unchanged"),
    "col.batch_status": ("状态", "Status"),
    "col.undone_at": ("撤销时间（北京）", "Undone (Beijing)"),
    "col.undone_by": ("撤销人", "Undone by"),
    "example.mark": ("【示例】", "[Example]"),
    "example.notice": (
        "本页含示例数据：批次 {batches} 上传自 data/examples/ 的示例文件，数字为虚构，不是统计数据。"
        "请在“数据上传”页撤销这些批次。",
        "This page includes example data: batch {batches} came from the example files in "
        "data/examples/; its figures are made up, not statistics. Undo it on the upload page.",
    ),
    "example.upload": (
        "这是 data/examples/ 中的示例文件：数字为虚构。导入后，各看板会标注“示例”，直到撤销该批次。",
        "This is an example file from data/examples/: its figures are made up. Once imported, "
        "the dashboards mark it as example data until the batch is undone.",
    ),
    "batch.kind.seed": ("初始数据（新闻稿整理）", "Seed data (from the articles)"),
    "batch.kind.observations": ("指标数据", "Figures"),
    "batch.kind.targets": ("目标", "Targets"),
    "batch.kind.stations": ("服务阵地", "Stations"),
    "batch.kind.synthetic": ("合成数据（演示）", "Synthetic data (demo)"),
    "batch.status.committed": ("已导入", "Imported"),
    "batch.status.undone": ("已撤销", "Undone"),
    "sources.documents": ("来源文章", "Source articles"),
    "common.choose": ("请选择", "Choose an option"),
    "overview.vs_target": ("完成率 {pct}", "{pct} of target"),
    "overview.target_detail": (
        "对照{year}年目标 {target} · {status}",
        "against the {year} target {target} · {status}",
    ),
    "overview.strip_none": (
        "以上重点指标{prev}年均无同期数据，也没有可对照的目标，暂无法比较。",
        "None of these figures can be compared yet: no {prev} figure for the same period and "
        "no target to measure against.",
    ),
    "overview.strip_some": (
        "{names}：{prev}年无同期数据，也没有可对照的目标，暂无法比较。",
        "{names}: no {prev} figure for the same period and no target, so no comparison yet.",
    ),
    "overview.name_join": ("、", ", "),
    "overview.attention": ("需要关注", "Needs attention"),
    "overview.attn_target": (
        "{name}：目标 {target}，实际 {actual}，{state}",
        "{name}: target {target}, actual {actual}, {state}",
    ),
    "overview.attn_down": (
        "{name}：{value}，同比 {change}",
        "{name}: {value}, {change} on last year",
    ),
    "overview.attn_none": (
        "暂无需要关注的事项：没有滞后的目标，也没有同比下降的指标。",
        "Nothing needs attention: no target is behind and no figure is down on last year.",
    ),
    "overview.period_of": ("{year}年 · {period}", "{year} · {period}"),
    "overview.full_year_of": ("{year}年全年", "full year {year}"),
}
