"""The client's address behind reverse proxies: trust exactly the configured proxies.

KPI_TRUSTED_PROXIES is either a number of proxy hops (1: one nginx in front of the app server)
or a comma-separated list of proxy addresses or networks (127.0.0.1, 10.0.0.0/8). The address
taken is the one the outermost trusted proxy saw, read from the right of X-Forwarded-For;
whatever a client wrote further left is never trusted. Unset or 0: the connection's own address.
(KPI_TRUSTED_PROXY=1, the older name, means one hop.)
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterable

ENV = "KPI_TRUSTED_PROXIES"
OLD_ENV = "KPI_TRUSTED_PROXY"


def setting() -> str:
    """The trusted-proxy setting from the environment ("" when none)."""
    text = os.environ.get(ENV, "").strip()
    if not text and os.environ.get(OLD_ENV, "").strip().lower() in {"1", "true", "yes"}:
        return "1"
    return text


def _hops(forwarded_for: Iterable[str]) -> list[str]:
    """The X-Forwarded-For entries, left to right, over every header line."""
    return [h.strip() for value in forwarded_for for h in value.split(",") if h.strip()]


def _trusted(address: str, networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    """Whether an address lies in one of the trusted networks."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def _networks(text: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """The networks of a comma-separated list (entries that are no address are ignored)."""
    nets = []
    for part in text.split(","):
        try:
            nets.append(ipaddress.ip_network(part.strip(), strict=False))
        except ValueError:
            continue
    return nets


def client_address(remote: str, forwarded_for: Iterable[str], trusted: str | None = None) -> str:
    """The client's address: remote (the connection's peer) unless it is a trusted proxy, then
    the X-Forwarded-For entry that proxy added, and so on for each trusted hop (max 100 chars)."""
    trusted = setting() if trusted is None else trusted.strip()
    chain = [*_hops(forwarded_for), remote]
    if not trusted or trusted == "0":
        return remote[:100]
    if trusted.isdigit():
        hops = int(trusted)
        return chain[max(0, len(chain) - 1 - hops)][:100]
    networks = _networks(trusted)
    index = len(chain) - 1
    while index > 0 and _trusted(chain[index], networks):
        index -= 1
    return chain[index][:100]
