"""Package data: one service control policy document per guardrail, `<name>.json`."""
