"""The organization itself: the one the stack expects, all features, the policy types and the
trusted access the stack needs.

A looked-up organization (neither `create` nor `import`) is read-only to the stack: what it
lacks, `pulumi preview` finds only when it runs (components/organization.py), and nothing
else finds before; an imported one gets its policy types and trusted access from `pulumi up`.
"""

from __future__ import annotations

from landing_zone import principals
from landing_zone.config import LandingZoneConfig

from .model import Check, Preflight, Prerequisite, blocked, ready

SCP = "SERVICE_CONTROL_POLICY"
ENABLE_ALL_FEATURES = (
    "AWS Organizations console > Settings > Begin process to enable all features "
    "(aws organizations enable-all-features; every member account must approve)"
)


def managed_by_stack(config: LandingZoneConfig) -> bool:
    """The stack creates or imports the organization: `pulumi up` sets its types and principals."""
    return config.organization.create or config.organization.import_id is not None


def organization_expected(preflight: Preflight) -> list[Prerequisite]:
    org, live = preflight.config.organization, preflight.live
    subject = f"organization {live.id}"
    if org.create:
        return [
            blocked(
                "organization.expected",
                subject,
                f"organization.create is true and account {live.management_account_id} already manages "
                f"{live.id} (CreateOrganization would fail)",
                "remove organization.create to look the organization up, "
                f"or set organization.import: {live.id}",
            )
        ]
    if org.import_id is not None and org.import_id != live.id:
        return [
            blocked(
                "organization.expected",
                subject,
                f"organization.import is {org.import_id}; the management account's organization is {live.id}",
                f"set organization.import to {live.id}",
            )
        ]
    how = "imported (organization.import)" if org.import_id else "looked up"
    return [
        ready("organization.expected", subject, f"{how}, management account {live.management_account_id}")
    ]


def all_features(preflight: Preflight) -> list[Prerequisite]:
    live, wanted = preflight.live, preflight.config.organization.feature_set
    subject = f"organization {live.id}"
    if wanted == "ALL" and live.feature_set != "ALL":
        return [
            blocked(
                "organization.all-features",
                subject,
                f"feature set is {live.feature_set}; the stack needs ALL (policies, trusted access)",
                ENABLE_ALL_FEATURES,
            )
        ]
    return [ready("organization.all-features", subject, f"feature set {live.feature_set}")]


def needed_policy_types(config: LandingZoneConfig) -> dict[str, str]:
    """Policy type -> why the stack needs it enabled on the root."""
    needed: dict[str, str] = {
        t: "organization.enabledPolicyTypes lists it" for t in config.organization.enabled_policy_types
    }
    if config.guardrails:
        needed[SCP] = "guardrails attach service control policies"
    return needed


def policy_types(preflight: Preflight) -> list[Prerequisite]:
    live = preflight.live
    results = []
    for policy_type, why in needed_policy_types(preflight.config).items():
        subject = f"{policy_type} on root {live.root_id}"
        if policy_type in live.enabled_policy_types:
            results.append(ready("organization.policy-types", subject, "enabled"))
        elif managed_by_stack(preflight.config):
            results.append(ready("organization.policy-types", subject, "not enabled; pulumi up enables it"))
        else:
            results.append(
                blocked(
                    "organization.policy-types",
                    subject,
                    f"not enabled ({why})",
                    "aws organizations enable-policy-type "
                    f"--root-id {live.root_id} --policy-type {policy_type}",
                )
            )
    return results


def needed_principals(config: LandingZoneConfig) -> dict[str, str]:
    """Service principal -> the part of the stack that needs its trusted access.

    A looked-up organization must already trust every principal the stack lists (the
    program refuses to run otherwise); `lz validate` makes sure the list covers the features.
    """
    needed: dict[str, str] = {}
    if config.accounts:
        needed[principals.ACCOUNT] = "accounts' alternate contacts"
    if config.identity_center is not None:
        needed[principals.IDENTITY_CENTER] = "identityCenter"
    if config.organization_trail is not None:
        needed[principals.CLOUDTRAIL] = "organizationTrail"
    if config.delegated_administrators is not None:
        for service in config.delegated_administrators.services:
            needed[principals.DELEGATED_SERVICES[service]] = f"delegatedAdministrators ({service})"
    for principal in config.organization.aws_service_access_principals:
        needed.setdefault(principal, "organization.awsServiceAccessPrincipals")
    return needed


def trusted_access(preflight: Preflight) -> list[Prerequisite]:
    live = preflight.live
    results = []
    for principal, why in needed_principals(preflight.config).items():
        if principal in live.service_access_principals:
            results.append(ready("organization.trusted-access", principal, f"trusted access ({why})"))
        elif managed_by_stack(preflight.config):
            results.append(
                ready(
                    "organization.trusted-access",
                    principal,
                    f"no trusted access yet; pulumi up enables it ({why})",
                )
            )
        else:
            results.append(
                blocked(
                    "organization.trusted-access",
                    principal,
                    f"no trusted access (needed by {why})",
                    f"aws organizations enable-aws-service-access --service-principal {principal}",
                )
            )
    return results


CHECKS = (
    Check("organization.expected", organization_expected, "organization"),
    Check("organization.all-features", all_features, "organization"),
    Check("organization.policy-types", policy_types, "root"),
    Check("organization.trusted-access", trusted_access, "organization"),
)
