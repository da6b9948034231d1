"""Who is using this browser session and with which role (accounts come in lib.auth).

Contract used by every page that writes: call `require_role("editor")` at the top of the page and
again right before the write; it stops the script (st.stop) with a clear message when the signed-in
user's role is lower. Until accounts exist every visitor reads as a viewer."""

from __future__ import annotations

import streamlit as st

from lib.navigation import role_allows


def current_role() -> str | None:
    """The role of this session's user (viewer until sign-in is built)."""
    return "viewer"


def current_username() -> str:
    """The signed-in user's name ("" when nobody is signed in)."""
    return ""


def require_role(min_role: str) -> None:
    """Stop the page with a refusal unless the session's user has at least min_role."""
    if not role_allows(current_role(), min_role):
        st.error("无权限：此操作需要更高的角色。 / Not allowed: this needs a higher role.")
        st.stop()
