"""Load benchmark: `python -m bench.load [--n 1,10,50] [--views 4] [--rounds 2] [--servers K]`.

N simulated viewers at once against one app server (or K behind nginx), driven at the protocol
level (a browser per viewer does not fit on 2 cores): each viewer opens the websocket at
`/_stcore/stream` as Streamlit's frontend does, and asks for its views one after another with
the installed streamlit's own protobuf messages (a BackMsg `rerun_script` carrying the page and its
query string), waiting each time for the ForwardMsg `script_finished` that ends the run. Viewers read
without an account (KPI_ANONYMOUS_READ=1); viewer i starts at view i of the mix, so every view is
asked for as often as the others. The app's servers and the empty page's (title + one line) run at
the same time, both started and warmed by one viewer of every view before any N (unless --cold:
then every N meets servers just started, no viewer before, one round); for every N the crowds
alternate empty, app, app, empty (ABBA), --rounds times (default 2), one crowd at a time, so both
sides meet the same machine load, and each side's crowds are pooled. Reported per N and side:
p50 / p95 / max per view, views per second, failed sessions, exceptions shown on the page, the
servers' peak RSS, CPU and CPU milliseconds per view (which depends little on other load on the
machine), and the ratio of the p95s. Prints one JSON document. With `--url BASE [--pids P,P]` it
loads a deployment already running (e.g. `make run-cores`: one app server per core behind nginx)
instead of starting its own.

The empty page runs on Streamlit's own defaults (a stock page: the file watcher and the full
garbage collection after every run, which the app's .streamlit/config.toml turns off), as the
issue's baseline did; `--served-empty` runs it on the app's settings instead, to show what the app's
pages cost above Streamlit's floor.
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

from bench.browser import EMPTY_PAGE, loadavg, serve, stop

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
# Streamlit's defaults for the two settings the app's config changes (env overrides config.toml).
STOCK_SETTINGS = {
    "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "auto",
    "STREAMLIT_RUNNER_POST_SCRIPT_GC": "true",
}


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
        "cpu_ms_per_view": round(1000 * cpu / len(every), 1) if every else None,
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


class Deployment:
    """K servers of one script (behind a throwaway nginx when K > 1), started by start()."""

    def __init__(self, script: str, env: dict[str, str], k: int, folder: Path) -> None:
        """Remember what to start; nothing runs yet."""
        self.script, self.env, self.k, self.folder = script, env, k, folder
        self.procs: list[subprocess.Popen] = []
        self.pids: list[int] = []  # the servers' process ids (CPU and RSS are theirs)
        self.bases: list[str] = []  # each server's own base URL
        self.proxy: Nginx | None = None
        self.url = ""

    def start(self) -> Deployment:
        """Start every server (and nginx); the websocket URL viewers open is self.url."""
        for i in range(self.k):
            log = self.folder / f"{Path(self.script).stem}-{self.k}-{i}.log"
            proc, base, _ = serve(self.script, self.env, log)
            self.procs.append(proc)
            self.pids.append(proc.pid)
            self.bases.append(base)
        base = self.bases[0]
        if self.k > 1:
            self.proxy = Nginx([b.removeprefix("http://") for b in self.bases], self.folder)
            base = self.proxy.start()
        self.url = ws_url(base)
        return self

    def warm(self) -> None:
        """One viewer of every view at each backend (every cache a first visit fills is full)."""
        for base in self.bases:
            asyncio.run(crowd(ws_url(base), 1, len(VIEWS)))

    def stop(self) -> None:
        """Stop nginx and the servers."""
        if self.proxy is not None:
            self.proxy.stop()
        for proc in self.procs:
            stop(proc)


@dataclass
class Side:
    """One side (the app or the empty page) of an alternating run: its crowds pooled."""

    tally: Tally = field(default_factory=Tally)
    wall: float = 0.0
    cpu: float = 0.0

    def add(self, tally: Tally, wall: float, cpu: float) -> None:
        """Pool one crowd's views, wall time and server CPU into the side."""
        for view, times in tally.times.items():
            self.tally.times.setdefault(view, []).extend(times)
        self.tally.failed += tally.failed
        self.tally.exceptions += tally.exceptions
        self.tally.reruns += tally.reruns
        self.tally.second_runs += tally.second_runs
        self.wall += wall
        self.cpu += cpu


