"""Checks that moto cannot exercise, against botocore's Stubber with AWS's documented answers.

moto reports root MFA and root keys as always off and has no root row in the credential
report; it has no Cost Anomaly Detection and cannot list budget subscribers.
"""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.stub import Stubber

from landing_zone.live.audit import costs, root_user
from landing_zone.live.audit import iam as iam_checks
from landing_zone.live.audit import organization as org_checks
from landing_zone.live.audit.model import Finding
from landing_zone.live.audit.organization import leave_denial
from landing_zone.live.session import Clients

HEADER = "user,arn,user_creation_time,password_enabled,mfa_active,access_key_1_active,access_key_2_active"


@pytest.fixture(autouse=True)
def no_report_wait(monkeypatch):
    """The credential report is 'STARTED' once below: poll again at once."""
    monkeypatch.setattr(root_user, "FIRST_WAIT_SECONDS", 0.0)


def clients() -> Clients:
    session = boto3.Session(aws_access_key_id="a", aws_secret_access_key="b", region_name="eu-west-1")
    return Clients(session)


def root_finding(check, summary: dict, root_row: str | None) -> Finding:
    stubbed = clients()
    report = HEADER + "\n" + (root_row + "\n" if root_row else "")
    with Stubber(stubbed.client("iam")) as iam:
        iam.add_response("get_account_summary", {"SummaryMap": summary})
        iam.add_response("generate_credential_report", {"State": "STARTED"})
        iam.add_response("generate_credential_report", {"State": "COMPLETE"})
        iam.add_response("get_credential_report", {"Content": report.encode(), "ReportFormat": "text/csv"})
        finding = check.run(root_user.RootFacts(stubbed))
        iam.assert_no_pending_responses()
    return finding


ROOT = "<root_account>,arn:aws:iam::111111111111:root,2020-01-01T00:00:00+00:00,not_supported"


@pytest.mark.parametrize(
    ("summary", "row", "outcome", "evidence"),
    [
        (
            {"AccountMFAEnabled": 1},
            f"{ROOT},true,false,false",
            "pass",
            ("account summary: AccountMFAEnabled=1", "credential report: <root_account> mfa_active=true"),
        ),
        (
            {"AccountMFAEnabled": 0},
            f"{ROOT},false,false,false",
            "fail",
            ("account summary: AccountMFAEnabled=0", "credential report: <root_account> mfa_active=false"),
        ),
        (
            {"AccountMFAEnabled": 1},
            f"{ROOT},false,false,false",
            "fail",
            ("account summary: AccountMFAEnabled=1", "credential report: <root_account> mfa_active=false"),
        ),
        (
            {"AccountMFAEnabled": 1},
            None,
            "pass",
            ("account summary: AccountMFAEnabled=1", "credential report: no <root_account> row"),
        ),
    ],
)
def test_root_mfa(summary, row, outcome, evidence):
    assert root_finding(root_user.ROOT_MFA, summary, row) == Finding(outcome, evidence)


@pytest.mark.parametrize(
    ("summary", "row", "outcome"),
    [
        ({"AccountAccessKeysPresent": 0}, f"{ROOT},true,false,false", "pass"),
        ({"AccountAccessKeysPresent": 1}, f"{ROOT},true,false,false", "fail"),
        ({"AccountAccessKeysPresent": 0}, f"{ROOT},true,false,true", "fail"),
    ],
)
def test_root_access_keys(summary, row, outcome):
    finding = root_finding(root_user.ROOT_ACCESS_KEYS, summary, row)
    assert finding.outcome == outcome
    assert (
        finding.evidence[0]
        == f"account summary: AccountAccessKeysPresent={summary['AccountAccessKeysPresent']}"
    )


MONITOR = {
    "MonitorName": "services",
    "MonitorType": "DIMENSIONAL",
    "MonitorArn": "arn:aws:ce::1:anomalymonitor/m",
}


def subscription(subscribers):
    return {
        "SubscriptionName": "daily",
        "MonitorArnList": [MONITOR["MonitorArn"]],
        "Subscribers": subscribers,
        "Frequency": "DAILY",
        "AccountId": "111111111111",
    }


