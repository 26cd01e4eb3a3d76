"""Worker processes and signals: a run stops cleanly, and its workers never outlive it.

- `worker_init` runs first in every worker process: Ctrl+C is for the main process only (it
  says one Danish line; workers print no traceback), SIGTERM ends a worker at once, and on
  Linux a worker is killed when its parent dies, even by SIGKILL.
- `stop_on_signals` makes SIGTERM in the main process raise `Stopped(143)`, so that `finally`
  blocks remove temporary files just as for Ctrl+C (`KeyboardInterrupt`, exit status 130).
- `early_helper` starts a small run's helper process first thing, before the heavy imports.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import Executor

PR_SET_PDEATHSIG = 1


class Stopped(BaseException):
    """Raised in the main process when it is told to stop (SIGTERM); not an Exception, so that
    no `except Exception` swallows it."""

    def __init__(self, exit_code: int):
        super().__init__(exit_code)
        self.exit_code = exit_code


def worker_init() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):       # a libc without prctl: nothing to add
            pass


def _importing(frame) -> bool:
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


def _stop(signum: int, frame) -> None:
    if _importing(frame):
        # Raised inside Python's import machinery, the exception can be swallowed by its
        # lock callbacks ("Exception ignored ...") and leave a module half made: the signal
        # is sent again in a moment, until the import is done.
        import threading

        again = threading.Timer(0.05, os.kill, (os.getpid(), signum))
        again.daemon = True
        again.start()
        return
    raise Stopped(128 + signum)


def stop_on_signals() -> None:
    """In the main process: SIGTERM (and SIGHUP, a closed terminal window) stop the run the
    way Ctrl+C does."""
    signal.signal(signal.SIGTERM, _stop)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, _stop)


# What the helper of a small run loads first (see early_helper).
HELPER_MODULES = ("sagsgenerator.config", "sagsgenerator.documents",
                  "sagsgenerator.render.engine", "docx", "PIL.Image")
# From this many workbooks a run renders in a pool of worker processes started before
# reading (batch.run_batch); below, in one helper.
POOL_FROM_FILES = 8


def _workbooks(inputs: Iterable[Path], limit: int) -> int:
    """How many workbooks the inputs hold, counted up to `limit`."""
    count = 0
    for path in inputs:
        if path.is_dir():
            for found in path.rglob("*.xls[xm]"):
                count += not found.name.startswith(("~$", ".~sagsgenerator-"))
                if count >= limit:
                    return count
        else:
            count += 1
        if count >= limit:
            return count
    return count


def _load(modules: Iterable[str]) -> None:
    import importlib

    for name in modules:
        importlib.import_module(name)


@contextlib.contextmanager
def early_helper(inputs: Iterable[Path], workers: int | None) -> Iterator[Executor | None]:
    """For `generer` of a few workbooks on more than one core: the helper process that
    renders the Word documents (batch.run_batch), started at once, before this process
    reads its configuration. It loads pydantic, the engine and python-docx while this
    process loads what validation needs; forked later (as run_batch would), it would load
    them after. None for a large run (its pool starts in run_batch) or one core."""
    inputs = list(inputs)
    if (workers or os.cpu_count() or 1) <= 1 \
            or _workbooks(inputs, POOL_FROM_FILES) >= POOL_FROM_FILES:
        yield None
        return
    from concurrent.futures import ProcessPoolExecutor

    helper = ProcessPoolExecutor(1, initializer=worker_init)
    _EARLY.append(helper)
    try:
        helper.submit(_load, HELPER_MODULES)
        yield helper
    finally:
        end_early_helpers()


_EARLY: list[Executor] = []


def end_early_helpers() -> None:
    """Let the early helper finish the document under way and end (it is waited for): also
    when a stopped run leaves with os._exit, past the `finally` that would end it."""
    while _EARLY:
        _EARLY[-1].shutdown(wait=True, cancel_futures=True)   # interrupted: still listed
        _EARLY.pop()
