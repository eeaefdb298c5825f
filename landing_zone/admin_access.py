"""What makes an IAM policy administrator access: the one home of the rule the config checks
(admin on the management account) and the policy pack (admin on production) both apply.

The pack cannot import the program: policy/lz_policies/iam_semantics.py keeps a copy, pinned to
this one by tests/test_shared_rules.py. Only the escalation actions below are matched against a
policy's patterns (the pack expands patterns over parliament's action database for its other
rules); action names are case-insensitive, `*` matches any run of characters and `?` one character
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
"""

from __future__ import annotations

import re
from typing import Any

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
# A resource pattern reaches any IAM principal when it covers an arbitrary role or user of an
# account: whichever account it names (`arn:aws:iam::123456789012:role/*` is admin there).
_ANY_IAM_PRINCIPAL = ("role/any-role", "user/any-user")


def _wildcard(pattern: str) -> re.Pattern[str]:
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body, re.DOTALL)


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _escalations(statement: dict[str, Any]) -> list[str]:
    """The escalation actions a statement allows (its `Action` patterns name them, or its
    `NotAction` patterns leave them); only these matter, so no action database is read."""
    key = "NotAction" if "NotAction" in statement else "Action"
    regexes = [_wildcard(p.lower()) for p in _list(statement.get(key)) if isinstance(p, str)]
    named = {a for a in ESCALATION_ACTIONS if any(r.fullmatch(a) for r in regexes)}
    return sorted(ESCALATION_ACTIONS - named if key == "NotAction" else named)


def _pattern_reaches_any_iam_principal(pattern: Any) -> bool:
    if not isinstance(pattern, str):
        return False
    # arn:partition:service:region:account:resource; the resource part may hold more colons.
    parts = pattern.split(":", 5)
    if len(parts) < 6:
        return _wildcard(pattern).fullmatch("arn:aws:iam::111122223333:role/any-role") is not None
    service, resource = parts[2], parts[5]
    return _wildcard(service).fullmatch("iam") is not None and any(
        _wildcard(resource).fullmatch(sample) for sample in _ANY_IAM_PRINCIPAL
    )


def _reaches_any_iam_principal(statement: dict[str, Any]) -> bool:
    if "NotResource" in statement:
        return True
    return any(_pattern_reaches_any_iam_principal(p) for p in _list(statement.get("Resource")))


def admin_grant(document: Any) -> str | None:
    """Why the IAM policy `document` (parsed) is administrator access, or None when it is not.

    An Allow statement is admin when it reaches any IAM principal and its actions include one
    that escalates to everything; conditions are not credited (they rarely stop an admin).
    """
    if not isinstance(document, dict):
        return None
    for statement in _list(document.get("Statement")):
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        if not _reaches_any_iam_principal(statement):
            continue
        escalations = _escalations(statement)
        if not escalations:
            continue
        if "NotAction" in statement:
            return "it allows every action but its NotAction list, which leaves " + escalations[0]
        named = ", ".join(repr(a) for a in _list(statement.get("Action")))
        return f"it allows {named}, which includes {escalations[0]}"
    return None


def admin_managed_policy(arn: Any) -> str | None:
    """The name of the AWS managed policy `arn` names when it is administrator access, else None."""
    if not isinstance(arn, str):
        return None
    match = _AWS_MANAGED_POLICY.match(arn)
    if match and match.group(1) in ADMIN_MANAGED_POLICIES:
        return match.group(1)
    return None
