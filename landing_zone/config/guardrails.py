"""`landing-zone:guardrails`: which organization policies attach to the root, OUs and accounts.

Each entry becomes one policy of its `type` (by default the catalog guardrail's, else a service
control policy): a catalog guardrail (named after the guardrail unless `name` says otherwise)
rendered with its parameters, or a custom `document` (kept for policies `lz import` found live),
attached to every listed target. `import` adopts a live policy and the attachments that existed
when it was imported. Each type is held to its own grammar, size and per-target limit
(landing_zone/guardrails/policy_types.py) and must be in organization.enabledPolicyTypes.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field, StringConstraints

from landing_zone.guardrails import (
    EXEMPT_PERMISSION_SETS,
    ORGANIZATION_ID,
    Guardrail,
    catalog,
    minify,
)
from landing_zone.guardrails.policy_types import POLICY_TYPES, SERVICE_CONTROL_POLICY, PolicyTypeRules
from landing_zone.guardrails.syntax import document_problems

from .base import (
    ACCOUNT_ID,
    OU_ID,
    ROOT_ID,
    ConfigModel,
    OrganizationId,
    PermissionSetName,
    PolicyId,
    PolicyName,
    PolicyType,
    Region,
    RoleArn,
)
from .checker import Checker, Key, repeats
from .json_text import JsonTextError, parse_json
from .organization import OrganizationStructure

MAX_POLICY_DESCRIPTION = 512  # AWS Organizations' limit on a policy's description
# What each parameter lists, for "must list at least one ...".
PARAMETER_ITEMS = {
    "allowedRegions": "region",
    "exemptRoleArns": "role ARN",
    EXEMPT_PERMISSION_SETS: "permission set",
    "tagValues": "tag value",
}
# The longest organization id (o- and 32 characters): a document's size is checked with it
# when the id comes from the organization, unknown until the program runs.
LONGEST_ORGANIZATION_ID = "o-" + "x" * 32
# A tag value, as tag policies' tag_value lists them: at most 256 characters (AWS's tag limit).
TagValue = Annotated[str, StringConstraints(min_length=1, max_length=256)]


class GuardrailParameters(ConfigModel):
    """Values for a guardrail's placeholders; None means "not given" (the default applies)."""

    allowed_regions: tuple[Region, ...] | None = None
    exempt_role_arns: tuple[RoleArn, ...] | None = None
    # Identity Center permission sets whose roles are exempt too, in every account and region.
    exempt_permission_sets: tuple[PermissionSetName, ...] | None = None
    # The organization's id in data perimeter policies; by default the organization's own.
    organization_id: OrganizationId | None = None
    # The values a tag policy allows for its tag.
    tag_values: tuple[TagValue, ...] | None = None

    def given(self) -> dict[str, tuple[str, ...] | str]:
        """The parameters set in config, by their camelCase (placeholder) name."""
        return self.model_dump(by_alias=True, exclude_none=True)


class GuardrailImport(ConfigModel):
    """A live policy to adopt, and the targets it was attached to when imported.

    Only those attachments get import ids: a target added later is a new attachment.
    """

    policy: PolicyId
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
    root_id = next((t for t in adopted.attachments if ROOT_ID.matches(t)), None)
    return adopted.attachment_import_id(root_id)


