"""`landing-zone:baseline`: the settings every member account gets, through its own provider.

IAM password policy, an optional account alias, the account-level S3 public access block,
then in every governed region (`regions.py`) EBS encryption by default and an IAM Access
Analyzer; applied in each member account by assuming its `roleName` role, never in the
management account (which gets the same password policy, see `management_password_policy`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field

from .base import ConfigModel, Matching, Region
from .checker import Checker, repeats
from .guardrails import GuardrailConfig
from .naming import ALIAS_PATTERN_FIELDS, fill, pattern_problem
from .organization import CREATED_ACCOUNT_ROLE, AccountConfig, OrganizationStructure
from .regions import allowed_regions

# IAM's CreateAccountAlias: 3-63 characters, ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$ (IAM API
# reference). Aliases are unique across all AWS customers (IAM User Guide, "Using an alias for
# your AWS account ID"), so `acme-dev` is most likely taken already.
ACCOUNT_ALIAS = Matching(
    r"[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]",
    "an alias of 3 to 63 lowercase letters, digits and single hyphens, "
    "starting and ending with a letter or digit",
)
# Access Analyzer's CreateAnalyzer: analyzerName of 1-255 characters, [A-Za-z_][A-Za-z0-9_.-]*
# (IAM Access Analyzer API reference; botocore's accessanalyzer model); the Terraform provider,
# which pulumi-aws bridges, also refuses a leading '_' (internal/service/accessanalyzer).
ANALYZER_NAME = Matching(
    r"[A-Za-z][A-Za-z0-9_.-]{0,254}",
    "an analyzer name of 1 to 255 letters, digits, '.', '_' and '-', starting with a letter",
)
AnalyzerName = Annotated[str, ANALYZER_NAME]


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


class AnalyzerImport(ConfigModel):
    """An account analyzer that exists already, adopted under its own name: AWS allows one
    account analyzer per account and region, so creating ours beside it would fail."""

    account: str
    # None: the stack's aws:region.
    region: Region | None = None
    # Its name in AWS, which is also its import id.
    name: AnalyzerName


class BaselineConfig(ConfigModel):
    password_policy: PasswordPolicy = PasswordPolicy()
    # Pattern of each account's IAM alias ({org}, {account}); None: no alias. Opt-in: aliases
    # are unique across all AWS customers, give it a prefix only your company would use.
    account_alias: str | None = None
    s3_public_access_block: bool = True
    ebs_encryption_by_default: bool = True
    access_analyzer: bool = True
    # Existing account analyzers to adopt instead of creating `<org>-account` beside them.
    import_analyzers: tuple[AnalyzerImport, ...] = ()
    # Accounts left alone (for example an imported account whose access role differs).
    exclude_accounts: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccountAnalyzer:
    """The account analyzer of one account in one region."""

    name: str
    import_id: str | None  # the existing analyzer's name when it is adopted


def baseline_accounts(
    baseline: BaselineConfig | None, structure: OrganizationStructure
) -> tuple[AccountConfig, ...]:
    """The active member accounts that get the baseline, in config order (a suspended account's
    baseline is removed: landing_zone.config.lifecycle)."""
    if baseline is None:
        return ()
    excluded = set(baseline.exclude_accounts)
    return tuple(a for a in structure.accounts if a.active and a.name not in excluded)


def management_password_policy(baseline: BaselineConfig | None) -> PasswordPolicy:
    """The management account's password policy: the baseline's, or CIS's without a baseline."""
    return baseline.password_policy if baseline is not None else PasswordPolicy()


def alias_for(baseline: BaselineConfig, org_name: str, account: AccountConfig) -> str | None:
    if baseline.account_alias is None:
        return None
    return fill(baseline.account_alias, account_name=account.name, org=org_name)


def access_analyzer_name(org_name: str) -> str:
    """The name of the account analyzer the baseline creates in each account and region."""
    return f"{org_name}-account"


def account_analyzer(
    baseline: BaselineConfig, org_name: str, account_name: str, region: str | None, home_region: str | None
) -> AccountAnalyzer | None:
    """The account's analyzer in `region` (`home_region`: the stack's): adopted when
    `importAnalyzers` names one there, else `<org>-account`; None without analyzers."""
    if not baseline.access_analyzer:
        return None
    for adopted in baseline.import_analyzers:
        if adopted.account == account_name and (adopted.region or home_region) == region:
            return AccountAnalyzer(adopted.name, import_id=adopted.name)
    return AccountAnalyzer(access_analyzer_name(org_name), import_id=None)


# Checks: `checker` reports under `baseline`.


