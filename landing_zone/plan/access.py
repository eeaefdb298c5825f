"""The Identity Center part of `lz plan`: permission sets and who can reach which account.

Read from the registered resources (and the stack outputs for names the resources do not
carry, such as groups of an external identity provider), so it shows what the program does.
"""

from __future__ import annotations

from typing import Any

from landing_zone.resource_types import ACCOUNT, PERMISSION_SET
from landing_zone.resource_types import ACCOUNT_ASSIGNMENT as ASSIGNMENT
from landing_zone.resource_types import CUSTOMER_MANAGED_POLICY_ATTACHMENT as CUSTOMER_POLICY
from landing_zone.resource_types import IDENTITY_STORE_GROUP as GROUP
from landing_zone.resource_types import MANAGED_POLICY_ATTACHMENT as MANAGED_POLICY
from landing_zone.resource_types import PERMISSION_SET_INLINE_POLICY as INLINE_POLICY
from landing_zone.resource_types import PERMISSIONS_BOUNDARY_ATTACHMENT as BOUNDARY

from .runner import PlanResult, RegisteredResource


def access_report(result: PlanResult) -> dict[str, Any]:
    """`permissionSets` and `access` (group, permissionSet, account) for the JSON plan."""
    permission_sets = result.of_type(PERMISSION_SET)
    names_by_arn = {ps.outputs.get("arn"): ps.inputs["name"] for ps in permission_sets}
    groups, accounts = _group_names(result), _account_names(result)
    return {
        "permissionSets": sorted(
            (_permission_set_entry(ps, result) for ps in permission_sets), key=lambda p: p["name"]
        ),
        "access": sorted(
            (
                {
                    "group": groups.get(a.inputs["principalId"], a.inputs["principalId"]),
                    "permissionSet": names_by_arn.get(
                        a.inputs["permissionSetArn"], a.inputs["permissionSetArn"]
                    ),
                    "account": accounts.get(a.inputs["targetId"], a.inputs["targetId"]),
                }
                for a in result.of_type(ASSIGNMENT)
            ),
            key=lambda entry: (entry["group"], entry["account"], entry["permissionSet"]),
        ),
    }


def _attached(result: PlanResult, type_: str, arn: str) -> list[RegisteredResource]:
    return [r for r in result.of_type(type_) if r.inputs.get("permissionSetArn") == arn]


def _permission_set_entry(ps: RegisteredResource, result: PlanResult) -> dict[str, Any]:
    arn = ps.outputs.get("arn", "")
    boundaries = _attached(result, BOUNDARY, arn)
    return {
        "name": ps.inputs["name"],
        "arn": arn,
        "description": ps.inputs.get("description"),
        "sessionDuration": ps.inputs.get("sessionDuration"),
        "managedPolicies": sorted(
            a.inputs["managedPolicyArn"] for a in _attached(result, MANAGED_POLICY, arn)
        ),
        "customerManagedPolicies": sorted(
            (a.inputs["customerManagedPolicyReference"] for a in _attached(result, CUSTOMER_POLICY, arn)),
            key=lambda ref: (ref.get("path", "/"), ref["name"]),
        ),
        "inlinePolicy": bool(_attached(result, INLINE_POLICY, arn)),
        "permissionsBoundary": boundaries[0].inputs["permissionsBoundary"] if boundaries else None,
    }


def _group_names(result: PlanResult) -> dict[str, str]:
    names = {
        str(g.outputs["groupId"]): g.inputs["displayName"]
        for g in result.of_type(GROUP)
        if g.outputs.get("groupId")
    }
    # Groups of an external identity provider are looked up: only the outputs name them.
    names.update({group_id: name for name, group_id in (result.outputs.get("ssoGroupIds") or {}).items()})
    return names


def _account_names(result: PlanResult) -> dict[str, str]:
    names = {a.id: a.inputs["name"] for a in result.of_type(ACCOUNT) if a.id}
    management_id = result.outputs.get("managementAccountId")
    if management_id:
        names[management_id] = result.outputs.get("managementAccountName") or "management"
    return names


def render_access(report: dict[str, Any]) -> list[str]:
    """Text lines: the permission sets, then group -> account: permission sets."""
    if not report.get("permissionSets") and not report.get("access"):
        return []
    lines = ["", "Permission sets (IAM Identity Center)"]
    width = max((len(ps["name"]) for ps in report["permissionSets"]), default=0)
    for ps in report["permissionSets"]:
        policies = [arn.rpartition(":policy/")[2] for arn in ps["managedPolicies"]]
        policies += [
            f"{ref.get('path', '/')}{ref['name']} (customer managed)" for ref in ps["customerManagedPolicies"]
        ]
        if ps["inlinePolicy"]:
            policies.append("inline policy")
        if ps["permissionsBoundary"]:
            policies.append("permissions boundary")
        lines.append(f"  {ps['name']:<{width}}  {ps['sessionDuration'] or 'PT1H':<5}  {', '.join(policies)}")
    lines += ["", "Access: group -> account: permission sets"]
    by_group: dict[str, dict[str, list[str]]] = {}
    for entry in report["access"]:
        by_group.setdefault(entry["group"], {}).setdefault(entry["account"], []).append(
            entry["permissionSet"]
        )
    account_width = max((len(entry["account"]) for entry in report["access"]), default=0)
    for group, accounts in by_group.items():
        lines.append(f"  {group}")
        for account, sets in accounts.items():
            lines.append(f"    {account:<{account_width}}  {', '.join(sets)}")
    return lines
