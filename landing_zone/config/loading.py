"""Loading a stack's config: from `Pulumi.<stack>.yaml`, a mapping, or the Pulumi runtime.

Two phases: pydantic parses the shape (types, unknown keys), then `validation.validate`
checks cross-references. Either phase's problems are raised together as one ConfigError.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from .account_files import (
    AccountFiles,
    AccountFilesError,
    check_file_access_rules,
    files_named,
    read_account_files,
    relocate,
)
from .base import RULE_ERROR
from .checker import key_path
from .errors import ConfigError, Problem
from .excerpt import excerpt
from .json_text import JsonTextError, parse_json
from .keys import known_keys
from .model import LandingZoneConfig
from .stack_yaml import MAX_BYTES, StackYamlError, decode, parse
from .stacks import StackSlice, slice_of, valid_stack_name
from .validation import validate

DEFAULT_NAMESPACE = "landing-zone"
# Linux's limit on one environment string, "NAME=value" and its NUL (MAX_ARG_STRLEN, 32 pages):
# Pulumi hands a stack's whole config to the program and to each policy pack in PULUMI_CONFIG,
# and neither starts past it (pulumi/pulumi#20402, pulumi/pulumi#8680).
MAX_ENVIRONMENT_STRING = 131_072
CONFIG_VARIABLE = "PULUMI_CONFIG"
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


# Configs validated in this process, by content (`_content_key`): `lz plan` validates a stack and
# then runs the program, which loads it again, and every account stack of an organization
# loads the whole organization: at 5,000 accounts a validation is about 1.3 s (docs/performance.md,
# issue 17). A few are kept: the last organizations used.
MAX_VALIDATED = 4
_VALIDATED: OrderedDict[bytes, LandingZoneConfig] = OrderedDict()

# Organizations loaded in one run (`lz validate --all`), by their stack file's resolved path: the
# file's config mapping and the organization's config, or why it does not load.
OrganizationCache = dict[Path, "tuple[Mapping[str, Any], LandingZoneConfig] | ConfigError"]


@dataclass(frozen=True)
class StackSettings:
    """A stack's landing-zone config (the whole organization's, for an account stack: its
    organization stack's), what this stack deploys of it, and the provider settings the tools need."""

    config: LandingZoneConfig
    aws_region: str | None
    slice: StackSlice


def load_from_mapping(
    values: Mapping[str, Any], namespace: str = DEFAULT_NAMESPACE, project_dir: Path | None = None
) -> LandingZoneConfig:
    """Parse and validate every `<namespace>:*` key of a Pulumi config mapping.

    Values may be parsed objects (from YAML) or JSON text (as the Pulumi runtime hands
    structured config to a program). Keys of other namespaces (`aws:region`) are ignored.
    `project_dir` is where `accountFiles` paths start (required when the config has them).
    """
    raw = _raw_config(values, namespace)
    key = _content_key(raw, namespace, project_dir)
    if key is not None and key in _VALIDATED:
        _VALIDATED.move_to_end(key)
        return _VALIDATED[key]
    files = _merge_account_files(raw, namespace, project_dir)
    try:
        config = LandingZoneConfig.model_validate(raw)
    except ValidationError as err:
        raise ConfigError(_relocated(_shape_problems(err, namespace), namespace, files)) from None
    problems = validate(config, namespace)
    if files is not None:
        problems += check_file_access_rules(config, files.origins["access"], namespace)
    if problems:
        raise ConfigError(_relocated(problems, namespace, files))
    if key is not None:
        _VALIDATED[key] = config
        if len(_VALIDATED) > MAX_VALIDATED:
            _VALIDATED.popitem(last=False)
    return config


def _content_key(raw: Mapping[str, Any], namespace: str, project_dir: Path | None) -> bytes | None:
    """What a validated config depends on, as a digest: the stack's landing-zone values, and the
    name and bytes of every account file they name (never time stamps, which two writes in one
    tick share). None when the files cannot be listed: loading reports why."""
    digest = hashlib.sha256(namespace.encode())
    digest.update(json.dumps(raw, sort_keys=True, separators=(",", ":"), default=repr).encode())
    entries = raw.get("accountFiles")
    if entries is not None:
        if project_dir is None or not isinstance(entries, (list, tuple)):
            return None
        try:
            names = files_named(entries, project_dir, "accountFiles")
            root = project_dir.resolve()
            for name in names:
                digest.update(b"\0" + name.encode() + b"\0" + (root / name).read_bytes())
        except (AccountFilesError, OSError):
            return None
        digest.update(str(root).encode())
    return digest.digest()


