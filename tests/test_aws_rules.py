"""The table of AWS rules the offline plan holds a run to, on registrations built by hand.

Each case is what AWS would refuse, or the quiet case next to it, and the attempts to slip
past: a policy type in lowercase, a sixth policy through a second stack entry, an OU six
levels deep, a name one character too long, a services monitor spelled another way.
"""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest

from landing_zone import principals
from landing_zone.plan.aws_rules import ACCOUNT_FORCE_NEW, MAX_ATTACHED_PER_TARGET, POLICY_TYPES, RULES, judge
from landing_zone.plan.mocks import (
    GET_SSO_INSTANCES,
    MANAGEMENT_ACCOUNT_ID,
    ROOT_ID,
    MockOrganization,
    RecordedCall,
)
from landing_zone.plan.runner import RegisteredResource
from landing_zone.resource_types import (
    ACCESS_ANALYZER,
    ACCOUNT,
    ACCOUNT_ALIAS,
    ALTERNATE_CONTACT,
    ANOMALY_MONITOR,
    ANOMALY_SUBSCRIPTION,
    BUCKET,
    BUDGET,
    DELEGATED_ADMINISTRATOR,
    GUARDDUTY_ADMIN_ACCOUNT,
    ORGANIZATION,
    ORGANIZATIONAL_UNIT,
    PERMISSION_SET,
    POLICY,
    POLICY_ATTACHMENT,
    SECURITY_HUB_ADMIN_ACCOUNT,
    TRAIL,
)

SCP = "SERVICE_CONTROL_POLICY"
MEMBER_ID = "210987654321"
OU_ID = "ou-ab12-cd34ef56"


def res(
    type_: str,
    logical: str,
    /,
    id_: str | None = None,
    import_id: str = "",
    provider: str = "",
    **inputs: Any,
) -> RegisteredResource:
    """A custom resource as the runner records it: type, logical name, then its inputs."""
    return RegisteredResource(
        type=type_,
        name=logical,
        urn=f"urn:pulumi:test::landing-zone::{type_}::{logical}",
        id=id_ or f"{logical}-id",
        custom=True,
        parent="",
        provider=provider,
        inputs=inputs,
        outputs={},
        protect=False,
        retain_on_delete=False,
        # Accounts as the program registers them (rule account-never-replaced).
        ignore_changes=list(ACCOUNT_FORCE_NEW) if type_ == ACCOUNT else [],
        dependencies=[],
        import_id=import_id,
    )


def policy(name: str, type_: str | None = SCP, **inputs: Any) -> RegisteredResource:
    if type_ is not None:
        inputs["type"] = type_
    return res(POLICY, name, id_=f"p-{name}", name=name, **{"content": "{}", **inputs})


def attach(policy_name: str, target: str, name: str | None = None) -> RegisteredResource:
    return res(
        POLICY_ATTACHMENT,
        name or f"{policy_name}-{target}",
        policyId=f"p-{policy_name}",
        targetId=target,
    )


def refused(
    *resources: RegisteredResource,
    calls: tuple[RecordedCall, ...] = (),
    organization: MockOrganization | None = None,
) -> list[tuple[str, str, str]]:
    """(rule, resource name, message) of every refusal."""
    return [(r.rule, r.name, r.message) for r in judge(list(resources), list(calls), organization)]


def org_resource(import_id: str = "", **inputs: Any) -> RegisteredResource:
    return res(ORGANIZATION, "acme", id_="o-abcdefghij", import_id=import_id, featureSet="ALL", **inputs)


# Policy types: enabled on the root before a policy of the type is attached.


def test_a_service_control_policy_attaches_where_the_organization_enables_them():
    assert refused(policy("deny-leave"), attach("deny-leave", ROOT_ID)) == []


SCP_ONLY = MockOrganization(enabled_policy_types=("SERVICE_CONTROL_POLICY",))


