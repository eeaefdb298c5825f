"""`lz audit`'s organization trail and delegated administrator checks against a moto organization
(moto has CloudTrail's trail status and Organizations' delegated administrators)."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from landing_zone.config import load_from_mapping
from landing_zone.live.audit import governance
from landing_zone.live.audit.model import Target, guarded
from landing_zone.live.organization import read_organization
from landing_zone.live.session import Clients
from tests.builders import ALL_PRINCIPALS, stack_values

REGION = "eu-west-1"
TARGET = Target("organization", "o-test")
FAKE_ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}


@pytest.fixture(scope="module")
def organization():
    """(clients, ids by account name) of a moto organization with an audit account and a trail."""
    with pytest.MonkeyPatch.context() as patch, mock_aws():
        for key in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
            patch.delenv(key, raising=False)
        for key, value in FAKE_ENV.items():
            patch.setenv(key, value)
        session = boto3.Session(region_name=REGION)
        org = session.client("organizations")
        org.create_organization(FeatureSet="ALL")
        ids = {}
        for name in ("audit", "production"):
            status = org.create_account(AccountName=name, Email=f"aws-acme+{name}@acme-corp.io")
            ids[name] = status["CreateAccountStatus"]["AccountId"]
        s3 = session.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="acme-trail", CreateBucketConfiguration={"LocationConstraint": REGION})
        cloudtrail = session.client("cloudtrail", region_name=REGION)
        cloudtrail.create_trail(
            Name="organization-trail",
            S3BucketName="acme-trail",
            IsMultiRegionTrail=True,
            IsOrganizationTrail=True,
        )
        cloudtrail.start_logging(Name="organization-trail")
        cloudtrail.create_trail(Name="regional", S3BucketName="acme-trail")
        yield Clients(session), ids


def config(**keys):
    return load_from_mapping(
        stack_values(organization_changes={"awsServiceAccessPrincipals": ALL_PRINCIPALS}, **keys)
    )


def trail_result(clients, **keys):
    return guarded(governance.ORGANIZATION_TRAIL, TARGET, clients, config(**keys) if keys else None)


def test_a_logging_multi_region_organization_trail_passes_and_the_others_are_shown(organization):
    clients, _ = organization
    result = trail_result(clients)
    assert result.outcome == "pass"
    assert sorted(result.evidence) == [
        "organization-trail: organization, multi-region, logging",
        "regional: not organization trail, not multi-region, not logging",
    ]


def test_the_configured_trail_is_the_one_judged(organization):
    clients, _ = organization
    assert trail_result(clients, organizationTrail={"name": "regional", "logArchiveAccount": "audit"}).evidence == (
        "regional: not organization trail, not multi-region, not logging",
    )  # fmt: skip
    missing = trail_result(clients, organizationTrail={"name": "gone", "logArchiveAccount": "audit"})
    assert (missing.outcome, missing.evidence) == (
        "fail",
        (f"no trail named gone (organizationTrail.name) in {REGION}",),
    )


def test_a_trail_that_stopped_logging_fails(organization):
    clients, _ = organization
    cloudtrail = clients.client("cloudtrail")
    cloudtrail.stop_logging(Name="organization-trail")
    try:
        result = trail_result(clients)
    finally:
        cloudtrail.start_logging(Name="organization-trail")
    assert result.outcome == "fail"
    assert "organization-trail: not logging" in result.evidence


def delegation_result(clients, services):
    live = read_organization(clients, with_tags=False, with_policies=False)
    stack = config(delegatedAdministrators={"account": "audit", "services": services})
    return guarded(governance.DELEGATED_ADMINISTRATORS, Target("stack", live.id), clients, stack, live)


def test_delegated_administrators_are_compared_both_ways(organization):
    clients, ids = organization
    org = clients.client("organizations")
    audit, production = ids["audit"], ids["production"]
    # Principals moto can register (it refuses config and securityhub).
    org.register_delegated_administrator(AccountId=audit, ServicePrincipal="guardduty.amazonaws.com")
    org.register_delegated_administrator(AccountId=audit, ServicePrincipal="access-analyzer.amazonaws.com")
    org.register_delegated_administrator(AccountId=production, ServicePrincipal="ssm.amazonaws.com")

    exact = delegation_result(clients, ["guardduty", "access-analyzer"])
    assert (exact.outcome, exact.evidence) == (
        "pass",
        (
            f"access-analyzer.amazonaws.com, guardduty.amazonaws.com delegated to audit ({audit}) only",
            f"ssm.amazonaws.com is delegated to production ({production}) (not managed by this stack)",
        ),
    )
    fewer = delegation_result(clients, ["guardduty"])
    assert (fewer.outcome, fewer.evidence) == (
        "fail",
        (
            f"access-analyzer.amazonaws.com is delegated to audit ({audit}), which the config does not say",
            f"ssm.amazonaws.com is delegated to production ({production}) (not managed by this stack)",
        ),
    )
    more = delegation_result(clients, ["guardduty", "access-analyzer", "config"])
    assert (more.outcome, more.evidence[0]) == (
        "fail",
        f"config.amazonaws.com is not delegated to audit ({audit})",
    )
