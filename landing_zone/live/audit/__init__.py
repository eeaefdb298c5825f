"""`lz audit`'s checks: one module per area, each check a function of clients to a result."""

from .model import CheckResult, Outcome, Target
from .runner import AuditOptions, run_audit

__all__ = ["AuditOptions", "CheckResult", "Outcome", "Target", "run_audit"]
