"""Reading resource properties the way the engine sends them, without tripping on unknowns.

During preview a value that depends on another resource's output is unknown. The policy SDK
raises `UnknownValueError` when such a value is read; `plain` turns the whole property bag
into plain data once, with `UNKNOWN` in place of every unknown, so that policies can skip
what they cannot judge instead of failing (an unknown value is never a violation).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pulumi_policy.proxy import (
    UNKNOWN_ARCHIVE_VALUE,
    UNKNOWN_ARRAY_VALUE,
    UNKNOWN_ASSET_VALUE,
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_NUMBER_VALUE,
    UNKNOWN_OBJECT_VALUE,
    UNKNOWN_STRING_VALUE,
    UnknownValueError,
)

_SENTINELS = frozenset(
    {
        UNKNOWN_ARCHIVE_VALUE,
        UNKNOWN_ARRAY_VALUE,
        UNKNOWN_ASSET_VALUE,
        UNKNOWN_BOOLEAN_VALUE,
        UNKNOWN_NUMBER_VALUE,
        UNKNOWN_OBJECT_VALUE,
        UNKNOWN_STRING_VALUE,
    }
)


class _Unknown:
    """The one value standing for "not known until the update runs"."""

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN: Any = _Unknown()


def is_unknown(value: Any) -> bool:
    return value is UNKNOWN


def plain(value: Any) -> Any:
    """A plain copy of engine properties (proxies or dicts), unknowns replaced by UNKNOWN."""
    if isinstance(value, str):
        return UNKNOWN if value in _SENTINELS else value
    if isinstance(value, Mapping):
        result = {}
        for key in list(value):
            try:
                result[str(key)] = plain(value[key])
            except UnknownValueError:
                result[str(key)] = UNKNOWN
        return result
    if isinstance(value, Sequence):
        items = []
        for index in range(len(value)):
            try:
                items.append(plain(value[index]))
            except UnknownValueError:
                items.append(UNKNOWN)
        return items
    return value


def as_list(value: Any) -> list[Any]:
    """IAM documents allow a single value where a list is meant."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def json_value(value: Any) -> Any:
    """A JSON document given as a string (most pulumi-aws policy inputs) or already parsed.

    None when it is absent or not JSON, UNKNOWN when it is not known yet.
    """
    if is_unknown(value):
        return UNKNOWN
    if isinstance(value, str):
        if any(sentinel in value for sentinel in _SENTINELS):
            return UNKNOWN
        try:
            return plain(json.loads(value))
        except ValueError:
            return None
    return value


def statements(document: Any) -> list[dict[str, Any]]:
    """The statements of an IAM policy document (parsed), ignoring anything malformed."""
    if not isinstance(document, dict):
        return []
    return [s for s in as_list(document.get("Statement")) if isinstance(s, dict)]


def tag_matches(tags: Any, selectors: Iterable[str]) -> bool:
    """Whether `tags` has any `key=value` of `selectors`."""
    if not isinstance(tags, dict):
        return False
    for selector in selectors:
        key, _, expected = selector.partition("=")
        if tags.get(key) == expected:
            return True
    return False


_ARN_ACCOUNT = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):", re.ASCII)


def arn_account(arn: Any) -> str | None:
    """The account id inside an IAM ARN, if it is a known IAM ARN."""
    if not isinstance(arn, str):
        return None
    match = _ARN_ACCOUNT.match(arn)
    return match.group(1) if match else None


def undecided(subject: str, key: str) -> str:
    """The violation a policy reports when `key`, which its verdict on `subject` needs, is unknown.

    Values that come from the stack's config are known in every preview of this program; an
    unknown one means something else computes it, and a guardrail that cannot see does not pass.
    """
    return f"{subject} cannot be checked: {key} is not known until the update runs"
