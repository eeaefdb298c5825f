"""What one group can reach through Identity Center, and its AWS CLI v2 config text.

Two sources give the same `SsoAccess`: the stack's config plus `pulumi stack output --json`
(`from_stack_outputs`), or the live organization (`landing_zone.live.group_access.read_group_access`).
"""

from __future__ import annotations

import dataclasses
import json
import re
import shlex
import string
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from landing_zone.config import LandingZoneConfig
from landing_zone.config.base import ACCOUNT_ID, PERMISSION_SET_NAME, REGION, Matching
from landing_zone.config.excerpt import excerpt
from landing_zone.config.identity import START_URL, expand_access
from landing_zone.config.naming import account_slug, placeholder_problem, substitute

# Characters safe in an INI section name and on a command line.
PROFILE_NAME = re.compile(r"[A-Za-z0-9._+@-]+", re.ASCII)
_PROFILE_UNSAFE = re.compile(r"[^A-Za-z0-9._+@-]", re.ASCII)
PROFILE_WORDS = "letters, digits and . _ + @ -"
SECTION_NAME = Matching(PROFILE_NAME.pattern, f"a name of {PROFILE_WORDS}")
# Unicode categories no value of ours may hold: control and format characters, surrogates,
# private use, unassigned, and the line and paragraph separators some readers split lines at.
_UNSAFE_CATEGORIES = ("C", "Zl", "Zp")
TEMPLATE_FIELDS = ("org", "account", "account_id", "permission_set")
# An Identity Center group's display name (identitystore DisplayName: at most 1,024 characters).
GROUP_NAME = Matching(r".{1,1024}", "a group name of 1 to 1,024 characters on one line")
DEFAULT_ADMIN_TEMPLATE = "{org}-{account}"
DEFAULT_TEMPLATE = "{org}-{account}-{permission_set}"
DEFAULT_ADMIN_PERMISSION_SET = "AdministratorAccess"
REGISTRATION_SCOPES = "sso:account:access"
# A live account name is at most 128 characters (botocore's organizations model, shape
# AccountName: min 1, max 128); anything longer is not an account name.
MAX_LIVE_ACCOUNT_NAME = 128
# Separators between an organization's code and the rest of an account name (`acme-dev`, `acme_dev`).
_ORG_SEPARATORS = "-_."
# The end of the profile that runs `credential_process` beside each SSO profile.
PROCESS_SUFFIX = "-process"
# The key `lz plan --outputs-out` adds (`pulumi stack output --json` never has it): its account
# ids are the mock runtime's, made up.
MOCKED_KEY = "lz:mocked"
MOCKED_MARK = "# Made-up account ids: these profiles come from `lz plan --outputs-out` (the mock runtime)."
# A `credential_process` value as every SDK reads it: the Go SDK's INI reader cuts a value at
# '#' or ';' and turns `\n`, `\'` and `\"` into other characters (aws/aws-sdk-go-v2,
# internal/ini/strings.go: trimComment, legacyStrconv), so none of them may be in it.
COMMAND_LINE = Matching(
    r"[^#;\\]{1,4096}", "a command line without '#', ';' or '\\' (install lz under another path)"
)


class SsoSourceError(Exception):
    """The outputs, the config or AWS do not give what the profiles need."""


@dataclass(frozen=True, order=True)
class Reachable:
    account: str
    account_id: str
    permission_set: str


@dataclass(frozen=True)
class SsoAccess:
    """The SSO portal and what one group can reach through it."""

    start_url: str
    sso_region: str
    reachable: tuple[Reachable, ...]
    # From `lz plan --outputs-out`: the account ids are made up.
    mocked: bool = False


