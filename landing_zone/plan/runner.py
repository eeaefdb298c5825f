"""Run the real `__main__.py` under Pulumi's mock runtime and record what it registers.

The record of each resource is the view a policy pack gets from the engine: type, name,
URN, parent, provider reference, camelCase inputs and the resource options. Once the program
has finished, the run is judged against AWS's rules (`aws_rules`): what AWS would refuse.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import runpy
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import mocks as runtime_mocks
from pulumi.runtime import resource as runtime_resource
from pulumi.runtime import rpc, settings
from pulumi.runtime.proto import source_pb2
from pulumi.runtime.stack import run_in_stack
from pulumi.runtime.sync_await import _sync_await

from landing_zone.resource_types import ACCOUNT

from .aws_rules import Refusal, judge
from .collector import collector_paused
from .mocks import LandingZoneMocks, MockOrganization

STACK_TYPE = "pulumi:pulumi:Stack"

# The organization part of a DIY backend's stack names (Pulumi docs, Stacks: "For DIY backend,
# the orgName portion of the stack name must always be the constant value organization").
MOCK_ORGANIZATION = "organization"


@dataclass
class RegisteredResource:
    type: str
    name: str
    urn: str
    id: str | None
    custom: bool
    parent: str
    provider: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    protect: bool
    retain_on_delete: bool
    ignore_changes: list[str]
    dependencies: list[str]
    import_id: str
    delete_before_replace: bool = False
    # Earlier identities the engine would move this resource from: names of alias specs, URNs.
    aliases: list[str] = field(default_factory=list)
    # The resources each input was computed from (`accountId` -> [the account's URN]).
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The `--resources-out` form: what the engine would hand a policy pack."""
        return {
            "type": self.type,
            "name": self.name,
            "urn": self.urn,
            "custom": self.custom,
            "parent": self.parent,
            "provider": self.provider,
            "inputs": self.inputs,
            "protect": self.protect,
            "retainOnDelete": self.retain_on_delete,
            "deleteBeforeReplace": self.delete_before_replace,
            "aliases": self.aliases,
            "ignoreChanges": self.ignore_changes,
            "dependencies": self.dependencies,
            "propertyDependencies": self.property_dependencies,
            "importId": self.import_id,
        }


@dataclass
class PlanResult:
    resources: list[RegisteredResource]
    outputs: dict[str, Any] = field(default_factory=dict)
    # What the program logged through the engine (pulumi.log.warn ...), as "level: message".
    diagnostics: list[str] = field(default_factory=list)
    # What AWS would refuse of this run (`pulumi up` would fail on each).
    refusals: list[Refusal] = field(default_factory=list)
    # Resources the program read rather than managed, as (type, id): e.g. its StackReference.
    reads: list[tuple[str, str]] = field(default_factory=list)

    def of_type(self, type_: str) -> list[RegisteredResource]:
        return [r for r in self.resources if r.type == type_]

    def account_names(self) -> dict[str, str]:
        """Account name by id: every member account, and the management account by the name
        access rules use for it."""
        names = {a.id: a.inputs["name"] for a in self.of_type(ACCOUNT) if a.id}
        management_id = self.outputs.get("managementAccountId")
        if management_id:
            names[management_id] = self.outputs.get("managementAccountName") or "management"
        return names


class RecordingMonitor(runtime_mocks.MockMonitor):
    """The mock monitor, plus a record of every registration's options and the stack outputs."""

    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.registered: list[RegisteredResource] = []
        self.stack_outputs: dict[str, Any] = {}
        self.reads: list[tuple[str, str]] = []

    def ReadResource(self, request):  # noqa: N802 - the gRPC method name
        self.reads.append((request.type, request.id))
        return super().ReadResource(request)

    def RegisterResource(self, request):  # noqa: N802 - the gRPC method name
        response = super().RegisterResource(request)
        if request.type == STACK_TYPE:
            return response
        state = self.resources[response.urn].state
        self.registered.append(
            RegisteredResource(
                type=request.type,
                name=request.name,
                urn=response.urn,
                id=response.id or None,
                custom=bool(request.custom),
                parent=request.parent,
                provider=request.provider,
                inputs=_plain(rpc.deserialize_properties(request.object)),
                outputs=_plain(state),
                protect=bool(request.protect),
                retain_on_delete=bool(request.retainOnDelete),
                delete_before_replace=bool(request.deleteBeforeReplace),
                aliases=[alias.spec.name or alias.urn for alias in request.aliases] + list(request.aliasURNs),
                ignore_changes=list(request.ignoreChanges),
                # Sorted: the SDK gathers them in sets, whose order changes from run to run.
                dependencies=sorted(request.dependencies),
                property_dependencies={
                    key: sorted(deps.urns)
                    for key, deps in sorted(request.propertyDependencies.items())
                    if deps.urns
                },
                import_id=request.importId,
            )
        )
        return response

    def RegisterResourceOutputs(self, request):  # noqa: N802 - the gRPC method name
        if request.urn.split("::")[2] == STACK_TYPE:
            self.stack_outputs.update(_plain(rpc.deserialize_properties(request.outputs)))
        return super().RegisterResourceOutputs(request)


class _DiagnosticsCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname.lower()}: {record.getMessage()}")


def stack_config_for_runtime(values: Mapping[str, Any]) -> dict[str, str]:
    """Stack-file config as the engine hands it to a program: structured values as JSON."""
    return {key: value if isinstance(value, str) else json.dumps(value) for key, value in values.items()}


