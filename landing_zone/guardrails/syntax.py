"""What AWS accepts as a policy document of each type, checked on the parsed JSON.

Authorization policies (service and resource control policies) follow IAM's grammar, narrowed:
- SCPs have no Principal or NotPrincipal
  (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html);
- RCPs deny only (Allow is for RCPFullAWSAccess alone), name the principal "*" and never
  NotPrincipal, and act only on the services RCPs support
  (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html).
Management policies (tag, backup, AI opt-out, declarative, chat applications, ...) follow the
management-policy syntax: nested objects whose leaves are set through the inheritance operators
@@assign, @@append and @@remove, and restricted for children by
@@operators_allowed_for_child_policies
(https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_inheritance_mgmt.html).
Each function returns the problems in words, empty when the document is acceptable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .policy_types import RCP_SERVICES, RESOURCE_CONTROL_POLICY, PolicyTypeRules

VALUE_OPERATORS = ("@@assign", "@@append", "@@remove")
CHILD_CONTROL = "@@operators_allowed_for_child_policies"
# What @@operators_allowed_for_child_policies may list; @@all and @@none stand alone.
CHILD_CONTROL_VALUES = ("@@all", "@@none", *VALUE_OPERATORS)
# Declarative policies for EC2, AI opt-out and S3 policies: the values AWS takes for the
# attributes the catalog and examples set, from their syntax pages
# (orgs_manage_policies_declarative_syntax.html, orgs_manage_policies_ai-opt-out_syntax.html).
KNOWN_VALUES: Mapping[tuple[str, ...], tuple[str, ...]] = {
    ("ec2_attributes", "image_block_public_access", "state"): ("block_new_sharing", "unblocked"),
    ("ec2_attributes", "snapshot_block_public_access", "state"): (
        "block_all_sharing",
        "block_new_sharing",
        "unblocked",
    ),
    ("ec2_attributes", "instance_metadata_defaults", "http_tokens"): (
        "required",
        "optional",
        "no_preference",
    ),
    ("ec2_attributes", "instance_metadata_defaults", "http_endpoint"): (
        "enabled",
        "disabled",
        "no_preference",
    ),
    ("ec2_attributes", "instance_metadata_defaults", "instance_metadata_tags"): (
        "enabled",
        "disabled",
        "no_preference",
    ),
    ("services", "*", "opt_out_policy"): ("optOut", "optIn"),
    # orgs_manage_policies_s3_syntax.html
    ("s3_attributes", "public_access_block_configuration"): ("all", "none"),
    # orgs_manage_policies_upgrade_syntax.html
    ("upgrade_rollout", "default", "patch_order"): ("first", "second", "last"),
    ("upgrade_rollout", "tags", "*", "tag_values", "*", "patch_order"): ("first", "second", "last"),
}


def document_problems(document: Any, rules: PolicyTypeRules) -> list[str]:
    if rules.grammar == "iam":
        return iam_problems(document, rules)
    return management_problems(document, rules)


# Authorization policies.


def iam_problems(document: Any, rules: PolicyTypeRules) -> list[str]:
    statements = document.get("Statement") if isinstance(document, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        return ["must be a policy document: an object with a Statement list"]
    problems: list[str] = []
    rcp = rules.name == RESOURCE_CONTROL_POLICY
    for position, statement in enumerate(statements):
        if not isinstance(statement, dict):
            problems.append(f"statement {position} is not an object")
            continue
        where = f"statement {position}"
        if not statement.get("Sid"):
            problems.append(f"{where} has no Sid: every statement needs one, to name it in reviews")
        effect = statement.get("Effect")
        allowed_effects = ("Deny",) if rcp else ("Allow", "Deny")
        if effect not in allowed_effects:
            problems.append(
                f"{where}: Effect must be {' or '.join(allowed_effects)}"
                + (" (Allow is for RCPFullAWSAccess alone)" if rcp and effect == "Allow" else "")
            )
        if "NotPrincipal" in statement:
            problems.append(f"{where}: a {rules.words} has no NotPrincipal")
        if rcp:
            if statement.get("Principal") != "*":
                problems.append(f'{where}: a resource control policy names its Principal "*"')
            problems += _rcp_action_problems(where, statement)
        elif "Principal" in statement:
            problems.append(f"{where}: a service control policy has no Principal")
    return problems


def _rcp_action_problems(where: str, statement: Mapping[str, Any]) -> list[str]:
    problems = []
    for element in ("Action", "NotAction"):
        actions = statement.get(element)
        for action in [actions] if isinstance(actions, str) else actions or []:
            service = str(action).split(":", 1)[0].lower() if ":" in str(action) else None
            if service not in RCP_SERVICES:
                problems.append(
                    f"{where}: {element} '{action}' is not an action of a service resource control "
                    f"policies support ({', '.join(sorted(RCP_SERVICES))})"
                )
    if "Action" not in statement and "NotAction" not in statement:
        problems.append(f"{where}: has no Action")
    return problems


# Management policies.


def management_problems(document: Any, rules: PolicyTypeRules) -> list[str]:
    if not isinstance(document, dict) or not document:
        return ["must be a management policy: a JSON object of attributes"]
    problems: list[str] = []
    if rules.top_level_key is not None and set(document) != {rules.top_level_key}:
        others = ", ".join(sorted(set(document) - {rules.top_level_key})) or "nothing"
        problems.append(f"a {rules.words} has one top-level key, {rules.top_level_key} (found {others})")
    _check_node(document, (), problems)
    return problems


def _check_node(node: Mapping[str, Any], path: tuple[str, ...], problems: list[str]) -> None:
    where = ".".join(path) or "the document"
    operators = [key for key in node if key.startswith("@@")]
    attributes = [key for key in node if not key.startswith("@@")]
    for key in operators:
        if key not in (*VALUE_OPERATORS, CHILD_CONTROL):
            problems.append(
                f"{where}: '{key}' is not an inheritance operator "
                f"({', '.join((*VALUE_OPERATORS, CHILD_CONTROL))})"
            )
    value_operators = [key for key in operators if key in VALUE_OPERATORS]
    if value_operators and attributes:
        problems.append(
            f"{where}: sets a value with {value_operators[0]} and also has attributes "
            f"({', '.join(attributes)}); a value or attributes, not both"
        )
    if CHILD_CONTROL in node:
        _check_child_control(where, node[CHILD_CONTROL], problems)
    for key in value_operators:
        _check_value(path, where, key, node[key], problems)
    for key in attributes:
        value = node[key]
        if isinstance(value, dict):
            _check_node(value, (*path, key), problems)
        else:
            shown = ".".join((*path, key))
            problems.append(f'{shown}: is set directly; set it through an operator, e.g. {{"@@assign": ...}}')


def _check_child_control(where: str, value: Any, problems: list[str]) -> None:
    listed = value if isinstance(value, list) else None
    if not listed or not all(isinstance(item, str) and item in CHILD_CONTROL_VALUES for item in listed):
        problems.append(f"{where}: {CHILD_CONTROL} lists some of {', '.join(CHILD_CONTROL_VALUES)}")
    elif len(listed) > 1 and ({"@@all", "@@none"} & set(listed)):
        problems.append(f"{where}: {CHILD_CONTROL} has @@all or @@none alone")


def _check_value(path: tuple[str, ...], where: str, operator: str, value: Any, problems: list[str]) -> None:
    scalars = (str, int, float, bool)
    if isinstance(value, list):
        if not all(isinstance(item, scalars) for item in value):
            problems.append(f"{where}: {operator} takes a value or a list of values, not objects")
        return
    if not isinstance(value, scalars):
        problems.append(f"{where}: {operator} takes a value or a list of values, not an object")
        return
    for pattern, accepted in KNOWN_VALUES.items():
        if _matches(pattern, path) and value not in accepted:
            problems.append(f"{where}: '{value}' is not one of {', '.join(accepted)}")


def _matches(pattern: tuple[str, ...], path: tuple[str, ...]) -> bool:
    return len(pattern) == len(path) and all(p in ("*", part) for p, part in zip(pattern, path, strict=True))
