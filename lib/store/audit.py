"""The audit-event registry: every kind of row the audit log may hold, one name each, with its
Chinese and English label. Writers pass an AuditEvent; the AuditLog model refuses any other
action name, and the admin page's filter offers exactly these events. Imports nothing."""

from __future__ import annotations

from enum import StrEnum


class AuditEvent(StrEnum):
    """An audit-log action (its value is the name stored in audit_log.action)."""

    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGIN_LOCKED = "login_locked"
    LOGOUT = "logout"
    SESSION_EXPIRED = "session_expired"
    UPLOAD = "upload"
    UNDO = "undo"
    SNAPSHOT = "snapshot"
    DECK_TEXTS = "deck_texts"
    DECK_LAYOUT = "deck_layout"
    USER_ADD = "user_add"
    USER_ROLE = "user_role"
    USER_PASSWORD = "user_password"
    USER_DISABLE = "user_disable"
    USER_ENABLE = "user_enable"
    SETTING = "setting"
    BACKUP = "backup"
    RESTORE = "restore"


AUDIT_EVENTS: dict[AuditEvent, tuple[str, str]] = {
    AuditEvent.LOGIN: ("登录", "Sign-in"),
    AuditEvent.LOGIN_FAILED: ("登录失败", "Failed sign-in"),
    AuditEvent.LOGIN_LOCKED: ("登录被锁定", "Sign-in locked"),
    AuditEvent.LOGOUT: ("退出登录", "Sign-out"),
    AuditEvent.SESSION_EXPIRED: ("会话过期", "Session expired"),
    AuditEvent.UPLOAD: ("上传数据", "Upload"),
    AuditEvent.UNDO: ("撤销上传", "Undo an upload"),
    AuditEvent.SNAPSHOT: ("会议快照", "Meeting snapshot"),
    AuditEvent.DECK_TEXTS: ("修改汇报文字", "Edit the deck's texts"),
    AuditEvent.DECK_LAYOUT: ("调整幻灯片", "Reorder or hide slides"),
    AuditEvent.USER_ADD: ("添加用户", "Add a user"),
    AuditEvent.USER_ROLE: ("修改角色", "Change a role"),
    AuditEvent.USER_PASSWORD: ("重设密码", "Reset a password"),
    AuditEvent.USER_DISABLE: ("停用账号", "Disable an account"),
    AuditEvent.USER_ENABLE: ("启用账号", "Enable an account"),
    AuditEvent.SETTING: ("修改设置", "Change a setting"),
    AuditEvent.BACKUP: ("备份", "Backup"),
    AuditEvent.RESTORE: ("恢复备份", "Restore"),
}


def audit_event(action: str) -> AuditEvent:
    """The registered event of an action name; ValueError for a name not in the registry."""
    try:
        return AuditEvent(action)
    except ValueError:
        raise ValueError(f"unregistered audit event: {action!r}") from None


def event_label(event: AuditEvent, lang: str) -> str:
    """An event's label in a language ("zh" or "en")."""
    zh, en = AUDIT_EVENTS[event]
    return en if lang == "en" else zh
