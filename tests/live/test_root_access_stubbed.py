"""Centralized root access in `lz audit`, against botocore's Stubber (moto has neither
iam:ListOrganizationsFeatures nor sts:AssumeRoot): the organization's features, and each member's
root user read in a root session opened with the IAMAuditRootUserCredentials task policy."""

from __future__ import annotations

import datetime
from typing import NamedTuple

import boto3
import pytest
from botocore.stub import Stubber

from landing_zone.live.audit import root_access
from landing_zone.live.audit.model import Target, guarded
from landing_zone.live.session import Clients

MEMBER = "222222222222"
CREDENTIALS = {
    "AccessKeyId": "ASIAROOTSESSION00001",
    "SecretAccessKey": "secret",
    "SessionToken": "token",
    "Expiration": datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc),
}
BOTH = ["RootCredentialsManagement", "RootSessions"]


def clients() -> Clients:
    session = boto3.Session(aws_access_key_id="a", aws_secret_access_key="b", region_name="eu-west-1")
    return Clients(session)


def facts_with(features: list[str] | None) -> root_access.RootAccessFacts:
    """Facts whose ListOrganizationsFeatures answers `features` (None: no trusted access for IAM)."""
    management = clients()
    stub = Stubber(management.client("iam"))
    if features is None:
        stub.add_client_error(
            "list_organizations_features", "ServiceAccessNotEnabledException", "not enabled"
        )
    else:
        stub.add_response(
            "list_organizations_features", {"OrganizationId": "o-abcdefghij", "EnabledFeatures": features}
        )
    stub.activate()
    return root_access.RootAccessFacts(management)


@pytest.mark.parametrize(
    ("features", "outcome", "evidence"),
    [
        (BOTH, "pass", ("iam:ListOrganizationsFeatures: RootCredentialsManagement, RootSessions",)),
        (
            ["RootSessions"],
            "fail",
            (
                "iam:ListOrganizationsFeatures: RootSessions",
                "not enabled: RootCredentialsManagement (organization.rootAccessManagement, with "
                "iam.amazonaws.com in organization.awsServiceAccessPrincipals)",
            ),
        ),
        (
            None,
            "fail",
            (
                "iam:ListOrganizationsFeatures: none",
                "IAM has no trusted access in the organization (iam.amazonaws.com)",
                "not enabled: RootCredentialsManagement, RootSessions (organization.rootAccessManagement, with "
                "iam.amazonaws.com in organization.awsServiceAccessPrincipals)",
            ),
        ),
    ],
)
def test_root_access_management_is_on(features, outcome, evidence):
    result = guarded(root_access.ROOT_ACCESS, Target("organization", "o-abcdefghij"), facts_with(features))
    assert (result.outcome, result.evidence) == (outcome, evidence)


def in_root_session(monkeypatch, answers: dict[str, object]) -> list[Clients]:
    """AssumeRoot answered by a stub that checks its parameters; the root session's IAM answers `answers`."""
    opened: list[Clients] = []
    real = root_access._root_session

    def stubbed(management: Clients, account_id: str) -> Clients:
        sts = Stubber(management.client("sts"))
        sts.add_response(
            "assume_root",
            {"Credentials": CREDENTIALS},
            {
                "TargetPrincipal": account_id,
                "TaskPolicyArn": {"arn": "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"},
                "DurationSeconds": 900,
            },
        )
        with sts:
            root = real(management, account_id)
        iam = Stubber(root.client("iam"))
        for operation, answer in answers.items():
            if isinstance(answer, AwsError):
                iam.add_client_error(operation, answer.code, answer.message)
            else:
                iam.add_response(operation, answer)
        iam.activate()
        opened.append(root)
        return root

    monkeypatch.setattr(root_access, "_root_session", stubbed)
    return opened


class AwsError(NamedTuple):
    code: str  # as AWS sends it: IAM's NoSuchEntityException is the code NoSuchEntity
    message: str


CLEAN = {
    "get_login_profile": AwsError("NoSuchEntity", "The user with name root cannot be found."),
    "list_access_keys": {"AccessKeyMetadata": []},
    "list_mfa_devices": {"MFADevices": []},
    "list_signing_certificates": {"Certificates": []},
}
NOW = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)


