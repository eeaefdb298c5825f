"""The IAM Identity Center access portal as a developer sees it, for the `--from-portal` tests:
moto has no access-portal API, so botocore's Stubber answers for the `sso` client (the
`stub_portal` fixture in conftest.py), and the token is the cache file `aws sso login` writes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

URL = "https://acme.awsapps.com/start"
TOKEN = "portal-token"
FUTURE = "2099-01-01T00:00:00Z"
PAST = "2020-01-01T00:00:00Z"


def account_entry(account_id: str, name: str) -> dict[str, str]:
    return {"accountId": account_id, "accountName": name, "emailAddress": f"{account_id}@example.com"}


def role_page(account_id: str, *names: str, next_token: str | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {"roleList": [{"roleName": n, "accountId": account_id} for n in names]}
    if next_token:
        answer["nextToken"] = next_token
    return answer


# Two pages of accounts, and one account's roles on two pages, in the order the paginators ask.
PORTAL_CALLS: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "list_accounts",
        {
            "accountList": [
                account_entry("111111111111", "Production"),
                account_entry("222222222222", "dev"),
            ],
            "nextToken": "a2",
        },
        {"accessToken": TOKEN},
    ),
    (
        "list_account_roles",
        role_page("111111111111", "AdministratorAccess", next_token="r2"),
        {"accessToken": TOKEN, "accountId": "111111111111"},
    ),
    (
        "list_account_roles",
        role_page("111111111111", "ReadOnlyAccess"),
        {"accessToken": TOKEN, "accountId": "111111111111", "nextToken": "r2"},
    ),
    (
        "list_account_roles",
        role_page("222222222222", "PowerUserAccess"),
        {"accessToken": TOKEN, "accountId": "222222222222"},
    ),
    (
        "list_accounts",
        {"accountList": [account_entry("333333333333", "Log Archive")]},
        {"accessToken": TOKEN, "nextToken": "a2"},
    ),
    (
        "list_account_roles",
        role_page("333333333333", "ReadOnlyAccess"),
        {"accessToken": TOKEN, "accountId": "333333333333"},
    ),
]


def write_token(home: Path, expires_at: str, session: str = "acme") -> Path:
    """The cache file `aws sso login --sso-session SESSION` writes."""
    cache = home / ".aws" / "sso" / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"{hashlib.sha1(session.encode()).hexdigest()}.json"
    token = {"startUrl": URL, "region": "eu-west-1", "accessToken": TOKEN, "expiresAt": expires_at}
    path.write_text(json.dumps(token))
    return path


def portal_args(*extra: str) -> list[str]:
    return ["sso-config", "--from-portal", "--sso-session", "acme", "--org", "acme", *extra]


WITH_URL = ("--start-url", URL, "--sso-region", "eu-west-1")
