"""Regenerates the bad-file corpus of tests/data/bad (run: .venv/bin/python tests/data/bad/_generate.py).

Every file here is wrong in one way a clerk's file really can be; EXPECTED.csv lists, per file, the
kind it is imported as, the CLI exit code and a phrase the refusal must contain."""

from __future__ import annotations

import csv
import io
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OBS = "单位,指标,年份,季度,数值"
STA = "编号,名称,类型,单位,镇街,地址,纬度,经度"
TGT = "单位,指标,年份,目标值,比较,依据"


def text(lines: list[str], encoding: str = "utf-8-sig") -> bytes:
    """Lines joined with CRLF, encoded."""
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx(rows: list[list[object]], merge: str | None = None, title: str = "Sheet1") -> bytes:
    """An .xlsx with one sheet (optionally one merged range)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GOOD_XLSX = xlsx([OBS.split(","), ["daxing", "members_recruited", 2025, "Q1", 100]])

# file name -> (bytes, kind, exit code, phrase the refusal contains)
CASES: dict[str, tuple[bytes, str, int, str]] = {
    "empty.csv": (b"", "", 1, "文件是空的"),
    "whitespace_only.csv": (b"  \r\n\r\n  \r\n", "", 1, "文件是空的"),
    "empty.xlsx": (b"", "", 1, "文件是空的"),
    "only_header.csv": (text([OBS]), "", 1, "表头下面没有数据行"),
    "only_comments.csv": (text(["# 只有说明", "# 没有数据"]), "", 1, "文件是空的"),
    "binary_garbage.csv": (bytes(range(256)) * 8, "", 1, "二进制"),
    "png_renamed.csv": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(0) + b"\x00" * 64,
        "",
        1,
        "二进制",
    ),
    "utf16_unicode_text.csv": (
        (
            "\ufeff" + OBS.replace(",", "\t") + "\r\ndaxing\tmembers_recruited\t2025\tQ1\t100\r\n"
        ).encode("utf-16-le"),
        "",
        1,
        "UTF-16",
    ),
    "latin1_bytes.csv": (
        b"org,indicator,year,quarter,value\r\ndaxing,members_recruited,2025,Q1,caf\xe9,\xff\r\n",
        "",
        1,
        "编码",
    ),
    "big5_headers.csv": (
        text(["單位,指標,年份,季度,數值", "daxing,members_recruited,2025,Q1,100"], "big5"),
        "",
        1,
        "编码",
    ),
    "not_a_zip.xlsx": (
        text([OBS, "daxing,members_recruited,2025,Q1,100"]),
        "",
        1,
        "不是有效的 Excel",
    ),
    "truncated.xlsx": (GOOD_XLSX[: len(GOOD_XLSX) // 2], "", 1, "不是有效的 Excel"),
    "old_excel.xls": (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
        "",
        2,
        "不支持的文件类型",
    ),
    "missing_value_column.csv": (
        text(["单位,指标,年份,季度", "daxing,members_recruited,2025,Q1"]),
        "observations",
        1,
        "缺少必需的列“数值”",
    ),
    "missing_org_column.csv": (
        text(["指标,年份,季度,数值", "members_recruited,2025,Q1,100"]),
        "",
        1,
        "缺少必需的列“单位”",
    ),
    "single_column.csv": (text(["数值", "100", "200"]), "", 1, "没有找到表头行"),
    "duplicate_columns.csv": (
        text(["单位,指标,年份,季度,数值,value", "daxing,members_recruited,2025,Q1,100,100"]),
        "",
        1,
        "含义相同",
    ),
    "merged_header.xlsx": (
        xlsx(
            [
                ["单位", "指标", "2025年", None, None, None],
                [None, None, "一季度", "二季度", "三季度", "四季度"],
                ["daxing", "members_recruited", None, 100, 200, 300],
            ],
            merge="C1:F1",
        ),
        "",
        1,
        "合并单元格",
    ),
    "duplicate_rows.csv": (
        text(
            [OBS, "daxing,members_recruited,2025,Q1,100", "大兴区总工会,发展会员,2025,一季度,120"]
        ),
        "",
        1,
        "与第 2 行重复",
    ),
    "bad_number.csv": (
        text([OBS, "daxing,members_recruited,2025,Q1,1.8万2"]),
        "",
        1,
        "“1.8万2”不是有效数字",
    ),
    "text_value.csv": (
        text([OBS, "daxing,members_recruited,2025,Q1,很多"]),
        "",
        1,
        "“很多”不是有效数字",
    ),
    "two_numbers.csv": (
        text([OBS, "daxing,members_recruited,2025,Q1,3396 3400"]),
        "",
        1,
        "不是有效数字",
    ),
    "too_long_value.csv": (
        text([OBS, "daxing,members_recruited,2025,Q1," + "1" * 45]),
        "",
        1,
        "过长",
    ),
    "formula_hyperlink.xlsx": (
        xlsx(
            [
                OBS.split(","),
                [
                    "daxing",
                    "members_recruited",
                    2025,
                    "Q1",
                    '=HYPERLINK("http://example.com","100")',
                ],
            ]
        ),
        "",
        1,
        "公式",
    ),
    "formula_sum.xlsx": (
        xlsx(
            [
                OBS.split(","),
                ["daxing", "members_recruited", 2025, "Q1", 100],
                ["daxing", "members_recruited", 2025, "Q2", "=SUM(E2:E2)"],
            ]
        ),
        "",
        1,
        "公式",
    ),
    "excel_error_cell.xlsx": (
        xlsx([OBS.split(","), ["#REF!", "members_recruited", 2025, "Q1", "#DIV/0!"]]),
        "",
        1,
        "未知单位“#REF!”",
    ),
    "csv_formula_injection.csv": (
        text(
            [
                OBS + ",原文位置",
                'daxing,members_recruited,2025,Q1,100,"=HYPERLINK(""http://x"",""点我"")"',
            ]
        ),
        "",
        1,
        "公式",
    ),
    "unknown_indicator.csv": (
        text([OBS, "daxing,发展会园,2025,Q1,100"]),
        "",
        1,
        "是否指：发展会员",
    ),
    "unknown_org.csv": (
        text([OBS, "大兴区总公会,members_recruited,2025,Q1,100"]),
        "",
        1,
        "是否指：大兴区总工会",
    ),
    "unit_mismatch.csv": (
        text([OBS, "daxing,members_recruited,2025,Q1,20万元"]),
        "",
        1,
        "与指标单位“人”不符",
    ),
    "quarter5.csv": (text([OBS, "daxing,members_recruited,2025,5,100"]), "", 1, "季度 5 超出范围"),
    "quarter_word.csv": (
        text([OBS, "daxing,members_recruited,2025,春季,100"]),
        "",
        1,
        "“春季”不是有效季度",
    ),
    "year1999.csv": (
        text([OBS, "daxing,members_recruited,1999,Q1,100"]),
        "",
        1,
        "年份 1999 超出范围",
    ),
    "year_word.csv": (
        text([OBS, "daxing,members_recruited,去年,Q1,100"]),
        "",
        1,
        "“去年”不是有效年份",
    ),
    "year_blank.csv": (text([OBS, "daxing,members_recruited,,Q1,100"]), "", 1, "必填项为空"),
    "negative_count.csv": (
        text([OBS, "daxing,members_recruited,2025,Q1,-12"]),
        "",
        1,
        "不能为负数",
    ),
    "partly_bad.csv": (
        text([OBS, "daxing,members_recruited,2025,Q1,100", "daxing,members_recruited,2025,Q2,abc"]),
        "",
        1,
        "“abc”不是有效数字",
    ),
    "gbk_bad_number.csv": (
        text([OBS, "大兴区总工会,发展会员,2025,一季度,约一万"], "gbk"),
        "",
        1,
        "不是有效数字",
    ),
    "wide_quarter5.csv": (
        text(["单位,指标,2025Q1,2025Q5", "daxing,members_recruited,100,200"]),
        "",
        1,
        "季度 5 超出范围",
    ),
    "wide_no_year.csv": (
        text(["单位,指标,一季度,二季度", "daxing,members_recruited,100,200"]),
        "",
        1,
        "没有年份",
    ),
    "wide_blank_header.csv": (
        text(["单位,指标,2025Q1,", "daxing,members_recruited,100,200"]),
        "",
        1,
        "没有列名",
    ),
    "stations_swapped.csv": (
        text([STA, "dx_t1,测试驿站,工会驿站,daxing,黄村镇,某路1号,116.34,39.72"]),
        "stations",
        1,
        "填反",
    ),
    "stations_outside_china.csv": (
        text([STA, "dx_t2,巴黎驿站,工会驿站,daxing,黄村镇,某路1号,48.85,2.35"]),
        "stations",
        1,
        "不在中国境内",
    ),
    "stations_bad_coord.csv": (
        text([STA, "dx_t3,测试驿站,工会驿站,daxing,黄村镇,某路1号,北纬39度,116.34"]),
        "stations",
        1,
        "不是有效坐标",
    ),
    "stations_unknown_type.csv": (
        text([STA, "dx_t4,测试驿站,工会小站,daxing,黄村镇,某路1号,39.72,116.34"]),
        "stations",
        1,
        "未知阵地类型",
    ),
    "targets_missing_plan.csv": (
        text(["单位,指标,年份,目标值,比较", "daxing,mental_stations_new,2026,2,≥"]),
        "targets",
        1,
        "缺少必需的列“依据”",
    ),
    "targets_bad_comparator.csv": (
        text([TGT, "daxing,mental_stations_new,2026,2,大约,2026年工作要点"]),
        "targets",
        1,
        "“大约”无效",
    ),
    # bounds (issue 13): implausible values, years past next year, text longer than its column
    "huge_value.csv": (
        text([OBS, "daxing,members_recruited,2025,Q1,99999999999999999999"]),
        "",
        1,
        "超出合理范围：此指标的数值不能超过 10¹²（1万亿）人",
    ),
    "float_max.xlsx": (
        xlsx([OBS.split(","), ["daxing", "members_recruited", 2025, "Q1", 1.7e308]]),
        "",
        1,
        "超出合理范围",
    ),
    "rate_over_100.csv": (
        text([OBS, "daxing,collective_contract_rate,2025,Q1,120%"]),
        "",
        1,
        "不能超过 100%",
    ),
    "target_over_bound.csv": (
        text([TGT, "daxing,mental_stations_new,2026,2万亿,≥,2026年工作要点"]),
        "targets",
        1,
        "超出合理范围",
    ),
    "year2099.csv": (
        text([OBS, "daxing,members_recruited,2099,Q1,100"]),
        "",
        1,
        "年份 2099 超出范围",
    ),
    "wide_year2099.csv": (
        text(["单位,指标,2099Q1", "daxing,members_recruited,100"]),
        "",
        1,
        "年份 2099 超出范围",
    ),
    "period_note_201.csv": (
        text([OBS + ",期间说明", "daxing,members_recruited,2025,Q1,100," + "期" * 201]),
        "",
        1,
        "过长（超过 200 个字）",
    ),
    "stations_town_101.csv": (
        text([STA, "dx_t5,测试驿站,工会驿站,daxing," + "镇" * 101 + ",某路1号,39.72,116.34"]),
        "stations",
        1,
        "过长（超过 100 个字）",
    ),
    "targets_plan_301.csv": (
        text([TGT, "daxing,mental_stations_new,2026,2,≥," + "规" * 301]),
        "targets",
        1,
        "过长（超过 300 个字）",
    ),
    # no silent loss (issue 13): malformed CSV refused with the row where it breaks
    "unclosed_quote.csv": (
        text(
            [
                OBS,
                "daxing,job_fairs,2026,Q1,4",
                'daxing,job_fairs,2026,Q2,"5',
                "daxing,job_fairs,2026,Q3,6",
            ]
        ),
        "",
        1,
        "从第 3 行（文件第 3 行）起引号没有闭合",
    ),
    "quote_closed_rows_later.csv": (
        text(
            [
                OBS + ",原文位置",
                'daxing,job_fairs,2026,Q1,4,"第一行',
                'daxing,job_fairs,2026,Q2,5,第二行"',
                "daxing,job_fairs,2026,Q3,6,第三行",
            ]
        ),
        "",
        1,
        "一个单元格里包含了后面几行的内容",
    ),
    "ragged_short_row.csv": (
        text([OBS, "daxing,job_fairs,2026,Q1,4", "daxing,job_fairs,2026,5"]),
        "",
        1,
        "这一行只有 4 列，表头有 5 列",
    ),
    "wide_annual_mismatch.csv": (
        text(
            ["单位,指标,年份,一季度,二季度,三季度,四季度,全年", "daxing,job_fairs,2026,1,2,3,4,11"]
        ),
        "",
        1,
        "全年数 11场 与本文件四个季度之和 10场 不一致",
    ),
}


def with_parts(extra: dict[str, bytes], content_types: bytes | None = None) -> bytes:
    """GOOD_XLSX with extra parts added (and [Content_Types].xml replaced when given)."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(GOOD_XLSX))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "[Content_Types].xml" and content_types is not None:
                body = content_types
            dst.writestr(item, body)
        for name, body in extra.items():
            dst.writestr(name, body)
    return out.getvalue()


