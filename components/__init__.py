"""Pulumi ComponentResources of the landing zone: one AWS concept per module."""

from .aws_subpackages import load_by_module

# Before any component imports a pulumi-aws module: see aws_subpackages.
load_by_module()
