"""What every document kind hands to the renderer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..config import Config
from ..render.values import Properties


@dataclass(frozen=True)
class Planned:
    """One document to render: file name, template, properties and context."""

    name: str
    template: str
    properties: Properties
    context: dict[str, Any]


def author(config: Config) -> str:
    return f"{config.municipality}, {config.administration}"
