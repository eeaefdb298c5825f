"""`lz plan` as library calls: run_stack then report_stack, with no argparse in between."""

from __future__ import annotations

import json

import pytest

from landing_zone.config import ConfigError, read_stack_file
from landing_zone.plan.plan_json import plan_document
from landing_zone.plan.render import render_text
from landing_zone.plan.report import build_report
from landing_zone.plan.stack import report_stack, run_stack
from tests.builders import stack_values
from tests.helpers import PROJECT_DIR, run_lz


def test_a_config_with_problems_is_refused_before_the_program_runs():
    values = stack_values(accounts=[{"name": "audit", "ou": "Nowhere"}])
    with pytest.raises(ConfigError) as raised:
        run_stack(PROJECT_DIR, "landing-zone", "broken", values)
    assert [str(p) for p in raised.value.problems] == [
        "landing-zone:accounts[0].ou: OU 'Nowhere' is not defined in organizationalUnits"
    ]


def test_the_reports_are_what_lz_plan_prints(capsys):
    run = run_stack(PROJECT_DIR, "landing-zone", "dev", read_stack_file(PROJECT_DIR / "Pulumi.dev.yaml"))
    report = report_stack(run, policies=False)
    assert report == build_report("landing-zone", "dev", run.result)
    _, out, _ = run_lz(capsys, "plan", "--stack", "dev", "--no-policy", "--format", "json")
    assert out == json.dumps(plan_document(report), indent=2) + "\n"

    checked = report_stack(run)  # the project's pack, with its config.dev.json
    assert checked.policy is not None
    assert checked.policy.enforcement_file == PROJECT_DIR / "policy" / "config.dev.json"
    assert not checked.has_mandatory_violations
    _, out, _ = run_lz(capsys, "plan", "--stack", "dev")
    assert out == render_text(checked)
