"""Pulumi ComponentResources of the landing zone: one AWS concept per module."""
