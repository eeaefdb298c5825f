"""The plan file: `lz plan --format json` as a versioned document, and reading one back for `--compare`.

The document is `PlanReport.to_json()` under a first key `lzPlanVersion` (PLAN_VERSION). A reader
takes only the version it knows: another version, or a file that is not a plan, is refused with
`PlanFileError`, never half-read. A plan file is untrusted text (it may come from another branch's
run): the snapshot's models check every field `--compare` reads and ignore the others.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .report import PlanReport

PLAN_VERSION = 1
VERSION_KEY = "lzPlanVersion"


class PlanFileError(Exception):
    """A plan file that cannot be compared with: missing, not JSON, not a plan, another version."""


def plan_document(report: PlanReport) -> dict[str, Any]:
    """The `lz plan --format json` document: the report's keys after the format's version."""
    return {VERSION_KEY: PLAN_VERSION, **report.to_json()}


class _Model(BaseModel):
    # strict: a plan written by lz has the exact JSON types; anything else is not one.
    model_config = ConfigDict(frozen=True, extra="ignore", strict=True, populate_by_name=True)


class PlanAccount(_Model):
    name: str
    email: str | None
    ou: str | None  # the OU's path; None: directly under the root
    close_on_deletion: bool = Field(alias="closeOnDeletion")
    import_id: str | None = Field(alias="import")
    # Plans written before account states had none: every account was active.
    state: str = "active"
    # `id` is left out: under mocks the account ids are made up, different in every plan.


class PlanAccess(_Model):
    group: str
    permission_set: str = Field(alias="permissionSet")
    account: str


class PlanPermissionSet(_Model):
    name: str
    session_duration: str | None = Field(alias="sessionDuration")
    managed_policies: tuple[str, ...] = Field(alias="managedPolicies")
    customer_managed_policies: tuple[dict[str, str], ...] = Field(alias="customerManagedPolicies")
    inline_policy: bool = Field(alias="inlinePolicy")
    permissions_boundary: dict[str, Any] | None = Field(alias="permissionsBoundary")


class PlanGuardrail(_Model):
    policy: str
    policy_type: str = Field(alias="policyType")
    target: str
    target_type: Literal["ROOT", "ORGANIZATIONAL_UNIT", "ACCOUNT"] = Field(alias="targetType")


class PlanNotification(_Model):
    type: str | None
    threshold: float | None


class PlanBudget(_Model):
    name: str
    limit_amount: str | None = Field(alias="limitAmount")
    limit_unit: str | None = Field(alias="limitUnit")
    time_unit: str | None = Field(alias="timeUnit")
    account: str | None
    notifications: tuple[PlanNotification, ...]
    subscribers: tuple[str, ...]


class PlanViolation(_Model):
    policy: str
    level: str
    message: str
    urn: str


class PlanPolicy(_Model):
    pack: str
    config: str | None
    violations: tuple[PlanViolation, ...]

    @property
    def mandatory(self) -> int:
        return sum(v.level == "mandatory" for v in self.violations)


class PlanRefusal(_Model):
    rule: str
    type: str
    name: str
    message: str


class PlanSnapshot(_Model):
    """What `--compare` reads of a plan file: the organization, access, guardrails, budgets, verdicts."""

    version: Literal[1] = Field(alias=VERSION_KEY)
    project: str
    stack: str
    organizational_units: tuple[str, ...] = Field(alias="organizationalUnits")
    accounts: tuple[PlanAccount, ...]
    permission_sets: tuple[PlanPermissionSet, ...] = Field(alias="permissionSets")
    access: tuple[PlanAccess, ...]
    guardrails: tuple[PlanGuardrail, ...]
    budgets: tuple[PlanBudget, ...]
    refusals: tuple[PlanRefusal, ...]
    policy: PlanPolicy | None = None  # None: the plan ran without the pack

    @model_validator(mode="after")
    def _names_are_keys(self) -> PlanSnapshot:
        # Changes are found by name: two accounts (or budgets, permission sets) of one name
        # would hide one of them.
        for field, names in (
            ("accounts", [a.name for a in self.accounts]),
            ("budgets", [b.name for b in self.budgets]),
            ("permissionSets", [p.name for p in self.permission_sets]),
        ):
            seen: set[str] = set()
            for name in names:
                if name in seen:
                    raise ValueError(f"{field}: the name {printable(name)} appears twice")
                seen.add(name)
        return self


def snapshot_of(report: PlanReport) -> PlanSnapshot:
    """The report as `--compare` reads a plan file: the same path for this run and the other plan."""
    return PlanSnapshot.model_validate_json(json.dumps(plan_document(report)))


def read_plan(path: Path) -> PlanSnapshot:
    """The plan file at `path`; PlanFileError (its message names the file) when it is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanFileError(f"no plan file at {path}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise PlanFileError(f"cannot read {path}: {getattr(err, 'strerror', None) or err}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise PlanFileError(f"{path} is not JSON: line {err.lineno} column {err.colno}: {err.msg}") from None
    if not isinstance(document, dict) or VERSION_KEY not in document:
        raise PlanFileError(
            f"{path} is not an lz plan (no {VERSION_KEY}): write it with lz plan --format json --output FILE"
        )
    version = document[VERSION_KEY]
    if version != PLAN_VERSION or isinstance(version, bool):
        raise PlanFileError(
            f"{path} is plan format version {printable(json.dumps(version))[:40]}; this lz reads version "
            f"{PLAN_VERSION}: plan both sides with the same lz"
        )
    try:
        # From the text: strict JSON types (a list where a list is expected, never a coerced value).
        return PlanSnapshot.model_validate_json(text)
    except ValidationError as err:
        problems = err.errors()
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        where = _location(first["loc"])
        raise PlanFileError(
            f"{path} is not a valid lz plan: {where + ': ' if where else ''}{first['msg']}{more}"
        ) from None


def _location(loc: tuple[int | str, ...]) -> str:
    """A field's place as `accounts[3].name` (keys come from the file: shown printable only)."""
    words = ""
    for part in loc:
        words += f"[{part}]" if isinstance(part, int) else f"{'.' if words else ''}{printable(str(part))}"
    return words


def printable(text: str) -> str:
    """`text` safe for a terminal: control and format characters (escape sequences, bidi
    overrides) written as Python escapes."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
