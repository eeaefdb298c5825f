"""Organization-wide settings: all features, SCPs on, a deny-leave guardrail, Identity Center."""

from __future__ import annotations

import json
import re
from typing import Any

from landing_zone import principals as service_principals

from ..identity_center import list_instances
from ..session import Clients, paginate
from .model import Check, Finding

SCP = "SERVICE_CONTROL_POLICY"
LEAVE_ACTION = "organizations:LeaveOrganization"


def all_features(clients: Clients) -> Finding:
    feature_set = clients.client("organizations").describe_organization()["Organization"]["FeatureSet"]
    return Finding("pass" if feature_set == "ALL" else "fail", (f"FeatureSet {feature_set}",))


def scp_enabled(clients: Clients) -> Finding:
    root = clients.client("organizations").list_roots()["Roots"][0]
    types = {t["Type"]: t.get("Status") for t in root.get("PolicyTypes", [])}
    status = types.get(SCP, "not enabled")
    return Finding("pass" if status == "ENABLED" else "fail", (f"root {root['Id']}: {SCP} {status}",))


# The only conditions a deny-leave statement may carry: exemptions of named roles.
EXEMPTING_OPERATORS = ("ArnNotLike", "ArnNotEquals", "StringNotLike", "StringNotEquals")
PRINCIPAL_ARN = "aws:PrincipalArn"
ROLE_ARN = "arn:<partition>:iam::<account>:role/<name>"


def _matches(pattern: object, action: str) -> bool:
    """IAM's action matching: case-insensitive, `*` any run of characters, `?` exactly one."""
    if not isinstance(pattern, str):
        return False
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, action, re.IGNORECASE | re.DOTALL) is not None


def _as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _role_exemption_problem(value: object) -> str | None:
    """Why `value` is not the ARN (pattern) of some roles, or None when it is."""
    if not isinstance(value, str):
        return f"{value!r} is not an ARN"
    parts = value.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "iam" or not parts[5].startswith("role/"):
        return f"{value} is not a role ARN ({ROLE_ARN})"
    if not parts[5][len("role/") :].strip("*?/"):
        return f"{value} exempts every role"
    return None


def _condition_problems(condition: object) -> list[str]:
    """Why `condition` is more than an exemption of named roles (nothing when it is not)."""
    if not isinstance(condition, dict):
        return [f"Condition {condition!r} is not an object"]
    problems = []
    for operator, keys in condition.items():
        if not isinstance(keys, dict) or not keys:
            problems.append(f"Condition {operator}: {keys!r} names no key")
            continue
        for key, values in keys.items():
            where = f"Condition {operator} on {key}"
            if operator not in EXEMPTING_OPERATORS or str(key).lower() != PRINCIPAL_ARN.lower():
                problems.append(
                    f"{where}: the deny applies only when it holds (only "
                    f"{'/'.join(EXEMPTING_OPERATORS)} on {PRINCIPAL_ARN} exempting named roles is allowed)"
                )
                continue
            values = _as_list(values)
            if not values:
                problems.append(f"{where}: no ARN")
            problems += [f"{where}: {p}" for p in map(_role_exemption_problem, values) if p is not None]
    return problems


def _statement_problems(statement: dict[str, Any]) -> list[str]:
    """Why a Deny statement naming the action does not deny it to everyone but named roles."""
    principals = [key for key in ("Principal", "NotPrincipal") if key in statement]
    problems = [f"{key} limits whom it applies to" for key in principals]
    if "NotAction" in statement:
        excluded = [a for a in _as_list(statement["NotAction"]) if _matches(a, LEAVE_ACTION)]
        if excluded:
            problems.append(f"NotAction {', '.join(map(str, excluded))} leaves {LEAVE_ACTION} out")
    if "NotResource" in statement:
        problems.append("NotResource leaves resources out")
    if "Resource" in statement and "*" not in _as_list(statement["Resource"]):
        problems.append(f'Resource {statement["Resource"]!r} is not "*"')
    return problems + _condition_problems(statement.get("Condition", {}))


