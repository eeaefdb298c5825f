"""`~/.aws/config` SSO profiles: what a group can reach, rendered and merged into the file."""
