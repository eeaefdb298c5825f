"""The IAM password policy `pulumi up` replaces: the baseline's in each member account, and the
same one in the management account (`management_password_policy`). Never a blocker: the report
says what changes."""

from __future__ import annotations

from botocore.exceptions import ClientError

from landing_zone.config import LandingZoneConfig
from landing_zone.config.baseline import PasswordPolicy, management_password_policy

from ..session import Clients
from .model import Check, Preflight, Prerequisite, ready

NO_PASSWORD_POLICY = "NoSuchEntity"
# The fields the stack sets, as IAM names them, with the config's field and words.
POLICY_FIELDS = (
    ("MinimumPasswordLength", "minimum_length", "minimum length"),
    ("PasswordReusePrevention", "reuse_prevention", "reuse prevention"),
    ("MaxPasswordAge", "max_age", "maximum age"),
    ("RequireLowercaseCharacters", "require_lowercase", "lowercase"),
    ("RequireUppercaseCharacters", "require_uppercase", "uppercase"),
    ("RequireNumbers", "require_numbers", "numbers"),
    ("RequireSymbols", "require_symbols", "symbols"),
)


def wanted_policy(config: LandingZoneConfig) -> PasswordPolicy:
    return management_password_policy(config.baseline)


def replaced(clients: Clients, wanted: PasswordPolicy) -> str | None:
    """What `pulumi up` changes in the account's password policy; None when nothing (or none is set)."""
    try:
        live = clients.client("iam").get_account_password_policy()["PasswordPolicy"]
    except ClientError as err:
        if err.response.get("Error", {}).get("Code") == NO_PASSWORD_POLICY:
            return None
        raise
    now = {aws_name: live.get(aws_name) for aws_name, _, _ in POLICY_FIELDS}
    # IAM leaves MaxPasswordAge out when passwords never expire (some endpoints say 0).
    now["MaxPasswordAge"] = now["MaxPasswordAge"] or None
    changes = [
        f"{words} {_value(now[aws_name])} -> {_value(getattr(wanted, ours))}"
        for aws_name, ours, words in POLICY_FIELDS
        if now[aws_name] != getattr(wanted, ours)
    ]
    return f"pulumi up replaces its password policy ({', '.join(changes)})" if changes else None


def _value(value: object) -> str:
    return "none" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def management(preflight: Preflight) -> list[Prerequisite]:
    subject = f"management account {preflight.live.management_account_id}"
    change = replaced(preflight.clients, wanted_policy(preflight.config))
    return [ready("management.password-policy", subject, change or "nothing to replace")]


CHECKS = (Check("management.password-policy", management, "management account"),)
