"""Issue 11's "one figure, one reading", checked on the source: outside the figure model
(lib/core/figures.py, its target judgement lib/core/judgement.py, and the arithmetic under
them, lib/core/metrics.py) no code in lib/ or pages/ rolls quarters up, merges qualifiers, judges a
target, phrases a change, or phrases a figure's value or a target itself."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL = {ROOT / "lib/core/figures.py", ROOT / "lib/core/judgement.py", ROOT / "lib/core/metrics.py"}
FORBIDDEN = {
    "defines a roll-up, merge, judgement or change phrasing": re.compile(
        r"^\s*def (roll_up|cumulative|rollup_year|_?merge_qualifiers?|judge|judge_plan|"
        r"target_status|plan_progress|_year_actual|_annual_row|change_text|change_phrase|"
        r"change_words|reason_text|change_tone)\(",
        re.M,
    ),
    "computes a change, completion or elapsed-time progress itself": re.compile(
        r"metrics\.(yoy|qoq|change|completion|cumulative|rollup_year|target_status|plan_progress|"
        r"time_progress_flag|elapsed_share|meets|change_bound)\("
    ),
    "merges qualifiers by hand": re.compile(r"qualifier[\"'\]]* == \"exact\" for"),
    "phrases a figure's value or a target's sign itself": re.compile(
        r"(?<!def )\bformat_value\(|[\"']≥[\"'] if |\.replace\([\"']>=[\"'], [\"']≥[\"']\)"
    ),
}


def offenders() -> list[str]:
    """Every file:pattern that breaks the rule."""
    out = []
    for path in sorted([*(ROOT / "lib").rglob("*.py"), *(ROOT / "pages").glob("*.py")]):
        if path in MODEL:
            continue
        text = path.read_text(encoding="utf-8")
        out += [
            f"{path.relative_to(ROOT)}: {why}" for why, rx in FORBIDDEN.items() if rx.search(text)
        ]
    return out


def test_no_figure_arithmetic_outside_the_figure_model() -> None:
    """Test that no module outside lib/core/figures.py rolls up, merges, judges or phrases."""
    assert offenders() == []


def test_the_check_catches_a_second_copy(tmp_path: Path) -> None:
    """Test that the patterns flag a re-derived change phrasing or a hand-made merge."""
    samples = [
        "    def change_text(ch, kind, lang):\n        pass\n",
        "x = metrics.yoy(a, b)\n",
        'qual = "exact" if all(r["qualifier"] == "exact" for r in rows) else "about"\n',
        'shown = format_value(r["value"], r["qualifier"], r["unit_zh"], r["unit_en"], lang)\n',
        'sign = "≥" if r["comparator"] == ">=" else "≤"\n',
        'sign = rec["comparator"].replace(">=", "≥").replace("<=", "≤")\n',
    ]
    for sample in samples:
        assert any(rx.search(sample) for rx in FORBIDDEN.values()), sample
