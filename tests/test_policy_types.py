"""Organization policy types: the table pinned to AWS's and pulumi-aws's lists, each type's
document rules (fire and stay quiet), and the config's checks per type with the exact messages."""

from __future__ import annotations

import json
import re
import typing

import botocore.session
import pulumi_aws.organizations.policy
import pytest

from landing_zone.config import config_warnings, load_from_mapping
from landing_zone.config.base import PolicyType
from landing_zone.guardrails.policy_types import AWS_POLICY_TYPES, POLICY_TYPES
from landing_zone.guardrails.syntax import document_problems
from tests.builders import ALL_PRINCIPALS, custom_policies, stack_values
from tests.helpers import problem_table, problems_of

RCP = "RESOURCE_CONTROL_POLICY"
AI = "AISERVICES_OPT_OUT_POLICY"
ALL_TYPES = list(POLICY_TYPES)


def test_the_supported_types_are_those_both_aws_and_pulumi_aws_take():
    aws = botocore.session.get_session().get_service_model("organizations").shape_for("PolicyType").enum
    docstring = pulumi_aws.organizations.policy.PolicyArgs.__init__.__doc__ or ""
    provider = set(re.findall(r"`([A-Z0-9_]+_POLICY(?:_EC2)?)`", docstring.split("Valid values are")[1]))
    assert set(POLICY_TYPES) == set(aws) & provider
    assert sorted(AWS_POLICY_TYPES) == sorted(aws)
    assert sorted(typing.get_args(PolicyType)) == sorted(POLICY_TYPES)


def rcp(**statement: object) -> dict[str, object]:
    base = {"Sid": "S", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}
    return {"Version": "2012-10-17", "Statement": [{**base, **statement}]}


def scp(**statement: object) -> dict[str, object]:
    base = {"Sid": "S", "Effect": "Deny", "Action": "s3:*", "Resource": "*"}
    return {"Version": "2012-10-17", "Statement": [{**base, **statement}]}


def ai(value: object) -> dict[str, object]:
    return {"services": {"default": {"opt_out_policy": value}}}


