"""`lz import`: the live organization as a stack config that adopts it without replacement.

Reads with `read_live_state`, turns the state into config sections with `build_stack`
(one section builder per domain in `SECTIONS`: organization, OUs, accounts, service control
policies, Identity Center), and renders a `Pulumi.<stack>.yaml` text with comments.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import ValidationError

from landing_zone.config import AccountConfig, ConfigError, LandingZoneConfig, load_from_mapping
from landing_zone.config.base import AWS_CONTACT_TYPES, DOMAIN, ORG_NAME, PHONE
from landing_zone.config.lifecycle import SUSPENDED_GUARDRAIL
from landing_zone.config.loading import shape_message
from landing_zone.config.naming import DEFAULT_EMAIL_PATTERN
from landing_zone.config.stack_yaml import STR_TAG, StackYamlError, core_tag, parse
from landing_zone.guardrails import catalog
from landing_zone.guardrails.policy_types import POLICY_TYPES, SERVICE_CONTROL_POLICY

from .contacts import LiveContact, read_contacts, read_member_contacts
from .errors import AWS_ERRORS, describe_error
from .identity_center import LiveIdentityCenter, read_identity_center
from .import_guardrails import guardrail_entries
from .import_identity import identity_center_section
from .organization import LiveOrganization, read_organization
from .session import Clients
from .shown import shown

log = logging.getLogger(__name__)

PLACEHOLDER_PHONE = "+1 555 0100"
_PLUS_ADDRESSED = re.compile(r"^aws-([a-z0-9][a-z0-9-]*)\+")


class ImportProblem(Exception):
    """The live organization cannot be written as a valid stack (listed problems)."""


@dataclass(frozen=True)
class ImportOptions:
    org_name: str | None = None
    domain: str | None = None
    notification_email: str | None = None
    email_pattern: str = DEFAULT_EMAIL_PATTERN
    # False: the organization is looked up (read-only). True: `import: o-...` adopts it, with
    # its live feature set, policy types and trusted services, so nothing about it changes.
    manage_organization: bool = False
    region: str | None = None


@dataclass(frozen=True)
class LiveState:
    organization: LiveOrganization
    identity_center: LiveIdentityCenter | None
    management_contacts: dict[str, LiveContact]
    member_contacts: dict[str, dict[str, LiveContact]]
    notes: tuple[str, ...] = ()  # what could not be read, for the file's header


@dataclass
class Section:
    key: str  # without the namespace, e.g. "accounts"
    value: Any
    comments: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AccountFile:
    """One file of the accounts folder (`--accounts-dir`): the accounts of one OU."""

    path: str  # relative to the project directory, POSIX
    accounts: list[dict[str, Any]]
    text: str


@dataclass(frozen=True)
class ImportedStack:
    values: dict[str, Any]  # the `config:` mapping, as `lz validate` reads it
    text: str
    summary: list[str]
    # With an accounts folder: its files (the stack file names the folder in accountFiles).
    account_files: tuple[AccountFile, ...] = ()
    # The config of the import with every account inline: what the stack and its files load as.
    config: LandingZoneConfig | None = None


def read_live_state(clients: Clients) -> LiveState:
    organization = read_organization(clients)
    notes = []
    identity_center = None
    try:
        identity_center = read_identity_center(clients)
        if identity_center is not None:
            notes += [f"Identity Center: {note}" for note in identity_center.notes]
    except AWS_ERRORS as err:
        notes.append(f"Identity Center not read: {describe_error(err)}")
    management_contacts: dict[str, LiveContact] = {}
    member_contacts: dict[str, dict[str, LiveContact]] = {}
    try:
        management_contacts = read_contacts(clients)
        member_contacts = read_member_contacts(
            clients, [a.id for a in organization.member_accounts if a.active]
        )
    except AWS_ERRORS as err:
        notes.append(
            f"alternate contacts not read (trusted access for account.amazonaws.com?): {describe_error(err)}"
        )
    return LiveState(organization, identity_center, management_contacts, member_contacts, tuple(notes))


@dataclass
class _Context:
    state: LiveState
    options: ImportOptions
    namespace: str
    org_section: dict[str, Any] = field(default_factory=dict)
    # The sections written so far, by key: later ones refer to OUs and accounts by import id.
    written: dict[str, Any] = field(default_factory=dict)

    @property
    def live(self) -> LiveOrganization:
        return self.state.organization

    def config_with_organization(self) -> LandingZoneConfig:
        return LandingZoneConfig.model_validate({"organization": self.org_section})

    def config_so_far(self) -> LandingZoneConfig:
        return LandingZoneConfig.model_validate(self.written)


def organization_section(ctx: _Context) -> Section:
    live, options = ctx.live, ctx.options
    management_email = live.management_email
    comments = []
    domain = (options.domain or management_email.rpartition("@")[2]).lower()
    if not DOMAIN.matches(domain):
        raise ImportProblem(f"cannot derive a domain from {management_email!r}; pass --domain")
    org_name = options.org_name or _org_name_from(management_email, domain)
    if not ORG_NAME.matches(org_name):
        raise ImportProblem(f"--org-name: {org_name!r} is not a short lowercase code like acme")
    security = ctx.state.management_contacts.get("SECURITY")
    notification_email = options.notification_email or (security.email if security else management_email)
    if not options.notification_email:
        source = "the management account's SECURITY contact" if security else "the management account's email"
        comments.append(f"notificationEmail comes from {source}: point it at a distribution list")
    contacts = {}
    for contact_type in AWS_CONTACT_TYPES:
        live_contact = ctx.state.management_contacts.get(contact_type)
        key = contact_type.lower()
        if live_contact is None or not PHONE.matches(live_contact.phone):
            why = "is not set" if live_contact is None else "has a phone number AWS config cannot take"
            comments.append(
                f"PLACEHOLDER organization.contacts.{key}: the management account's {contact_type} contact "
                f"{why}; every member account gets this contact on `pulumi up`"
            )
            contacts[key] = {
                "name": f"{contact_type.title()} contact (placeholder)",
                "title": "Replace me",
                "phone": PLACEHOLDER_PHONE,
            }
            continue
        contacts[key] = {"name": live_contact.name, "title": live_contact.title, "phone": live_contact.phone}
        if live_contact.email != notification_email:
            contacts[key]["email"] = live_contact.email
    section: dict[str, Any] = {"name": org_name, "domain": domain}
    if options.manage_organization:
        # enabledPolicyTypes is the whole list: a type it cannot name would be disabled on the
        # first `pulumi up`, detaching every policy of that type.
        unnamed = [t for t in live.enabled_policy_types if t not in POLICY_TYPES]
        if unnamed:
            raise ImportProblem(
                f"--manage-organization: the root enables {', '.join(shown(t) for t in unnamed)}, which "
                "pulumi-aws cannot list in enabledPolicyTypes; managing the organization would disable "
                "it and detach its policies: import without --manage-organization"
            )
        section.update(
            {
                "import": live.id,
                "featureSet": live.feature_set,
                "enabledPolicyTypes": _config_policy_types(live),
                "awsServiceAccessPrincipals": list(live.service_access_principals),
            }
        )
    else:
        comments.append(
            f"the organization {live.id} is looked up, not managed (lz import --manage-organization)"
        )
        # What the stack expects enabled: the policies it adopts need their types.
        if _config_policy_types(live) != [SERVICE_CONTROL_POLICY]:
            section["enabledPolicyTypes"] = _config_policy_types(live)
    section.update(
        {"emailPattern": options.email_pattern, "notificationEmail": notification_email, "contacts": contacts}
    )
    ctx.org_section = section
    ctx.written["organization"] = section
    return Section("organization", section, comments)


def organizational_units_section(ctx: _Context) -> Section:
    units = []
    for unit in ctx.live.organizational_units:
        entry: dict[str, Any] = {"path": unit.path, "import": unit.id}
        if unit.tags:
            entry["tags"] = dict(unit.tags)
        units.append(entry)
    ctx.written["organizationalUnits"] = units
    return Section("organizationalUnits", units)


def accounts_section(ctx: _Context) -> Section:
    config = ctx.config_with_organization()
    accounts, comments = [], []
    live = ctx.live
    for account in live.member_accounts:
        if not account.active:
            comments.append(f"not imported: {account.id} {account.name} is {account.status}")
            continue
        entry: dict[str, Any] = {"name": account.name}
        if account.ou_path is not None:
            entry["ou"] = account.ou_path
        if config.email_for(AccountConfig(name=account.name)) != account.email:
            entry["email"] = account.email  # off the pattern: kept as it is (changing it would replace)
        entry["import"] = account.id
        if account.tags:
            entry["tags"] = dict(account.tags)
        overrides = _contact_overrides(config, ctx.state.member_contacts.get(account.id, {}))
        if overrides:
            entry["contacts"] = overrides
        accounts.append(entry)
    ctx.written["accounts"] = accounts
    return Section("accounts", accounts, comments)


def _contact_overrides(config: LandingZoneConfig, live: Mapping[str, LiveContact]) -> dict[str, Any]:
    """What keeps a member's live contacts as they are, against the organization's defaults."""
    defaults = config.contacts_for(AccountConfig(name="defaults"))
    overrides: dict[str, Any] = {}
    for contact_type, contact in live.items():
        default = defaults[contact_type.lower()]  # type: ignore[index]
        changed = {
            key: value
            for key, value in (
                ("name", contact.name),
                ("title", contact.title),
                ("phone", contact.phone),
                ("email", contact.email),
            )
            if value and value != getattr(default, key)
        }
        if changed and PHONE.matches(changed.get("phone", PLACEHOLDER_PHONE)):
            overrides[contact_type.lower()] = changed
    return overrides


def _config_policy_types(live: LiveOrganization) -> list[str]:
    """The live root's enabled types the config can name (pulumi-aws's), in AWS's order."""
    return [t for t in POLICY_TYPES if t in live.enabled_policy_types]


