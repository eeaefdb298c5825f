"""Large, valid stack configs for benchmarks and scale tests.

`large_stack_values(500)` spreads 500 accounts over nested OUs (business units with
Production and NonProduction below them), the shape of an agency or a platform team.
"""

from __future__ import annotations

from typing import Any

NAMESPACE = "landing-zone"
BUSINESS_UNITS = 10


def _contact(name: str) -> dict[str, str]:
    return {"name": name, "title": f"{name} team", "phone": "+1 555 0100"}


def large_stack_values(accounts: int) -> dict[str, Any]:
    """A stack config mapping (as read from Pulumi.<stack>.yaml) with `accounts` accounts."""
    units = ["Security", "Sandbox", "Workloads"]
    for bu in range(BUSINESS_UNITS):
        units += [
            f"Workloads/bu{bu:02d}",
            f"Workloads/bu{bu:02d}/Production",
            f"Workloads/bu{bu:02d}/NonProduction",
        ]
    account_list: list[dict[str, Any]] = [
        {"name": "audit", "ou": "Security"},
        {"name": "log-archive", "ou": "Security"},
    ]
    index = 0
    while len(account_list) < accounts:
        bu, kind = divmod(index, 3)
        bu %= BUSINESS_UNITS
        if kind == 2:
            account_list.append({"name": f"sandbox-{index:04d}", "ou": "Sandbox", "closeOnDeletion": True})
        else:
            env = "Production" if kind == 0 else "NonProduction"
            account_list.append(
                {"name": f"app{index:04d}-{env.lower()}", "ou": f"Workloads/bu{bu:02d}/{env}"}
            )
        index += 1
    return {
        "aws:region": "eu-west-1",
        f"{NAMESPACE}:organization": {
            "name": "scale",
            "domain": "scale-corp.io",
            "notificationEmail": "aws-notifications@scale-corp.io",
            "contacts": {
                "billing": _contact("Finance"),
                "security": _contact("Security"),
                "operations": _contact("Platform"),
            },
        },
        f"{NAMESPACE}:organizationalUnits": [{"path": path} for path in units],
        f"{NAMESPACE}:accounts": account_list[:accounts],
    }
