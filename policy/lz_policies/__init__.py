"""The landing zone's policies, one module per domain; `pack.POLICIES` lists them all."""
