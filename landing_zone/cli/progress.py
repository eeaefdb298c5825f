"""The progress line of the commands that work through many accounts (audit, preflight)."""

from __future__ import annotations

from typing import TextIO

from landing_zone.live.shown import shown


class StderrProgress:
    """`[3/12] account 111122223333 (dev)` on one rewritten line, only on a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.width = 0

    def __call__(self, done: int, total: int, label: str) -> None:
        if not self.enabled:
            return
        line = f"[{done}/{total}] {shown(label, 100)}"
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = max(self.width, len(line))

    def finish(self) -> None:
        if self.enabled and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
