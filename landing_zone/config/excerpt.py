"""A value as an error message may show it: short, escaped, and bounded whatever its size."""

from __future__ import annotations

import reprlib
from typing import Any

_REPR = reprlib.Repr()
_REPR.maxlevel = 2
_REPR.maxlist = _REPR.maxtuple = _REPR.maxset = _REPR.maxdict = 4
_REPR.maxlong = 40


def excerpt(value: Any, limit: int = 60, *, quote: bool = True) -> str:
    """`value` for an error message: a repr (escaped: no newline or control character reaches
    the terminal) of at most about `limit` characters; a long string says how long it was.

    A number read from YAML shows the text it was written as.
    """
    written = getattr(value, "written", None)
    if isinstance(written, str):
        return excerpt(written, limit, quote=quote)
    if isinstance(value, str):
        shown, suffix = value, ""
        if len(value) > limit:
            shown = f"{value[: limit // 2]}...{value[-(limit // 4) :]}"
            suffix = f" ({len(value):,} characters)"
        text = repr(shown)
        return (text if quote else text[1:-1]) + suffix
    _REPR.maxstring = _REPR.maxother = limit
    text = _REPR.repr(value)
    return text if len(text) <= 2 * limit else f"{text[: 2 * limit]}..."
