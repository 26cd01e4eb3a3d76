"""Moved to engine.py; kept until documents/__init__.py imports PreparedTemplate from there."""

from .engine import PreparedTemplate

__all__ = ["PreparedTemplate"]