def macro_xlsx() -> bytes:
    """A macro-enabled workbook (vbaProject.bin, macroEnabled content type) named .xlsx."""
    import zipfile

    types = zipfile.ZipFile(io.BytesIO(GOOD_XLSX)).read("[Content_Types].xml")
    types = types.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
    return with_parts({"xl/vbaProject.bin": b"\x00" * 512}, types)


def encrypted_xlsx() -> bytes:
    """What Excel saves for a password-protected workbook: an OLE compound file (not a zip)
    whose directory holds the EncryptionInfo and EncryptedPackage streams."""
    sector = 512
    header = CFB_MAGIC + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    header = header.ljust(sector, b"\x00")
    entries = b""
    for name in ("Root Entry", "EncryptionInfo", "EncryptedPackage"):
        raw = name.encode("utf-16-le") + b"\x00\x00"
        entries += (raw.ljust(64, b"\x00") + len(raw).to_bytes(2, "little")).ljust(128, b"\x00")
    return header + entries.ljust(sector, b"\x00") + os.urandom(2048)


CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def bomb_xlsx(megabytes: int) -> bytes:
    """An .xlsx whose one cell expands to `megabytes` MB (deflated about 1000:1), written in
    pieces so making it needs little memory."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(GOOD_XLSX))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(item, src.read(item.filename))
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w", force_zip64=True) as part:
            part.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/')
            part.write(b'main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>')
            chunk = b"A" * 2**20
            for _ in range(megabytes):
                part.write(chunk)
            part.write(b"</t></is></c></row></sheetData></worksheet>")
    return out.getvalue()


def many_parts_xlsx(n: int = 3_000) -> bytes:
    """An .xlsx with n tiny extra parts."""
    return with_parts({f"xl/media/p{i}.bin": b"x" for i in range(n)})


def many_strings_xlsx(n: int = 3_000_000) -> bytes:
    """An .xlsx whose sharedStrings part declares n strings."""
    sst = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="%d" uniqueCount="%d"><si><t>x</t></si></sst>' % (n, n)
    )
    return with_parts({"xl/sharedStrings.xml": sst})


CASES |= {
    # hostile workbooks (issue 13): refused by name before any parser sees them
    "macro_enabled.xlsx": (macro_xlsx(), "", 1, "含宏的工作簿"),
    "encrypted.xlsx": (encrypted_xlsx(), "", 1, "加密"),
    "old_xls_renamed.xlsx": (
        CFB_MAGIC + b"\x00" * 1024,
        "",
        1,
        "旧版 .xls 格式",
    ),
    "many_parts.xlsx": (many_parts_xlsx(), "", 1, "个部件，超过 2000 个的上限"),
    "many_shared_strings.xlsx": (many_strings_xlsx(), "", 1, "共享字符串，超过 2000000 个的上限"),
    "bomb_200mb.xlsx": (bomb_xlsx(200), "", 1, "超过 150 MB 的上限"),
}


def stale_dimension_xlsx(rows: list[list[object]], ref: str) -> bytes:
    """An .xlsx whose sheet's <dimension> claims only `ref` (as some tools leave it stale)."""
    import re
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(xlsx(rows)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), body)
            dst.writestr(item, body)
    return out.getvalue()


