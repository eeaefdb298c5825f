"""`lz plan` with the policy pack, as a user runs it: levels, resources, exit codes, JSON."""

from __future__ import annotations

import json
import shutil

import pytest

from landing_zone.config import read_stack_file
from tests.builders import stack_values
from tests.conftest import PROJECT_DIR
from tests.helpers import run_lz, write_stack

BROKEN_ACCOUNTS = [
    {"name": "audit", "ou": "Security"},
    # Closed on deletion without being a sandbox, and an email outside the convention.
    {"name": "production", "ou": "Workloads/Production", "closeOnDeletion": True},
    {"name": "legacy", "email": "legacy-root@acme-corp.io"},
]
LIFECYCLE_MESSAGE = (
    "account 'production' sets closeOnDeletion but is not disposable: deleting it would close the account; "
    "list it in disposableAccounts or tag it environment=sandbox"
)
PRODUCTION_DISPOSABLE_MESSAGE = (
    "account 'production' is a production account but sets closeOnDeletion: removing it from the config "
    "would close it; a production account is never disposable, unset closeOnDeletion"
)
PRODUCTION_URN = (
    "urn:pulumi:broken::landing-zone::landing-zone:member-account:MemberAccount"
    "$aws:organizations/account:Account::production"
)


def write_broken_stack(tmp_path):
    return write_stack(tmp_path, stack_values(accounts=BROKEN_ACCOUNTS))


def test_plan_prod_runs_the_pack_with_its_enforcement_file_and_finds_nothing(capsys):
    code, out, err = run_lz(capsys, "plan", "--stack", "prod")
    assert (code, err) == (0, "")
    assert out.endswith(
        f"\nPolicies (landing-zone-policies, {PROJECT_DIR / 'policy' / 'config.prod.json'}): "
        "0 violations, 0 mandatory\n"
    )


def test_plan_of_a_broken_stack_prints_violations_with_level_and_resource_and_exits_1(capsys, tmp_path):
    code, out, err = run_lz(capsys, "plan", "--config-file", str(write_broken_stack(tmp_path)))
    assert (code, err) == (1, "")
    policy_part = out[out.index("\nPolicies (") :]
    assert policy_part.splitlines() == [
        "",
        "Policies (landing-zone-policies, the pack's default levels): 3 violations, 2 mandatory",
        "  [mandatory] account-lifecycle-safe: aws:organizations/account:Account 'production'",
        f"      {LIFECYCLE_MESSAGE}",
        "  [advisory] account-email-convention: aws:organizations/account:Account 'legacy'",
        "      account 'legacy' has root email legacy-root@acme-corp.io, which does not match "
        r"^[a-z0-9][a-z0-9._-]*\+{account}@[a-z0-9-]+(\.[a-z0-9-]+)+$",
        "  [mandatory] disposable-accounts-in-sandbox: aws:organizations/account:Account 'production'",
        f"      {PRODUCTION_DISPOSABLE_MESSAGE}",
    ]


def test_policy_config_picks_the_levels_and_json_lists_violations(capsys, tmp_path):
    stack = write_broken_stack(tmp_path)
    code, out, _ = run_lz(capsys, "plan", "--config-file", str(stack), "--format", "json",
        "--policy-config", str(PROJECT_DIR / "policy" / "config.dev.json"),
    )  # fmt: skip
    assert code == 0  # dev enforcement is advisory: reported, not blocking
    policy = json.loads(out)["policy"]
    assert policy["config"] == str(PROJECT_DIR / "policy" / "config.dev.json")
    assert policy["violations"][0] == {
        "policy": "account-lifecycle-safe",
        "level": "advisory",
        "message": LIFECYCLE_MESSAGE,
        "urn": PRODUCTION_URN,
    }
    # The dev file's convention is the lab organization's (aws-acme-lab+...): no account here follows it.
    assert sorted((v["policy"], v["level"], v["urn"].rpartition("::")[2]) for v in policy["violations"]) == [
        ("account-email-convention", "advisory", "audit"),
        ("account-email-convention", "advisory", "legacy"),
        ("account-email-convention", "advisory", "production"),
        ("account-lifecycle-safe", "advisory", "production"),
        ("disposable-accounts-in-sandbox", "advisory", "production"),
    ]


def test_no_policy_skips_the_pack(capsys, tmp_path):
    code, out, _ = run_lz(capsys, "plan", "--config-file", str(write_broken_stack(tmp_path)), "--no-policy")
    assert code == 0
    assert "Policies" not in out
    code, out, _ = run_lz(capsys, "plan", "--stack", "dev", "--no-policy", "--format", "json")
    assert code == 0 and "policy" not in json.loads(out)


def test_bad_policy_config_is_a_usage_error(capsys, tmp_path):
    bad = tmp_path / "levels.json"
    bad.write_text(json.dumps({"account-lifecycle-safe": {"disposableAccount": ["x"]}}))
    code, out, err = run_lz(capsys, "plan", "--stack", "dev", "--policy-config", str(bad))
    assert (code, out) == (2, "")
    assert err == (
        "lz plan: --policy-config: 'account-lifecycle-safe'.disposableAccount: unknown property "
        "(policy account-lifecycle-safe takes: closingTags, disposableAccounts, disposableTags)\n"
    )
    bad.write_text("{")
    code, out, err = run_lz(capsys, "plan", "--stack", "dev", "--policy-config", str(bad))
    assert code == 2
    assert err.startswith(f"lz plan: --policy-config: {bad} is not valid JSON: ")


def test_an_account_name_with_a_space_validates_and_plans_clean_under_the_prod_enforcement(capsys, tmp_path):
    # The pack once read `{account}` as the raw name while the program slugs it into the email.
    values = read_stack_file(PROJECT_DIR / "Pulumi.prod.yaml")
    values["landing-zone:accounts"].append({"name": "Data Lake", "ou": "Workloads/Production"})
    path = write_stack(tmp_path, values, "Pulumi.prod.yaml")
    code, out, err = run_lz(capsys, "validate", "--config-file", str(path))
    assert (code, err) == (0, "")
    code, out, err = run_lz(capsys, "plan", "--config-file", str(path), "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["policy"]["config"] == str(PROJECT_DIR / "policy" / "config.prod.json")
    assert report["policy"]["violations"] == []
    (data_lake,) = [a for a in report["accounts"] if a["name"] == "Data Lake"]
    assert data_lake["email"] == "aws-acme+data-lake@acme-corp.io"


def test_a_deeply_nested_enforcement_file_is_a_one_line_error(capsys, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000)
    code, out, err = run_lz(capsys, "plan", "--stack", "dev", "--policy-config", str(path))
    assert (code, out) == (2, "")
    assert err == f"lz plan: --policy-config: {path} is JSON nested more than 64 levels deep\n"


def test_a_pulumi_yaml_that_is_not_utf8_is_a_one_line_error(capsys, tmp_path):
    (tmp_path / "Pulumi.yaml").write_bytes("name: caf\xe9\n".encode("latin-1"))
    code, out, err = run_lz(capsys, "validate", "--stack", "dev", "--project-dir", str(tmp_path))
    assert (code, out) == (2, "")
    assert err.startswith(f"lz validate: cannot read {tmp_path / 'Pulumi.yaml'}: 'utf-8' codec can't decode")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--policy-pack", "{tmp}"], "lz plan: --policy-pack: no policy pack at {tmp}\n"),
        (
            ["--policy-pack", "{pack}", "--no-policy"],
            "lz plan: --policy-pack: not allowed with --no-policy (which runs no pack)\n",
        ),
    ],
)
def test_policy_pack_argument_errors(capsys, tmp_path, extra, message):
    pack = str(PROJECT_DIR / "policy")
    argv = [a.format(tmp=tmp_path, pack=pack) for a in extra]
    code, out, err = run_lz(capsys, "plan", "--stack", "dev", *argv)
    assert (code, out) == (2, "")
    assert err == message.format(tmp=tmp_path)


def test_policy_pack_argument_runs_that_pack_with_its_own_enforcement_file(capsys, tmp_path):
    # A copy whose prod enforcement file makes everything advisory: its file, not the project's, applies.
    pack = tmp_path / "rules"
    shutil.copytree(PROJECT_DIR / "policy", pack, ignore=shutil.ignore_patterns("venv", "__pycache__"))
    (pack / "config.prod.json").write_text('{"all": "advisory"}')
    stack = write_stack(tmp_path, stack_values(accounts=BROKEN_ACCOUNTS), "Pulumi.prod.yaml")
    code, out, err = run_lz(
        capsys, "plan", "--config-file", str(stack), "--policy-pack", str(pack), "--format", "json"
    )
    report = json.loads(out)
    assert (code, err) == (0, "")
    assert report["policy"]["config"] == str(pack / "config.prod.json")
    assert {v["level"] for v in report["policy"]["violations"]} == {"advisory"}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"no-such-policy": {}}', "{file}: 'no-such-policy': no such policy in pack landing-zone-policies"),
        ("{", "{file} is not valid JSON: "),
    ],
)
def test_a_bad_enforcement_file_lz_plan_picked_is_named_as_such(capsys, tmp_path, content, problem):
    # Not `--policy-config: ...`: the user passed no --policy-config, lz plan took config.prod.json.
    pack = tmp_path / "rules"
    shutil.copytree(PROJECT_DIR / "policy", pack, ignore=shutil.ignore_patterns("venv", "__pycache__"))
    picked = pack / "config.prod.json"
    picked.write_text(content)
    stack = write_stack(tmp_path, stack_values(accounts=BROKEN_ACCOUNTS), "Pulumi.prod.yaml")
    code, out, err = run_lz(capsys, "plan", "--config-file", str(stack), "--policy-pack", str(pack))
    assert (code, out) == (2, "")
    assert err.startswith("lz plan: " + problem.format(file=picked))
    assert err.endswith(" (the enforcement file for stack prod; --policy-config picks another)\n")
