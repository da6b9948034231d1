// Writes report_2026_sheetjs.xlsb: the issue-19 报表 (title merged across, 2026年 merged over the
// quarters, 单位/指标 merged down, 填表人/审核人 line) saved as .xlsb by SheetJS, which writes every
// cell after a row's first in the short record form (BrtShort*), as web systems exporting .xlsb do.
// LibreOffice cannot write .xlsb and no Excel runs here, so this is the one real .xlsb writer at hand.
// Made once and committed:
//   cd "$(mktemp -d)" && npm install xlsx@0.18.5 && node /path/to/tests/data/xlsb/_sheetjs.js OUT.xlsb
const XLSX = require(require.resolve("xlsx", { paths: [process.cwd()] }));
const rows = [
  ["大兴区总工会2026年季度工作指标统计表"],
  ["单位", "指标", "2026年", null, null, null],
  [null, null, "一季度", "二季度", "三季度", "四季度"],
  ["大兴区总工会", "招聘会", 4, 5, 6, null],
  ["大兴区总工会", "工会暖心驿站（累计）", 810, 820, 830, null],
  ["填表人：张三", null, null, "审核人：李四"],
];
const ws = XLSX.utils.aoa_to_sheet(rows);
ws["!merges"] = ["A1:F1", "C2:F2", "A2:A3", "B2:B3", "A6:C6", "D6:F6"].map((r) => XLSX.utils.decode_range(r));
const wb = XLSX.utils.book_new();
XLSX.utils.book_append_sheet(wb, ws, "Sheet1");
XLSX.writeFile(wb, process.argv[2], { bookType: "xlsb" });
