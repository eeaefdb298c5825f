"""Second phase of loading: cross-reference checks over a parsed config.

Every check appends to one list of problems so that a user fixing a stack sees all of
them at once, each under the key they would edit.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from functools import cached_property

from .base import CONTACT_TYPES, EMAIL_PATTERN
from .baseline import check_baseline
from .cost_controls import check_budgets
from .delegated_administrators import check_delegated_administrators
from .errors import Problem
from .guardrails import check_guardrails
from .identity import identity_center_problems
from .model import LandingZoneConfig
from .organization_trail import check_organization_trail

MAX_EMAIL_LENGTH = 64  # AWS Organizations' limit on an account's root email
MAX_OU_DEPTH = 5  # AWS allows five levels of OUs below the root
MAX_OU_NAME_LENGTH = 128
EMAIL_PATTERN_FIELDS = ("org", "account", "domain")
# RFC 2606 / RFC 6761 names that never receive mail: fine for practice, wrong for production.
PLACEHOLDER_DOMAINS = frozenset({"example.com", "example.net", "example.org"})
PLACEHOLDER_TLDS = frozenset({"example", "test", "invalid", "localhost", "local"})


def key_path(namespace: str, *parts: str | int) -> str:
    """`key_path("landing-zone", "accounts", 3, "email")` -> `landing-zone:accounts[3].email`."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return f"{namespace}:{text}"


def is_placeholder_domain(domain: str) -> bool:
    domain = domain.lower().rstrip(".")
    if domain.rsplit(".", 1)[-1] in PLACEHOLDER_TLDS:
        return True
    return any(domain == d or domain.endswith("." + d) for d in PLACEHOLDER_DOMAINS)


def validate(config: LandingZoneConfig, namespace: str) -> list[Problem]:
    """Every cross-reference problem in `config`, in config order."""
    checker = _Checker(config, namespace)
    checker.check_organization()
    checker.check_organizational_units()
    checker.check_accounts()
    checker.problems.extend(identity_center_problems(config, namespace))
    check_guardrails(checker)
    check_budgets(checker)
    check_baseline(checker)
    check_organization_trail(checker)
    check_delegated_administrators(checker)
    return checker.problems


