"""The local web interface (sagsgenerator web): see app.py."""

from .app import create_app, serve

__all__ = ["create_app", "serve"]
