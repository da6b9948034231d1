"""What every headless-browser user in this repo shares (browser tests, the deploy test, the
browser benchmark): Debian's chromium and its flags, a free port, and a server health wait."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from contextlib import closing

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags chromium keeps reaching for Google hosts this machine's
# closed network refuses; --no-sandbox because tests run as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_health(base: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    """Wait until a streamlit server answers /_stcore/health (fail early if it exits)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError("streamlit did not become healthy")
