"""IAM's own semantics, in one place: which actions a pattern names, and what grants admin.

Actions come from parliament's IAM action database (AWS's Service Authorization Reference,
packaged; read as data, parliament itself is never imported). Action names are
case-insensitive, `*` matches any run of characters and `?` one character
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import re
from collections.abc import Iterable
from typing import Any

from .props import as_list, statements

# Actions that let whoever holds them on any IAM resource give themselves any permission: the
# privilege-escalation paths of Rhino Security Labs' "AWS IAM Privilege Escalation – Methods and
# Mitigation" (attach, put or version a policy; rewrite a trust policy; mint credentials for,
# or join the group of, a more privileged user).
ESCALATION_ACTIONS = frozenset(
    {
        "iam:attachgrouppolicy",
        "iam:attachrolepolicy",
        "iam:attachuserpolicy",
        "iam:putgrouppolicy",
        "iam:putrolepolicy",
        "iam:putuserpolicy",
        "iam:createpolicyversion",
        "iam:setdefaultpolicyversion",
        "iam:updateassumerolepolicy",
        "iam:createaccesskey",
        "iam:createloginprofile",
        "iam:updateloginprofile",
        "iam:addusertogroup",
    }
)

# AWS managed policies that are administrator access under another name.
ADMIN_MANAGED_POLICIES = frozenset(
    {
        "AdministratorAccess",
        "AdministratorAccess-Amplify",
        "AdministratorAccess-AWSElasticBeanstalk",
        "IAMFullAccess",
        "AWSOrganizationsFullAccess",
    }
)
_AWS_MANAGED_POLICY = re.compile(r"^arn:aws[a-z-]*:iam::aws:policy/(?:[\w+=,.@-]+/)*([\w+=,.@-]+)$", re.ASCII)

# A resource pattern is broad when it covers an arbitrary IAM role in an arbitrary account.
_SAMPLE_IAM_ARNS = (
    "arn:aws:iam::111122223333:role/any-role",
    "arn:aws:iam::111122223333:user/any-user",
)


@functools.cache
def all_actions() -> frozenset[str]:
    """Every IAM action AWS documents, as lower-case `service:action`."""
    path = importlib.metadata.distribution("parliament").locate_file("parliament/iam_definition.json")
    services = json.loads(open(str(path), encoding="utf-8").read())  # noqa: SIM115 - read once
    return frozenset(
        f"{service['prefix']}:{privilege['privilege']}".lower()
        for service in services
        for privilege in service["privileges"]
    )


def _wildcard(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """IAM's wildcard matching: `*` any run, `?` one character, nothing else special."""
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body, flags | re.DOTALL)


@functools.lru_cache(maxsize=4096)
def actions_matching(pattern: str) -> frozenset[str]:
    """The documented actions an `Action` entry names (`*`, `iam:*`, `sts:Assume*`, `s3:Get?bject`)."""
    if pattern == "*":
        return all_actions()
    regex = _wildcard(pattern.lower())
    return frozenset(a for a in all_actions() if regex.fullmatch(a))


def allowed_actions(statement: dict[str, Any]) -> frozenset[str]:
    """The actions a statement names: its `Action` patterns, or everything but its `NotAction`."""
    if "NotAction" in statement:
        excluded: set[str] = set()
        for pattern in as_list(statement.get("NotAction")):
            if isinstance(pattern, str):
                excluded |= actions_matching(pattern)
        return all_actions() - excluded
    named: set[str] = set()
    for pattern in as_list(statement.get("Action")):
        if isinstance(pattern, str):
            named |= actions_matching(pattern)
    return frozenset(named)


def resource_matches(patterns: Iterable[Any], arn: str) -> bool:
    """Whether any `Resource` pattern covers `arn` (ARNs compare case-sensitively)."""
    return any(isinstance(p, str) and _wildcard(p).fullmatch(arn) for p in patterns)


def covers_any_iam_principal(statement: dict[str, Any]) -> bool:
    """Whether the statement's resources reach an arbitrary IAM role or user (`*`, `arn:*`, NotResource)."""
    if "NotResource" in statement:
        return True
    patterns = as_list(statement.get("Resource"))
    return any(resource_matches(patterns, arn) for arn in _SAMPLE_IAM_ARNS)


def admin_grant(document: Any) -> str | None:
    """Why the IAM policy `document` (parsed) is administrator access, or None when it is not.

    An Allow statement is admin when it reaches any IAM principal and its actions include one
    that escalates to everything; conditions are not credited (they rarely stop an admin).
    """
    for statement in statements(document):
        if statement.get("Effect") != "Allow" or not covers_any_iam_principal(statement):
            continue
        escalations = sorted(allowed_actions(statement) & ESCALATION_ACTIONS)
        if not escalations:
            continue
        if "NotAction" in statement:
            return "it allows every action but its NotAction list, which leaves " + escalations[0]
        actions = ", ".join(repr(a) for a in as_list(statement.get("Action")))
        return f"it allows {actions}, which includes {escalations[0]}"
    return None


def admin_managed_policy(arn: Any) -> str | None:
    """The name of the AWS managed policy `arn` names when it is administrator access, else None."""
    if not isinstance(arn, str):
        return None
    match = _AWS_MANAGED_POLICY.match(arn)
    if match and match.group(1) in ADMIN_MANAGED_POLICIES:
        return match.group(1)
    return None