@pytest.mark.parametrize(
    ("monitors", "subscriptions", "expected"),
    [
        (
            [MONITOR],
            [subscription([{"Address": "finops@acme-corp.io", "Type": "EMAIL"}])],
            Finding("pass", ("monitor services (DIMENSIONAL)", "subscription daily: finops@acme-corp.io")),
        ),
        ([], [], Finding("fail", ("no cost anomaly monitor",))),
        (
            [MONITOR],
            [subscription([])],
            Finding("fail", ("monitor services (DIMENSIONAL)", "no anomaly subscription with a subscriber")),
        ),
    ],
)
def test_anomaly_detection(monitors, subscriptions, expected):
    stubbed = clients()
    with Stubber(stubbed.client("ce", "us-east-1")) as ce:
        ce.add_response(
            "get_anomaly_monitors",
            {"AnomalyMonitors": monitors[:1], "NextPageToken": "p2"} if monitors else {"AnomalyMonitors": []},
        )
        if monitors:
            ce.add_response(
                "get_anomaly_monitors", {"AnomalyMonitors": monitors[1:]}, {"NextPageToken": "p2"}
            )
        ce.add_response("get_anomaly_subscriptions", {"AnomalySubscriptions": subscriptions})
        assert costs.anomaly_detection(stubbed) == expected
        ce.assert_no_pending_responses()


NOTIFICATION = {
    "NotificationType": "ACTUAL",
    "ComparisonOperator": "GREATER_THAN",
    "Threshold": 80.0,
    "ThresholdType": "PERCENTAGE",
}


def budget(name):
    return {"BudgetName": name, "TimeUnit": "MONTHLY", "BudgetType": "COST"}


def test_budget_subscribers_fail_for_a_budget_nobody_hears_from():
    stubbed = clients()
    account = {"AccountId": "111111111111"}
    with Stubber(stubbed.client("budgets", "us-east-1")) as budgets:
        budgets.add_response(
            "describe_budgets", {"Budgets": [budget("monthly"), budget("zero-spend")]}, account
        )
        budgets.add_response(
            "describe_notifications_for_budget",
            {"Notifications": [NOTIFICATION]},
            {**account, "BudgetName": "monthly"},
        )
        budgets.add_response(
            "describe_subscribers_for_notification",
            {"Subscribers": [{"SubscriptionType": "EMAIL", "Address": "finops@acme-corp.io"}]},
            {**account, "BudgetName": "monthly", "Notification": NOTIFICATION},
        )
        budgets.add_response(
            "describe_notifications_for_budget",
            {"Notifications": []},
            {**account, "BudgetName": "zero-spend"},
        )
        finding = costs.budget_subscribers(stubbed, "111111111111")
        budgets.assert_no_pending_responses()
    assert finding == Finding(
        "fail",
        (
            "budget zero-spend: no notification with a subscriber",
            "budget monthly: 1 subscribers (finops@acme-corp.io)",
        ),
    )


LEAVE = "organizations:LeaveOrganization"
EXEMPT = "arn:aws:iam::*:role/OrganizationAccountAccessRole"
CONDITION_ONLY = (
    "the deny applies only when it holds (only ArnNotLike/ArnNotEquals/StringNotLike/StringNotEquals "
    "on aws:PrincipalArn exempting named roles is allowed)"
)


