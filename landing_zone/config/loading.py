"""Loading a stack's config: from `Pulumi.<stack>.yaml`, a mapping, or the Pulumi runtime.

Two phases: pydantic parses the shape (types, unknown keys), then `validation.validate`
checks cross-references. Either phase's problems are raised together as one ConfigError.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from .base import RULE_ERROR
from .checker import key_path
from .errors import ConfigError, Problem
from .keys import known_keys
from .model import LandingZoneConfig
from .validation import validate

DEFAULT_NAMESPACE = "landing-zone"
# libyaml's safe loader when PyYAML has it: six times faster on a 1000-account stack file.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Pydantic's wording for shape errors, in the terms of a YAML stack file.
KIND_MESSAGES = {
    "tuple_type": "must be a list",
    "list_type": "must be a list",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping",
    "model_attributes_type": "must be a mapping",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "string_type": "must be a string",
}


@dataclass(frozen=True)
class StackSettings:
    """A stack file's landing-zone config plus the provider settings the tools need."""

    config: LandingZoneConfig
    aws_region: str | None


def load_from_mapping(values: Mapping[str, Any], namespace: str = DEFAULT_NAMESPACE) -> LandingZoneConfig:
    """Parse and validate every `<namespace>:*` key of a Pulumi config mapping.

    Values may be parsed objects (from YAML) or JSON text (as the Pulumi runtime hands
    structured config to a program). Keys of other namespaces (`aws:region`) are ignored.
    """
    prefix = f"{namespace}:"
    raw: dict[str, Any] = {}
    problems: list[Problem] = []
    for key, value in values.items():
        if not key.startswith(prefix):
            continue
        name = key[len(prefix) :]
        if isinstance(value, str) and value.lstrip()[:1] in ("{", "["):
            try:
                value = json.loads(value)
            except json.JSONDecodeError as err:
                problems.append(Problem(key, f"is not valid JSON: {err.msg}"))
                continue
        raw[name] = value
    if problems:
        raise ConfigError(problems)
    try:
        config = LandingZoneConfig.model_validate(raw)
    except ValidationError as err:
        raise ConfigError(_shape_problems(err, namespace)) from None
    problems = validate(config, namespace)
    if problems:
        raise ConfigError(problems)
    return config


def read_stack_file(path: Path) -> dict[str, Any]:
    """The `config:` mapping of a `Pulumi.<stack>.yaml` file (empty when it has none)."""
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except FileNotFoundError:
        raise ConfigError([Problem(str(path), "file not found")]) from None
    except yaml.YAMLError as err:
        raise ConfigError([Problem(str(path), f"is not valid YAML: {err}")]) from None
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise ConfigError([Problem(str(path), "must be a mapping with a 'config' key")])
    config = document.get("config") or {}
    if not isinstance(config, dict):
        raise ConfigError([Problem(f"{path}: config", "must be a mapping of config keys")])
    return config


def load_stack_file(path: Path, namespace: str = DEFAULT_NAMESPACE) -> StackSettings:
    values = read_stack_file(path)
    region = values.get("aws:region")
    return StackSettings(
        config=load_from_mapping(values, namespace),
        aws_region=str(region) if region is not None else None,
    )


def load_from_pulumi_runtime(namespace: str) -> LandingZoneConfig:
    """The config of the running Pulumi program (every key the engine passed in)."""
    from pulumi.runtime import config as runtime_config

    values: dict[str, Any] = dict(runtime_config.get_config_env())
    values.update(runtime_config.CONFIG.get())
    return load_from_mapping(values, namespace)


def _shape_problems(error: ValidationError, namespace: str) -> list[Problem]:
    return [Problem(key_path(namespace, *detail["loc"]), shape_message(detail)) for detail in error.errors()]


def shape_message(detail: ErrorDetails) -> str:
    """One pydantic error in the words of a YAML stack file: never a regex or a type name."""
    kind = detail["type"]
    if kind == "extra_forbidden":
        return _unknown_key_message(tuple(detail["loc"]))
    if kind == "missing":
        return "is required"
    if kind == RULE_ERROR:
        return f"{detail['input']!r} is not {detail['ctx']['words']}"
    if kind in KIND_MESSAGES:
        return f"{KIND_MESSAGES[kind]} (got {detail['input']!r})"
    if kind == "literal_error":
        return f"{detail['input']!r} is not one of {detail['ctx']['expected']}"
    return f"{detail['msg'][:1].lower()}{detail['msg'][1:]} (got {detail['input']!r})"


def _unknown_key_message(loc: tuple[str | int, ...]) -> str:
    known = known_keys(loc[:-1])
    unknown = str(loc[-1])
    guess = difflib.get_close_matches(unknown, known, n=1)
    hint = f"; did you mean '{guess[0]}'?" if guess else f"; known keys: {', '.join(known)}"
    return f"unknown key{hint}"