@dataclass(frozen=True)
class ProfileOptions:
    org: str
    session_name: str
    region: str
    admin_permission_set: str = DEFAULT_ADMIN_PERMISSION_SET
    admin_template: str = DEFAULT_ADMIN_TEMPLATE
    template: str = DEFAULT_TEMPLATE
    # Each account's own region where the stack knows it (`landing_zone.sso.regions`), by
    # account name; other accounts get `region`.
    account_regions: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # The command (argv) a `credential_process` profile runs with `--profile NAME` added;
    # None: no such profiles.
    credential_process: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Profile:
    name: str
    account_id: str
    role_name: str
    region: str
    # The profile beside this one that runs `credential_process`, if any.
    process_name: str | None = None


def from_stack_outputs(
    config: LandingZoneConfig, outputs: Mapping[str, Any], group: str, source: str = "the outputs"
) -> SsoAccess:
    """`group`'s access as the stack's rules imply it, with the ids the stack exported.

    `source` names the outputs in messages (the file they came from).
    """
    identity = config.identity_center
    if identity is None:
        raise SsoSourceError("the stack has no landing-zone:identityCenter config")
    groups = [g.name for g in identity.groups]
    if group not in groups:
        known = ", ".join(groups) or "none"
        raise SsoSourceError(
            f"--group: '{group}' is not in the stack's identityCenter.groups (known: {known})"
        )
    return groups_access(config, outputs, {group}, source)


def groups_access(
    config: LandingZoneConfig,
    outputs: Mapping[str, Any],
    groups: Collection[str],
    source: str = "the outputs",
) -> SsoAccess:
    """What members of any of `groups` can reach: each (account, permission set) once, however
    many groups and rules give it."""
    identity = config.identity_center
    if identity is None:
        raise SsoSourceError("the stack has no landing-zone:identityCenter config")
    mocked = outputs.get(MOCKED_KEY, False)
    if not isinstance(mocked, bool):
        raise SsoSourceError(f"{source}: {MOCKED_KEY} must be true or false, not {json.dumps(mocked)}")
    start_url = ini_value(_required_text(outputs, "ssoStartUrl", source), START_URL, f"{source}: ssoStartUrl")
    sso_region = ini_value(_required_text(outputs, "ssoRegion", source), REGION, f"{source}: ssoRegion")
    account_ids = outputs.get("accountIds")
    if not isinstance(account_ids, dict):
        raise SsoSourceError(f"{source} has no accountIds mapping (account name -> id)")
    ids = {name: value for name, value in account_ids.items() if isinstance(value, str)}
    ids[identity.management_account_name] = _required_text(outputs, "managementAccountId", source)
    reachable = set()
    for grant in expand_access(identity, config.structure):
        if grant.group not in groups:
            continue
        account_id = ids.get(grant.account)
        if account_id is None:
            raise SsoSourceError(
                f"{source} has no id for account '{grant.account}' in accountIds: "
                "was the stack updated (pulumi up) since the account was added?"
            )
        if not ACCOUNT_ID.matches(account_id):
            raise SsoSourceError(
                f"{source}: '{account_id}' (account '{grant.account}') is not a 12-digit account id"
            )
        reachable.add(Reachable(grant.account, account_id, grant.permission_set))
    return SsoAccess(start_url, sso_region, tuple(sorted(reachable)), mocked=mocked)


def _required_text(outputs: Mapping[str, Any], key: str, source: str) -> str:
    value = outputs.get(key)
    if not isinstance(value, str) or not value:
        raise SsoSourceError(f"{source} has no {key} output: is the stack's Identity Center config deployed?")
    return value


def ini_value(value: str, rule: Matching, what: str) -> str:
    """`value` if it may enter an AWS config file: one line of printable text that `rule` accepts.

    Every value `render_sections` writes passes here (where it enters the program too, for a
    message naming its source): a newline or a `[` at a line's start would add sections or keys
    the AWS CLI obeys (a `[profile default]` with a `credential_process`). `what` names the value.
    """
    unsafe = any(unicodedata.category(char).startswith(_UNSAFE_CATEGORIES) for char in value)
    if unsafe or value.lstrip().startswith(("[", "]")) or not rule.matches(value):
        raise SsoSourceError(f"{what}: {value!r} is not {rule.words}")
    return value