def deny(action=LEAVE, **more):
    return {"Sid": "DenyLeave", "Effect": "Deny", "Action": action, "Resource": "*", **more}


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        # Unconditional, by name or by a wildcard that covers it.
        (deny(), (True, [])),
        (deny(["s3:*", "organizations:Leave*"]), (True, [])),
        (deny("Organizations:*"), (True, [])),
        (deny("*"), (True, [])),
        (deny("organizations:Leave?rganization"), (True, [])),
        (deny(Condition={}), (True, [])),
        ({"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"}, (True, [])),
        # Only named roles exempted.
        (deny(Condition={"ArnNotLike": {"aws:PrincipalArn": EXEMPT}}), (True, [])),
        (deny(Condition={"StringNotEquals": {"aws:principalarn": [EXEMPT, "arn:aws:iam::1:role/ci/Deploy"]}}),
         (True, [])),
        (deny(Condition={"ArnNotEquals": {"aws:PrincipalArn": "arn:aws:iam::*:role/Org*"}}), (True, [])),
        # Not a deny of leaving at all: nothing to say.
        ({"Effect": "Allow", "Action": LEAVE, "Resource": "*"}, (False, [])),
        (deny("organizations:DescribeOrganization"), (False, [])),
        (deny("organizations:List*"), (False, [])),
        (deny("organizations:[L]eaveOrganization"), (False, [])),  # IAM has no character classes
        ({"Effect": "deny", "Action": LEAVE, "Resource": "*"}, (False, [])),
        # Conditioned away: never matches, or exempts everyone.
        (deny(Condition={"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/nobody"}}),
         (False, [f"statement DenyLeave: Condition ArnLike on aws:PrincipalArn: {CONDITION_ONLY}"])),
        (deny(Condition={"Bool": {"aws:MultiFactorAuthPresent": "false"}}),
         (False, [f"statement DenyLeave: Condition Bool on aws:MultiFactorAuthPresent: {CONDITION_ONLY}"])),
        (deny(Condition={"StringNotEquals": {"aws:PrincipalAccount": "111111111111"}}),
         (False, [f"statement DenyLeave: Condition StringNotEquals on aws:PrincipalAccount: {CONDITION_ONLY}"])),
        (deny(Condition={"ArnNotLikeIfExists": {"aws:PrincipalArn": EXEMPT}}),
         (False, [f"statement DenyLeave: Condition ArnNotLikeIfExists on aws:PrincipalArn: {CONDITION_ONLY}"])),
        (deny(Condition={"ArnNotLike": {"aws:PrincipalArn": "*"}}),
         (False, ["statement DenyLeave: Condition ArnNotLike on aws:PrincipalArn: * is not a role ARN "
                  "(arn:<partition>:iam::<account>:role/<name>)"])),
        (deny(Condition={"ArnNotLike": {"aws:PrincipalArn": [EXEMPT, "arn:aws:iam::*:role/*"]}}),
         (False, ["statement DenyLeave: Condition ArnNotLike on aws:PrincipalArn: "
                  "arn:aws:iam::*:role/* exempts every role"])),
        (deny(Condition={"StringNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/?*/*"}}),
         (False, ["statement DenyLeave: Condition StringNotLike on aws:PrincipalArn: "
                  "arn:aws:iam::*:role/?*/* exempts every role"])),
        (deny(Condition={"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:*"}}),
         (False, ["statement DenyLeave: Condition ArnNotLike on aws:PrincipalArn: arn:aws:iam::*:* is not a "
                  "role ARN (arn:<partition>:iam::<account>:role/<name>)"])),
        (deny(Condition={"ArnNotLike": {"aws:PrincipalArn": []}}),
         (False, ["statement DenyLeave: Condition ArnNotLike on aws:PrincipalArn: no ARN"])),
        (deny(Condition={"ArnNotLike": {"aws:PrincipalArn": EXEMPT}, "Bool": {"aws:ViaAWSService": "true"}}),
         (False, [f"statement DenyLeave: Condition Bool on aws:ViaAWSService: {CONDITION_ONLY}"])),
        (deny(Condition="yes"), (False, ["statement DenyLeave: Condition 'yes' is not an object"])),
        # Excluded by NotAction, spared by NotPrincipal, limited to resources.
        ({"Sid": "AllButOrgs", "Effect": "Deny", "NotAction": ["organizations:*"], "Resource": "*"},
         (False, [f"statement AllButOrgs: NotAction organizations:* leaves {LEAVE} out"])),
        (deny(NotPrincipal={"AWS": "arn:aws:iam::111111111111:root"}),
         (False, ["statement DenyLeave: NotPrincipal limits whom it applies to"])),
        (deny(Resource="arn:aws:organizations::111111111111:account/o-x/*"),
         (False, ["statement DenyLeave: Resource 'arn:aws:organizations::111111111111:account/o-x/*' is not \"*\""])),
        ({"Effect": "Deny", "Action": LEAVE, "NotResource": "arn:aws:s3:::x"},
         (False, ["statement 1: NotResource leaves resources out"])),
    ],
)  # fmt: skip
def test_leave_denial(statement, expected):
    assert leave_denial({"Version": "2012-10-17", "Statement": [statement]}) == expected
    assert leave_denial({"Version": "2012-10-17", "Statement": statement}) == expected


