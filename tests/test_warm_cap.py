"""Tests of how long an app server's start waits for its first cache warm before it serves anyway
(lib.core.settings.warm_cap_seconds, read by lib.ui.warm.lifespan): $KPI_WARM_CAP_SECONDS when it
is a whole number of seconds, else 120 s."""

from __future__ import annotations

import pytest

from lib.core import settings


def test_a_whole_number_of_seconds_sets_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test that KPI_WARM_CAP_SECONDS=30 makes a start wait at most 30 s for its warm."""
    monkeypatch.setenv("KPI_WARM_CAP_SECONDS", " 30 ")
    assert settings.warm_cap_seconds() == 30


@pytest.mark.parametrize("text", ["", "abc", "0", "-5", "1.5"])
def test_anything_else_leaves_the_cap_at_120_s(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Test that a KPI_WARM_CAP_SECONDS that is no whole number of seconds ≥ 1 is ignored: the
    start waits at most 120 s."""
    monkeypatch.setenv("KPI_WARM_CAP_SECONDS", text)
    assert settings.warm_cap_seconds() == 120
