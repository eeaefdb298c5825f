"""`landing-zone:guardrails`: which service control policies attach to the root, OUs and accounts.

Each entry becomes one service control policy: a catalog guardrail (named after the guardrail
unless `name` says otherwise) rendered with its parameters, or a custom `document` (kept for
policies `lz import` found live), attached to every listed target. `import` adopts a live
policy and the attachments that existed when it was imported.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from pydantic import Field, StringConstraints

from landing_zone.guardrails import (
    FULL_AWS_ACCESS,
    MAX_POLICIES_PER_TARGET,
    MAX_POLICY_SIZE,
    Guardrail,
    catalog,
    minify,
)

from .base import ACCOUNT_ID_PATTERN, OU_ID_PATTERN, PATTERN_DESCRIPTIONS, ConfigModel

if TYPE_CHECKING:
    from .validation import _Checker

REGION_PATTERN = r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$"
ROLE_ARN_PATTERN = r"^arn:aws[a-z-]*:iam::(\d{12}|\*):role/[\w+=,.@/*?-]+$"
POLICY_NAME_PATTERN = r"^[\w+=,.@-]{1,128}$"
POLICY_ID_PATTERN = r"^p-[0-9a-z_]{8,128}$"
ROOT_ID_PATTERN = r"^r-[0-9a-z]{4,32}$"
MAX_POLICY_DESCRIPTION = 512  # AWS Organizations' limit on a policy's description

# How these patterns read in shape errors (loading looks them up by pattern).
PATTERN_DESCRIPTIONS.update(
    {
        REGION_PATTERN: "an AWS region code like eu-west-1",
        ROLE_ARN_PATTERN: "an IAM role ARN like arn:aws:iam::*:role/BreakGlass",
        POLICY_NAME_PATTERN: "a policy name of 1 to 128 letters, digits and +=,.@_-",
        POLICY_ID_PATTERN: "a policy id like p-ab12cd34",
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


class GuardrailImport(ConfigModel):
    """A live policy to adopt, and the targets it was attached to when imported.

    Only those attachments get import ids: a target added later is a new attachment.
    """

    policy: Annotated[str, StringConstraints(pattern=POLICY_ID_PATTERN)]
    # Target ids: the root's r-..., OU ids and account ids, each one of the entry's targets.
    attachments: tuple[str, ...] = ()

    def attachment_import_id(self, target_id: str | None) -> str | None:
        """`<target id>:<policy id>`, the attachment's import id, if it existed live."""
        if target_id is None or target_id not in self.attachments:
            return None
        return f"{target_id}:{self.policy}"


def root_attachment_import_id(adopted: GuardrailImport | None) -> str | None:
    """The root attachment's import id: the root is named by its r-... id in the attachments."""
    if adopted is None:
        return None
    root_id = next((t for t in adopted.attachments if re.fullmatch(ROOT_ID_PATTERN, t)), None)
    return adopted.attachment_import_id(root_id)


