"""Drive the policy pack over gRPC the way the Pulumi engine does, on recorded resources.

The pack runs as its own process (`python -u -m pulumi.policy <engine> .` inside `policy/`,
with PULUMI_PROJECT, PULUMI_STACK, PULUMI_DRY_RUN and PULUMI_CONFIG set), prints its port,
and answers GetAnalyzerInfo, Configure, ConfigureStack, Analyze (one resource and its
provider) and AnalyzeStack (every resource). `lz plan` and the tests both go through here.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import selectors
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from landing_zone.config.json_text import JsonTextError, parse_json
from landing_zone.plan.runner import RegisteredResource, stack_config_for_runtime

LEVELS = {
    analyzer_pb2.ADVISORY: "advisory",
    analyzer_pb2.MANDATORY: "mandatory",
    analyzer_pb2.DISABLED: "disabled",
    analyzer_pb2.REMEDIATE: "remediate",
}
LEVEL_VALUES = {name: value for value, name in LEVELS.items()}
_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "array": (list,),
    "object": (dict,),
    "string": (str,),
    "number": (int, float),
    "integer": (int,),
    "boolean": (bool,),
}
PORT_TIMEOUT_SECONDS = 60
DEFAULT_PROVIDER_NAME = "default"


class PolicyConfigError(Exception):
    """An enforcement config (the `--policy-pack-config` file) the pack cannot take."""


class PolicyPackError(Exception):
    """The pack did not start or did not answer."""


@dataclass(frozen=True)
class Violation:
    policy: str
    level: str
    message: str
    urn: str

    def to_json(self) -> dict[str, str]:
        return {"policy": self.policy, "level": self.level, "message": self.message, "urn": self.urn}


@dataclass(frozen=True)
class PolicySetting:
    level: str
    properties: dict[str, Any]


def read_enforcement_file(path: Path) -> dict[str, Any]:
    """A `--policy-pack-config` file: a JSON object keyed by policy name (or "all")."""
    try:
        document = parse_json(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise PolicyConfigError(f"cannot read {path}: {err.strerror}") from None
    except UnicodeDecodeError as err:
        raise PolicyConfigError(f"{path} is not UTF-8 ({err.reason} at byte {err.start})") from None
    except JsonTextError as err:
        raise PolicyConfigError(f"{path} {err}") from None
    if not isinstance(document, dict):
        raise PolicyConfigError(f"{path} must hold a JSON object keyed by policy name")
    return document


def reconcile(
    info: analyzer_pb2.AnalyzerInfo, enforcement: Mapping[str, Any] | None
) -> dict[str, PolicySetting]:
    """What the CLI sends to Configure: schema defaults < the pack's initial config < the file."""
    policies = {p.name: p for p in info.policies}
    settings = {
        name: PolicySetting(
            level=LEVELS[p.enforcementLevel],
            properties={
                key: _struct_value(schema)["default"]
                for key, schema in p.configSchema.properties.items()
                if "default" in _struct_value(schema)
            },
        )
        for name, p in policies.items()
    }
    initial = {name: _policy_config_value(c) for name, c in info.initialConfig.items()}
    problems: list[str] = []
    for source in (initial, dict(enforcement or {})):
        if "all" in source:
            for name in policies:
                _apply(settings, policies, name, source["all"], "all", problems)
        for name, value in source.items():
            if name == "all":
                continue
            if name not in policies:
                problems.append(f"'{name}': no such policy in pack {info.name}")
                continue
            _apply(settings, policies, name, value, name, problems)
    if problems:
        # "all" applies to every policy: say each of its problems once.
        raise PolicyConfigError("; ".join(dict.fromkeys(problems)))
    return settings


def _apply(
    settings: dict[str, PolicySetting],
    policies: Mapping[str, analyzer_pb2.PolicyInfo],
    name: str,
    value: Any,
    key: str,
    problems: list[str],
) -> None:
    if isinstance(value, str):
        value = {"enforcementLevel": value}
    if not isinstance(value, dict):
        problems.append(f"'{key}': expected an enforcement level or an object")
        return
    current = settings[name]
    level = value.get("enforcementLevel", current.level)
    if level not in LEVEL_VALUES:
        problems.append(f"'{key}'.enforcementLevel: {level!r} is not one of {', '.join(LEVEL_VALUES)}")
        return
    properties = dict(current.properties)
    schema = policies[name].configSchema.properties
    for prop, prop_value in value.items():
        if prop == "enforcementLevel":
            continue
        if key == "all":
            continue  # "all" sets levels only
        if prop not in schema:
            known = ", ".join(sorted(schema)) or "none"
            problems.append(f"'{key}'.{prop}: unknown property (policy {name} takes: {known})")
            continue
        expected = _struct_value(schema[prop]).get("type")
        if expected in _JSON_TYPES and (
            not isinstance(prop_value, _JSON_TYPES[expected])
            or (expected != "boolean" and isinstance(prop_value, bool))
        ):
            problems.append(f"'{key}'.{prop}: expected {expected}, got {json.dumps(prop_value)}")
            continue
        properties[prop] = prop_value
    settings[name] = PolicySetting(level=level, properties=properties)