@pytest.mark.parametrize(
    ("answers", "outcome", "evidence"),
    [
        (CLEAN, "pass", ("no root password, access keys, MFA devices or signing certificates",)),
        (
            {
                **CLEAN,
                "get_login_profile": {"LoginProfile": {"UserName": "root", "CreateDate": NOW}},
                "list_access_keys": {
                    "AccessKeyMetadata": [{"AccessKeyId": "AKIAROOTKEY000000001", "Status": "Active"}]
                },
                "list_mfa_devices": {
                    "MFADevices": [
                        {
                            "UserName": "root",
                            "SerialNumber": "arn:aws:iam::222222222222:mfa/root",
                            "EnableDate": NOW,
                        }
                    ]
                },
            },
            "fail",
            (
                "the root user has a root password (login profile)",
                "the root user has 1 root access key(s): AKIAROOTKEY000000001",
                "the root user has 1 root MFA device(s)",
                "delete them from the management account (IAM console > Root access management), "
                "or `aws sts assume-root` with the IAMDeleteRootUserCredentials task policy",
            ),
        ),
    ],
)
def test_a_member_s_root_credentials_are_read_in_a_root_session(monkeypatch, answers, outcome, evidence):
    opened = in_root_session(monkeypatch, answers)
    result = guarded(
        root_access.MEMBER_ROOT_CREDENTIALS, Target("account", MEMBER, "dev"), facts_with(BOTH), MEMBER
    )
    assert (result.outcome, result.evidence) == (outcome, evidence)
    (root,) = opened
    assert root.account_id == MEMBER
    assert root.client("iam")._request_signer._credentials.access_key == "ASIAROOTSESSION00001"


def test_without_root_sessions_a_member_s_root_user_cannot_be_read_and_says_why(monkeypatch):
    opened = in_root_session(monkeypatch, CLEAN)
    result = guarded(
        root_access.MEMBER_ROOT_CREDENTIALS,
        Target("account", MEMBER, "dev"),
        facts_with(["RootCredentialsManagement"]),
        MEMBER,
    )
    assert (result.outcome, result.evidence) == (
        "manual",
        (
            "cannot look: RootSessions is not enabled in the organization (iam:ListOrganizationsFeatures), so "
            "no root session can read this account's root user; sign in as the root user to check, or enable "
            "organization.rootAccessManagement",
        ),
    )
    assert opened == []


def test_a_refused_root_session_is_an_error_for_that_account_only():
    facts = facts_with(BOTH)
    with Stubber(facts.clients.client("sts")) as sts:
        sts.add_client_error("assume_root", "AccessDenied", "not authorized to perform sts:AssumeRoot")
        result = guarded(root_access.MEMBER_ROOT_CREDENTIALS, Target("account", MEMBER, "dev"), facts, MEMBER)
    assert (result.outcome, result.evidence) == (
        "error",
        ("AssumeRoot: AccessDenied: not authorized to perform sts:AssumeRoot",),
    )


def test_the_organization_s_features_are_read_once_for_every_member(monkeypatch):
    facts = facts_with(BOTH)  # one answer stubbed: a second call would fail
    in_root_session(monkeypatch, CLEAN)
    assert facts.features() == ("RootCredentialsManagement", "RootSessions")
    assert facts.features() == ("RootCredentialsManagement", "RootSessions")


def test_a_failed_features_call_is_made_once_and_is_an_error_for_every_member():
    management = clients()
    stub = Stubber(management.client("iam"))
    stub.add_client_error("list_organizations_features", "AccessDenied", "not authorized")  # one answer only
    stub.activate()
    facts = root_access.RootAccessFacts(management)
    results = [
        guarded(root_access.MEMBER_ROOT_CREDENTIALS, Target("account", account, "dev"), facts, account)
        for account in (MEMBER, "333333333333")
    ]
    assert [(r.outcome, r.evidence) for r in results] == [
        ("error", ("ListOrganizationsFeatures: AccessDenied: not authorized",))
    ] * 2
    organization = guarded(root_access.ROOT_ACCESS, Target("organization", "o-abcdefghij"), facts)
    assert organization.outcome == "error"
