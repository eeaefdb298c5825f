"""What a change of stack config does to the accounts that exist: which are closed, which
leave the stack, and which edits the program cannot apply to an existing account.

Accounts are matched by name, their logical name: a renamed entry is a removal and an
addition, as Pulumi sees it (the name AWS shows is `displayName`, changed in place).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .checker import key_path
from .lifecycle import closing_arms
from .model import LandingZoneConfig

# CloseAccount: 10 % of the member accounts, at least 10 and at most 1,000, per rolling 30 days.
# https://docs.aws.amazon.com/organizations/latest/APIReference/API_CloseAccount.html
CLOSURE_SHARE = 10
MIN_CLOSURES, MAX_CLOSURES = 10, 1000


@dataclass(frozen=True, order=True)
class Edit:
    account: str
    before: str
    after: str

    def to_json(self) -> dict[str, str]:
        return {"account": self.account, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class AccountChanges:
    # Accounts Pulumi closes: disposable ones (closeOnDeletion) no longer in config, suspended
    # ones now `state: closed` (or removed while armed for closure).
    closed: tuple[str, ...]
    # Other accounts no longer in config: they leave the stack and stay in the organization.
    released: tuple[str, ...]
    # roleName edits: ignored on the account (AWS cannot change it), but the member provider
    # would assume the new role, which does not exist unless someone created it.
    role_names: tuple[Edit, ...]
    # Root email edits (a new emailPattern, name or domain included): ignored on existing
    # accounts (the provider would replace them); change them in the account's settings.
    emails: tuple[Edit, ...]
    # How many accounts AWS lets the organization close per rolling 30 days.
    closure_quota: int
    # displayName edits: ignored by the program (the provider would replace the account); made
    # in place by `lz account rename` (account:PutAccountName).
    renames: tuple[Edit, ...] = ()
    # Accounts moving to the suspended OU (assignments and baseline removed), and back.
    suspended: tuple[str, ...] = ()
    reactivated: tuple[str, ...] = ()
    # State changes that cannot be made: each message names the key (accounts[i].state).
    refused: tuple[str, ...] = ()

    @property
    def over_quota(self) -> bool:
        return len(self.closed) > self.closure_quota

    @property
    def fails(self) -> bool:
        """What `pulumi up` could not do: too many closures, or a refused state change."""
        return self.over_quota or bool(self.refused)

    def to_json(self) -> dict[str, Any]:
        return {
            "closed": list(self.closed),
            "released": list(self.released),
            "roleNames": [edit.to_json() for edit in self.role_names],
            "emails": [edit.to_json() for edit in self.emails],
            "closureQuota": self.closure_quota,
            "overQuota": self.over_quota,
            "renames": [edit.to_json() for edit in self.renames],
            "suspended": list(self.suspended),
            "reactivated": list(self.reactivated),
            "refused": list(self.refused),
        }


def closure_quota(member_accounts: int) -> int:
    return max(MIN_CLOSURES, min(MAX_CLOSURES, member_accounts * CLOSURE_SHARE // 100))


def account_changes(
    previous: LandingZoneConfig, current: LandingZoneConfig, namespace: str = "landing-zone"
) -> AccountChanges:
    now = {account.name: account for account in current.accounts}
    # A closed entry removed from config is a record dropped: nothing happens in AWS.
    removed = [a for a in previous.accounts if a.name not in now and a.state != "closed"]
    kept = [(account, now[account.name]) for account in previous.accounts if account.name in now]
    # Pulumi deletes a removed resource with the options of the last update (closing_arms).
    closing = [a.name for a in removed if closing_arms(a)]
    closing += [b.name for b, a in kept if a.state == "closed" and b.state == "suspended" and closing_arms(b)]
    return AccountChanges(
        closed=tuple(sorted(closing)),
        released=tuple(sorted(a.name for a in removed if not closing_arms(a))),
        renames=tuple(
            sorted(Edit(b.name, b.aws_name, a.aws_name) for b, a in kept if b.aws_name != a.aws_name)
        ),
        suspended=tuple(sorted(b.name for b, a in kept if b.active and a.state == "suspended")),
        reactivated=tuple(sorted(b.name for b, a in kept if b.state == "suspended" and a.active)),
        refused=tuple(_refused_transitions(previous, current, namespace)),
        role_names=tuple(
            sorted(
                Edit(before.name, before.role_name, after.role_name)
                for before, after in kept
                if before.role_name != after.role_name
            )
        ),
        emails=tuple(
            sorted(
                edit
                for edit in (
                    Edit(before.name, previous.email_for(before), current.email_for(after))
                    for before, after in kept
                )
                if edit.before.lower() != edit.after.lower()
            )
        ),
        # The quota counts the organization as it is before the closures.
        # Closed records are not counted: conservative, as AWS may still count them for 90 days.
        closure_quota=closure_quota(len(previous.structure.live_accounts)),
    )


def _refused_transitions(
    previous: LandingZoneConfig, current: LandingZoneConfig, namespace: str
) -> list[str]:
    """Closed is final, and reached from suspended only: the update that suspends an account
    allowed to close is the one that drops its protection, so that the next one can close it."""
    before = {account.name: account for account in previous.accounts}
    refused = []
    for index, account in enumerate(current.accounts):
        key = key_path(namespace, "accounts", index, "state")
        old = before.get(account.name)
        if old is not None and old.state == "closed" and account.state != "closed":
            refused.append(
                f"{key}: {account.name} was closed; a closed account cannot be reopened from config "
                "(AWS Support can, within 90 days; then import it as a new entry)"
            )
        elif account.state == "closed" and (old is None or old.state != "closed"):
            if old is None:
                refused.append(
                    f"{key}: {account.name} is new and closed: only an account of this stack can be "
                    "closed (add it, suspend it, then close it)"
                )
            elif old.state != "suspended":
                refused.append(
                    f"{key}: {account.name} goes from {old.state} to closed: suspend it first "
                    "(state: suspended, deployed), then close it"
                )
            elif not closing_arms(old):
                refused.append(
                    f"{key}: {account.name} was suspended while not allowed to close, so the "
                    "deployed stack still protects it: deploy allowClose: true while suspended first"
                )
    return refused