def test_a_policy_of_a_type_the_root_does_not_enable_is_refused_where_it_is_attached():
    attached = (policy("tags", "TAG_POLICY"), attach("tags", OU_ID, "tags-ou"))
    assert refused(*attached, organization=SCP_ONLY) == [
        (
            "policy-type-enabled",
            "tags-ou",
            "policy 'tags' is a TAG_POLICY and the root does not enable TAG_POLICY "
            "(enabled: SERVICE_CONTROL_POLICY)",
        )
    ]


def test_a_looked_up_organization_without_service_control_policies_refuses_them():
    no_scp = MockOrganization(enabled_policy_types=())
    assert refused(policy("deny-leave"), attach("deny-leave", ROOT_ID, "root"), organization=no_scp) == [
        (
            "policy-type-enabled",
            "root",
            "policy 'deny-leave' is a SERVICE_CONTROL_POLICY and the root does not enable "
            "SERVICE_CONTROL_POLICY (enabled: none)",
        )
    ]


def test_a_policy_without_a_type_is_the_provider_s_default_service_control_policy():
    no_scp = MockOrganization(enabled_policy_types=())
    assert [r[0] for r in refused(policy("p", None), attach("p", ROOT_ID), organization=no_scp)] == [
        "policy-type-enabled"
    ]


def test_a_policy_type_in_lowercase_is_not_the_enabled_type():
    attached = (policy("p", "service_control_policy"), attach("p", ROOT_ID, "root"))
    assert refused(*attached, organization=SCP_ONLY) == [
        (
            "policy-type-enabled",
            "root",
            "policy 'p' is a service_control_policy and the root does not enable service_control_policy "
            "(enabled: SERVICE_CONTROL_POLICY)",
        ),
        ("policy-type-valid", "p", "type 'service_control_policy' is not a policy type AWS knows"),
    ]


def test_a_managed_organization_enabling_a_type_in_lowercase_enables_nothing():
    organization = org_resource(enabledPolicyTypes=["service_control_policy"])
    assert refused(organization, policy("p"), attach("p", ROOT_ID, "root")) == [
        (
            "policy-type-enabled",
            "root",
            "policy 'p' is a SERVICE_CONTROL_POLICY and the root does not enable SERVICE_CONTROL_POLICY "
            "(enabled: service_control_policy)",
        ),
        (
            "policy-type-valid",
            "acme",
            "enabledPolicyTypes: 'service_control_policy' is not a policy type AWS knows",
        ),
    ]


def test_a_managed_organization_is_judged_on_its_inputs_not_the_looked_up_one():
    # The looked-up organization enables SCPs; this stack's own organization enables tag policies only.
    organization = org_resource(enabledPolicyTypes=["TAG_POLICY"])
    registrations = [attach("p", ROOT_ID, "root"), policy("p"), organization]  # the attachment first
    assert [r[:2] for r in refused(*registrations)] == [("policy-type-enabled", "root")]
    assert refused(policy("p"), attach("p", ROOT_ID), org_resource(enabledPolicyTypes=[SCP])) == []


def test_consolidated_billing_enables_no_policy_type():
    organization = res(ORGANIZATION, "acme", featureSet="CONSOLIDATED_BILLING", enabledPolicyTypes=[SCP])
    assert [r[0] for r in refused(organization, policy("p"), attach("p", ROOT_ID))] == ["policy-type-enabled"]


def test_an_attachment_of_a_policy_the_stack_does_not_register_is_not_judged():
    assert refused(res(POLICY_ATTACHMENT, "external", policyId="p-elsewhere1", targetId=ROOT_ID)) == []


# Policies per target, FullAWSAccess included; one policy attached once.


def scps(count: int, target: str, entry: str = "guardrail") -> list[RegisteredResource]:
    made: list[RegisteredResource] = []
    for n in range(count):
        made += [policy(f"{entry}{n}"), attach(f"{entry}{n}", target)]
    return made


def test_nine_service_control_policies_and_full_aws_access_fill_a_target():
    assert refused(*scps(9, ROOT_ID)) == []


def test_a_tenth_service_control_policy_through_a_second_stack_entry_is_one_too_many():
    registrations = scps(5, ROOT_ID, "a-entry") + scps(5, ROOT_ID, "b-entry")
    assert refused(*registrations) == [
        (
            "policies-per-target",
            f"b-entry4-{ROOT_ID}",
            f"the root ({ROOT_ID}) would have 11 SERVICE_CONTROL_POLICYs attached (FullAWSAccess "
            "included); AWS allows 10",
        )
    ]