def test_one_good_statement_is_enough_and_a_document_that_is_not_one_fails():
    conditioned = deny(Condition={"Bool": {"aws:ViaAWSService": "false"}})
    assert leave_denial({"Statement": [conditioned, deny()]}) == (True, [])
    assert leave_denial(None) == (False, ["not a JSON policy document"])
    assert leave_denial(["Statement"]) == (False, ["not a JSON policy document"])


def test_deny_leave_fails_on_a_root_policy_conditioned_away_and_says_why():
    stubbed = clients()
    conditioned = {"Statement": [deny(Condition={"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/x"}})]}
    with Stubber(stubbed.client("organizations")) as org:
        org.add_response("list_roots", {"Roots": [{"Id": "r-ab12", "Arn": "arn:x", "Name": "Root"}]})
        summaries = [
            {
                "Id": f"p-{name}",
                "Arn": "arn:x",
                "Name": name,
                "Type": "SERVICE_CONTROL_POLICY",
                "AwsManaged": False,
            }
            for name in ("conditioned", "garbled")
        ]
        org.add_response("list_policies_for_target", {"Policies": summaries})
        for summary, content in zip(summaries, (json.dumps(conditioned), "{not json"), strict=True):
            policy = {"PolicySummary": summary, "Content": content}
            org.add_response("describe_policy", {"Policy": policy}, {"PolicyId": summary["Id"]})
        finding = org_checks.deny_leave_attached_to_root(stubbed)
    assert finding == Finding(
        "fail",
        (
            f"no SCP on root r-ab12 denies {LEAVE} (attached: conditioned, garbled)",
            f"conditioned (p-conditioned): statement DenyLeave: Condition ArnLike on aws:PrincipalArn: {CONDITION_ONLY}",
            "garbled (p-garbled): not a JSON policy document",
        ),
    )


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (
            {"MinimumPasswordLength": 14, "PasswordReusePrevention": 24},
            Finding("pass", ("MinimumPasswordLength 14, PasswordReusePrevention 24",)),
        ),
        (
            {"MinimumPasswordLength": 8},
            Finding(
                "fail",
                (
                    "MinimumPasswordLength is 8; at least 14 wanted",
                    "PasswordReusePrevention is not set; 24 wanted",
                ),
            ),
        ),
        (
            None,
            Finding(
                "fail", ("no account password policy: IAM's defaults apply (8 characters, reuse allowed)",)
            ),
        ),
    ],
)
def test_password_policy(policy, expected):
    stubbed = clients()
    with Stubber(stubbed.client("iam")) as iam:
        if policy is None:
            iam.add_client_error("get_account_password_policy", "NoSuchEntity", "no policy", 404)
        else:
            iam.add_response("get_account_password_policy", {"PasswordPolicy": policy})
        assert iam_checks.password_policy(stubbed) == expected


def test_console_users_without_mfa_are_named():
    stubbed = clients()
    users = [
        {"UserName": name, "UserId": f"AIDA{name.upper():0<16}", "Path": "/", "Arn": f"arn:aws:iam::1:user/{name}",
         "CreateDate": "2024-01-01T00:00:00Z"}
        for name in ("alice", "bob", "ci")
    ]  # fmt: skip
    profile = {"LoginProfile": {"UserName": "x", "CreateDate": "2024-01-01T00:00:00Z"}}
    device = {
        "UserName": "alice",
        "SerialNumber": "arn:aws:iam::1:mfa/alice",
        "EnableDate": "2024-01-01T00:00:00Z",
    }
    with Stubber(stubbed.client("iam")) as iam:
        iam.add_response("list_users", {"Users": users})
        iam.add_response("get_login_profile", profile, {"UserName": "alice"})
        iam.add_response("list_mfa_devices", {"MFADevices": [device]}, {"UserName": "alice"})
        iam.add_response("get_login_profile", profile, {"UserName": "bob"})
        iam.add_response("list_mfa_devices", {"MFADevices": []}, {"UserName": "bob"})
        iam.add_client_error(
            "get_login_profile", "NoSuchEntity", "no profile", 404, expected_params={"UserName": "ci"}
        )
        assert iam_checks.console_users_without_mfa(stubbed) == Finding(
            "fail", ("user bob: console password and no MFA device",)
        )
