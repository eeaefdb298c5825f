"""The cyclic garbage collector paused while a program registers under mocks.

Under the mock runtime CPython's cyclic collector is over half of a large plan's CPU time: each
registration allocates many container objects (futures, outputs, protobuf messages) that
survive, so collections run often and each older one walks everything registered so far, and
find next to nothing to free (docs/performance.md). Reference counting still frees everything
that is not in a cycle; the few cycles made during the run are kept (peak memory measured at +11%).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused(paused: bool = True) -> Iterator[None]:
    """Collector off inside; afterwards what exists is frozen (moved out of the collector's
    generations, so no later collection walks it again) and the collector is on again, if it was.
    Process-wide: the mock monitor's threads allocate too."""
    if not paused:
        yield
        return
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def collect_frozen() -> None:
    """Free what earlier paused runs left frozen: between the stacks `lz plan --all` plans in one
    process, each run's cycles would otherwise stay (about 90 MiB a stack of 250 accounts,
    docs/performance.md). One full collection, of what is alive then."""
    gc.unfreeze()
    gc.collect()