def test_policies_on_different_targets_do_not_add_up():
    assert refused(*scps(9, ROOT_ID, "root"), *scps(9, OU_ID, "ou")) == []


@pytest.mark.parametrize(
    ("policy_type", "fits", "included"),
    [
        ("AISERVICES_OPT_OUT_POLICY", 5, ""),
        ("CHATBOT_POLICY", 5, ""),
        ("RESOURCE_CONTROL_POLICY", 4, " (RCPFullAWSAccess included)"),
        ("TAG_POLICY", 10, ""),
        ("BACKUP_POLICY", 10, ""),
    ],
)
def test_each_policy_type_has_its_own_quota_per_target(policy_type, fits, included):
    organization = MockOrganization(enabled_policy_types=(SCP, policy_type))
    made = [res(ACCOUNT, "dev", id_=MEMBER_ID, name="dev")]
    for n in range(fits):
        made += [policy(f"first{n}", policy_type), attach(f"first{n}", MEMBER_ID)]
    made += scps(9, MEMBER_ID)  # other types do not count
    assert refused(*made, organization=organization) == []
    made += [policy("second0", policy_type), attach("second0", MEMBER_ID, "one-too-many")]
    total = MAX_ATTACHED_PER_TARGET[policy_type] + 1
    assert refused(*made, organization=organization) == [
        (
            "policies-per-target",
            "one-too-many",
            f"account 'dev' ({MEMBER_ID}) would have {total} {policy_type}s attached{included}; "
            f"AWS allows {total - 1}",
        )
    ]


def test_the_same_policy_attached_twice_counts_once_and_is_refused_once():
    registrations = [*scps(9, OU_ID), attach("guardrail0", OU_ID, "again")]
    assert refused(*registrations) == [
        (
            "policy-attached-once",
            f"guardrail0-{OU_ID}",
            f"policy p-guardrail0 is already attached to target {OU_ID} by 'again'",
        )
    ]


# OU depth.


def ou_chain(depth: int) -> list[RegisteredResource]:
    units, parent = [], ROOT_ID
    for level in range(1, depth + 1):
        ou_id = f"ou-ab12-level{level:03d}"
        units.append(res(ORGANIZATIONAL_UNIT, f"L{level}", id_=ou_id, name=f"L{level}", parentId=parent))
        parent = ou_id
    return units


def test_five_levels_of_ous_fit_under_the_root():
    assert refused(*ou_chain(5)) == []


def test_an_ou_six_levels_deep_is_refused_whatever_the_registration_order():
    assert refused(*reversed(ou_chain(6))) == [
        ("ou-depth", "L6", "'L1/L2/L3/L4/L5/L6' is 6 levels below the root; AWS allows 5")
    ]


# Trusted access: contacts, delegated administrators.


def contact(account_id: str | None, name: str = "dev-security") -> RegisteredResource:
    inputs: dict[str, Any] = {"alternateContactType": "SECURITY", "name": "Sec", "title": "Sec"}
    if account_id is not None:
        inputs["accountId"] = account_id
    return res(ALTERNATE_CONTACT, name, **inputs)


WITHOUT_ACCOUNT = MockOrganization(trusted_services=(principals.IDENTITY_CENTER,))


def test_member_contacts_need_trusted_access_for_account_management():
    dev = res(ACCOUNT, "dev", id_=MEMBER_ID, name="dev")
    assert refused(dev, contact(MEMBER_ID)) == []
    assert refused(dev, contact(MEMBER_ID), organization=WITHOUT_ACCOUNT) == [
        (
            "contact-trusted-access",
            "dev-security",
            f"account 'dev' ({MEMBER_ID}) is a member account and the organization does not give "
            "trusted access to account.amazonaws.com",
        )
    ]


