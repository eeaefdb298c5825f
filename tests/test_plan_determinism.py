"""Two `lz plan` runs of one unchanged stack write byte-identical files and JSON, whatever order
the mock monitor's threads answered in (a diff of two plans shows only what changed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_lz


def plan_files(capsys: pytest.CaptureFixture[str], directory: Path) -> tuple[str, bytes, bytes]:
    directory.mkdir()
    resources, outputs = directory / "resources.json", directory / "outputs.json"
    code, out, err = run_lz(
        capsys,
        *("plan", "--stack", "prod", "--no-policy", "--format", "json"),
        *("--resources-out", str(resources), "--outputs-out", str(outputs)),
    )
    assert (code, err) == (0, "")
    return out, resources.read_bytes(), outputs.read_bytes()


def test_two_plans_of_one_stack_are_byte_identical(capsys, tmp_path):
    first = plan_files(capsys, tmp_path / "first")
    second = plan_files(capsys, tmp_path / "second")
    assert first[0] == second[0]
    assert first[1] == second[1]
    assert first[2] == second[2]
