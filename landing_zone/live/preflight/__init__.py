"""`lz preflight` as a library: will `pulumi up` of this stack work on this organization?"""

from .model import STATUSES, PreflightReport, Prerequisite, Status
from .runner import DEFAULT_WORKERS, PreflightError, PreflightOptions, run_preflight

__all__ = [
    "DEFAULT_WORKERS",
    "STATUSES",
    "PreflightError",
    "PreflightOptions",
    "PreflightReport",
    "Prerequisite",
    "Status",
    "run_preflight",
]
