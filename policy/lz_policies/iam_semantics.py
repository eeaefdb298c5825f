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

# A resource pattern reaches any IAM principal when it covers an arbitrary role or user of an
# account: whichever account it names (`arn:aws:iam::123456789012:role/*` is admin there).
_ANY_IAM_PRINCIPAL = ("role/any-role", "user/any-user")


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


def _reaches_any_iam_principal(pattern: Any) -> bool:
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


def covers_any_iam_principal(statement: dict[str, Any]) -> bool:
    """Whether the statement's resources reach an arbitrary IAM role or user of some account
    (`*`, `arn:*`, `arn:aws:iam::123456789012:role/*`, NotResource)."""
    if "NotResource" in statement:
        return True
    return any(_reaches_any_iam_principal(p) for p in as_list(statement.get("Resource")))


def _escalations(statement: dict[str, Any]) -> list[str]:
    """The escalation actions a statement allows (its `Action` patterns name them, or its
    `NotAction` patterns leave them): the same as `allowed_actions(statement) & ESCALATION_ACTIONS`,
    without expanding patterns over the whole action database."""
    key = "NotAction" if "NotAction" in statement else "Action"
    regexes = [_wildcard(p.lower()) for p in as_list(statement.get(key)) if isinstance(p, str)]
    named = {a for a in ESCALATION_ACTIONS if any(r.fullmatch(a) for r in regexes)}
    return sorted(ESCALATION_ACTIONS - named if key == "NotAction" else named)


def admin_grant(document: Any) -> str | None:
    """Why the IAM policy `document` (parsed) is administrator access, or None when it is not.

    An Allow statement is admin when it reaches any IAM principal and its actions include one
    that escalates to everything; conditions are not credited (they rarely stop an admin).
    """
    for statement in statements(document):
        if statement.get("Effect") != "Allow" or not covers_any_iam_principal(statement):
            continue
        escalations = _escalations(statement)
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


# --- Conditions ---------------------------------------------------------------------------------
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
# A request context maps lower-case condition keys to their values (a list: multi-valued keys
# have several); a key that is absent from the context is absent from the mapping.
RequestContext = dict[str, list[str]]

_NEGATED = {
    "stringnotequals": "stringequals",
    "stringnotequalsignorecase": "stringequalsignorecase",
    "stringnotlike": "stringlike",
    "numericnotequals": "numericequals",
    "datenotequals": "dateequals",
    "arnnotequals": "arnequals",
    "arnnotlike": "arnlike",
    "notipaddress": "ipaddress",
}
_OPERATORS = {
    "stringequals",
    "stringequalsignorecase",
    "stringlike",
    "numericequals",
    "numericlessthan",
    "numericlessthanequals",
    "numericgreaterthan",
    "numericgreaterthanequals",
    "dateequals",
    "datelessthan",
    "datelessthanequals",
    "dategreaterthan",
    "dategreaterthanequals",
    "bool",
    "binaryequals",
    "ipaddress",
    "arnequals",
    "arnlike",
    "null",
    *_NEGATED,
}
_NUMERIC = {
    "numericequals": lambda a, b: a == b,
    "numericlessthan": lambda a, b: a < b,
    "numericlessthanequals": lambda a, b: a <= b,
    "numericgreaterthan": lambda a, b: a > b,
    "numericgreaterthanequals": lambda a, b: a >= b,
}


