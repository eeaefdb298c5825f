"""One home per rule: the pack's copies match the program's, users never read a regex, and
the config package has no import circle."""

from __future__ import annotations

import ast
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from landing_zone import admin_access, resource_types
from landing_zone.config import LandingZoneConfig
from landing_zone.config.admin_identities import names_admin_identity
from landing_zone.config.base import ACCOUNT_ID, AWS_CONTACT_TYPES, Matching
from landing_zone.config.checker import MAX_EMAIL_LENGTH
from landing_zone.config.identity import session_seconds
from landing_zone.config.naming import account_slug
from landing_zone.guardrails.policy_types import POLICY_TYPES, SERVICE_CONTROL_POLICY
from tests.policy_builders import PACK_DIR  # noqa: F401 - puts the pack on sys.path

from lz_policies import iam_semantics, identity_center, program_rules  # isort: skip

CONFIG_PACKAGE = Path(__file__).resolve().parents[1] / "landing_zone" / "config"

ACCOUNT_NAMES = [
    "Data Lake",
    "a  b",
    "Prod_EU",
    "audit",
    "MiXeD Case 01",
    "x-y z",
    "dots.and+plus",
    "trailing ",
    "(brackets) & co!",
]


@pytest.mark.parametrize("name", ACCOUNT_NAMES)
def test_the_pack_slugs_account_names_as_the_program_does(name):
    assert program_rules.account_slug(name) == account_slug(name)


@pytest.mark.parametrize(
    ("pattern", "user_name"),
    [
        ("*+admin@*", "alice+admin@acme-corp.io"),
        ("*+admin@*", "Alice+ADMIN@acme-corp.io"),
        ("*+admin@*", "alice@acme-corp.io"),
        ("admin-*", "admin-alice"),
        ("a.b", "axb"),
        ("a(b", "a(b"),
        ("", "alice"),
        (None, "alice"),
    ],
)
def test_the_pack_names_admin_identities_as_the_program_does(pattern, user_name):
    assert program_rules.names_admin_identity(pattern, user_name) == names_admin_identity(pattern, user_name)


def test_the_slug_is_the_one_root_emails_were_made_with():
    # A different slug would change root emails, and a new email replaces the account.
    assert [account_slug(n) for n in ("Data Lake", "a  b", "Prod_EU")] == ["data-lake", "a--b", "prod_eu"]


def test_the_pack_knows_the_program_s_resource_types():
    copies = {name: value for name, value in vars(program_rules).items() if name.isupper()}
    tokens = {name: copies[name] for name in copies if copies[name].__class__ is str and ":" in copies[name]}
    assert tokens, "no type tokens in the pack's copy"
    for name, token in tokens.items():
        assert getattr(resource_types, name) == token, name


@pytest.mark.parametrize(
    "value",
    ["123456789012", "12345678901", "1234567890123", "123456789012\n", "١٢٣٤٥٦٧٨٩٠١٢", "12345678901a"],
)
def test_the_pack_reads_account_ids_as_the_program_does(value):
    assert (program_rules.ACCOUNT_ID.fullmatch(value) is not None) == ACCOUNT_ID.matches(value)


def test_the_pack_s_contact_types_and_email_limit_are_the_program_s():
    assert program_rules.CONTACT_TYPES == AWS_CONTACT_TYPES
    assert program_rules.MAX_EMAIL_LENGTH == MAX_EMAIL_LENGTH


def _string_rules(
    annotation: typing.Any, metadata: list[typing.Any], seen: set[int]
) -> typing.Iterator[typing.Any]:
    """Every metadata object that constrains a string, reachable from `annotation`."""
    yield from metadata
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *extra = typing.get_args(annotation)
        yield from _string_rules(base, list(extra), seen)
        return
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if id(annotation) in seen:
            return
        seen.add(id(annotation))
        for field in annotation.model_fields.values():
            yield from _field_rules(field, seen)
        return
    for argument in typing.get_args(annotation):
        yield from _string_rules(argument, [], seen)


def _field_rules(field: FieldInfo, seen: set[int]) -> typing.Iterator[typing.Any]:
    yield from _string_rules(field.annotation, list(field.metadata), seen)