def test_the_management_account_s_own_contacts_need_no_trusted_access_and_no_account_id():
    assert refused(contact(None), organization=WITHOUT_ACCOUNT) == []
    # "The management account can't specify its own AccountId" (botocore's model of the account API).
    assert refused(contact(MANAGEMENT_ACCOUNT_ID, "own"), organization=WITHOUT_ACCOUNT) == [
        (
            "account-settings-own-account",
            "own",
            f"accountId {MANAGEMENT_ACCOUNT_ID} is the management account's own: leave accountId out",
        )
    ]


def test_a_contact_registered_before_the_created_organization_is_judged_on_its_inputs():
    organization = org_resource(awsServiceAccessPrincipals=[principals.IDENTITY_CENTER])
    assert [r[:2] for r in refused(contact(MEMBER_ID), organization)] == [
        ("contact-trusted-access", "dev-security")
    ]
    trusting = org_resource(awsServiceAccessPrincipals=[principals.ACCOUNT])
    assert refused(contact(MEMBER_ID), trusting, organization=WITHOUT_ACCOUNT) == []


def test_delegated_administrators_need_their_service_s_trusted_access_spelled_exactly():
    delegation = res(
        DELEGATED_ADMINISTRATOR, "audit-config", accountId=MEMBER_ID, servicePrincipal=principals.CONFIG
    )
    assert refused(delegation) == []
    organization = org_resource(awsServiceAccessPrincipals=["Config.amazonaws.com", principals.ACCOUNT])
    assert refused(delegation, organization) == [
        (
            "delegated-administrator-trusted-access",
            "audit-config",
            "the organization does not give trusted access to config.amazonaws.com "
            "(trusted: Config.amazonaws.com, account.amazonaws.com)",
        )
    ]


def test_security_hub_needs_trusted_access_and_guardduty_enables_its_own():
    security_hub = res(SECURITY_HUB_ADMIN_ACCOUNT, "audit-securityhub", adminAccountId=MEMBER_ID)
    guardduty = res(GUARDDUTY_ADMIN_ACCOUNT, "audit-guardduty", adminAccountId=MEMBER_ID)
    assert refused(security_hub, guardduty) == []
    assert refused(security_hub, guardduty, organization=WITHOUT_ACCOUNT) == [
        (
            "security-hub-administrator-trusted-access",
            "audit-securityhub",
            "the organization does not give trusted access to securityhub.amazonaws.com",
        )
    ]


# Identity Center: an instance only in an organization that has one.

LOOKUP = RecordedCall(GET_SSO_INSTANCES, {})


def test_the_example_organization_has_an_identity_center_instance():
    assert refused(calls=(LOOKUP,)) == []


def test_an_organization_without_identity_center_has_no_instance_to_look_up():
    calls = (LOOKUP, RecordedCall(GET_SSO_INSTANCES, {"region": "us-east-1"}))
    assert refused(calls=calls, organization=MockOrganization(identity_center_instance=False)) == [
        (
            "identity-center-instance",
            "",
            "no IAM Identity Center instance in us-east-1: the organization has none",
        ),
        ("identity-center-instance", "", "no IAM Identity Center instance: the organization has none"),
    ]


def test_a_new_organization_has_no_identity_center_instance_an_adopted_one_keeps_its_own():
    assert refused(org_resource(), calls=(LOOKUP,)) == [
        (
            "identity-center-instance",
            "",
            "no IAM Identity Center instance: this stack creates the organization, and a new "
            "organization has none",
        )
    ]
    assert refused(org_resource(import_id="o-abcdefghij"), calls=(LOOKUP,)) == []


# Cost Anomaly Detection: one AWS managed monitor per dimension, and AWS made the services one.


def monitor(
    name: str, monitor_type: str = "DIMENSIONAL", provider: str = "", **inputs: Any
) -> RegisteredResource:
    return res(ANOMALY_MONITOR, name, provider=provider, name=name, monitorType=monitor_type, **inputs)


EXISTS = (
    "the account already has its AWS managed SERVICE monitor (AWS creates the AWS services one by itself)"
)


