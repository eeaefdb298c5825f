"""Broken and hostile stack files: each gets one line naming the key (or the file), exit 2, no
traceback, bounded output, memory and time; valid edge cases still pass (issue 12 items 1-4)."""

from __future__ import annotations

import codecs
import re
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml

from landing_zone.config import ConfigError, load_from_mapping, read_stack_file
from landing_zone.live.importer import _Dumper
from tests.builders import stack_values
from tests.helpers import PROJECT_DIR, problem_table, problems_of, run_lz

MAX_BYTES = 4 * 1024 * 1024  # the documented limit
PROD = (PROJECT_DIR / "Pulumi.prod.yaml").read_text(encoding="utf-8")
PROD_LINES = PROD.count("\n")
MINIMAL = yaml.safe_dump({"config": stack_values()}, allow_unicode=True)


def appended(extra: str) -> str:
    return PROD + extra


def replaced(old: str, new: str) -> str:
    assert PROD.count(old) == 1, old
    return PROD.replace(old, new)


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


# Lines of the prod stack the cases below name: other sections grow above them.
GUARDRAILS_LINE = line_of(PROD, "  landing-zone:guardrails:")
ACCOUNTS_LINE = line_of(PROD, "  landing-zone:accounts:")
PRODUCTION_LINE = line_of(PROD, "    - name: production")
ENVIRONMENT_TAG_LINE = line_of(PROD, "        environment: production")
AUDIT_LINE = line_of(PROD, "    - name: audit")


LAUGHS = "config:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"  {c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)
HUGE_NAME = "n" * 3_000_000
# After the problems with the keys: a 3 MB value also takes the config past what Pulumi can pass on.
TOO_LARGE = (
    "{path}: the stack's config is 3,0{size} bytes as Pulumi passes it to the program and the policy pack "
    "(PULUMI_CONFIG), more than the 131,072 Linux allows one environment variable (pulumi/pulumi#20402): "
    "move accounts to files named by landing-zone:accountFiles, or split the organization with "
    "landing-zone:accountStacks"
)
TOP_KEYS = (
    "organization, organizationalUnits, accounts, identityCenter, guardrails, budgets, baseline, "
    "organizationTrail, delegatedAdministrators, accountFiles, accountStacks"
)
DEEP = "config:\n  landing-zone:accounts: " + "[" * 5000 + "]" * 5000 + "\n"
WIDE_BAD_LINE = "config:\n  aws:region: [" + "x" * 2_000_000 + "\n"

# (id, file bytes, expected stderr lines with {path} for the file's path)
CASES: list[tuple[str, bytes | str, list[str]]] = [
    # Item 1: duplicate keys, at any level, name both lines.
    (
        "guardrails emptied by a second key",
        appended("  landing-zone:guardrails: []\n"),
        [
            f"landing-zone:guardrails: appears twice (lines {GUARDRAILS_LINE} and {PROD_LINES + 1}; Pulumi keeps the last): "
            "keep one in {path}"
        ],
    ),
    (
        "accounts emptied by a second key",
        appended("  landing-zone:accounts:\n"),
        [
            f"landing-zone:accounts: appears twice (lines {ACCOUNTS_LINE} and {PROD_LINES + 1}; Pulumi keeps the last): "
            "keep one in {path}"
        ],
    ),
    (
        "a repeated key inside an account",
        replaced("    - name: production\n", "    - name: production\n      name: prod\n"),
        [
            f"landing-zone:accounts[2].name: appears twice (lines {PRODUCTION_LINE} and {PRODUCTION_LINE + 1}; "
            "Pulumi keeps the last): keep one in {path}"
        ],
    ),
    (
        "a repeated tag in a flow mapping",
        replaced(
            "        environment: production\n", "        environment: production\n        environment: dev\n"
        ),
        [
            f"landing-zone:accounts[2].tags.environment: appears twice (lines {ENVIRONMENT_TAG_LINE} and "
            f"{ENVIRONMENT_TAG_LINE + 1}; Pulumi keeps the last): "
            "keep one in {path}"
        ],
    ),
    (
        "a repeated top-level config key",
        PROD + "config:\n  aws:region: us-east-1\n",
        [
            f"config: appears twice (lines 4 and {PROD_LINES + 1}; Pulumi keeps the last): keep one in {{path}}"
        ],
    ),
    (
        "the same key quoted and plain",
        "config:\n  aws:region: eu-west-1\n  'aws:region': us-east-1\n",
        ["aws:region: appears twice (lines 2 and 3; Pulumi keeps the last): keep one in {path}"],
    ),
    # Item 2: hostile sizes and aliases; what is echoed is short and escaped.
    (
        "a billion laughs",
        LAUGHS,
        [
            "{path}: stands for more than 200,000 values through YAML aliases (*name); write the values out instead"
        ],
    ),
    (
        "an alias that refers to itself",
        "config:\n  landing-zone:accounts: &a [*a]\n",
        ["landing-zone:accounts[0]: has a YAML alias on line 2 that refers to itself in {path}"],
    ),
    (
        "a file over the size limit",
        "config:\n  aws:region: " + "x" * MAX_BYTES + "\n",
        ["{path}: is larger than 4 MB, the limit for a stack file"],
    ),
    (
        "a 3 MB account name",
        replaced("    - name: audit\n", f"    - name: {HUGE_NAME}\n"),
        [
            f"landing-zone:accounts[0].name: '{'n' * 30}...{'n' * 15}' (3,000,000 characters) is not "
            "1 to 50 printable ASCII characters (AWS account name rules)",
            TOO_LARGE,
        ],
    ),
    (
        "an account name with a terminal escape",
        replaced("    - name: audit\n", '    - name: "audit\\e[2J\\n"\n'),
        [
            "landing-zone:accounts[0].name: 'audit\\x1b[2J\\n' is not 1 to 50 printable ASCII "
            "characters (AWS account name rules)"
        ],
    ),
    (
        "a long line that is not YAML",
        WIDE_BAD_LINE,
        ["{path}: is not valid YAML: did not find expected ',' or ']' (line 3, column 1)"],
    ),
    (
        "nesting 5000 deep",
        DEEP,
        ["{path}: is not valid YAML: exceeded maximum nesting depth (line 2, column 1024)"],
    ),
    (
        "a number of 5000 digits",
        "config:\n  aws:region: " + "1" * 5000 + "\n",
        ["{path}: is not valid YAML: a number of 5000 digits (line 2, column 15)"],
    ),
    (
        "a tab for indentation",
        "config:\n\taws:region: eu-west-1\n",
        ["{path}: is not valid YAML: found character that cannot start any token (line 2, column 1)"],
    ),
    ("a list for a document", "- config\n", ["{path}: must be a mapping with a 'config' key"]),
    ("config a list", "config: [a]\n", ["{path}: config: must be a mapping of config keys"]),
    (
        "a number for a config key",
        "config:\n  1: x\n",
        ["{path}: config: key '1' must be a string like 'aws:region'"],
    ),
    (
        "a list for a config key",
        "config:\n  ? [a]\n  : x\n",
        ["{path}: is not valid YAML: found unhashable key (line 2, column 5)"],
    ),
    (
        "an unknown tag",
        "config:\n  aws:region: !vault eu-west-1\n",
        [
            "{path}: is not valid YAML: could not determine a constructor for the tag '!vault' (line 2, column 15)"
        ],
    ),
    (
        "a 3 MB unknown key",
        replaced("    name: acme\n", f"    name: acme\n    ? {HUGE_NAME}\n    : 1\n"),
        [
            f"landing-zone:organization.{'n' * 30}...{'n' * 15} (3,000,000 characters): unknown key; "
            "known keys: name, domain, production, create, import, featureSet, enabledPolicyTypes, "
            "awsServiceAccessPrincipals, emailPattern, notificationEmail, contacts, primaryContact, "
            "optInRegions, rootAccessManagement, managementAccount, suspendedOu, quarantineOu, tags",
            TOO_LARGE,
        ],
    ),
    (
        "a 3 MB top-level key",
        appended(f"  ? landing-zone:{HUGE_NAME}\n  : 1\n"),
        [
            f"landing-zone:{'n' * 30}...{'n' * 15} (3,000,000 characters): unknown key; known keys: "
            + TOP_KEYS,
            TOO_LARGE,
        ],
    ),
    (
        "a 3 MB project name",
        appended(f"  ? {HUGE_NAME}:accounts\n  : []\n"),
        [
            f"{'n' * 30}...{'n' * 6}:accounts (3,000,009 characters): is under '{'n' * 30}...{'n' * 15} "
            "(3,000,000 characters):', and this project is 'landing-zone' (the name Pulumi.yaml declares): "
            "write landing-zone:accounts, or rename the project",
            TOO_LARGE,
        ],
    ),
    # Item 3: encodings.
    (
        "Latin-1",
        replaced("    - name: audit\n", "    - name: audité\n").encode("latin-1"),
        [
            f"{{path}}: is not UTF-8: byte 0xe9 on line {AUDIT_LINE} (Latin-1 or Windows-1252?); "
            "UTF-8 is expected: save it as UTF-8"
        ],
    ),
    (
        "UTF-16 as Windows PowerShell writes it",
        codecs.BOM_UTF16_LE + PROD.encode("utf-16-le"),
        ["{path}: is UTF-16 (as Windows PowerShell writes files); UTF-8 is expected: save it as UTF-8"],
    ),
    (
        "UTF-16 big-endian",
        codecs.BOM_UTF16_BE + PROD.encode("utf-16-be"),
        ["{path}: is UTF-16 (as Windows PowerShell writes files); UTF-8 is expected: save it as UTF-8"],
    ),
    (
        "UTF-32",
        PROD.encode("utf-32"),
        ["{path}: is UTF-32 (as Windows PowerShell writes files); UTF-8 is expected: save it as UTF-8"],
    ),
    (
        "UTF-16 without a byte-order mark",
        PROD.encode("utf-16-le"),
        ["{path}: has a NUL byte on line 1 (UTF-16 without a byte-order mark?); UTF-8 is expected"],
    ),
    # Item 4: read as YAML 1.2, the way Pulumi reads it.
    (
        "an account id with a leading zero, unquoted",
        replaced("    - name: audit\n", "    - name: audit\n      import: 066019281614\n"),
        [
            "landing-zone:accounts[0].import: must be a string: 066019281614 is a number to Pulumi (YAML 1.2); "
            "quote it: '066019281614'"
        ],
    ),
    (
        "an account id YAML 1.1 reads as octal",
        replaced("    - name: audit\n", "    - name: audit\n      import: 012345670123\n"),
        [
            "landing-zone:accounts[0].import: must be a string: 012345670123 is a number to Pulumi (YAML 1.2); "
            "quote it: '012345670123'"
        ],
    ),
    (
        "a name in exponent form",
        replaced("    - name: audit\n", "    - name: 1e3\n"),
        [
            "landing-zone:accounts[0].name: must be a string: 1e3 is a number to Pulumi (YAML 1.2); quote it: '1e3'"
        ],
    ),
    (
        "a name YAML 1.2 reads as octal",
        replaced("    - name: audit\n", "    - name: 0o17\n"),
        [
            "landing-zone:accounts[0].name: must be a string: 0o17 is a number to Pulumi (YAML 1.2); quote it: '0o17'"
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_broken_stack_file_gets_one_line_per_problem(capsys, tmp_path, text, expected):
    path = tmp_path / "Pulumi.broken.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    tracemalloc.start()
    started = time.process_time()
    try:
        run = run_lz(capsys, "validate", "--config-file", str(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    lines = run.err.splitlines()
    assert run.code == 2
    assert len(lines) == len(expected), run.err
    for line, pattern in zip(lines, expected, strict=True):
        # The size of a 3 MB config depends on the file: any 3,0xx,xxx.
        regex = re.escape(pattern.replace("{path}", str(path))).replace(r"\{size\}", r"\d\d,\d\d\d")
        assert re.fullmatch(regex, line), (line, pattern)
    assert "Traceback" not in run.err
    assert time.process_time() - started < 5
    assert peak < 200 * 1024 * 1024


VALID = [
    ("the prod example", PROD),
    ("UTF-8 with a byte-order mark", codecs.BOM_UTF8 + PROD.encode("utf-8")),
    ("CRLF line ends", PROD.replace("\n", "\r\n")),
    (
        "one account",
        yaml.safe_dump(
            {"config": stack_values(accounts=[{"name": "production", "ou": "Workloads/Production"}])}
        ),
    ),
    ("no Identity Center", MINIMAL),
    (
        "unicode names",
        yaml.safe_dump(
            {
                "config": stack_values(
                    organization_changes={
                        "contacts": {
                            kind: {
                                "name": "Zoë Łukasiewicz",
                                "title": "Équipe sécurité",
                                "phone": "+33 1 23 45 67 89",
                                "email": f"{kind}@example-corp.fr",
                            }
                            for kind in ("billing", "security", "operations")
                        }
                    }
                )
            },
            allow_unicode=True,
        ),
    ),
    (
        "yes and on are strings in YAML 1.2",
        MINIMAL.replace("name: audit", "name: 'yes'").replace("'yes'", "yes"),
    ),
    (
        "anchors and aliases within bounds",
        MINIMAL.replace("ou: Security", "ou: &ou Security").replace("path: Security", "path: *ou"),
    ),
    (
        "a quoted account id",
        replaced(
            "    - name: audit\n",
            "    - name: audit\n      import: '066019281614'\n      roleName: OrganizationAccountAccessRole\n",
        ),
    ),
]


@pytest.mark.parametrize("text", [c[1] for c in VALID], ids=[c[0] for c in VALID])
def test_a_valid_edge_case_validates(capsys, tmp_path, text):
    path = tmp_path / "Pulumi.edge.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    run = run_lz(capsys, "validate", "--config-file", str(path))
    assert (run.code, run.err) == (0, "")


def test_a_stack_file_reads_as_yaml_1_2():
    path_values = {
        "066019281614": 66019281614,
        "0o17": 15,
        "0x1F": 31,
        "1e3": 1000.0,
        "-.5": -0.5,
        "yes": "yes",
        "on": "on",
        "2024-01-01": "2024-01-01",
        "1:20": "1:20",
        "0b101": "0b101",
        "true": True,
        "~": None,
    }
    text = "config:\n" + "".join(f"  k{n}: {written}\n" for n, written in enumerate(path_values))
    read = _read(text)
    assert list(read.values()) == list(path_values.values())


def _read(text: str) -> dict:
    import tempfile

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "Pulumi.t.yaml"
        path.write_text(text, encoding="utf-8")
        return read_stack_file(path)


def test_the_importer_writes_strings_that_read_the_same_under_yaml_1_1_and_1_2():
    values = [
        "066019281614",
        "1e3",
        "0o17",
        "-.5",
        ".5",
        "+1",
        "0x1F",
        "0b101",
        "1_000",
        "1:20",
        "yes",
        "on",
        "true",
        "null",
        "~",
        "",
        ".inf",
        ".NaN",
        "2024-01-01",
        "12.",
        "acme",
        "Zoë",
    ]
    text = yaml.dump(
        {"config": {f"k{n}": value for n, value in enumerate(values)}},
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
    )
    for number in ("066019281614", "1e3", "0o17", "-.5", "+1"):
        assert f"'{number}'" in text
    assert list(yaml.safe_load(text)["config"].values()) == values
    assert list(_read(text).values()) == values


def test_a_duplicate_key_is_refused_by_load_too():
    with pytest.raises(ConfigError):
        _read(MINIMAL + "  landing-zone:accounts: []\n")
    assert load_from_mapping(_read(MINIMAL)).accounts


# Item 6: keys under another project's name, deep JSON, a project without its program.
DEEP_JSON = "[" * 100_000 + "]" * 100_000
DEEP_POLICY = '{"Version": "2012-10-17", "Statement": ' + "[" * 65 + "]" * 65 + "}"
ELSEWHERE = "this project is 'landing-zone' (the name Pulumi.yaml declares)"


def _under(namespace: str, values: dict) -> dict:
    return {key.replace("landing-zone:", f"{namespace}:"): value for key, value in values.items()}


def _with_identity_policy(text: str) -> dict:
    values = yaml.safe_load(PROD)["config"]
    values["landing-zone:identityCenter"]["permissionSets"][0]["inlinePolicy"] = text
    return values


OTHER_CASES = [
    (
        "every key under another project name",
        _under("lz", stack_values()),
        [
            f"lz:organization: is under 'lz:', and {ELSEWHERE}: write landing-zone:organization, or rename the project",
            f"lz:organizationalUnits: is under 'lz:', and {ELSEWHERE}: write landing-zone:organizationalUnits, "
            "or rename the project",
            f"lz:accounts: is under 'lz:', and {ELSEWHERE}: write landing-zone:accounts, or rename the project",
        ],
    ),
    (
        "one key under a misspelt project name",
        {**stack_values(), "landingzone:guardrails": []},
        [
            f"landingzone:guardrails: is under 'landingzone:', and {ELSEWHERE}: write landing-zone:guardrails, "
            "or rename the project"
        ],
    ),
    (
        "deep JSON as structured config",
        {**stack_values(), "landing-zone:accounts": DEEP_JSON},
        ["landing-zone:accounts: is JSON nested more than 64 levels deep"],
    ),
    (
        "a deep guardrail document",
        stack_values(guardrails=[{"document": DEEP_POLICY, "name": "deep", "root": True}]),
        ["landing-zone:guardrails[0].document: is JSON nested more than 64 levels deep"],
    ),
    (
        "a deep guardrail document that is not JSON either",
        stack_values(guardrails=[{"document": "{" * 100_000, "name": "deep", "root": True}]),
        ["landing-zone:guardrails[0].document: is JSON nested more than 64 levels deep"],
    ),
    (
        "a deep inline policy",
        _with_identity_policy(DEEP_POLICY),
        [
            "landing-zone:identityCenter.permissionSets[0].inlinePolicy: is JSON nested more than 64 levels deep"
        ],
    ),
    (
        "brackets inside JSON strings do not count",
        stack_values(accounts=[{"name": "audit", "ou": "Security", "tags": {"x": "[" * 100}}]),
        [],
    ),
]


@problem_table(OTHER_CASES)
def test_keys_elsewhere_and_deep_json(values, expected):
    assert problems_of(values) == expected


def test_plan_on_a_project_without_its_program_is_a_usage_error(capsys, tmp_path):
    (tmp_path / "Pulumi.yaml").write_text("name: landing-zone\nruntime: python\n")
    (tmp_path / "Pulumi.prod.yaml").write_text(PROD)
    run = run_lz(capsys, "plan", "--stack", "prod", "--project-dir", str(tmp_path))
    assert (run.code, run.out, run.err) == (
        2,
        "",
        f"lz plan: {tmp_path} has no __main__.py: lz plan runs the landing-zone program of --project-dir "
        "(a copy of this project, with its Pulumi.yaml and __main__.py)\n",
    )