def guardrails_section(ctx: _Context) -> Section | None:
    entries, comments = guardrail_entries(ctx.live, ctx.config_so_far())
    _adopt_suspended_ou(ctx, entries, comments)
    return Section("guardrails", entries, comments) if entries or comments else None


def _adopt_suspended_ou(ctx: _Context, entries: list[dict[str, Any]], comments: list[str]) -> None:
    """An OU that alone carries the deny-all-suspended guardrail is the organization's suspended OU
    (`organization.suspendedOu`), and the accounts in it are suspended ones: written otherwise,
    the imported config would say they are active in an OU where nothing works."""
    targets = [
        entry.get("organizationalUnits", [])
        for entry in entries
        if entry.get("guardrail") == SUSPENDED_GUARDRAIL
        and not entry.get("root")
        and not entry.get("accounts")
    ]
    if len(targets) != 1 or len(targets[0]) != 1:
        return  # none, or placed where validation names what is wrong
    path = targets[0][0]
    ctx.org_section["suspendedOu"] = path
    suspended = [a for a in ctx.written["accounts"] if a.get("ou") == path]
    for account in suspended:
        account["state"] = "suspended"
    comments.append(
        f"organization.suspendedOu is {path}, the OU {SUSPENDED_GUARDRAIL} is attached to"
        + (f"; its accounts are suspended: {', '.join(a['name'] for a in suspended)}" if suspended else "")
    )


