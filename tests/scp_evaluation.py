"""Enough of IAM's policy evaluation to ask what a service control policy denies to a request.

Actions are expanded from parliament's action database (a misspelt action raises rather than
matching nothing); condition operators follow the IAM reference
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):
ArnLike compares each of the six colon-delimited parts of an ARN separately, case-sensitively,
`*` matching any run of characters and `?` exactly one; a negated operator (StringNotEquals,
ArnNotLike) is true when no value matches, and when the key is absent from the request. An
operator or element this module does not know raises: it never guesses "allowed".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

import parliament

# A role session in a member account, in a region: the request context the guardrails read.
PRINCIPAL_ARN = "aws:PrincipalArn"
REQUESTED_REGION = "aws:RequestedRegion"


def request(principal_arn: str, region: str = "eu-west-1", **keys: str) -> dict[str, str]:
    """The request context of a call made by `principal_arn` in `region`."""
    return {PRINCIPAL_ARN: principal_arn, REQUESTED_REGION: region, **keys}


@cache
def _actions(pattern: str) -> frozenset[str]:
    """Every action `pattern` names, lowercased (IAM compares actions case-insensitively)."""
    return frozenset(f"{a['service']}:{a['action']}".lower() for a in parliament.expand_action(pattern))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _wildcard(pattern: str) -> re.Pattern[str]:
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern), re.S)


def arn_like(pattern: str, arn: str) -> bool:
    """IAM's ArnLike: the six colon-delimited parts matched one by one, case-sensitively."""
    wanted, actual = pattern.split(":", 5), arn.split(":", 5)
    if len(wanted) != 6 or len(actual) != 6:
        return False
    return all(_wildcard(w).fullmatch(a) is not None for w, a in zip(wanted, actual, strict=True))


def string_like(pattern: str, value: str) -> bool:
    return _wildcard(pattern).fullmatch(value) is not None


_MATCHERS = {
    "ArnLike": arn_like,
    "ArnEquals": arn_like,  # IAM treats ArnEquals like ArnLike
    "StringLike": string_like,
    "StringEquals": lambda wanted, value: wanted == value,
}
_NEGATED = {f"{name.replace('Like', 'NotLike').replace('Equals', 'NotEquals')}": name for name in _MATCHERS}


def _condition_holds(operator: str, key: str, wanted: Any, context: Mapping[str, str]) -> bool:
    # Condition keys are case-insensitive (aws:PrincipalARN is aws:PrincipalArn).
    present = {k.lower(): v for k, v in context.items()}
    value = present.get(key.lower())
    values = [str(w) for w in _as_list(wanted)]
    if operator == "Null":
        return (value is None) == (values == ["true"])
    if operator in _MATCHERS:
        return value is not None and any(_MATCHERS[operator](w, value) for w in values)
    if operator in _NEGATED:
        return value is None or not any(_MATCHERS[_NEGATED[operator]](w, value) for w in values)
    raise NotImplementedError(f"condition operator {operator} is not modelled")


def _names_action(statement: Mapping[str, Any], action: str) -> bool:
    if "Action" in statement:
        return any(action in _actions(p) for p in _as_list(statement["Action"]))
    if "NotAction" in statement:
        return not any(action in _actions(p) for p in _as_list(statement["NotAction"]))
    raise NotImplementedError("a statement with neither Action nor NotAction")


def denies(document: Mapping[str, Any], action: str, context: Mapping[str, str]) -> bool:
    """True when a Deny statement of `document` applies to `action` (on any resource) in `context`."""
    (known,) = _actions(action)  # raises on an action AWS does not have
    for statement in _as_list(document["Statement"]):
        if statement["Effect"] != "Deny" or not _names_action(statement, known):
            continue
        if _as_list(statement.get("Resource", "*")) != ["*"] or "NotResource" in statement:
            raise NotImplementedError("only Resource '*' is modelled")
        conditions = statement.get("Condition", {})
        if all(
            _condition_holds(operator, key, wanted, context)
            for operator, pairs in conditions.items()
            for key, wanted in pairs.items()
        ):
            return True
    return False