class GuardrailConfig(ConfigModel):
    # A name from the catalog (landing_zone/guardrails/documents), or None with `document`.
    guardrail: str | None = None
    # The policy type; by default the catalog guardrail's, SERVICE_CONTROL_POLICY for a document.
    type: PolicyType | None = None
    # A custom policy document (JSON text), instead of a catalog guardrail; needs a `name`.
    document: str | None = None
    # The policy's name in AWS; by default the guardrail's. Needed to use a guardrail twice.
    name: PolicyName | None = None
    # The policy's description in AWS; by default the catalog's (none for a document).
    description: Annotated[str, StringConstraints(max_length=MAX_POLICY_DESCRIPTION)] | None = None
    parameters: GuardrailParameters = GuardrailParameters()
    root: bool = False
    organizational_units: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    import_: GuardrailImport | None = Field(default=None, alias="import")

    @property
    def policy_type(self) -> str:
        if self.type is not None:
            return self.type
        known = catalog().get(self.guardrail) if self.guardrail is not None else None
        return known.policy_type if known is not None else SERVICE_CONTROL_POLICY

    @property
    def type_rules(self) -> PolicyTypeRules:
        return POLICY_TYPES[self.policy_type]

    @property
    def needs_organization_id(self) -> bool:
        """True when the text holds the organization's id, filled in by the program."""
        if self.guardrail is None or self.parameters.organization_id is not None:
            return False
        known = catalog().get(self.guardrail)
        return known is not None and ORGANIZATION_ID in known.parameters

    @property
    def policy_name(self) -> str:
        return self.name or self.guardrail or "(unnamed document)"

    @property
    def policy_description(self) -> str | None:
        if self.description is not None:
            return self.description
        return catalog()[self.guardrail].description if self.guardrail else None

    def rendered(self, organization_id: str | None = None) -> str:
        """The minified policy text, as sent to AWS (the guardrail or document must be valid).

        `organization_id` fills `{{organizationId}}` when the parameter is not given.
        """
        if self.document is not None:
            return minify(parse_json(self.document))
        if self.guardrail is None:
            raise ValueError("a guardrails entry with neither guardrail nor document has no text")
        given = self.parameters.given()
        if organization_id is not None:
            given.setdefault(ORGANIZATION_ID, organization_id)
        elif self.needs_organization_id:
            raise ValueError(f"'{self.policy_name}' needs the organization's id")
        return minify(catalog()[self.guardrail].render(given))


@dataclass(frozen=True)
class GuardrailTarget:
    """Where one entry's policy is attached: a natural key, what kind, and the live attachment."""

    kind: str  # "root", "ou" or "account"
    name: str | None  # the OU path or account name; None for the root
    import_id: str | None  # `<target id>:<policy id>` when the attachment exists live

    @property
    def key(self) -> str:
        """Part of the attachment's logical name: "root", "ou-Workloads", "account-dev"."""
        return self.kind if self.name is None else f"{self.kind}-{self.name}"


def targets_of(entry: GuardrailConfig, structure: OrganizationStructure) -> list[GuardrailTarget]:
    """Every target of `entry`, root first, then OUs and accounts in config order."""
    adopted = entry.import_
    targets = [GuardrailTarget("root", None, root_attachment_import_id(adopted))] if entry.root else []
    targets += [
        GuardrailTarget(
            "ou", path, adopted.attachment_import_id(structure.ou_import_ids.get(path)) if adopted else None
        )
        for path in entry.organizational_units
    ]
    targets += [
        GuardrailTarget(
            "account",
            name,
            adopted.attachment_import_id(structure.account_import_ids.get(name)) if adopted else None,
        )
        for name in entry.accounts
    ]
    return targets


# Checks: `checker` reports under `guardrails`.


def check_guardrails(
    guardrails: tuple[GuardrailConfig, ...],
    structure: OrganizationStructure,
    checker: Checker,
    permission_sets: Collection[str] | None = None,
) -> None:
    """Types, catalog names, parameters, each type's grammar and size, targets, per-target limits.

    `permission_sets`: the names in identityCenter.permissionSets, None without identityCenter
    (then exempted permission sets cannot be checked: they may be managed elsewhere).
    """
    if not guardrails:
        return
    _check_types_enabled(guardrails, structure, checker)
    for index, entry in enumerate(guardrails):
        here = checker.under(index)
        if _check_type(entry, here) and _check_content(entry, here):
            _check_size(entry, here)
        if permission_sets is not None:
            _check_exempt_permission_sets(
                entry, permission_sets, here.under("parameters", EXEMPT_PERMISSION_SETS)
            )
        _check_targets(entry, structure, here)
        if entry.import_ is not None:
            _check_import(entry, entry.import_, structure, here.under("import"))
    # One name per policy, whatever its type: the name is also the resource's logical name.
    names = [entry.policy_name if entry.name is not None or entry.guardrail is not None else None
             for entry in guardrails]  # fmt: skip
    for index, first in repeats(names):
        checker.report(
            (index, "name"),
            f"policy name '{names[index]}' is already used by guardrails[{first}]; set a different name",
        )
    _check_policies_per_target(guardrails, structure, checker)