def hidden_sheet_xlsx() -> bytes:
    """A workbook whose hidden first sheet 数据 holds 999999 and visible sheet 填报 holds 100."""
    from openpyxl import Workbook

    wb = Workbook()
    hidden = wb.active
    hidden.title = "数据"
    hidden.append(OBS.split(","))
    hidden.append(["daxing", "job_fairs", 2026, "Q1", 999999])
    hidden.sheet_state = "hidden"
    shown = wb.create_sheet("填报")
    shown.append(OBS.split(","))
    shown.append(["daxing", "job_fairs", 2026, "Q1", 100])
    other = wb.create_sheet("第二季度")
    other.append(OBS.split(","))
    other.append(["daxing", "job_fairs", 2026, "Q2", 7])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


ACCEPTED_DIR = HERE.parent / "accepted"
# Files that must be accepted, and what they store: file -> (bytes, --sheet, figures as
# "org|indicator|year|quarter=value qualifier" separated by ";").
ACCEPTED: dict[str, tuple[bytes, str, str]] = {
    "stale_dimension.xlsx": (
        stale_dimension_xlsx(
            [
                OBS.split(","),
                ["daxing", "job_fairs", 2026, "Q1", 4],
                ["daxing", "job_fairs", 2026, "Q2", 5],
                ["daxing", "job_fairs", 2026, "Q3", 6],
            ],
            "A1:E2",
        ),
        "",
        "daxing|job_fairs|2026|1=4 exact;daxing|job_fairs|2026|2=5 exact;"
        "daxing|job_fairs|2026|3=6 exact",
    ),
    "hidden_data_sheet.xlsx": (hidden_sheet_xlsx(), "", "daxing|job_fairs|2026|1=100 exact"),
    "second_visible_sheet.xlsx": (
        hidden_sheet_xlsx(),
        "第二季度",
        "daxing|job_fairs|2026|2=7 exact",
    ),
    "wide_annual.csv": (
        text(
            ["单位,指标,年份,一季度,二季度,三季度,四季度,全年", "daxing,job_fairs,2026,1,2,3,4,10"]
        ),
        "",
        "daxing|job_fairs|2026|1=1 exact;daxing|job_fairs|2026|2=2 exact;"
        "daxing|job_fairs|2026|3=3 exact;daxing|job_fairs|2026|4=4 exact;"
        "daxing|job_fairs|2026|=10 exact",
    ),
    "wide_annual_stock.csv": (
        text(
            [
                "单位,指标,年份,一季度,二季度,三季度,四季度,annual",
                "daxing,warm_stations_total,2026,800,810,820,830,830",
            ]
        ),
        "",
        "daxing|warm_stations_total|2026|1=800 exact;daxing|warm_stations_total|2026|2=810 exact;"
        "daxing|warm_stations_total|2026|3=820 exact;daxing|warm_stations_total|2026|4=830 exact;"
        "daxing|warm_stations_total|2026|=830 exact",
    ),
    "report_title_total_footer.csv": (
        text(
            [
                "大兴区总工会2026年季度工作指标统计表,,,,",
                OBS,
                "daxing,job_fairs,2026,Q1,4",
                "daxing,job_fairs,2026,Q2,5",
                "合计,,,,9",
                "填表人：张三,,审核人：李四,,",
            ]
        ),
        "",
        "daxing|job_fairs|2026|1=4 exact;daxing|job_fairs|2026|2=5 exact",
    ),
    "qualifier_column.csv": (
        text(
            [
                OBS + ",限定",
                "daxing,job_fairs,2026,Q1,1.9万余,at_least",
                "daxing,job_fairs,2026,Q2,40,余",
            ]
        ),
        "",
        "daxing|job_fairs|2026|1=19000 at_least;daxing|job_fairs|2026|2=40 at_least",
    ),
}


def main() -> None:
    """Write every missing bad file (existing .xlsx files are kept: openpyxl stamps each with
    the time it was made) and EXPECTED.csv; --force rewrites every file."""
    force = "--force" in sys.argv[1:]
    for name, (data, _kind, _code, _phrase) in CASES.items():
        if force or not (HERE / name).exists():
            (HERE / name).write_bytes(data)
    with open(HERE / "EXPECTED.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "kind", "exit_code", "expected"])
        for name, (_data, kind, code, phrase) in CASES.items():
            writer.writerow([name, kind, code, phrase])
    ACCEPTED_DIR.mkdir(exist_ok=True)
    for name, (data, _sheet, _figures) in ACCEPTED.items():
        if force or not (ACCEPTED_DIR / name).exists():
            (ACCEPTED_DIR / name).write_bytes(data)
    with open(ACCEPTED_DIR / "EXPECTED.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "sheet", "figures"])
        for name, (_data, sheet, figures) in ACCEPTED.items():
            writer.writerow([name, sheet, figures])


if __name__ == "__main__":
    main()
