"""The pack's verdict on a plan as a library call (no argparse), and how `lz plan` reports its failures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from landing_zone.config import read_stack_file
from landing_zone.plan.policy import (
    PolicyCheck,
    PolicyConfigError,
    PolicyPackFailedError,
    PolicyPackNotFoundError,
    PolicyViolation,
    ResourceRef,
    check_policies,
    default_enforcement_file,
)
from landing_zone.plan.runner import PlanResult, run_program
from landing_zone.resource_types import ACCOUNT
from tests.builders import stack_values
from tests.helpers import PROJECT_DIR, run_lz
from tests.policy_builders import PACK_DIR
from tests.test_cli_policy import BROKEN_ACCOUNTS, LIFECYCLE_MESSAGE

RAISING_PACK = """
from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy


def _raise(args, report_violation):
    raise ValueError(f"cannot judge {args.urn}")


PolicyPack(
    name="raising-pack",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[ResourceValidationPolicy(name="always-raises", description="Raises.", validate=_raise)],
)
"""


def write_raising_pack(pack_dir: Path) -> Path:
    """A pack whose one policy raises on the first resource it sees."""
    pack_dir.mkdir(parents=True)
    (pack_dir / "PulumiPolicy.yaml").write_text("runtime: python\nversion: 0.1.0\n")
    (pack_dir / "__main__.py").write_text(RAISING_PACK)
    return pack_dir


def copy_project(directory: Path) -> Path:
    """This project's program and dev stack, without its policy pack."""
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "__main__.py"):
        shutil.copy(PROJECT_DIR / name, directory / name)
    shutil.copytree(PROJECT_DIR / "components", directory / "components")
    return directory


@pytest.fixture(scope="module")
def broken() -> tuple[dict, PlanResult]:
    values = stack_values(accounts=BROKEN_ACCOUNTS)
    return values, run_program(PROJECT_DIR, "landing-zone", "broken", values)


def test_prod_passes_with_its_enforcement_file_chosen_by_default(planned):
    values = read_stack_file(PROJECT_DIR / "Pulumi.prod.yaml")
    check = check_policies(PACK_DIR, "landing-zone", "prod", values, planned["prod"].resources)
    assert check == PolicyCheck(
        pack="landing-zone-policies", enforcement_file=PACK_DIR / "config.prod.json", violations=()
    )
    assert (check.mandatory, check.has_mandatory) == (0, False)
    assert default_enforcement_file(PACK_DIR, "prod") == PACK_DIR / "config.prod.json"
    assert default_enforcement_file(PACK_DIR, "broken") is None


def test_violations_name_their_resource_and_count_the_mandatory_ones(broken):
    values, result = broken
    check = check_policies(PACK_DIR, "landing-zone", "broken", values, result.resources)
    assert check.enforcement_file is None  # no policy/config.broken.json: the pack's own levels
    production = next(r for r in result.of_type(ACCOUNT) if r.name == "production")
    assert check.violations[0] == PolicyViolation(
        policy="account-lifecycle-safe",
        level="mandatory",
        message=LIFECYCLE_MESSAGE,
        urn=production.urn,
        resource=ResourceRef(ACCOUNT, "production"),
    )
    assert [(v.policy, v.level, v.resource) for v in check.violations[1:]] == [
        ("account-email-convention", "advisory", ResourceRef(ACCOUNT, "legacy")),
        # Production is never disposable, whatever marks it carries.
        ("disposable-accounts-in-sandbox", "mandatory", ResourceRef(ACCOUNT, "production")),
    ]
    assert (check.mandatory, check.has_mandatory) == (2, True)
    assert check.to_json() == {
        "pack": "landing-zone-policies",
        "config": None,
        "violations": [v.to_json() for v in check.violations],
    }


def test_an_enforcement_file_sets_the_levels(broken):
    values, result = broken
    dev_levels = PACK_DIR / "config.dev.json"
    check = check_policies(PACK_DIR, "landing-zone", "broken", values, result.resources, dev_levels)
    assert check.enforcement_file == dev_levels
    assert {v.level for v in check.violations} == {"advisory"}
    assert (check.mandatory, check.has_mandatory) == (0, False)


def test_a_directory_without_a_pack_is_named(tmp_path, broken):
    values, result = broken
    with pytest.raises(PolicyPackNotFoundError) as raised:
        check_policies(tmp_path, "landing-zone", "broken", values, result.resources)
    assert raised.value.pack_dir == tmp_path
    assert str(raised.value) == f"no policy pack at {tmp_path}"


def test_an_enforcement_file_the_pack_cannot_take_is_a_config_error(tmp_path, broken):
    values, result = broken
    levels = tmp_path / "levels.json"
    levels.write_text('{"account-lifecycle-safe": "blocking"}')
    with pytest.raises(PolicyConfigError) as raised:
        check_policies(PACK_DIR, "landing-zone", "broken", values, result.resources, levels)
    assert str(raised.value) == (
        "'account-lifecycle-safe'.enforcementLevel: 'blocking' is not one of "
        "advisory, mandatory, disabled, remediate"
    )


def test_a_policy_that_raises_is_reported_with_its_message(tmp_path, broken):
    values, result = broken
    pack_dir = write_raising_pack(tmp_path / "policy")
    with pytest.raises(PolicyPackFailedError) as raised:
        check_policies(pack_dir, "landing-zone", "broken", values, result.resources)
    first = result.resources[0].urn
    assert raised.value.details == f"Exception calling application: cannot judge {first}"
    assert str(raised.value) == f"the policy pack failed: {raised.value.details}"


def test_lz_plan_reports_a_missing_pack_and_a_raising_policy_with_exit_2(capsys, tmp_path):
    project = copy_project(tmp_path)
    code, out, err = run_lz(capsys, "plan", "--stack", "dev", "--project-dir", str(project))
    assert (code, out) == (2, "")
    assert err == f"lz plan: no policy pack at {project / 'policy'} (pass --no-policy to skip it)\n"

    write_raising_pack(project / "policy")
    code, out, err = run_lz(capsys, "plan", "--stack", "dev", "--project-dir", str(project))
    assert (code, out) == (2, "")
    assert err.startswith(
        "lz plan: the policy pack failed: Exception calling application: cannot judge urn:pulumi:dev::"
    )


@pytest.mark.parametrize(
    ("files", "stack", "organization_stack", "expected"),
    [
        (["config.bu00.json", "config.org.json"], "bu00", "org", "config.bu00.json"),
        (["config.org.json"], "bu00", "org", "config.org.json"),
        (["config.org.json"], "org", None, "config.org.json"),
        (["config.org.json"], "alone", None, None),
        ([], "bu00", "org", None),
    ],
    ids=["its own", "its organization stack's", "an organization stack's own", "another stack's", "none"],
)
def test_an_account_stack_is_judged_as_its_organization_unless_it_has_its_own_levels(
    tmp_path, files, stack, organization_stack, expected
):
    from landing_zone.plan.policy import default_enforcement_file

    for name in files:
        (tmp_path / name).write_text("{}")
    found = default_enforcement_file(tmp_path, stack, organization_stack)
    assert found == (tmp_path / expected if expected else None)
