"""Loading a stack's config: from `Pulumi.<stack>.yaml`, a mapping, or the Pulumi runtime.

Two phases: pydantic parses the shape (types, unknown keys), then `validation.validate`
checks cross-references. Either phase's problems are raised together as one ConfigError.
"""

from __future__ import annotations

import difflib
import json
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .base import PATTERN_DESCRIPTIONS
from .errors import ConfigError, Problem
from .model import LandingZoneConfig
from .validation import key_path, validate

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
    problems = []
    for detail in error.errors():
        loc = tuple(detail["loc"])
        kind = detail["type"]
        if kind == "extra_forbidden":
            message = _unknown_key_message(loc)
        elif kind == "missing":
            message = "is required"
        elif kind == "string_pattern_mismatch":
            pattern = detail["ctx"]["pattern"]
            wanted = PATTERN_DESCRIPTIONS.get(pattern, f"a value matching {pattern}")
            message = f"{detail['input']!r} is not {wanted}"
        elif kind in KIND_MESSAGES:
            message = f"{KIND_MESSAGES[kind]} (got {detail['input']!r})"
        elif kind == "literal_error":
            message = f"{detail['input']!r} is not one of {detail['ctx']['expected']}"
        else:
            message = f"{detail['msg'][:1].lower()}{detail['msg'][1:]} (got {detail['input']!r})"
        problems.append(Problem(key_path(namespace, *loc), message))
    return problems


def _unknown_key_message(loc: tuple[str | int, ...]) -> str:
    known = _known_keys(LandingZoneConfig, loc[:-1])
    unknown = str(loc[-1])
    guess = difflib.get_close_matches(unknown, known, n=1)
    hint = f"; did you mean '{guess[0]}'?" if guess else f"; known keys: {', '.join(known)}"
    return f"unknown key{hint}"


def _known_keys(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The camelCase keys allowed at `loc` below `model` (for 'did you mean' hints)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else Any
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = next((f for n, f in current.model_fields.items() if part in (n, f.alias)), None)
            current = field.annotation if field else Any
        else:  # a dict's value
            args = typing.get_args(current)
            current = args[1] if len(args) == 2 else Any
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or n for n, f in current.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    """`X | None` -> X, so that the walk can go on into X."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(options) == 1:
            return _unwrap(options[0])
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    return annotation
