"""Leaving `lz` without the interpreter's teardown.

At exit CPython runs final garbage collections and frees every object one by one: after a
large `lz plan` that is a third of a second or more of work whose result nobody sees
(docs/performance.md). `exit_now` does what a normal exit must keep (atexit handlers, such
as logging's flush and weakref finalizers, then the standard streams) and skips the rest.
Only the process's entry points call it, never `main()`: tests run `main()` in-process.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import sys

# What CPython exits with when flushing stdout fails at exit (e.g. a closed pipe).
EXIT_FLUSH_FAILED = 120


def exit_now(code: int) -> None:
    atexit._run_exitfuncs()  # atexit's own flush: what sys.exit would run first
    gc.freeze()  # nothing left to collect: no collection may start while the streams flush
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        code = EXIT_FLUSH_FAILED
    with contextlib.suppress(OSError, ValueError):  # nowhere left to report it
        sys.stderr.flush()
    os._exit(code)
