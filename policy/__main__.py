"""Entry point Pulumi runs (`python -m pulumi.policy <engine> .`): build the pack, serve it."""

from lz_policies.pack import PACK_NAME, POLICIES, checked
from pulumi_policy import EnforcementLevel, PolicyPack

PolicyPack(name=PACK_NAME, policies=checked(POLICIES), enforcement_level=EnforcementLevel.MANDATORY)
