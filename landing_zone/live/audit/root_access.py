"""Centralized root access of member accounts: IAM's organization features are on, and member
accounts hold no root credentials.

What AWS exposes: `iam:ListOrganizationsFeatures` (management account) says whether
RootCredentialsManagement and RootSessions are enabled. A member's root credentials are not in
its account summary nor its credential report from a role in it (the root user is not an IAM
identity); once RootSessions is on, the management account reads them in a root session opened
with `sts:AssumeRoot` and the task policy IAMAuditRootUserCredentials, which allows
GetLoginProfile, ListAccessKeys, ListMFADevices and ListSigningCertificates on the root user
(https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user-privileged-task.html;
botocore's sts model: AssumeRoot needs a regional endpoint). moto has neither call: these checks
are tested with botocore's Stubber.
"""

from __future__ import annotations

import threading
from typing import Any

from landing_zone.config.account_settings import ROOT_ACCESS_FEATURES, ROOT_SESSIONS
from landing_zone.config.base import ACCOUNT_ID

from ..errors import AWS_ERRORS
from ..session import Clients
from .model import Check, Finding

AUDIT_TASK_POLICY = "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"
ROOT_SESSION_SECONDS = 900  # AssumeRoot's maximum


class RootAccessFacts:
    """The organization's enabled IAM features, read once for every member's check."""

    def __init__(self, clients: Clients) -> None:
        self.clients = clients
        self._lock = threading.Lock()
        self._features: tuple[str, ...] | None = None
        self._problem: str | None = None
        self._failure: BaseException | None = None  # the call's error, given to every later caller

    def features(self) -> tuple[str, ...]:
        """The enabled features; () when IAM has no trusted access (it then says so, and nothing is on)."""
        with self._lock:
            if self._failure is not None:
                raise self._failure
            if self._features is None:
                iam = self.clients.client("iam")
                try:
                    found = iam.list_organizations_features().get("EnabledFeatures") or []
                except iam.exceptions.ServiceAccessNotEnabledException:
                    self._problem = "IAM has no trusted access in the organization (iam.amazonaws.com)"
                    found = []
                except AWS_ERRORS as err:
                    self._failure = err  # one call for the organization, not one per member
                    raise
                self._features = tuple(sorted(str(f) for f in found))
            return self._features

    @property
    def problem(self) -> str | None:
        self.features()
        return self._problem


def root_access_enabled(facts: RootAccessFacts) -> Finding:
    enabled = facts.features()
    missing = [f for f in ROOT_ACCESS_FEATURES if f not in enabled]
    evidence = [f"iam:ListOrganizationsFeatures: {', '.join(enabled) or 'none'}"]
    if facts.problem:
        evidence.append(facts.problem)
    if missing:
        return Finding.failed(
            *evidence,
            f"not enabled: {', '.join(missing)} (organization.rootAccessManagement, with "
            "iam.amazonaws.com in organization.awsServiceAccessPrincipals)",
        )
    return Finding.passed(*evidence)


def _root_session(clients: Clients, account_id: str) -> Clients:
    if not ACCOUNT_ID.matches(account_id):
        raise ValueError(f"{account_id!r} is not an AWS account id of 12 digits")
    credentials = clients.client("sts").assume_root(
        TargetPrincipal=account_id,
        TaskPolicyArn={"arn": AUDIT_TASK_POLICY},
        DurationSeconds=ROOT_SESSION_SECONDS,
    )["Credentials"]
    root = {
        "aws_access_key_id": credentials["AccessKeyId"],
        "aws_secret_access_key": credentials["SecretAccessKey"],
        "aws_session_token": credentials["SessionToken"],
    }
    return Clients(clients.session, clients.config, root, account_id)


def _login_profile(iam: Any) -> bool:
    try:
        iam.get_login_profile()  # no UserName: the caller's, the root user in a root session
    except iam.exceptions.NoSuchEntityException:
        return False
    return True


def root_credentials(facts: RootAccessFacts, account_id: str) -> Finding:
    """Fail when the member's root user has a password, access keys, MFA devices or signing
    certificates. With root sessions off nothing can read it: `manual` (an organization that has
    not enabled the feature gets one failure for it, organization.root-access-management, not an
    error per account that --fail-on-error would turn into a failed CI run)."""
    if ROOT_SESSIONS not in facts.features():
        return Finding(
            "manual",
            (
                "cannot look: RootSessions is not enabled in the organization "
                "(iam:ListOrganizationsFeatures), so no root session can read this account's root user; "
                "sign in as the root user to check, or enable organization.rootAccessManagement",
            ),
        )
    iam = _root_session(facts.clients, account_id).client("iam")
    found = []
    if _login_profile(iam):
        found.append("a root password (login profile)")
    keys = iam.list_access_keys().get("AccessKeyMetadata") or []
    if keys:
        found.append(f"{len(keys)} root access key(s): {', '.join(str(k.get('AccessKeyId')) for k in keys)}")
    devices = iam.list_mfa_devices().get("MFADevices") or []
    if devices:
        found.append(f"{len(devices)} root MFA device(s)")
    certificates = iam.list_signing_certificates().get("Certificates") or []
    if certificates:
        found.append(f"{len(certificates)} root signing certificate(s)")
    if found:
        return Finding.failed(
            *(f"the root user has {what}" for what in found),
            "delete them from the management account (IAM console > Root access management), "
            "or `aws sts assume-root` with the IAMDeleteRootUserCredentials task policy",
        )
    return Finding.passed("no root password, access keys, MFA devices or signing certificates")


ROOT_ACCESS = Check(
    "organization.root-access-management",
    "Centralized root access: RootCredentialsManagement and RootSessions enabled",
    root_access_enabled,
)
MEMBER_ROOT_CREDENTIALS = Check(
    "member.root-credentials",
    "The member account's root user has no password, access keys, MFA or signing certificates",
    root_credentials,
)
