"""Writing outputs safely: to a temporary file beside the target, then moved into place.

An interrupted run leaves no half-written file, and an existing output is replaced only
when its new version was written in full. A temporary file is named
`.~sagsgenerator-<pid>-<stem>-<random>.tmp<suffix>`, so that the next run can tell the
ones a dead run left (`remove_stale_temporaries`). Outputs get the permissions the user's
umask gives a new file (a secretary saves them on a shared drive), not mkstemp's 0600.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .errors import FolderNotWritable, InputWouldBeOverwritten, OutputError

TEMP_PREFIX = ".~sagsgenerator-"
TEMP_NAME = re.compile(r"^\.~sagsgenerator-(\d+)-.*\.tmp[^/\\]*$")
STALE_AFTER_MINUTES = 60
EDQUOT = getattr(errno, "EDQUOT", -122)   # not on every system
ETXTBSY = getattr(errno, "ETXTBSY", -26)

# Why a folder or file cannot be written, in Danish (the system's own text is English).
REASONS = {
    errno.ENOTDIR: "en del af stien er en fil, ikke en mappe",
    errno.EEXIST: "der ligger allerede en fil med mappens navn",
    errno.EISDIR: "der ligger en mappe med filens navn",
    errno.EACCES: "du har ikke adgang til at skrive der",
    errno.EPERM: "du har ikke adgang til at skrive der, eller filen er låst",
    errno.ENOSPC: "disken er fuld. Frigør plads, og prøv igen",
    EDQUOT: "din kvote på drevet er brugt op. Frigør plads, og prøv igen",
    errno.EROFS: "drevet er skrivebeskyttet",
    errno.ENAMETOOLONG: "stien er for lang",
    errno.ENOENT: "mappen findes ikke",
    errno.EBUSY: "den er i brug af et andet program (fx Word eller Excel). Luk den og prøv "
                 "igen",
    ETXTBSY: "den er i brug af et andet program (fx Word eller Excel). Luk den og prøv igen",
}
# Windows: ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION, what a file open in Word or
# Excel gives (Python maps them to EACCES).
WINDOWS_IN_USE = {32, 33}
IN_USE = ("kan ikke overskrives, fordi den er åben i et andet program (fx Word eller Excel). "
          "Luk den og prøv igen")
NOT_ALLOWED = ("kan ikke overskrives: du har ikke adgang til at ændre den, eller den er "
               "skrivebeskyttet. Bed om adgang, eller vælg et andet sted")
LOCKED = "kan ikke overskrives; den er måske åben i Word eller Excel. Luk den og prøv igen"


def reason(exc: OSError) -> str:
    """Why an operation on a file failed, in Danish."""
    return REASONS.get(exc.errno or 0, f"fejlkode {errno.errorcode.get(exc.errno or 0, '?')}")


def _same(a: str | os.PathLike | None, b: Path) -> bool:
    return a is not None and os.path.abspath(os.fsdecode(a)) == os.path.abspath(b)


def describe_error(exc: OSError, target: Path, tmp: Path | None = None) -> str:
    """The Danish sentence for an OSError met while writing `target` (via `tmp`): it names
    the real cause and the file it concerns, which need not be the target (a missing
    source file is never reported as a target open in Word)."""
    other = exc.filename
    if other is not None and not _same(other, target) and not (tmp and _same(other, tmp)):
        source = os.fsdecode(other)
        if exc.errno == errno.ENOENT:
            return f"Filen '{source}' findes ikke, så '{target}' kunne ikke skrives."
        if exc.errno in (errno.EACCES, errno.EPERM):
            return (f"Filen '{source}' kan ikke læses: du har ikke adgang til den, så "
                    f"'{target}' kunne ikke skrives.")
        return f"Filen '{target}' kunne ikke skrives ('{source}': {reason(exc)})."
    if getattr(exc, "winerror", None) in WINDOWS_IN_USE \
            or exc.errno in (errno.EBUSY, ETXTBSY):
        return f"Filen '{target}' {IN_USE}."
    if exc.errno == errno.EACCES:
        return f"Filen '{target}' {NOT_ALLOWED}."
    if exc.errno == errno.EPERM:
        return f"Filen '{target}' {LOCKED}."
    return f"Filen '{target}' kunne ikke skrives: {reason(exc)}."


@functools.cache
def _umask() -> int:
    """The process's umask, read without changing it where the system allows (changing it
    for a moment would race with other threads creating files)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The permissions a new file gets from the umask (0o644 with the usual 022)."""
    return 0o666 & ~_umask()


def temporary_name(target: Path) -> str:
    """The prefix of a temporary file for `target`: recognisable, with the writer's pid."""
    return f"{TEMP_PREFIX}{os.getpid()}-{target.stem[:80]}-"


