"""Streamlit's own fixed English words drawn in the UI language (lib/ui/chrome.py): the table
toolbar's tooltips, its search box and menus, a select box's empty filter. key -> (zh, en); the
English is Streamlit's own word, unchanged."""

STRINGS: dict[str, tuple[str, str]] = {
    "chrome.tip.columns": ("显示/隐藏列", "Show/hide columns"),
    "chrome.tip.download": ("下载为 CSV", "Download as CSV"),
    "chrome.tip.search": ("搜索", "Search"),
    "chrome.tip.fullscreen": ("全屏", "Fullscreen"),
    "chrome.tip.close_fullscreen": ("退出全屏", "Close fullscreen"),
    "chrome.tip.clear_selection": ("取消选择", "Clear selection"),
    "chrome.tip.add_row": ("添加行", "Add row"),
    "chrome.tip.delete_rows": ("删除所选行", "Delete row(s)"),
    "chrome.skip": ("跳到正文", "Skip to main content"),
    "chrome.select_all": ("全选", "Select all"),
    "chrome.index": ("（序号）", "(index)"),
    "chrome.type_to_search": ("输入文字以搜索", "Type to search"),
    "chrome.no_results": ("没有匹配项", "No results"),
    "chrome.sort_asc": ("升序排列", "Sort ascending"),
    "chrome.sort_desc": ("降序排列", "Sort descending"),
    "chrome.statistics": ("统计", "Statistics"),
    "chrome.format": ("数字格式", "Format"),
    "chrome.autosize": ("自动列宽", "Autosize"),
    "chrome.pin": ("固定/取消固定此列", "Pin column"),
    "chrome.hide": ("隐藏此列", "Hide column"),
}
