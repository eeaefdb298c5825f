"""API calls per member account stay constant as the organization grows (counted as the audit
benchmark counts them; `benchmarks/bench_preflight.py` measures 20 and 200 accounts)."""

from __future__ import annotations

from collections import Counter

import boto3

from benchmarks.bench_audit import CallCounter
from landing_zone.config import load_from_mapping
from landing_zone.live.preflight import PreflightOptions, run_preflight
from landing_zone.live.session import Clients
from tests.preflight.planted import REGION, plant_members

# Per member account: its password policy and its aliases, from inside it.
MEMBER_OPERATIONS = {"GetAccountPasswordPolicy": 1, "ListAccountAliases": 1}


def count_calls(session: boto3.Session, members: int) -> CallCounter:
    values = plant_members(session, members)
    counter = CallCounter()
    counter.install()
    try:
        options = PreflightOptions(stack="scale", config=load_from_mapping(values), home_region=REGION)
        run_preflight(Clients(session), options)
    finally:
        counter.uninstall()
    return counter


def management_operations(counter: CallCounter) -> Counter[str]:
    return Counter({op: n for (label, op), n in counter.operations.items() if label == "management"})


def test_calls_per_member_account_are_constant(moto_inprocess, session):
    mock, _ = moto_inprocess
    small = count_calls(session, 2)
    mock.reset()
    large = count_calls(session, 21)
    for counter, members in ((small, 2), (large, 21)):
        per_member = [
            Counter({op: n for (label, op), n in counter.operations.items() if label == account})
            for account in counter.calls
            if account != "management"
        ]
        assert len(per_member) == members
        assert all(calls == Counter(MEMBER_OPERATIONS) for calls in per_member)
        # From the management account: one AssumeRole per member, the rest for the organization.
        assert management_operations(counter)["AssumeRole"] == members
    # The organization's reads grow by pages of accounts (20 a page), never by account.
    small_rest = sum(management_operations(small).values()) - 2
    large_rest = sum(management_operations(large).values()) - 21
    assert large_rest - small_rest <= 2


def test_one_stack_of_a_split_organization_visits_only_its_own_member_accounts(moto_inprocess, session):
    values = plant_members(session, 6)
    config = load_from_mapping(values)
    mine = frozenset(account.name for account in config.accounts[:2])
    counter = CallCounter()
    counter.install()
    try:
        options = PreflightOptions(stack="scale-bu00", config=config, home_region=REGION, accounts=mine)
        report = run_preflight(Clients(session), options)
    finally:
        counter.uninstall()
    visited = {account for account in counter.calls if account != "management"}
    assert visited == {account.import_id for account in config.accounts[:2]}
    assert management_operations(counter)["AssumeRole"] == 2
    # The organization-wide checks still run, once.
    assert any(p.id == "quota.accounts" for p in report.prerequisites)