def load_stack(
    values: Mapping[str, Any],
    stack: str,
    project_dir: Path,
    namespace: str = DEFAULT_NAMESPACE,
    organizations: OrganizationCache | None = None,
) -> StackSettings:
    """The settings of stack `stack` from its config mapping: a stack of its own, the
    organization stack of a split organization, or an account stack (`organizationStack`),
    whose organization's config is read from `Pulumi.<organization stack>.yaml` in `project_dir`
    (once per run for all its account stacks, given the run's `organizations`)."""
    region = _region(values)
    organization_key = f"{namespace}:organizationStack"
    if organization_key not in values:
        config = load_from_mapping(values, namespace, project_dir)
        if stack in config.account_stacks:
            raise ConfigError(
                [
                    Problem(
                        f"{namespace}:accountStacks.{stack}",
                        "is this stack itself, the organization stack: name account stacks there",
                    )
                ]
            )
        return StackSettings(config, region, slice_of(config.structure, config.account_stacks, stack, None))
    organization = values[organization_key]
    problems = [
        Problem(
            key,
            f"an account stack takes the organization's config from its organization stack's file: "
            f"move it to Pulumi.{organization}.yaml",
        )
        for key in values
        if str(key).startswith(f"{namespace}:") and key != organization_key
    ]
    # Landing-zone keys under another project's name would be lost here as in any stack file.
    problems += _keys_of_another_project(values, namespace)
    if not valid_stack_name(organization):
        problems.append(Problem(organization_key, f"{excerpt(organization)} is not a Pulumi stack name"))
    elif organization == stack:
        problems.append(Problem(organization_key, "names this stack itself: name the organization stack"))
    if problems:
        raise ConfigError(problems)
    path = stack_file(project_dir, organization)
    organization_values, config = _organization(path, namespace, project_dir, organizations)
    if stack not in config.account_stacks:
        raise ConfigError(
            [
                Problem(
                    organization_key,
                    f"stack '{organization}' names no account stack '{stack}': add "
                    f"{namespace}:accountStacks.{stack} with the OUs this stack deploys to {path.name}",
                )
            ]
        )
    organization_region = _region(organization_values)
    if region != organization_region:
        raise ConfigError(
            [
                Problem(
                    "aws:region",
                    f"is {excerpt(region)} and {path.name} says {excerpt(organization_region)}: "
                    "an account stack works in its organization stack's region",
                )
            ]
        )
    return StackSettings(
        config, region, slice_of(config.structure, config.account_stacks, stack, organization)
    )


def _organization(
    path: Path, namespace: str, project_dir: Path, organizations: OrganizationCache | None
) -> tuple[Mapping[str, Any], LandingZoneConfig]:
    """An organization stack's config mapping and config, as its account stacks see it: read
    once per run when `organizations` is given."""
    key = path.resolve()
    cached = organizations.get(key) if organizations is not None else None
    if isinstance(cached, ConfigError):
        raise cached
    if cached is not None:
        return cached
    organization_key = f"{namespace}:organizationStack"
    if not path.is_file():
        raise ConfigError(
            [
                Problem(
                    organization_key,
                    f"names stack '{stack_of(path)}', and "
                    f"{path} does not exist: the organization stack's file is read from the project",
                )
            ]
        )
    try:
        organization_values = read_stack_file(path)
        if organization_key in organization_values:
            raise ConfigError(
                [
                    Problem(
                        organization_key,
                        "is set here too: the organization stack has no organization stack of its own",
                    )
                ]
            )
        config = load_from_mapping(organization_values, namespace, project_dir)
    except ConfigError as err:
        # Under the file to edit: the organization stack's (a key of an account file names its file).
        error = ConfigError(
            [
                Problem(f"{path.name}: {p.key}" if p.key.startswith(f"{namespace}:") else p.key, p.message)
                for p in err.problems
            ]
        )
        if organizations is not None:
            organizations[key] = error
        raise error from None
    if organizations is not None:
        organizations[key] = (organization_values, config)
    return organization_values, config


def config_size_problem(values: Mapping[str, Any], where: str) -> Problem | None:
    """The stack's config as Pulumi hands it over (`PULUMI_CONFIG`, JSON as Go marshals it), if
    it is past what one environment variable holds: the program and the policy pack would not start."""
    size = config_environment_size(values)
    if size <= MAX_ENVIRONMENT_STRING:
        return None
    return Problem(
        where,
        f"the stack's config is {size:,} bytes as Pulumi passes it to the program and the policy pack "
        f"({CONFIG_VARIABLE}), more than the {MAX_ENVIRONMENT_STRING:,} Linux allows one environment "
        "variable (pulumi/pulumi#20402): move accounts to files named by landing-zone:accountFiles, or split "
        "the organization with landing-zone:accountStacks",
    )


