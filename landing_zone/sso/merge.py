"""Merging a managed block into an AWS config file without touching anything else.

The block sits between two marker comments named after its sso-session, so several
organizations (a consultancy's clients) can each have one. Outside the block every byte is
kept; a section of the same name outside the block stops the merge (the AWS CLI would refuse
the duplicate section, or one of the two would silently win).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

BEGIN = "# BEGIN lz sso-config managed block: sso-session {name}"
NOTE = "# Rewritten by `lz sso-config --write`: edits inside this block are lost; add yours outside it."
END = "# END lz sso-config managed block: sso-session {name}"
SECTION = re.compile(r"^\s*\[\s*(?:(profile|sso-session)\s+)?([^\]]*?)\s*\]")
# Decoding that gives back the very same bytes, whatever the file holds.
ENCODING, ERRORS = "utf-8", "surrogateescape"


class MergeError(Exception):
    """The file cannot take the block without changing what is not ours."""


@dataclass(frozen=True)
class WriteOutcome:
    path: Path
    changed: bool
    backup: Path | None


def managed_block(session_name: str, sections: str, newline: str = "\n") -> str:
    lines = [
        BEGIN.format(name=session_name),
        NOTE,
        *sections.rstrip("\n").split("\n"),
        END.format(name=session_name),
    ]
    return newline.join(lines) + newline


def merge(existing: str, session_name: str, sections: str) -> str:
    """`existing` with the session's managed block replaced, or appended when it has none."""
    lines = existing.splitlines(keepends=True)
    begin_line, end_line = BEGIN.format(name=session_name), END.format(name=session_name)
    begins = [i for i, line in enumerate(lines) if line.rstrip("\r\n") == begin_line]
    ends = [i for i, line in enumerate(lines) if line.rstrip("\r\n") == end_line]
    newline = "\r\n" if "\r\n" in existing else "\n"
    block = managed_block(session_name, sections, newline)
    if not begins and not ends:
        _check_conflicts(lines, range(0), sections)
        if not existing:
            return block
        # Finish the user's last line, then leave one blank line before ours.
        separator = "" if existing.endswith(("\n", "\r")) else newline
        tail = (existing + separator)[len(existing.rstrip("\r\n")) :]
        if tail in ("\n", "\r\n", "\r"):
            separator += newline
        return existing + separator + block
    if len(begins) != 1 or len(ends) != 1 or ends[0] < begins[0]:
        where = ", ".join(str(i + 1) for i in sorted(begins + ends))
        raise MergeError(
            f"the managed block of sso-session {session_name} is broken (marker lines {where}): "
            "fix or remove it by hand"
        )
    start, stop = begins[0], ends[0]
    _check_conflicts(lines, range(start, stop + 1), sections)
    return "".join(lines[:start]) + block + "".join(lines[stop + 1 :])


def _check_conflicts(lines: list[str], managed: range, sections: str) -> None:
    ours = {_section_key(line) for line in sections.split("\n")} - {None}
    for number, line in enumerate(lines):
        if number in managed:
            continue
        key = _section_key(line)
        if key in ours:
            kind, name = key  # type: ignore[misc]
            raise MergeError(
                f"line {number + 1}: [{kind} {name}] is also defined outside the managed block; "
                "rename or remove it (lz sso-config never edits outside its block)"
            )


def _section_key(line: str) -> tuple[str, str] | None:
    match = SECTION.match(line)
    if match is None:
        return None
    kind, name = match.groups()
    # In ~/.aws/config, [default] and [profile default] are the same profile.
    return (kind or "profile", name)


def read_config(path: Path) -> str | None:
    """The file's text (byte-exact round trip), or None when it does not exist."""
    try:
        return path.read_bytes().decode(ENCODING, ERRORS)
    except FileNotFoundError:
        return None


def write_atomically(path: Path, old: str | None, new: str) -> WriteOutcome:
    """Replace `path` with `new` in one rename, after a backup of the old file.

    Nothing is written (and no backup made) when the content would not change. A symlinked
    config keeps its link: the file it points to is the one replaced.
    """
    target = Path(os.path.realpath(path))
    if old == new:
        return WriteOutcome(target, changed=False, backup=None)
    data = new.encode(ENCODING, ERRORS)
    backup = None
    if old is not None:
        backup = _backup_path(target)
        shutil.copy2(target, backup)
        mode = target.stat().st_mode & 0o7777
    else:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        mode = 0o600
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return WriteOutcome(target, changed=True, backup=backup)


def _backup_path(target: Path) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    candidate = target.with_name(f"{target.name}.lz-backup-{stamp}")
    counter = 1
    while candidate.exists():
        counter += 1
        candidate = target.with_name(f"{target.name}.lz-backup-{stamp}-{counter}")
    return candidate
