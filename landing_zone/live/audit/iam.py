"""IAM checks shared by the management account and member accounts."""

from __future__ import annotations

from typing import Any

from ..session import Clients, paginate
from .model import Check, Finding

MIN_PASSWORD_LENGTH = 14  # CIS AWS Foundations 1.7 / Security Hub IAM.15
PASSWORD_REUSE_PREVENTION = 24  # CIS AWS Foundations 1.8 / Security Hub IAM.16


def users_with_access_keys(clients: Clients) -> Finding:
    iam = clients.client("iam")
    users = list(paginate(iam, "list_users", "Users"))
    problems = []
    for user in users:
        name = user["UserName"]
        for key in paginate(iam, "list_access_keys", "AccessKeyMetadata", UserName=name):
            if key.get("Status") == "Active":
                problems.append(f"user {name}: active access key {key['AccessKeyId']}{_created(key)}")
    return Finding.of(problems, f"{len(users)} IAM users, none with an active access key")


def console_users_without_mfa(clients: Clients) -> Finding:
    iam = clients.client("iam")
    users = list(paginate(iam, "list_users", "Users"))
    problems = []
    with_password = 0
    for user in users:
        name = user["UserName"]
        try:
            iam.get_login_profile(UserName=name)
        except iam.exceptions.NoSuchEntityException:
            continue
        with_password += 1
        if not list(paginate(iam, "list_mfa_devices", "MFADevices", UserName=name)):
            problems.append(f"user {name}: console password and no MFA device")
    return Finding.of(
        problems, f"{len(users)} IAM users, {with_password} with a console password, all with MFA"
    )


def password_policy(clients: Clients) -> Finding:
    iam = clients.client("iam")
    try:
        policy = iam.get_account_password_policy()["PasswordPolicy"]
    except iam.exceptions.NoSuchEntityException:
        return Finding.failed(
            "no account password policy: IAM's defaults apply (8 characters, reuse allowed)"
        )
    length = policy.get("MinimumPasswordLength", 0)
    reuse = policy.get("PasswordReusePrevention")
    problems = []
    if length < MIN_PASSWORD_LENGTH:
        problems.append(f"MinimumPasswordLength is {length}; at least {MIN_PASSWORD_LENGTH} wanted")
    if reuse is None or reuse < PASSWORD_REUSE_PREVENTION:
        shown = "not set" if reuse is None else f"{reuse}"
        problems.append(f"PasswordReusePrevention is {shown}; {PASSWORD_REUSE_PREVENTION} wanted")
    return Finding.of(problems, f"MinimumPasswordLength {length}, PasswordReusePrevention {reuse}")


def _created(key: dict[str, Any]) -> str:
    created = key.get("CreateDate")
    return f" (created {created:%Y-%m-%d})" if created is not None else ""


USERS_WITH_KEYS = "No IAM users with active access keys"
PASSWORD_POLICY = (
    f"Password policy: length {MIN_PASSWORD_LENGTH}+, reuse prevention {PASSWORD_REUSE_PREVENTION}"
)

MANAGEMENT_USER_KEYS = Check("management.iam-user-access-keys", USERS_WITH_KEYS, users_with_access_keys)
MANAGEMENT_CONSOLE_MFA = Check(
    "management.iam-console-mfa", "IAM users with a console password have MFA", console_users_without_mfa
)
MANAGEMENT_PASSWORD_POLICY = Check("management.password-policy", PASSWORD_POLICY, password_policy)
MEMBER_USER_KEYS = Check("member.iam-user-access-keys", USERS_WITH_KEYS, users_with_access_keys)
MEMBER_PASSWORD_POLICY = Check("member.password-policy", PASSWORD_POLICY, password_policy)
