"""`lz validate` and `lz plan` as a user runs them: exit codes, stdout, stderr, files."""

from __future__ import annotations

import argparse
import json
import re

import pytest

from landing_zone.cli import build_parser, main
from tests.builders import stack_values
from tests.conftest import PROJECT_DIR
from tests.helpers import run_lz, write_stack


def test_validate_accepts_both_example_stacks(capsys):
    code, out, err = run_lz(capsys, "validate", "--stack", "prod")
    assert (code, err) == (0, "")
    assert out == f"{PROJECT_DIR / 'Pulumi.prod.yaml'}: valid (7 accounts, 6 organizational units)\n"
    code, out, err = run_lz(capsys, "validate", "--stack", "dev")
    assert (code, err) == (0, "")
    assert out == f"{PROJECT_DIR / 'Pulumi.dev.yaml'}: valid (3 accounts, 3 organizational units)\n"


def test_validate_reports_every_problem_one_per_line_exit_2(capsys, tmp_path):
    path = write_stack(
        tmp_path,
        stack_values(
            accounts=[
                {"name": "audit", "ou": "Nowhere"},
                {"name": "audit", "email": "broken"},
                {"name": "production", "closeOnDeletion": False, "emial": "x@acme-corp.io"},
            ]
        ),
    )
    code, out, err = run_lz(capsys, "validate", "--config-file", str(path))
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        "landing-zone:accounts[2].emial: unknown key; did you mean 'email'?",
    ]
    path = write_stack(
        tmp_path,
        stack_values(accounts=[{"name": "audit", "ou": "Nowhere"}, {"name": "audit", "email": "broken"}]),
    )
    code, out, err = run_lz(capsys, "validate", "--config-file", str(path))
    assert code == 2
    assert err.splitlines() == [
        "landing-zone:accounts[0].ou: OU 'Nowhere' is not defined in organizationalUnits",
        "landing-zone:accounts[1].name: same name as accounts[0] (audit)",
        "landing-zone:accounts[1].email: 'broken' is not a valid email address",
    ]


def test_plan_refuses_a_broken_config_with_exit_2_and_no_traceback(capsys, tmp_path):
    path = write_stack(tmp_path, stack_values(accounts=[{"name": "audit", "ou": "Nowhere"}]))
    code, out, err = run_lz(capsys, "plan", "--config-file", str(path))
    assert (code, out) == (2, "")
    assert "Traceback" not in err
    assert err == "landing-zone:accounts[0].ou: OU 'Nowhere' is not defined in organizationalUnits\n"


def test_missing_stack_file_is_a_usage_error(capsys):
    code, out, err = run_lz(capsys, "plan", "--stack", "nope")
    assert code == 2
    assert err == f"lz plan: no stack config file at {PROJECT_DIR / 'Pulumi.nope.yaml'}\n"


def test_invalid_yaml_names_the_file(capsys, tmp_path):
    path = tmp_path / "Pulumi.bad.yaml"
    path.write_text("config: [unclosed\n")
    code, out, err = run_lz(capsys, "validate", "--config-file", str(path))
    assert code == 2
    assert err.startswith(f"{path}: is not valid YAML")


def test_plan_json_lists_every_prod_account_with_pattern_emails(capsys):
    code, out, err = run_lz(capsys, "plan", "--no-policy", "--stack", "prod", "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["stack"] == "prod"
    assert report["organizationalUnits"] == [
        "Sandbox",
        "Security",
        "Suspended",
        "Workloads",
        "Workloads/NonProduction",
        "Workloads/Production",
    ]
    accounts = {a["name"]: a for a in report["accounts"]}
    assert set(accounts) == {
        "audit",
        "log-archive",
        "production",
        "staging",
        "dev",
        "sandbox-alice",
        "sandbox-bob",
    }
    for name, account in accounts.items():
        assert account["email"] == f"aws-acme+{name}@acme-corp.io"
        assert re.fullmatch(r"\d{12}", account["id"])
    assert accounts["production"]["ou"] == "Workloads/Production"
    assert report["resources"]["byType"]["aws:organizations/account:Account"] == 7
    assert report["resources"]["count"] == sum(report["resources"]["byType"].values())


def test_plan_text_draws_the_ou_tree_with_accounts(capsys):
    code, out, err = run_lz(capsys, "plan", "--no-policy", "--stack", "prod")
    assert code == 0, err
    assert "Pulumi mocks, no AWS credentials used" in out
    assert (
        "└── Workloads/\n"
        "    ├── NonProduction/\n"
        "    │   ├── dev  <aws-acme+dev@acme-corp.io>\n"
        "    │   └── staging  <aws-acme+staging@acme-corp.io>\n"
        "    └── Production/\n"
        "        └── production  <aws-acme+production@acme-corp.io>\n"
    ) in out
    assert "sandbox-alice  <aws-acme+sandbox-alice@acme-corp.io>  [closed on deletion]" in out


def test_resources_out_is_the_view_a_policy_pack_gets(capsys, tmp_path):
    out_file = tmp_path / "resources.json"
    code, _, err = run_lz(capsys, "plan", "--no-policy", "--stack", "dev", "--resources-out", str(out_file))
    assert code == 0, err
    resources = json.loads(out_file.read_text())
    accounts = [r for r in resources if r["type"] == "aws:organizations/account:Account"]
    assert len(accounts) == 3
    for account in accounts:
        assert set(account) >= {
            "type",
            "name",
            "urn",
            "parent",
            "provider",
            "inputs",
            "protect",
            "retainOnDelete",
            "ignoreChanges",
            "dependencies",
            "propertyDependencies",
        }
        kept = not account["inputs"]["closeOnDeletion"]
        assert account["protect"] is kept and account["retainOnDelete"] is kept
        assert account["inputs"]["email"].startswith("aws-acme-lab+")
        assert account["ignoreChanges"] == ["roleName", "iamUserAccessToBilling", "email", "name"]


def test_an_unwritable_resources_out_is_a_usage_error(capsys, tmp_path):
    target = tmp_path / "missing-dir" / "resources.json"
    code, out, err = run_lz(capsys, "plan", "--no-policy", "--stack", "dev", "--resources-out", str(target))
    assert code == 2
    assert err.startswith("lz plan: --resources-out: cannot write")


def test_every_command_has_a_description_and_every_option_its_help():
    parser = build_parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for name, command in commands.choices.items():
        assert command.description, name
        undocumented = [
            a.option_strings or a.dest
            for a in command._actions
            if not a.help and not isinstance(a, argparse._HelpAction)
        ]
        assert undocumented == [], name


def test_version_and_an_unknown_option_gets_the_command_s_own_usage(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("lz ")
    with pytest.raises(SystemExit) as done:
        main(["plan", "--stack", "dev", "--bogus"])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: lz plan ")
    assert err.endswith("lz plan: error: unrecognized arguments: --bogus\n")
