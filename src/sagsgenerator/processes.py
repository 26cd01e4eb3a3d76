"""Worker processes and signals: a run stops cleanly, and its workers never outlive it.

- `worker_init` runs first in every worker process: Ctrl+C is for the main process only (it
  says one Danish line; workers print no traceback), SIGTERM ends a worker at once, and on
  Linux a worker is killed when its parent dies, even by SIGKILL.
- `stop_on_signals` makes SIGTERM in the main process raise `Stopped(143)`, so that `finally`
  blocks remove temporary files just as for Ctrl+C (`KeyboardInterrupt`, exit status 130).
"""

from __future__ import annotations

import ctypes
import signal
import sys

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


def _stop(signum: int, _frame) -> None:
    raise Stopped(128 + signum)


def stop_on_signals() -> None:
    """In the main process: SIGTERM (and SIGHUP, a closed terminal window) stop the run the
    way Ctrl+C does."""
    signal.signal(signal.SIGTERM, _stop)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, _stop)
