"""The floor: register the same resources as a landing-zone plan, with no landing-zone logic.

Reads the `--resources-out` file named by FLOOR_RESOURCES and registers each entry with its
recorded type, name and inputs, flat under the stack.
"""

import json
import os
from pathlib import Path

import pulumi

for entry in json.loads(Path(os.environ["FLOOR_RESOURCES"]).read_text(encoding="utf-8")):
    if entry["custom"]:
        pulumi.CustomResource(entry["type"], entry["name"], dict(entry["inputs"]))
    else:
        pulumi.ComponentResource(entry["type"], entry["name"])