def identity_center_config_section(ctx: _Context) -> Section | None:
    center = ctx.state.identity_center
    if center is None or not (center.permission_sets or center.groups or center.users):
        return None
    value, comments = identity_center_section(center, ctx.live, ctx.config_so_far())
    return Section("identityCenter", value, comments)


SectionBuilder = Callable[[_Context], Section | None]
# Order matters: accounts use the organization's pattern and contacts; guardrails and Identity
# Center name the OUs and accounts written before them.
SECTIONS: tuple[SectionBuilder, ...] = (
    organization_section,
    organizational_units_section,
    accounts_section,
    guardrails_section,
    identity_center_config_section,
)


MAX_COMMENT = 300  # characters of a comment line; live text beyond is cut


def build_stack(
    state: LiveState, options: ImportOptions, namespace: str, stack: str, accounts_dir: str | None = None
) -> ImportedStack:
    """The stack file for the live organization; with `accounts_dir` (relative to the project),
    its accounts in one file per OU in that folder, named by the stack's accountFiles."""
    ctx = _Context(state, options, namespace)
    try:
        sections = [section for builder in SECTIONS if (section := builder(ctx)) is not None]
    except ValidationError as err:
        # A live value the config model cannot hold (an account name of 51 characters, ...).
        problems = "\n".join(f"  {'.'.join(map(str, e['loc']))}: {shape_message(e)}" for e in err.errors())
        raise ImportProblem(f"the live organization does not fit the config model:\n{problems}") from None
    values: dict[str, Any] = {"aws:region": options.region or "us-east-1"}
    values.update({f"{namespace}:{s.key}": s.value for s in sections})
    try:
        config = load_from_mapping(values, namespace)
    except ConfigError as err:
        raise ImportProblem(
            "the live organization does not fit the config rules:\n"
            + "\n".join(f"  {p}" for p in err.problems)
        ) from None
    summary = _summary(state, sections)
    files: tuple[AccountFile, ...] = ()
    if accounts_dir is not None and values[f"{namespace}:accounts"]:
        files = account_files(state, accounts_dir, values[f"{namespace}:accounts"])
        sections, values = _with_account_files(sections, values, namespace, accounts_dir, files)
        summary.append(f"the accounts in {len(files)} files under {accounts_dir}/, one per OU")
    header = _header(state, stack, summary)
    text = render(header, values.get("aws:region"), namespace, sections)
    read_back(text, values)
    return ImportedStack(values=values, text=text, summary=summary, account_files=files, config=config)


