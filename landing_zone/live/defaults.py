"""Defaults of the live commands, in a module without boto3: the CLI shows them in its help,
and building the parser must not import what only `lz audit` or `lz preflight` runs."""

DEFAULT_ROLE_NAME = "OrganizationAccountAccessRole"  # the role Organizations creates in new accounts
DEFAULT_WORKERS = 8  # member accounts and checks worked on at once
