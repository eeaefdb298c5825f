"""Steps no API shows: listed on every run so that nobody forgets them."""

from __future__ import annotations

from .model import CheckResult, Target

MANUAL_STEPS = (
    (
        "manual.identity-center-mfa",
        "Identity Center requires MFA at every sign-in",
        "IAM Identity Center console > Settings > Authentication > Multi-factor authentication: "
        "'Every time they sign in', with 'Require them to register an MFA device at sign in'",
    ),
    (
        "manual.tax-details",
        "Tax registration, billing address and payment method are set",
        "Billing and Cost Management console > Tax settings and Payment preferences (management account)",
    ),
    (
        "manual.root-password",
        "Root password of the management account is in the company's password manager",
        "Sign in as root once, rotate the password into the password manager, keep the MFA device safe",
    ),
)


def manual_steps() -> list[CheckResult]:
    target = Target("manual", "")
    return [CheckResult(id_, title, "manual", target, (how,)) for id_, title, how in MANUAL_STEPS]
