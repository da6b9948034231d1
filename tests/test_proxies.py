"""The client address behind reverse proxies (lib.accounts.proxies): exactly the configured hops or
proxy addresses are trusted, and whatever a client writes into X-Forwarded-For is not."""

from __future__ import annotations

import pytest

from lib.accounts.proxies import client_address


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("127.0.0.1", ["203.0.113.9"], "1", "203.0.113.9"),
        ("127.0.0.1", ["6.6.6.6, 203.0.113.9"], "1", "203.0.113.9"),
        ("127.0.0.1", ["6.6.6.6", "203.0.113.9"], "1", "203.0.113.9"),
        ("127.0.0.1", ["6.6.6.6, 203.0.113.9, 10.0.0.2"], "2", "203.0.113.9"),
        ("127.0.0.1", ["6.6.6.6, 203.0.113.9"], "", "127.0.0.1"),
        ("127.0.0.1", ["6.6.6.6, 203.0.113.9"], "0", "127.0.0.1"),
        ("127.0.0.1", ["6.6.6.6, 203.0.113.9, 10.0.0.2"], "127.0.0.1,10.0.0.0/8", "203.0.113.9"),
        ("198.51.100.7", ["6.6.6.6"], "127.0.0.1", "198.51.100.7"),
        ("127.0.0.1", [], "1", "127.0.0.1"),
    ],
    ids=[
        "one-hop",
        "one-hop-spoofed-entry-ignored",
        "one-hop-two-header-lines",
        "two-hops",
        "no-proxy-trusted",
        "zero",
        "proxy-list",
        "untrusted-peer-ignores-header",
        "one-hop-no-header",
    ],
)
def test_client_address_trusts_exactly_the_configured_proxies(
    remote: str, forwarded: list[str], trusted: str, expected: str
) -> None:
    """Test that the address taken is the one the outermost trusted proxy saw."""
    assert client_address(remote, forwarded, trusted) == expected


def test_old_single_proxy_setting_still_means_one_hop(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test that KPI_TRUSTED_PROXY=1 (the older name) trusts one hop."""
    monkeypatch.delenv("KPI_TRUSTED_PROXIES", raising=False)
    monkeypatch.setenv("KPI_TRUSTED_PROXY", "1")
    assert client_address("127.0.0.1", ["6.6.6.6, 203.0.113.9"]) == "203.0.113.9"
