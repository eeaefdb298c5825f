"""components/aws_subpackages: the program loads the pulumi-aws modules it imports, not their whole
subpackages, and the subpackages still work whole for whoever reads them."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from components.aws_subpackages import SUBPACKAGES
from tests.conftest import PROJECT_DIR

# Loaded by the modules the program imports (their argument types and enums).
SHARED = {"_inputs", "outputs", "_enums"}


def run_python(script: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    )
    return done.stdout


def imported_by_the_program() -> set[str]:
    found = set()
    for path in (PROJECT_DIR / "components").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"^from pulumi_aws\.(\w+\.\w+) import", text, re.MULTILINE))
        found |= {
            f"{p}.{m}" for p, m in re.findall(r"^from pulumi_aws\.(\w+) import (\w+) as", text, re.MULTILINE)
        }
    return found


def test_a_plan_loads_only_the_modules_the_program_imports():
    script = (
        "import json, sys\n"
        "from landing_zone.cli import main\n"
        f"main(['plan', '--stack', 'prod', '--no-policy', '--project-dir', {str(PROJECT_DIR)!r}])\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('pulumi_aws.'))), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    )
    loaded = json.loads(done.stderr.splitlines()[-1])
    inside = {m.removeprefix("pulumi_aws.") for m in loaded if m.count(".") == 2}
    own = {m for m in inside if m.split(".")[0] in SUBPACKAGES and m.split(".")[1] not in SHARED}
    assert own == {m for m in imported_by_the_program() if m.split(".")[1] not in SHARED}


def test_a_subpackage_read_as_a_package_is_whole():
    out = run_python(
        "import components, pulumi_aws\n"
        "from pulumi_aws.s3.bucket import Bucket\n"
        "from pulumi_aws.s3 import BucketLifecycleConfiguration\n"
        "print(pulumi_aws.s3.Bucket is Bucket, BucketLifecycleConfiguration.__module__)\n"
        "try:\n"
        "    pulumi_aws.s3.NotAClass\n"
        "except AttributeError:\n"
        "    print('AttributeError')\n"
    )
    assert out.split() == ["True", "pulumi_aws.s3.bucket_lifecycle_configuration", "AttributeError"]
