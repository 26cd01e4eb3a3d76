"""Writing outputs safely: to a temporary file beside the target, then moved into place.

An interrupted run leaves no half-written file, and an existing output is replaced only
when its new version was written in full.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .errors import FolderNotWritable, InputWouldBeOverwritten, OutputError

# Why a folder or file cannot be written, in Danish (the system's own text is English).
REASONS = {
    errno.ENOTDIR: "en del af stien er en fil, ikke en mappe",
    errno.EEXIST: "der ligger allerede en fil med mappens navn",
    errno.EISDIR: "der ligger en mappe med filens navn",
    errno.EACCES: "du har ikke adgang til at skrive der",
    errno.EPERM: "du har ikke adgang til at skrive der, eller filen er låst",
    errno.ENOSPC: "disken er fuld",
    errno.EROFS: "drevet er skrivebeskyttet",
    errno.ENAMETOOLONG: "stien er for lang",
}


def reason(exc: OSError) -> str:
    return REASONS.get(exc.errno or 0, f"fejlkode {errno.errorcode.get(exc.errno or 0, '?')}")


def atomic_write(target: Path, write: Callable[[Path], None]) -> Path:
    """Call write(tmp) and move tmp onto target; on failure the old target is untouched.
    Never replaces an input of the run in progress (guard_inputs)."""
    refuse_input(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix,
                                        dir=target.parent)
    except OSError as exc:
        raise FolderNotWritable(f"Mappen '{target.parent}' kan ikke skrives i: "
                                f"{reason(exc)}.") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise OutputError(f"Filen '{target}' kunne ikke skrives: {reason(exc)}.") from exc
        # On Windows a file open in Word or Excel cannot be replaced (a permission error);
        # a folder with the file's name or a locked file fails the same way elsewhere.
        raise OutputError(f"Filen '{target}' kan ikke overskrives; den er måske åben i Word "
                          f"eller Excel. Luk den og prøv igen.") from exc
    finally:
        tmp.unlink(missing_ok=True)
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


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def refuse_input(target: Path) -> None:
    if _PROTECTED and _resolved(target) in _PROTECTED:
        raise InputWouldBeOverwritten(
            f"'{target}' er en af de filer, der læses, og bliver ikke overskrevet. Vælg en "
            "anden mappe til det, der skrives (--ud eller --marker).")
