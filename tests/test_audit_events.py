"""The audit-event registry: the admin page's filter offers every registered event (the meeting
snapshot included) in the UI language, and no writer can store an unregistered action name."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from lib.accounts import auth
from lib.deck import snapshots
from lib.store import db
from lib.store.audit import AuditEvent
from lib.store.models import AuditLog
from lib.ui.session import AUTH_KEY

PAGE = str(Path(__file__).resolve().parent.parent / "pages" / "admin.py")

EVENTS_ZH = [
    "登录",
    "登录失败",
    "登录被锁定",
    "退出登录",
    "会话过期",
    "上传数据",
    "撤销上传",
    "会议快照",
    "修改汇报文字",
    "调整幻灯片",
    "添加用户",
    "修改角色",
    "重设密码",
    "停用账号",
    "启用账号",
    "修改设置",
    "备份",
    "恢复备份",
]
EVENTS_EN = [
    "Sign-in",
    "Failed sign-in",
    "Sign-in locked",
    "Sign-out",
    "Session expired",
    "Upload",
    "Undo an upload",
    "Meeting snapshot",
    "Edit the deck's texts",
    "Reorder or hide slides",
    "Add a user",
    "Change a role",
    "Reset a password",
    "Disable an account",
    "Enable an account",
    "Change a setting",
    "Backup",
    "Restore",
]


@pytest.fixture
def store(seeded_copy: str) -> str:
    """A seeded store with one admin, boss."""
    auth.create_user("boss", "admin", None, None, seeded_copy)
    return seeded_copy


def audit_filter(lang: str) -> list[str]:
    """The options of the admin page's audit-action filter, as shown, in a language."""
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[AUTH_KEY] = {"username": "boss", "role": "admin"}
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    return list(at.multiselect(key=f"admin_audit_actions{'_en' if lang == 'en' else ''}").options)


def rows(url: str) -> int:
    """How many audit-log rows the store holds."""
    with db.get_engine(url).connect() as conn:
        return conn.execute(select(func.count(AuditLog.id))).scalar_one()


def test_the_audit_filter_offers_every_event_in_chinese(store: str) -> None:
    """Test that the admin page's audit filter lists all sixteen events, 会议快照 among them."""
    assert audit_filter("zh") == EVENTS_ZH


def test_the_audit_filter_offers_every_event_in_english(store: str) -> None:
    """Test that the English admin page's audit filter lists all sixteen events in English."""
    assert audit_filter("en") == EVENTS_EN


def test_a_snapshot_is_logged_under_a_registered_event(store: str) -> None:
    """Test that saving a meeting snapshot writes a 'snapshot' row the filter can select."""
    snapshots.freeze("季度例会", "daxing", 2025, "boss", store)
    log = auth.audit_log(store, actions=(AuditEvent.SNAPSHOT,))
    assert log["username"].to_list() == ["boss"]


def test_recording_an_unregistered_event_fails_and_writes_nothing(store: str) -> None:
    """Test that recording an action name outside the registry raises and adds no row."""
    before = rows(store)
    with pytest.raises(ValueError, match="unregistered audit event: 'made_up'"):
        auth.record("made_up", "boss", "", url=store)  # type: ignore[arg-type]
    assert rows(store) == before


def test_an_audit_row_with_an_unregistered_action_cannot_be_built() -> None:
    """Test that the AuditLog model itself refuses an action name outside the registry."""
    with pytest.raises(ValueError, match="unregistered audit event: 'snapshots'"):
        AuditLog(username="boss", action="snapshots", detail="")


def test_every_audit_row_is_written_through_add_audit() -> None:
    """Test that no module of lib builds an AuditLog row itself: every writer (accounts, import,
    undo, snapshots) goes through lib.store.models.add_audit."""
    lib = Path(__file__).resolve().parent.parent / "lib"
    models = lib / "store" / "models.py"
    builders = [
        str(path.relative_to(lib))
        for path in sorted(lib.rglob("*.py"))
        if "AuditLog(" in path.read_text(encoding="utf-8").replace("class AuditLog(", "")
    ]
    assert builders == [str(models.relative_to(lib))]
