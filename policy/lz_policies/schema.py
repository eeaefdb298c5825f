"""Config-schema pieces the policies share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def string_list(description: str, default: Sequence[str] = ()) -> dict[str, Any]:
    """A JSON-schema property: a list of strings with a default."""
    return {
        "type": "array",
        "items": {"type": "string"},
        "default": list(default),
        "description": description,
    }
