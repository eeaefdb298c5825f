"""landing-zone: an AWS Organization set up and governed as code with Pulumi."""

PROJECT = "landing-zone"
