"""Load benchmark: `python -m bench.load [--n 1,10,50] [--views 4] [--store URL] [--servers K]`.

N simulated viewers at once against one app server (or K behind nginx), driven at the protocol
level (a browser per viewer does not fit on 2 cores): each viewer opens the websocket at
`/_stcore/stream` as Streamlit's frontend does, and asks for its views one after another with
the installed streamlit's own protobuf messages (a BackMsg `rerun_script` carrying the page and its
query string), waiting each time for the ForwardMsg `script_finished` that ends the run. Viewers read
without an account (KPI_ANONYMOUS_READ=1); viewer i starts at view i of the mix, so every view is
asked for as often as the others. Reported per N: p50 / p95 / max per view, views per second, failed
sessions, exceptions shown on the page, the app servers' peak RSS and CPU, and the same load
against an empty Streamlit page in the same run with the ratio of the p95s. Every server is warmed
by one viewer first, unless --cold: then every N meets servers just started, no viewer before.
Prints one JSON document. With `--url BASE [--pids P,P]` it loads a deployment already running
(e.g. `make run-cores`: one app server per core behind nginx) instead of starting its own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.browser import loadavg, serve, stop

ROOT = Path(__file__).resolve().parent.parent
# A meeting's views: the overview (both languages), YoY by category, targets of a year, the map
# filtered by station type, sources of a year.
VIEWS: tuple[tuple[str, str], ...] = (
    ("overview", ""),
    ("yoy", "cat=welfare"),
    ("targets", "year=2025"),
    ("map", ""),
    ("overview", "lang=en"),
    ("yoy", "cat=rights&chart=bar"),
    ("sources", "year=2025"),
    ("map", "type=warm_station"),
)
VIEW_TIMEOUT_S = 300.0
SETTLE_S = 0.3  # a view is done when no other run followed its last one within this (not counted)
EMPTY_PAGE = "import streamlit as st\n\nst.title('空页面')\nst.write('一行字。')\n"


@dataclass
class Tally:
    """What the viewers of one run saw."""

    times: dict[str, list[float]] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    reruns: int = 0
    second_runs: int = 0
    last_done: float = 0.0

    def add(self, view: str, seconds: float) -> None:
        """Note one finished view."""
        self.times.setdefault(view, []).append(seconds)


def back_msg(page: str, query: str) -> bytes:
    """The BackMsg the frontend sends to run a page with a query string."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ClientState_pb2 import ClientState

    state = ClientState(query_string=query, page_name="" if page == "overview" else page)
    return BackMsg(rerun_script=state).SerializeToString()


async def run_view(ws: Any, page: str, query: str, tally: Tally) -> float:
    """Ask for one view; when its script run has finished and no other run followed within
    SETTLE_S (reruns followed), return the moment the last run finished (perf_counter)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    await ws.send(back_msg(page, query))
    done_at: float | None = None
    while True:
        try:
            raw = await asyncio.wait_for(ws.recv(), SETTLE_S if done_at else VIEW_TIMEOUT_S)
        except TimeoutError:
            if done_at is None:
                raise
            return done_at
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.new_element.WhichOneof("type") == "exception":
            exc = msg.delta.new_element.exception
            view = f"{page}?{query}" if query else page
            tally.exceptions.append(f"{view}: {exc.type}: {exc.message}"[:300])
        elif kind == "page_not_found":
            raise RuntimeError(f"page not found: {page}")
        elif kind == "new_session" and done_at is not None:
            tally.second_runs += 1  # the server ran the script again by itself
        elif kind == "script_finished":
            if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                raise RuntimeError(f"{page}: the script did not compile")
            if msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                done_at = time.perf_counter()
            else:
                tally.reruns += 1  # finished early for a rerun: the rerun follows


async def viewer(url: str, index: int, views: int, tally: Tally, source: str) -> None:
    """One viewer: open the websocket, ask for `views` views of the mix, close."""
    from websockets.asyncio.client import connect

    picked = [VIEWS[(index + k) % len(VIEWS)] for k in range(views)]
    try:
        started = time.perf_counter()
        async with connect(
            url,
            subprotocols=["streamlit"],  # type: ignore[list-item]
            max_size=None,
            open_timeout=VIEW_TIMEOUT_S,
            # A browser sends no keepalive pings; the client library's default (a ping every 20 s,
            # the connection dropped when a pong is 20 s late) fails every viewer of a busy server.
            ping_interval=None,
            local_addr=(source, 0),
        ) as ws:
            for page, query in picked:
                done_at = await run_view(ws, page, query, tally)
                tally.add(f"{page}?{query}" if query else page, done_at - started)
                tally.last_done = max(tally.last_done, done_at)
                started = time.perf_counter()
    except Exception as exc:  # noqa: BLE001 - a failed viewer is counted, not fatal
        tally.failed.append(f"viewer {index}: {type(exc).__name__}: {exc}"[:300])


def source_address(index: int) -> str:
    """A distinct loopback source address per viewer (nginx's ip_hash keys on the first three
    octets, as different phones have different addresses)."""
    return f"127.0.{index % 250 + 1}.1"


async def crowd(url: str, n: int, views: int) -> tuple[Tally, float]:
    """N viewers at once; what they saw and the wall time."""
    tally = Tally()
    started = time.perf_counter()
    await asyncio.gather(*(viewer(url, i, views, tally, source_address(i)) for i in range(n)))
    return tally, max(tally.last_done - started, 0.0)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes have used so far."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def peak_rss_mb(pids: list[int]) -> float:
    """The processes' peak resident memory (VmHWM) summed, in MB."""
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1])
    return round(total / 1024, 1)