def check_baseline(
    baseline: BaselineConfig,
    structure: OrganizationStructure,
    guardrails: Iterable[GuardrailConfig],
    checker: Checker,
) -> None:
    """Excluded accounts exist; the alias pattern gives valid, distinct aliases; the analyzer's
    name is valid; adopted analyzers are in accounts and regions the baseline governs."""
    for index, name in enumerate(baseline.exclude_accounts):
        checker.account_defined(("excludeAccounts", index), name)
    _check_aliases(baseline, structure, checker)
    org_name = structure.organization.name
    if baseline.access_analyzer and not ANALYZER_NAME.matches(access_analyzer_name(org_name)):
        checker.at("organization", "name").report(
            (),
            f"'{org_name}' gives the access analyzer name '{access_analyzer_name(org_name)}', which is "
            f"not {ANALYZER_NAME.words}; change the code, or set baseline.accessAnalyzer to false",
        )
    _check_analyzer_imports(baseline, structure, tuple(guardrails), checker)


def _check_aliases(baseline: BaselineConfig, structure: OrganizationStructure, checker: Checker) -> None:
    if baseline.account_alias is None:
        return
    problem = pattern_problem(baseline.account_alias, ALIAS_PATTERN_FIELDS, "aliases are unique across AWS")
    if problem is not None:
        checker.report(("accountAlias",), problem)
        return
    seen: dict[str, str] = {}
    for account in baseline_accounts(baseline, structure):
        alias = alias_for(baseline, structure.organization.name, account) or ""
        if not ACCOUNT_ALIAS.matches(alias):
            checker.report(
                ("accountAlias",),
                f"gives '{alias}' for account {account.name}, which is not {ACCOUNT_ALIAS.words}",
            )
        elif alias in seen:
            checker.report(("accountAlias",), f"gives '{alias}' for both {seen[alias]} and {account.name}")
        else:
            seen[alias] = account.name


def _check_analyzer_imports(
    baseline: BaselineConfig,
    structure: OrganizationStructure,
    guardrails: tuple[GuardrailConfig, ...],
    checker: Checker,
) -> None:
    governed_names = {account.name for account in baseline_accounts(baseline, structure)}
    regions = allowed_regions(guardrails)
    for index, adopted in enumerate(baseline.import_analyzers):
        here = ("importAnalyzers", index)
        if not baseline.access_analyzer:
            checker.report(here, "adopts an analyzer while baseline.accessAnalyzer is false")
        if checker.account_defined((*here, "account"), adopted.account) and (
            adopted.account not in governed_names
        ):
            checker.report(
                (*here, "account"), f"'{adopted.account}' is in baseline.excludeAccounts: it gets no analyzer"
            )
        if adopted.region is not None and adopted.region not in regions:
            allowed = f" ({', '.join(regions)})" if regions else ""
            checker.report(
                (*here, "region"),
                f"the baseline does not govern {adopted.region}: leave region out for the stack's "
                f"aws:region, or name a region a guardrail allows{allowed}",
            )
    for index, first in repeats((a.account, a.region) for a in baseline.import_analyzers):
        checker.report(
            ("importAnalyzers", index),
            f"same account and region as baseline.importAnalyzers[{first}]: "
            "AWS allows one account analyzer per account and region",
        )


def check_assumed_roles(
    baseline: BaselineConfig | None,
    log_archive_account: str | None,
    structure: OrganizationStructure,
    checker: Checker,
) -> None:
    """`checker` reports under `accounts`: an imported account the stack acts in (baseline, the
    organization trail's bucket) names the role it may assume. An account that joined by
    invitation has no OrganizationAccountAccessRole until someone creates it (AWS Organizations
    User Guide, "Creating OrganizationAccountAccessRole for an invited account")."""
    in_baseline = {account.name for account in baseline_accounts(baseline, structure)}
    for index, account in enumerate(structure.accounts):
        if account.import_id is None or account.role_name_set:
            continue
        uses = []
        if account.name in in_baseline:
            uses.append("gets the baseline")
        if account.name == log_archive_account:
            uses.append("holds the organization trail's bucket (organizationTrail.logArchiveAccount)")
        if not uses:
            continue
        way_out = (
            f", or add {account.name} to baseline.excludeAccounts" if account.name in in_baseline else ""
        )
        checker.report(
            (index, "roleName"),
            f"must be set: {account.name} is imported and {' and '.join(uses)}, and an account that "
            f"joined by invitation has no {CREATED_ACCOUNT_ROLE}: create a role there that trusts the "
            f"management account and set roleName to its name ({CREATED_ACCOUNT_ROLE} if "
            f"Organizations created the account){way_out}",
        )
