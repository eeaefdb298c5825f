"""The one way config checks report: every problem under the key a user would edit, all at once.

`Checker` collects problems; `under(...)` gives a view that reports below a prefix (one
domain's section), sharing the same list. The rules several domains apply (an account
reference, an email address, unique values) live here, so that every domain applies the
same ones. It imports only the base types and errors: every domain module may import it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field

from .base import EMAIL
from .errors import Problem

MAX_EMAIL_LENGTH = 64  # AWS Organizations' limit on an account's root email
# RFC 2606 / RFC 6761 names that never receive mail: fine for practice, wrong for production.
PLACEHOLDER_DOMAINS = frozenset({"example.com", "example.net", "example.org"})
PLACEHOLDER_TLDS = frozenset({"example", "test", "invalid", "localhost", "local"})

KeyPart = str | int
Key = tuple[KeyPart, ...]


def key_path(namespace: str, *parts: KeyPart) -> str:
    """`key_path("landing-zone", "accounts", 3, "email")` -> `landing-zone:accounts[3].email`."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return f"{namespace}:{text}"


def is_placeholder_domain(domain: str) -> bool:
    domain = domain.lower().rstrip(".")
    if domain.rsplit(".", 1)[-1] in PLACEHOLDER_TLDS:
        return True
    return any(domain == d or domain.endswith("." + d) for d in PLACEHOLDER_DOMAINS)


def repeats(values: Iterable[Hashable | None]) -> Iterator[tuple[int, int]]:
    """(position, position of its first occurrence) for every value seen before; None skipped."""
    first: dict[Hashable, int] = {}
    for position, value in enumerate(values):
        if value is None:
            continue
        if value in first:
            yield position, first[value]
        else:
            first[value] = position


@dataclass
class _Report:
    """What every view of one check run shares."""

    namespace: str
    account_names: frozenset[str]
    production: bool
    # Each problem (and warning) with the key parts it is under, for ordering.
    located: list[tuple[Key, Problem]] = field(default_factory=list)
    warned: list[tuple[Key, Problem]] = field(default_factory=list)


class Checker:
    """Reports problems under keys; `under` narrows the prefix for one section."""

    def __init__(
        self,
        namespace: str,
        *,
        account_names: Iterable[str] = (),
        production: bool = False,
        _shared: _Report | None = None,
        _prefix: Key = (),
    ) -> None:
        self._shared = _shared or _Report(namespace, frozenset(account_names), production)
        self._prefix = _prefix

    @property
    def problems(self) -> list[tuple[Key, Problem]]:
        """Every problem reported so far, with the key parts it is under, in report order."""
        return list(self._shared.located)

    @property
    def warnings(self) -> list[tuple[Key, Problem]]:
        """Every warning so far: allowed, but risky later (a change AWS could not make safely)."""
        return list(self._shared.warned)

    @property
    def production(self) -> bool:
        """Placeholder domains are refused (organization.production)."""
        return self._shared.production

    def under(self, *parts: KeyPart) -> Checker:
        """A view that reports below `parts`, into the same list of problems."""
        return Checker(self._shared.namespace, _shared=self._shared, _prefix=(*self._prefix, *parts))

    def at(self, *parts: KeyPart) -> Checker:
        """A view that reports below `parts` from the top of the config, whatever this view's
        prefix: for a value of another section that breaks a rule of this one (the
        organization's code in a name this section derives from it)."""
        return Checker(self._shared.namespace, _shared=self._shared, _prefix=tuple(parts))

    def report(self, parts: Iterable[KeyPart], message: str) -> None:
        located = (*self._prefix, *parts)
        self._shared.located.append((located, Problem(key_path(self._shared.namespace, *located), message)))

    def warn(self, parts: Iterable[KeyPart], message: str) -> None:
        """Not a problem today; said so that nobody is surprised by a later change."""
        located = (*self._prefix, *parts)
        self._shared.warned.append((located, Problem(key_path(self._shared.namespace, *located), message)))

    def account_defined(self, parts: Key, name: str) -> bool:
        """A reference to a member account by name: it must be one of `accounts`."""
        if name in self._shared.account_names:
            return True
        self.report(parts, f"account '{name}' is not defined in accounts")
        return False

    def email(self, parts: Key, address: str, origin: str = "") -> bool:
        """Format, length and (in production) placeholder-domain rules for one address.

        `origin` follows the address in messages, e.g. " (from organization.emailPattern)".
        """
        shown = f"'{address}'{origin}"
        if not EMAIL.matches(address):
            self.report(parts, f"{shown} is not {EMAIL.words}")
            return False
        if len(address) > MAX_EMAIL_LENGTH:
            self.report(parts, f"{shown} is {len(address)} characters; AWS allows at most {MAX_EMAIL_LENGTH}")
            return False
        domain = address.rsplit("@", 1)[1]
        if self.production and is_placeholder_domain(domain):
            self.report(
                parts,
                f"{shown} uses the placeholder domain {domain}, "
                "refused in a production stack (organization.production is true)",
            )
            return False
        return True
