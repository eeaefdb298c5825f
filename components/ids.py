"""The ids other resources refer to, known once the organization, OUs and accounts are registered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi


@dataclass(frozen=True)
class StackIds:
    root_id: pulumi.Output[str]
    management_account_id: pulumi.Output[str]
    # By OU path and by account name, the natural keys config uses.
    organizational_units: Mapping[str, pulumi.Output[str]]
    accounts: Mapping[str, pulumi.Output[str]]

    def target(self, kind: str, name: str | None) -> pulumi.Output[str]:
        """The id of a policy target: the root, an OU (by path) or an account (by name)."""
        if kind == "root":
            return self.root_id
        if name is None:
            raise ValueError(f"a {kind} target needs a name")
        return self.organizational_units[name] if kind == "ou" else self.accounts[name]
