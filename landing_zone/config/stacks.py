"""One organization, several stacks: which accounts each stack deploys (its slice).

The organization stack's file holds the whole organization's config, as a single stack's does;
its `accountStacks` key hands the accounts of some OU subtrees to account stacks, whose own
files name only `organizationStack`. Every account is in exactly one slice: an account stack's
OU subtrees are disjoint from every other's, and what no account stack takes stays with the
organization stack. The organization stack alone registers the organization-level resources
(organization, OUs, guardrails, permission sets, groups, the trail, delegated administrators,
the management account's settings); every stack registers its own accounts and what belongs
to them (baseline, budgets, contacts, account assignments), taking the organization's ids from
the organization stack's outputs through a `pulumi.StackReference`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from .base import ConfigModel, Matching
from .checker import Checker
from .organization import AccountConfig, OrganizationStructure

# Pulumi's rule for a stack name: the CLI's validateStackName matches `^[A-Za-z0-9_.-]{1,100}$`
# (stackNameAndProjectRegexp, pulumi/pulumi), "Stack names may only contain alphanumeric
# characters, hyphens, underscores, or periods" (Pulumi docs, Stacks).
STACK_NAME = Matching(r"[A-Za-z0-9_.-]{1,100}", "a Pulumi stack name: 1 to 100 letters, digits and -_.")
StackName = Annotated[str, STACK_NAME]


def valid_stack_name(value: object) -> bool:
    return STACK_NAME.matches(value)


class AccountStackConfig(ConfigModel):
    """One account stack under `accountStacks`: the OU subtrees whose accounts it deploys."""

    # OU paths from organizationalUnits; accounts in nested OUs are included.
    organizational_units: tuple[str, ...]


@dataclass(frozen=True)
class StackSlice:
    """What one stack of the organization registers.

    `organization_stack` is None for the organization stack (and a stack that is not split),
    which registers the organization-level resources; an account stack names it and reads
    the organization's ids from its outputs.
    """

    stack: str
    organization_stack: str | None
    # Names of the accounts (from the organization's `accounts`) this stack deploys.
    accounts: frozenset[str]

    @property
    def is_organization_stack(self) -> bool:
        return self.organization_stack is None

    def owns(self, account: str) -> bool:
        return account in self.accounts


def in_subtree(ou: str | None, path: str) -> bool:
    """`ou` is the OU at `path` or one below it."""
    return ou is not None and (ou == path or ou.startswith(path + "/"))


def claimed_subtrees(account_stacks: dict[str, AccountStackConfig]) -> dict[str, str]:
    """OU path -> the account stack that claims its subtree (the first, where two do)."""
    claimed: dict[str, str] = {}
    for stack, entry in account_stacks.items():
        for path in entry.organizational_units:
            claimed.setdefault(path, stack)
    return claimed


def owner_of(account: AccountConfig, claimed: dict[str, str]) -> str | None:
    """The account stack whose slice holds `account`, by the OU it is defined in (not where a
    suspension moves it: suspending never moves an account to another stack); None: the
    organization stack's. A walk up the account's OU path in `claimed_subtrees`, so that slicing
    5,000 accounts among 50 stacks costs a few lookups per account, not one per stack."""
    path = account.ou
    while path:
        if path in claimed:
            return claimed[path]
        path = path.rpartition("/")[0]
    return None


def slice_of(
    structure: OrganizationStructure,
    account_stacks: dict[str, AccountStackConfig],
    stack: str,
    organization_stack: str | None,
) -> StackSlice:
    """The slice of `stack`: an account stack named in `account_stacks` (its organization stack
    `organization_stack`), or else the organization stack (`organization_stack` None)."""
    claimed = claimed_subtrees(account_stacks)
    if organization_stack is None:
        owned = {a.name for a in structure.accounts if owner_of(a, claimed) is None}
    else:
        owned = {a.name for a in structure.accounts if owner_of(a, claimed) == stack}
    return StackSlice(stack=stack, organization_stack=organization_stack, accounts=frozenset(owned))


def check_account_stacks(
    account_stacks: dict[str, AccountStackConfig],
    structure: OrganizationStructure,
    organization_only: dict[str, list[tuple[tuple[str | int, ...], str]]],
    checker: Checker,
) -> None:
    """`checker` reports under the top of the config. Each account in exactly one slice: OU
    subtrees that exist and never overlap; accounts the organization stack's own resources
    refer to (`organization_only`: account name -> [(key, what refers to it)]) stay with it."""
    claimed: dict[str, tuple[str, int]] = {}
    for stack, entry in account_stacks.items():
        here = checker.under("accountStacks", stack, "organizationalUnits")
        if not entry.organizational_units:
            here.report((), "names no OU: an account stack deploys the accounts of at least one OU subtree")
        for index, path in enumerate(entry.organizational_units):
            if path not in structure.ou_paths:
                here.report((index,), f"OU '{path}' is not defined in organizationalUnits")
                continue
            for other, (other_stack, other_index) in claimed.items():
                if in_subtree(path, other) or in_subtree(other, path):
                    where = f"accountStacks.{other_stack}.organizationalUnits[{other_index}]"
                    relation = "is the same OU as" if path == other else "overlaps"
                    here.report(
                        (index,),
                        f"'{path}' {relation} '{other}' ({where}): every account is deployed by exactly "
                        "one stack",
                    )
                    break
            else:
                claimed[path] = (stack, index)
    if not account_stacks:
        return
    subtrees = claimed_subtrees(account_stacks)
    for account in structure.accounts:
        owner = owner_of(account, subtrees)
        if owner is None:
            continue
        for key, what in organization_only.get(account.name, ()):
            checker.report(
                key,
                f"{what} is account '{account.name}', which account stack '{owner}' deploys: the "
                "organization stack registers this, so the account must be one of its own (move it out "
                f"of accountStacks.{owner}'s OUs)",
            )
