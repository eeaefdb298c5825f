"""Defaults of the live code, in a module without boto3: the CLI shows them in its help and the
program sets one on a resource, and neither must import what only a live command runs."""

DEFAULT_ROLE_NAME = "OrganizationAccountAccessRole"  # the role Organizations creates in new accounts
DEFAULT_WORKERS = 8  # member accounts and checks worked on at once
DEFAULT_TIMEOUT_SECONDS = 600  # how long a new account's access role is waited for