def leave_denial(document: object) -> tuple[bool, list[str]]:
    """Whether a policy document denies organizations:LeaveOrganization to everyone but named roles.

    A Deny statement counts when its Action covers the action (`*`, `organizations:*`,
    `organizations:Leave*`) or its NotAction does not, with Resource `*`, no Principal or
    NotPrincipal, and no Condition other than ArnNotLike/ArnNotEquals/StringNotLike/
    StringNotEquals on aws:PrincipalArn naming roles (never a pattern for every role): an
    `ArnLike` that never matches, a `Bool` on a key a request can set, an exemption of every
    role, each leaves the organization open. Returns (denies, why each candidate statement
    does not).
    """
    if not isinstance(document, dict):
        return False, ["not a JSON policy document"]
    statements = document.get("Statement", [])
    problems = []
    for index, statement in enumerate(_as_list(statements), start=1):
        if not isinstance(statement, dict) or statement.get("Effect") != "Deny":
            continue
        actions = _as_list(statement.get("Action", []))
        if "NotAction" not in statement and not any(_matches(a, LEAVE_ACTION) for a in actions):
            continue
        statement_problems = _statement_problems(statement)
        if not statement_problems:
            return True, []
        name = f"statement {statement.get('Sid') or index}"
        problems += [f"{name}: {p}" for p in statement_problems]
    return False, problems


def _document(content: str) -> object:
    try:
        return json.loads(content)
    except ValueError:
        return None


def deny_leave_attached_to_root(clients: Clients) -> Finding:
    org = clients.client("organizations")
    root_id = org.list_roots()["Roots"][0]["Id"]
    attached = list(paginate(org, "list_policies_for_target", "Policies", TargetId=root_id, Filter=SCP))
    problems = []
    for summary in attached:
        content = org.describe_policy(PolicyId=summary["Id"])["Policy"]["Content"]
        denies, why_not = leave_denial(_document(content))
        policy = f"{summary['Name']} ({summary['Id']})"
        if denies:
            return Finding.passed(f"{policy} on {root_id} denies {LEAVE_ACTION}")
        problems += [f"{policy}: {p}" for p in why_not]
    names = ", ".join(p["Name"] for p in attached) or "none"
    return Finding.failed(f"no SCP on root {root_id} denies {LEAVE_ACTION} (attached: {names})", *problems)


def identity_center_instance(clients: Clients) -> Finding:
    instances = list_instances(clients)
    if not instances:
        return Finding.failed(f"no Identity Center instance in {clients.region}")
    return Finding.passed(*(f"{i['InstanceArn']} in {clients.region}" for i in instances))


def identity_center_trusted_access(clients: Clients) -> Finding:
    org = clients.client("organizations")
    principals = sorted(
        p["ServicePrincipal"]
        for p in paginate(org, "list_aws_service_access_for_organization", "EnabledServicePrincipals")
    )
    shown = f"trusted access: {', '.join(principals) or 'none'}"
    return Finding("pass" if service_principals.IDENTITY_CENTER in principals else "fail", (shown,))


ALL_FEATURES = Check("organization.all-features", "All features enabled", all_features)
SCP_ENABLED = Check("organization.scp-enabled", "Service control policies enabled on the root", scp_enabled)
DENY_LEAVE = Check(
    "organization.deny-leave",
    "An SCP on the root denies leaving the organization",
    deny_leave_attached_to_root,
)
IDENTITY_CENTER = Check(
    "organization.identity-center", "An IAM Identity Center instance exists", identity_center_instance
)
IDENTITY_CENTER_TRUSTED_ACCESS = Check(
    "organization.identity-center-trusted-access",
    "Trusted access for Identity Center (sso.amazonaws.com)",
    identity_center_trusted_access,
)
CHECKS = (ALL_FEATURES, SCP_ENABLED, DENY_LEAVE, IDENTITY_CENTER, IDENTITY_CENTER_TRUSTED_ACCESS)
