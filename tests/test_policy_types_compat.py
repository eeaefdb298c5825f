"""Existing stacks keep working byte for byte: a stack of service control policies without
`type` registers what it registered before policy types existed (same URNs, inputs, parents,
import ids; recorded from commit 793b0d4 into tests/data), and so does one that spells the
default type out."""

from __future__ import annotations

import copy
import json

import pytest

from landing_zone.resource_types import POLICY, POLICY_ATTACHMENT
from tests.builders import stack_values
from tests.helpers import PROJECT_DIR
from tests.test_program import plan_values

GOLDEN = json.loads(
    (PROJECT_DIR / "tests/data/guardrails_before_policy_types.json").read_text(encoding="utf-8")
)


def with_type(guardrails: list[dict]) -> list[dict]:
    typed = copy.deepcopy(guardrails)
    for entry in typed:
        entry["type"] = "SERVICE_CONTROL_POLICY"
    return typed


@pytest.mark.parametrize(
    "guardrails", [GOLDEN["guardrails"], with_type(GOLDEN["guardrails"])], ids=["as before", "typed"]
)
def test_service_control_policies_register_exactly_what_they_did_before_types(guardrails):
    result = plan_values(stack_values(guardrails=guardrails))
    registered = {
        r.urn: {"inputs": r.inputs, "parent": r.parent, "importId": r.import_id}
        for r in result.resources
        if r.type in (POLICY, POLICY_ATTACHMENT)
    }
    assert registered == GOLDEN["resources"]
    assert len(result.resources) == GOLDEN["count"]
