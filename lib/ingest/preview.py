"""What an upload shows before and after: the problems as a table, the preview of the diff (new /
changed old → new / unchanged, a new station with every field it brings), the rows skipped and
the summary sentence, all rendered in the reader's language here and only here."""

from __future__ import annotations

import polars as pl

from lib.core.figures import value_shown
from lib.core.i18n import t
from lib.core.numbers import Qualifier
from lib.core.vocab import STATION_FIELDS
from lib.ingest.diff import same
from lib.ingest.plan import Change, Plan
from lib.ingest.problems import Problem

Described = tuple[str, str, str, str, str]  # org, item, period, old, new
_QUALIFIERS: dict[str, Qualifier] = {"exact": "exact", "at_least": "at_least", "about": "about"}


def problems_frame(problems: list[Problem], lang: str) -> pl.DataFrame:
    """The problems as a table: row, column, value, reason (headers and reasons in lang)."""
    names = [t(f"upload.col.{c}", lang) for c in ("row", "column", "value", "reason")]
    return pl.DataFrame(
        {
            names[0]: [p.row for p in problems],
            names[1]: [p.column_name(lang) for p in problems],
            names[2]: [p.value for p in problems],
            names[3]: [p.reason(lang) for p in problems],
        },
        schema=dict(zip(names, (pl.Int64, pl.Utf8, pl.Utf8, pl.Utf8), strict=True)),
    )


def period_label(year: int | None, quarter: int | None, note: str, lang: str) -> str:
    """2025年第1季度 / 2025 Q1, with a period note appended."""
    if quarter is None:
        text = t("upload.period.year", lang, year=year)
    else:
        text = t("upload.period.quarter", lang, year=year, quarter=quarter)
    return f"{text}（{note}）" if note and lang == "zh" else (f"{text} ({note})" if note else text)


def _fig(plan: Plan, ind_id: int, value: float, qualifier: str) -> str:
    """A figure with its unit, the Chinese way in zh."""
    names = plan.labels.get("indicator", {}).get(ind_id, ("", "", "", ""))
    return value_shown(value, _QUALIFIERS[qualifier], names[2], names[3], plan.lang)


def _field_label(fld: str, lang: str) -> str:
    """The column name of a station field, for the preview."""
    key = {"name_zh": "name", "org_id": "org"}.get(fld, fld)
    return t(f"upload.field.{key}", lang)


def _station_fields(plan: Plan, change: Change) -> tuple[str, str]:
    """(old, new) of a station: the fields that differ for a changed one, every field it brings
    for a new (or unchanged) one, not only where it is."""
    rec, old = change.values, change.old or {}
    sep, colon = ("；", "：") if plan.lang == "zh" else ("; ", ": ")

    def listed(fields: list[str], values: dict[str, object]) -> str:
        """The fields as 'name: value' joined."""
        return sep.join(f"{_field_label(f, plan.lang)}{colon}{values.get(f)}" for f in fields)

    if change.status == "changed":
        fields = [f for f in plan.spec.compare_fields if not same(rec[f], old.get(f))]
        return listed(fields, old), listed(fields, rec)
    return "", listed([f for f in STATION_FIELDS if rec.get(f) not in (None, "")], rec)


def describe(plan: Plan, change: Change) -> Described:
    """(org, item, period, old, new) of a change for the preview table."""
    zh = plan.lang == "zh"
    rec = change.values
    org = plan.labels.get("org", {}).get(rec["org_id"], (str(rec["org_id"]),) * 4)
    org_name = org[0] if zh else org[1]
    if plan.kind == "stations":
        old_text, new_text = _station_fields(plan, change)
        return org_name, f"{rec['name_zh']}（{rec['code']}）", "", old_text, new_text
    ind = plan.labels.get("indicator", {}).get(rec["indicator_id"], (str(rec["indicator_id"]),) * 4)
    item = ind[0] if zh else ind[1]
    note = rec.get("period_note") or rec.get("plan_zh") or ""
    period = period_label(rec["year"], rec["quarter"], note, plan.lang)
    new = _fig(plan, rec["indicator_id"], rec["value"], rec["qualifier"])
    if plan.kind == "targets":
        new = f"{rec['comparator']} {new}"
    old = ""
    if change.old is not None:
        old = _fig(plan, rec["indicator_id"], change.old["value"], change.old["qualifier"])
        if plan.kind == "targets":
            old = f"{change.old['comparator']} {old}"
    return org_name, item, period, old, new


def preview_frame(plan: Plan, status: str, limit: int | None = None) -> pl.DataFrame:
    """The figures of one diff status as a table: row, org, item, period, old, new."""
    lang = plan.lang
    cols = [t(f"upload.col.{c}", lang) for c in ("row", "org", "item", "period", "old", "new")]
    rows = [(c.row, *describe(plan, c)) for c in plan.changes_of(status, limit)]
    schema = dict(zip(cols, [pl.Int64] + [pl.Utf8] * 5, strict=True))
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    return frame if status == "changed" else frame.drop(cols[4])


def skipped_lines(plan: Plan) -> list[str]:
    """The rows skipped as title, signature (footer) or totals rows, one sentence each."""
    return [
        t("upload.skipped", plan.lang, row=row, text=text, why=t(f"upload.skip.{why}", plan.lang))
        for row, text, why in plan.skipped
    ]


def summary(plan: Plan) -> str:
    """One sentence of counts for the preview."""
    return t(
        "upload.summary",
        plan.lang,
        new=plan.n_new,
        changed=plan.n_changed,
        unchanged=plan.n_unchanged,
        blank=plan.n_blank,
    )