@pytest.mark.parametrize(
    ("monitor_type", "dimension", "expected"),
    [
        ("DIMENSIONAL", "SERVICE", [("anomaly-monitor-per-dimension", "m", EXISTS)]),
        (
            "DIMENSIONAL",
            "service",
            [
                ("anomaly-monitor-per-dimension", "m", EXISTS),
                (
                    "anomaly-monitor-values",
                    "m",
                    "monitorDimension 'service' is not one of SERVICE, LINKED_ACCOUNT, TAG, COST_CATEGORY",
                ),
            ],
        ),
        (
            "dimensional",
            " SERVICE",
            [
                ("anomaly-monitor-per-dimension", "m", EXISTS),
                (
                    "anomaly-monitor-values",
                    "m",
                    "monitorDimension ' SERVICE' is not one of SERVICE, LINKED_ACCOUNT, TAG, COST_CATEGORY",
                ),
                (
                    "anomaly-monitor-values",
                    "m",
                    "monitorType 'dimensional' is not one of DIMENSIONAL, CUSTOM",
                ),
            ],
        ),
        ("DIMENSIONAL", "LINKED_ACCOUNT", []),
        ("CUSTOM", None, []),
    ],
)
def test_the_services_monitor_exists_however_it_is_spelled(monitor_type, dimension, expected):
    inputs = {"monitorDimension": dimension} if dimension is not None else {}
    assert refused(monitor("m", monitor_type, **inputs)) == expected


def test_a_second_monitor_of_a_dimension_in_one_account_is_refused():
    first = monitor("accounts-a", monitorDimension="LINKED_ACCOUNT")
    second = monitor("accounts-b", monitorDimension="LINKED_ACCOUNT")
    elsewhere = monitor("accounts-c", provider="urn:member::id", monitorDimension="LINKED_ACCOUNT")
    assert refused(first, second, elsewhere) == [
        (
            "anomaly-monitor-per-dimension",
            "accounts-b",
            "'accounts-a' is already the account's LINKED_ACCOUNT monitor",
        )
    ]


def test_an_account_without_the_services_monitor_takes_one():
    fresh = MockOrganization(existing_monitor_dimensions=())
    assert refused(monitor("services", monitorDimension="SERVICE"), organization=fresh) == []


# Names: the valid one, the one a character too long, and the other ways to break the rule.

NAME_CASES = [
    # (rule, type, input key, accepted, refused)
    (
        "account-name",
        ACCOUNT,
        "name",
        ["a", "x" * 50, "Data Lake (EU): 1"],
        ["", "x" * 51, "Café", "tab\there"],
    ),
    ("ou-name", ORGANIZATIONAL_UNIT, "name", ["Workloads", "é" * 128], ["", "x" * 129]),
    ("policy-name", POLICY, "name", ["deny leaving!", "x" * 128], ["", "x" * 129]),
    ("policy-description", POLICY, "description", ["", "x" * 512], ["x" * 513]),
    (
        "account-alias",
        ACCOUNT_ALIAS,
        "accountAlias",
        ["acme-audit", "a1b", "x" * 63],
        ["ab", "x" * 64, "acme--audit", "-acme", "acme-", "Acme", "acme_audit"],
    ),
    (
        "access-analyzer-name",
        ACCESS_ANALYZER,
        "analyzerName",
        ["acme-account", "a", "A.b_c-d", "x" * 255],
        ["1acme-account", "_acme", "", "x" * 256, "acme account"],
    ),
    (
        "bucket-name",
        BUCKET,
        "bucket",
        ["acme-cloudtrail-123456789012", "a.b", "x" * 63],
        [
            "ab",
            "x" * 64,
            "Acme-logs",
            "acme_logs",
            "acme..logs",
            "-acme",
            "acme.",
            "192.168.5.4",
            "xn--acme",
            "sthree-acme",
            "amzn-s3-demo-acme",
            "acme-s3alias",
            "acme--ol-s3",
            "acme.mrap",
            "acme--x-s3",
            "acme--table-s3",
        ],
    ),
    (
        "trail-name",
        TRAIL,
        "name",
        ["acme-organization-trail", "a.b", "A_1", "x" * 128],
        [
            "ab",
            "x" * 129,
            "acme--trail",
            "acme-_trail",
            "acme.-trail",
            "-acme",
            "acme-",
            "10.0.0.1",
            "acme trail",
        ],
    ),
    (
        "budget-name",
        BUDGET,
        "name",
        ["acme-monthly", "Data Lake (EU) monthly", "x" * 100],
        ["", "x" * 101, "acme-team:data-monthly", "acme\\data", "acme/action/x"],
    ),
    (
        "permission-set-name",
        PERMISSION_SET,
        "name",
        ["AdministratorAccess", "a+b=c,d.e@f_g-h", "x" * 32],
        ["", "x" * 33, "Admin Access", "Admin/Access"],
    ),
    ("anomaly-monitor-name", ANOMALY_MONITOR, "name", ["acme-cost-anomalies", "x" * 1024], ["", "x" * 1025]),
    ("anomaly-subscription-name", ANOMALY_SUBSCRIPTION, "name", ["a", "x" * 1024], ["", "x" * 1025]),
]


