from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.stub import Stubber

from landing_zone.cli import main
from landing_zone.config import read_stack_file
from landing_zone.live import portal
from landing_zone.plan.runner import PlanResult, run_program
from landing_zone.policy_harness import PolicyPack, read_enforcement_file
from tests.helpers import PROJECT_DIR
from tests.policy_builders import PACK_DIR
from tests.portal_stub import PORTAL_CALLS

STACKS = ("dev", "prod")


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: absent under `-p no:xdist`
def pytest_xdist_make_scheduler(config, log):
    """With `--dist loadfile` (pyproject's default), each test package goes to one worker whole."""
    if config.getvalue("dist") != "loadfile":
        return None
    from tests.xdist_scheduling import PackageOrFileScheduling

    return PackageOrFileScheduling(config, log)


def plan_stack(stack: str) -> PlanResult:
    values = read_stack_file(PROJECT_DIR / f"Pulumi.{stack}.yaml")
    return run_program(PROJECT_DIR, "landing-zone", stack, values)


@pytest.fixture(scope="session")
def planned() -> dict[str, PlanResult]:
    """Each example stack's program run once under mocks."""
    return {stack: plan_stack(stack) for stack in STACKS}


@pytest.fixture(scope="session")
def prod_pack_process():
    """One policy pack process for the prod stack, started as `pulumi preview --stack prod` starts
    it, shared by every module that drives it over gRPC (a start costs about a second)."""
    pack = PolicyPack(PACK_DIR, "landing-zone", "prod", read_stack_file(PROJECT_DIR / "Pulumi.prod.yaml"))
    yield pack
    pack.close()


@pytest.fixture
def prod_pack(prod_pack_process: PolicyPack) -> PolicyPack:
    """The prod pack configured with config.prod.json (every policy mandatory), as CI runs it."""
    prod_pack_process.configure(read_enforcement_file(PACK_DIR / "config.prod.json"))
    return prod_pack_process


@pytest.fixture(scope="session")
def prod_outputs(tmp_path_factory) -> Path:
    """What `lz plan --stack prod --outputs-out` writes: a stand-in for `pulumi stack output --json`."""
    path = tmp_path_factory.mktemp("outputs") / "prod.json"
    code = main(
        [
            "plan",
            "--no-policy",
            "--stack",
            "prod",
            "--outputs-out",
            str(path),
            "--project-dir",
            str(PROJECT_DIR),
        ]
    )
    # Written whatever the verdict (exit 1: AWS or the pack would refuse something); the verdict
    # on prod is the prod-plans-clean tests' business.
    assert code in (0, 1) and path.is_file()
    return path


@pytest.fixture
def aws_home(tmp_path, monkeypatch) -> Path:
    """A HOME and AWS settings of our own: nothing read from or written to the real ~/.aws."""
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / ".aws" / "config"
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / ".aws" / "credentials"))
    return config


@pytest.fixture
def mgmt_profile(aws_home: Path) -> str:
    """A profile `mgmt` in the test's own ~/.aws, with moto's dummy keys: the management
    account's credentials for `--from-aws --profile mgmt` against moto."""
    aws_home.parent.mkdir(exist_ok=True)
    aws_home.write_text("[profile mgmt]\nregion = eu-west-1\n")
    (aws_home.parent / "credentials").write_text(
        "[mgmt]\naws_access_key_id = testing\naws_secret_access_key = testing\n"
    )
    return "mgmt"


@pytest.fixture
def stub_portal(monkeypatch):
    """`portal_client` answers `calls` (default PORTAL_CALLS) through a Stubber, each in turn."""
    stubbers: list[Stubber] = []

    def install(calls: list[tuple[str, dict[str, Any], dict[str, Any]]] = PORTAL_CALLS) -> None:
        client = boto3.Session().client(
            "sso", region_name="eu-west-1", config=Config(signature_version=UNSIGNED)
        )
        stubber = Stubber(client)
        for method, answer, expected in calls:
            stubber.add_response(method, answer, expected)
        stubber.activate()
        stubbers.append(stubber)
        monkeypatch.setattr(portal, "portal_client", lambda region: client)

    yield install
    for stubber in stubbers:
        stubber.assert_no_pending_responses()
