"""`make run-cores` (deploy/run-per-core.sh): one command starts N app servers behind nginx on one
machine; the board answers through nginx and on every backend, and Ctrl-C (SIGINT) stops them
all. Needs nginx (skips without it: `apt-get install nginx-light`)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser_support import free_port
from tests.conftest import copied_store

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx not installed"),
]


def _answers(url: str) -> bool:
    """Whether a URL answers 200 now."""
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


def _wait(urls: list[str], seconds: float = 120) -> bool:
    """Wait until every URL answers 200 (False on timeout)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if all(_answers(u) for u in urls):
            return True
        time.sleep(0.5)
    return False


def _free_run_of_ports(n: int) -> int:
    """A port p with p … p+n all free on 127.0.0.1."""
    for _ in range(50):
        first = free_port()
        if first + n < 65535 and all(
            _answers(f"http://127.0.0.1:{first + i}") is False for i in range(n + 1)
        ):
            return first
    raise RuntimeError("no run of free ports")


def test_run_cores_serves_through_nginx_and_every_backend_then_stops(
    seeded_store: str, tmp_path: Path
) -> None:
    """Test that run-per-core.sh PORT 2 answers on PORT and PORT+1, PORT+2, and stops on Ctrl-C."""
    port = _free_run_of_ports(2)
    urls = [f"http://127.0.0.1:{port + i}/_stcore/health" for i in range(3)]
    with copied_store(seeded_store, tmp_path) as url:
        env = {**os.environ, "DATABASE_URL": url, "KPI_ANONYMOUS_READ": "1"}
        log = open(tmp_path / "run.log", "wb")  # noqa: SIM115 - closed below
        proc = subprocess.Popen(
            ["deploy/run-per-core.sh", str(port), "2"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            assert _wait(urls), (tmp_path / "run.log").read_text()
        finally:
            os.killpg(proc.pid, signal.SIGINT)
            stopped = _wait_stopped(proc)
            if not stopped:
                os.killpg(proc.pid, signal.SIGKILL)
            log.close()
        assert stopped
        assert _silent(urls), "an app server or nginx still answers 15 s after Ctrl-C"


def _silent(urls: list[str], seconds: float = 15) -> bool:
    """Wait until no URL answers any more (False if one still does after seconds): the script's
    children may finish their shutdown a moment after the script itself."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(_answers(u) for u in urls):
            return True
        time.sleep(0.25)
    return False


def _wait_stopped(proc: subprocess.Popen, seconds: float = 30) -> bool:
    """Wait for the script to exit (False on timeout)."""
    try:
        proc.wait(seconds)
    except subprocess.TimeoutExpired:
        return False
    return True
