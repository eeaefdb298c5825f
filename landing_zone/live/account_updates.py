"""In-place changes AWS makes to a member account that the provider would make by replacing it:
its name (account:PutAccountName) and its root email (account:StartPrimaryEmailUpdate, then
account:AcceptPrimaryEmailUpdate with the one-time code sent to the new address).

https://docs.aws.amazon.com/accounts/latest/reference/API_PutAccountName.html
https://docs.aws.amazon.com/accounts/latest/reference/API_StartPrimaryEmailUpdate.html
https://docs.aws.amazon.com/accounts/latest/reference/API_AcceptPrimaryEmailUpdate.html
"""

from __future__ import annotations

import logging

from .session import Clients, paginate

log = logging.getLogger(__name__)


class AccountNotFound(Exception):
    def __init__(self, email: str) -> None:
        super().__init__(f"no account of the organization has the root email {email}")


def account_id_by_email(clients: Clients, email: str) -> str:
    """The member account whose root email is `email` (unique across AWS), case aside."""
    for account in paginate(clients.client("organizations"), "list_accounts", "Accounts"):
        if str(account.get("Email", "")).lower() == email.lower():
            return str(account["Id"])
    raise AccountNotFound(email)


def rename_account(clients: Clients, account_id: str, name: str) -> None:
    log.info("renaming account %s to %s", account_id, name)
    clients.client("account").put_account_name(AccountId=account_id, AccountName=name)


def start_email_update(clients: Clients, account_id: str, email: str) -> str:
    """Sends the one-time code to `email`; the update's status (PENDING)."""
    response = clients.client("account").start_primary_email_update(AccountId=account_id, PrimaryEmail=email)
    return str(response.get("Status", ""))


def accept_email_update(clients: Clients, account_id: str, email: str, otp: str) -> str:
    """The update's status once the code is accepted (ACCEPTED)."""
    response = clients.client("account").accept_primary_email_update(
        AccountId=account_id, PrimaryEmail=email, Otp=otp
    )
    return str(response.get("Status", ""))
