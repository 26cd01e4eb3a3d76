"""Writing outputs: permissions from the umask, recognisable temporary files that a later
run removes, Danish messages that name the real cause, and no output over an input."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sagsgenerator import output
from sagsgenerator.cli import cli
from sagsgenerator.errors import OutputError
from sagsgenerator.output import (TEMP_NAME, atomic_write, refuse_overwrite,
                                  remove_stale_temporaries, write_bytes)

SRC = str(Path(__file__).resolve().parents[1] / "src")


@pytest.fixture
def umask():
    """Set the umask for one test (and forget the cached one)."""
    previous = os.umask(0o022)
    os.umask(previous)

    def set_mask(mask: int) -> None:
        os.umask(mask)
        output._umask.cache_clear()
    yield set_mask
    os.umask(previous)
    output._umask.cache_clear()


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_outputs_get_the_permissions_of_the_umask(tmp_path, umask, mask, mode):
    umask(mask)
    target = write_bytes(tmp_path / "ud" / "a.docx", b"data")
    assert target.stat().st_mode & 0o777 == mode
    assert target.read_bytes() == b"data"


def test_temporary_file_is_recognisable_and_removed(tmp_path):
    seen = []

    def write(tmp: Path) -> None:
        seen.append(tmp)
        tmp.write_bytes(b"x")
    atomic_write(tmp_path / "gruppe-02-markeret.xlsx", write)
    (tmp,) = seen
    match = TEMP_NAME.match(tmp.name)
    assert match and int(match.group(1)) == os.getpid()
    assert tmp.name.startswith(".~sagsgenerator-") and tmp.name.endswith(".tmp.xlsx")
    assert "gruppe-02-markeret" in tmp.name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gruppe-02-markeret.xlsx"]


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_temporaries_of_dead_runs_are_removed(tmp_path):
    dead = tmp_path / f".~sagsgenerator-{_dead_pid()}-gruppe-02-abc.tmp.xlsx"
    mine = tmp_path / f".~sagsgenerator-{os.getpid()}-gruppe-03-abc.tmp.xlsx"
    parent = tmp_path / f".~sagsgenerator-{os.getppid()}-gruppe-04-abc.tmp.docx"
    old = tmp_path / f".~sagsgenerator-{os.getppid()}-gruppe-05-abc.tmp.pdf"
    user = tmp_path / ".gruppe-06-markeret.xlsx"        # not ours: never touched
    other = tmp_path / "gruppe-07.xlsx"
    for path in (dead, mine, parent, old, user, other):
        path.write_bytes(b"x")
    hour_ago = time.time() - 2 * 3600
    os.utime(old, (hour_ago, hour_ago))
    removed = remove_stale_temporaries(tmp_path)
    assert sorted(removed) == sorted([dead, old])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.name for p in (mine, parent, user, other))
    assert remove_stale_temporaries(tmp_path / "findes-ikke") == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_temporary_of_an_ended_but_unreaped_writer_is_removed(tmp_path):
    # A killed run's worker that nobody waits for stays a zombie: os.kill(pid, 0) still
    # finds it, but it writes nothing more (CI's pid 1 reaps no one).
    zombie = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        deadline = time.monotonic() + 10
        while not output._zombie(zombie.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert output._zombie(zombie.pid)
        os.kill(zombie.pid, 0)                       # still found: what fooled the check
        left = tmp_path / f".~sagsgenerator-{zombie.pid}-gruppe-02-abc.tmp.docx"
        left.write_bytes(b"halv")
        assert remove_stale_temporaries(tmp_path) == [left]
        assert not output._zombie(os.getpid()) and output._alive(os.getppid())
    finally:
        zombie.wait()


def test_a_run_killed_mid_write_leaves_a_temporary_the_next_run_removes(tmp_path):
    script = (f"import sys, os, signal; sys.path.insert(0, {SRC!r})\n"
              "from pathlib import Path\n"
              "from sagsgenerator.output import atomic_write\n"
              "def write(tmp):\n"
              "    tmp.write_bytes(b'halv')\n"
              "    os.kill(os.getpid(), signal.SIGKILL)\n"
              f"atomic_write(Path({str(tmp_path / 'a.docx')!r}), write)\n")
    subprocess.run([sys.executable, "-c", script])
    (left,) = list(tmp_path.iterdir())
    assert TEMP_NAME.match(left.name)
    assert remove_stale_temporaries(tmp_path) == [left]
    assert list(tmp_path.iterdir()) == []


def test_missing_source_is_said_as_missing_not_as_open_in_word(tmp_path):
    source = tmp_path / "skabeloner" / "sagsfremstilling.docx"
    target = tmp_path / "ud" / "sagsfremstilling.docx"
    with pytest.raises(OutputError) as info:
        atomic_write(target, lambda tmp: tmp.write_bytes(source.read_bytes()))
    assert info.value.danish == (f"Filen '{source}' findes ikke, så '{target}' kunne ikke "
                                 "skrives.")
    assert "Word" not in info.value.danish
    assert list(target.parent.iterdir()) == []


def _raise(error: OSError):
    def write(tmp: Path) -> None:
        tmp.write_bytes(b"halv")
        raise error
    return write


@pytest.mark.parametrize("code, winerror, expected", [
    (errno.ENOSPC, None, "kunne ikke skrives: disken er fuld. Frigør plads, og prøv igen."),
    (errno.EROFS, None, "kunne ikke skrives: drevet er skrivebeskyttet."),
    (errno.EBUSY, None, "kan ikke overskrives, fordi den er åben i et andet program (fx Word "
                        "eller Excel). Luk den og prøv igen."),
    (errno.ETXTBSY, None, "kan ikke overskrives, fordi den er åben i et andet program (fx "
                          "Word eller Excel). Luk den og prøv igen."),
    (errno.EACCES, 32, "kan ikke overskrives, fordi den er åben i et andet program (fx Word "
                       "eller Excel). Luk den og prøv igen."),   # Windows: sharing violation
    (errno.EPERM, None, "kan ikke overskrives; den er måske åben i Word eller Excel. Luk den "
                        "og prøv igen."),                       # locked (chattr +i)
    (errno.EACCES, None, "kan ikke overskrives: du har ikke adgang til at ændre den, eller den "
                         "er skrivebeskyttet. Bed om adgang, eller vælg et andet sted."),
    (errno.EISDIR, None, "kunne ikke skrives: der ligger en mappe med filens navn."),
])
def test_each_cause_has_its_own_message(tmp_path, code, winerror, expected):
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"den gamle")
    error = OSError(code, os.strerror(code))
    if winerror:
        error.winerror = winerror
    with pytest.raises(OutputError) as info:
        atomic_write(target, _raise(error))
    assert info.value.danish == f"Filen '{target}' {expected}"
    assert target.read_bytes() == b"den gamle"            # untouched
    assert [p.name for p in tmp_path.iterdir()] == ["a.xlsx"]  # no temporary left


def test_full_disk_in_skabelon_is_one_danish_line(runner, tmp_path, monkeypatch):
    target = tmp_path / "skabelon.xlsx"

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(output, "open", full, raising=False)
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    result = runner.invoke(cli, ["skabelon", "--ud", str(target)])
    import gc
    gc.collect()
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"Fejl: Filen '{target}' kunne ikke skrives: disken er fuld. Frigør plads, og prøv igen."]
    assert unraisable == [] and list(tmp_path.iterdir()) == []


def test_full_disk_in_skabelon_prints_nothing_at_exit(tmp_path):
    """In a process of its own: nothing like 'Exception ignored in: <function
    ZipFile.__del__>' when the interpreter exits."""
    target = tmp_path / "skabelon.xlsx"
    script = (f"import sys, errno; sys.path.insert(0, {SRC!r})\n"
              "from sagsgenerator import output\n"
              "def full(*a, **k): raise OSError(errno.ENOSPC, 'No space left on device')\n"
              "output.open = full\n"
              "from sagsgenerator.cli import main\n"
              f"sys.argv = ['sagsgenerator', 'skabelon', '--ud', {str(target)!r}]\n"
              "main()\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"Fejl: Filen '{target}' kunne ikke skrives: disken er fuld. Frigør plads, og prøv igen."]


def test_output_never_equals_or_lies_inside_an_input(tmp_path):
    folder = tmp_path / "ind"
    folder.mkdir()
    source = folder / "a.xlsx"
    source.write_bytes(b"x")
    link = tmp_path / "link.xlsx"
    link.symlink_to(source)
    hard = tmp_path / "hard.xlsx"
    os.link(source, hard)
    for target in (source, folder / "." / "a.xlsx", tmp_path / "ind" / ".." / "ind" / "a.xlsx",
                   link, hard):
        with pytest.raises(OutputError) as info:
            refuse_overwrite(target, [source])
        assert info.value.danish == (
            f"Uddata '{target}' er den samme fil som inddata '{source}'. Inddata overskrives "
            "aldrig: vælg en anden fil eller mappe til uddata.")
    with pytest.raises(OutputError) as info:
        refuse_overwrite([tmp_path / "ok.docx", source / "x.docx"], [source])
    assert info.value.danish == (f"Uddata '{source / 'x.docx'}' ligger inde i inddatafilen "
                                 f"'{source}'. Vælg en anden mappe til uddata.")
    with pytest.raises(OutputError):            # a file written where the input folder is
        refuse_overwrite(folder, [folder])
    refuse_overwrite(folder / "output" / "a.docx", [folder])   # the pipeline skips it
    refuse_overwrite(tmp_path / "b.xlsx", [source, folder])