@pytest.mark.parametrize(
    ("rule", "type_", "key", "accepted", "rejected"), NAME_CASES, ids=[c[0] for c in NAME_CASES]
)
def test_names_follow_aws_s_rules(rule, type_, key, accepted, rejected):
    extra: dict[str, Any] = {"monitorType": "CUSTOM"} if type_ == ANOMALY_MONITOR else {}
    for value in accepted:
        assert refused(res(type_, "r", **{key: value}, **extra)) == [], value
    for value in rejected:
        assert [(r[0], r[1]) for r in refused(res(type_, "r", **{key: value}, **extra))] == [(rule, "r")], (
            value
        )


def test_a_name_one_character_too_long_is_shown_with_its_length_and_cut_when_longer():
    ((_, _, message),) = refused(res(ACCOUNT, "long", name="x" * 51))
    assert (
        message
        == f"name '{'x' * 51}' (51 characters) is not 1 to 50 printable ASCII characters (AWS account name rules)"
    )
    ((_, _, message),) = refused(res(ORGANIZATIONAL_UNIT, "long", name="x" * 129))
    assert message == f"name '{'x' * 40}...' (129 characters) is not 1 to 128 characters"
    ((_, _, message),) = refused(res(TRAIL, "short", name="ab"))
    assert message.startswith("name 'ab' is not a trail name of 3 to 128 letters")


# The table itself: unique ids, words and a source for each, limits pinned to AWS's API model.


def test_every_rule_has_an_id_words_and_a_source():
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert rule.words.endswith(".") and rule.words[0].isupper(), rule.id
        assert rule.source.startswith("https://"), rule.id


def test_policy_types_are_the_ones_aws_s_api_model_lists():
    model = botocore.session.get_session().get_service_model("organizations")
    assert sorted(POLICY_TYPES) == sorted(model.shape_for("PolicyType").enum)


def _limits(service: str, operation: str, *path: str) -> tuple[int | None, int | None]:
    shape = botocore.session.get_session().get_service_model(service).operation_model(operation).input_shape
    for member in path:
        shape = shape.members[member]
    return shape.metadata.get("min"), shape.metadata.get("max")


API_NAMES = {
    # rule id: (botocore service, operation, path to the member)
    "account-name": ("organizations", "CreateAccount", ("AccountName",)),
    "ou-name": ("organizations", "CreateOrganizationalUnit", ("Name",)),
    "policy-name": ("organizations", "CreatePolicy", ("Name",)),
    "policy-description": ("organizations", "CreatePolicy", ("Description",)),
    "account-alias": ("iam", "CreateAccountAlias", ("AccountAlias",)),
    "access-analyzer-name": ("accessanalyzer", "CreateAnalyzer", ("analyzerName",)),
    "budget-name": ("budgets", "CreateBudget", ("Budget", "BudgetName")),
    "permission-set-name": ("sso-admin", "CreatePermissionSet", ("Name",)),
    "anomaly-monitor-name": ("ce", "CreateAnomalyMonitor", ("AnomalyMonitor", "MonitorName")),
    "anomaly-subscription-name": (
        "ce",
        "CreateAnomalySubscription",
        ("AnomalySubscription", "SubscriptionName"),
    ),
}


