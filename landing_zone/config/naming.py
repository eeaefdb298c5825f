"""Names built for each account from `{placeholder}` patterns: root emails and IAM aliases.

The account slug is the one rule for how an account's name reads inside them. It must never
change: a different slug gives a different root email, and a new email replaces the account.
The policy pack keeps a copy (it cannot import the program), pinned by tests/test_shared_rules.py.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence

from .excerpt import excerpt

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
    problem = placeholder_problem(pattern, fields)
    if problem is None and "account" not in _placeholders(pattern):
        return f"must contain {{account}}: {why_account}"
    return problem


def placeholder_problem(pattern: str, fields: Sequence[str]) -> str | None:
    """What is wrong with the `{placeholder}`s of `pattern`, or None: the one home of the rule
    for every pattern and template (emails, aliases, profile names). A placeholder is a known
    field name and nothing else: no format code (`{account:>10}`), conversion (`{org!r}`),
    index or attribute (`{account[0]}`)."""
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as err:
        return f"{excerpt(pattern)} is not a valid pattern: {err} (write a literal brace as {{{{ or }}}})"
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in fields:
            return f"unknown placeholder {{{excerpt(name, 40, quote=False)}}}; use {_known(fields)}"
        if spec or conversion:
            written = excerpt(
                f"{{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}", 40
            )
            return f"placeholder {written} has a format code; write {{{name}}}"
    return None


def _known(fields: Sequence[str]) -> str:
    names = [f"{{{field}}}" for field in fields]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"


def _placeholders(pattern: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError:
        return set()


def substitute(pattern: str, values: Mapping[str, str]) -> str:
    """`pattern` with each known `{placeholder}` replaced by its value; never raises: unknown
    placeholders and format codes stay as written (validation reports them, by key)."""
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError:
        return pattern
    out: list[str] = []
    for literal, name, _, _ in parsed:
        out.append(literal)
        if name is not None:
            out.append(values.get(name, "{" + name + "}"))
    return "".join(out)


def fill(pattern: str, *, account_name: str, **fields: str) -> str:
    """The pattern with `{account}` as the account's slug and the other fields given."""
    return substitute(pattern, {"account": account_slug(account_name), **fields})