def check_template(template: str, option: str) -> None:
    problem = placeholder_problem(template, TEMPLATE_FIELDS)
    if problem is not None:
        raise SsoSourceError(f"{option}: {problem}")


def check_session_name(name: str) -> None:
    if not PROFILE_NAME.fullmatch(name):
        raise SsoSourceError(f"sso-session name {excerpt(name)} may only have {PROFILE_WORDS}")


def profile_account(name: str, org: str | None = None) -> str:
    """An account's name as it reads in a profile name: the slug of its root email, with any
    character an INI section name cannot hold (a name with an explicit email may have some)
    made a hyphen. `Data Lake` -> `data-lake`, as in `aws-acme+data-lake@...`.

    With `org` (a template that already says `{org}`), a name that starts with the
    organization's code and a separator loses them, so `acme-dev` in org `acme` reads `dev`
    (not `acme-acme-dev`), whatever its case (`ACME_dev`). A name that is the code and nothing
    more (`acme`, `acme-`) keeps it: nothing would be left.
    """
    label = _PROFILE_UNSAFE.sub("-", account_slug(name))
    if org is None:
        return label
    code = _PROFILE_UNSAFE.sub("-", account_slug(org))
    head, rest = label[: len(code)], label[len(code) :]
    remainder = rest.lstrip(_ORG_SEPARATORS)
    # `acme_lab_dev` starts with the code `acme-lab` too: separators compare equal.
    starts_with_code = _same_separators(head) == _same_separators(code) and rest[:1] in tuple(_ORG_SEPARATORS)
    return remainder if starts_with_code and remainder else label


def _same_separators(text: str) -> str:
    return re.sub(f"[{re.escape(_ORG_SEPARATORS)}]", "-", text)


def _uses_org(template: str) -> bool:
    try:
        return any(name == "org" for _, name, _, _ in string.Formatter().parse(template))
    except ValueError:  # check_template reports it
        return False


def build_profiles(access: SsoAccess, options: ProfileOptions) -> list[Profile]:
    """One profile per reachable (account, permission set), named from the templates; with
    `options.credential_process`, one `<name>-process` profile beside each.

    Every name belongs to one (account, permission set), whatever the source: two that would
    share a name (`acme-dev` and `dev` in org `acme`, `Prod` and `prod`) stop it all, naming both.
    """
    check_template(options.admin_template, "--admin-template")
    check_template(options.template, "--template")
    check_session_name(options.session_name)
    for item in access.reachable:
        if len(item.account) > MAX_LIVE_ACCOUNT_NAME:
            raise SsoSourceError(
                f"account {item.account_id}: its name ({len(item.account)} characters, "
                f"{item.account[:20]!r}...) is longer than an AWS account name "
                f"({MAX_LIVE_ACCOUNT_NAME} characters)"
            )
    profiles: dict[str, Profile] = {}
    origin: dict[str, Reachable] = {}
    ordered = sorted(
        access.reachable,
        key=lambda r: (r.account, r.permission_set != options.admin_permission_set, r.permission_set),
    )
    org_in_templates = _uses_org(options.admin_template) or _uses_org(options.template)
    _check_accounts_read_apart(ordered, options.org if org_in_templates else None)
    for item in ordered:
        template = (
            options.admin_template
            if item.permission_set == options.admin_permission_set
            else options.template
        )
        name = substitute(
            template,
            {
                "org": options.org,
                "account": profile_account(item.account, options.org if _uses_org(template) else None),
                "account_id": item.account_id,
                "permission_set": item.permission_set,
            },
        )
        if not PROFILE_NAME.fullmatch(name):
            raise SsoSourceError(f"profile name '{name}' may only have {PROFILE_WORDS}")
        process_name = name + PROCESS_SUFFIX if options.credential_process is not None else None
        for taken in (name, process_name):
            if taken is not None:
                _claim(origin, taken, item)
        region = options.account_regions.get(item.account, options.region)
        profiles[name] = Profile(name, item.account_id, item.permission_set, region, process_name)
    return list(profiles.values())


