"""`{placeholder}` patterns: format codes, conversions, indexes and bad braces are refused with the
key or option and the known placeholders, never a ValueError (issue 12 item 5). One rule for the
email pattern, the alias pattern, `lz import --email-pattern` and `sso-config --template`."""

from __future__ import annotations

import pytest

from landing_zone.config.naming import fill
from landing_zone.live.importer import ImportOptions, ImportProblem, build_stack
from tests.builders import stack_values
from tests.helpers import problems_of, run_lz, sso_config_args
from tests.live.test_import import live_state

EMAIL = "{org}, {account} and {domain}"
# (id, pattern with {account} where the account goes, what is wrong with it)
PATTERNS = [
    (
        "a format code",
        "aws-{org}+{account:d}@{domain}",
        "placeholder '{account:d}' has a format code; write {account}",
    ),
    (
        "a width",
        "aws-{org}+{account:>10}@{domain}",
        "placeholder '{account:>10}' has a format code; write {account}",
    ),
    (
        "a conversion",
        "aws-{org!r}+{account}@{domain}",
        "placeholder '{org!r}' has a format code; write {org}",
    ),
    ("a nested placeholder", "aws-{org:{account}}+{account}@{domain}", None),
    ("an index", "aws-{org}+{account[0]}@{domain}", "unknown placeholder {account[0]}; use " + EMAIL),
    (
        "an attribute",
        "aws-{org}+{account.__class__}@{domain}",
        "unknown placeholder {account.__class__}; use " + EMAIL,
    ),
    ("a positional placeholder", "aws-{0}+{account}@{domain}", "unknown placeholder {0}; use " + EMAIL),
    ("an empty placeholder", "aws-{}+{account}@{domain}", "unknown placeholder {}; use " + EMAIL),
    (
        "an unmatched brace",
        "aws-{org+{account}@{domain}",
        "'aws-{org+{account}@{domain}' is not a valid pattern: unexpected '{' in field name "
        "(write a literal brace as {{ or }})",
    ),
    (
        "a lone closing brace",
        "aws-}{org}+{account}@{domain}",
        "'aws-}{org}+{account}@{domain}' is not a valid pattern: Single '}' encountered in format string "
        "(write a literal brace as {{ or }})",
    ),
]
NESTED = "placeholder '{org:{account}}' has a format code; write {org}"


def _expected(message: str | None) -> str:
    return NESTED if message is None else message


@pytest.mark.parametrize(("pattern", "message"), [c[1:] for c in PATTERNS], ids=[c[0] for c in PATTERNS])
def test_an_email_pattern(pattern, message):
    values = stack_values(organization_changes={"emailPattern": pattern})
    assert problems_of(values)[:1] == [f"landing-zone:organization.emailPattern: {_expected(message)}"]


@pytest.mark.parametrize(("pattern", "message"), [c[1:] for c in PATTERNS], ids=[c[0] for c in PATTERNS])
def test_an_alias_pattern(pattern, message):
    alias = pattern.removeprefix("aws-").split("@")[0].replace("+", "-")
    values = stack_values(baseline={"accountAlias": alias})
    expected = _expected(message).replace(EMAIL, "{org} and {account}")
    expected = expected.replace(pattern.removeprefix("aws-").replace("@{domain}", ""), "")
    problems = [p for p in problems_of(values) if p.startswith("landing-zone:baseline.accountAlias:")]
    assert len(problems) == 1
    if "is not a valid pattern" in expected:
        assert problems[0].endswith(expected.split(" is not a valid pattern")[1])
    else:
        assert problems[0] == f"landing-zone:baseline.accountAlias: {expected}"


@pytest.mark.parametrize(("pattern", "message"), [c[1:] for c in PATTERNS], ids=[c[0] for c in PATTERNS])
def test_an_import_email_pattern(pattern, message):
    with pytest.raises(ImportProblem) as raised:
        build_stack(
            live_state([]), ImportOptions(region="eu-west-1", email_pattern=pattern), "landing-zone", "live"
        )
    assert f"landing-zone:organization.emailPattern: {_expected(message)}" in str(raised.value)


@pytest.mark.parametrize(("pattern", "message"), [c[1:] for c in PATTERNS], ids=[c[0] for c in PATTERNS])
def test_an_sso_config_template(capsys, prod_outputs, pattern, message):
    template = pattern.replace("@{domain}", "-{permission_set}")
    expected = _expected(message).replace(EMAIL, "{org}, {account}, {account_id} and {permission_set}")
    expected = expected.replace(pattern, template)
    code, out, err = run_lz(capsys, *sso_config_args(prod_outputs, "Platform", "--template", template))
    assert (code, out, err) == (2, "", f"lz sso-config: --template: {expected}\n")


@pytest.mark.parametrize("pattern", [c[1] for c in PATTERNS], ids=[c[0] for c in PATTERNS])
def test_filling_a_bad_pattern_never_raises(pattern):
    # Validation reports the pattern by key; whatever fills it before then must not crash.
    assert "audit" in fill(pattern, account_name="Audit", org="acme", domain="acme-corp.io") or "{" in pattern
