"""`python -m landing_zone.cli` leaves without the interpreter's teardown (landing_zone/cli/exit.py):
nothing written may be lost on the way out."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import PROJECT_DIR


def lz(*argv: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "landing_zone.cli", *argv, "--project-dir", str(PROJECT_DIR)]
    return subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True)


def test_piped_output_and_files_are_complete_and_the_exit_code_kept(tmp_path):
    resources = tmp_path / "resources.json"
    done = lz("plan", "--stack", "prod", "--no-policy", "--format", "json", "--resources-out", str(resources))
    assert done.returncode == 0, done.stderr
    # stdout is a pipe (block-buffered): all of it arrives, and parses.
    custom = [r for r in json.loads(resources.read_text()) if r["custom"]]
    assert json.loads(done.stdout)["resources"]["count"] == len(custom)


def test_usage_errors_still_exit_2_with_their_message():
    done = lz("plan", "--stack", "nonexistent")
    assert done.returncode == 2
    assert "nonexistent" in done.stderr
