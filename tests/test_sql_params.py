"""SQL takes input only through bound parameters: hostile text round-trips through the store,
the named queries, sign-in and the audit log as plain text, and no SQL string in lib is built from
variables."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from lib.accounts import auth
from lib.store import queries
from lib.store.db import get_engine, session_scope
from lib.store.models import Indicator, Observation, Org, Source

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "'; DROP TABLE observation; --"
HOSTILE_TEXTS = [
    HOSTILE,
    '" OR 1=1 --',
    "x%' OR '1'='1",
    "Robert'); DELETE FROM user_account;--",
    "\\'; SELECT 1; --",
]


def add_hostile_figure(url: str, name: str) -> None:
    """Store an org, indicator, source and observation whose texts are all the hostile name."""
    with session_scope(url) as s:
        org = Org(code=name, name_zh=name, name_en=name, level="district")
        ind = Indicator(
            code=name,
            name_zh=name,
            name_en=name,
            category="organising",
            unit_zh="个",
            unit_en="units",
            kind="flow",
            rollup="sum",
            aliases=name,
        )
        src = Source(code=name, kind="article", title_zh=name)
        s.add_all([org, ind, src])
        s.flush()
        s.add(
            Observation(
                org_id=org.id,
                indicator_id=ind.id,
                year=2025,
                value=7.0,
                source_id=src.id,
                locator=name,
                period_note=name,
            )
        )


@pytest.mark.parametrize("name", HOSTILE_TEXTS)
def test_hostile_indicator_name_round_trips_through_queries(db_url: str, name: str) -> None:
    """Test that a hostile indicator name is stored and queried back as text, tables intact."""
    add_hostile_figure(db_url, name)
    df = queries.observations(org_codes=(name,), indicator_codes=(name,), url=db_url)
    assert df.height == 1
    row = df.row(0, named=True)
    assert row["indicator_name_zh"] == name and row["locator"] == name
    assert row["period_note"] == name and row["value"] == 7.0
    assert "observation" in inspect(get_engine(db_url)).get_table_names()
    with session_scope(db_url) as s:
        assert s.scalar(select(func.count(Observation.id))) == 1


def test_hostile_filter_matches_nothing_and_drops_nothing(db_url: str) -> None:
    """Test that filtering by a hostile code finds no row and leaves every table in place."""
    add_hostile_figure(db_url, "plain_code")
    assert queries.observations(indicator_codes=(HOSTILE,), url=db_url).height == 0
    assert queries.observations(url=db_url).height == 1


@pytest.mark.parametrize("name", HOSTILE_TEXTS)
def test_hostile_sign_in_is_just_a_failed_attempt(db_url: str, name: str) -> None:
    """Test that a hostile username and password are refused, logged as an unknown user (never
    the text typed) with the address verbatim."""
    auth.create_user("boss", "admin", None, url=db_url)
    assert auth.authenticate(name, name, name, db_url).status == "invalid"
    log = auth.audit_log(db_url, actions=("login_failed",), text="wrong")
    assert log["username"].to_list() == [auth.UNKNOWN_USER]
    assert log["address"].to_list() == [name]
    assert auth.active_user("boss", db_url) is not None


def test_audit_detail_search_treats_wildcards_as_text(db_url: str) -> None:
    """Test that % and _ in the audit search match themselves, not everything."""
    auth.record("setting", "boss", "anonymous_read=1", url=db_url)
    auth.record("setting", "boss", "100% done", url=db_url)
    assert auth.audit_log(db_url, text="%")["detail"].to_list() == ["100% done"]
    assert auth.audit_log(db_url, text="_read")["detail"].to_list() == ["anonymous_read=1"]


SQL_CALLS = {"text", "execute", "executemany", "exec_driver_sql", "executescript"}


def dynamic_sql_calls(path: Path) -> list[str]:
    """Calls in a module that pass SQL built from non-constant values (f-string, +, %, format)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        fn = node.func
        name = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", "")
        if name not in SQL_CALLS:
            continue
        arg = node.args[0]
        if isinstance(arg, ast.JoinedStr):
            parts = [v.value for v in arg.values if isinstance(v, ast.FormattedValue)]
            if all(isinstance(p, ast.Name) and p.id.isupper() for p in parts):
                continue  # only module constants, e.g. PRAGMA busy_timeout={BUSY_TIMEOUT_MS}
            found.append(f"{path.name}:{node.lineno}")
        elif isinstance(arg, ast.BinOp) or (
            isinstance(arg, ast.Call)
            and isinstance(arg.func, ast.Attribute)
            and arg.func.attr == "format"
        ):
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_no_sql_in_lib_is_built_from_variables() -> None:
    """Test that every SQL string in lib is a literal, so input can only arrive as parameters."""
    files = [p for p in (ROOT / "lib").rglob("*.py") if "migrations" not in p.parts]
    offenders = [hit for p in files for hit in dynamic_sql_calls(p)]
    assert offenders == []