ROOT_ACCOUNTS = "root"  # the file of the accounts directly under the root: <dir>/root.yaml
MAX_FILE_NAME = 100  # characters of one folder or file name taken from an OU name


def account_files(
    state: LiveState, accounts_dir: str, accounts: list[dict[str, Any]]
) -> tuple[AccountFile, ...]:
    """The accounts as one file per OU, named from its path (`Workloads/bu00` ->
    `<dir>/Workloads/bu00.yaml`). Live names are untrusted: each name keeps only letters, digits,
    `-` and `_` (no `/`, `..`, leading dot the loader would skip, control character or `.yaml`
    folder beside a file), and names equal but for case get a suffix (case-insensitive disks)."""
    by_ou: dict[str | None, list[dict[str, Any]]] = {}
    for entry in accounts:
        by_ou.setdefault(entry.get("ou"), []).append(entry)
    taken: set[str] = set()
    files = []
    for ou in sorted(by_ou, key=lambda path: (path is not None, path or "")):
        parts = [ROOT_ACCOUNTS] if ou is None else [_file_name(name) for name in ou.split("/")]
        stem, number = "/".join(parts), 1
        while stem.casefold() in taken:
            number += 1
            stem = "/".join([*parts[:-1], f"{parts[-1]}-{number}"])
        taken.add(stem.casefold())
        path = f"{accounts_dir}/{stem}.yaml"
        where = "directly under the root" if ou is None else f"of OU {ou}"
        header = [
            f"Accounts {where}, written by `lz import` from organization {state.organization.id}.",
            "Read by the stack through landing-zone:accountFiles; each entry as in landing-zone:accounts.",
        ]
        text = "\n".join(
            [*(_comment(line, "") for line in header), *_emitted_document({"accounts": by_ou[ou]})]
        )
        files.append(AccountFile(path, by_ou[ou], text + "\n"))
    return tuple(files)


