"""Loading a stack's config: from `Pulumi.<stack>.yaml`, a mapping, or the Pulumi runtime.

Two phases: pydantic parses the shape (types, unknown keys), then `validation.validate`
checks cross-references. Either phase's problems are raised together as one ConfigError.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from .base import RULE_ERROR
from .checker import key_path
from .errors import ConfigError, Problem
from .excerpt import excerpt
from .json_text import JsonTextError, parse_json
from .keys import known_keys
from .model import LandingZoneConfig
from .stack_yaml import MAX_BYTES, StackYamlError, decode, parse
from .validation import validate

DEFAULT_NAMESPACE = "landing-zone"
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
    problems: list[Problem] = _keys_of_another_project(values, namespace)
    for key, value in values.items():
        if not key.startswith(prefix):
            continue
        name = key[len(prefix) :]
        if isinstance(value, str) and value.lstrip()[:1] in ("{", "["):
            try:
                value = parse_json(value)
            except JsonTextError as err:
                problems.append(Problem(key, str(err)))
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


def _keys_of_another_project(values: Mapping[str, Any], namespace: str) -> list[Problem]:
    """Landing-zone keys under another project's name (a renamed project, a copied stack file):
    Pulumi would hand them to no one, and the stack would lose them without a word."""
    ours = set(known_keys(()))
    problems = []
    for key in values:
        other, colon, name = str(key).partition(":")
        if colon and other != namespace and name in ours:
            problems.append(
                Problem(
                    excerpt(key, quote=False),
                    f"is under '{excerpt(other, quote=False)}:', and this project is '{namespace}' "
                    f"(the name Pulumi.yaml declares): write {namespace}:{name}, or rename the project",
                )
            )
    return problems


def read_stack_file(path: Path) -> dict[str, Any]:
    """The `config:` mapping of a `Pulumi.<stack>.yaml` file (empty when it has none), read as
    Pulumi reads it (see `stack_yaml`): UTF-8, YAML 1.2, no duplicate keys, bounded."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
        document = parse(decode(data))
    except FileNotFoundError:
        raise ConfigError([Problem(str(path), "file not found")]) from None
    except OSError as err:
        raise ConfigError([Problem(str(path), f"cannot be read: {err.strerror}")]) from None
    except StackYamlError as err:
        if err.key is not None:
            raise ConfigError([Problem(err.key, f"{err.message} in {path}")]) from None
        raise ConfigError([Problem(str(path), err.message)]) from None
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise ConfigError([Problem(str(path), "must be a mapping with a 'config' key")])
    config = document.get("config") or {}
    if not isinstance(config, dict):
        raise ConfigError([Problem(f"{path}: config", "must be a mapping of config keys")])
    for key in config:
        if not isinstance(key, str):
            raise ConfigError(
                [Problem(f"{path}: config", f"key {excerpt(key)} must be a string like 'aws:region'")]
            )
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
    return [
        Problem(key_path(namespace, *_short_loc(detail["loc"])), shape_message(detail))
        for detail in error.errors()
    ]


def _short_loc(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """A key path a user can read: an unknown key may be megabytes long."""
    return tuple(
        excerpt(part, quote=False) if isinstance(part, str) and len(part) > 60 else part for part in loc
    )


def shape_message(detail: ErrorDetails) -> str:
    """One pydantic error in the words of a YAML stack file: never a regex or a type name, and
    the value it is about as a short escaped excerpt (it may be megabytes long)."""
    kind = detail["type"]
    value = detail["input"]
    if kind == "extra_forbidden":
        return _unknown_key_message(tuple(detail["loc"]))
    if kind == "missing":
        return "is required"
    if kind == RULE_ERROR:
        return f"{excerpt(value)} is not {detail['ctx']['words']}"
    written = getattr(value, "written", None)
    if kind == "string_type" and isinstance(written, str):
        shown = excerpt(written, quote=False)
        return f"must be a string: {shown} is a number to Pulumi (YAML 1.2); quote it: '{shown}'"
    if kind in KIND_MESSAGES:
        return f"{KIND_MESSAGES[kind]} (got {excerpt(value)})"
    if kind == "literal_error":
        return f"{excerpt(value)} is not one of {detail['ctx']['expected']}"
    return f"{detail['msg'][:1].lower()}{detail['msg'][1:]} (got {excerpt(value)})"


def _unknown_key_message(loc: tuple[str | int, ...]) -> str:
    known = known_keys(loc[:-1])
    unknown = str(loc[-1])
    guess = difflib.get_close_matches(unknown, known, n=1) if len(unknown) <= 100 else []
    hint = f"; did you mean '{guess[0]}'?" if guess else f"; known keys: {', '.join(known)}"
    return f"unknown key{hint}"
