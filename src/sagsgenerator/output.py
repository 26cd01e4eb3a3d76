"""Writing outputs safely: to a temporary file beside the target, then moved into place."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import OutputError


def atomic_write(target: Path, write: Callable[[Path], None]) -> Path:
    """Call write(tmp) and move tmp onto target; on failure the old target is untouched."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix,
                                        dir=target.parent)
    except OSError as exc:
        raise OutputError(f"Mappen '{target.parent}' kan ikke skrives i: "
                          f"{exc.strerror or exc}. Vælg en anden mappe med --ud.") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, target)
    except PermissionError as exc:
        raise OutputError(f"Filen '{target}' kan ikke overskrives; den er måske åben i Word "
                          f"eller Excel. Luk den og prøv igen.") from exc
    except OSError as exc:
        raise OutputError(f"Filen '{target}' kunne ikke skrives: {exc.strerror or exc}.") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return target
