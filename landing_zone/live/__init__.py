"""Reading a live AWS Organization with boto3: sessions in, plain data out.

Used by `lz audit` (checks against the landing-zone practices) and `lz import` (a stack
file that adopts what exists). Nothing here formats output or writes files.
"""
