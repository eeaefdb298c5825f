"""The `lz plan` report: its JSON form is a contract (scripts read it), so its shape is pinned here."""

from __future__ import annotations

import json
from typing import Any

from tests.builders import stack_values
from tests.helpers import run_lz, write_stack
from tests.test_cli_policy import BROKEN_ACCOUNTS

# Every key in the order `lz plan --format json` prints it, and the JSON types of its values
# ("a|b" where entries differ); lists show the merged shape of their entries.
PROD_SHAPE: dict[str, Any] = {
    "project": "str",
    "stack": "str",
    "organization": {"managed": "bool", "id": "str", "rootId": "str"},
    "organizationalUnits": ["str"],
    "accounts": [
        {"name": "str", "email": "str", "ou": "str", "id": "str", "closeOnDeletion": "bool", "import": "null"}
    ],
    "guardrails": [{"policy": "str", "target": "str", "targetType": "str"}],
    "budgets": [
        {
            "name": "str",
            "limitAmount": "str",
            "limitUnit": "str",
            "timeUnit": "str",
            "account": "null|str",
            "notifications": [{"type": "str", "threshold": "int"}],
            "subscribers": ["str"],
        }
    ],
    "resources": {"count": "int", "byType": {"<resource type>": "int"}},
    "diagnostics": [],
    "permissionSets": [
        {
            "name": "str",
            "arn": "str",
            "description": "str",
            "sessionDuration": "str",
            "managedPolicies": ["str"],
            "customerManagedPolicies": [],
            "inlinePolicy": "bool",
            "permissionsBoundary": "null",
        }
    ],
    "access": [{"group": "str", "permissionSet": "str", "account": "str"}],
    "policy": {"pack": "str", "config": "str", "violations": []},
}
VIOLATIONS_SHAPE = {
    "pack": "str",
    "config": "null",
    "violations": [{"policy": "str", "level": "str", "message": "str", "urn": "str"}],
}


def shape(value: Any, key: str = "") -> Any:
    if key == "byType":
        return {"<resource type>": _merge([shape(v) for v in value.values()]) if value else []}
    if isinstance(value, dict):
        return {k: shape(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_merge([shape(v) for v in value])] if value else []
    return "null" if value is None else type(value).__name__


def _merge(shapes: list[Any]) -> Any:
    first = shapes[0]
    if isinstance(first, dict):
        assert all(list(s) == list(first) for s in shapes), shapes  # same keys, same order
        return {k: _merge([s[k] for s in shapes]) for k in first}
    if isinstance(first, list):
        elements = [e for s in shapes for e in s]
        return [_merge(elements)] if elements else []
    return "|".join(sorted(set(shapes)))


def test_prod_plan_json_keeps_its_keys_order_and_types(capsys):
    code, out, err = run_lz(capsys, "plan", "--stack", "prod", "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    # json.dumps keeps insertion order: comparing the dumps compares the key order too.
    assert json.dumps(shape(report), indent=1) == json.dumps(PROD_SHAPE, indent=1)
    assert out == json.dumps(report, indent=2) + "\n"


def test_policy_violations_keep_their_keys_order_and_types(capsys, tmp_path):
    stack = write_stack(tmp_path, stack_values(accounts=BROKEN_ACCOUNTS))
    code, out, _ = run_lz(capsys, "plan", "--config-file", str(stack), "--format", "json")
    assert code == 1
    policy = json.loads(out)["policy"]
    assert json.dumps(shape(policy), indent=1) == json.dumps(VIOLATIONS_SHAPE, indent=1)