def run_program(
    project_dir: Path,
    project: str,
    stack: str,
    config: Mapping[str, Any],
    organization: MockOrganization | None = None,
    pause_gc: bool = True,
    previous_outputs: Mapping[str, Any] | None = None,
    other_stacks: Mapping[str, Mapping[str, Any]] | None = None,
) -> PlanResult:
    """Run `<project_dir>/__main__.py` under mocks with `config` (the stack file's keys).

    `organization` is the existing organization the lookups answer for (default: one as the
    example stacks expect it); the run is judged against AWS's rules once it has finished.
    `pause_gc`: the cyclic garbage collector is off during the run (`collector_paused`);
    False only to measure with it on. `previous_outputs`: the stack's outputs from its last
    update, what a StackReference to the stack reads (default: none, the first update).
    `other_stacks`: the outputs of the project's other stacks a StackReference may read, by
    stack name (an account stack's organization stack); a reference to any other stack fails
    as a reference to a stack that does not exist.
    """
    outputs = {full_stack_name(project, name): dict(values) for name, values in (other_stacks or {}).items()}
    # The stack being planned exists: its self-reference reads its last outputs.
    outputs[full_stack_name(project, stack)] = dict(previous_outputs or {})
    with collector_paused(pause_gc):
        return _run_program(project_dir, project, stack, config, organization, outputs)


def full_stack_name(project: str, stack: str) -> str:
    """`stack` as a StackReference names it in a plan (`pulumi.get_organization()` is MOCK_ORGANIZATION)."""
    return f"{MOCK_ORGANIZATION}/{project}/{stack}"


def _run_program(
    project_dir: Path,
    project: str,
    stack: str,
    config: Mapping[str, Any],
    organization: MockOrganization | None,
    stack_outputs: Mapping[str, Mapping[str, Any]],
) -> PlanResult:
    mocks = LandingZoneMocks(organization, stack_outputs)
    monitor = RecordingMonitor(mocks)
    collector = _DiagnosticsCollector()
    engine_log = logging.getLogger(f"{__name__}.engine")
    engine_log.propagate = False  # collected for the report, not printed raw
    engine_log.addHandler(collector)
    pulumi.runtime.set_mocks(
        monitor.mocks,
        project=project,
        stack=stack,
        preview=False,
        monitor=monitor,
        logger=engine_log,
        # What `pulumi.get_organization()` gives with a DIY backend (the stack's own reference).
        organization=MOCK_ORGANIZATION,
    )
    # What the engine hands a program as its root directory (Pulumi.yaml's folder, where the
    # program reads account files from): set_mocks leaves the placeholder "root_directory".
    settings.SETTINGS.root_directory = str(project_dir)
    # set_mocks leaves a finished stack behind; run_in_stack makes the one whose outputs
    # the program exports, as the Python language host does.
    settings.set_root_resource(None)  # type: ignore[arg-type]
    pulumi.runtime.set_all_config(stack_config_for_runtime(config))
    program = str(project_dir / "__main__.py")
    added_path = str(project_dir) not in sys.path
    if added_path:
        sys.path.insert(0, str(project_dir))
    try:
        with _without_stack_traces():
            _sync_await(run_in_stack(lambda: _run_path(program)))
    except BaseException:
        # A program that stops (a RunError) leaves outputs pending: they would resolve, and
        # raise, inside the next run in this process.
        _cancel_leftover_tasks()
        raise
    finally:
        if added_path:
            sys.path.remove(str(project_dir))
        engine_log.removeHandler(collector)
    # The mock monitor answers from several threads: registration order changes between runs
    # of the same program, URN order does not (two plans of one config are byte-identical).
    registered = sorted(monitor.registered, key=lambda r: r.urn)
    return PlanResult(
        resources=registered,
        outputs=monitor.stack_outputs,
        diagnostics=collector.messages,
        refusals=judge(registered, mocks.calls, mocks.organization),
        reads=sorted(monitor.reads),
    )


def _cancel_leftover_tasks() -> None:
    """Cancel what a failed run left pending, and forget it: the SDK keeps its pending outputs
    and RPCs in process-wide settings, which the next run would otherwise wait on."""
    loop = asyncio.get_event_loop()
    leftover = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in leftover:
        task.cancel()
    if leftover and not loop.is_running():
        loop.run_until_complete(asyncio.gather(*leftover, return_exceptions=True))
    settings.SETTINGS.outputs.clear()
    settings.SETTINGS.rpc_manager.clear()
    # Every resource waiting on the failed output holds the same RunError: asyncio would log
    # each one when collected ("exception was never retrieved"); it is reported once instead.
    loop.set_exception_handler(_quiet_about_run_errors)


def _quiet_about_run_errors(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    if not isinstance(context.get("exception"), pulumi.RunError):
        loop.default_exception_handler(context)


@contextlib.contextmanager
def _without_stack_traces() -> Iterator[None]:
    """Registrations skip the Python stack trace Pulumi attaches to each one.

    The SDK walks and converts the whole call stack for every resource (for the engine's
    source positions); the mock monitor drops it. That is about a sixth of a large plan's
    time (docs/performance.md). Restored afterwards: only `lz plan` runs are affected.
    """
    original = getattr(runtime_resource, "_get_stack_trace", None)
    if original is None:  # a Pulumi SDK without it: nothing to skip
        yield
        return
    runtime_resource._get_stack_trace = source_pb2.StackTrace
    try:
        yield
    finally:
        runtime_resource._get_stack_trace = original


def _run_path(program: str) -> None:
    runpy.run_path(program, run_name="__main__")


def _plain(value: Any) -> Any:
    """JSON-safe copy of deserialized properties (floats that are whole become ints)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