def alternate(sides: dict[str, Deployment], n: int, views: int, rounds: int) -> dict[str, dict]:
    """N viewers against each side in turn, ABBA (empty, app, app, empty) `rounds` times, every
    crowd on its own with the other side's servers idle but up, so both sides meet the same
    machine load; per side its crowds pooled (CPU is the side's servers' CPU during its crowds)."""
    order = ["empty", "app", "app", "empty"] * rounds
    pooled = {name: Side() for name in sides}
    for name in order:
        dep = sides[name]
        cpu = cpu_seconds(dep.pids)
        tally, wall = asyncio.run(crowd(dep.url, n, views))
        pooled[name].add(tally, wall, cpu_seconds(dep.pids) - cpu)
    return {
        name: summarise(side.tally, side.wall, n, views, sides[name].pids, side.cpu)
        | {"crowds": order.count(name), "order": "ABBA"}
        for name, side in pooled.items()
    }


def ratio(app: dict[str, Any], empty: dict[str, Any]) -> float | None:
    """The app's p95 over the empty page's (None when either is missing)."""
    return round(app["p95_ms"] / empty["p95_ms"], 2) if app["p95_ms"] and empty["p95_ms"] else None


def progress(k: int | None, n: int, cold: bool, row: dict[str, dict]) -> None:
    """One line on stderr per N: both sides' p95, views/s and CPU per view."""
    parts = [
        f"{name} p95 {r['p95_ms']} ms, {r['views_per_s']} views/s, CPU {r['cpu_ms_per_view']} "
        f"ms/view, failed {r['failed_sessions']}, exceptions {r['exceptions']}"
        for name, r in row.items()
    ]
    tag = f"x{k} N={n}{' cold' if cold else ''}"
    print(f"  {tag}: " + "; ".join(parts), file=sys.stderr, flush=True)


def paired_run(
    sides: dict[str, Deployment], k: int | None, ns: list[int], views: int, rounds: int, cold: bool
) -> list[dict[str, Any]]:
    """Every N against sides already started (and warmed unless cold); one result row per N."""
    out = []
    for n in ns:
        row = alternate(sides, n, views, rounds)
        progress(k, n, cold, row)
        a, e = row["app"], row["empty"]
        out.append({"servers": k, "viewers": n, "app": a, "empty": e, "ratio": ratio(a, e)})
    return out


def servers_run(
    script: str, env: dict[str, str], empty: str, k: int, folder: Path, opts: dict[str, Any]
) -> list[dict[str, Any]]:
    """K app servers and K empty-page servers, all started (and warmed, unless cold) before any
    N, then every N alternating between them; cold: fresh servers for each N and one round (the
    later crowds of a round would no longer be first visits)."""
    ns, views, cold = opts["ns"], opts["views"], opts["cold"]
    if cold and len(ns) > 1:
        return [
            r for n in ns for r in servers_run(script, env, empty, k, folder, opts | {"ns": [n]})
        ]
    empty_env = {} if opts.get("served_empty") else STOCK_SETTINGS
    sides = {
        "empty": Deployment(empty, empty_env, k, folder),
        "app": Deployment(script, env, k, folder),
    }
    try:
        for dep in sides.values():
            dep.start()
        if not cold:
            for dep in sides.values():
                dep.warm()
        return paired_run(sides, k, ns, views, 1 if cold else opts["rounds"], cold)
    finally:
        for dep in sides.values():
            dep.stop()


def header(folder: Path) -> tuple[Path, dict[str, Any]]:
    """Write the empty page into folder; its path and the result's common fields."""
    folder.mkdir(parents=True, exist_ok=True)
    empty = folder / "empty_page.py"
    empty.write_text(EMPTY_PAGE, encoding="utf-8")
    out: dict[str, Any] = {
        "date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "loadavg_before": loadavg(),
        "views": [f"{p}?{q}" if q else p for p, q in VIEWS],
        "runs": [],
    }
    return empty, out


