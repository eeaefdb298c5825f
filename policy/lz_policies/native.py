"""aws-native resources judged as their pulumi-aws (classic) twins.

pulumi-aws-native makes the same AWS resources through Cloud Control, in CloudFormation's
shapes: other type tokens, other property names (`accountName`, `parentIds`), tags as a list
of `{key, value}`, policy documents as objects, outputs named after the resource
(`accountId`, `permissionSetArn`), and attachments embedded in their owner (a permission set's
`managedPolicies`, an SCP's `targetIds`). Every policy reads the classic shape, so each native
resource is translated once, here, into the classic resource it stands for plus one classic
attachment per embedded attachment: the same rules then judge both, and a rule cannot be walked
past by spelling the resource the other way.

Type tokens and input names are those of the pulumi-aws-native Python SDK (1.84.0), file
`pulumi_aws_native/<module>/<resource>.py`: its `super().__init__('aws-native:...')` token and
the `__props__` keys, camelCased on the wire (`permission_set_arn` -> `permissionSetArn`).
pulumi-aws-native has no twin of GuardDuty's, Macie's, Inspector's or Firewall Manager's
administrator accounts, nor of Organizations' DelegatedAdministrator (no such files in the
SDK), and no access key resource.

An embedded attachment is reported on its owner (the same URN and name: that is the resource
to change), and depends on its owner, so `References` links it to it while the owner's ARN or
id is not known yet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pulumi_policy import ResourceValidationArgs

from .program_rules import (
    ACCOUNT,
    ACCOUNT_ASSIGNMENT,
    CUSTOMER_MANAGED_POLICY_ATTACHMENT,
    IDENTITY_STORE_GROUP,
    MANAGED_POLICY_ATTACHMENT,
    ORGANIZATION,
    ORGANIZATIONAL_UNIT,
    PERMISSION_SET,
    PERMISSION_SET_INLINE_POLICY,
    POLICY,
    POLICY_ATTACHMENT,
    SECURITY_HUB_ADMIN_ACCOUNT,
)
from .props import UNKNOWN, as_list, is_unknown, plain

# Classic tokens the policies read that program_rules does not already name.
IAM_ROLE = "aws:iam/role:Role"
IAM_ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
IAM_USER = "aws:iam/user:User"
IAM_LOGIN_PROFILE = "aws:iam/userLoginProfile:UserLoginProfile"
IAM_USER_GROUP_MEMBERSHIP = "aws:iam/userGroupMembership:UserGroupMembership"
IAM_USER_POLICY = "aws:iam/userPolicy:UserPolicy"
IAM_GROUP = "aws:iam/group:Group"
IAM_GROUP_POLICY = "aws:iam/groupPolicy:GroupPolicy"
IAM_GROUP_POLICY_ATTACHMENT = "aws:iam/groupPolicyAttachment:GroupPolicyAttachment"
IAM_MANAGED_POLICY = "aws:iam/policy:Policy"
IAM_POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment"
ORGANIZATIONS_RESOURCE_POLICY = "aws:organizations/resourcePolicy:ResourcePolicy"
DETECTIVE_ADMIN_ACCOUNT = "aws:detective/organizationAdminAccount:OrganizationAdminAccount"


@dataclass
class Piece:
    """One classic resource a native resource stands for.

    `inputs` maps a classic input to the native input it comes from, so that the engine's
    property dependencies follow the rename; `from_owner` are classic inputs that hold the
    owner's own output (an attachment's `permissionSetArn`), computed from the owner.
    """

    type: str
    props: dict[str, Any]
    inputs: dict[str, str] = field(default_factory=dict)
    from_owner: tuple[str, ...] = ()


@dataclass
class Twin:
    """A native resource as classic ones: the resource itself, then its embedded attachments."""

    main: Piece
    embedded: list[Piece] = field(default_factory=list)


def known(value: Any) -> bool:
    return value is not None and not is_unknown(value)


def contains_unknown(value: Any) -> bool:
    if is_unknown(value):
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return False


def document(value: Any) -> Any:
    """A policy document as classic inputs carry it (JSON text, or already parsed: `json_value`
    reads both). An object with an unknown anywhere inside cannot be judged: UNKNOWN, as the
    classic JSON text holding an unknown is."""
    return UNKNOWN if contains_unknown(value) else value


def tags(value: Any) -> Any:
    """CloudFormation's `[{key, value}]` as the classic `{key: value}`; UNKNOWN if any part is."""
    if value is None:
        return None
    if contains_unknown(value):
        return UNKNOWN
    return {t.get("key"): t.get("value") for t in as_list(value) if isinstance(t, dict)}


