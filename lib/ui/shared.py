"""Read-only values shared by every session of the server, looked up by their exact plain key.

streamlit's caches hash their arguments on every call (a list of dataclass rows is pickled to be
hashed: a quarter of a YoY view's server CPU under load, issue 16). Here the key is the value
itself (a tuple of plain values and frozen rows), compared for equality in a dict, so a hit costs
a tuple's hash; the values are built once and never copied, and nothing writes into them. Derived
values that depend on the store carry its URL and data version in their key."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date
from typing import Any

from lib.dash import targets
from lib.ui import cache
from lib.ui.lang import lang


class Shared:
    """A bounded, thread-safe map from an exact key to a value built once (least recently used
    entries go first)."""

    def __init__(self, max_entries: int) -> None:
        """An empty map holding at most max_entries values."""
        self.max_entries = max_entries
        self.values: OrderedDict[Hashable, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """The value of key, built by build() on a miss (outside the lock; a race builds twice
        and keeps one)."""
        with self.lock:
            if key in self.values:
                self.values.move_to_end(key)
                return self.values[key]
        value = build()
        with self.lock:
            self.values[key] = value
            while len(self.values) > self.max_entries:
                self.values.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every value."""
        with self.lock:
            self.values.clear()


_TARGET_ROWS = Shared(max_entries=256)


def target_rows(org: str, year: int) -> tuple[list[targets.TargetRow], list[targets.TargetRow]]:
    """lib.dash.targets.target_rows of an org and year in the current language (annual targets
    due, multi-year plans covering it), shared per data version and day (a target's status
    depends on today)."""
    language = lang()
    key = (cache.database_url(), cache.data_version(), org, year, language, date.today())
    return _TARGET_ROWS.get(
        key,
        lambda: targets.target_rows(
            cache.targets((org,)),
            cache.figures((org,)),
            cache.indicator_meta(),
            org,
            year,
            language,
        ),
    )


_TARGET_YEARS = Shared(max_entries=256)


def target_years(org: str) -> list[int]:
    """lib.dash.targets.target_years of an org (the years it has targets due, ascending), shared
    per data version."""
    key = (cache.database_url(), cache.data_version(), org)
    years = _TARGET_YEARS.get(key, lambda: tuple(targets.target_years(cache.targets((org,)), org)))
    return list(years)
