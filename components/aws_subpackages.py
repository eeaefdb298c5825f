"""pulumi-aws's subpackages, loaded a module at a time.

Each subpackage's `__init__` imports every module in it (`pulumi_aws.s3` is ~90 modules), and
Python runs that `__init__` before any module inside it, so `from pulumi_aws.s3.bucket import
Bucket` alone still loads all of s3: the 13 subpackages the program uses cost about as much
CPU as the program itself on the prod stack (docs/performance.md). `load_by_module()` puts each
one in `sys.modules` without running its `__init__`; the components then import the modules
they use (`from pulumi_aws.s3.bucket import Bucket`). Anything else that reads the package
itself (`pulumi_aws.s3.Bucket`, Pulumi looking up a class to rebuild a resource reference)
runs the real `__init__` then, in the same module object, and gets the whole package.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from typing import Any

import pulumi_aws

SUBPACKAGES = (
    "accessanalyzer",
    "account",
    "budgets",
    "cloudtrail",
    "costexplorer",
    "ebs",
    "guardduty",
    "iam",
    "identitystore",
    "organizations",
    "s3",
    "securityhub",
    "ssoadmin",
)


def load_by_module() -> None:
    for name in SUBPACKAGES:
        _install(f"pulumi_aws.{name}")


def _install(fullname: str) -> None:
    found = sys.modules.get(fullname)
    # pulumi_aws registers each subpackage as a lazy module (importlib.util.LazyLoader): a
    # plain module there was loaded already, whole.
    if found is not None and type(found) is types.ModuleType:
        return
    spec = importlib.util.find_spec(fullname)
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        return  # not a package in this pulumi-aws: left to the ordinary import
    package = importlib.util.module_from_spec(spec)  # __path__ set, __init__ not run
    loader = spec.loader

    def complete(attribute: str) -> Any:
        if importlib.util.find_spec(f"{fullname}.{attribute}") is not None:
            # A module of it (`from . import outputs` in its modules): that module only.
            return importlib.import_module(f"{fullname}.{attribute}")
        if attribute.startswith("__") and attribute != "__all__":
            raise AttributeError(attribute)  # probes (copy, inspect): not a reason to load it all
        # Anything else, once: the package's real __init__, then the attribute as it defines it.
        del package.__dict__["__getattr__"]
        loader.exec_module(package)
        return getattr(package, attribute)

    package.__dict__["__getattr__"] = complete
    sys.modules[fullname] = package
    setattr(pulumi_aws, fullname.rsplit(".", 1)[1], package)
