"""The landing zone's stack config: typed model, loading, and cross-reference validation."""

from .errors import ConfigError, Problem
from .loading import (
    DEFAULT_NAMESPACE,
    StackSettings,
    load_from_mapping,
    load_from_pulumi_runtime,
    load_stack,
    load_stack_file,
    read_stack_file,
)
from .model import LandingZoneConfig
from .organization import (
    AccountConfig,
    Contact,
    OrganizationalUnitConfig,
    OrganizationConfig,
    ResolvedContact,
)
from .stacks import StackSlice
from .validation import config_warnings

__all__ = [
    "DEFAULT_NAMESPACE",
    "AccountConfig",
    "ConfigError",
    "Contact",
    "LandingZoneConfig",
    "OrganizationConfig",
    "OrganizationalUnitConfig",
    "Problem",
    "ResolvedContact",
    "StackSettings",
    "StackSlice",
    "config_warnings",
    "load_from_mapping",
    "load_from_pulumi_runtime",
    "load_stack",
    "load_stack_file",
    "read_stack_file",
]
