"""plotly.js's own words in Chinese (zh-CN): the modebar's button titles, hover and zoom hints,
month and day names. Passed in each chart's config (``locales`` + ``locale``), so nothing is
fetched or registered globally and the English UI keeps plotly's defaults. Words from plotly.js's
own zh-CN locale file (MIT licence), extended with buttons that file does not name."""

from __future__ import annotations

LOCALE = "zh-CN"

DICTIONARY: dict[str, str] = {
    "Autoscale": "自动缩放",
    "Box Select": "矩形框选择",
    "Click to enter Colorscale title": "点击输入色阶的标题",
    "Click to enter Component A title": "点击输入组件A的标题",
    "Click to enter Component B title": "点击输入组件B的标题",
    "Click to enter Component C title": "点击输入组件C的标题",
    "Click to enter Plot title": "点击输入图表的标题",
    "Click to enter X axis title": "点击输入X轴的标题",
    "Click to enter Y axis title": "点击输入Y轴的标题",
    "Click to enter radial axis title": "点击输入径向轴的标题",
    "Compare data on hover": "悬停时比较数据",
    "Double-click on legend to isolate one trace": "双击图例来突显对应轨迹",
    "Double-click to zoom back out": "双击返回缩小显示",
    "Download plot": "下载图表",
    "Download plot as a PNG": "下载图表为PNG格式",
    "Download plot as a png": "下载图表为PNG格式",
    "Edit in Chart Studio": "在 Chart Studio 中编辑",
    "IE only supports svg.  Changing format to svg.": "IE只支持SVG。转换格式为SVG。",
    "Lasso Select": "套索选择",
    "Orbital rotation": "轨道旋转",
    "Pan": "平移",
    "Produced with Plotly.js": "由 Plotly.js 生成",
    "Reset": "重置",
    "Reset axes": "重置轴",
    "Reset camera to default": "重置镜头视角为默认状态",
    "Reset camera to last save": "重置镜头视角为上次保存状态",
    "Reset view": "重置视图",
    "Reset views": "重置视图",
    "Show closest data on hover": "悬停时显示最近的数据",
    "Snapshot succeeded": "生成快照成功",
    "Sorry, there was a problem downloading your snapshot!": "抱歉，下载快照出现问题！",
    "Taking snapshot - this may take a few seconds": "正在生成快照 - 可能需要几秒钟",
    "Toggle Spike Lines": "切换显示数据点辅助线",
    "Toggle show closest data on hover": "切换悬停时显示最近的数据",
    "Turntable rotation": "转台旋转",
    "Zoom": "缩放",
    "Zoom in": "放大",
    "Zoom out": "缩小",
    "close:": "关闭：",
    "high:": "最高：",
    "incoming flow count:": "流入数：",
    "kde:": "核密度估计：",
    "lat:": "纬度：",
    "lon:": "经度：",
    "low:": "最低：",
    "lower fence:": "下围栏：",
    "max:": "最大值：",
    "mean ± σ:": "平均值 ± σ：",
    "mean:": "平均值：",
    "median:": "中位数：",
    "min:": "最小值：",
    "open:": "开盘：",
    "outgoing flow count:": "流出数：",
    "q1:": "第一四分位数：",
    "q3:": "第三四分位数：",
    "source:": "源：",
    "target:": "目标：",
    "trace": "轨迹",
    "upper fence:": "上围栏：",
}

FORMAT: dict[str, object] = {
    "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
    "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
    "months": [f"{m}月" for m in ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")]
    + ["十一月", "十二月"],
    "shortMonths": [f"{m}月" for m in range(1, 13)],
    "date": "%Y-%m-%d",
}


def locale_config(lang: str) -> dict[str, object]:
    """The config entries that make plotly speak the UI language (nothing for English)."""
    if lang != "zh":
        return {}
    return {"locale": LOCALE, "locales": {LOCALE: {"dictionary": DICTIONARY, "format": FORMAT}}}
