"""sagsgenerator: indsatsforslag from Excel to committee case papers, catalogue and action plan.

    import sagsgenerator
    result = sagsgenerator.run_batch([Path("input")], Path("output"), today=date(2026, 12, 2))

The public API is loaded on first use, so that `sagsgenerator --help` starts at once.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = {
    "run_batch": "batch", "validate_batch": "batch", "read_decisions": "batch",
    "changes_since": "batch", "BatchResult": "batch", "read_intake": "intake.reader",
    "validate_file": "validation.validate", "validate_paths": "validation.validate",
    "Register": "register",
}
__all__ = [*_API, "__version__"]


def __getattr__(name: str) -> Any:
    if name not in _API:
        raise AttributeError(f"module 'sagsgenerator' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f".{_API[name]}", __name__), name)
