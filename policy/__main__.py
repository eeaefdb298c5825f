"""Entry point Pulumi runs (`python -m pulumi.policy <engine> .`): build the pack, serve it."""

import gc

from lz_policies.pack import PACK_NAME, POLICIES, checked
from pulumi_policy import EnforcementLevel, PolicyPack

# The pack lives for one preview. While it analyzes, the cyclic garbage collector found next to
# nothing to free and made AnalyzeStack grow 6x for 3.9x the resources (docs/performance.md):
# what the imports built is frozen (never walked again) and the collector stays off from here;
# reference counting still frees all that is not in a cycle.
gc.freeze()
gc.disable()
PolicyPack(name=PACK_NAME, policies=checked(POLICIES), enforcement_level=EnforcementLevel.MANDATORY)
