"""A run stopped at any moment (Ctrl+C, SIGTERM, SIGKILL) leaves no worker running, no
half-written file, no traceback, and the register as it was (issue 12 item 4)."""

from __future__ import annotations

import ctypes
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOL = Path(sys.executable).parent / "sagsgenerator"
PR_SET_CHILD_SUBREAPER = 36


@pytest.fixture(scope="module")
def thousand(tmp_path_factory) -> Path:
    """1,000 proposals in 125 workbooks (the benchmark's batch)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench import make_batch

    folder = tmp_path_factory.mktemp("tusind") / "indsendt"
    folder.mkdir()
    make_batch(folder, 1000)
    return folder


def _session_processes(session: int, zombies: bool = False) -> list[int]:
    """Processes still alive in a process session (the run and its workers); with
    `zombies`, also those that ended and nobody reaped."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and (zombies or fields[0] != "Z"):
            alive.append(int(entry.name))
    return alive


def _every_file_opens(folder: Path) -> int:
    count = 0
    for path in folder.iterdir():
        assert not path.name.startswith("."), f"temporary file left: {path.name}"
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                assert archive.testzip() is None and "word/document.xml" in archive.namelist()
        elif path.suffix == ".xlsx":
            openpyxl.load_workbook(path, read_only=True).close()
        count += 1
    return count


@pytest.fixture
def unreaped():
    """Orphans stay zombies, as in a container whose pid 1 reaps no one (CI): this process
    becomes the subreaper of what it starts and waits for none of the orphans until the
    test ends. Yields the list to put their session ids in."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        pytest.skip("prctl(PR_SET_CHILD_SUBREAPER) is not allowed here")
    sessions: list[int] = []
    try:
        yield sessions
    finally:
        libc.prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)
        for entry in Path("/proc").iterdir():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == os.getpid() and int(fields[3]) in sessions:
                    os.waitpid(int(entry.name), os.WNOHANG)
            except (OSError, ValueError, IndexError):
                continue


def _wait_for(process: subprocess.Popen, out: Path, after: float | int) -> None:
    """Until `after` seconds have passed (a float: reading, planning, the first documents),
    or `after` case papers are written (an int: mid-way through the documents, before the
    round is committed, whatever the machine's speed)."""
    deadline = time.monotonic() + (after if isinstance(after, float) else 120)
    while time.monotonic() < deadline and process.poll() is None:
        if isinstance(after, int) and out.is_dir() and \
                sum(1 for _ in out.glob("sagsfremstilling-*.docx")) >= after:
            return
        time.sleep(0.02)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how, after", [
    (signal.SIGTERM, 1.0), (signal.SIGTERM, 300), (signal.SIGINT, 500),
    (signal.SIGKILL, 1.5), (signal.SIGKILL, 700),
], ids=["term-early", "term-late", "int", "kill-early", "kill-late"])
def test_a_stopped_run_leaves_nothing_behind(thousand, tmp_path, unreaped, how, after):
    out, db = tmp_path / "ud", tmp_path / "sagsgenerator.db"
    argv = [str(TOOL), "generer", str(thousand), "--ud", str(out), "--register", str(db),
            "--dato", "2026-12-02", "--processer", "2"]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True, cwd=tmp_path)
    unreaped.append(process.pid)
    _wait_for(process, out, after)
    if process.poll() is not None:
        pytest.skip(f"the run ended before it was stopped ({after}; machine faster than planned)")
    os.kill(process.pid, how)
    stdout, stderr = process.communicate(timeout=60)
    err = stderr.decode()
    if how is signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
    else:
        assert process.returncode == 128 + how, err
        assert "Traceback" not in err and "Exception ignored" not in err, err
        assert err.strip().splitlines()[-1] == "Afbrudt: intet halvt skrevet er efterladt.", err
    deadline = time.monotonic() + 10
    while _session_processes(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _session_processes(process.pid) == [], "a worker outlived its run"
    if out.exists():
        for stale in out.iterdir():          # what the killed run may have left ...
            if stale.name.startswith("."):
                break
        else:
            _every_file_opens(out)
    if db.exists():                           # the round was never committed
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if "proposals" in tables:
                assert conn.execute("SELECT count(*) FROM proposals").fetchone()[0] == 0
    # ... the next run removes, and finishes with every file whole.
    again = subprocess.run(argv, capture_output=True, cwd=tmp_path, timeout=300)
    assert again.returncode in (0, 1), again.stderr.decode()
    assert _every_file_opens(out) >= 1000


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how, after", [(signal.SIGINT, 0.5), (signal.SIGINT, 0.8)])
def test_a_small_run_stopped_waits_for_its_helper(tmp_path, unreaped, how, after):
    """A small `generer` starts its helper before anything else (processes.early_helper).
    Stopped, it lets the helper finish the document under way and waits for it: nothing
    half-written, and no helper left behind, not even as a zombie nobody reaps."""
    out = tmp_path / "ud"
    argv = [str(TOOL), "generer", str(ROOT / "input" / "boern-og-unge.xlsx"),
            str(ROOT / "input" / "kronisk-sygdom.xlsx"), "--ud", str(out),
            "--register", str(tmp_path / "r.db"), "--dato", "2026-12-02"]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True, cwd=tmp_path)
    unreaped.append(process.pid)
    time.sleep(after)
    if process.poll() is not None:
        pytest.skip(f"the run ended before it was stopped ({after} s)")
    os.kill(process.pid, how)
    stdout, stderr = process.communicate(timeout=60)
    err = stderr.decode()
    # What this test is about is the helper, below. The exit itself: a stop, or the end
    # of the run if the signal came as it ended (at interpreter exit it kills Python).
    # A signal that lands inside an import can make Python print "Exception ignored"
    # (known, not the helper's doing; see the issue note), so stderr is not read here.
    if "filer skrevet på" in stdout.decode():
        assert process.returncode in (0, -how), err
    else:
        assert process.returncode in (1, 128 + how, -how), err
    time.sleep(0.5)
    assert _session_processes(process.pid, zombies=True) == []
    if out.exists():
        assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


IMPORT_SCRIPT = """\
import os, signal, sys, threading, time
sys.path.insert(0, sys.argv[1])
from sagsgenerator.processes import Stopped, stop_on_signals
stop_on_signals()
threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGTERM)).start()
try:
    import langsomt_modul
    print("imported", langsomt_modul_done(), flush=True)
    time.sleep(10)
    print("never stopped")
except Stopped as exc:
    print("stopped after the import", exc.exit_code)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals to itself")
def test_sigterm_during_an_import_stops_after_it(tmp_path):
    """SIGTERM raises Stopped where the main process is; inside Python's import machinery
    that would be swallowed ("Exception ignored") and leave a module half made. It is
    raised once the import is done (the signal is sent again every 50 ms until then)."""
    (tmp_path / "langsomt_modul.py").write_text(
        "import builtins, time\n"
        "for _ in range(10):\n"
        "    time.sleep(0.05)\n"
        "builtins.langsomt_modul_done = lambda: 'whole'\n")
    done = subprocess.run([sys.executable, "-c", IMPORT_SCRIPT, str(tmp_path)],
                          capture_output=True, text=True, timeout=30,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["imported whole", "stopped after the import 143"]
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr
