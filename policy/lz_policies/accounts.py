"""Member accounts: never lost by accident, one unique conventional root email, full contacts."""

from __future__ import annotations

import re

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from .native import normalized
from .organization_view import PRODUCTION_KNOBS, VIEW_TYPES, OrganizationView, in_subtree
from .program_rules import ACCOUNT, ALTERNATE_CONTACT, CONTACT_TYPES, MAX_EMAIL_LENGTH, account_slug
from .props import is_unknown, tag_matches, undecided
from .schema import string_list
from .stack import References, of_type, resources_of

# An aws-native account sets nothing: Cloud Control closes it on deletion (see `native`), and
# the way out is another resource, not another input.
NATIVE_CLOSES = "is an aws-native account (closed when deleted)"
NATIVE_FIX = "make it with aws.organizations.Account"


def _closes(declared_type: str) -> str:
    return "sets closeOnDeletion" if declared_type == ACCOUNT else NATIVE_CLOSES


def _unset(declared_type: str) -> str:
    return "unset closeOnDeletion" if declared_type == ACCOUNT else NATIVE_FIX


DEFAULT_EMAIL_PATTERN = r"^[a-z0-9][a-z0-9._-]*\+{account}@[a-z0-9-]+(\.[a-z0-9-]+)+$"


def _check_account_lifecycle(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    resource_type, props = normalized(args)
    if resource_type != ACCOUNT:
        return
    config = args.get_config()
    name = props.get("name") if isinstance(props.get("name"), str) else args.name
    close, tags = props.get("closeOnDeletion"), props.get("tags")
    # Both come from the stack's config: unknown means something else computes them.
    for key, value in (("closeOnDeletion", close), ("tags", tags)):
        if is_unknown(value):
            report_violation(undecided(f"account '{name}'", key), None)
            return
    disposable_names = config.get("disposableAccounts", [])
    disposable_tags = config.get("disposableTags", ["environment=sandbox"])
    disposable = name in disposable_names or tag_matches(tags, disposable_tags)
    # A suspended account armed for closure (the program's lifecycle tag); where it sits, and
    # whether it is a production account, is disposable-accounts-in-sandbox's to judge.
    closing = tag_matches(tags, config.get("closingTags", ["lifecycle=suspended"]))
    if close is True and not (disposable or closing):
        report_violation(
            f"account '{name}' {_closes(args.resource_type)} but is not disposable: deleting it would "
            f"close the account; list it in disposableAccounts or tag it "
            f"{' or '.join(disposable_tags) or 'as disposable'}",
            None,
        )
    # An account closed when removed goes unprotected (Pulumi can only close an account it may
    # delete): allowed for a disposable one, and reported above for any other.
    if not args.opts.protect and close is not True:
        report_violation(
            f"account '{name}' is not protected: a removed config entry or `pulumi destroy` "
            "would take it out of the organization; register it with protect=True",
            None,
        )


account_lifecycle_safe = ResourceValidationPolicy(
    name="account-lifecycle-safe",
    description="Every AWS account is protected, but for disposable ones that are closed on deletion.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_check_account_lifecycle,
    config_schema=PolicyConfigSchema(
        properties={
            "disposableAccounts": string_list("account names that may set closeOnDeletion"),
            "disposableTags": string_list(
                "key=value tags that mark an account as disposable", ["environment=sandbox"]
            ),
            "closingTags": string_list(
                "key=value tags that mark a suspended account on its way to closure",
                ["lifecycle=suspended"],
            ),
        }
    ),
)


def _check_disposable_in_sandbox(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    config = args.get_config()
    view = OrganizationView(resources_of(args, *VIEW_TYPES))
    sandbox_ous = config.get("sandboxOus", ["Sandbox"])
    # Suspended accounts are closed from there (state: closed, after state: suspended); a new
    # sandbox starts in quarantine (organization.quarantineOu) and moves to its OU next update.
    closable_ous = [
        *sandbox_ous,
        *config.get("suspendedOus", ["Suspended"]),
        *config.get("quarantineOus", ["Quarantine"]),
    ]
    for account in view.accounts:
        close, tags = account.props.get("closeOnDeletion"), account.props.get("tags")
        if close is not True or is_unknown(tags):
            continue  # account-lifecycle-safe reports unknown ones
        name, parent_id = account.label(), account.props.get("parentId")
        path = view.parent_path(account)
        production = view.is_production(account, config)
        if path is None and is_unknown(parent_id):
            report_violation(undecided(f"account '{name}'", "the OU it sits in (parentId)"), account.urn)
        elif production:
            report_violation(
                f"account '{name}' is a production account but {_closes(account.declared_type)}: removing it "
                "from the config would close it; a production account is never disposable, "
                f"{_unset(account.declared_type)}",
                account.urn,
            )
        elif path is None or not in_subtree(path, closable_ous):
            report_violation(
                f"account '{name}' {_closes(account.declared_type)} but sits in {view.placement(account)}, "
                f"outside the sandbox, suspended and quarantine OUs ({', '.join(closable_ous) or 'none'}): "
                "only sandbox and suspended accounts are closed on deletion; "
                f"move it under a sandbox OU or {_unset(account.declared_type)}",
                account.urn,
            )


disposable_accounts_in_sandbox = StackValidationPolicy(
    name="disposable-accounts-in-sandbox",
    description="Only accounts under a sandbox OU, and never a production one, are closed on deletion.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_check_disposable_in_sandbox,
    config_schema=PolicyConfigSchema(
        properties={
            # A tag or a listed name is set by whoever edits the account; the OU is where the
            # organization's guardrails put it, so it decides.
            "sandboxOus": string_list(
                "OU names or paths whose accounts (subtree) may be disposable", ["Sandbox"]
            ),
            "suspendedOus": string_list(
                "OU names or paths of suspended accounts (organization.suspendedOu), which may be "
                "armed for closure",
                ["Suspended"],
            ),
            "quarantineOus": string_list(
                "OU names or paths new accounts start in (organization.quarantineOu), which a new "
                "sandbox passes through",
                ["Quarantine"],
            ),
            **PRODUCTION_KNOBS,
        }
    ),
)


def _check_emails_unique(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    seen: dict[str, str] = {}
    for account in resources_of(args, ACCOUNT):
        email, name = account.props.get("email"), account.label()
        if is_unknown(email):
            # Root emails come from the stack's config: unknown means something else computes them.
            report_violation(undecided(f"account '{name}'", "email"), account.urn)
            continue
        if not isinstance(email, str):
            continue
        key = email.lower()
        if key in seen:
            report_violation(
                f"account '{name}' has the same root email as account '{seen[key]}': {email}",
                account.urn,
            )
        else:
            seen[key] = name


account_emails_unique = StackValidationPolicy(
    name="account-emails-unique",
    description="No two AWS accounts share a root email address.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_check_emails_unique,
)


def _check_email_convention(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    config = args.get_config()
    pattern = config.get("pattern", DEFAULT_EMAIL_PATTERN)
    exempt = config.get("exemptAccounts", [])
    for account in resources_of(args, ACCOUNT):
        email, name = account.props.get("email"), account.label()
        if name in exempt:
            continue
        if is_unknown(email):
            report_violation(undecided(f"account '{name}'", "email"), account.urn)
            continue
        if not isinstance(email, str):
            continue
        # {account} is the name as the program puts it in emails: `Data Lake` -> `data-lake`.
        expected = pattern.replace("{account}", re.escape(account_slug(name)))
        if len(email) > MAX_EMAIL_LENGTH:
            report_violation(
                f"account '{name}' has a root email of {len(email)} characters "
                f"(AWS allows {MAX_EMAIL_LENGTH}): {email}",
                account.urn,
            )
        elif not re.match(expected, email, re.IGNORECASE):
            report_violation(
                f"account '{name}' has root email {email}, which does not match {pattern}",
                account.urn,
            )


account_email_convention = StackValidationPolicy(
    name="account-email-convention",
    description="Every AWS account's root email follows the company's plus-addressing convention.",
    enforcement_level=EnforcementLevel.ADVISORY,
    validate=_check_email_convention,
    config_schema=PolicyConfigSchema(
        properties={
            "pattern": {
                "type": "string",
                "default": DEFAULT_EMAIL_PATTERN,
                "description": "regular expression (case-insensitive); {account} stands for the account name",
            },
            "exemptAccounts": string_list("account names whose email predates the convention"),
        }
    ),
)


def _check_alternate_contacts(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    resources = resources_of(args, ACCOUNT, ALTERNATE_CONTACT)
    accounts = of_type(resources, ACCOUNT)
    account_of = References(accounts)
    found: dict[str, set[str]] = {account.urn: set() for account in accounts}
    for contact in of_type(resources, ALTERNATE_CONTACT):
        # A contact without accountId is the management account's; one whose accountId is
        # another account's is that account's: only the value, or while it is unknown the one
        # account it is computed from, says whose contact it is (a dependsOn does not).
        account = account_of.through_input(contact, "accountId")
        if account is None:
            continue
        contact_type = contact.props.get("alternateContactType")
        if is_unknown(contact_type):
            # The type comes from the stack's config: unknown means something else computes it.
            report_violation(
                undecided(f"alternate contact '{contact.name}'", "alternateContactType"), contact.urn
            )
        elif isinstance(contact_type, str):
            found[account.urn].add(contact_type.upper())
    for account in accounts:
        missing = [t for t in CONTACT_TYPES if t not in found[account.urn]]
        if missing:
            report_violation(
                f"account '{account.label()}' has no {', '.join(missing)} alternate contact",
                account.urn,
            )


alternate_contacts_complete = StackValidationPolicy(
    name="alternate-contacts-complete",
    description="Every member account has billing, security and operations alternate contacts.",
    enforcement_level=EnforcementLevel.MANDATORY,
    validate=_check_alternate_contacts,
)
