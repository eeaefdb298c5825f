"""Service control policies (catalog guardrails or custom documents), attached to the root,
OUs and accounts; live policies and attachments are adopted through their import ids."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws


@dataclass(frozen=True)
class GuardrailTarget:
    # Natural key of the target, part of the attachment's name: "root", "ou-Workloads", "account-dev".
    key: str
    target_id: pulumi.Input[str]
    # `<target id>:<policy id>` when the attachment exists live and is adopted.
    import_id: str | None = None


@dataclass(frozen=True)
class GuardrailPolicySpec:
    name: str  # the policy's name in AWS, also its logical name
    description: str | None
    content: str  # minified policy document
    targets: Sequence[GuardrailTarget]
    import_id: str | None = None  # the live policy's id (p-...) to adopt


@dataclass(frozen=True)
class GuardrailsArgs:
    policies: Sequence[GuardrailPolicySpec]
    tags: Mapping[str, str] = field(default_factory=dict)


class Guardrails(pulumi.ComponentResource):
    policy_ids: dict[str, pulumi.Output[str]]
    """Policy id by policy name."""

    def __init__(self, name: str, args: GuardrailsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("landing-zone:guardrails:Guardrails", name, None, opts)
        self.policy_ids = {}
        for spec in args.policies:
            policy = self._create_policy(spec, args.tags)
            self.policy_ids[spec.name] = policy.id
            for target in spec.targets:
                self._attach(spec.name, policy, target)
        self.register_outputs({"policyIds": self.policy_ids})

    def _create_policy(self, spec: GuardrailPolicySpec, tags: Mapping[str, str]) -> aws.organizations.Policy:
        return aws.organizations.Policy(
            spec.name,
            name=spec.name,
            description=spec.description,
            type="SERVICE_CONTROL_POLICY",
            content=spec.content,
            tags=dict(tags),
            opts=pulumi.ResourceOptions(parent=self, import_=spec.import_id),
        )

    def _attach(self, policy_name: str, policy: aws.organizations.Policy, target: GuardrailTarget) -> None:
        aws.organizations.PolicyAttachment(
            f"{policy_name}-{target.key}",
            policy_id=policy.id,
            target_id=target.target_id,
            opts=pulumi.ResourceOptions(parent=self, import_=target.import_id),
        )