def atomic_write(target: Path, write: Callable[[Path], None]) -> Path:
    """Call write(tmp) and move tmp onto target; on failure the old target is untouched
    and the temporary file is removed. Never replaces an input of the run in progress
    (guard_inputs)."""
    refuse_input(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=temporary_name(target),
                                        suffix=f".tmp{target.suffix}", dir=target.parent)
    except OSError as exc:
        raise FolderNotWritable(f"Mappen '{target.parent}' kan ikke skrives i: "
                                f"{reason(exc)}.") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, file_mode())
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(describe_error(exc, target, tmp)) from exc
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
    return target


# Inputs of the run in progress: atomic_write refuses to replace them (see guard_inputs).
_PROTECTED: set[Path] = set()


@contextlib.contextmanager
def guard_inputs(paths: Iterable[Path]) -> Iterator[None]:
    """While the block runs, no output may replace one of `paths` (the run's inputs)."""
    added = {_resolved(p) for p in paths} - _PROTECTED
    _PROTECTED.update(added)
    try:
        yield
    finally:
        _PROTECTED.difference_update(added)


def protected_inputs() -> frozenset[Path]:
    """The inputs guarded now (guard_inputs), for a worker process to guard them as well."""
    return frozenset(_PROTECTED)


def write_bytes(target: Path, data: bytes) -> Path:
    """Write `data` to `target` atomically (the whole file is in memory: a full disk fails
    in a plain write, never inside a half-closed zip)."""
    def write(tmp: Path) -> None:
        with open(tmp, "wb") as handle:
            handle.write(data)
    return atomic_write(target, write)


def _zombie(pid: int) -> bool:
    """Whether `pid` has ended but not been reaped: a worker of a killed run whose new
    parent (pid 1 in a container, say) never waits for it. It writes nothing more, yet
    os.kill(pid, 0) still finds it. Linux tells through /proc; elsewhere, False."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            state = stat.read().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state in (b"Z", b"X")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # os.kill would end the process; age decides there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    except OSError:
        return True
    return not _zombie(pid)


def remove_stale_temporaries(folder: Path, max_age_minutes: float = STALE_AFTER_MINUTES,
                             now: float | None = None) -> list[Path]:
    """Remove the temporary files an earlier run left in `folder` (killed, or the machine
    went down): those whose writing process is gone, or older than `max_age_minutes` (a
    pid may have been reused). This run's own files are kept. Returns what was removed;
    a folder that does not exist or cannot be listed is left alone."""
    removed: list[Path] = []
    now = time.time() if now is None else now
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = TEMP_NAME.match(entry.name)
        if not match:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            pid = int(match.group(1))
            old = now - entry.stat(follow_symlinks=False).st_mtime > max_age_minutes * 60
            if pid != os.getpid() and (old or not _alive(pid)):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def refuse_input(target: Path) -> None:
    """Refuse to replace an input of the run in progress (see guard_inputs)."""
    if _PROTECTED and _resolved(target) in _PROTECTED:
        raise InputWouldBeOverwritten(
            f"'{target}' er en af de filer, der læses, og bliver ikke overskrevet. Vælg en "
            "anden mappe til det, der skrives (--ud eller --marker).")


def refuse_overwrite(targets: Path | Iterable[Path], inputs: Iterable[Path]) -> None:
    """Raise OutputError when an output path is an input file (also through a link or
    another spelling of the path), or lies inside one. Folders given as input may hold
    the output folder (the pipeline skips it when it reads the folder); an output that
    would replace an input folder is refused."""
    targets = [targets] if isinstance(targets, (str, os.PathLike)) else list(targets)
    inputs = list(inputs)
    for target in targets:
        target = Path(target)
        where = _resolved(target)
        for source in inputs:
            source = Path(source)
            real = _resolved(source)
            same = where == real
            if not same and target.exists() and source.exists():
                try:
                    same = os.path.samefile(target, source)  # hard links, case-blind drives
                except OSError:
                    same = False
            if same:
                raise OutputError(
                    f"Uddata '{target}' er den samme fil som inddata '{source}'. Inddata "
                    "overskrives aldrig: vælg en anden fil eller mappe til uddata.")
            if _inside(where, real) and not source.is_dir():
                raise OutputError(
                    f"Uddata '{target}' ligger inde i inddatafilen '{source}'. Vælg en "
                    "anden mappe til uddata.")