def _file_name(name: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", name)[:MAX_FILE_NAME]
    # A name of dots or symbols only ("..", "."): its bytes in hex, never a path step.
    return safe if safe.strip("_") else "_" + name.encode("utf-8").hex()[: MAX_FILE_NAME - 1]


def _with_account_files(
    sections: list[Section],
    values: dict[str, Any],
    namespace: str,
    accounts_dir: str,
    files: tuple[AccountFile, ...],
) -> tuple[list[Section], dict[str, Any]]:
    """The stack file's sections and values with `accountFiles: [dir]` where the accounts were."""
    accounts_key = f"{namespace}:accounts"
    replaced = []
    for section in sections:
        if section.key == "accounts":
            count = sum(len(file.accounts) for file in files)
            comments = [
                *section.comments,
                f"{count} accounts in {len(files)} files under {accounts_dir}/, one per OU",
            ]
            section = Section("accountFiles", [accounts_dir], comments)
        replaced.append(section)
    stack_values = {}
    for key, value in values.items():
        if key == accounts_key:
            key, value = f"{namespace}:accountFiles", [accounts_dir]
        stack_values[key] = value
    return replaced, stack_values


def _summary(state: LiveState, sections: list[Section]) -> list[str]:
    live = state.organization
    by_key = {s.key: s for s in sections}
    accounts = by_key["accounts"].value
    explicit = sum(1 for a in accounts if "email" in a)
    lines = [
        f"{len(by_key['organizationalUnits'].value)} organizational units, {len(accounts)} accounts "
        f"({explicit} with an explicit email), each with its import id",
        f"organization {live.id}: "
        + ("imported (managed)" if "import" in by_key["organization"].value else "looked up"),
    ]
    guardrails = by_key["guardrails"].value if "guardrails" in by_key else []
    catalog_matches = sum(1 for g in guardrails if "guardrail" in g)
    attachments = sum(len(g["import"]["attachments"]) for g in guardrails)
    types = Counter(
        catalog()[g["guardrail"]].policy_type if "guardrail" in g else g.get("type", SERVICE_CONTROL_POLICY)
        for g in guardrails
    )
    policies = (
        "service control policies"
        if set(types) <= {SERVICE_CONTROL_POLICY}
        else "organization policies ("
        + ", ".join(f"{count} {POLICY_TYPES[t].plural}" for t, count in sorted(types.items()))
        + ")"
    )
    lines.append(
        "no organization policies to adopt"
        if not guardrails
        else f"{len(guardrails)} {policies} ({catalog_matches} from the catalog, "
        f"{len(guardrails) - catalog_matches} as documents), {attachments} attachments, "
        "each with its import id"
    )
    center = state.identity_center
    if center is None:
        lines.append("Identity Center: no instance found, nothing written")
    elif "identityCenter" not in by_key:
        lines.append("Identity Center: empty, nothing written")
    else:
        identity = by_key["identityCenter"].value
        assignments = sum(len(r["permissionSets"]) * len(r["accounts"]) for r in identity.get("access", []))
        lines.append(
            f"Identity Center: {len(identity['permissionSets'])} permission sets, "
            f"{len(identity['groups'])} groups, "
            f"{len(identity.get('users', []))} users, {assignments} group assignments "
            f"(of {len(center.assignments)} live), each with its import id"
        )
    return lines


def _header(state: LiveState, stack: str, summary: list[str]) -> list[str]:
    live = state.organization
    management = live.management_account
    lines = [
        f"Written by `lz import` from organization {live.id}.",
        "Every OU, account, service control policy and attachment, and Identity Center permission set,",
        "group, user, membership and assignment carries its import id: the next `pulumi up` adopts them",
        "without replacing anything.",
        f"Check with `lz validate --stack {stack}` and `lz plan --stack {stack}`.",
        f"The management account {live.management_account_id}"
        + (f" ({management.name}, {management.email})" if management else "")
        + " is not listed: the landing zone manages member accounts only.",
        *summary,
        *state.notes,
    ]
    return lines


def render(header: list[str], region: Any, namespace: str, sections: list[Section]) -> str:
    """The stack file: comments (live text, escaped onto one line each) and the YAML emitter's
    own rendering of every value, indentation included: no hand-built value lines."""
    out = [_comment(line, "") for line in header]
    out += ["config:", *_emitted({"aws:region": region})]
    for section in sections:
        out += [_comment(comment, "  ") for comment in section.comments]
        out += _emitted({f"{namespace}:{section.key}": section.value})
    return "\n".join(out) + "\n"


def _comment(text: str, indent: str) -> str:
    # Live names reach comments: a newline in one must not start a line of YAML.
    return f"{indent}# {shown(text, MAX_COMMENT)}"


def _emitted(mapping: dict[str, Any]) -> list[str]:
    """`mapping` as it reads under `config:`, indented by the emitter itself (literal blocks
    with trailing newlines and all)."""
    dumped = yaml.dump({"config": mapping}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)
    return dumped.splitlines()[1:]


def _emitted_document(mapping: dict[str, Any]) -> list[str]:
    dumped = yaml.dump(mapping, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)
    return dumped.splitlines()


def read_back_account_file(text: str, file: AccountFile) -> None:
    """Refuse an account file that does not read back as its accounts."""
    try:
        document = parse(text)
    except StackYamlError as err:
        raise ImportProblem(f"{file.path} would not read back: {err}") from None
    if document != {"accounts": file.accounts}:
        raise ImportProblem(f"{file.path} would not read back as imported: nothing written")


def same_config(layout: LandingZoneConfig, inline: LandingZoneConfig) -> bool:
    """The layout loads as the inline import: the same entries (accounts in file order, which
    changes no resource: their logical names come from their names)."""

    def comparable(config: LandingZoneConfig) -> dict[str, Any]:
        dumped = config.model_dump()
        dumped["accounts"] = sorted(dumped["accounts"], key=lambda entry: entry["name"])
        dumped.pop("account_files")
        return dumped

    return comparable(layout) == comparable(inline)


def read_back(text: str, values: dict[str, Any]) -> None:
    """Refuse a rendering that does not read back as exactly `values` (as lz validate reads it)."""
    try:
        document = parse(text)
    except StackYamlError as err:
        raise ImportProblem(f"the written stack would not read back: {err}") from None
    config = document.get("config") if isinstance(document, dict) else None
    if config != values:
        differing = sorted(
            key for key in set(values) | set(config or {}) if (config or {}).get(key) != values.get(key)
        )
        raise ImportProblem(
            "the written stack would not read back as imported "
            f"({', '.join(differing) or 'its shape'} differ): nothing written"
        )


class _Dumper(yaml.SafeDumper):
    """Multi-line strings (policy documents) as literal blocks, the way people write them;
    no anchors; ids of digits always quoted."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        style: str | None = "|"
    elif core_tag(value) != STR_TAG:
        # PyYAML (YAML 1.1) quotes what it would read back as another type; Pulumi reads stack
        # files as YAML 1.2, where 066019281614, 1e3, 0o17 and -.5 are numbers, not strings.
        style = "'"
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _org_name_from(email: str, domain: str) -> str:
    local = email.partition("@")[0].lower()
    match = _PLUS_ADDRESSED.match(local)
    base = match.group(1) if match else domain.split(".")[0]
    return re.sub(r"[^a-z0-9-]", "-", base).strip("-")[:31] or "org"
