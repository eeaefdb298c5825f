"""A pack of no-op policies, as many of each kind as the landing-zone pack has (5 resource
policies, 6 stack policies): the floor for the policy benchmark, driven through the same harness.
"""

import gc
import os

from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy, StackValidationPolicy

RESOURCE_POLICIES = 5
STACK_POLICIES = 6


def _nothing(args, report_violation) -> None:  # noqa: ANN001 - the SDK's callback shape
    return None


policies = [
    ResourceValidationPolicy(name=f"noop-resource-{i}", description="Does nothing.", validate=_nothing)
    for i in range(RESOURCE_POLICIES)
] + [
    StackValidationPolicy(name=f"noop-stack-{i}", description="Does nothing.", validate=_nothing)
    for i in range(STACK_POLICIES)
]

# As the real pack (policy/__main__.py): collector frozen and off, unless BENCH_PACK_GC=on
# (to compare with a pack that keeps it on: the same setting on both sides of a ratio).
if os.environ.get("BENCH_PACK_GC") != "on":
    gc.freeze()
    gc.disable()
PolicyPack(name="noop-policies", policies=policies, enforcement_level=EnforcementLevel.MANDATORY)