def only(value: Any) -> Any:
    """The one element of a list input that AWS allows one of (an account's `parentIds`).
    Several, or an unknown list, cannot be told apart: UNKNOWN (the policies report it)."""
    if is_unknown(value):
        return UNKNOWN
    items = as_list(value)
    if len(items) == 1:
        return items[0]
    return None if not items else UNKNOWN


def renamed(props: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """`props` under classic names: `names` maps classic -> native; absent inputs stay absent."""
    return {classic: props[native] for classic, native in names.items() if native in props}


def _physical_name(props: Mapping[str, Any], key: str, resource_name: str, *, when_unknown: Any) -> Any:
    """An IAM name: CloudFormation names the resource itself when it is not given; the pack
    judges such a resource by its resource name (as it has read native IAM resources so far)."""
    value = props.get(key)
    if is_unknown(value):
        return when_unknown
    return value if isinstance(value, str) else resource_name


def _list_pieces(
    value: Any, make: Callable[[Any], Piece], *, unknown: Callable[[], Piece] | None = None
) -> list[Piece]:
    """One piece per element; one piece standing for them all when the list is not known yet."""
    if is_unknown(value):
        return [unknown() if unknown is not None else make(UNKNOWN)]
    return [make(item) for item in as_list(value)]


# --- IAM Identity Center: pulumi_aws_native/sso/{assignment,permission_set}.py -------------------


def _assignment(props: Mapping[str, Any], name: str) -> Twin:
    keys = ("instanceArn", "permissionSetArn", "principalId", "principalType", "targetId", "targetType")
    return Twin(Piece(ACCOUNT_ASSIGNMENT, renamed(props, {k: k for k in keys}), {k: k for k in keys}))


def _permission_set(props: Mapping[str, Any], name: str) -> Twin:
    names = {
        "name": "name",
        "description": "description",
        "instanceArn": "instanceArn",
        "sessionDuration": "sessionDuration",
        "relayState": "relayStateType",
        "arn": "permissionSetArn",
    }
    main = Piece(PERMISSION_SET, {**renamed(props, names), "tags": tags(props.get("tags"))}, names)
    arn = props.get("permissionSetArn", UNKNOWN)
    owner = {"instanceArn": props.get("instanceArn"), "permissionSetArn": arn}
    embedded = _list_pieces(
        props.get("managedPolicies"),
        lambda policy: Piece(
            MANAGED_POLICY_ATTACHMENT,
            {**owner, "managedPolicyArn": policy},
            {"managedPolicyArn": "managedPolicies"},
            ("permissionSetArn",),
        ),
    )
    if "inlinePolicy" in props:
        embedded.append(
            Piece(
                PERMISSION_SET_INLINE_POLICY,
                {**owner, "inlinePolicy": document(props["inlinePolicy"])},
                {"inlinePolicy": "inlinePolicy"},
                ("permissionSetArn",),
            )
        )
    embedded += _list_pieces(
        props.get("customerManagedPolicyReferences"),
        lambda reference: Piece(
            CUSTOMER_MANAGED_POLICY_ATTACHMENT,
            {**owner, "customerManagedPolicyReference": reference},
            {"customerManagedPolicyReference": "customerManagedPolicyReferences"},
            ("permissionSetArn",),
        ),
    )
    return Twin(main, embedded)


# --- identitystore: pulumi_aws_native/identitystore/group.py -----------------------------------


def _identity_store_group(props: Mapping[str, Any], name: str) -> Twin:
    names = {k: k for k in ("displayName", "description", "identityStoreId", "groupId")}
    return Twin(Piece(IDENTITY_STORE_GROUP, renamed(props, names), names))


# --- Organizations: pulumi_aws_native/organizations/*.py ------------------------------------


def _account(props: Mapping[str, Any], name: str) -> Twin:
    names = {"name": "accountName", "email": "email", "roleName": "roleName", "id": "accountId", "arn": "arn"}
    main = {**renamed(props, names), "tags": tags(props.get("tags"))}
    if "parentIds" in props:
        main["parentId"] = only(props["parentIds"])
    # Cloud Control deletes an AWS::Organizations::Account by closing it, and aws-native has no
    # input to say otherwise (keeping it is the `retainOnDelete` option, which the engine does
    # not send to policies). Deny when unsure: a native account counts as closed on deletion,
    # so only a disposable account in a sandbox OU may be made this way.
    main["closeOnDeletion"] = True
    return Twin(Piece(ACCOUNT, main, {**names, "parentId": "parentIds"}))


def _organizational_unit(props: Mapping[str, Any], name: str) -> Twin:
    names = {"name": "name", "parentId": "parentId", "id": "awsId", "arn": "arn"}
    return Twin(Piece(ORGANIZATIONAL_UNIT, {**renamed(props, names), "tags": tags(props.get("tags"))}, names))


def _organization(props: Mapping[str, Any], name: str) -> Twin:
    names = {
        "masterAccountId": "managementAccountId",
        "featureSet": "featureSet",
        "id": "awsId",
        "arn": "arn",
    }
    main = renamed(props, names)
    if known(props.get("rootId")):
        main["roots"] = [{"id": props["rootId"]}]
    return Twin(Piece(ORGANIZATION, main, names))


def _organizations_policy(props: Mapping[str, Any], name: str) -> Twin:
    names = {"name": "name", "description": "description", "type": "type", "id": "awsId", "arn": "arn"}
    main = {
        **renamed(props, names),
        "content": document(props.get("content")),
        "tags": tags(props.get("tags")),
    }
    policy_id = props.get("awsId", UNKNOWN)
    # An SCP attached through `targetIds` is attached as a PolicyAttachment is.
    embedded = _list_pieces(
        props.get("targetIds", []),
        lambda target: Piece(
            POLICY_ATTACHMENT,
            {"policyId": policy_id, "targetId": target},
            {"targetId": "targetIds"},
            ("policyId",),
        ),
    )
    return Twin(Piece(POLICY, main, names), embedded)


def _organizations_resource_policy(props: Mapping[str, Any], name: str) -> Twin:
    main = {"content": document(props.get("content")), "tags": tags(props.get("tags"))}
    return Twin(Piece(ORGANIZATIONS_RESOURCE_POLICY, main, {"content": "content"}))


# --- delegated administrators: securityhub/delegated_admin.py, detective/organization_admin.py ---


def _security_hub_admin(props: Mapping[str, Any], name: str) -> Twin:
    names = {"adminAccountId": "adminAccountId"}
    return Twin(Piece(SECURITY_HUB_ADMIN_ACCOUNT, renamed(props, names), names))


def _detective_admin(props: Mapping[str, Any], name: str) -> Twin:
    names = {"accountId": "accountId"}
    return Twin(Piece(DETECTIVE_ADMIN_ACCOUNT, renamed(props, names), names))


# --- IAM: pulumi_aws_native/iam/{role,user,group,managed_policy,*_policy}.py -------------------


def _inline(kind: str, owner_key: str, owner: Any, policy: Any) -> Piece:
    """One entry of a role's, user's or group's `policies` as the classic inline policy resource."""
    if isinstance(policy, dict):
        fields = {"name": policy.get("policyName"), "policy": document(policy.get("policyDocument"))}
    else:
        fields = {"policy": UNKNOWN if is_unknown(policy) else None}
    return Piece(kind, {owner_key: owner, **fields}, {"policy": "policies"})


def _role(props: Mapping[str, Any], name: str) -> Twin:
    names = {
        "name": "roleName",
        "path": "path",
        "description": "description",
        "managedPolicyArns": "managedPolicyArns",
        "maxSessionDuration": "maxSessionDuration",
        "permissionsBoundary": "permissionsBoundary",
        "arn": "arn",
    }
    main = {**renamed(props, names), "tags": tags(props.get("tags"))}
    main["assumeRolePolicy"] = document(props.get("assumeRolePolicyDocument"))
    # Classic roles carry inline policies too (`inlinePolicies`), in the same resource.
    policies = props.get("policies")
    if is_unknown(policies):
        main["inlinePolicies"] = [UNKNOWN]
    elif policies is not None:
        main["inlinePolicies"] = [
            {"name": p.get("policyName"), "policy": document(p.get("policyDocument"))}
            if isinstance(p, dict)
            else UNKNOWN
            for p in as_list(policies)
        ]
    inputs = {**names, "assumeRolePolicy": "assumeRolePolicyDocument", "inlinePolicies": "policies"}
    return Twin(Piece(IAM_ROLE, main, inputs))


def _user(props: Mapping[str, Any], name: str) -> Twin:
    # A user whose name is not known yet is still reported (by its resource name); a group's
    # unknown name matches no membership, so it forces MFA on nobody.
    user = _physical_name(props, "userName", name, when_unknown=name)
    names = {"path": "path", "arn": "arn", "permissionsBoundary": "permissionsBoundary"}
    main = Piece(IAM_USER, {**renamed(props, names), "name": user, "tags": tags(props.get("tags"))}, names)
    embedded = []
    if props.get("loginProfile") is not None:
        # A console password: what the classic UserLoginProfile stands for.
        embedded.append(Piece(IAM_LOGIN_PROFILE, {"user": user}))
    if "groups" in props:
        embedded.append(
            Piece(IAM_USER_GROUP_MEMBERSHIP, {"user": user, "groups": props["groups"]}, {"groups": "groups"})
        )
    embedded += _list_pieces(props.get("policies", []), lambda p: _inline(IAM_USER_POLICY, "user", user, p))
    return Twin(main, embedded)


def _group(props: Mapping[str, Any], name: str) -> Twin:
    group = _physical_name(props, "groupName", name, when_unknown=UNKNOWN)
    names = {"path": "path", "arn": "arn"}
    main = Piece(IAM_GROUP, {**renamed(props, names), "name": group}, names)
    embedded = _list_pieces(props.get("policies", []), lambda p: _inline(IAM_GROUP_POLICY, "group", group, p))
    embedded += _list_pieces(
        props.get("managedPolicyArns", []),
        lambda arn: Piece(
            IAM_GROUP_POLICY_ATTACHMENT,
            {"group": group, "policyArn": arn},
            {"policyArn": "managedPolicyArns"},
        ),
    )
    return Twin(main, embedded)


def _managed_policy(props: Mapping[str, Any], name: str) -> Twin:
    names = {"name": "managedPolicyName", "path": "path", "description": "description", "arn": "policyArn"}
    main = {**renamed(props, names), "policy": document(props.get("policyDocument"))}
    embedded = []
    attached = {key: props[key] for key in ("roles", "users", "groups") if key in props}
    if attached:
        # The policy's own `roles`, `users`, `groups`: what a classic PolicyAttachment holds.
        embedded.append(
            Piece(
                IAM_POLICY_ATTACHMENT,
                {"policyArn": props.get("policyArn", UNKNOWN), **attached},
                {key: key for key in attached},
                ("policyArn",),
            )
        )
    return Twin(Piece(IAM_MANAGED_POLICY, main, {**names, "policy": "policyDocument"}), embedded)


def _inline_policy(
    kind: str, owner_key: str, native_owner_key: str
) -> Callable[[Mapping[str, Any], str], Twin]:
    def translate(props: Mapping[str, Any], name: str) -> Twin:
        names = {owner_key: native_owner_key, "name": "policyName"}
        main = {**renamed(props, names), "policy": document(props.get("policyDocument"))}
        return Twin(Piece(kind, main, {**names, "policy": "policyDocument"}))

    return translate


TWINS: dict[str, Callable[[Mapping[str, Any], str], Twin]] = {
    "aws-native:sso:Assignment": _assignment,
    "aws-native:sso:PermissionSet": _permission_set,
    "aws-native:identitystore:Group": _identity_store_group,
    "aws-native:organizations:Account": _account,
    "aws-native:organizations:OrganizationalUnit": _organizational_unit,
    "aws-native:organizations:Organization": _organization,
    "aws-native:organizations:Policy": _organizations_policy,
    "aws-native:organizations:ResourcePolicy": _organizations_resource_policy,
    "aws-native:securityhub:DelegatedAdmin": _security_hub_admin,
    "aws-native:detective:OrganizationAdmin": _detective_admin,
    "aws-native:iam:Role": _role,
    "aws-native:iam:User": _user,
    "aws-native:iam:Group": _group,
    "aws-native:iam:ManagedPolicy": _managed_policy,
    "aws-native:iam:RolePolicy": _inline_policy(IAM_ROLE_POLICY, "role", "roleName"),
    "aws-native:iam:GroupPolicy": _inline_policy(IAM_GROUP_POLICY, "group", "groupName"),
    "aws-native:iam:UserPolicy": _inline_policy(IAM_USER_POLICY, "user", "userName"),
}


def twin(resource_type: str, props: Mapping[str, Any], name: str) -> Twin | None:
    """The classic resources a native resource stands for; None for any other resource."""
    translate = TWINS.get(resource_type)
    return None if translate is None else translate(props, name)


def classic(resource_type: str, props: dict[str, Any], name: str) -> tuple[str, dict[str, Any]]:
    """(type, props) as the classic twin's, or as given for a resource without one."""
    found = twin(resource_type, props, name)
    return (resource_type, props) if found is None else (found.main.type, found.main.props)


def input_name(resource_type: str, classic_key: str) -> str:
    """The input a message should name: the native one a classic input comes from."""
    found = twin(resource_type, {}, "")
    return classic_key if found is None else found.main.inputs.get(classic_key, classic_key)


def normalized(args: ResourceValidationArgs) -> tuple[str, dict[str, Any]]:
    """The (type, props) a resource policy judges: the classic twin's for a native resource.

    Messages keep `args.name` and the resource's own URN (a resource policy reports on it).
    """
    return classic(args.resource_type, plain(args.props), args.name)