class GuardrailConfig(ConfigModel):
    # A name from the catalog (landing_zone/guardrails/documents), or None with `document`.
    guardrail: str | None = None
    # A custom policy document (JSON text), instead of a catalog guardrail; needs a `name`.
    document: str | None = None
    # The policy's name in AWS; by default the guardrail's. Needed to use a guardrail twice.
    name: Annotated[str, StringConstraints(pattern=POLICY_NAME_PATTERN)] | None = None
    # The policy's description in AWS; by default the catalog's (none for a document).
    description: Annotated[str, StringConstraints(max_length=MAX_POLICY_DESCRIPTION)] | None = None
    parameters: GuardrailParameters = GuardrailParameters()
    root: bool = False
    organizational_units: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    import_: GuardrailImport | None = Field(default=None, alias="import")

    @property
    def policy_name(self) -> str:
        return self.name or self.guardrail or "(unnamed document)"

    @property
    def policy_description(self) -> str | None:
        if self.description is not None:
            return self.description
        return catalog()[self.guardrail].description if self.guardrail else None

    def rendered(self) -> str:
        """The minified policy text, as sent to AWS (the guardrail or document must be valid)."""
        if self.document is not None:
            return minify(json.loads(self.document))
        if self.guardrail is None:
            raise ValueError("a guardrails entry with neither guardrail nor document has no text")
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
    policy_names: dict[str, int] = {}
    # Target label -> policies attached there, in config order.
    attached: dict[str, list[tuple[str, _Attachment]]] = {}
    for index, entry in enumerate(config.guardrails):
        here: tuple[str | int, ...] = ("guardrails", index)
        renderable = False
        if (entry.guardrail is None) == (entry.document is None):
            report(here, "set exactly one of guardrail (from the catalog) and document (a custom policy)")
        elif entry.document is not None:
            renderable = _check_document(entry, entry.document, here, report)
        elif entry.guardrail is not None:
            guardrail = known.get(entry.guardrail)
            if guardrail is None:
                guess = difflib.get_close_matches(entry.guardrail, known, n=1)
                hint = f"did you mean '{guess[0]}'?" if guess else f"the catalog has {', '.join(known)}"
                report((*here, "guardrail"), f"unknown guardrail '{entry.guardrail}'; {hint}")
            else:
                renderable = _check_parameters(entry, guardrail, here, report)
        if entry.name is None and entry.guardrail is None:
            pass  # reported above: a document needs a name
        elif entry.policy_name in policy_names:
            report(
                (*here, "name"),
                f"policy name '{entry.policy_name}' is already used by guardrails"
                f"[{policy_names[entry.policy_name]}]; set a different name",
            )
        else:
            policy_names[entry.policy_name] = index
        if renderable:
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
            if not checker.check_account_defined(key, name):
                continue
            attached.setdefault(f"account '{name}'", []).append((entry.policy_name, _Attachment(index, key)))
        if entry.import_ is not None:
            _check_import(checker, entry, entry.import_, here)
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
    guardrail: Guardrail,
    here: tuple[str | int, ...],
    report: Callable[[Iterable[str | int], str], None],
) -> bool:
    """True when the guardrail can be rendered with the entry's parameters."""
    ok = True
    accepted = guardrail.parameters
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
    for name in guardrail.required_parameters:
        if name not in given:
            report((*here, "parameters", name), f"is required by '{entry.guardrail}'")
            ok = False
    return ok


def _check_document(
    entry: GuardrailConfig,
    text: str,
    here: tuple[str | int, ...],
    report: Callable[[Iterable[str | int], str], None],
) -> bool:
    """A custom document: named, JSON, a statement list with a Sid on each. True when renderable."""
    if entry.name is None:
        report((*here, "name"), "is required with document: the policy's name in AWS")
    if entry.parameters.given():
        report((*here, "parameters"), "only catalog guardrails take parameters")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        report((*here, "document"), f"is not valid JSON: {err.msg} (line {err.lineno} column {err.colno})")
        return False
    statements = document.get("Statement") if isinstance(document, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        report((*here, "document"), "must be a policy document: an object with a Statement list")
        return False
    for position, statement in enumerate(statements):
        if not isinstance(statement, dict) or not statement.get("Sid"):
            report(
                (*here, "document"),
                f"statement {position} has no Sid: every statement needs one, to name it in reviews",
            )
    return True


def _check_import(
    checker: _Checker, entry: GuardrailConfig, adopted: GuardrailImport, here: tuple[str | int, ...]
) -> None:
    """Every imported attachment is one of the entry's targets, named by its live id."""
    ou_ids = {ou.path: ou.import_id for ou in checker.config.organizational_units}
    account_ids = {account.name: account.import_id for account in checker.config.accounts}
    targets = {ou_ids.get(path) for path in entry.organizational_units}
    targets |= {account_ids.get(name) for name in entry.accounts}
    seen: set[str] = set()
    for position, target_id in enumerate(adopted.attachments):
        key = (*here, "import", "attachments", position)
        if target_id in seen:
            checker.report(key, f"'{target_id}' is listed twice")
            continue
        seen.add(target_id)
        if re.fullmatch(ROOT_ID_PATTERN, target_id):
            if not entry.root:
                checker.report(key, f"'{target_id}' is the root, but root is not set")
        elif re.fullmatch(OU_ID_PATTERN, target_id) or re.fullmatch(ACCOUNT_ID_PATTERN, target_id):
            if target_id not in targets:
                checker.report(
                    key,
                    f"'{target_id}' is not the import id of one of this entry's "
                    "organizationalUnits or accounts",
                )
        else:
            checker.report(key, f"'{target_id}' is not a root, OU or account id")
