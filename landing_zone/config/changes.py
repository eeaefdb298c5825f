"""What a change of stack config does to the accounts that exist: which are closed, which
leave the stack, and which edits the program cannot apply to an existing account.

Accounts are matched by name, their logical name: a renamed account is a removal and an
addition, as Pulumi sees it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
    # Disposable accounts (closeOnDeletion) no longer in config: Pulumi closes them.
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

    @property
    def over_quota(self) -> bool:
        return len(self.closed) > self.closure_quota

    def to_json(self) -> dict[str, Any]:
        return {
            "closed": list(self.closed),
            "released": list(self.released),
            "roleNames": [edit.to_json() for edit in self.role_names],
            "emails": [edit.to_json() for edit in self.emails],
            "closureQuota": self.closure_quota,
            "overQuota": self.over_quota,
        }


def closure_quota(member_accounts: int) -> int:
    return max(MIN_CLOSURES, min(MAX_CLOSURES, member_accounts * CLOSURE_SHARE // 100))


def account_changes(previous: LandingZoneConfig, current: LandingZoneConfig) -> AccountChanges:
    now = {account.name: account for account in current.accounts}
    removed = [account for account in previous.accounts if account.name not in now]
    kept = [(account, now[account.name]) for account in previous.accounts if account.name in now]
    return AccountChanges(
        closed=tuple(sorted(a.name for a in removed if a.close_on_deletion)),
        released=tuple(sorted(a.name for a in removed if not a.close_on_deletion)),
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
        closure_quota=closure_quota(len(previous.accounts)),
    )
