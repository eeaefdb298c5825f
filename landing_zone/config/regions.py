"""The regions the landing zone governs: the stack's `aws:region` and every region a guardrail
allows (`allowedRegions`). Regional settings (EBS encryption by default, Access Analyzer,
GuardDuty and Security Hub administration) are applied in each: AWS keeps them per region, and a
region where member accounts may run workloads needs them as much as the stack's own.
"""

from __future__ import annotations

from collections.abc import Iterable

from .checker import Checker
from .errors import ConfigError, Problem
from .guardrails import GuardrailConfig
from .organization import OrganizationStructure
from .region_opt_in import is_opt_in_region


def allowed_regions(guardrails: Iterable[GuardrailConfig]) -> tuple[str, ...]:
    """Every region a guardrail lets member accounts use (`deny-unapproved-regions`), sorted."""
    return tuple(
        sorted({region for entry in guardrails for region in entry.parameters.allowed_regions or ()})
    )


def check_allowed_regions_enabled(
    guardrails: tuple[GuardrailConfig, ...], structure: OrganizationStructure, checker: Checker
) -> None:
    """`checker` reports under `accounts`: a guardrail that allows an opt-in region in an account
    that does not enable it promises a region the account cannot use (AWS refuses every call
    there until the region is enabled)."""
    index_of = {account.name: index for index, account in enumerate(structure.accounts)}
    for entry_index, entry in enumerate(guardrails):
        regions = [r for r in entry.parameters.allowed_regions or () if is_opt_in_region(r)]
        if not regions:
            continue
        names: list[str] = list(structure.account_names) if entry.root else []
        for path in entry.organizational_units:
            names += structure.accounts_in_ou(path)
        names += [name for name in entry.accounts if name in index_of]
        for name in sorted(set(names), key=index_of.__getitem__):
            enabled = structure.opt_in_regions_for(structure.accounts[index_of[name]])
            for region in regions:
                if enabled.get(region) is not True:
                    state = "disables" if region in enabled else "does not enable"
                    checker.report(
                        (index_of[name], "optInRegions"),
                        f"guardrails[{entry_index}] ({entry.policy_name}) allows {region}, an opt-in "
                        f"region this account {state}: set {region}: true here or in "
                        "organization.optInRegions",
                    )


def governed_regions(
    home_region: str | None, guardrails: Iterable[GuardrailConfig]
) -> tuple[str | None, ...]:
    """The stack's region first, then the other allowed regions, sorted.

    `home_region` None (no `aws:region`: the environment decides) is allowed only when no
    guardrail names other regions: otherwise the stack's own region could be one of them, and
    its regional settings would be made twice.
    """
    others = tuple(region for region in allowed_regions(guardrails) if region != home_region)
    if home_region is None and others:
        raise ConfigError(
            [
                Problem(
                    "aws:region",
                    f"must be set: guardrails allow {', '.join(others)}, where the baseline and "
                    "the security services' delegation are applied too, and the stack's own region "
                    "must be told apart from them",
                )
            ]
        )
    return (home_region, *others)


def region_suffix(region: str | None, home_region: str | None) -> str:
    """The end of a regional resource's logical name: "" in the stack's region (the names it
    had before the landing zone governed other regions: a rename would replace it), and
    "-<region>" in the others."""
    return "" if region == home_region else f"-{region}"