def _claim(origin: dict[str, Reachable], name: str, item: Reachable) -> None:
    """Give `name` to `item`, or stop: another (account, permission set) has it."""
    first = origin.setdefault(name, item)
    if first == item:
        return
    if first.account_id != item.account_id:
        raise SsoSourceError(
            f"profile name '{name}' is made for two accounts: '{first.account}' ({first.account_id}, "
            f"{first.permission_set}) and '{item.account}' ({item.account_id}, {item.permission_set}): "
            "rename one of them, or add {account_id} to the template"
        )
    raise SsoSourceError(
        f"profile name '{name}' is made twice ({first.account}/{first.permission_set} and "
        f"{item.account}/{item.permission_set}): "
        "add {permission_set} or {account} to the template"
    )


def _check_accounts_read_apart(reachable: Sequence[Reachable], org: str | None) -> None:
    """Two accounts whose names read the same in profile names (`Production` and `production`,
    `prod!` and `prod?`, `acme-dev` and `dev` in org `acme`, or two accounts of one name) would
    share profiles: an account renamed to look like another would take over its profiles. Both
    are named, with their ids."""
    seen: dict[str, Reachable] = {}
    for item in reachable:
        for label in {profile_account(item.account), profile_account(item.account, org)}:
            first = seen.setdefault(label, item)
            if first.account_id != item.account_id:
                raise SsoSourceError(
                    f"accounts '{first.account}' ({first.account_id}) and '{item.account}' "
                    f"({item.account_id}) both read '{label}' in profile names: rename one of them"
                )


def process_command(argv: Sequence[str], profile: str) -> str:
    """The `credential_process` value that runs `argv --profile PROFILE`: each word quoted for a
    POSIX shell, which is how botocore (`compat_shell_split`, shlex on POSIX) and the other SDKs
    split it (the Go SDK runs `sh -c VALUE`: aws/aws-sdk-go-v2,
    credentials/processcreds/provider.go, DefaultNewCommandBuilder). A profile name needs no
    quotes, so the value never ends in one (the Go SDK would strip a pair around it all)."""
    return shlex.join([*argv, "--profile", profile])


def render_sections(access: SsoAccess, options: ProfileOptions, profiles: Sequence[Profile]) -> str:
    """The `[sso-session]` block and one `[profile]` block each, in AWS CLI v2 form."""
    session = ini_value(options.session_name, SECTION_NAME, "sso-session name")
    lines = [MOCKED_MARK] if access.mocked else []
    lines += [
        f"[sso-session {session}]",
        f"sso_start_url = {ini_value(access.start_url, START_URL, 'sso_start_url')}",
        f"sso_region = {ini_value(access.sso_region, REGION, 'sso_region')}",
        f"sso_registration_scopes = {REGISTRATION_SCOPES}",
    ]
    for profile in profiles:
        name = ini_value(profile.name, SECTION_NAME, "profile name")
        account_id = ini_value(profile.account_id, ACCOUNT_ID, f"profile {name}: sso_account_id")
        role_name = ini_value(profile.role_name, PERMISSION_SET_NAME, f"profile {name}: sso_role_name")
        region = ini_value(profile.region, REGION, f"profile {name}: region")
        lines += [
            "",
            f"[profile {name}]",
            f"sso_session = {session}",
            f"sso_account_id = {account_id}",
            f"sso_role_name = {role_name}",
            f"region = {region}",
        ]
        if profile.process_name is not None and options.credential_process is not None:
            process_name = ini_value(profile.process_name, SECTION_NAME, "profile name")
            command = ini_value(
                process_command(options.credential_process, name),
                COMMAND_LINE,
                f"profile {process_name}: credential_process",
            )
            lines += [
                "",
                f"[profile {process_name}]",
                f"credential_process = {command}",
                f"region = {region}",
            ]
    return "\n".join(lines) + "\n"
