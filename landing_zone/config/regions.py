"""The regions the landing zone governs: the stack's `aws:region` and every region a guardrail
allows (`allowedRegions`). Regional settings (EBS encryption by default, Access Analyzer,
GuardDuty and Security Hub administration) are applied in each: AWS keeps them per region, and a
region where member accounts may run workloads needs them as much as the stack's own.
"""

from __future__ import annotations

from collections.abc import Iterable

from .errors import ConfigError, Problem
from .guardrails import GuardrailConfig


def allowed_regions(guardrails: Iterable[GuardrailConfig]) -> tuple[str, ...]:
    """Every region a guardrail lets member accounts use (`deny-unapproved-regions`), sorted."""
    return tuple(
        sorted({region for entry in guardrails for region in entry.parameters.allowed_regions or ()})
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