def _struct_value(value: Any) -> Any:
    """A protobuf Struct / Value as plain Python."""
    if isinstance(value, struct_pb2.Struct):
        return {k: _struct_value(v) for k, v in value.fields.items()}
    if isinstance(value, struct_pb2.ListValue):
        return [_struct_value(v) for v in value.values]
    if isinstance(value, struct_pb2.Value):
        kind = value.WhichOneof("kind")
        if kind == "struct_value":
            return _struct_value(value.struct_value)
        if kind == "list_value":
            return _struct_value(value.list_value)
        if kind == "null_value" or kind is None:
            return None
        return getattr(value, kind)
    return value


def _policy_config_value(config: analyzer_pb2.PolicyConfig) -> dict[str, Any]:
    value: dict[str, Any] = dict(_struct_value(config.properties))
    if config.enforcementLevel != analyzer_pb2.ADVISORY:
        value["enforcementLevel"] = LEVELS[config.enforcementLevel]
    return value


def _struct(mapping: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(dict(mapping))
    return struct


class PolicyPack:
    """A running pack process and a gRPC stub to it; a context manager that stops it."""

    def __init__(
        self,
        pack_dir: Path,
        project: str,
        stack: str,
        stack_config: Mapping[str, Any],
        *,
        dry_run: bool = True,
    ) -> None:
        self.project = project
        self.stack = stack
        self.stack_config = dict(stack_config)
        self.dry_run = dry_run
        env = {
            **os.environ,
            "PULUMI_PROJECT": project,
            "PULUMI_STACK": stack,
            "PULUMI_ORGANIZATION": "organization",
            "PULUMI_DRY_RUN": "true" if dry_run else "false",
            "PULUMI_CONFIG": json.dumps(stack_config_for_runtime(self.stack_config)),
        }
        # The engine address is only parsed by the pack; stderr goes to a file so it never blocks.
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-u", "-m", "pulumi.policy", "127.0.0.1:0", "."],
                cwd=pack_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
            )
        except OSError as err:
            self._stderr.close()
            if err.errno != errno.E2BIG:
                raise
            # The Pulumi CLI hands the config over the same way and fails the same way.
            raise PolicyPackError(
                f"the policy pack did not start: the stack's config is {len(env['PULUMI_CONFIG']):,} "
                "characters as JSON, more than the system lets one environment variable hold "
                "(131,072 on Linux); Pulumi passes it to a policy pack that way, so "
                "`pulumi preview --policy-pack` would fail too (pulumi/pulumi#20402): "
                "make the stack's config smaller or split the stack"
            ) from None
        port = self._read_port()
        self._channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.stub = analyzer_pb2_grpc.AnalyzerStub(self._channel)
        self.info: analyzer_pb2.AnalyzerInfo = self.stub.GetAnalyzerInfo(empty_pb2.Empty())
        self.settings: dict[str, PolicySetting] = {}

    def _read_port(self) -> int:
        assert self._process.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(self._process.stdout, selectors.EVENT_READ)
        ready = selector.select(timeout=PORT_TIMEOUT_SECONDS)
        selector.close()
        line = self._process.stdout.readline().decode().strip() if ready else ""
        if not line.isdigit():
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=5)  # let it finish writing why
            reason = self.stderr_text() or "no port printed"
            self.close()
            raise PolicyPackError(f"the policy pack did not start: {reason}")
        return int(line)

    def stderr_text(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace").strip()

    def configure(self, enforcement: Mapping[str, Any] | None = None) -> dict[str, PolicySetting]:
        """Reconcile `enforcement` (a --policy-pack-config document) and send it, as the CLI does."""
        self.settings = reconcile(self.info, enforcement)
        self.stub.Configure(
            analyzer_pb2.ConfigureAnalyzerRequest(
                policyConfig={
                    name: analyzer_pb2.PolicyConfig(
                        enforcementLevel=LEVEL_VALUES[s.level], properties=_struct(s.properties)
                    )
                    for name, s in self.settings.items()
                }
            )
        )
        self.stub.ConfigureStack(
            analyzer_pb2.AnalyzerStackConfigureRequest(
                stack=self.stack,
                project=self.project,
                organization="organization",
                dry_run=self.dry_run,
                config=stack_config_for_runtime(self.stack_config),
            )
        )
        return self.settings

    def analyze(self, resources: Sequence[RegisteredResource]) -> list[Violation]:
        """Analyze per resource, then AnalyzeStack over all of them; every diagnostic."""
        return self.analyze_resources(resources) + self.analyze_stack(resources)

    def analyze_resources(self, resources: Sequence[RegisteredResource]) -> list[Violation]:
        """One Analyze call per resource (the resource policies), as the engine makes them."""
        by_urn = {r.urn: r for r in resources}
        violations: list[Violation] = []
        for resource in resources:
            request = analyzer_pb2.AnalyzeRequest(
                type=resource.type,
                name=resource.name,
                urn=resource.urn,
                properties=_struct(resource.inputs),
                options=_options(resource),
            )
            provider = self._provider_of(resource, by_urn)
            if provider is not None:
                request.provider.CopyFrom(provider)
            response = self.stub.Analyze(request)
            violations += self._violations(response.diagnostics, resource.urn)
        return violations

    def analyze_stack(self, resources: Sequence[RegisteredResource]) -> list[Violation]:
        """One AnalyzeStack call over every resource (the stack policies)."""
        by_urn = {r.urn: r for r in resources}
        stack_request = analyzer_pb2.AnalyzeStackRequest(
            resources=[self._stack_resource(r, by_urn) for r in resources]
        )
        return self._violations(self.stub.AnalyzeStack(stack_request).diagnostics, "")

    def _stack_resource(
        self, resource: RegisteredResource, by_urn: Mapping[str, RegisteredResource]
    ) -> analyzer_pb2.AnalyzerResource:
        # After a step the engine hands over outputs; bridged AWS resources carry their id there.
        properties = {**resource.outputs}
        if resource.custom and resource.id:
            properties.setdefault("id", resource.id)
        message = analyzer_pb2.AnalyzerResource(
            type=resource.type,
            name=resource.name,
            urn=resource.urn,
            properties=_struct(properties),
            options=_options(resource),
            parent=resource.parent,
            dependencies=resource.dependencies,
        )
        for key, urns in resource.property_dependencies.items():
            message.propertyDependencies[key].urns.extend(urns)
        provider = self._provider_of(resource, by_urn)
        if provider is not None:
            message.provider.CopyFrom(provider)
        return message

    def _provider_of(
        self, resource: RegisteredResource, by_urn: Mapping[str, RegisteredResource]
    ) -> analyzer_pb2.AnalyzerProviderResource | None:
        if not resource.custom or resource.type.startswith("pulumi:providers:"):
            return None
        if resource.provider:
            provider_urn = resource.provider.rsplit("::", 1)[0]
            provider = by_urn.get(provider_urn)
            if provider is None:
                return None
            return analyzer_pb2.AnalyzerProviderResource(
                type=provider.type, name=provider.name, urn=provider.urn, properties=_struct(provider.inputs)
            )
        # The default provider: configured from the stack's `<package>:` keys.
        package = resource.type.split(":", 1)[0]
        properties = {
            key.split(":", 1)[1]: value
            for key, value in self.stack_config.items()
            if key.startswith(f"{package}:")
        }
        type_ = f"pulumi:providers:{package}"
        return analyzer_pb2.AnalyzerProviderResource(
            type=type_,
            name=DEFAULT_PROVIDER_NAME,
            urn=f"urn:pulumi:{self.stack}::{self.project}::{type_}::{DEFAULT_PROVIDER_NAME}",
            properties=_struct(properties),
        )

    def _violations(self, diagnostics: Iterable[analyzer_pb2.AnalyzeDiagnostic], urn: str) -> list[Violation]:
        found = []
        for diagnostic in diagnostics:
            message = diagnostic.message
            prefix = f"{diagnostic.description}\n"
            if diagnostic.description and message.startswith(prefix):
                message = message[len(prefix) :]
            found.append(
                Violation(
                    policy=diagnostic.policyName,
                    level=LEVELS.get(diagnostic.enforcementLevel, "advisory"),
                    message=message,
                    urn=diagnostic.urn or urn,
                )
            )
        return found

    def close(self) -> None:
        if getattr(self, "_channel", None) is not None:
            self._channel.close()
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._stderr.close()

    def __enter__(self) -> PolicyPack:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _options(resource: RegisteredResource) -> analyzer_pb2.AnalyzerResourceOptions:
    return analyzer_pb2.AnalyzerResourceOptions(
        protect=resource.protect,
        ignoreChanges=resource.ignore_changes,
        parent=resource.parent,
    )


def run_policy_pack(
    pack_dir: Path,
    project: str,
    stack: str,
    stack_config: Mapping[str, Any],
    resources: Sequence[RegisteredResource],
    enforcement: Mapping[str, Any] | None = None,
) -> list[Violation]:
    """Start the pack, configure it, analyze `resources`, stop it."""
    with PolicyPack(pack_dir, project, stack, stack_config) as pack:
        pack.configure(enforcement)
        return pack.analyze(resources)
