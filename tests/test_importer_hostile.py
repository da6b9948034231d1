"""Hostile workbooks (issue 13): a 1 MB .xlsx expanding to 1 GB is refused before parsing, in
under a second and 200 MB; parsing runs in a worker process under a time and a memory limit, so a
file that needs too much of either is refused and the calling process carries on. (The smaller
hostile files, macro-enabled, encrypted, many parts or strings, are in tests/data/bad.)"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lib.ingest import guard, importer
from tests.importer_support import dump_store

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data" / "bad"))
import _generate  # noqa: E402  (the corpus generator makes the large files)


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1 MB .xlsx whose one cell expands to 1 GB (made here: too large to keep in git)."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    path.write_bytes(_generate.bomb_xlsx(1024))
    return path


def test_that_the_bomb_is_small_and_expands_to_a_gigabyte(bomb: Path) -> None:
    """Test that the generated bomb is the reported case: about 1 MB declaring about 1 GB."""
    import zipfile

    assert bomb.stat().st_size < 2 * 2**20
    assert sum(i.file_size for i in zipfile.ZipFile(bomb).infolist()) > 2**30


def test_that_a_bomb_is_refused_within_a_second(seeded_copy: str, bomb: Path) -> None:
    """Test that prepare() refuses the bomb, naming the limit, in under a second, writing
    nothing."""
    before = dump_store(seeded_copy)
    started = time.perf_counter()
    plan = importer.prepare(bomb.read_bytes(), bomb.name)
    elapsed = time.perf_counter() - started
    assert [p.line("zh") for p in plan.problems] == [
        "文件：Excel 文件解压后约 1024 MB，超过 150 MB 的上限（可能是恶意构造的文件）；"
        "请只保留需要上传的数据后另存"
    ]
    assert elapsed < 1.0
    assert dump_store(seeded_copy) == before


# The peak is VmHWM, the peak resident size of this address space (reset by exec), not its
# ru_maxrss, which Linux carries over from the (large) pytest process that forked it; the workers
# it starts itself count by their ru_maxrss.
MEASURED_IMPORT = """
import re, resource, sys
from lib import cli
code = cli.main(["import", sys.argv[1], "--yes"])
status = open("/proc/self/status", encoding="ascii").read()
own = int(re.search(r"VmHWM:\\s+(\\d+)", status).group(1))
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # any worker it started
print(f"peak_kb={max(own, children)}", file=sys.stderr)
sys.exit(code)
"""


def test_that_a_bomb_import_stays_under_200_mb(seeded_copy: str, bomb: Path) -> None:
    """Test that `import` of the bomb (the CLI in a fresh process) exits 1 with the reason and
    that process, with any it started, never holds 200 MB."""
    env = {**os.environ, "DATABASE_URL": seeded_copy}
    proc = subprocess.run(
        [sys.executable, "-c", MEASURED_IMPORT, str(bomb)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert "超过 150 MB 的上限" in proc.stdout
    assert "Traceback" not in proc.stderr
    peak_mb = int(proc.stderr.rsplit("peak_kb=", 1)[1].split()[0]) / 1024
    assert peak_mb < 200, proc.stderr


def test_that_a_parse_past_the_time_limit_is_stopped(
    seeded_copy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that a workbook whose parse runs past the worker's time is refused with the time
    message (the worker killed), writing nothing."""
    monkeypatch.setattr(guard, "PARSE_SECONDS", 0.05)
    before = dump_store(seeded_copy)
    started = time.perf_counter()
    plan = importer.prepare(_generate.bomb_xlsx(100), "slow.xlsx")
    assert [p.line("zh") for p in plan.problems] == [
        "文件：读取 Excel 文件超过 0.05 秒仍未完成，已停止；请减少行数或另存为 CSV 后上传"
    ]
    assert time.perf_counter() - started < 10
    assert dump_store(seeded_copy) == before


def test_that_an_xlsx_needing_more_than_the_worker_has_is_refused_cleanly(
    seeded_copy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Test that a workbook under the size limit whose one cell expands to 100 MB is parsed under
    the worker's memory cap: with the cap at 64 MB it is refused with the memory message, the
    caller carries on and nothing is written."""
    monkeypatch.setattr(guard, "PARSE_MEMORY", 64 * 2**20)
    before = dump_store(seeded_copy)
    plan = importer.prepare(_generate.bomb_xlsx(100), "big.xlsx")
    assert [p.line("zh") for p in plan.problems] == [
        "文件：读取 Excel 文件需要超过 64 MB 内存，已停止；请减少行数或另存为 CSV 后上传"
    ]
    assert dump_store(seeded_copy) == before
