"""Labelled tasks run in one bounded thread pool, as `lz audit` and `lz preflight` run their checks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import TypeVar

Result = TypeVar("Result")
# (done, total, label of the task just finished): a progress line on a terminal.
Progress = Callable[[int, int, str], None]


def run_tasks(
    tasks: Sequence[tuple[str, Callable[[], list[Result]]]], max_workers: int, progress: Progress | None
) -> list[Result]:
    """Every task's results, in task order whatever order they finish in (a report reads the
    same on every run); at most `max_workers` tasks at once (AWS rate limits)."""
    results: list[list[Result]] = [[] for _ in tasks]
    with ThreadPoolExecutor(max_workers=max(1, max_workers)) as pool:
        futures = {pool.submit(run): index for index, (_, run) in enumerate(tasks)}
        for done, future in enumerate(as_completed(futures), start=1):
            index = futures[future]
            results[index] = future.result()
            if progress is not None:
                progress(done, len(tasks), tasks[index][0])
    return [result for chunk in results for result in chunk]
