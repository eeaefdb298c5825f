"""How pytest-xdist hands tests to its workers (pyproject's `--dist loadfile`): a file at a time,
so a module fixture is built once, except that a test package below tests/ goes to one worker whole.

Its package fixtures (tests/live's planted organizations and moto server, tests/preflight's
in-process moto) take seconds to build; pytest tears a package fixture down as soon as a worker
runs a test from elsewhere, so the package's files spread over workers, or interleaved with other
files, would build them again and again.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from xdist.scheduler import LoadFileScheduling


class PackageOrFileScheduling(LoadFileScheduling):
    def _split_scope(self, nodeid: str) -> str:
        # Node ids are relative to the root directory: "tests/live/test_audit.py::test_x[a]".
        parts = PurePosixPath(nodeid.split("::", 1)[0]).parts
        return "/".join(parts[:2]) if len(parts) > 2 else "/".join(parts)
