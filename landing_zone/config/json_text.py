"""JSON text inside a stack file (policy documents, structured config from the Pulumi runtime):
parsed with its nesting bounded, so deep input is a config problem, never a RecursionError."""

from __future__ import annotations

import json
import re
from typing import Any

# IAM policy documents nest a handful of levels; anything near Python's recursion limit is hostile.
MAX_DEPTH = 64
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class JsonTextError(ValueError):
    """What is wrong with a JSON text, in words for a config key ("is not valid JSON: ...")."""


def parse_json(text: str) -> Any:
    """The value of `text`, or a JsonTextError: invalid JSON, or nested deeper than MAX_DEPTH."""
    depth = 0
    for bracket in _BRACKET.findall(_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_DEPTH:
            raise JsonTextError(f"is JSON nested more than {MAX_DEPTH} levels deep")
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise JsonTextError(f"is not valid JSON: {err.msg} (line {err.lineno} column {err.colno})") from None
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise JsonTextError(f"is JSON nested more than {MAX_DEPTH} levels deep") from None
