"""Widgets of the upload page: template downloads, the file picker with a progress bar, the problem
table, the preview (new / changed old → new / unchanged) with the overwrite confirmation, commit,
and undo of a batch. Every write re-checks the role (require_role) right before it happens."""

from __future__ import annotations

from datetime import datetime
from functools import partial

import streamlit as st

from lib import ui
from lib.core.examples import is_example
from lib.core.vocab import BEIJING
from lib.ingest import importer, preview, report_layout, templates, undo
from lib.ingest.kinds import UPLOAD_KINDS
from lib.ingest.plan import Plan
from lib.ingest.problems import ImportRefused
from lib.ingest.read import EXTENSIONS, WORKBOOKS, sha256_of
from lib.ingest.undo import BatchInfo
from lib.store import export
from lib.ui import session, warm

PLAN_KEY = "upload_plan"
PLAN_ID_KEY = "upload_plan_id"
UPLOAD_SIGNATURE_KEY = "upload_signature"
MESSAGE_KEY = "upload_message"
PREVIEW_LIMIT = 2_000
PROBLEM_LINES = 200
PICKER_KEY = "upload_picker_n"
MIME = {
    "csv": "text/csv",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def md_escape(text: str) -> str:
    """Text from a file shown literally in markdown (the one helper: lib.ui.literal)."""
    return ui.literal(text)


@st.cache_data(show_spinner=False, max_entries=32)
def _template(kind: str, lang: str, ext: str, url: str, version: int) -> bytes:
    """A template file's bytes (the .xlsx lists the store's catalogue at this data version)."""
    if ext == "csv":
        return templates.template_csv(kind, lang)
    if ext == "xls":
        return templates.template_xls(kind, lang, ui.indicators(), ui.orgs())
    return templates.template_xlsx(kind, lang, ui.indicators(), ui.orgs())


@st.cache_data(show_spinner=False, max_entries=8)
def _report(lang: str, ext: str, year: int, url: str, version: int) -> bytes:
    """The 报表 form of a year (.xlsx or .xls), listing the store's catalogue at this data version."""
    return templates.template_report(ext, lang, year, ui.indicators(), ui.orgs())


def report_buttons(lang: str, url: str, version: int) -> None:
    """Download buttons of this year's 报表 form (Beijing time), as .xlsx and .xls."""
    year = datetime.now(BEIJING).year
    cols = st.columns(len(templates.REPORT_EXTENSIONS))
    for col, ext in zip(cols, templates.REPORT_EXTENSIONS, strict=True):
        col.download_button(
            ui.t("upload.tpl.report", fmt=ui.t(f"upload.tpl.report.{ext}")),
            data=partial(_report, lang, ext, year, url, version),
            file_name=templates.report_file_name(lang, ext, year),
            mime=MIME[ext],
            key=f"upload_tpl_report_{ext}",
            width="stretch",
        )


@st.cache_data(show_spinner=False, max_entries=8)
def _catalog(lang: str, url: str, version: int) -> bytes:
    """The indicator catalogue CSV at this data version."""
    return templates.catalog_csv(ui.indicators(), lang)


def templates_section(lang: str) -> None:
    """Download buttons: CSV and Excel template per kind, and the catalogue as CSV. The files are
    made when clicked (deferred data), not sent with every rerun: the Excel templates list every
    org, 3,000 of them in a national store."""
    url, version = ui.database_url(), ui.data_version()
    with st.expander(ui.t("upload.templates"), expanded=False, icon=":material/download:"):
        st.caption(ui.t("upload.templates.help"))
        cols = st.columns(len(UPLOAD_KINDS))
        for col, kind in zip(cols, UPLOAD_KINDS, strict=True):
            name = ui.t(f"upload.kind.{kind}")
            for ext in ("csv", "xlsx", "xls"):
                col.download_button(
                    ui.t(f"upload.tpl.{ext}", kind=name),
                    data=partial(_template, kind, lang, ext, url, version),
                    file_name=templates.template_file_name(kind, lang, ext),
                    mime=MIME[ext],
                    key=f"upload_tpl_{kind}_{ext}",
                    width="stretch",
                )
        report_buttons(lang, url, version)
        st.download_button(
            ui.t("upload.tpl.catalog"),
            data=partial(_catalog, lang, url, version),
            file_name="指标目录.csv" if lang == "zh" else "indicator_catalogue.csv",
            mime=MIME["csv"],
            key="upload_tpl_catalog",
        )


@st.cache_data(show_spinner=False, max_entries=12)
def _export(kind: str, ext: str, url: str, version: int) -> bytes:
    """The current data of a kind as a file to edit and upload again, at this data version."""
    return export.export_bytes(kind, ext, url=url)


def edit_downloads_section() -> None:
    """下载后修改再上传: beside each kind, its current data as CSV and Excel, in the upload layout
    (re-uploading a download unchanged writes nothing; editing a cell changes that figure). Made
    when clicked, not with every rerun."""
    url, version = ui.database_url(), ui.data_version()
    with st.expander(ui.t("upload.edit.title"), expanded=False, icon=":material/edit_note:"):
        st.caption(ui.t("upload.edit.help"))
        cols = st.columns(len(UPLOAD_KINDS))
        for col, kind in zip(cols, UPLOAD_KINDS, strict=True):
            name = ui.t(f"upload.kind.{kind}")
            for ext in ("csv", "xlsx"):
                col.download_button(
                    ui.t(f"upload.edit.{ext}", kind=name),
                    data=partial(_export, kind, ext, url, version),
                    file_name=f"{name}_{ui.t('upload.edit.suffix')}.{ext}",
                    mime=MIME[ext],
                    key=f"upload_edit_{kind}_{ext}",
                    width="stretch",
                )


# Streamlit 1.67 has no setting for its uploader's own words ("Upload", "20MB per file • CSV,
# XLSX", "Drag and drop a file here" over the box while a file is dragged onto it, and the tooltip
# of a refused file: "text/plain files are not allowed." or "File must be 20.0MB or smaller.", are
# fixed English in its frontend): in Chinese they are hidden and drawn from our strings (one
# sentence for both refusals: CSS cannot tell them apart). Only the picker's own button gets a
# word: a chosen file's remove button and the "+" (add files) keep their icons alone.
_UPLOADER_CSS = """
<style>
[data-testid="stFileUploaderDropzoneInstructions"] > * > * {{ font-size: 0 !important; }}
[data-testid="stFileUploaderDropzoneInstructions"] > * > *::after {{
  content: "{limit}"; font-size: 0.875rem;
}}
[data-testid="stFileUploaderDropzone"] button[kind="secondary"] *:not([data-testid="stIconMaterial"]) {{
  font-size: 0 !important;
}}
[data-testid="stFileUploaderDropzone"] button[kind="secondary"]::after {{
  content: "{button}"; font-size: 0.875rem;
}}
[data-testid="stTooltipErrorContent"] {{ font-size: 0 !important; }}
[data-testid="stTooltipErrorContent"]::after {{ content: "{refused}"; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzone"] > div:not([data-testid]) > span {{ font-size: 0 !important; }}
[data-testid="stFileUploaderDropzone"] > div:not([data-testid]) > span::after {{
  content: "{drop}"; font-size: 0.875rem;
}}
</style>
"""


def uploader_words(lang: str) -> None:
    """The uploader's fixed English words in the UI language (a fixed style block, no data)."""
    if lang == "en":
        return
    words = {key: ui.t(f"upload.picker.{key}") for key in ("limit", "button", "drop", "refused")}
    st.html(_UPLOADER_CSS.format(**words))


def kind_picker() -> str | None:
    """The kind of data (None = detect from the sheet name and columns)."""
    options = ["auto", *UPLOAD_KINDS]
    choice = st.segmented_control(
        ui.t("upload.kind"),
        options=options,
        format_func=lambda k: ui.t(f"upload.kind.{k}"),
        default="auto",
        key="upload_kind",
    )
    return None if choice in (None, "auto") else choice


class _Bar:
    """A progress bar fed by the importer's (stage, fraction) callback."""

    def __init__(self) -> None:
        """Show an empty bar."""
        self.bar = st.progress(0.0, text=ui.t("upload.stage.parse"))

    def __call__(self, stage: str, fraction: float) -> None:
        """Move the bar."""
        self.bar.progress(min(max(fraction, 0.0), 1.0), text=ui.t(f"upload.stage.{stage}"))

    def done(self) -> None:
        """Remove the bar."""
        self.bar.empty()


def import_plan_for(
    data: bytes, name: str, kind: str | None, lang: str, sheet: str | None = None
) -> Plan:
    """The plan of an uploaded file, recomputed when the file, sheet, kind, language or store
    changes (the last two plans are kept: a workbook's default sheet and the one picked)."""
    plan_id = (sha256_of(data), name, sheet, kind, lang, ui.data_version())
    plans = st.session_state.get(PLAN_KEY)
    if not isinstance(plans, dict):
        plans = {}
    if plan_id not in plans:
        bar = _Bar()
        plan = importer.prepare(
            data, name, kind, lang, url=ui.database_url(), progress=bar, sheet=sheet
        )
        bar.done()
        plans = {k: v for k, v in plans.items() if k[:2] == plan_id[:2] and k[3:] == plan_id[3:]}
        plans[plan_id] = (plan, plan.signature())
        st.session_state[PLAN_KEY] = dict(list(plans.items())[-2:])
    plan, signature = st.session_state[PLAN_KEY][plan_id]
    st.session_state[PLAN_ID_KEY] = plan_id
    st.session_state[UPLOAD_SIGNATURE_KEY] = signature
    return plan


SHEET_KEY = "upload_sheet"


def sheet_picker(data: bytes, name: str, kind: str | None, lang: str) -> str | None:
    """For a workbook with several visible sheets, which one to read (hidden sheets are never
    offered); None = the default sheet (template-named, else the first visible)."""
    if not name.lower().endswith(WORKBOOKS):
        return None
    default = import_plan_for(data, name, kind, lang)
    if len(default.sheets) < 2:
        return None
    if st.session_state.get(SHEET_KEY) not in default.sheets:
        st.session_state.pop(SHEET_KEY, None)  # a sheet of an earlier file
    choice = st.selectbox(
        ui.t("upload.sheet"),
        options=default.sheets,
        index=default.sheets.index(default.sheet) if default.sheet in default.sheets else 0,
        key=SHEET_KEY,
        help=ui.t("upload.sheet.help"),
    )
    return None if choice == default.sheet else choice


def show_ignored(plan: Plan) -> None:
    """The columns of the file the importer does not use, and the rows it skipped (titles,
    signature lines, totals), named literally."""
    if plan.ignored:
        names = "、".join(md_escape(name) for name in plan.ignored)
        st.caption(ui.t("upload.ignored_columns", names=names))
    lines = preview.skipped_lines(plan)
    if lines:
        st.caption("  \n".join(md_escape(line) for line in lines[:PREVIEW_LIMIT]))


def show_problems(plan: Plan) -> None:
    """The refusal: how many problems, and the table of every one."""
    st.error(ui.t("upload.problems", n=len(plan.problems)), icon=":material/error:")
    show_ignored(plan)
    ui.show_frame(preview.problems_frame(plan.problems, plan.lang), key="upload_problems")
    # The table cuts long reasons ("是否指：…") at the column's edge: every problem in full below.
    with st.expander(ui.t("upload.problem_lines"), expanded=True):
        lines = [p.line(plan.lang) for p in plan.problems[:PROBLEM_LINES]]
        st.caption("  \n".join(md_escape(line) for line in lines))
        if len(plan.problems) > PROBLEM_LINES:
            st.caption(ui.t("upload.problem_lines_more", n=len(plan.problems) - PROBLEM_LINES))


def show_preview(plan: Plan) -> None:
    """How the file was read, the counts, and the new / changed / unchanged tables."""
    layout = ui.t(f"upload.fmt.{plan.layout}") if plan.kind == "observations" else ""
    kind, fmt = ui.t(f"upload.kind.{plan.kind}"), layout or ui.t("upload.fmt.table")
    if plan.encoding == "xlsx":
        read_as = ui.t(
            "upload.read_as_xlsx", kind=kind, fmt=fmt, sheet=md_escape(plan.sheet), rows=plan.n_rows
        )
    else:
        read_as = ui.t(
            "upload.read_as", kind=kind, fmt=fmt, encoding=plan.encoding, rows=plan.n_rows
        )
    st.caption(read_as)
    show_ignored(plan)
    st.write(preview.summary(plan))
    c1, c2, c3 = st.columns(3)
    c1.metric(ui.t("upload.metric.new"), plan.n_new)
    c2.metric(ui.t("upload.metric.changed"), plan.n_changed)
    c3.metric(ui.t("upload.metric.unchanged"), plan.n_unchanged)
    if plan.n_changed:
        st.subheader(ui.t("upload.section.changed"))
        ui.show_frame(preview.preview_frame(plan, "changed", PREVIEW_LIMIT), key="upload_changed")
    if plan.n_new:
        st.subheader(ui.t("upload.section.new"))
        ui.show_frame(preview.preview_frame(plan, "new", PREVIEW_LIMIT), key="upload_new")
    if plan.n_unchanged:
        with st.expander(ui.t("upload.section.unchanged")):
            ui.show_frame(
                preview.preview_frame(plan, "unchanged", PREVIEW_LIMIT), key="upload_unchanged"
            )


def commit_controls(plan: Plan) -> None:
    """The overwrite confirmation and the import button; the write re-checks the role first."""
    if plan.n_new + plan.n_changed == 0:
        st.info(ui.t(report_layout.nothing_key(plan)))
        return
    confirmed = True
    if plan.n_changed:
        confirmed = st.checkbox(ui.t("upload.confirm", n=plan.n_changed), key="upload_confirm")
        if not confirmed:
            st.warning(ui.t("upload.need_confirm", n=plan.n_changed))
    clicked = st.button(
        ui.t("upload.commit"),
        type="primary",
        disabled=not confirmed,
        key="upload_commit",
        icon=":material/cloud_upload:",
    )
    if not clicked:
        return
    session.require_role("editor")
    bar = _Bar()
    try:
        result = importer.commit(
            plan,
            session.current_username(),
            confirm=confirmed,
            url=ui.database_url(),
            expected=st.session_state.get(UPLOAD_SIGNATURE_KEY),
            progress=bar,
        )
    except ImportRefused as exc:
        bar.done()
        st.error(exc.message)
        return
    bar.done()
    warm.after_write(result.data_version)
    st.session_state.pop(UNDO_PICK_KEY, None)
    # A new picker: the committed file leaves it, so no "already imported" notice follows.
    st.session_state[PICKER_KEY] = st.session_state.get(PICKER_KEY, 0) + 1
    st.session_state[MESSAGE_KEY] = ui.t(
        "upload.done",
        batch=result.batch_id,
        new=result.n_new,
        changed=result.n_changed,
        unchanged=result.n_unchanged,
    )
    st.rerun()


UNDO_PICK_KEY = "upload_undo_batch"


def _batch_info(row: dict) -> BatchInfo:
    """A row of the batches frame as the importer's BatchInfo (for its label)."""
    return BatchInfo(
        row["batch_id"],
        row["kind"],
        row["file_name"],
        row["username"],
        row["created_at"],
        row["n_new"],
        row["n_changed"],
        row["n_unchanged"],
        row["status"],
    )


def undo_section() -> None:
    """Pick a committed upload batch (newest first, none picked until the person picks one), see
    what undoing it changes, confirm naming that batch, undo it (restores what it replaced)."""
    st.subheader(ui.t("upload.undo.title"))
    lang = ui.lang()
    frame = ui.batches()
    frame = frame.filter(
        (frame["status"] == "committed") & frame["kind"].is_in(list(UPLOAD_KINDS))
    ).sort("batch_id", descending=True)
    # Editors undo their own batches, admins any (lib.accounts.auth.may_undo).
    owners = {row["batch_id"]: row["username"] for row in frame.iter_rows(named=True)}
    frame = frame.filter(
        frame["batch_id"].is_in([b for b, o in owners.items() if session.may_undo(o)])
    )
    if frame.is_empty():
        st.caption(ui.t("upload.undo.none"))
        return
    labels = {row["batch_id"]: _batch_info(row).label(lang) for row in frame.iter_rows(named=True)}
    if st.session_state.get(UNDO_PICK_KEY) not in labels:
        st.session_state.pop(UNDO_PICK_KEY, None)  # a batch undone or gone: pick again
    batch_id = st.selectbox(
        ui.t("upload.undo.pick"),
        options=list(labels),
        format_func=lambda b: labels[b],
        index=None,
        placeholder=ui.t("upload.undo.none_picked"),
        key=UNDO_PICK_KEY,
    )
    if batch_id is None:
        return
    batch_id = int(batch_id)
    try:
        _info, shown, total = undo.undo_preview(
            batch_id, lang, url=ui.database_url(), limit=PREVIEW_LIMIT
        )
    except ImportRefused as exc:
        st.error(exc.message)
        return
    st.caption(ui.t("upload.undo.preview"))
    ui.show_frame(shown, key="upload_undo_preview")
    if total > shown.height:
        st.caption(ui.t("upload.undo.more", n=total - shown.height))
    confirmed = st.checkbox(
        ui.t("upload.undo.confirm", label=md_escape(labels[batch_id])),
        key=f"upload_undo_confirm_{batch_id}",
    )
    clicked = st.button(
        ui.t("upload.undo.button"),
        key="upload_undo",
        icon=":material/undo:",
        disabled=not confirmed,
    )
    if clicked and confirmed:
        session.require_role("editor")
        if not session.may_undo(owners[batch_id]):
            st.error(ui.t("upload.undo.not_yours"))
            return
        try:
            result = undo.undo(
                batch_id, session.current_username(), url=ui.database_url(), lang=lang
            )
        except ImportRefused as exc:
            st.error(exc.message)
            return
        warm.after_write(result.data_version)
        st.session_state.pop(UNDO_PICK_KEY, None)
        st.session_state[MESSAGE_KEY] = ui.t(
            "upload.undo.done",
            batch=result.batch_id,
            removed=result.removed,
            restored=result.restored,
        )
        st.rerun()


def page() -> None:
    """The whole upload page below the role check."""
    lang = ui.lang()
    st.title(ui.t("upload.title"))
    st.caption(ui.t("upload.intro"))
    message = st.session_state.pop(MESSAGE_KEY, None)
    if message:
        st.success(message, icon=":material/check_circle:")
    templates_section(lang)
    edit_downloads_section()
    kind = kind_picker()
    uploader_words(lang)
    picker = st.session_state.get(PICKER_KEY, 0)
    upload = st.file_uploader(
        ui.t("upload.file"),
        type=[ext.lstrip(".") for ext in EXTENSIONS],
        key="upload_file" if not picker else f"upload_file_{picker}",
        help=ui.t("upload.file.help"),
    )
    if upload is not None:
        data = upload.getvalue()
        if is_example(sha256_of(data)):
            st.warning(ui.t("example.upload"), icon=":material/science:")
        sheet = sheet_picker(data, upload.name, kind, lang)
        plan = import_plan_for(data, upload.name, kind, lang, sheet)
        if plan.problems:
            show_problems(plan)
        elif plan.duplicate_batch is not None:
            st.info(
                ui.t(
                    "upload.duplicate",
                    batch=plan.duplicate_batch,
                    user=md_escape(plan.duplicate_user),
                ),
                icon=":material/info:",
            )
        else:
            show_preview(plan)
            commit_controls(plan)
    st.divider()
    undo_section()