@pytest.mark.parametrize("rule", sorted(API_NAMES))
def test_the_longest_name_a_rule_takes_is_the_longest_aws_s_api_model_takes(rule):
    # botocore ships AWS's API model: the table takes names exactly as long as AWS does.
    longest = _limits(*API_NAMES[rule][:2], *API_NAMES[rule][2])[1]
    _, type_, key, _, _ = next(case for case in NAME_CASES if case[0] == rule)
    extra: dict[str, Any] = {"monitorType": "CUSTOM"} if type_ == ANOMALY_MONITOR else {}
    assert refused(res(type_, "r", **{key: "x" * longest}, **extra)) == []
    assert [r[0] for r in refused(res(type_, "r", **{key: "x" * (longest + 1)}, **extra))] == [rule]


# Document sizes: per type, every character counted.


@pytest.mark.parametrize(
    ("policy_type", "limit"),
    [
        (SCP, 10_240),
        ("RESOURCE_CONTROL_POLICY", 5120),
        ("AISERVICES_OPT_OUT_POLICY", 2500),
        ("TAG_POLICY", 10_000),
        ("BACKUP_POLICY", 10_000),
        ("DECLARATIVE_POLICY_EC2", 10_000),
        ("CHATBOT_POLICY", 10_000),
        ("SECURITYHUB_POLICY", 10_000),
        ("UPGRADE_ROLLOUT_POLICY", 5120),
    ],
)
def test_a_policy_over_its_type_s_size_is_refused_and_one_at_it_is_not(policy_type, limit):
    at_limit = policy("fits", policy_type, content="x" * limit)
    over = policy("over", policy_type, content="x" * (limit + 1))
    assert refused(at_limit, over) == [
        (
            "policy-size",
            "over",
            f"content is {limit + 1:,} characters; AWS allows {limit:,} for a {policy_type}",
        )
    ]


def test_types_the_quotas_page_does_not_list_are_not_limited_in_size():
    assert refused(policy("big", "BEDROCK_POLICY", content="x" * 50_000)) == []


@pytest.mark.parametrize(
    ("policy_type", "service"),
    [("INSPECTOR_POLICY", "inspector2.amazonaws.com"), ("SECURITYHUB_POLICY", "securityhub.amazonaws.com")],
)
def test_inspector_and_security_hub_policies_need_their_service_s_trusted_access(policy_type, service):
    without = org_resource(
        enabledPolicyTypes=[SCP, policy_type], awsServiceAccessPrincipals=["sso.amazonaws.com"]
    )
    assert refused(without) == [
        (
            "policy-type-trusted-access",
            "acme",
            f"enabledPolicyTypes: {policy_type} needs trusted access for {service} (trusted: sso.amazonaws.com)",
        )
    ]
    with_it = org_resource(enabledPolicyTypes=[SCP, policy_type], awsServiceAccessPrincipals=[service])
    assert refused(with_it) == []


@pytest.mark.parametrize(
    ("ignored", "expected"),
    [
        (["roleName", "iamUserAccessToBilling", "email", "name"], []),
        (
            ["roleName", "iamUserAccessToBilling", "email"],
            [
                (
                    "account-never-replaced",
                    "dev",
                    "ignoreChanges lacks name: a change would replace the account (name and email change in "
                    "place with lz account rename / change-email)",
                )
            ],
        ),
        (
            [],
            [
                (
                    "account-never-replaced",
                    "dev",
                    "ignoreChanges lacks email, iamUserAccessToBilling, name, roleName: a change would replace "
                    "the account (name and email change in place with lz account rename / change-email)",
                )
            ],
        ),
    ],
    ids=["all-ignored", "name-not-ignored", "nothing-ignored"],
)
def test_an_account_ignores_every_property_that_would_replace_it(ignored, expected):
    account = res(ACCOUNT, "dev", id_=MEMBER_ID, name="dev", email="aws+dev@acme-corp.io")
    account.ignore_changes = ignored
    assert refused(account) == expected
