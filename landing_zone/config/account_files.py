"""Accounts and access rules kept in small YAML files beside the stack file (`accountFiles`).

A stack of thousands of accounts does not fit in the one environment variable Pulumi hands a
stack's config through (128 KiB on Linux, pulumi/pulumi#20402). `landing-zone:accountFiles`
names files and folders (relative to the project directory) holding, like account requests,

    accounts:            # entries of landing-zone:accounts
      - name: app0001-production
        ou: Workloads/bu00/Production
    access:              # entries of landing-zone:identityCenter.access
      - group: bu00-developers
        permissionSets: [Developer]
        organizationalUnits: [Workloads/bu00]

The program and every `lz` command read them: their entries follow the stack file's own, files
in path order, and an error names the file and the key in it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .checker import key_path
from .errors import Problem
from .excerpt import excerpt
from .stack_yaml import MAX_BYTES, StackYamlError, decode, parse
from .stacks import claimed_subtrees, owner_of

if TYPE_CHECKING:
    from .model import LandingZoneConfig

FILE_KEYS = ("accounts", "access")
SUFFIXES = (".yaml", ".yml")
# Bounds on what a folder may hold: 5,000 accounts one per file is far below them.
MAX_FILES = 20_000
MAX_TOTAL_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class Origin:
    """Where entries `start` to `start + count` of a merged list came from."""

    start: int
    count: int
    label: str  # "accounts/bu00.yaml: accounts"


@dataclass
class AccountFiles:
    """The entries the files add, and where each came from."""

    accounts: list[Any] = field(default_factory=list)
    access: list[Any] = field(default_factory=list)
    # Per merged list ("accounts", "identityCenter.access"): the spans that came from files.
    origins: dict[str, list[Origin]] = field(default_factory=lambda: {"accounts": [], "access": []})
    # The files read, relative to the project directory (POSIX), in order.
    files: list[str] = field(default_factory=list)


class AccountFilesError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def read_account_files(
    entries: Sequence[Any], project_dir: Path, key: str, first_account: int, first_access: int
) -> AccountFiles:
    """Read every file `entries` names (the value of the `key` config key), their accounts
    numbered from `first_account` and access rules from `first_access` in the merged lists."""
    problems: list[Problem] = []
    if not isinstance(entries, (list, tuple)):
        raise AccountFilesError([Problem(key, f"must be a list (got {excerpt(entries)})")])
    root = project_dir.resolve()
    paths: list[tuple[Path, str]] = []
    seen: dict[Path, str] = {}
    for index, entry in enumerate(entries):
        here = f"{key}[{index}]"
        try:
            found = list(_files_of(entry, root, here))
        except AccountFilesError as err:
            problems += err.problems
            continue
        for path in found:
            if path in seen:
                problems.append(
                    Problem(
                        here, f"{_relative(path, root)} is already read through {seen[path]}: name it once"
                    )
                )
                continue
            seen[path] = here
            paths.append((path, here))
    if len(paths) > MAX_FILES:
        problems.append(Problem(key, f"names {len(paths):,} files; at most {MAX_FILES:,} are read"))
    if problems:
        raise AccountFilesError(problems)
    result = AccountFiles()
    total = 0
    for path, _ in paths:
        label = _relative(path, root)
        try:
            size = path.stat().st_size
            total += size
            if total > MAX_TOTAL_BYTES:
                problems.append(Problem(key, f"the files hold more than {MAX_TOTAL_BYTES // 2**20} MB"))
                break
            content = _read(path, label)
        except AccountFilesError as err:
            problems += err.problems
            continue
        result.files.append(label)
        for name, target, first in (
            ("accounts", result.accounts, first_account),
            ("access", result.access, first_access),
        ):
            values = content.get(name, [])
            if values:
                result.origins[name].append(Origin(first + len(target), len(values), f"{label}: {name}"))
                target.extend(values)
    if problems:
        raise AccountFilesError(problems)
    return result


def files_named(entries: Sequence[Any], project_dir: Path, key: str) -> list[str]:
    """The files `entries` (the value of `key`) name, relative to the project directory (POSIX),
    as `read_account_files` finds them, without reading them."""
    root = project_dir.resolve()
    found: list[str] = []
    for index, entry in enumerate(entries):
        found += [_relative(path, root) for path in _files_of(entry, root, f"{key}[{index}]")]
    return found


def _files_of(entry: Any, root: Path, here: str) -> Iterator[Path]:
    """The YAML files an entry names: itself, or every `*.yaml`/`*.yml` below a folder in path
    order (names starting with `.` skipped); each inside the project directory."""
    if not isinstance(entry, str) or not entry.strip():
        raise AccountFilesError(
            [Problem(here, f"must be a path relative to the project (got {excerpt(entry)})")]
        )
    relative = Path(entry)
    if relative.is_absolute() or "\x00" in entry:
        raise AccountFilesError(
            [Problem(here, f"{excerpt(entry)} must be relative to the project directory")]
        )
    path = _inside(root / relative, root, here, entry)
    if path.is_file():
        if path.suffix not in SUFFIXES:
            raise AccountFilesError([Problem(here, f"{excerpt(entry)} is not a .yaml or .yml file")])
        yield path
        return
    if not path.is_dir():
        raise AccountFilesError([Problem(here, f"{excerpt(entry)}: no such file or folder in {root}")])
    visible = [
        candidate
        for candidate in path.rglob("*")
        if not any(part.startswith(".") for part in candidate.relative_to(path).parts)
    ]
    # rglob does not enter a linked folder: its accounts would leave the stack without a word.
    for candidate in visible:
        if candidate.is_symlink() and candidate.is_dir():
            shown = candidate.relative_to(root).as_posix()
            raise AccountFilesError(
                [Problem(here, f"{excerpt(shown)} is a link to a folder: name the folder itself instead")]
            )
    found = sorted(c for c in visible if c.suffix in SUFFIXES and c.is_file())
    if not found:
        raise AccountFilesError(
            [
                Problem(
                    here,
                    f"folder {excerpt(entry)} holds no .yaml files (an empty folder would remove "
                    "every account it held from the stack)",
                )
            ]
        )
    for candidate in found:
        yield _inside(candidate, root, here, str(candidate.relative_to(root)))


def _inside(path: Path, root: Path, here: str, shown: str) -> Path:
    """`path` with links resolved, refused outside the project (a link to /etc, `../..`)."""
    resolved = path.resolve()
    if resolved != root and root not in resolved.parents:
        raise AccountFilesError([Problem(here, f"{excerpt(shown)} is outside the project directory {root}")])
    return resolved


def _read(path: Path, label: str) -> dict[str, list[Any]]:
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
        document = parse(decode(data))
    except OSError as err:
        raise AccountFilesError([Problem(label, f"cannot be read: {err.strerror}")]) from None
    except StackYamlError as err:
        where = f"{label}: {err.key}" if err.key is not None else label
        raise AccountFilesError([Problem(where, err.message)]) from None
    if document is None or document == {}:
        raise AccountFilesError(
            [
                Problem(
                    label,
                    "is empty: a file holds 'accounts' and/or 'access' lists (a file that lost its "
                    "accounts would remove them from the stack)",
                )
            ]
        )
    if not isinstance(document, dict):
        raise AccountFilesError([Problem(label, "must be a mapping with 'accounts' and/or 'access' lists")])
    problems = []
    for name, value in document.items():
        if name not in FILE_KEYS:
            problems.append(
                Problem(f"{label}: {excerpt(name, quote=False)}", "unknown key; known keys: accounts, access")
            )
        elif not isinstance(value, list) or not value:
            problems.append(Problem(f"{label}: {name}", f"must be a non-empty list (got {excerpt(value)})"))
    if problems:
        raise AccountFilesError(problems)
    return document


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def relocate(problem: Problem, namespace: str, files: AccountFiles) -> Problem:
    """`problem` under the file an entry came from: `landing-zone:accounts[12].email` reads
    `accounts/bu00.yaml: accounts[2].email`; references in the message move the same way."""
    return Problem(_relocated(problem.key, namespace, files), _relocated(problem.message, namespace, files))


def _relocated(text: str, namespace: str, files: AccountFiles) -> str:
    ns = re.escape(namespace)
    for merged, pattern, own in (
        ("accounts", rf"(?<![\w.])(?:{ns}:)?accounts\[(\d+)\]", f"{namespace}:accounts"),
        (
            "access",
            rf"(?<![\w.])(?:{ns}:)?(?:identityCenter\.)?access\[(\d+)\]",
            f"{namespace}:identityCenter.access",
        ),
    ):
        text = re.sub(pattern, functools.partial(_locate, files.origins[merged], own), text)
    return text


def _locate(origins: list[Origin], own: str, match: re.Match[str]) -> str:
    """The file's entry a merged index stands for; the stack file's own entry by its full key
    (a bare `accounts[1]` beside a file's key would read as that file's)."""
    index = int(match.group(1))
    for origin in origins:
        if origin.start <= index < origin.start + origin.count:
            return f"{origin.label}[{index - origin.start}]"
    return f"{own}[{index}]"


def check_file_access_rules(
    config: LandingZoneConfig, origins: list[Origin], namespace: str
) -> list[Problem]:
    """An access rule from an account file grants on the accounts of one stack only: a team's
    file never reaches another slice's accounts (organization-wide rules live in the stack file)."""
    identity = config.identity_center
    if identity is None or not config.account_stacks:
        return []
    structure = config.structure
    claimed = claimed_subtrees(config.account_stacks)
    stack_of = {a.name: owner_of(a, claimed) or "the organization stack" for a in structure.accounts}
    stack_of[identity.management_account_name] = "the organization stack"
    problems = []
    for origin in origins:
        for index in range(origin.start, origin.start + origin.count):
            rule = identity.access[index]
            key = key_path(namespace, "identityCenter", "access", index)
            if rule.all_member_accounts:
                problems.append(
                    Problem(
                        key,
                        "allMemberAccounts reaches every stack's accounts: an organization-wide "
                        "rule belongs in the organization stack's file",
                    )
                )
                continue
            names = set(rule.accounts)
            for path in rule.organizational_units:
                names.update(structure.accounts_in_ou(path))
            # Where a grant is made: a suspended or closed account gets none (expand_access).
            names &= structure.active_account_names | {identity.management_account_name}
            stacks = sorted({stack_of[name] for name in names if name in stack_of})
            if len(stacks) > 1:
                problems.append(
                    Problem(
                        key,
                        f"grants on accounts of {' and '.join(stacks)}: a rule in an account file "
                        "stays within one stack's accounts (split it, or move it to the organization "
                        "stack's file)",
                    )
                )
    return problems
