"""`landing-zone:baseline`: the settings every member account gets, through its own provider.

IAM password policy, account alias, account-level S3 public access block, EBS encryption by
default and an IAM Access Analyzer; applied in each member account by assuming its
`roleName` role, never in the management account.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from .base import ConfigModel
from .organization import AccountConfig

if TYPE_CHECKING:
    from .model import LandingZoneConfig
    from .validation import _Checker

ALIAS_PATTERN_FIELDS = ("org", "account")
# IAM account aliases: 3-63 lowercase letters, digits and single hyphens, unique across AWS.
ACCOUNT_ALIAS = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$")


class PasswordPolicy(ConfigModel):
    """Defaults follow CIS AWS Foundations 1.7 and 1.8: length 14, the last 24 remembered."""

    minimum_length: Annotated[int, Field(ge=6, le=128)] = 14
    reuse_prevention: Annotated[int, Field(ge=1, le=24)] = 24
    # Days before a password expires; None: never (current NIST guidance).
    max_age: Annotated[int, Field(ge=1, le=1095)] | None = None
    require_lowercase: bool = True
    require_uppercase: bool = True
    require_numbers: bool = True
    require_symbols: bool = True


class BaselineConfig(ConfigModel):
    password_policy: PasswordPolicy = PasswordPolicy()
    # Pattern of each account's IAM alias ({org}, {account}); None: no alias.
    account_alias: str | None = "{org}-{account}"
    s3_public_access_block: bool = True
    ebs_encryption_by_default: bool = True
    access_analyzer: bool = True
    # Accounts left alone (for example an imported account whose access role differs).
    exclude_accounts: tuple[str, ...] = ()


def baseline_accounts(config: LandingZoneConfig) -> tuple[AccountConfig, ...]:
    """The member accounts that get the baseline, in config order."""
    if config.baseline is None:
        return ()
    excluded = set(config.baseline.exclude_accounts)
    return tuple(a for a in config.accounts if a.name not in excluded)


def alias_for(config: LandingZoneConfig, account: AccountConfig) -> str | None:
    baseline = config.baseline
    if baseline is None or baseline.account_alias is None:
        return None
    return baseline.account_alias.format(
        org=config.organization.name, account=account.name.lower().replace(" ", "-")
    )


def check_baseline(checker: _Checker) -> None:
    """Excluded accounts exist; the alias pattern gives valid, distinct aliases."""
    config = checker.config
    baseline = config.baseline
    if baseline is None:
        return
    for index, name in enumerate(baseline.exclude_accounts):
        checker.check_account_defined(("baseline", "excludeAccounts", index), name)
    if baseline.account_alias is None or not checker.check_name_pattern(
        ("baseline", "accountAlias"),
        baseline.account_alias,
        ALIAS_PATTERN_FIELDS,
        "aliases are unique across AWS",
    ):
        return
    seen: dict[str, str] = {}
    for account in baseline_accounts(config):
        alias = alias_for(config, account) or ""
        key = ("baseline", "accountAlias")
        if not ACCOUNT_ALIAS.match(alias):
            checker.report(
                key,
                f"gives '{alias}' for account {account.name}: an alias is 3 to 63 lowercase "
                "letters, digits and single hyphens, starting and ending with a letter or digit",
            )
        elif alias in seen:
            checker.report(key, f"gives '{alias}' for both {seen[alias]} and {account.name}")
        else:
            seen[alias] = account.name
