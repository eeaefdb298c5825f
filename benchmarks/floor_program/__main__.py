"""The floor: register the same resources as a landing-zone plan, with no landing-zone logic.

Reads the `--resources-out` file named by FLOOR_RESOURCES and registers each entry, flat under
the stack, with its recorded type, name and (already resolved) inputs. By default it does so the
way a bare hand-written program would, through pulumi-aws's typed classes
(`aws.ssoadmin.AccountAssignment(name, instance_arn=...)`); FLOOR_GENERIC=1 registers bare
`pulumi.CustomResource(type, name, inputs)` objects instead, which skips pulumi-aws's constructor
and, with it, the per-registration stack trace Pulumi records (see docs/performance.md).

Provider resources (`pulumi:providers:aws`) become `pulumi_aws.Provider`, their inputs decoded
from the JSON strings the engine sees; dynamic resources have no typed class and are registered
as they were recorded in both floors.
"""

import importlib
import json
import os
import re
from pathlib import Path
from typing import Any

import pulumi

PROVIDER_PREFIX = "pulumi:providers:"
DYNAMIC = "pulumi-python:dynamic:Resource"

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


def _provider_input(value: Any) -> Any:
    # The engine sees a provider's nested inputs as JSON text: '[{"roleArn": ...}]', "false".
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _typed(entry: dict[str, Any]) -> None:
    type_token = entry["type"]
    if type_token.startswith(PROVIDER_PREFIX):
        # "pulumi:providers:aws" -> pulumi_aws.Provider
        package = importlib.import_module(f"pulumi_{type_token.removeprefix(PROVIDER_PREFIX)}")
        # Only the argument names are translated: the SDK encodes nested dicts as they are.
        inputs = {_snake(key): _provider_input(value) for key, value in entry["inputs"].items()}
        package.Provider(entry["name"], **inputs)
        return
    # "aws:ssoadmin/accountAssignment:AccountAssignment" -> pulumi_aws.ssoadmin.AccountAssignment
    package_name, module, class_name = type_token.split(":")
    package = importlib.import_module(f"pulumi_{package_name}.{module.split('/')[0]}")
    getattr(package, class_name)(entry["name"], **_kwargs(entry["inputs"]))


generic = os.environ.get("FLOOR_GENERIC") == "1"
for entry in json.loads(Path(os.environ["FLOOR_RESOURCES"]).read_text(encoding="utf-8")):
    if not entry["custom"]:
        pulumi.ComponentResource(entry["type"], entry["name"])
    elif generic or entry["type"] == DYNAMIC:
        pulumi.CustomResource(entry["type"], entry["name"], dict(entry["inputs"]))
    else:
        _typed(entry)
