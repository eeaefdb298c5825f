"""An account stack's view of its organization stack: the ids it exported, read through a
`pulumi.StackReference`.

An account stack registers only its own accounts and what belongs to them; the organization's
root, OUs, management account, Identity Center instance, permission sets and groups are the
organization stack's, known here by its outputs (`__main__.py` exports them). A name the outputs
lack (an OU, permission set or group added to config since the organization stack's last update)
stops the program: the account stack cannot refer to what is not deployed yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import pulumi

from landing_zone.config.identity import PermissionSetConfig
from landing_zone.resource_types import ORGANIZATION_STACK

# The organization stack's outputs an account stack reads (`__main__.py` exports them).
ROOT_ID = "rootId"
MANAGEMENT_ACCOUNT_ID = "managementAccountId"
OU_IDS = "organizationalUnitIds"
SSO_INSTANCE_ARN = "ssoInstanceArn"
PERMISSION_SET_ARNS = "permissionSetArns"
GROUP_IDS = "ssoGroupIds"


class OrganizationReference:
    """The outputs of the organization stack `stack_name` (org/project/stack), read by a
    StackReference named `<name>-organization` under `parent`."""

    def __init__(self, name: str, stack_name: str, parent: pulumi.Resource) -> None:
        self.stack_name = stack_name
        # Read at every preview and update (the engine's builtin provider reads the stack's last
        # outputs: pulumi/pulumi pkg/resource/deploy/builtins.go, readStackReference); a stack that
        # does not exist fails the read ("unknown stack", pkg/backend/backend.go, GetStackOutputs),
        # one never updated reads no outputs.
        self._reference = pulumi.StackReference(
            f"{name}-organization", stack_name=stack_name, opts=pulumi.ResourceOptions(parent=parent)
        )

    def output(self, output_name: str) -> pulumi.Output[Any]:
        """The output `output_name`, which must be there."""
        stack = self.stack_name
        return self._reference.outputs.apply(lambda outputs: _required(outputs or {}, output_name, stack))

    def optional(self, output_name: str) -> pulumi.Output[Any]:
        """The output `output_name`, None when the organization stack has none (an export passed on)."""
        return self._reference.get_output(output_name)

    def entries(self, output_name: str, what: str, names: Iterable[str]) -> Mapping[str, pulumi.Output[str]]:
        """The map output `output_name` by the config's names (`what`: "OU", "permission set" ...):
        an entry is looked up when the program uses it, so only a name this stack needs must be there."""
        return _Entries(self, output_name, what, tuple(names))


class OrganizationStack(pulumi.ComponentResource):
    """What an account stack refers to of its organization stack, by the names config uses:
    the OUs its accounts sit in, the permission sets and groups its assignments give (nothing in
    AWS). It tells the policy pack what the ids and ARNs it cannot see stand for: an OU's path, a
    group's name, what a permission set carries (as the organization's config, which the
    organization stack deploys, describes it)."""

    def __init__(
        self,
        name: str,
        reference: OrganizationReference,
        organizational_units: Mapping[str, pulumi.Output[str]],
        permission_sets: Mapping[str, tuple[pulumi.Output[str], PermissionSetConfig]],
        groups: Mapping[str, pulumi.Output[str]],
        opts: pulumi.ResourceOptions,
    ) -> None:
        props: dict[str, Any] = {
            "stack": reference.stack_name,
            "managementAccountId": reference.output(MANAGEMENT_ACCOUNT_ID),
            "organizationalUnitIds": dict(sorted(organizational_units.items())),
            "permissionSets": {
                set_name: _permission_set(arn, config)
                for set_name, (arn, config) in sorted(permission_sets.items())
            },
            "groupIds": dict(sorted(groups.items())),
        }
        super().__init__(ORGANIZATION_STACK, f"{name}-organization-stack", props, opts)
        self.register_outputs(props)


def _permission_set(arn: pulumi.Output[str], config: PermissionSetConfig) -> dict[str, Any]:
    boundary = config.permissions_boundary
    return {
        "arn": arn,
        "managedPolicies": list(config.managed_policies),
        "customerManagedPolicies": [f"{ref.path}{ref.name}" for ref in config.customer_managed_policies],
        "inlinePolicy": config.inline_policy,
        "permissionsBoundary": boundary is not None,
    }


class _Entries(Mapping[str, pulumi.Output[str]]):
    def __init__(self, reference: OrganizationReference, output_name: str, what: str, names: tuple[str, ...]):
        self._reference = reference
        self._output_name = output_name
        self._what = what
        self._names = names
        self._made: dict[str, pulumi.Output[str]] = {}

    def __getitem__(self, key: str) -> pulumi.Output[str]:
        if key not in self._made:
            stack, output_name, what = self._reference.stack_name, self._output_name, self._what
            self._made[key] = self._reference.output(output_name).apply(
                lambda entries: _entry(entries, key, output_name, what, stack)
            )
        return self._made[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def _required(outputs: Mapping[str, Any], output_name: str, stack: str) -> Any:
    if outputs.get(output_name) is None:
        raise pulumi.RunError(
            f"the organization stack {stack} has no output {output_name}: update the organization "
            "stack first (pulumi up on it), then this account stack"
        )
    return outputs[output_name]


def _entry(entries: Any, key: str, output_name: str, what: str, stack: str) -> str:
    if not isinstance(entries, Mapping) or not isinstance(entries.get(key), str):
        raise pulumi.RunError(
            f"{what} '{key}' is not in the outputs of the organization stack {stack} ({output_name}): "
            "update the organization stack first (pulumi up on it), then this account stack"
        )
    return entries[key]
