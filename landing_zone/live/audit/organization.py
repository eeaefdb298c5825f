"""Organization-wide settings: all features, SCPs on, a deny-leave guardrail, Identity Center."""

from __future__ import annotations

import fnmatch
import json
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


def denies_leaving(document: dict[str, Any]) -> bool:
    """Whether a policy document has a Deny statement covering organizations:LeaveOrganization."""
    statements = document.get("Statement", [])
    for statement in statements if isinstance(statements, list) else [statements]:
        if not isinstance(statement, dict) or statement.get("Effect") != "Deny":
            continue
        actions = statement.get("Action", [])
        for action in [actions] if isinstance(actions, str) else actions:
            if fnmatch.fnmatchcase(LEAVE_ACTION.lower(), str(action).lower()):
                return True
    return False


def deny_leave_attached_to_root(clients: Clients) -> Finding:
    org = clients.client("organizations")
    root_id = org.list_roots()["Roots"][0]["Id"]
    attached = list(paginate(org, "list_policies_for_target", "Policies", TargetId=root_id, Filter=SCP))
    for summary in attached:
        content = org.describe_policy(PolicyId=summary["Id"])["Policy"]["Content"]
        if denies_leaving(json.loads(content)):
            return Finding.passed(f"{summary['Name']} ({summary['Id']}) on {root_id} denies {LEAVE_ACTION}")
    names = ", ".join(p["Name"] for p in attached) or "none"
    return Finding.failed(f"no SCP on root {root_id} denies {LEAVE_ACTION} (attached: {names})")


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
