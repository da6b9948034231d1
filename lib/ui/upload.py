"""Widgets of the upload page: template downloads, the file picker with a progress bar, the problem
table, the preview (new / changed old → new / unchanged) with the overwrite confirmation, commit,
and undo of a batch. Every write re-checks the role (require_role) right before it happens."""

from __future__ import annotations

from functools import partial

import streamlit as st

from lib import ui
from lib.ingest import importer, templates
from lib.ui import session

PLAN_KEY = "upload_plan"
PLAN_ID_KEY = "upload_plan_id"
SIGNATURE_KEY = "upload_signature"
MESSAGE_KEY = "upload_message"
PREVIEW_LIMIT = 2_000
MIME = {
    "csv": "text/csv",
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
    return templates.template_xlsx(kind, lang, ui.indicators(), ui.orgs())


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
        cols = st.columns(len(importer.KINDS))
        for col, kind in zip(cols, importer.KINDS, strict=True):
            name = ui.t(f"upload.kind.{kind}")
            for ext in ("csv", "xlsx"):
                col.download_button(
                    ui.t(f"upload.tpl.{ext}", kind=name),
                    data=partial(_template, kind, lang, ext, url, version),
                    file_name=templates.file_name(kind, lang, ext),
                    mime=MIME[ext],
                    key=f"upload_tpl_{kind}_{ext}",
                    width="stretch",
                )
        st.download_button(
            ui.t("upload.tpl.catalog"),
            data=partial(_catalog, lang, url, version),
            file_name="指标目录.csv" if lang == "zh" else "indicator_catalogue.csv",
            mime=MIME["csv"],
            key="upload_tpl_catalog",
        )


def kind_picker() -> str | None:
    """The kind of data (None = detect from the sheet name and columns)."""
    options = ["auto", *importer.KINDS]
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


def plan_for(data: bytes, name: str, kind: str | None, lang: str) -> importer.Plan:
    """The plan of an uploaded file, recomputed when the file, kind, language or store changes."""
    plan_id = (importer.sha256_of(data), name, kind, lang, ui.data_version())
    if st.session_state.get(PLAN_ID_KEY) != plan_id:
        bar = _Bar()
        plan = importer.prepare(data, name, kind, lang, url=ui.database_url(), progress=bar)
        bar.done()
        st.session_state[PLAN_KEY] = plan
        st.session_state[PLAN_ID_KEY] = plan_id
        st.session_state[SIGNATURE_KEY] = plan.signature()
    return st.session_state[PLAN_KEY]


def show_problems(plan: importer.Plan) -> None:
    """The refusal: how many problems, and the table of every one."""
    st.error(ui.t("upload.problems", n=len(plan.problems)), icon=":material/error:")
    ui.show_frame(importer.problems_frame(plan, plan.lang), key="upload_problems")


def show_preview(plan: importer.Plan) -> None:
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
    if plan.ignored:
        names = "、".join(md_escape(name) for name in plan.ignored)
        st.caption(ui.t("upload.ignored_columns", names=names))
    st.write(importer.summary(plan))
    c1, c2, c3 = st.columns(3)
    c1.metric(ui.t("upload.metric.new"), plan.n_new)
    c2.metric(ui.t("upload.metric.changed"), plan.n_changed)
    c3.metric(ui.t("upload.metric.unchanged"), plan.n_unchanged)
    if plan.n_changed:
        st.subheader(ui.t("upload.section.changed"))
        ui.show_frame(importer.preview_frame(plan, "changed", PREVIEW_LIMIT), key="upload_changed")
    if plan.n_new:
        st.subheader(ui.t("upload.section.new"))
        ui.show_frame(importer.preview_frame(plan, "new", PREVIEW_LIMIT), key="upload_new")
    if plan.n_unchanged:
        with st.expander(ui.t("upload.section.unchanged")):
            ui.show_frame(
                importer.preview_frame(plan, "unchanged", PREVIEW_LIMIT), key="upload_unchanged"
            )


def commit_controls(plan: importer.Plan) -> None:
    """The overwrite confirmation and the import button; the write re-checks the role first."""
    if plan.n_new + plan.n_changed == 0:
        st.info(ui.t("upload.nothing"))
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
            expected=st.session_state.get(SIGNATURE_KEY),
            progress=bar,
        )
    except importer.ImportRefused as exc:
        bar.done()
        st.error(exc.message)
        return
    bar.done()
    st.session_state[MESSAGE_KEY] = ui.t(
        "upload.done",
        batch=result.batch_id,
        new=result.n_new,
        changed=result.n_changed,
        unchanged=result.n_unchanged,
    )
    st.rerun()


def undo_section() -> None:
    """Pick a committed upload batch and undo it (restores the figures it replaced)."""
    st.subheader(ui.t("upload.undo.title"))
    frame = ui.batches()
    frame = frame.filter(
        (frame["status"] == "committed") & frame["kind"].is_in(list(importer.KINDS))
    )
    # Editors undo their own batches, admins any (lib.accounts.auth.may_undo).
    owners = {row["batch_id"]: row["username"] for row in frame.iter_rows(named=True)}
    frame = frame.filter(
        frame["batch_id"].is_in([b for b, o in owners.items() if session.may_undo(o)])
    )
    if frame.is_empty():
        st.caption(ui.t("upload.undo.none"))
        return
    labels = {
        row["batch_id"]: ui.t(
            "upload.undo.option",
            batch=row["batch_id"],
            file=row["file_name"],
            user=row["username"],
            new=row["n_new"],
            changed=row["n_changed"],
        )
        for row in frame.iter_rows(named=True)
    }
    batch_id = st.selectbox(
        ui.t("upload.undo.pick"),
        options=list(labels),
        format_func=lambda b: labels[b],
        key="upload_undo_batch",
    )
    if st.button(ui.t("upload.undo.button"), key="upload_undo", icon=":material/undo:"):
        session.require_role("editor")
        if not session.may_undo(owners[int(batch_id)]):
            st.error(ui.t("upload.undo.not_yours"))
            return
        try:
            result = importer.undo(
                int(batch_id), session.current_username(), url=ui.database_url(), lang=ui.lang()
            )
        except importer.ImportRefused as exc:
            st.error(exc.message)
            return
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
    kind = kind_picker()
    upload = st.file_uploader(ui.t("upload.file"), type=["csv", "xlsx"], key="upload_file")
    if upload is not None:
        plan = plan_for(upload.getvalue(), upload.name, kind, lang)
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
