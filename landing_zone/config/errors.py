"""Config problems, each naming the key it is about, reported together."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    key: str  # e.g. "landing-zone:accounts[3].email"
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.message}"


class ConfigError(Exception):
    """One or more problems in a stack's config; `problems` holds every one found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        heading = f"{count} problem{'s' if count != 1 else ''} in the stack config"
        super().__init__("\n".join([heading, *(f"  {p}" for p in self.problems)]))