# (id, policy type, document, problems)
DOCUMENTS: list[tuple[str, str, object, list[str]]] = [
    ("an SCP", "SERVICE_CONTROL_POLICY", scp(), []),
    ("an SCP naming a principal", "SERVICE_CONTROL_POLICY", scp(Principal="*"), [
        "statement 0: a service control policy has no Principal"]),
    ("an SCP without Sid", "SERVICE_CONTROL_POLICY", scp(Sid=""), [
        "statement 0 has no Sid: every statement needs one, to name it in reviews"]),
    ("an RCP", RCP, rcp(), []),
    ("an RCP allowing", RCP, rcp(Effect="Allow"), [
        "statement 0: Effect must be Deny (Allow is for RCPFullAWSAccess alone)"]),
    ("an RCP naming an account", RCP, rcp(Principal={"AWS": "123456789012"}), [
        'statement 0: a resource control policy names its Principal "*"']),
    ("an RCP with NotPrincipal", RCP, rcp(NotPrincipal={"AWS": "*"}), [
        "statement 0: a resource control policy has no NotPrincipal"]),
    ("an RCP on an unsupported service", RCP, rcp(Action=["s3:GetObject", "ec2:*"]), [
        "statement 0: Action 'ec2:*' is not an action of a service resource control policies support "
        "(aoss, cognito-identity, cognito-idp, dynamodb, ecr, kms, logs, s3, secretsmanager, sqs, sts)"]),
    ("an RCP on every action", RCP, rcp(Action="*"), [
        "statement 0: Action '*' is not an action of a service resource control policies support "
        "(aoss, cognito-identity, cognito-idp, dynamodb, ecr, kms, logs, s3, secretsmanager, sqs, sts)"]),
    ("an RCP service in upper case", RCP, rcp(Action="S3:GetObject"), []),
    ("an AI opt-out policy", AI, ai({"@@assign": "optOut"}), []),
    ("a misspelt operator", AI, ai({"@@asign": "optOut"}), [
        "services.default.opt_out_policy: '@@asign' is not an inheritance operator "
        "(@@assign, @@append, @@remove, @@operators_allowed_for_child_policies)"]),
    ("a value set directly", AI, ai("optOut"), [
        'services.default.opt_out_policy: is set directly; set it through an operator, e.g. {"@@assign": ...}']),
    ("a value AWS does not take", AI, ai({"@@assign": "opt-out"}), [
        "services.default.opt_out_policy: 'opt-out' is not one of optOut, optIn"]),
    ("an object as a value", AI, ai({"@@assign": {"x": 1}}), [
        "services.default.opt_out_policy: @@assign takes a value or a list of values, not an object"]),
    ("a value beside attributes", AI, ai({"@@assign": "optOut", "extra": {}}), [
        "services.default.opt_out_policy: sets a value with @@assign and also has attributes (extra); "
        "a value or attributes, not both"]),
    ("child control", AI, ai({"@@assign": "optOut", "@@operators_allowed_for_child_policies": ["@@none"]}), []),
    ("child control mixing @@none", AI,
     ai({"@@assign": "optOut", "@@operators_allowed_for_child_policies": ["@@none", "@@assign"]}), [
        "services.default.opt_out_policy: @@operators_allowed_for_child_policies has @@all or @@none alone"]),
    ("child control not a list", AI,
     ai({"@@assign": "optOut", "@@operators_allowed_for_child_policies": "@@none"}), [
        "services.default.opt_out_policy: @@operators_allowed_for_child_policies lists some of "
        "@@all, @@none, @@assign, @@append, @@remove"]),
    ("another type's top-level key", "TAG_POLICY", ai({"@@assign": "optOut"}), [
        "a tag policy has one top-level key, tags (found services)"]),
    ("an IAM document as a management policy", "BACKUP_POLICY", scp(), [
        "a backup policy has one top-level key, plans (found Statement, Version)",
        "Version: is set directly; set it through an operator, e.g. {\"@@assign\": ...}",
        "Statement: is set directly; set it through an operator, e.g. {\"@@assign\": ...}"]),
    ("a management policy as an SCP", "SERVICE_CONTROL_POLICY", ai({"@@assign": "optOut"}), [
        "must be a policy document: an object with a Statement list"]),
    ("IMDSv1 left on", "DECLARATIVE_POLICY_EC2",
     {"ec2_attributes": {"instance_metadata_defaults": {"http_tokens": {"@@assign": "no"}}}}, [
        "ec2_attributes.instance_metadata_defaults.http_tokens: 'no' is not one of required, optional, "
        "no_preference"]),
    ("S3 public access", "S3_POLICY", {"s3_attributes": {"public_access_block_configuration": {"@@assign": "all"}}}, []),
    ("no attributes", "CHATBOT_POLICY", {}, ["must be a management policy: a JSON object of attributes"]),
    ("an upgrade order", "UPGRADE_ROLLOUT_POLICY",
     {"upgrade_rollout": {"tags": {"env": {"tag_values": {"dev": {"patch_order": {"@@assign": "first"}}}}}}}, []),
    ("an upgrade order AWS does not have", "UPGRADE_ROLLOUT_POLICY",
     {"upgrade_rollout": {"default": {"patch_order": {"@@assign": "early"}}}}, [
        "upgrade_rollout.default.patch_order: 'early' is not one of first, second, last"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("policy_type", "document", "problems"), [c[1:] for c in DOCUMENTS], ids=[c[0] for c in DOCUMENTS]
)
def test_each_type_s_document_rules(policy_type, document, problems):
    assert document_problems(document, POLICY_TYPES[policy_type]) == problems


ENABLED = ["SERVICE_CONTROL_POLICY", RCP, AI, "TAG_POLICY"]


def typed_stack(guardrails: list[dict[str, object]], enabled: list[str] = ENABLED, **org: object) -> dict:
    return stack_values(organization_changes={"enabledPolicyTypes": enabled, **org}, guardrails=guardrails)


CONFIG_CASES = [
    (
        "a type not enabled, named with its key",
        typed_stack([{"guardrail": "deny-insecure-transport", "root": True}], enabled=["SERVICE_CONTROL_POLICY"]),
        [
            "landing-zone:guardrails[0]: resource control policies are not enabled in the organization "
            "(used by guardrails[0]): add RESOURCE_CONTROL_POLICY to organization.enabledPolicyTypes"
        ],
    ),
    (
        "a type not enabled, under the first user's type",
        typed_stack(
            custom_policies(2, "TAG_POLICY", root=True),
            enabled=["SERVICE_CONTROL_POLICY"],
        ),
        [
            "landing-zone:guardrails[0].type: tag policies are not enabled in the organization "
            "(used by guardrails[0], guardrails[1]): add TAG_POLICY to organization.enabledPolicyTypes"
        ],
    ),
    (
        "a catalog guardrail given another type",
        typed_stack([{"guardrail": "deny-insecure-transport", "type": "SERVICE_CONTROL_POLICY", "root": True}]),
        [
            "landing-zone:guardrails[0].type: 'deny-insecure-transport' is a RESOURCE_CONTROL_POLICY, not a "
            "SERVICE_CONTROL_POLICY; remove type or choose another guardrail"
        ],
    ),
    (
        "Inspector policies without Inspector's trusted access",
        typed_stack(
            [{"name": "scan", "type": "INSPECTOR_POLICY", "root": True,
              "document": '{"inspector": {"enablement": {"ec2_scanning": {"enable_in_regions": {"@@assign": ["eu-west-1"]}}}}}'}],
            enabled=["SERVICE_CONTROL_POLICY", "INSPECTOR_POLICY"],
        ),
        [
            "landing-zone:guardrails: organization.enabledPolicyTypes has INSPECTOR_POLICY, which AWS enables "
            "only with trusted access for inspector2.amazonaws.com: add it to "
            "organization.awsServiceAccessPrincipals"
        ],
    ),
    (
        "a custom RCP that allows",
        typed_stack([{"name": "open", "type": RCP, "root": True, "document": json.dumps(rcp(Effect="Allow"))}]),
        [
            "landing-zone:guardrails[0].document: statement 0: Effect must be Deny "
            "(Allow is for RCPFullAWSAccess alone)"
        ],
    ),
    (
        "an AI opt-out policy over 2,500 characters",
        typed_stack(
            [{"name": "big", "type": AI, "root": True, "document": json.dumps(
                {"services": {f"service{n:03d}": {"opt_out_policy": {"@@assign": "optOut"}} for n in range(60)}}
            )}]
        ),
        ["landing-zone:guardrails[0]: 'big' is 3,254 characters once minified; AWS allows at most 2,500 per "
         "AI services opt-out policy"],
    ),
    (
        "six AI opt-out policies on the root: no AWS policy counted",
        typed_stack(custom_policies(6, AI, root=True)),
        [
            "landing-zone:guardrails[5].root: the root would have 6 AI services opt-out policies attached "
            "(aiservices-1, aiservices-2, aiservices-3, aiservices-4, aiservices-5, aiservices-6); "
            "AWS allows at most 5 per target"
        ],
    ),
    (
        "a tag policy without its values",
        typed_stack([{"guardrail": "require-cost-center-tag", "root": True}]),
        ["landing-zone:guardrails[0].parameters.tagValues: is required by 'require-cost-center-tag'"],
    ),
]  # fmt: skip


@problem_table(CONFIG_CASES)
def test_config_checks_per_type(values, expected):
    assert problems_of(values) == expected


def test_types_count_separately_per_target():
    # Nine SCPs and four RCPs on the root: FullAWSAccess makes ten, RCPFullAWSAccess five.
    values = typed_stack(custom_policies(9, root=True) + custom_policies(4, RCP, root=True))
    config = load_from_mapping(values)
    assert [str(w).split(" attached")[0] for w in config_warnings(config, "landing-zone")] == [
        "landing-zone:guardrails[8].root: the root has 10 service control policies",
        "landing-zone:guardrails[12].root: the root has 5 resource control policies",
    ]


def test_the_data_perimeter_takes_the_organization_id_from_config_or_the_organization():
    given = {"guardrail": "deny-access-from-outside-organization", "root": True,
             "parameters": {"organizationId": "o-abcdefghij"}}  # fmt: skip
    config = load_from_mapping(typed_stack([given, {**given, "name": "own", "parameters": {}}]))
    explicit, derived = config.guardrails
    assert not explicit.needs_organization_id and derived.needs_organization_id
    assert explicit.rendered().count('"aws:PrincipalOrgID":"o-abcdefghij"') == 1
    assert derived.rendered("o-zyxwvutsrq").count('"aws:SourceOrgID":"o-zyxwvutsrq"') == 1
    with pytest.raises(ValueError, match="needs the organization's id"):
        derived.rendered()
    assert problems_of(typed_stack([{**given, "parameters": {"organizationId": "123"}}])) == [
        "landing-zone:guardrails[0].parameters.organizationId: '123' is not an organization id like o-a1b2c3d4e5"
    ]


def test_every_type_loads_with_all_trusted_principals():
    values = stack_values(
        organization_changes={"enabledPolicyTypes": ALL_TYPES, "awsServiceAccessPrincipals": [*ALL_PRINCIPALS, "inspector2.amazonaws.com"]},
        guardrails=[{"guardrail": "deny-leaving-organization", "root": True}],
    )  # fmt: skip
    assert load_from_mapping(values).organization.enabled_policy_types == tuple(ALL_TYPES)
