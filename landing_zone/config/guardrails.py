"""`landing-zone:guardrails`: which catalog guardrails attach to the root, OUs and accounts.

Each entry becomes one service control policy (named after the guardrail unless `name` says
otherwise), rendered with its parameters and attached to every listed target.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from pydantic import StringConstraints

from landing_zone.guardrails import (
    FULL_AWS_ACCESS,
    MAX_POLICIES_PER_TARGET,
    MAX_POLICY_SIZE,
    catalog,
    minify,
)

from .base import PATTERN_DESCRIPTIONS, ConfigModel

if TYPE_CHECKING:
    from .validation import _Checker

REGION_PATTERN = r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$"
ROLE_ARN_PATTERN = r"^arn:aws[a-z-]*:iam::(\d{12}|\*):role/[\w+=,.@/*?-]+$"
POLICY_NAME_PATTERN = r"^[\w+=,.@-]{1,128}$"

# How these patterns read in shape errors (loading looks them up by pattern).
PATTERN_DESCRIPTIONS.update(
    {
        REGION_PATTERN: "an AWS region code like eu-west-1",
        ROLE_ARN_PATTERN: "an IAM role ARN like arn:aws:iam::*:role/BreakGlass",
        POLICY_NAME_PATTERN: "a policy name of 1 to 128 letters, digits and +=,.@_-",
    }
)

Region = Annotated[str, StringConstraints(pattern=REGION_PATTERN)]
RoleArn = Annotated[str, StringConstraints(pattern=ROLE_ARN_PATTERN)]


class GuardrailParameters(ConfigModel):
    """Values for a guardrail's placeholders; None means "not given" (the default applies)."""

    allowed_regions: tuple[Region, ...] | None = None
    exempt_role_arns: tuple[RoleArn, ...] | None = None

    def given(self) -> dict[str, tuple[str, ...]]:
        """The parameters set in config, by their camelCase (placeholder) name."""
        return self.model_dump(by_alias=True, exclude_none=True)


class GuardrailConfig(ConfigModel):
    guardrail: str  # a name from the catalog (landing_zone/guardrails/documents)
    # The policy's name in AWS; by default the guardrail's. Needed to use a guardrail twice.
    name: Annotated[str, StringConstraints(pattern=POLICY_NAME_PATTERN)] | None = None
    parameters: GuardrailParameters = GuardrailParameters()
    root: bool = False
    organizational_units: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()

    @property
    def policy_name(self) -> str:
        return self.name or self.guardrail

    def rendered(self) -> str:
        """The minified policy text, as sent to AWS (the guardrail must be known)."""
        return minify(catalog()[self.guardrail].render(self.parameters.given()))


@dataclass(frozen=True)
class _Attachment:
    entry: int
    key: tuple[str | int, ...]


def check_guardrails(checker: _Checker) -> None:
    """Catalog names, parameters, size once minified, targets, and the five-per-target limit."""
    config, report = checker.config, checker.report
    if not config.guardrails:
        return
    if "SERVICE_CONTROL_POLICY" not in config.organization.enabled_policy_types:
        report(
            ("guardrails",),
            "service control policies are not enabled in the organization: "
            "add SERVICE_CONTROL_POLICY to organization.enabledPolicyTypes",
        )
    known = catalog()
    ou_paths = {ou.path for ou in config.organizational_units}
    account_names = {account.name for account in config.accounts}
    policy_names: dict[str, int] = {}
    # Target label -> policies attached there, in config order.
    attached: dict[str, list[tuple[str, _Attachment]]] = {}
    for index, entry in enumerate(config.guardrails):
        here: tuple[str | int, ...] = ("guardrails", index)
        guardrail = known.get(entry.guardrail)
        if guardrail is None:
            guess = difflib.get_close_matches(entry.guardrail, known, n=1)
            hint = f"did you mean '{guess[0]}'?" if guess else f"the catalog has {', '.join(known)}"
            report((*here, "guardrail"), f"unknown guardrail '{entry.guardrail}'; {hint}")
        if entry.policy_name in policy_names:
            report(
                (*here, "name"),
                f"policy name '{entry.policy_name}' is already used by guardrails"
                f"[{policy_names[entry.policy_name]}]; set a different name",
            )
        else:
            policy_names[entry.policy_name] = index
        if guardrail is not None and _check_parameters(entry, guardrail.parameters, here, report):
            size = len(entry.rendered())
            if size > MAX_POLICY_SIZE:
                report(
                    here,
                    f"'{entry.policy_name}' is {size:,} characters once minified; "
                    f"AWS allows at most {MAX_POLICY_SIZE:,} per service control policy",
                )
        if not (entry.root or entry.organizational_units or entry.accounts):
            report(here, "attaches to nothing: set root, organizationalUnits or accounts")
        if entry.root:
            attached.setdefault("the root", []).append(
                (entry.policy_name, _Attachment(index, (*here, "root")))
            )
        for position, path in enumerate(entry.organizational_units):
            key = (*here, "organizationalUnits", position)
            if path not in ou_paths:
                report(key, f"OU '{path}' is not defined in organizationalUnits")
                continue
            attached.setdefault(f"OU '{path}'", []).append((entry.policy_name, _Attachment(index, key)))
        for position, name in enumerate(entry.accounts):
            key = (*here, "accounts", position)
            if name not in account_names:
                report(key, f"account '{name}' is not defined in accounts")
                continue
            attached.setdefault(f"account '{name}'", []).append((entry.policy_name, _Attachment(index, key)))
    for target, policies in attached.items():
        total = 1 + len(policies)
        if total > MAX_POLICIES_PER_TARGET:
            # Reported where the target goes over the limit: the entry to move elsewhere.
            _, first_over = policies[MAX_POLICIES_PER_TARGET - 1]
            names = ", ".join([FULL_AWS_ACCESS, *(name for name, _ in policies)])
            report(
                first_over.key,
                f"{target} would have {total} service control policies attached ({names}); "
                f"AWS allows at most {MAX_POLICIES_PER_TARGET} per target, {FULL_AWS_ACCESS} included",
            )


def _check_parameters(
    entry: GuardrailConfig,
    accepted: tuple[str, ...],
    here: tuple[str | int, ...],
    report: Callable[[Iterable[str | int], str], None],
) -> bool:
    """True when the guardrail can be rendered with the entry's parameters."""
    ok = True
    given = entry.parameters.given()
    for name, values in given.items():
        key = (*here, "parameters", name)
        if name not in accepted:
            takes = f"it takes {', '.join(accepted)}" if accepted else "it takes none"
            report(key, f"'{entry.guardrail}' has no parameter {name}; {takes}")
            ok = False
        elif not values:
            wanted = "region" if name == "allowedRegions" else "role ARN"
            report(key, f"must list at least one {wanted}")
            ok = False
    guardrail = catalog()[entry.guardrail]
    for name in guardrail.required_parameters:
        if name not in given:
            report((*here, "parameters", name), f"is required by '{entry.guardrail}'")
            ok = False
    return ok
