"""The management account's root user: MFA on, no access keys (CIS 1.3, 1.4; IAM.4, IAM.9).

Two sources agree in real AWS: the account summary's flags and the credential report's
`<root_account>` row. moto reports neither (flags always 0, no root row): these checks are
unit-tested with botocore's Stubber.
"""

from __future__ import annotations

import csv
import io
import time
from typing import Any

from ..session import Clients
from .model import Check, Finding

ROOT_ROW = "<root_account>"
REPORT_ATTEMPTS = 10
FIRST_WAIT_SECONDS = 0.25  # doubled after each attempt, up to MAX_WAIT_SECONDS
MAX_WAIT_SECONDS = 4.0


class RootFacts:
    """The account summary and the credential report's root row, each fetched once."""

    def __init__(self, clients: Clients) -> None:
        self.iam = clients.client("iam")
        self._summary: dict[str, int] | None = None
        self._root_row: dict[str, str] | None = None
        self._report_read = False

    @property
    def summary(self) -> dict[str, int]:
        if self._summary is None:
            self._summary = self.iam.get_account_summary()["SummaryMap"]
        return self._summary

    @property
    def root_row(self) -> dict[str, str] | None:
        if not self._report_read:
            self._root_row = self._read_root_row()
            self._report_read = True
        return self._root_row

    def _read_root_row(self) -> dict[str, str] | None:
        wait = FIRST_WAIT_SECONDS
        for _ in range(REPORT_ATTEMPTS):
            if self.iam.generate_credential_report().get("State") == "COMPLETE":
                break
            time.sleep(wait)
            wait = min(wait * 2, MAX_WAIT_SECONDS)
        content: Any = self.iam.get_credential_report()["Content"]
        text = content.decode("utf-8") if isinstance(content, bytes) else str(content)
        return next((row for row in csv.DictReader(io.StringIO(text)) if row.get("user") == ROOT_ROW), None)


def root_mfa(facts: RootFacts) -> Finding:
    flag = facts.summary.get("AccountMFAEnabled", 0)
    evidence = [f"account summary: AccountMFAEnabled={flag}"]
    row = facts.root_row
    row_says = None
    if row is None:
        evidence.append("credential report: no <root_account> row")
    else:
        row_says = row.get("mfa_active", "").lower() == "true"
        evidence.append(f"credential report: <root_account> mfa_active={row.get('mfa_active')}")
    ok = flag == 1 and row_says is not False
    return Finding("pass" if ok else "fail", tuple(evidence))


def root_access_keys(facts: RootFacts) -> Finding:
    flag = facts.summary.get("AccountAccessKeysPresent", 0)
    evidence = [f"account summary: AccountAccessKeysPresent={flag}"]
    active = False
    row = facts.root_row
    if row is not None:
        for key in ("access_key_1_active", "access_key_2_active"):
            evidence.append(f"credential report: <root_account> {key}={row.get(key)}")
            active = active or row.get(key, "").lower() == "true"
    return Finding("fail" if flag or active else "pass", tuple(evidence))


ROOT_MFA = Check("management.root-mfa", "Root user of the management account has MFA", root_mfa)
ROOT_ACCESS_KEYS = Check(
    "management.root-access-keys", "Root user of the management account has no access keys", root_access_keys
)