def _check_types_enabled(
    guardrails: tuple[GuardrailConfig, ...], structure: OrganizationStructure, checker: Checker
) -> None:
    """Every type in use is enabled on the root, and its service trusted where AWS needs it."""
    organization = structure.organization
    users: dict[str, list[int]] = {}
    for index, entry in enumerate(guardrails):
        users.setdefault(entry.policy_type, []).append(index)
    for policy_type, indexes in users.items():
        used_by = ", ".join(f"guardrails[{index}]" for index in indexes)
        if policy_type not in organization.enabled_policy_types:
            first = guardrails[indexes[0]]
            # Under the first user's `type` where it is written (a catalog guardrail's is not).
            key: Key = (indexes[0], "type") if first.type is not None else (indexes[0],)
            checker.report(
                key if policy_type != SERVICE_CONTROL_POLICY else (),
                f"{POLICY_TYPES[policy_type].plural} are not enabled in the organization "
                f"(used by {used_by}): add {policy_type} to organization.enabledPolicyTypes",
            )
    for policy_type in organization.enabled_policy_types:
        service = POLICY_TYPES[policy_type].trusted_service
        if service is not None and service not in organization.aws_service_access_principals:
            checker.report(
                (),
                f"organization.enabledPolicyTypes has {policy_type}, which AWS enables only with "
                f"trusted access for {service}: add it to organization.awsServiceAccessPrincipals",
            )


def _check_type(entry: GuardrailConfig, checker: Checker) -> bool:
    """A catalog guardrail keeps its own type. True when the entry's type is settled."""
    known = catalog().get(entry.guardrail) if entry.guardrail is not None else None
    if known is not None and entry.type is not None and entry.type != known.policy_type:
        checker.report(
            ("type",),
            f"'{entry.guardrail}' is a {known.policy_type}, not a {entry.type}; "
            "remove type or choose another guardrail",
        )
        return False
    return True


def _check_content(entry: GuardrailConfig, checker: Checker) -> bool:
    """A catalog guardrail with its parameters, or a custom document. True when renderable."""
    if entry.document is not None and entry.guardrail is None:
        return _check_document(entry, entry.document, checker)
    if entry.guardrail is not None and entry.document is None:
        known = catalog()
        guardrail = known.get(entry.guardrail)
        if guardrail is not None:
            return _check_parameters(entry, guardrail, checker)
        guess = difflib.get_close_matches(entry.guardrail, known, n=1)
        hint = f"did you mean '{guess[0]}'?" if guess else f"the catalog has {', '.join(known)}"
        checker.report(("guardrail",), f"unknown guardrail '{entry.guardrail}'; {hint}")
        return False
    checker.report((), "set exactly one of guardrail (from the catalog) and document (a custom policy)")
    return False


def _check_size(entry: GuardrailConfig, checker: Checker) -> None:
    rules = entry.type_rules
    if rules.max_size is None:
        return
    size = len(entry.rendered(LONGEST_ORGANIZATION_ID if entry.needs_organization_id else None))
    if size > rules.max_size:
        checker.report(
            (),
            f"'{entry.policy_name}' is {size:,} characters once minified; "
            f"AWS allows at most {rules.max_size:,} per {rules.words}",
        )


def _check_targets(entry: GuardrailConfig, structure: OrganizationStructure, checker: Checker) -> None:
    if not (entry.root or entry.organizational_units or entry.accounts):
        checker.report((), "attaches to nothing: set root, organizationalUnits or accounts")
    for position, path in enumerate(entry.organizational_units):
        if path not in structure.ou_paths:
            checker.report(
                ("organizationalUnits", position), f"OU '{path}' is not defined in organizationalUnits"
            )
    for position, name in enumerate(entry.accounts):
        checker.account_defined(("accounts", position), name)


