"""The split-organization generator (benchmarks/split_config.py) at a small size.

Not timed: these pin what `benchmarks.bench_split` measures: every stack valid, each account in
exactly one stack, every stack's config far below Pulumi's one-variable limit, and the policy
pack quiet on every stack (so the benchmark's pack time is that of a clean run).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.split_config import (
    ORGANIZATION_STACK,
    organization_values,
    policy_enforcement,
    write_split_project,
)
from landing_zone.config import load_stack_file, read_stack_file
from landing_zone.config.loading import config_environment_size
from landing_zone.plan.stack import run_stack
from landing_zone.policy_harness import run_policy_pack

PROJECT = "landing-zone"
ACCOUNTS, PER_STACK = 14, 6  # the two Security accounts and two account stacks of 6


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    directory = tmp_path_factory.mktemp("split")
    return directory, write_split_project(directory, ACCOUNTS, PER_STACK)


def test_every_account_is_in_exactly_one_stack_and_the_core_accounts_stay_with_the_organization(project):
    directory, stacks = project
    assert stacks == [ORGANIZATION_STACK, "scale-bu00", "scale-bu01"]
    slices = {s: load_stack_file(directory / f"Pulumi.{s}.yaml", PROJECT).slice for s in stacks}
    assert slices[ORGANIZATION_STACK].accounts == frozenset({"audit", "log-archive"})
    assert [len(slices[s].accounts) for s in stacks[1:]] == [PER_STACK, PER_STACK]
    assert all(slices[s].organization_stack == ORGANIZATION_STACK for s in stacks[1:])
    owned = [name for s in stacks for name in slices[s].accounts]
    assert len(owned) == len(set(owned)) == ACCOUNTS


def test_every_stack_config_is_far_below_the_limit_at_every_benchmark_size(project):
    directory, stacks = project
    for stack in stacks:
        assert config_environment_size(read_stack_file(directory / f"Pulumi.{stack}.yaml")) < 16 * 1024
    # The organization stack grows with its business units only (4 OUs, 2 groups, 1 entry each).
    for accounts in (1000, 2500, 5000):
        assert config_environment_size(organization_values(accounts)) < 16 * 1024


def test_the_pack_is_quiet_on_every_generated_stack(project):
    directory, stacks = project
    outputs: dict[str, dict] = {}
    for stack in stacks:
        values = read_stack_file(directory / f"Pulumi.{stack}.yaml")
        run = run_stack(directory, PROJECT, stack, values, other_stacks=outputs)
        outputs[stack] = run.result.outputs
        assert run.result.resources
        violations = run_policy_pack(
            directory / "policy", PROJECT, stack, values, run.result.resources, policy_enforcement()
        )
        assert violations == [], stack