def run(
    store_url: str,
    ns: list[int],
    views: int,
    servers: int,
    folder: Path,
    cold: bool = False,
    rounds: int = 2,
    served_empty: bool = False,
) -> dict[str, Any]:
    """The load benchmark: the app beside the empty page at every N, on one server (and on K
    behind nginx when servers > 1)."""
    empty, out = header(folder)
    out |= {"store": store_url.rsplit("/", 1)[-1], "cold": cold, "rounds": rounds}
    out["empty_settings"] = "served" if served_empty else "stock"
    env = {"DATABASE_URL": store_url, "KPI_ANONYMOUS_READ": "1", "KPI_BASEMAP": "none"}
    env["STREAMLIT_SERVER_COOKIE_SECRET"] = "bench-load-shared-secret"
    started = time.perf_counter()
    opts = {"ns": ns, "views": views, "cold": cold, "rounds": rounds, "served_empty": served_empty}
    for k in sorted({1, servers}):
        out["runs"] += servers_run("serve.py", env, str(empty), k, folder, opts)
    out["loadavg_after"] = loadavg()
    out["minutes"] = round((time.perf_counter() - started) / 60, 1)
    return out


def run_against(
    base: str, pids: list[int], ns: list[int], views: int, folder: Path, rounds: int = 2
) -> dict:
    """The load benchmark against a deployment already running at base (e.g. `make run-cores`),
    alternating with an empty page started here; CPU and RSS are those of the given server pids."""
    empty, out = header(folder)
    out |= {"url": base, "rounds": rounds}
    app = Deployment("", {}, len(pids), folder)  # running already: only its URL and pids
    app.url, app.pids, app.bases = ws_url(base.rstrip("/")), pids, [base.rstrip("/")]
    out["empty_settings"] = "stock"
    sides = {"empty": Deployment(str(empty), STOCK_SETTINGS, 1, folder).start(), "app": app}
    try:
        for dep in sides.values():
            dep.warm()
        out["runs"] = paired_run(sides, len(pids) or None, ns, views, rounds, False)
    finally:
        sides["empty"].stop()
    out["loadavg_after"] = loadavg()
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the load benchmark and print its JSON."""
    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    p.add_argument("--n", default="1,10,50", help="comma list of viewer counts")
    p.add_argument("--views", type=int, default=4, help="views per viewer")
    p.add_argument(
        "--rounds", type=int, default=2, help="ABBA rounds per N (empty, app, app, empty)"
    )
    p.add_argument("--store", default="", help="database URL (default: the bench seed store)")
    p.add_argument("--servers", type=int, default=1, help="also K app servers behind nginx")
    p.add_argument("--folder", default="", help="where logs go (default: a temp folder)")
    p.add_argument("--cold", action="store_true", help="no warm-up: servers just started")
    p.add_argument(
        "--served-empty", action="store_true", help="the empty page on the app's settings"
    )
    p.add_argument("--url", default="", help="load a deployment already running here instead")
    p.add_argument("--pids", default="", help="with --url: its app servers' pids (CPU, RSS)")
    args = p.parse_args(argv)
    try:
        ns = [int(x) for x in args.n.split(",") if x.strip()]
    except ValueError:
        p.error("--n takes a comma list of whole numbers, e.g. 1,10,50")
    if not ns or min(ns) < 1 or min(args.views, args.servers, args.rounds) < 1:
        p.error("--n, --views, --servers and --rounds must be at least 1")
    store_url = args.store or f"sqlite:///{ROOT / 'bench' / 'results' / 'seed.db'}"
    folder = Path(args.folder) if args.folder else Path(tempfile.mkdtemp(prefix="bench_load_"))
    if args.url:
        try:
            pids = [int(x) for x in args.pids.split(",") if x.strip()]
        except ValueError:
            p.error("--pids takes a comma list of process ids")
        out = run_against(args.url, pids, ns, args.views, folder, args.rounds)
    else:
        out = run(
            store_url,
            ns,
            args.views,
            args.servers,
            folder,
            args.cold,
            args.rounds,
            args.served_empty,
        )
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
