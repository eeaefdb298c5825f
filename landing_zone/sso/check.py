"""`lz sso-config --check`: which profiles of a managed block no longer reach their account or
role, judged against the access a source gives now (the portal, the live organization or the
stack's outputs). Pure: the block's text and the access in, the stale profiles out.
"""

from __future__ import annotations

import configparser
import shlex
from dataclasses import dataclass

from .profiles import Reachable, SsoAccess, SsoSourceError


@dataclass(frozen=True)
class BlockProfile:
    """One SSO profile of the block: what it signs in to."""

    name: str
    account_id: str
    role_name: str


@dataclass(frozen=True)
class Stale:
    profile: str
    reason: str


@dataclass(frozen=True)
class CheckResult:
    stale: list[Stale]
    # What the source gives that no profile of the block reaches: a --write would add it.
    missing: list[Reachable]
    count: int  # profiles in the block


def block_profiles(sections: str) -> tuple[list[BlockProfile], dict[str, str]]:
    """The block's SSO profiles, and its `credential_process` profiles with the SSO profile
    each runs (`--profile NAME` in its command)."""
    parser = configparser.RawConfigParser(interpolation=None, strict=True, default_section="\0")
    try:
        parser.read_string(sections)
    except configparser.Error as err:
        first_line = str(err).splitlines()[0].rstrip(".")
        raise SsoSourceError(
            f"the managed block cannot be read: {first_line}; rewrite it with --write"
        ) from None
    profiles, processes = [], {}
    for section in parser.sections():
        kind, _, name = section.partition(" ")
        if kind != "profile" or not name:
            continue
        values = parser[section]
        if "credential_process" in values:
            processes[name] = _runs_profile(values["credential_process"])
        elif "sso_account_id" in values and "sso_role_name" in values:
            profiles.append(BlockProfile(name, values["sso_account_id"], values["sso_role_name"]))
    return profiles, processes


def _runs_profile(command: str) -> str:
    try:
        words = shlex.split(command)
    except ValueError:
        return ""
    return words[words.index("--profile") + 1] if words[:-1].count("--profile") == 1 else ""


def check_block(sections: str, access: SsoAccess) -> CheckResult:
    """Each profile of the block that no longer reaches its (account, role), with why; what the
    source gives that the block lacks; how many profiles the block has. A `credential_process`
    profile is stale with the SSO profile it runs, or when it runs none of the block's."""
    profiles, processes = block_profiles(sections)
    accounts = {item.account_id for item in access.reachable}
    pairs = {(item.account_id, item.permission_set) for item in access.reachable}
    stale: dict[str, Stale] = {}
    for profile in profiles:
        if profile.account_id not in accounts:
            reason = f"account {profile.account_id} is no longer reachable"
        elif (profile.account_id, profile.role_name) not in pairs:
            reason = f"role {profile.role_name} is no longer reachable in account {profile.account_id}"
        else:
            continue
        stale[profile.name] = Stale(profile.name, reason)
    known = {profile.name for profile in profiles}
    for name, runs in processes.items():
        if runs in stale:
            stale[name] = Stale(name, f"runs profile {runs}, which is stale")
        elif runs not in known:
            stale[name] = Stale(name, "runs no SSO profile of this block")
    covered = {(profile.account_id, profile.role_name) for profile in profiles}
    return CheckResult(
        stale=sorted(stale.values(), key=lambda s: s.profile),
        missing=[item for item in access.reachable if (item.account_id, item.permission_set) not in covered],
        count=len(profiles) + len(processes),
    )
