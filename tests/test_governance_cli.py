"""`lz plan` shows guardrails per target and budgets, in text and JSON; `lz validate` refuses."""

from __future__ import annotations

import json

from tests.builders import custom_policies, stack_values
from tests.helpers import run_lz, write_stack


def test_plan_text_lists_the_guardrails_of_each_target_and_the_budgets(capsys):
    code, out, err = run_lz(capsys, "plan", "--no-policy", "--stack", "prod")
    assert code == 0, err
    assert (
        "Guardrails (organization policies by type and target):\n"
        "  Service control policies (FullAWSAccess stays attached to every target):\n"
        "    Root                        deny-leaving-organization, deny-root-user, protect-security-services\n"
        "    OU Sandbox                  deny-region-changes, deny-unapproved-regions, protect-account-settings\n"
        "    OU Security                 deny-iam-users, deny-unapproved-regions, protect-account-settings\n"
        "    OU Suspended                deny-all-suspended\n"
        "    OU Workloads                deny-iam-users, deny-unapproved-regions, protect-account-settings\n"
        "    OU Workloads/NonProduction  deny-region-changes\n"
        "    OU Workloads/Production     deny-region-changes, deny-s3-bucket-deletion\n"
        "  Resource control policies (RCPFullAWSAccess stays attached to every target):\n"
        "    Root                        deny-insecure-transport\n"
        "    OU Workloads                deny-access-from-outside-organization\n"
        "  Declarative policies for EC2:\n"
        "    Root                        block-public-images-and-require-imdsv2\n"
        "  Tag policies:\n"
        "    OU Workloads                require-cost-center-tag\n"
        "  Backup policies:\n"
        "    OU Workloads/Production     daily-production-backups\n"
        "  AI services opt-out policies:\n"
        "    Root                        opt-out-of-ai-services\n"
        "  Security Hub policies:\n"
        "    OU Security                 security-hub-in-governed-regions\n"
        "    OU Workloads                security-hub-in-governed-regions\n"
        "  Inspector policies:\n"
        "    OU Workloads                inspector-scanning\n"
    ) in out
    assert (
        "Budgets:\n"
        "  acme-monthly                5000 USD/month  whole organization  ACTUAL 80%, ACTUAL 100%, FORECASTED 100%\n"
        "  acme-production-monthly     3000 USD/month  production          ACTUAL 80%, ACTUAL 100%, FORECASTED 100%\n"
        "  acme-sandbox-alice-monthly   100 USD/month  sandbox-alice       ACTUAL 80%, ACTUAL 100%, FORECASTED 100%\n"
        "  acme-sandbox-bob-monthly     100 USD/month  sandbox-bob         ACTUAL 80%, ACTUAL 100%, FORECASTED 100%\n"
        "  notifications to aws-notifications@acme-corp.io, finance@acme-corp.io\n"
    ) in out


def test_plan_json_has_guardrails_and_budgets(capsys):
    code, out, err = run_lz(capsys, "plan", "--no-policy", "--stack", "dev", "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    scp, ou = "SERVICE_CONTROL_POLICY", "ORGANIZATIONAL_UNIT"
    assert report["guardrails"] == [
        {"policy": "deny-leaving-organization", "policyType": scp, "target": "Root", "targetType": "ROOT"},
        {"policy": "deny-unapproved-regions", "policyType": scp, "target": "Sandbox", "targetType": ou},
        {
            "policy": "chat-from-private-slack-channels",
            "policyType": "CHATBOT_POLICY",
            "target": "Root",
            "targetType": "ROOT",
        },
        {
            "policy": "bedrock-lab-guardrail",
            "policyType": "BEDROCK_POLICY",
            "target": "Sandbox",
            "targetType": ou,
        },
        {"policy": "block-public-buckets", "policyType": "S3_POLICY", "target": "Root", "targetType": "ROOT"},
        {
            "policy": "lab-upgrades-first",
            "policyType": "UPGRADE_ROLLOUT_POLICY",
            "target": "Root",
            "targetType": "ROOT",
        },
    ]
    assert [(b["name"], b["limitAmount"], b["account"]) for b in report["budgets"]] == [
        ("acme-lab-monthly", "50", None),
        ("acme-lab-zero-spend", "0.01", None),
    ]
    assert report["budgets"][0]["notifications"] == [
        {"type": "ACTUAL", "threshold": 80},
        {"type": "ACTUAL", "threshold": 100},
        {"type": "FORECASTED", "threshold": 100},
    ]
    assert report["budgets"][0]["subscribers"] == ["aws-lab-notifications@acme-corp.io"]


def test_plan_json_names_an_account_target_and_an_account_budget(capsys, tmp_path):
    values = stack_values(
        guardrails=[{"guardrail": "deny-iam-users", "accounts": ["production"]}],
        budgets={"accounts": [{"account": "production", "monthlyLimit": 250.5}]},
    )
    code, out, err = run_lz(
        capsys, "plan", "--no-policy", "--config-file", str(write_stack(tmp_path, values)), "--format", "json"
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["guardrails"] == [
        {
            "policy": "deny-iam-users",
            "policyType": "SERVICE_CONTROL_POLICY",
            "target": "production",
            "targetType": "ACCOUNT",
        }
    ]
    assert [(b["name"], b["limitAmount"], b["account"]) for b in report["budgets"]] == [
        ("acme-production-monthly", "250.5", "production")
    ]


def test_plan_without_guardrails_or_budgets_shows_neither_section(capsys, tmp_path):
    code, out, err = run_lz(
        capsys, "plan", "--no-policy", "--config-file", str(write_stack(tmp_path, stack_values()))
    )
    assert code == 0, err
    assert "Guardrails" not in out and "Budgets" not in out


def test_validate_refuses_six_resource_control_policies_on_one_target_with_exit_2(capsys, tmp_path):
    values = stack_values(
        organization_changes={"enabledPolicyTypes": ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"]},
        guardrails=custom_policies(4, "RESOURCE_CONTROL_POLICY", accounts=["audit"])
        + [{"guardrail": "deny-insecure-transport", "accounts": ["production", "audit"]}],
    )
    code, out, err = run_lz(capsys, "validate", "--config-file", str(write_stack(tmp_path, values)))
    assert (code, out) == (2, "")
    assert err == (
        "landing-zone:guardrails[4].accounts[1]: account 'audit' would have 6 resource control policies "
        "attached (RCPFullAWSAccess, resource-1, resource-2, resource-3, resource-4, "
        "deny-insecure-transport); AWS allows at most 5 per target, RCPFullAWSAccess included\n"
    )


def test_validate_and_plan_show_a_warning_without_failing(capsys, tmp_path):
    values = stack_values(guardrails=custom_policies(9, root=True))
    path = write_stack(tmp_path, values)
    warning = (
        "landing-zone:guardrails[8].root: the root has 10 service control policies attached, AWS's limit "
        "(FullAWSAccess included): replacing one of them later attaches the new policy before detaching "
        "the old one and fails; keep a slot free (attach one to a parent OU)"
    )
    code, out, err = run_lz(capsys, "validate", "--config-file", str(path))
    assert (code, err) == (0, f"warning: {warning}\n")
    code, out, err = run_lz(capsys, "plan", "--config-file", str(path), "--format", "json", "--no-policy")
    assert code == 0
    assert json.loads(out)["diagnostics"] == [f"warning: {warning}"]
