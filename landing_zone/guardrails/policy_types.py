"""AWS Organizations' policy types and what AWS holds each to: its grammar, size and per-target limit.

The one home of these rules: config validation, the mock runtime's AWS rules, `lz import` and
`lz audit` read this table.

Sources:
- the types: botocore's Organizations model (`PolicyType`) and pulumi-aws 7.51's
  `organizations.Policy` docstring; only the types both accept are supported (a pin test checks);
- sizes: "Maximum size of a policy document" and attachments per target: the quotas page,
  https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
  (#min-max-values, #min-max-policies). On 15 May 2026 AWS doubled both service control policy
  quotas, with no request needed: 10 per target (was 5) and 10,240 characters (was 5,120); RCPs
  kept theirs. Upgrade rollout policies' size is on their syntax page.
  Types neither page limits are not limited here: AWS, not the plan, then has the last word.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from landing_zone import principals

SERVICE_CONTROL_POLICY = "SERVICE_CONTROL_POLICY"
RESOURCE_CONTROL_POLICY = "RESOURCE_CONTROL_POLICY"
# AWS's own policies, attached to every root, OU and account once their type is enabled:
# they cannot be detached from the last place and count towards the per-target quota.
FULL_AWS_ACCESS = "FullAWSAccess"
RCP_FULL_AWS_ACCESS = "RCPFullAWSAccess"

# Authorization policies use IAM's policy grammar; management policies the management-policy
# syntax with inheritance operators (orgs_manage_policies_inheritance_mgmt.html).
Grammar = Literal["iam", "management"]


@dataclass(frozen=True)
class PolicyTypeRules:
    name: str  # as AWS spells it: CreatePolicy's Type, EnablePolicyType's PolicyType
    words: str  # as a message names one: "service control policy"
    grammar: Grammar
    max_size: int | None  # characters, as sent (minified); None: not on the quotas page
    max_attached: int | None  # directly attached to one root, OU or account; None: not listed
    always_attached: str | None = None  # AWS's own policy of the type, counted in max_attached
    # The management-policy document's top-level key, where AWS's syntax page names one.
    # (orgs_manage_policies_<type>_syntax.html of each: tag, backup, ai-opt-out, declarative,
    # chatbot, security_hub, inspector, bedrock, s3).
    top_level_key: str | None = None
    # A service principal that needs trusted access before the type can be enabled
    # (pulumi-aws's Organization docstring: INSPECTOR_POLICY and SECURITYHUB_POLICY).
    trusted_service: str | None = None

    @property
    def plural(self) -> str:
        return self.words.replace("policy", "policies", 1)


POLICY_TYPES: dict[str, PolicyTypeRules] = {
    rules.name: rules
    for rules in (
        PolicyTypeRules(SERVICE_CONTROL_POLICY, "service control policy", "iam", 10_240, 10, FULL_AWS_ACCESS),
        PolicyTypeRules(
            RESOURCE_CONTROL_POLICY, "resource control policy", "iam", 5120, 5, RCP_FULL_AWS_ACCESS
        ),
        PolicyTypeRules(
            "DECLARATIVE_POLICY_EC2",
            "declarative policy for EC2",
            "management",
            10_000,
            10,
            top_level_key="ec2_attributes",
        ),
        PolicyTypeRules("TAG_POLICY", "tag policy", "management", 10_000, 10, top_level_key="tags"),
        PolicyTypeRules("BACKUP_POLICY", "backup policy", "management", 10_000, 10, top_level_key="plans"),
        PolicyTypeRules(
            "AISERVICES_OPT_OUT_POLICY",
            "AI services opt-out policy",
            "management",
            2500,
            5,
            top_level_key="services",
        ),
        PolicyTypeRules(
            "CHATBOT_POLICY", "chat applications policy", "management", 10_000, 5, top_level_key="chatbot"
        ),
        PolicyTypeRules(
            "SECURITYHUB_POLICY",
            "Security Hub policy",
            "management",
            10_000,
            10,
            top_level_key="securityhub",
            trusted_service=principals.SECURITY_HUB,
        ),
        PolicyTypeRules(
            "INSPECTOR_POLICY",
            "Inspector policy",
            "management",
            None,
            None,
            top_level_key="inspector",
            trusted_service=principals.INSPECTOR,
        ),
        PolicyTypeRules(
            "BEDROCK_POLICY", "Bedrock policy", "management", None, None, top_level_key="bedrock"
        ),
        PolicyTypeRules("S3_POLICY", "S3 policy", "management", None, None, top_level_key="s3_attributes"),
        # orgs_manage_policies_upgrade_syntax.html: "the maximum policy size of 5,120 bytes".
        PolicyTypeRules(
            "UPGRADE_ROLLOUT_POLICY",
            "upgrade rollout policy",
            "management",
            5120,
            None,
            top_level_key="upgrade_rollout",
        ),
    )
}

# Every type AWS's API knows (botocore's model, pinned by a test), including those pulumi-aws
# 7.51 does not take yet: an organization may have them enabled, `lz audit` reports them.
AWS_POLICY_TYPES: tuple[str, ...] = (
    *POLICY_TYPES,
    "SECURITYHUB_CSPM_POLICY",
    "NETWORK_SECURITY_DIRECTOR_POLICY",
    "GUARDDUTY_POLICY",
)

# The services whose resources a resource control policy can govern, by IAM prefix:
# https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
# (#rcp-supported-services), as aws-samples/data-perimeter-policy-examples'
# resource_control_policies/identity_perimeter_rcp.json lists them.
RCP_SERVICES = frozenset(
    {
        "s3",
        "sts",
        "kms",
        "sqs",
        "secretsmanager",
        "cognito-identity",
        "cognito-idp",
        "logs",
        "dynamodb",
        "ecr",
        "aoss",
    }
)


def rules_of(policy_type: str) -> PolicyTypeRules:
    return POLICY_TYPES[policy_type]
