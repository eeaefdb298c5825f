"""Every pagination is bounded: a next-page token that comes back, or pages without end, stop it
with that check's error (a hostile or broken endpoint must not hang the audit)."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from landing_zone.live import session as session_module
from landing_zone.live.audit import costs, iam, organization
from landing_zone.live.audit.model import Target, guarded
from landing_zone.live.session import Clients

TARGET = Target("organization", "o-abc")
SP = "sso.amazonaws.com"


def clients() -> Clients:
    return Clients(boto3.Session(aws_access_key_id="a", aws_secret_access_key="b", region_name="eu-west-1"))


def principals(*tokens: str | None) -> list[dict]:
    """A page of trusted-access principals for each token (None: the last page)."""
    pages = []
    for index, token in enumerate(tokens):
        page: dict = {"EnabledServicePrincipals": [{"ServicePrincipal": f"{index}.{SP}"}]}
        if token is not None:
            page["NextToken"] = token
        pages.append(page)
    return pages


@pytest.mark.parametrize(
    ("tokens", "max_pages", "evidence"),
    [
        (("A", "A"), 2000, "ListAWSServiceAccessForOrganization: a next-page token came back after 2 pages"),
        (
            ("A", "B", "A"),
            2000,
            "ListAWSServiceAccessForOrganization: a next-page token came back after 3 pages",
        ),
        (("A", "B", "C", "D"), 3, "ListAWSServiceAccessForOrganization: more than 3 pages"),
    ],
    ids=["same-token-twice", "cycle", "too-many-pages"],
)
def test_a_paginator_that_does_not_end_is_the_checks_error(monkeypatch, tokens, max_pages, evidence):
    monkeypatch.setattr(session_module, "MAX_PAGES", max_pages)
    stubbed = clients()
    with Stubber(stubbed.client("organizations")) as org:
        for page in principals(*tokens):
            org.add_response("list_aws_service_access_for_organization", page)
        result = guarded(organization.IDENTITY_CENTER_TRUSTED_ACCESS, TARGET, stubbed)
    assert (result.outcome, result.evidence) == ("error", (f"EndlessPagination: {evidence}; stopped",))


def test_pages_that_end_are_all_read_up_to_the_bound(monkeypatch):
    monkeypatch.setattr(session_module, "MAX_PAGES", 3)
    stubbed = clients()
    with Stubber(stubbed.client("organizations")) as org:
        for page in principals("A", "B", None):
            org.add_response("list_aws_service_access_for_organization", page)
        result = guarded(organization.IDENTITY_CENTER_TRUSTED_ACCESS, TARGET, stubbed)
    assert result.evidence == (f"trusted access: 0.{SP}, 1.{SP}, 2.{SP}",)


def test_iams_marker_loop_is_stopped():
    stubbed = clients()
    user = {"UserName": "u", "UserId": "AIDA0000000000000000", "Path": "/", "Arn": "arn:aws:iam::1:user/u",
            "CreateDate": "2024-01-01T00:00:00Z"}  # fmt: skip
    with Stubber(stubbed.client("iam")) as stub:
        for _ in range(2):
            stub.add_response("list_users", {"Users": [user], "IsTruncated": True, "Marker": "m1"})
        result = guarded(iam.MANAGEMENT_USER_KEYS, TARGET, stubbed)
    assert result.evidence == (
        "EndlessPagination: ListUsers: a next-page token came back after 2 pages; stopped",
    )


@pytest.mark.parametrize(
    ("tokens", "evidence"),
    [
        (("p2", "p2"), "GetAnomalyMonitors: a next-page token came back after 2 pages"),
        (("p2", "p3", "p2"), "GetAnomalyMonitors: a next-page token came back after 3 pages"),
    ],
    ids=["same-token-twice", "cycle"],
)
def test_cost_explorers_hand_pagination_is_bounded(tokens, evidence):
    stubbed = clients()
    with Stubber(stubbed.client("ce", costs.COST_REGION)) as ce:
        for token in tokens:
            ce.add_response("get_anomaly_monitors", {"AnomalyMonitors": [], "NextPageToken": token})
        result = guarded(costs.ANOMALY_DETECTION, TARGET, stubbed)
    assert (result.outcome, result.evidence) == ("error", (f"EndlessPagination: {evidence}; stopped",))
