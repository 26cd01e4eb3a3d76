"""Rendering: model -> context (context.py), docxtpl (engine.py), chart and PDF helpers."""
