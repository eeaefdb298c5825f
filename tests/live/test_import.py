"""`lz import`: the planted organization written as a stack, then read back by `lz plan`."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml

from landing_zone.cli import main
from landing_zone.config import load_from_mapping
from landing_zone.live.audit import drift
from landing_zone.live.contacts import LiveContact
from landing_zone.live.importer import ImportOptions, ImportProblem, LiveState, build_stack, read_live_state
from landing_zone.live.organization import (
    LiveAccount,
    LiveOrganization,
    LiveOrganizationalUnit,
    read_organization,
)
from landing_zone.live.session import Clients
from tests.conftest import PROJECT_DIR
from tests.live.planted import ACCOUNTS, OU_PATHS


@pytest.fixture
def project(tmp_path):
    """A copy of the Pulumi project, so that the written stack file lands beside it."""
    for name in ("Pulumi.yaml", "__main__.py"):
        shutil.copy(PROJECT_DIR / name, tmp_path / name)
    # The pack too: the imported stack must also pass the landing zone's policies.
    shutil.copytree(
        PROJECT_DIR / "policy", tmp_path / "policy", ignore=shutil.ignore_patterns("venv", "__pycache__")
    )
    return tmp_path


def run_lz(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def import_args(project, *extra):
    return ["import", "--stack", "live", "--project-dir", str(project), "--org-name", "acme",
            "--domain", "acme-corp.io", *extra]  # fmt: skip


def test_import_then_plan_reproduces_the_live_organization(server_env, capsys, project):
    session, planted = server_env
    code, out, err = run_lz(capsys, *import_args(project))
    assert (code, err) == (0, "")
    stack_file = project / "Pulumi.live.yaml"
    assert out == (
        f"Wrote {stack_file}\n"
        "  4 organizational units, 5 accounts (1 with an explicit email), each with its import id\n"
        f"  organization {planted.organization_id}: looked up\n"
        "  read, not written yet (no config keys on this branch): 1 service control policies (1 attachments)\n"
        "  read, not written yet: Identity Center 1 permission sets, 1 groups, 1 account assignments\n"
        "Next: lz plan --stack live, then pulumi up --stack live\n"
    )
    values = yaml.safe_load(stack_file.read_text())["config"]
    assert values["landing-zone:organizationalUnits"] == [
        {
            "path": path,
            "import": planted.ou_ids[path],
            **({"tags": {"cost-center": "rnd"}} if path == "Sandbox" else {}),
        }
        for path in sorted(OU_PATHS)
    ]
    accounts = {a["name"]: a for a in values["landing-zone:accounts"]}
    assert accounts["legacy"] == {
        "name": "legacy",
        "email": "legacy-root@acme-corp.io",  # off the pattern: kept explicitly
        "import": planted.account_ids["legacy"],
        "tags": {"environment": "legacy"},
    }
    # Contacts equal to the organization's (from the management account's) need no override.
    assert accounts["production"] == {
        "name": "production",
        "ou": "Workloads/Production",
        "import": planted.account_ids["production"],
        "tags": {"environment": "production"},
    }
    organization = values["landing-zone:organization"]
    assert organization["notificationEmail"] == "aws-notifications@acme-corp.io"
    assert organization["contacts"]["security"] == {
        "name": "Acme Security",
        "title": "Team",
        "phone": "+44 20 7946 0000",
    }

    resources_file = project / "resources.json"
    code, out, err = run_lz(
        capsys, "plan", "--stack", "live", "--project-dir", str(project), "--format", "json",
        "--resources-out", str(resources_file),
    )  # fmt: skip
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["organizationalUnits"] == sorted(OU_PATHS)
    assert {a["name"]: (a["ou"], a["email"], a["import"]) for a in report["accounts"]} == {
        name: (ou, email, planted.account_ids[name]) for name, (ou, email) in ACCOUNTS.items()
    }
    resources = json.loads(resources_file.read_text())
    ou_imports = {r["name"]: r["importId"] for r in resources if r["type"].endswith(":OrganizationalUnit")}
    assert ou_imports == planted.ou_ids

    # Round trip: the written stack shows no drift against the organization it came from.
    config = load_from_mapping(values)
    live = read_organization(Clients(session), with_tags=False, with_policies=False)
    assert {check.id: check.run(config, live).outcome for check in drift.CHECKS} == {
        "stack.accounts-not-in-config": "pass",
        "stack.accounts-not-in-organization": "pass",
        "stack.account-ou": "pass",
        "stack.account-emails": "pass",
    }


def test_an_existing_stack_file_is_kept_unless_forced(server_env, capsys, project):
    stack_file = project / "Pulumi.live.yaml"
    stack_file.write_text("config: {}\n")
    code, out, err = run_lz(capsys, *import_args(project))
    assert (code, out) == (2, "")
    assert err == f"lz import: {stack_file} already exists; pass --force to overwrite it\n"
    assert stack_file.read_text() == "config: {}\n"
    code, out, err = run_lz(capsys, *import_args(project, "--force"))
    assert (code, err) == (0, "")
    assert "landing-zone:accounts:" in stack_file.read_text()


def test_bad_stack_name_is_a_usage_error(capsys, project):
    code, out, err = run_lz(capsys, "import", "--stack", "../x", "--project-dir", str(project))
    assert (code, err) == (
        2,
        "lz import: --stack: '../x' is not a stack name (letters, digits, '-', '_', '.')\n",
    )


def test_manage_organization_adopts_it_with_its_live_settings(planted_inprocess):
    session, planted = planted_inprocess
    state = read_live_state(Clients(session))
    options = ImportOptions(
        org_name="acme", domain="acme-corp.io", manage_organization=True, region="eu-west-1"
    )
    organization = build_stack(state, options, "landing-zone", "live").values["landing-zone:organization"]
    assert {k: organization[k] for k in ("import", "featureSet", "awsServiceAccessPrincipals")} == {
        "import": planted.organization_id,
        "featureSet": "ALL",
        "awsServiceAccessPrincipals": ["account.amazonaws.com", "sso.amazonaws.com"],
    }


def live_state(accounts, management_contacts=None, member_contacts=None, units=()):
    organization = LiveOrganization(
        id="o-abcdefghij",
        feature_set="ALL",
        management_account_id="111111111111",
        management_email="aws-acme+management@acme-corp.io",
        root_id="r-ab12",
        enabled_policy_types=("SERVICE_CONTROL_POLICY",),
        service_access_principals=(),
        organizational_units=tuple(units),
        accounts=(
            LiveAccount(
                "111111111111", "management", "aws-acme+management@acme-corp.io", "ACTIVE", "r-ab12", None
            ),
            *accounts,
        ),
        policies=(),
    )
    return LiveState(organization, None, management_contacts or {}, member_contacts or {})


def test_names_come_from_the_management_email_and_missing_contacts_are_flagged():
    state = live_state(
        [
            LiveAccount("222222222222", "dev", "aws-acme+dev@acme-corp.io", "ACTIVE", "r-ab12", None),
            LiveAccount("333333333333", "old", "aws-acme+old@acme-corp.io", "SUSPENDED", "r-ab12", None),
        ]
    )
    imported = build_stack(state, ImportOptions(region="eu-west-1"), "landing-zone", "live")
    organization = imported.values["landing-zone:organization"]
    assert (organization["name"], organization["domain"]) == ("acme", "acme-corp.io")
    assert organization["notificationEmail"] == "aws-acme+management@acme-corp.io"
    assert organization["contacts"]["billing"] == {
        "name": "Billing contact (placeholder)",
        "title": "Replace me",
        "phone": "+1 555 0100",
    }
    assert imported.values["landing-zone:accounts"] == [{"name": "dev", "import": "222222222222"}]
    lines = imported.text.splitlines()
    assert (
        "  # PLACEHOLDER organization.contacts.billing: the management account's BILLING contact is not set; "
        "every member account gets this contact on `pulumi up`"
    ) in lines
    assert "  # not imported: 333333333333 old is SUSPENDED" in lines
    assert yaml.safe_load(imported.text)["config"] == imported.values


def test_member_contacts_that_differ_from_the_defaults_become_overrides():
    security = LiveContact("Acme Security", "SecOps", "secops@acme-corp.io", "+1 555 0101")
    state = live_state(
        [LiveAccount("222222222222", "dev", "aws-acme+dev@acme-corp.io", "ACTIVE", "r-ab12", None)],
        management_contacts={"SECURITY": security},
        member_contacts={
            "222222222222": {"SECURITY": LiveContact("Dev Lead", "SecOps", "dev@acme-corp.io", "+1 555 0101")}
        },
    )
    imported = build_stack(state, ImportOptions(region="eu-west-1"), "landing-zone", "live")
    assert imported.values["landing-zone:organization"]["notificationEmail"] == "secops@acme-corp.io"
    assert imported.values["landing-zone:accounts"][0]["contacts"] == {
        "security": {"name": "Dev Lead", "email": "dev@acme-corp.io"}
    }


def test_an_organization_that_breaks_the_config_rules_is_refused():
    units = [
        LiveOrganizationalUnit(f"ou-ab12-{i:08d}", f"L{i}", "/".join(f"L{j}" for j in range(i + 1)), "x")
        for i in range(6)
    ]
    state = live_state([], units=units)
    with pytest.raises(ImportProblem) as raised:
        build_stack(state, ImportOptions(region="eu-west-1"), "landing-zone", "live")
    assert str(raised.value) == (
        "the live organization does not fit the config rules:\n"
        "  landing-zone:organizationalUnits[5].path: 'L0/L1/L2/L3/L4/L5' is 6 levels deep; AWS allows at most 5"
    )


def test_a_live_value_the_config_cannot_hold_is_refused_without_a_traceback():
    long_name = "x" * 51  # AWS allows 50: only a hand-edited or future organization has this
    state = live_state([LiveAccount("222222222222", long_name, "a@acme-corp.io", "ACTIVE", "r-ab12", None)])
    with pytest.raises(ImportProblem) as raised:
        build_stack(state, ImportOptions(region="eu-west-1"), "landing-zone", "live")
    assert str(raised.value) == (
        "the live organization does not fit the config model:\n"
        "  name: String should match pattern '^[\\x20-\\x7e]{1,50}$'"
    )
