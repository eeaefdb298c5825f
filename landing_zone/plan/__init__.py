"""`lz plan` as a library. Light on purpose: the CLI reads this constant to build its help
without importing Pulumi (`landing_zone.plan.stack` and the rest import it)."""

PACK_DIR_NAME = "policy"  # the pack's directory in the Pulumi project
