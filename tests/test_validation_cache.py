"""A config is validated once per process for the same content: `lz plan` validates a stack, then
the program it runs loads it again, and each account stack loads its whole organization. The
cache is keyed by content (values and account files' bytes), never by time stamps."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from landing_zone.config import ConfigError, load_stack_file, loading, read_stack_file
from landing_zone.plan.stack import run_stack
from tests.split_builders import NS, SANDBOX_FILE, split_project


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    loading._VALIDATED.clear()
    return split_project(tmp_path / "project")


@pytest.fixture()
def validations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many accounts each validation saw, one entry per validation."""
    seen: list[int] = []
    real = loading.validate

    def counting(config, namespace):
        seen.append(len(config.accounts))
        return real(config, namespace)

    monkeypatch.setattr(loading, "validate", counting)
    return seen


def test_an_account_stack_plan_validates_its_organization_once(project, validations):
    outputs = {
        "org": run_stack(project, NS, "org", read_stack_file(project / "Pulumi.org.yaml")).result.outputs
    }
    loading._VALIDATED.clear()
    validations.clear()
    values = read_stack_file(project / "Pulumi.sandbox.yaml")
    run = run_stack(project, NS, "sandbox", values, other_stacks=outputs)
    # Once when lz plan loads it, and not again when the program does.
    assert validations == [7]
    assert {r.inputs["name"] for r in run.result.of_type("aws:organizations/account:Account")} == {
        "sandbox-alice",
        "sandbox-bob",
    }


def test_every_account_stack_of_one_run_shares_the_organizations_validation(project, validations):
    for stack in ("workloads", "sandbox", "workloads"):
        load_stack_file(project / f"Pulumi.{stack}.yaml", NS)
    assert validations == [7]


def test_an_edit_is_seen_even_with_the_same_size_and_time_stamp(project, validations):
    path = project / SANDBOX_FILE
    load_stack_file(project / "Pulumi.sandbox.yaml", NS)
    before = path.stat()
    content = yaml.safe_load(path.read_text())
    assert content["accounts"][0]["tags"]["environment"] == "sandbox"
    content["accounts"][0]["tags"]["environment"] = "sandbix"  # same length: same size
    path.write_text(yaml.safe_dump(content, sort_keys=False))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    settings = load_stack_file(project / "Pulumi.sandbox.yaml", NS)
    alice = next(a for a in settings.config.accounts if a.name == content["accounts"][0]["name"])
    assert alice.tags["environment"] == "sandbix"
    assert validations == [7, 7]


def test_a_config_that_fails_is_never_kept(project, validations):
    path = project / SANDBOX_FILE
    good = path.read_text()
    path.write_text(good.replace("ou: Sandbox", "ou: Nowhere", 1))
    for _ in range(2):
        with pytest.raises(ConfigError):
            load_stack_file(project / "Pulumi.sandbox.yaml", NS)
    path.write_text(good)
    load_stack_file(project / "Pulumi.sandbox.yaml", NS)
    assert validations == [7, 7, 7]
