"""Merging a managed block into an AWS config file without touching anything else.

The block sits between two marker comments named after its sso-session, so several
organizations (a consultancy's clients) can each have one. Outside the block every byte is
kept; a section of the same name outside the block stops the merge (the AWS CLI would refuse
the duplicate section, or one of the two would silently win). `update` does it all: it checks
what the path is, locks, reads, merges and replaces the file.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

BEGIN = "# BEGIN lz sso-config managed block: sso-session {name}"
NOTE = "# Rewritten by `lz sso-config --write`: edits inside this block are lost; add yours outside it."
END = "# END lz sso-config managed block: sso-session {name}"
SECTION = re.compile(r"^\s*\[\s*(?:(profile|sso-session)\s+)?([^\]]*?)\s*\]")
# Decoding that gives back the very same bytes, whatever the file holds.
ENCODING, ERRORS = "utf-8", "surrogateescape"
# How long a writer waits for another to finish before it gives up.
LOCK_WAIT_SECONDS = 10.0


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


def managed_sections(existing: str, session_name: str) -> str | None:
    """The text between the session's markers (what `merge` put there), or None without a
    whole block."""
    lines = existing.splitlines()
    begin_line, end_line = BEGIN.format(name=session_name), END.format(name=session_name)
    begins = [i for i, line in enumerate(lines) if line == begin_line]
    ends = [i for i, line in enumerate(lines) if line == end_line]
    if len(begins) != 1 or len(ends) != 1 or ends[0] < begins[0]:
        return None
    return "\n".join(lines[begins[0] + 1 : ends[0]]) + "\n"


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


def update(
    path: Path,
    session_name: str,
    sections: str,
    *,
    replace_read_only: bool = False,
    lock_wait: float = LOCK_WAIT_SECONDS,
) -> WriteOutcome:
    """Merge the session's block into the config file at `path`, holding its directory's lock
    from the read to the replace, so two writers at once each keep the other's block.

    A symlink is written through (the link stays); anything but a regular file (a device, a
    FIFO, a directory) is refused before it is opened, and so is a read-only file unless
    `replace_read_only`. A missing file, and its missing directories, are created private.
    """
    target = Path(os.path.realpath(path))
    # What the messages call the file: "it", or where the link leads.
    subject = "it" if target == Path(os.path.abspath(path)) else f"its target {target}"
    _check_writable(target, subject, replace_read_only)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with _locked(target.parent, lock_wait):
        # Again under the lock: another writer may have created it meanwhile.
        _check_writable(target, subject, replace_read_only)
        old = read_config(target)
        return write_atomically(target, old, merge(old or "", session_name, sections))


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
)


def _check_writable(target: Path, subject: str, replace_read_only: bool) -> None:
    try:
        status = os.stat(target)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(status.st_mode):
        kind = next((words for test, words in _KINDS if test(status.st_mode)), "not a regular file")
        raise MergeError(f"{subject} is {kind}, not a config file")
    read_only = not status.st_mode & stat.S_IWUSR or not os.access(target, os.W_OK)
    if read_only and not replace_read_only:
        raise MergeError(
            f"{subject} is read-only (mode {stat.S_IMODE(status.st_mode):04o}); "
            "make it writable or pass --replace-read-only"
        )


@contextlib.contextmanager
def _locked(directory: Path, wait: float) -> Iterator[None]:
    """An exclusive `flock` on the directory itself: no lock file is left beside the config,
    and a lock on the file would be lost when the file is replaced."""
    handle = os.open(directory, os.O_RDONLY)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise MergeError(
                        f"another lz sso-config is writing in {directory} (waited {wait:g}s for its lock); "
                        "try again"
                    ) from None
                time.sleep(0.02)
        yield
    finally:
        os.close(handle)  # releases the lock


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
        # Read back before it replaces anything.
        if Path(temporary).read_bytes() != data:
            raise OSError(errno.EIO, "the new file did not read back as written")
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
