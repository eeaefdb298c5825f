"""Names built for each account from `{placeholder}` patterns: root emails and IAM aliases.

The account slug is the one rule for how an account's name reads inside them. It must never
change: a different slug gives a different root email, and a new email replaces the account.
The policy pack keeps a copy (it cannot import the program), pinned by tests/test_shared_rules.py.
"""

from __future__ import annotations

import string

DEFAULT_EMAIL_PATTERN = "aws-{org}+{account}@{domain}"
EMAIL_PATTERN_FIELDS = ("org", "account", "domain")
ALIAS_PATTERN_FIELDS = ("org", "account")


def account_slug(name: str) -> str:
    """`Data Lake` -> `data-lake`: lowercase, each space a hyphen, nothing else changed."""
    return name.lower().replace(" ", "-")


def pattern_problem(pattern: str, fields: tuple[str, ...], why_account: str) -> str | None:
    """What is wrong with a pattern that builds one name per account, or None.

    `why_account` says why `{account}` is required (each account needs its own name).
    """
    try:
        used = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError as err:
        return f"'{pattern}' is not a valid pattern: {err}"
    unknown = sorted(used - set(fields))
    if unknown:
        allowed = ", ".join(f"{{{f}}}" for f in fields[:-1]) + f" and {{{fields[-1]}}}"
        return f"unknown placeholder {{{unknown[0]}}}; use {allowed}"
    if "account" not in used:
        return f"must contain {{account}}: {why_account}"
    return None


class _KeepUnknown(dict[str, str]):
    """Leaves unknown placeholders as they are; validation reports them once, by key."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(pattern: str, *, account_name: str, **fields: str) -> str:
    """The pattern with `{account}` as the account's slug and the other fields given."""
    return pattern.format_map(_KeepUnknown(account=account_slug(account_name), **fields))
