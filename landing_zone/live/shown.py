"""Live values are untrusted text: the one way to show one on a terminal, on one line.

An account's name or contact, a policy's name, an AWS error message: whoever controls them
could put terminal escape sequences there (`\\x1b[2K\\rPASS` rewrites a FAIL line), line
breaks that forge report lines, or bidirectional controls that reorder what is read.
`shown` writes every control, format and separator character as its Python escape
(`\\x1b`, `\\n`, `\\u202e`) and cuts a long value with a marker that says how much is left
out. It leaves backslashes alone, so that showing a shown value changes nothing (a report
line made of shown values can be shown again); the JSON report keeps the exact values.
"""

from __future__ import annotations

import unicodedata

MAX_SHOWN = 300
# Controls (C0, DEL, C1), format characters (bidirectional overrides, zero-width),
# line and paragraph separators, lone surrogates.
_UNSAFE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escaped(char: str) -> str:
    if unicodedata.category(char) not in _UNSAFE:
        return char
    code = ord(char)
    if char in _SHORT:
        return _SHORT[char]
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def shown(value: object, limit: int = MAX_SHOWN) -> str:
    """`value` as text safe for a terminal and a one-line report, at most about `limit` characters."""
    text = str(value)
    parts: list[str] = []
    length = 0
    for index, char in enumerate(text):
        part = _escaped(char)
        if length + len(part) > limit:
            return "".join(parts) + f"... [{len(text) - index} more characters]"
        parts.append(part)
        length += len(part)
    return "".join(parts)