class _Checker:
    def __init__(self, config: LandingZoneConfig, namespace: str) -> None:
        self.config = config
        self.namespace = namespace
        self.problems: list[Problem] = []
        self.email_pattern_ok = True

    def report(self, parts: Iterable[str | int], message: str) -> None:
        self.problems.append(Problem(key_path(self.namespace, *parts), message))

    @cached_property
    def account_names(self) -> frozenset[str]:
        return frozenset(account.name for account in self.config.accounts)

    def check_account_defined(self, parts: tuple[str | int, ...], name: str) -> bool:
        """A reference to a member account by name: it must be one of `accounts`."""
        if name in self.account_names:
            return True
        self.report(parts, f"account '{name}' is not defined in accounts")
        return False

    def check_name_pattern(
        self, parts: tuple[str | int, ...], pattern: str, fields: tuple[str, ...], why_account: str
    ) -> bool:
        """A `{placeholder}` pattern that builds one name per account (emails, aliases)."""
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
        except ValueError as err:
            self.report(parts, f"'{pattern}' is not a valid pattern: {err}")
            return False
        unknown = sorted(used - set(fields))
        if unknown:
            allowed = ", ".join(f"{{{f}}}" for f in fields[:-1]) + f" and {{{fields[-1]}}}"
            self.report(parts, f"unknown placeholder {{{unknown[0]}}}; use {allowed}")
            return False
        if "account" not in used:
            self.report(parts, f"must contain {{account}}: {why_account}")
            return False
        return True

    def check_email(self, parts: tuple[str | int, ...], email: str, origin: str = "") -> bool:
        """Format, length and (in production) placeholder-domain rules for one address."""
        shown = f"'{email}'{origin}"
        if not EMAIL_PATTERN.match(email):
            self.report(parts, f"{shown} is not a valid email address")
            return False
        if len(email) > MAX_EMAIL_LENGTH:
            self.report(
                parts,
                f"{shown} is {len(email)} characters; AWS allows at most {MAX_EMAIL_LENGTH}",
            )
            return False
        domain = email.rsplit("@", 1)[1]
        if self.config.organization.production and is_placeholder_domain(domain):
            self.report(
                parts,
                f"{shown} uses the placeholder domain {domain}, "
                "refused in a production stack (organization.production is true)",
            )
            return False
        return True

    def check_organization(self) -> None:
        org = self.config.organization
        if org.create and org.import_id:
            self.report(
                ("organization", "import"),
                "cannot be set together with organization.create: "
                "either create a new organization or import the existing one",
            )
        if org.production and is_placeholder_domain(org.domain):
            self.report(
                ("organization", "domain"),
                f"{org.domain} is a placeholder domain, refused in a production stack "
                "(organization.production is true)",
            )
        self.email_pattern_ok = self.check_name_pattern(
            ("organization", "emailPattern"),
            org.email_pattern,
            EMAIL_PATTERN_FIELDS,
            "every account needs its own root email",
        )
        self.check_email(("organization", "notificationEmail"), org.notification_email)
        for contact_type in CONTACT_TYPES:
            contact = getattr(org.contacts, contact_type)
            if contact.email is not None:
                self.check_email(("organization", "contacts", contact_type, "email"), contact.email)
        for index, principal in enumerate(org.aws_service_access_principals):
            if not re.fullmatch(r"[a-z0-9.-]+\.amazonaws\.com", principal):
                self.report(
                    ("organization", "awsServiceAccessPrincipals", index),
                    f"'{principal}' is not an AWS service principal (like sso.amazonaws.com)",
                )
        if org.feature_set != "ALL" and org.enabled_policy_types:
            self.report(
                ("organization", "enabledPolicyTypes"),
                "policy types need featureSet ALL; CONSOLIDATED_BILLING cannot enable them",
            )

    def check_organizational_units(self) -> None:
        seen: dict[str, int] = {}
        for index, ou in enumerate(self.config.organizational_units):
            parts = ("organizationalUnits", index, "path")
            segments = ou.path.split("/")
            if any(not s.strip() for s in segments):
                self.report(parts, f"'{ou.path}' has an empty name; write paths like Workloads/Production")
                continue
            too_long = [s for s in segments if len(s) > MAX_OU_NAME_LENGTH]
            if too_long:
                self.report(
                    parts,
                    f"OU name '{too_long[0][:20]}...' is longer than {MAX_OU_NAME_LENGTH} characters",
                )
            if ou.path in seen:
                self.report(parts, f"same path as organizationalUnits[{seen[ou.path]}]")
                continue
            seen[ou.path] = index
            if len(segments) > MAX_OU_DEPTH:
                self.report(
                    parts,
                    f"'{ou.path}' is {len(segments)} levels deep; AWS allows at most {MAX_OU_DEPTH}",
                )
        for index, ou in enumerate(self.config.organizational_units):
            parent = ou.parent_path
            if parent is not None and parent not in seen and ou.path in seen:
                self.report(
                    ("organizationalUnits", index, "path"),
                    f"parent OU '{parent}' is not defined in organizationalUnits",
                )
        self._check_unique_imports(
            "organizationalUnits", [ou.import_id for ou in self.config.organizational_units]
        )

    def check_accounts(self) -> None:
        ou_paths = {ou.path for ou in self.config.organizational_units}
        names: dict[str, int] = {}
        emails: dict[str, int] = {}
        for index, account in enumerate(self.config.accounts):
            folded = account.name.lower()
            if folded in names:
                self.report(
                    ("accounts", index, "name"),
                    f"same name as accounts[{names[folded]}] ({self.config.accounts[names[folded]].name})",
                )
            else:
                names[folded] = index
            if account.ou is not None and account.ou not in ou_paths:
                self.report(
                    ("accounts", index, "ou"),
                    f"OU '{account.ou}' is not defined in organizationalUnits",
                )
            if not account.email and not self.email_pattern_ok:
                continue  # reported once, at organization.emailPattern
            origin = "" if account.email else " (from organization.emailPattern)"
            email = self.config.email_for(account)
            if self.check_email(("accounts", index, "email"), email, origin):
                folded_email = email.lower()
                if folded_email in emails:
                    first = emails[folded_email]
                    self.report(
                        ("accounts", index, "email"),
                        f"same address as accounts[{first}] ({self.config.accounts[first].name})",
                    )
                else:
                    emails[folded_email] = index
            if account.contacts:
                for contact_type in CONTACT_TYPES:
                    override = getattr(account.contacts, contact_type)
                    if override is not None and override.email is not None:
                        self.check_email(
                            ("accounts", index, "contacts", contact_type, "email"), override.email
                        )
        self._check_unique_imports("accounts", [a.import_id for a in self.config.accounts])

    def _check_unique_imports(self, collection: str, import_ids: list[str | None]) -> None:
        first_seen: dict[str, int] = {}
        for index, import_id in enumerate(import_ids):
            if import_id is None:
                continue
            if import_id in first_seen:
                self.report(
                    (collection, index, "import"),
                    f"{import_id} is already imported by {collection}[{first_seen[import_id]}]",
                )
            else:
                first_seen[import_id] = index
