"""A member account with its tags, its three alternate contacts, its primary contact and opt-in
regions, protected from loss."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_aws.account.region import Region
from pulumi_aws.organizations.account import Account

from landing_zone.config.lifecycle import closing_arms
from landing_zone.config.organization import ResolvedAccount

from .account_settings import create_alternate_contact, create_primary_contact, create_regions, enabling

# Properties whose change would replace the account (ForceNew in the provider's schema,
# terraform-provider-aws internal/service/organizations/account.go; landing_zone.plan.aws_rules
# refuses an account that does not ignore one):
# - name: AWS renames in place (account:PutAccountName), the provider does not: the AWS name is
#   `displayName`, changed by `lz account rename` (the config's `name` is the stable key);
# - roleName and iamUserAccessToBilling cannot be read back from AWS, so an imported or
#   hand-made account would otherwise show a diff (and a replace) forever;
# - email: a new organization name, domain or emailPattern changes every derived root email.
#   AWS changes a primary email in place (account:StartPrimaryEmailUpdate), the provider
#   does not: `lz account change-email` does it, and `lz audit --stack` (stack.account-emails)
#   reports any drift.
ACCOUNT_IGNORED_CHANGES = ["roleName", "iamUserAccessToBilling", "email", "name"]


@dataclass(frozen=True)
class MemberAccountArgs:
    # The account's config with its root email, contacts and tags resolved.
    account: ResolvedAccount
    parent_id: pulumi.Input[str]


class MemberAccount(pulumi.ComponentResource):
    account_id: pulumi.Output[str]
    arn: pulumi.Output[str]
    enabled_regions: dict[str, Region]

    def __init__(
        self, name: str, args: MemberAccountArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("landing-zone:member-account:MemberAccount", name, None, opts)
        account = self._create_account(name, args)
        self.account_id = account.id
        self.arn = account.arn
        # Armed for closure, the account's next step is its Delete: AWS then refuses calls on it,
        # so its settings are left as they are (retained) rather than deleted.
        config = args.account.config
        closing = config.state == "suspended" and closing_arms(config)
        child = pulumi.ResourceOptions(parent=self, retain_on_delete=True if closing else None)
        for contact_type, contact in sorted(args.account.contacts.items()):
            create_alternate_contact(name, contact_type, contact, self.account_id, child)
        if args.account.primary_contact is not None:
            create_primary_contact(name, args.account.primary_contact, self.account_id, child)
        regions = create_regions(name, args.account.opt_in_regions, self.account_id, child)
        # What a provider acting in one of these regions waits for (components/member_provider.py).
        self.enabled_regions = enabling(regions, args.account.opt_in_regions)
        self.register_outputs({"accountId": self.account_id, "arn": self.arn})

    def _create_account(self, name: str, args: MemberAccountArgs) -> Account:
        config = args.account.config
        closes = closing_arms(config)
        return Account(
            name,
            name=config.aws_name,
            email=args.account.email,
            parent_id=args.parent_id,
            close_on_deletion=closes,
            role_name=config.role_name,
            iam_user_access_to_billing=config.iam_user_access_to_billing,
            tags=dict(args.account.tags),
            opts=pulumi.ResourceOptions(
                parent=self,
                # An account is never replaced or deleted by accident: removing it from
                # config leaves it in AWS (retain) and `pulumi destroy` refuses (protect).
                # A disposable one (closeOnDeletion), or a suspended one allowed to close, is
                # closed when removed (state: closed): Pulumi must then call Delete, which neither
                # protect nor retainOnDelete would let it do. Pulumi reads both from the state
                # the last update left, so they are dropped one update before the closure.
                protect=not closes,
                retain_on_delete=not closes,
                ignore_changes=ACCOUNT_IGNORED_CHANGES,
                import_=config.import_id,
            ),
        )
