"""The landing zone's Pulumi program: load the stack config, build the landing zone (this stack's
slice of it, for a split organization), export."""

from pathlib import Path

import pulumi

from components.landing_zone import LandingZone, LandingZoneArgs
from landing_zone.config import ConfigError, config_warnings, load_from_pulumi_runtime
from landing_zone.plan.collector import collector_paused

# The cyclic garbage collector is off while the program builds its resources, then what they
# made is frozen (never walked again) and the collector is on again for the rest of the run:
# measured under mocks, 25% less CPU for the same peak memory (docs/performance.md). Left off
# if the caller turned it off (`lz plan` pauses it for the whole run).
aws_config = pulumi.Config("aws")
with collector_paused():
    try:
        # Account files and an account stack's organization stack file are read from the project's
        # root directory (Pulumi.yaml's folder, as the engine's language host passes it).
        settings = load_from_pulumi_runtime(
            namespace=pulumi.get_project(),
            stack=pulumi.get_stack(),
            project_dir=Path(pulumi.get_root_directory()),
        )
        config = settings.config
        # Allowed, but risky on a later change: shown in `pulumi preview` and `lz plan`, of the
        # organization stack only (an account stack's config is its organization's: said once).
        if settings.slice.is_organization_stack:
            for warning in config_warnings(config, pulumi.get_project()):
                pulumi.log.warn(str(warning))
        stack_prefix = f"{pulumi.get_organization()}/{pulumi.get_project()}"
        organization_stack = settings.slice.organization_stack
        zone = LandingZone(
            config.organization.name,
            LandingZoneArgs(
                config=config,
                region=aws_config.get("region"),
                profile=aws_config.get("profile"),
                stack_name=f"{stack_prefix}/{pulumi.get_stack()}",
                slice=settings.slice,
                organization_stack_name=(
                    f"{stack_prefix}/{organization_stack}" if organization_stack is not None else None
                ),
            ),
        )
    except ConfigError as err:
        # RunError: the engine shows the message without a Python traceback.
        raise pulumi.RunError(str(err)) from None

if zone.organization is not None and zone.organizational_units is not None:
    pulumi.export("organizationId", zone.organization.organization_id)
    pulumi.export("rootId", zone.organization.root_id)
    pulumi.export("managementAccountId", zone.organization.management_account_id)
    pulumi.export("organizationalUnitIds", zone.organizational_units.ids)
pulumi.export("accountIds", zone.account_ids)
if zone.baselined_accounts is not None:
    # Read back by the next update: these accounts leave quarantine (landing_zone.config.quarantine).
    pulumi.export("baselinedAccounts", zone.baselined_accounts)

if zone.organization_reference is not None:
    # An account stack: what it deploys, and what `lz sso-config --outputs` reads of the
    # organization (passed on from the organization stack's outputs).
    pulumi.export("organizationStack", organization_stack)
    for passed_on in ("managementAccountId", "managementAccountName", "ssoStartUrl", "ssoRegion"):
        pulumi.export(passed_on, zone.organization_reference.optional(passed_on))
elif zone.identity_center is not None:
    # What `lz sso-config --outputs` reads (with accountIds and managementAccountId).
    pulumi.export("ssoStartUrl", zone.identity_center.start_url)
    pulumi.export("ssoRegion", zone.identity_center.region)
    pulumi.export("ssoInstanceArn", zone.identity_center.instance_arn)
    pulumi.export("identityStoreId", zone.identity_center.identity_store_id)
    pulumi.export("permissionSetArns", zone.identity_center.permission_set_arns)
    pulumi.export("ssoGroupIds", zone.identity_center.group_ids)
    pulumi.export("managementAccountName", zone.identity_center.config.management_account_name)