def test_no_config_field_shows_a_regex_every_pattern_has_words():
    rules = list(_string_rules(LandingZoneConfig, [], set()))
    patterns = [rule for rule in rules if getattr(rule, "pattern", None) and not isinstance(rule, Matching)]
    assert patterns == [], "a raw pattern would show users a regex: use Matching(pattern, words)"
    matching = [rule for rule in rules if isinstance(rule, Matching)]
    assert len({rule.pattern for rule in matching}) >= 15  # the walk reaches the nested models
    assert all(rule.words.strip() and "\\" not in rule.words for rule in matching)


def _imports_of(path: Path) -> set[str]:
    """Sibling modules `path` imports, TYPE_CHECKING imports included."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("landing_zone.config."):
            found.add(node.module.split(".")[2])
    return found


def test_the_config_package_has_no_import_circle():
    graph = {path.stem: _imports_of(path) - {path.stem} for path in CONFIG_PACKAGE.glob("*.py")}
    graph = {module: {m for m in imports if m in graph} for module, imports in graph.items()}
    visiting: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> None:
        if module in visiting:
            cycle = visiting[visiting.index(module) :] + [module]
            pytest.fail(f"import circle: {' -> '.join(cycle)}")
        if module in done:
            return
        visiting.append(module)
        for imported in sorted(graph[module]):
            visit(imported)
        visiting.pop()
        done.add(module)

    for module in sorted(graph):
        if module != "__init__":
            visit(module)


def test_the_checker_is_a_leaf():
    assert _imports_of(CONFIG_PACKAGE / "checker.py") <= {"base", "errors"}


def test_the_pack_s_admin_lists_are_the_program_s():
    assert iam_semantics.ADMIN_MANAGED_POLICIES == admin_access.ADMIN_MANAGED_POLICIES
    assert iam_semantics.ESCALATION_ACTIONS == admin_access.ESCALATION_ACTIONS


ADMIN_STATEMENTS = [
    {"Effect": "Allow", "Action": "*", "Resource": "*"},
    {"Effect": "Allow", "Action": ["s3:*", "iam:Attach*"], "Resource": "arn:aws:iam::*:role/*"},
    {"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "arn:aws:iam::*:user/*"},
    {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"},
    {"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"},
    {"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::logs"},
    {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::logs/*"},
    {"Effect": "Allow", "Action": "IAM:PUTROLEPOLICY", "Resource": "*"},
    # One account's roles, or a pattern that spells the service with a wildcard: admin there.
    {"Effect": "Allow", "Action": "iam:*", "Resource": "arn:aws:iam::123456789012:role/*"},
    {"Effect": "Allow", "Action": "iam:AttachUserPolicy", "Resource": ["arn:aws:i?m::*:user/*"]},
    {"Effect": "Allow", "Action": "iam:*", "Resource": "arn:aws:iam::123456789012:role/app-*"},
    {"Effect": "Deny", "Action": "*", "Resource": "*"},
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
]


@pytest.mark.parametrize("statement", ADMIN_STATEMENTS)
def test_the_pack_judges_admin_as_the_program_does(statement):
    document = {"Version": "2012-10-17", "Statement": [statement]}
    assert iam_semantics.admin_grant(document) == admin_access.admin_grant(document)


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:iam::aws:policy/AdministratorAccess",
        "arn:aws:iam::aws:policy/job-function/Billing",
        "arn:aws-cn:iam::aws:policy/IAMFullAccess",
        "arn:aws:iam::123456789012:policy/AdministratorAccess",
        "AdministratorAccess",
    ],
)
def test_the_pack_reads_managed_admin_policies_as_the_program_does(arn):
    assert iam_semantics.admin_managed_policy(arn) == admin_access.admin_managed_policy(arn)


@pytest.mark.parametrize(
    "duration",
    [
        "PT12H",
        "PT1H30M",
        "PT90M",
        "PT3600S",
        "P0DT4H",
        "P0DT1H30M",
        "P1D",
        "P1W",
        "P1Y",
        "PT",
        "P",
        "PT1.5H",
        "8h",
        "pt1h",
    ],
)
def test_the_pack_reads_session_durations_as_the_program_does(duration):
    hours = identity_center.session_hours(duration)
    assert (None if hours is None else round(hours * 3600)) == session_seconds(duration)


def test_the_pack_s_authorization_policy_types_are_the_program_s():
    assert (
        tuple(name for name, rules in POLICY_TYPES.items() if rules.grammar == "iam")
        == program_rules.AUTHORIZATION_POLICY_TYPES
    )
    assert program_rules.DEFAULT_POLICY_TYPE == SERVICE_CONTROL_POLICY
