"""Organization policies of every type (catalog guardrails or custom documents), attached to the
root, OUs and accounts; live policies and attachments are adopted through their import ids."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
from pulumi_aws.organizations.policy import Policy
from pulumi_aws.organizations.policy_attachment import PolicyAttachment

from landing_zone.config.guardrails import GuardrailConfig, GuardrailTarget

from .ids import StackIds


@dataclass(frozen=True)
class GuardrailsArgs:
    config: Sequence[GuardrailConfig]
    # Each entry's targets (landing_zone.config.guardrails.targets_of), by policy name.
    targets: Mapping[str, Sequence[GuardrailTarget]]
    ids: StackIds
    # Fills {{organizationId}} in the guardrails that do not set it (data perimeter policies).
    organization_id: pulumi.Input[str]
    tags: Mapping[str, str] = field(default_factory=dict)


class Guardrails(pulumi.ComponentResource):
    policy_ids: dict[str, pulumi.Output[str]]
    """Policy id by policy name."""

    def __init__(self, name: str, args: GuardrailsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("landing-zone:guardrails:Guardrails", name, None, opts)
        self.policy_ids = {}
        for entry in args.config:
            policy = self._create_policy(entry, args.organization_id, args.tags)
            self.policy_ids[entry.policy_name] = policy.id
            for target in args.targets[entry.policy_name]:
                self._attach(entry.policy_name, policy, target, args.ids)
        self.register_outputs({"policyIds": self.policy_ids})

    def _create_policy(
        self, entry: GuardrailConfig, organization_id: pulumi.Input[str], tags: Mapping[str, str]
    ) -> Policy:
        # Known from config, except where the text holds the organization's id.
        content: pulumi.Input[str] = (
            pulumi.Output.from_input(organization_id).apply(entry.rendered)
            if entry.needs_organization_id
            else entry.rendered()
        )
        return Policy(
            # The policy's name in AWS (unique across types in config) is also its logical name.
            entry.policy_name,
            name=entry.policy_name,
            description=entry.policy_description,
            type=entry.policy_type,
            content=content,
            tags=dict(tags),
            opts=pulumi.ResourceOptions(
                parent=self, import_=entry.import_.policy if entry.import_ is not None else None
            ),
        )

    def _attach(self, policy_name: str, policy: Policy, target: GuardrailTarget, ids: StackIds) -> None:
        PolicyAttachment(
            f"{policy_name}-{target.key}",
            policy_id=policy.id,
            target_id=ids.target(target.kind, target.name),
            opts=pulumi.ResourceOptions(parent=self, import_=target.import_id),
        )
