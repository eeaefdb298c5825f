"""Each account's profile region from the stack's region guardrails (landing_zone/sso/regions.py),
and `lz sso-config` writing it."""

from __future__ import annotations

import json

import pytest

from landing_zone.config import load_from_mapping
from landing_zone.sso.regions import account_regions
from tests.builders import stack_values
from tests.helpers import PROJECT_DIR, run_lz, sso_config_args

ACCOUNTS = [
    {"name": "audit", "ou": "Security"},
    {"name": "production", "ou": "Workloads/Production"},
    {"name": "loose"},
]


def deny(regions: list[str], **targets: object) -> dict[str, object]:
    return {
        "guardrail": "deny-unapproved-regions",
        "name": f"regions-{'-'.join(regions)}",
        "parameters": {"allowedRegions": regions},
        **targets,
    }


# (id, guardrails, the accounts whose region is not the stack's eu-west-1)
CASES = [
    ("no guardrail", [], {}),
    ("the stack's region allowed", [deny(["eu-central-1", "eu-west-1"], root=True)], {}),
    (
        "the root moves everyone",
        [deny(["eu-central-1", "us-east-1"], root=True)],
        {"audit": "eu-central-1", "production": "eu-central-1", "loose": "eu-central-1"},
    ),
    (
        "a parent OU covers a nested one",
        [deny(["us-east-1"], organizationalUnits=["Workloads"])],
        {"production": "us-east-1"},
    ),
    (
        "every level applies; the nearest one's order",
        [
            deny(["eu-west-1", "us-east-1", "eu-central-1"], root=True),
            deny(["eu-central-1", "us-east-1"], organizationalUnits=["Workloads/Production"]),
        ],
        {"production": "eu-central-1"},
    ),
    (
        "an account's own guardrail",
        [deny(["eu-west-1", "us-east-1"], root=True), deny(["us-east-1"], accounts=["audit"])],
        {"audit": "us-east-1"},
    ),
    (
        "lists that do not meet: no region works, none is guessed",
        [deny(["us-east-1"], root=True), deny(["eu-central-1"], accounts=["audit"])],
        {"production": "us-east-1", "loose": "us-east-1"},
    ),
    (
        "an OU whose name starts like another's is not its parent",
        [deny(["us-east-1"], organizationalUnits=["Work"])],
        {},
    ),
]


@pytest.mark.parametrize(("guardrails", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_account_regions(guardrails, expected):
    ous = [{"path": "Security"}, {"path": "Work"}, {"path": "Workloads"}, {"path": "Workloads/Production"}]
    values = stack_values(organizational_units=ous, accounts=ACCOUNTS, guardrails=guardrails)
    assert account_regions(load_from_mapping(values), "eu-west-1") == expected


def test_sso_config_writes_each_accounts_region_unless_region_is_given(capsys, prod_outputs, tmp_path):
    """Pulumi.prod.yaml allows eu-west-1 and eu-central-1 under all its OUs: moved to us-east-1,
    the stack sends every member account to eu-west-1 (the first its guardrail lists), and
    keeps the management account (no service control policy restricts it) in us-east-1."""

    text = (PROJECT_DIR / "Pulumi.prod.yaml").read_text()
    stack = tmp_path / "Pulumi.prod.yaml"
    stack.write_text(text.replace("aws:region: eu-west-1", "aws:region: us-east-1", 1))

    def regions(*extra: str) -> dict[str, str]:
        code, out, err = run_lz(
            capsys,
            *sso_config_args(prod_outputs, "Platform", "--config-file", str(stack), *extra, stack=None),
        )
        assert (code, err) == (0, ""), err
        sections = out.split("\n\n")
        return {
            part.split("]")[0].removeprefix("[profile "): part.split("region = ")[1].split("\n")[0]
            for part in sections
            if part.startswith("[profile ")
        }

    assert json.loads(prod_outputs.read_text())["ssoRegion"] == "eu-west-1"
    found = regions()
    assert {"acme-management", "acme-production", "acme-sandbox-bob"} <= set(found)
    assert found == {name: "us-east-1" if "management" in name else "eu-west-1" for name in found}
    assert set(regions("--region", "ap-south-1").values()) == {"ap-south-1"}