def _text(value: Any) -> str:
    """A condition value as IAM compares it: JSON true/false are the strings "true"/"false"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _positive_match(operator: str, expected: str, actual: str) -> bool | None:
    """Whether a context value satisfies a policy value under a positive operator (None: not judged)."""
    if operator == "stringequals" or operator == "binaryequals":
        return actual == expected
    if operator == "stringequalsignorecase":
        return actual.lower() == expected.lower()
    if operator in ("stringlike", "arnlike", "arnequals"):
        # ArnEquals and ArnLike both honour wildcards in the policy value.
        return _wildcard(expected).fullmatch(actual) is not None
    if operator == "bool":
        return actual.lower() == expected.lower()
    if operator in _NUMERIC:
        left, right = _number(actual), _number(expected)
        if left is None or right is None:
            return False
        return bool(_NUMERIC[operator](left, right))
    if operator == "ipaddress":
        import ipaddress

        try:
            return ipaddress.ip_address(actual) in ipaddress.ip_network(expected, strict=False)
        except ValueError:
            return False
    return None  # Date operators and anything new: this module does not judge them


def condition_entry_matches(operator: str, key: str, values: Any, context: RequestContext) -> bool | None:
    """Whether one `operator: {key: values}` entry of a Condition holds in `context` (None: cannot tell).

    Semantics from the IAM reference: a missing key fails the entry, except for negated
    operators (true), `...IfExists` (true), `Null`, `ForAllValues:` (true) and `ForAnyValue:`
    (false); several policy values are alternatives (OR).
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
    """
    op = operator.lower()
    qualifier = ""
    for prefix in ("forallvalues:", "foranyvalue:"):
        if op.startswith(prefix):
            qualifier, op = prefix[:-1], op[len(prefix) :]
    if_exists = op.endswith("ifexists")
    if if_exists:
        op = op[: -len("ifexists")]
    if op not in _OPERATORS:
        return None
    expected = [_text(v) for v in as_list(values)]
    actual = context.get(key.lower())
    if op == "null":
        absent = actual is None
        return any((v.lower() == "true") == absent for v in expected)
    if actual is None:
        if if_exists or qualifier == "forallvalues":
            return True
        if qualifier == "foranyvalue":
            return False
        return op in _NEGATED
    negated = op in _NEGATED
    base = _NEGATED.get(op, op)

    def one(value: str) -> bool | None:
        results = [_positive_match(base, e, value) for e in expected]
        if None in results:
            return None
        return not any(results) if negated else any(results)

    verdicts = [one(value) for value in actual]
    if None in verdicts:
        return None
    if qualifier == "forallvalues":
        return all(verdicts)
    return any(verdicts)


def condition_entries(statement: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(operator, key, values) of every entry of a statement's Condition block."""
    conditions = statement.get("Condition")
    if not isinstance(conditions, dict):
        return []
    return [
        (operator, key, values)
        for operator, block in conditions.items()
        if isinstance(block, dict)
        for key, values in block.items()
    ]


def conditions_hold(
    statement: dict[str, Any], context: RequestContext, keys: Iterable[str] | None = None
) -> bool | None:
    """Whether the statement's conditions (only those on `keys`, when given) all hold in `context`.

    Entries are ANDed; None when some entry cannot be judged and none fails.
    """
    wanted = None if keys is None else {k.lower() for k in keys}
    verdicts = [
        condition_entry_matches(operator, key, values, context)
        for operator, key, values in condition_entries(statement)
        if wanted is None or key.lower() in wanted
    ]
    if False in verdicts:
        return False
    return None if None in verdicts else True


# --- MFA ----------------------------------------------------------------------------------------
# aws:MultiFactorAuthPresent is absent from requests signed with long-term access keys and false
# for temporary credentials obtained without MFA; aws:MultiFactorAuthAge is absent in both.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent
MFA_KEYS = ("aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge")
LONG_TERM_KEYS: RequestContext = {}
SESSION_WITHOUT_MFA: RequestContext = {"aws:multifactorauthpresent": ["false"]}
WITHOUT_MFA = (LONG_TERM_KEYS, SESSION_WITHOUT_MFA)


def requires_mfa(statement: dict[str, Any]) -> bool:
    """Whether the statement's MFA conditions fail for every request made without MFA.

    Only the MFA keys are judged: any other condition may be met by whoever asks. An entry
    this module cannot judge is taken to hold (deny when unsure).
    """
    return all(conditions_hold(statement, context, MFA_KEYS) is False for context in WITHOUT_MFA)


def applies_without_mfa(statement: dict[str, Any], context: RequestContext = SESSION_WITHOUT_MFA) -> bool:
    """Whether the statement's conditions surely hold for a request made without MFA (`context`).

    For a Deny that must bite: every condition must hold, whatever the other keys are, so a
    condition on any other key, or one this module cannot judge, makes it not sure.
    """
    entries = condition_entries(statement)
    mfa = {k.lower() for k in MFA_KEYS}
    if any(key.lower() not in mfa for _, key, _ in entries):
        return False
    return conditions_hold(statement, context) is True


