"""What every headless-browser user in this repo shares (browser tests, the deploy test, the
browser benchmark): Debian's chromium and its flags, a free port, a server health wait, and a
`streamlit run serve.py` server (the app with its sign-in cookie route) started and stopped
around a block."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM = "/usr/bin/chromium"
# The app has finished its script run (Streamlit marks stApp with its script state).
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# An init script that counts the script runs a page sees (window.__runs): every switch of
# stApp's script state to "running".
COUNT_RUNS = """
window.__runs = 0;
new MutationObserver(() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const state = app && app.getAttribute('data-test-script-state');
  if (state === 'running' && window.__lastState !== 'running') window.__runs += 1;
  window.__lastState = state;
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
"""
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
    """Wait until a streamlit server answers /_stcore/health (fail early if it exits). An app
    server binds its socket first and answers once warm (lib.ui.warm.lifespan): a request made
    while it warms waits in the socket's backlog and is answered the moment it is ready."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        wait = max(2.0, deadline - time.monotonic())
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=wait) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("streamlit did not become healthy")


@contextmanager
def streamlit_server(
    env: dict[str, str], log_path: Path, script: str = "serve.py"
) -> Iterator[tuple[subprocess.Popen, str]]:
    """`streamlit run script` on a free port with env, logging to log_path: yields the process and
    its base URL once healthy, and stops it afterwards."""
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port)]
    cmd += ["--server.headless", "true"]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            base = f"http://localhost:{port}"
            wait_for_health(base, proc)
            yield proc, base
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def chromium() -> Iterator[object]:
    """One headless Debian chromium driven by Playwright (never `playwright install`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
