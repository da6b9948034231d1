"""Writes the accepted corpus's LibreOffice files and EXPECTED_LIBREOFFICE.csv (their figures).

Made once and committed: `python tests/data/accepted/_libreoffice.py` (needs LibreOffice Calc,
Debian's libreoffice-calc; --force rewrites existing files). Each sheet is laid out with openpyxl
in a temp folder, then saved by LibreOffice itself, so the committed files are real Calc files:

    soffice --headless -env:UserInstallation=file://TMP/profile --convert-to ods --outdir TMP src.xlsx
    soffice --headless ... --convert-to xlsx:"Calc MS Excel 2007 XML" --outdir OUT TMP/NAME.ods
    soffice --headless ... --convert-to xls:"MS Excel 97" --outdir OUT TMP/NAME.ods

Formulas (=2+3, =SUM(…)) are computed by LibreOffice and stored with their results.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OBS = ["单位", "指标", "年份", "季度", "数值"]

# The 报表: a title merged across, 2026年 merged over the quarters, 单位/指标 merged down
# two header rows, two signature lines; six figures (Q4 not yet reported).
REPORT = (
    [
        ["大兴区总工会2026年季度工作指标统计表"],
        ["单位", "指标", "2026年", None, None, None],
        [None, None, "一季度", "二季度", "三季度", "四季度"],
        ["大兴区总工会", "招聘会", 4, 5, 6, None],
        ["大兴区总工会", "工会暖心驿站（累计）", 810, 820, 830, None],
        ["填表人：张三", None, None, "审核人：李四"],
    ],
    ["A1:F1", "C2:F2", "A2:A3", "B2:B3", "A6:C6", "D6:F6"],
)
REPORT_FIGURES = (
    "daxing|job_fairs|2026|1=4 exact;daxing|job_fairs|2026|2=5 exact;"
    "daxing|job_fairs|2026|3=6 exact;daxing|warm_stations_total|2026|1=810 exact;"
    "daxing|warm_stations_total|2026|2=820 exact;daxing|warm_stations_total|2026|3=830 exact"
)
# A long sheet with a text qualifier cell (never rounded) and a formula with its cached result.
LONG = (
    [
        OBS,
        ["daxing", "job_fairs", 2026, "Q1", "1.8万余"],
        ["daxing", "job_fairs", 2026, "Q2", "=2+3"],
        ["daxing", "job_fairs", 2026, "Q3", 6],
    ],
    [],
)
LONG_FIGURES = (
    "daxing|job_fairs|2026|1=18000 at_least;daxing|job_fairs|2026|2=5 exact;"
    "daxing|job_fairs|2026|3=6 exact"
)
# A wide sheet whose 全年 column is a formula.
WIDE = (
    [
        ["单位", "指标", "年份", "一季度", "二季度", "三季度", "四季度", "全年"],
        ["daxing", "job_fairs", 2026, 1, 2, 3, 4, "=SUM(D2:G2)"],
    ],
    [],
)
WIDE_FIGURES = (
    "daxing|job_fairs|2026|1=1 exact;daxing|job_fairs|2026|2=2 exact;"
    "daxing|job_fairs|2026|3=3 exact;daxing|job_fairs|2026|4=4 exact;"
    "daxing|job_fairs|2026|=10 exact"
)
# file -> (layout, LibreOffice format, figures)
FILES = {
    "report_2026.xlsx": (REPORT, 'xlsx:"Calc MS Excel 2007 XML"', REPORT_FIGURES),
    "report_2026.xls": (REPORT, 'xls:"MS Excel 97"', REPORT_FIGURES),
    "report_2026.ods": (REPORT, "ods", REPORT_FIGURES),
    "long_formula.xls": (LONG, 'xls:"MS Excel 97"', LONG_FIGURES),
    "long_formula.ods": (LONG, "ods", LONG_FIGURES),
    "long_formula.xlsm": (LONG, 'xlsm:"Calc MS Excel 2007 VBA XML"', LONG_FIGURES),
    "wide_annual_calc.xlsx": (WIDE, 'xlsx:"Calc MS Excel 2007 XML"', WIDE_FIGURES),
}


def layout(rows: list[list[object]], merges: list[str], path: Path) -> None:
    """The sheet as an openpyxl .xlsx (the input LibreOffice converts)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    wb.save(path)


def soffice(tmp: Path, target: str, src: Path, out: Path) -> Path:
    """Convert src with LibreOffice into the folder out; the written file."""
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp}/profile",
            "--convert-to",
            target.replace('"', ""),
            "--outdir",
            str(out),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out / (src.stem + "." + target.split(":")[0])


def main() -> None:
    """Write every missing file (all with --force) and EXPECTED_LIBREOFFICE.csv."""
    force = "--force" in sys.argv[1:]
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        for file, ((rows, merges), target, _figures) in FILES.items():
            if (HERE / file).exists() and not force:
                continue
            stem = Path(file).stem
            layout(rows, merges, tmp / f"{stem}_src.xlsx")
            ods = soffice(tmp, "ods", tmp / f"{stem}_src.xlsx", tmp)
            named = tmp / f"{stem}.ods"
            ods.rename(named)
            out = tmp / "out"
            out.mkdir(exist_ok=True)
            written = soffice(tmp, target, named, out)
            shutil.copyfile(written if target != "ods" else named, HERE / file)
    with open(HERE / "EXPECTED_LIBREOFFICE.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "sheet", "figures"])
        for file, (_layout, _target, figures) in FILES.items():
            writer.writerow([file, "", figures])


if __name__ == "__main__":
    main()