# --- Principals ---------------------------------------------------------------------------------
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
_IAM_PRINCIPAL = re.compile(
    r"^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):(root|user/|role/|assumed-role/|federated-user/)"
)
_ACCOUNT_ID = re.compile(r"^\d{12}$", re.ASCII)


def principals(statement: dict[str, Any]) -> list[tuple[str, str]]:
    """(kind, value) of every principal a statement names: `"*"` is ("AWS", "*")."""
    principal = statement.get("Principal")
    if principal == "*":
        return [("AWS", "*")]
    if not isinstance(principal, dict):
        return []
    return [
        (str(kind), value)
        for kind, values in principal.items()
        for value in as_list(values)
        if isinstance(value, str)
    ]


def principal_kind(kind: str, value: str) -> str:
    """What an `AWS` principal stands for: "anyone", "account", "user", "role" or "other".

    An account id and `arn:...:root` both mean every IAM principal of that account the
    account's own policies allow; `Federated`, `Service` and `CanonicalUser` are "other".
    """
    if kind != "AWS":
        return "other"
    if value == "*":
        return "anyone"
    if _ACCOUNT_ID.match(value):
        return "account"
    match = _IAM_PRINCIPAL.match(value)
    if not match:
        return "other"
    return {"root": "account", "user/": "user"}.get(match.group(2), "role")


def principal_account(value: str) -> str | None:
    """The account id an `AWS` principal belongs to (an id or an IAM/STS ARN)."""
    if _ACCOUNT_ID.match(value):
        return value
    match = _IAM_PRINCIPAL.match(value)
    return match.group(1) if match else None


# Callers from an account nobody named, in another organization and in none (then the
# organization keys are absent): conditions that fail for both restrict Principal "*".
_STRANGER_ACCOUNT: RequestContext = {
    "aws:principalaccount": ["999999999999"],
    "aws:principalarn": ["arn:aws:iam::999999999999:user/stranger"],
}
STRANGERS: tuple[RequestContext, ...] = (
    {
        **_STRANGER_ACCOUNT,
        "aws:principalorgid": ["o-stranger0000"],
        "aws:principalorgpaths": ["o-stranger0000/r-0000/ou-0000-00000000/"],
    },
    _STRANGER_ACCOUNT,
)
_CALLER_KEYS = ("aws:PrincipalAccount", "aws:PrincipalArn", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths")


def restricted_to_named_callers(statement: dict[str, Any]) -> bool:
    """Whether the statement's conditions on the caller's account, organization or ARN refuse strangers."""
    return all(conditions_hold(statement, stranger, _CALLER_KEYS) is False for stranger in STRANGERS)


# --- Coverage -----------------------------------------------------------------------------------
# A statement "covers everything" when it names every action outside the services a user needs
# to set up MFA (iam, sts), on any resource: the shape of AWS's force-MFA example policy.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam_mfa-selfmanage.html
_MFA_SETUP_SERVICES = ("iam:", "sts:")
_SAMPLE_RESOURCES = (
    "arn:aws:s3:::any-bucket/any-key",
    "arn:aws:ec2:eu-west-1:111122223333:instance/i-0123456789abcdef0",
    "arn:aws:iam::111122223333:role/any-role",
)


def covers_any_resource(statement: dict[str, Any]) -> bool:
    """Whether the statement's Resource (or NotResource) reaches arbitrary resources of any service."""
    if "NotResource" in statement:
        excluded = as_list(statement.get("NotResource"))
        return not any(resource_matches(excluded, arn) for arn in _SAMPLE_RESOURCES)
    patterns = as_list(statement.get("Resource"))
    return all(resource_matches(patterns, arn) for arn in _SAMPLE_RESOURCES)


def covers_every_action(statement: dict[str, Any]) -> bool:
    """Whether the statement names every documented action, but possibly some of iam and sts."""
    named = allowed_actions(statement)
    return all(a in named for a in all_actions() if not a.startswith(_MFA_SETUP_SERVICES))


def allows_assume_role(statement: dict[str, Any]) -> bool:
    """Whether an Allow statement of a trust policy lets its principals call sts:AssumeRole."""
    return statement.get("Effect") == "Allow" and "sts:assumerole" in allowed_actions(statement)


def condition_value_text(value: Any) -> str:
    """A condition value as IAM compares it (JSON true/false are "true"/"false")."""
    return _text(value)
