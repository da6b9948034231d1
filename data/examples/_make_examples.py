"""Writes the example upload files of data/examples (run: .venv/bin/python data/examples/_make_examples.py).

These are EXAMPLES with made-up but plausible figures, for a new user to try the upload page. They
are never loaded by default (the seed reads data/seed only)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
NOTE_ZH = "# 示例文件（虚构的演示数据，非真实统计）：仅供试用上传功能，不会自动导入。"

Q1 = [
    ("大兴区总工会", "发展会员", "1.2万余", "人"),
    ("大兴区总工会", "新增建会单位", "85", "家"),
    ("大兴区总工会", "调解劳动争议", "46", "起"),
    ("大兴区总工会", "追回损失金额", "12.5万元", ""),
    ("大兴区总工会", "职工文体活动场次", "38", "场"),
    ("大兴区总工会", "招聘会", "6", "场"),
    ("大兴区总工会", "就业服务人数", "1,350", "人"),
    ("大兴区总工会", "法治体检企业", "", "家"),
]
WIDE = [
    ("大兴区总工会", "发展会员", "人", ["1.2万余", "9800", "1.05万", ""]),
    ("大兴区总工会", "新增建会单位", "家", [85, 102, 96, ""]),
    ("大兴区总工会", "调解劳动争议", "起", [46, 51, 60, ""]),
    ("大兴区总工会", "追回损失金额", "万元", ["12.5万元", 18.2, 9.6, ""]),
    ("大兴区总工会", "职工文体活动场次", "场", [38, 55, 47, ""]),
]
STATIONS = [
    (
        "example_dx_huangcun_home",
        "（示例）黄村镇某园区职工之家",
        "职工之家",
        "daxing",
        "黄村镇",
        "黄村镇兴华大街（示例地址）",
        39.7268,
        116.3412,
        "地标",
        2025,
        "运行",
    ),
    (
        "example_dx_xihongmen_warm",
        "（示例）西红门镇户外劳动者暖心驿站",
        "户外劳动者暖心驿站",
        "daxing",
        "西红门镇",
        "西红门镇宏福路（示例地址）",
        39.7921,
        116.3329,
        "地标",
        2024,
        "运行",
    ),
    (
        "example_dx_yizhuang_books",
        "（示例）亦庄某企业职工书屋",
        "职工书屋",
        "daxing",
        "亦庄镇",
        "亦庄镇（示例地址）",
        39.7936,
        116.5062,
        "镇街中心",
        2023,
        "试运行",
    ),
]


def gbk_csv() -> None:
    """example_2025Q1_observations_gbk.csv: long layout, GBK, as older Excel saves CSV."""
    lines = [NOTE_ZH, "单位,指标,年份,季度,数值,计量单位,原文位置"]
    for org, ind, value, unit in Q1:
        cell = f'"{value}"' if "," in value else value
        lines.append(f"{org},{ind},2025,一季度,{cell},{unit},示例季度报表")
    (HERE / "example_2025Q1_observations_gbk.csv").write_bytes(
        ("\r\n".join(lines) + "\r\n").encode("gbk")
    )


def wide_xlsx() -> None:
    """example_wide_2025.xlsx: one row per indicator, one column per quarter of 2025."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "指标数据"
    ws.append([NOTE_ZH])
    ws.append(
        ["单位", "指标", "计量单位", "2025年一季度", "2025年二季度", "2025年三季度", "2025年四季度"]
    )
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for org, ind, unit, values in WIDE:
        ws.append([org, ind, unit, *values])
    wb.save(HERE / "example_wide_2025.xlsx")


def stations_csv() -> None:
    """example_stations.csv: UTF-8 with BOM, three made-up stations."""
    lines = [NOTE_ZH, "编号,名称,类型,单位,镇街,地址,纬度,经度,定位精度,建成年份,状态"]
    for row in STATIONS:
        lines.append(",".join(str(v) for v in row))
    (HERE / "example_stations.csv").write_bytes(
        ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
    )


if __name__ == "__main__":
    gbk_csv()
    wide_xlsx()
    stations_csv()