def _check_policies_per_target(
    guardrails: tuple[GuardrailConfig, ...], structure: OrganizationStructure, checker: Checker
) -> None:
    """At most the type's quota of policies per root, OU or account, AWS's own included."""
    # (target label, type) -> (policy name, key of the entry's reference to the target), in config order.
    attached: dict[tuple[str, str], list[tuple[str, Key]]] = {}
    for index, entry in enumerate(guardrails):
        policy_type = entry.policy_type
        if entry.root:
            attached.setdefault(("the root", policy_type), []).append((entry.policy_name, (index, "root")))
        for position, path in enumerate(entry.organizational_units):
            if path in structure.ou_paths:
                attached.setdefault((f"OU '{path}'", policy_type), []).append(
                    (entry.policy_name, (index, "organizationalUnits", position))
                )
        for position, name in enumerate(entry.accounts):
            if name in structure.account_names:
                attached.setdefault((f"account '{name}'", policy_type), []).append(
                    (entry.policy_name, (index, "accounts", position))
                )
    for (target, policy_type), policies in attached.items():
        rules = POLICY_TYPES[policy_type]
        limit = rules.max_attached
        if limit is None:
            continue
        always = [rules.always_attached] if rules.always_attached else []
        included = f" ({always[0]} included)" if always else ""
        total = len(always) + len(policies)
        if total == limit:
            # Pulumi replaces an attachment by attaching the new policy first: on a full target
            # AWS refuses that (ConstraintViolationException), so no swap can be made in one update.
            _, last = policies[-1]
            checker.warn(
                last,
                f"{target} has {total} {rules.plural} attached, AWS's limit{included}: replacing one "
                "of them later attaches the new policy before detaching the old one and fails; "
                "keep a slot free (attach one to a parent OU)",
            )
        if total > limit:
            # Reported where the target goes over the limit: the entry to move elsewhere.
            _, first_over = policies[limit - len(always)]
            names = ", ".join([*always, *(name for name, _ in policies)])
            checker.report(
                first_over,
                f"{target} would have {total} {rules.plural} attached ({names}); "
                f"AWS allows at most {limit} per target" + (f", {always[0]} included" if always else ""),
            )


def _check_parameters(entry: GuardrailConfig, guardrail: Guardrail, checker: Checker) -> bool:
    """True when the guardrail can be rendered with the entry's parameters."""
    ok = True
    accepted = guardrail.accepted_parameters
    given = entry.parameters.given()
    for name, values in given.items():
        key = ("parameters", name)
        if name not in accepted:
            takes = f"it takes {', '.join(accepted)}" if accepted else "it takes none"
            checker.report(key, f"'{entry.guardrail}' has no parameter {name}; {takes}")
            ok = False
        elif not values:
            checker.report(key, f"must list at least one {PARAMETER_ITEMS[name]}")
            ok = False
    for name in guardrail.required_parameters:
        if name not in given:
            checker.report(("parameters", name), f"is required by '{entry.guardrail}'")
            ok = False
    return ok


def _check_exempt_permission_sets(
    entry: GuardrailConfig, permission_sets: Collection[str], checker: Checker
) -> None:
    """Every exempted permission set is one the stack defines: a typo would exempt nobody."""
    for position, name in enumerate(entry.parameters.exempt_permission_sets or ()):
        if name in permission_sets:
            continue
        # Role ARNs keep the set's case and ArnNotLike compares case-sensitively.
        same_but_case = sorted(known for known in permission_sets if known.lower() == name.lower())
        guess = same_but_case or difflib.get_close_matches(name, sorted(permission_sets), n=1)
        hint = f"; did you mean '{guess[0]}'?" if guess else ""
        checker.report(
            (position,), f"permission set '{name}' is not defined in identityCenter.permissionSets{hint}"
        )


def _check_document(entry: GuardrailConfig, text: str, checker: Checker) -> bool:
    """A custom document: named, JSON, and what AWS accepts for its type. True when renderable."""
    if entry.name is None:
        checker.report(("name",), "is required with document: the policy's name in AWS")
    if entry.parameters.given():
        checker.report(("parameters",), "only catalog guardrails take parameters")
    try:
        document = parse_json(text)
    except JsonTextError as err:
        checker.report(("document",), str(err))
        return False
    for problem in document_problems(document, entry.type_rules):
        checker.report(("document",), problem)
    return True  # JSON: its minified size can be measured


def _check_import(
    entry: GuardrailConfig, adopted: GuardrailImport, structure: OrganizationStructure, checker: Checker
) -> None:
    """Every imported attachment is one of the entry's targets, named by its live id."""
    targets = {structure.ou_import_ids.get(path) for path in entry.organizational_units}
    targets |= {structure.account_import_ids.get(name) for name in entry.accounts}
    repeated = {position for position, _ in repeats(adopted.attachments)}
    for position, target_id in enumerate(adopted.attachments):
        key = ("attachments", position)
        if position in repeated:
            checker.report(key, f"'{target_id}' is listed twice")
        elif ROOT_ID.matches(target_id):
            if not entry.root:
                checker.report(key, f"'{target_id}' is the root, but root is not set")
        elif OU_ID.matches(target_id) or ACCOUNT_ID.matches(target_id):
            if target_id not in targets:
                checker.report(
                    key,
                    f"'{target_id}' is not the import id of one of this entry's "
                    "organizationalUnits or accounts",
                )
        else:
            checker.report(key, f"'{target_id}' is not a root, OU or account id")
