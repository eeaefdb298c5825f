"""What to give a person so they can start: the access portal, the region, the accounts and
permission sets their groups reach, their `~/.aws/config` block and first commands, as text or
Markdown (to paste into a ticket or an email). No secret is ever part of it.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from landing_zone.config import LandingZoneConfig
from landing_zone.config.identity import IdentityCenterConfig, UserConfig
from landing_zone.live.shown import shown

from .merge import managed_block
from .profiles import (
    MOCKED_MARK,
    Profile,
    ProfileOptions,
    SsoAccess,
    build_profiles,
    groups_access,
    render_sections,
)

Format = Literal["text", "markdown"]
REMINDERS = (
    "Sign in at the access portal first: at the first sign-in Identity Center asks you to register "
    "an MFA device (an authenticator app or a security key). Keep it; you need it at every sign-in.",
    "Sessions are short: when a command says the token expired, run `aws sso login` again.",
    "Never create IAM users or access keys: every access goes through the portal or `aws sso login`.",
    "Use the least privileged profile for the task; admin work has its own identity.",
)


class OnboardingError(Exception):
    """The user cannot be onboarded from this stack (unknown user, no users in the config)."""


@dataclass(frozen=True)
class Row:
    """One (account, permission set) the user can use, with the profile that reaches it."""

    account: str
    account_id: str
    permission_set: str
    profile: str


@dataclass(frozen=True)
class Person:
    """Who is onboarded: from the stack's identityCenter.users, or the live identity store."""

    user_name: str
    display_name: str
    email: str
    groups: tuple[str, ...]  # display names


@dataclass(frozen=True)
class Onboarding:
    person: Person
    access: SsoAccess
    session_name: str
    rows: tuple[Row, ...]
    config_block: str  # exactly what `lz sso-config` prints for the same access

    @property
    def commands(self) -> tuple[str, ...]:
        first = f"aws sts get-caller-identity --profile {self.rows[0].profile}" if self.rows else None
        return tuple(c for c in (f"aws sso login --sso-session {self.session_name}", first) if c)


def find_user(config: LandingZoneConfig, name: str) -> tuple[IdentityCenterConfig, UserConfig]:
    """The stack's Identity Center config, and its user named `name` (user names are
    case-insensitive in the identity store)."""
    identity = config.identity_center
    if identity is None:
        raise OnboardingError("the stack has no landing-zone:identityCenter config")
    if identity.external_groups:
        raise OnboardingError(
            "the stack's identitySource is external: its users and their groups live in the identity "
            "provider, not in the stack config"
        )
    by_name = {user.user_name.lower(): user for user in identity.users}
    found = by_name.get(name.lower())
    if found is None:
        close = difflib.get_close_matches(name, [u.user_name for u in identity.users], n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise OnboardingError(f"USER: '{name}' is not in the stack's identityCenter.users{hint}")
    return identity, found


def onboarding(
    config: LandingZoneConfig,
    outputs: Mapping[str, Any],
    user_name: str,
    options: ProfileOptions,
    source: str = "the outputs",
) -> Onboarding:
    """Everything `user_name` needs, from the stack's rules and its outputs (ids, portal URL)."""
    identity, user = find_user(config, user_name)
    groups = tuple(g.name for g in identity.groups if user.user_name in g.members)
    person = Person(user.user_name, identity.display_name_of(user), user.email, groups)
    return onboarding_for(person, groups_access(config, outputs, set(groups), source), options)


def onboarding_for(person: Person, access: SsoAccess, options: ProfileOptions) -> Onboarding:
    """The onboarding of `person`, who can reach `access`, with `lz sso-config`'s profiles."""
    profiles = build_profiles(access, options)
    names = {(r.account_id, r.permission_set): r.account for r in access.reachable}
    return Onboarding(
        person=person,
        access=access,
        session_name=options.session_name,
        rows=tuple(_row(profile, names) for profile in profiles),
        config_block=managed_block(options.session_name, render_sections(access, options, profiles)),
    )


def _row(profile: Profile, names: Mapping[tuple[str, str], str]) -> Row:
    account = names[(profile.account_id, profile.role_name)]
    return Row(account, profile.account_id, profile.role_name, profile.name)


def render(plan: Onboarding, form: Format) -> str:
    return render_markdown(plan) if form == "markdown" else render_text(plan)


def render_text(plan: Onboarding) -> str:
    person = plan.person
    width = max(len(f"{shown(r.account)} ({r.account_id})") for r in plan.rows)
    set_width = max(len(r.permission_set) for r in plan.rows)
    lines = [
        f"AWS access for {shown(person.display_name)} <{shown(person.email)}> "
        f"(user name {shown(person.user_name)})"
    ]
    if plan.access.mocked:
        lines.append(MOCKED_MARK)
    lines += [
        f"Groups: {shown(', '.join(person.groups))}",
        "",
        f"Access portal (start URL): {plan.access.start_url}",
        f"SSO region: {plan.access.sso_region}",
        "",
        "Accounts and permission sets:",
    ]
    for row in plan.rows:
        where = f"{shown(row.account)} ({row.account_id})"
        lines.append(f"  {where:<{width}}  {row.permission_set:<{set_width}}  profile {row.profile}")
    lines += ["", "~/.aws/config (AWS CLI v2; `lz sso-config --write` merges the same block):", ""]
    lines += plan.config_block.rstrip("\n").splitlines()
    lines += ["", "First commands:"]
    lines += [f"  {command}" for command in plan.commands]
    lines += ["", "Reminders:"]
    lines += [f"  - {reminder}" for reminder in REMINDERS]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    # A value inside Markdown: one safe line, and a pipe would end a table cell.
    return shown(text).replace("|", "\\|")


def render_markdown(plan: Onboarding) -> str:
    person = plan.person
    lines = [f"# AWS access for {_md(person.display_name)}", ""]
    if plan.access.mocked:
        lines += [f"> {MOCKED_MARK.lstrip('# ')}", ""]
    lines += [
        f"- User name: `{_md(person.user_name)}` ({_md(person.email)})",
        f"- Groups: {_md(', '.join(person.groups))}",
        f"- Access portal (start URL): <{plan.access.start_url}>",
        f"- SSO region: `{plan.access.sso_region}`",
        "",
        "## Accounts and permission sets",
        "",
        "| Account | Account id | Permission set | Profile |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| {_md(r.account)} | {r.account_id} | {r.permission_set} | `{r.profile}` |" for r in plan.rows
    ]
    lines += ["", "## `~/.aws/config`", "", "```ini", *plan.config_block.rstrip("\n").splitlines(), "```"]
    lines += ["", "## First commands", "", "```sh", *plan.commands, "```", "", "## Reminders", ""]
    lines += [f"- {reminder}" for reminder in REMINDERS]
    return "\n".join(lines) + "\n"
