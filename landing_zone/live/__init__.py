"""Reading a live AWS Organization with boto3: sessions in, plain data out.

Used by `lz audit` (checks against the landing-zone practices), `lz import` (a stack file
that adopts what exists) and `lz sso-config --from-aws` (what a group can reach). Nothing
here formats output or writes files.
"""
