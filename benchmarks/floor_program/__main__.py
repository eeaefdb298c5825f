"""The floor: register the same resources as a landing-zone plan, with no landing-zone logic.

Reads the `--resources-out` file named by FLOOR_RESOURCES and registers each entry, flat under
the stack, with its recorded type, name and (already resolved) inputs. By default it does so the
way a bare hand-written program would, through pulumi-aws's typed classes
(`aws.ssoadmin.AccountAssignment(name, instance_arn=...)`); FLOOR_GENERIC=1 registers bare
`pulumi.CustomResource(type, name, inputs)` objects instead, which skips pulumi-aws's constructor
and, with it, the per-registration stack trace Pulumi records (see docs/performance.md).
"""

import importlib
import json
import os
import re
from pathlib import Path
from typing import Any

import pulumi

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
_FREE_FORM = {"tags", "tagsAll"}  # keys inside are the user's, never translated


def _snake(name: str) -> str:
    return _CAMEL.sub("_", name).lower()


def _kwargs(value: Any) -> Any:
    if isinstance(value, dict):
        return {_snake(k): v if k in _FREE_FORM else _kwargs(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_kwargs(v) for v in value]
    return value


def _typed_class(type_token: str) -> Any:
    # "aws:ssoadmin/accountAssignment:AccountAssignment" -> pulumi_aws.ssoadmin.AccountAssignment
    package, module, class_name = type_token.split(":")
    return getattr(importlib.import_module(f"pulumi_{package}.{module.split('/')[0]}"), class_name)


generic = os.environ.get("FLOOR_GENERIC") == "1"
for entry in json.loads(Path(os.environ["FLOOR_RESOURCES"]).read_text(encoding="utf-8")):
    if not entry["custom"]:
        pulumi.ComponentResource(entry["type"], entry["name"])
    elif generic:
        pulumi.CustomResource(entry["type"], entry["name"], dict(entry["inputs"]))
    else:
        _typed_class(entry["type"])(entry["name"], **_kwargs(entry["inputs"]))