def _ms(seconds: float) -> float:
    """Seconds as milliseconds (1 ms)."""
    return round(seconds * 1000)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def summarise(tally: Tally, wall: float, n: int, views: int, pids: list[int], cpu: float) -> dict:
    """One run's figures."""
    every = [t for ts in tally.times.values() for t in ts]
    per_view = {
        view: {
            "count": len(ts),
            "p50_ms": _ms(statistics.median(ts)),
            "p95_ms": _ms(percentile(ts, 95)),
            "max_ms": _ms(max(ts)),
        }
        for view, ts in sorted(tally.times.items())
    }
    return {
        "viewers": n,
        "views_per_viewer": views,
        "views_done": len(every),
        "wall_s": round(wall, 2),
        "views_per_s": round(len(every) / wall, 2) if wall else None,
        "p50_ms": _ms(statistics.median(every)) if every else None,
        "p95_ms": _ms(percentile(every, 95)) if every else None,
        "max_ms": _ms(max(every)) if every else None,
        "per_view": per_view,
        "failed_sessions": len(tally.failed),
        "failures": tally.failed[:5],
        "exceptions": len(tally.exceptions),
        "exception_samples": sorted(set(tally.exceptions))[:5],
        "early_finishes_for_rerun": tally.reruns,
        "second_runs_by_the_server": tally.second_runs,
        "server_cpu_s": round(cpu, 1),
        "server_cpu_percent": round(100 * cpu / wall, 0) if wall else None,
        "server_peak_rss_mb": peak_rss_mb(pids),
    }


def measure(
    ws_url: str, pids: list[int], n: int, views: int, warm: list[str] | None = None
) -> dict[str, Any]:
    """N viewers against a server already running, warmed first by one viewer of every view (at
    each of the websocket URLs in warm: every backend behind a proxy; default ws_url; [] for none,
    the first visits after a start)."""
    for url in [ws_url] if warm is None else warm:
        asyncio.run(crowd(url, 1, len(VIEWS)))
    cpu = cpu_seconds(pids)
    tally, wall = asyncio.run(crowd(ws_url, n, views))
    return summarise(tally, wall, n, views, pids, cpu_seconds(pids) - cpu)


def ws_url(base: str) -> str:
    """The websocket URL of a server's base URL."""
    return base.replace("http://", "ws://", 1) + "/_stcore/stream"


class Nginx:
    """A throwaway nginx (deploy.nginx's site, standalone) in front of backends."""

    def __init__(self, backends: list[str], folder: Path) -> None:
        """Render the config for backends; start() runs it."""
        from deploy import nginx
        from tests.browser_support import free_port

        self.port = free_port()
        self.folder = folder
        self.conf = folder / "nginx.conf"
        site = nginx.render(backends, listen=f"127.0.0.1:{self.port}")
        user = "root" if os.geteuid() == 0 else None
        self.conf.write_text(nginx.standalone(site, folder, user=user), encoding="utf-8")
        self.proc: subprocess.Popen | None = None

    def start(self) -> str:
        """Start nginx in the foreground of a child process; its base URL."""
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        cmd = [binary, "-c", str(self.conf), "-p", str(self.folder)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                    return base
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"nginx did not answer; see {self.folder}")

    def stop(self) -> None:
        """Stop nginx."""
        if self.proc is not None:
            stop(self.proc)


def servers_run(
    script: str,
    env: dict[str, str],
    k: int,
    folder: Path,
    ns: list[int],
    views: int,
    cold: bool = False,
) -> list[dict[str, Any]]:
    """Start K servers of a script (behind nginx when K > 1), run every N (cold: each on servers
    just started, no viewer before), stop them."""
    if cold and len(ns) > 1:
        return [r for n in ns for r in servers_run(script, env, k, folder, [n], views, cold)]
    procs = []
    proxy = None
    try:
        for i in range(k):
            proc, base = serve(script, env, folder / f"{Path(script).stem}-{k}-{i}.log")
            procs.append((proc, base))
        base = procs[0][1]
        if k > 1:
            proxy = Nginx([b.removeprefix("http://") for _, b in procs], folder)
            base = proxy.start()
        pids = [p.pid for p, _ in procs]
        warm = [] if cold else [ws_url(b) for _, b in procs]
        out = []
        for n in ns:
            row = measure(ws_url(base), pids, n, views, warm)
            print(
                f"  {Path(script).stem} x{k} N={n}{' cold' if cold else ''}: p95 {row['p95_ms']} "
                f"ms, {row['views_per_s']} views/s, failed {row['failed_sessions']}, "
                f"exceptions {row['exceptions']}",
                file=sys.stderr,
                flush=True,
            )
            out.append(row)
        return out
    finally:
        if proxy is not None:
            proxy.stop()
        for proc, _ in procs:
            stop(proc)


