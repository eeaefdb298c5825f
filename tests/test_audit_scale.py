"""`lz audit`'s API calls per member account stay constant as the organization grows (counted as
`benchmarks/bench_audit.py` counts them; docs/performance.md has its 100 to 1,000 accounts)."""

from __future__ import annotations

from collections import Counter

import boto3
import pytest
from moto import mock_aws

from benchmarks.bench_audit import REGION, CallCounter, RootAccessStandIn
from landing_zone.live.audit import AuditOptions, run_audit
from landing_zone.live.audit.runner import AuditReport
from landing_zone.live.session import Clients
from tests.live.conftest import _fake_aws

# In each member account: alternate contacts, IAM users (none, so no key listing) and the
# password policy through the role; the root user's credentials in a root session.
MEMBER_OPERATIONS = Counter(
    {
        "GetAlternateContact": 3,
        "ListUsers": 1,
        "GetAccountPasswordPolicy": 1,
        "GetLoginProfile": 1,
        "ListAccessKeys": 1,
        "ListMFADevices": 1,
        "ListSigningCertificates": 1,
    }
)
# From the management account, once per member: the role session and the root session.
PER_MEMBER_FROM_MANAGEMENT = ("AssumeRole", "AssumeRoot")


def audit_counted(members: int) -> tuple[CallCounter, AuditReport]:
    with mock_aws():
        session = boto3.Session(region_name=REGION)
        org = session.client("organizations")
        org.create_organization(FeatureSet="ALL")
        for index in range(members):
            org.create_account(Email=f"aws-scale+m{index:02d}@scale-corp.io", AccountName=f"m{index:02d}")
        counter = CallCounter(RootAccessStandIn())
        counter.install()
        try:
            report = run_audit(Clients(session), AuditOptions(regions=(REGION,), max_workers=4))
        finally:
            counter.uninstall()
    return counter, report


def operations_of(counter: CallCounter, label: str) -> Counter[str]:
    return Counter({op: n for (who, op), n in counter.operations.items() if who == label})


@pytest.fixture(scope="module")
def small_and_large():
    with pytest.MonkeyPatch.context() as patch:
        _fake_aws(patch)
        return {members: audit_counted(members) for members in (2, 21)}


@pytest.mark.parametrize("members", [2, 21])
def test_every_member_account_costs_the_same_calls(small_and_large, members):
    counter, report = small_and_large[members]
    accounts = [label for label in counter.calls if label != "management"]
    assert len(accounts) == members
    for account in accounts:
        assert operations_of(counter, account) == MEMBER_OPERATIONS, account
    management = operations_of(counter, "management")
    assert [management[op] for op in PER_MEMBER_FROM_MANAGEMENT] == [members, members]
    # Every member examined, its root user read too: no check stopped early on a missing call.
    assert len(report.examined_members()) == members
    root_checks = [r.outcome for r in report.results if r.id == "member.root-credentials"]
    assert root_checks == ["pass"] * members


def test_the_organization_wide_reads_grow_only_by_pages_of_accounts(small_and_large):
    def organization_wide(members: int) -> int:
        management = operations_of(small_and_large[members][0], "management")
        return sum(management.values()) - sum(management[op] for op in PER_MEMBER_FROM_MANAGEMENT)

    # 2 and 21 members (23 accounts with the management account): one more page of 20.
    assert organization_wide(21) - organization_wide(2) == 1