def config_environment_size(values: Mapping[str, Any]) -> int:
    """Bytes of `PULUMI_CONFIG=<json>` and its NUL: every value a string (structured ones as JSON
    text), then Go's encoding/json, which writes UTF-8 and escapes <, > and & as \\u003c (6 bytes)."""
    encoded = {
        str(k): v if isinstance(v, str) else json.dumps(v, separators=(",", ":"), ensure_ascii=False)
        for k, v in values.items()
    }
    text = json.dumps(encoded, separators=(",", ":"), ensure_ascii=False)
    escaped = sum(text.count(c) for c in "<>&") * 5
    # Go also always escapes U+2028 and U+2029 (3 bytes in UTF-8) as \u2028, \u2029 (6 bytes):
    # "so that the JSON is safe to embed inside HTML <script> tags" (src/encoding/json/encode.go).
    escaped += sum(text.count(c) for c in "\u2028\u2029") * 3
    return len(CONFIG_VARIABLE) + 1 + len(text.encode("utf-8")) + escaped + 1


def _raw_config(values: Mapping[str, Any], namespace: str) -> dict[str, Any]:
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
    return raw


def _merge_account_files(
    raw: dict[str, Any], namespace: str, project_dir: Path | None
) -> AccountFiles | None:
    """The files `accountFiles` names, their entries added to `raw` (after the stack file's own)."""
    entries = raw.get("accountFiles")
    if entries is None:
        return None
    key = f"{namespace}:accountFiles"
    if project_dir is None:
        raise ConfigError([Problem(key, "files are read from the project directory, and none was given")])
    accounts = raw.get("accounts") or []
    identity = raw.get("identityCenter")
    access = (identity.get("access") or []) if isinstance(identity, dict) else []
    if not isinstance(accounts, list) or not isinstance(access, list):
        return None  # the shape error is reported under the stack file's own key
    try:
        files = read_account_files(entries, project_dir, key, len(accounts), len(access))
    except AccountFilesError as err:
        raise ConfigError(err.problems) from None
    if files.accounts:
        raw["accounts"] = [*accounts, *files.accounts]
    if files.access:
        if not isinstance(identity, dict):
            first = files.origins["access"][0].label
            raise ConfigError(
                [Problem(first, f"access rules need {namespace}:identityCenter in the stack file")]
            )
        raw["identityCenter"] = {**identity, "access": [*access, *files.access]}
    return files


def _relocated(problems: list[Problem], namespace: str, files: AccountFiles | None) -> list[Problem]:
    if files is None:
        return problems
    return [relocate(problem, namespace, files) for problem in problems]


def _region(values: Mapping[str, Any]) -> str | None:
    region = values.get("aws:region")
    return str(region) if region is not None else None


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


def stack_file(project_dir: Path, stack: str) -> Path:
    """Where Pulumi reads stack `stack`'s config: `Pulumi.<stack>.yaml` beside Pulumi.yaml."""
    return project_dir / f"Pulumi.{stack}.yaml"


def stack_of(path: Path) -> str:
    """The stack a stack file is for: its name without `Pulumi.` and `.yaml` (or `.yml`)."""
    return path.name.removeprefix("Pulumi.").removesuffix(".yaml").removesuffix(".yml")


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


def load_stack_file(
    path: Path,
    namespace: str = DEFAULT_NAMESPACE,
    project_dir: Path | None = None,
    organizations: OrganizationCache | None = None,
) -> StackSettings:
    """A `Pulumi.<stack>.yaml` file's settings (`load_stack`); `project_dir` defaults to its folder.
    Its config must also fit where Pulumi passes it (`config_size_problem`). Given the run's
    `organizations`, an organization stack loaded here is not loaded again for its account stacks."""
    values = read_stack_file(path)
    too_large = [problem] if (problem := config_size_problem(values, str(path))) is not None else []
    stack = stack_of(path)
    try:
        settings = load_stack(values, stack, project_dir or path.parent, namespace, organizations)
    except ConfigError as err:
        raise ConfigError([*err.problems, *too_large]) from None
    if too_large:
        raise ConfigError(too_large)
    if organizations is not None and settings.slice.is_organization_stack:
        organizations.setdefault(path.resolve(), (values, settings.config))
    return settings


def load_from_pulumi_runtime(namespace: str, stack: str, project_dir: Path) -> StackSettings:
    """The settings of the running Pulumi program's stack (every key the engine passed in)."""
    from pulumi.runtime import config as runtime_config

    values: dict[str, Any] = dict(runtime_config.get_config_env())
    values.update(runtime_config.CONFIG.get())
    return load_stack(values, stack, project_dir, namespace)


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