def run(
    store_url: str, ns: list[int], views: int, servers: int, folder: Path, cold: bool = False
) -> dict[str, Any]:
    """The load benchmark: the empty page and the app at every N, one server (and K behind
    nginx when servers > 1)."""
    folder.mkdir(parents=True, exist_ok=True)
    empty = folder / "empty_page.py"
    empty.write_text(EMPTY_PAGE, encoding="utf-8")
    env = {"DATABASE_URL": store_url, "KPI_ANONYMOUS_READ": "1", "KPI_BASEMAP": "none"}
    env["STREAMLIT_SERVER_COOKIE_SECRET"] = "bench-load-shared-secret"
    out: dict[str, Any] = {
        "date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "loadavg_before": loadavg(),
        "store": store_url.rsplit("/", 1)[-1],
        "cold": cold,
        "views": [f"{p}?{q}" if q else p for p, q in VIEWS],
        "runs": [],
    }
    started = time.perf_counter()
    for k in sorted({1, servers}):
        empty_rows = servers_run(str(empty), {}, k, folder, ns, views, cold)
        app_rows = servers_run("serve.py", env, k, folder, ns, views, cold)
        for n, e, a in zip(ns, empty_rows, app_rows, strict=True):
            ratio = round(a["p95_ms"] / e["p95_ms"], 2) if a["p95_ms"] and e["p95_ms"] else None
            out["runs"].append({"servers": k, "viewers": n, "app": a, "empty": e, "ratio": ratio})
    out["loadavg_after"] = loadavg()
    out["minutes"] = round((time.perf_counter() - started) / 60, 1)
    return out


def run_against(base: str, pids: list[int], ns: list[int], views: int, folder: Path) -> dict:
    """The load benchmark against a deployment already running at base (e.g. `make run-cores`),
    beside an empty page started here; CPU and RSS are those of the given server pids."""
    folder.mkdir(parents=True, exist_ok=True)
    empty = folder / "empty_page.py"
    empty.write_text(EMPTY_PAGE, encoding="utf-8")
    out: dict[str, Any] = {
        "date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "loadavg_before": loadavg(),
        "url": base,
        "views": [f"{p}?{q}" if q else p for p, q in VIEWS],
        "runs": [],
    }
    empty_rows = servers_run(str(empty), {}, 1, folder, ns, views)
    for n, e in zip(ns, empty_rows, strict=True):
        a = measure(ws_url(base.rstrip("/")), pids, n, views)
        ratio = round(a["p95_ms"] / e["p95_ms"], 2) if a["p95_ms"] and e["p95_ms"] else None
        out["runs"].append(
            {"servers": len(pids) or None, "viewers": n, "app": a, "empty": e, "ratio": ratio}
        )
    out["loadavg_after"] = loadavg()
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the load benchmark and print its JSON."""
    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    p.add_argument("--n", default="1,10,50", help="comma list of viewer counts")
    p.add_argument("--views", type=int, default=4, help="views per viewer")
    p.add_argument("--store", default="", help="database URL (default: the bench seed store)")
    p.add_argument("--servers", type=int, default=1, help="also K app servers behind nginx")
    p.add_argument("--folder", default="", help="where logs go (default: a temp folder)")
    p.add_argument("--cold", action="store_true", help="no warm-up: servers just started")
    p.add_argument("--url", default="", help="load a deployment already running here instead")
    p.add_argument("--pids", default="", help="with --url: its app servers' pids (CPU, RSS)")
    args = p.parse_args(argv)
    try:
        ns = [int(x) for x in args.n.split(",") if x.strip()]
    except ValueError:
        p.error("--n takes a comma list of whole numbers, e.g. 1,10,50")
    if not ns or min(ns) < 1 or args.views < 1 or args.servers < 1:
        p.error("--n, --views and --servers must be at least 1")
    store_url = args.store or f"sqlite:///{ROOT / 'bench' / 'results' / 'seed.db'}"
    folder = Path(args.folder) if args.folder else Path(tempfile.mkdtemp(prefix="bench_load_"))
    if args.url:
        try:
            pids = [int(x) for x in args.pids.split(",") if x.strip()]
        except ValueError:
            p.error("--pids takes a comma list of process ids")
        out = run_against(args.url, pids, ns, args.views, folder)
    else:
        out = run(store_url, ns, args.views, args.servers, folder, args.cold)
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
