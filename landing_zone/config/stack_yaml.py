"""Reading a stack file's YAML the way Pulumi reads it, bounded against hostile input.

Pulumi reads `Pulumi.<stack>.yaml` as YAML 1.2: `yes`, `1_000` and `2024-01-01` are strings,
`066019281614` and `1e3` are numbers. PyYAML's libyaml parser (fast: a 1000-account stack in a
tenth of a second) does the scanning; the YAML 1.2 core schema decides what a plain scalar is.
Every number remembers the text it was written as, so an error can say "quote it" with that text.

Bounds: the file's size, the values it expands to through aliases (a few hundred bytes of
anchors can otherwise stand for billions of values), and duplicate keys (Pulumi would keep the
last one without a word) are refused with the line numbers.
"""

from __future__ import annotations

import codecs
import math
import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from .excerpt import excerpt

MAX_BYTES = 4 * 1024 * 1024
# Values (scalars, lists and mappings) after alias expansion: a 1000-account stack has about 11,000.
MAX_VALUES = 200_000
MAX_NUMBER_LENGTH = 100
_MERGE_TAG = "tag:yaml.org,2002:merge"
STR_TAG = "tag:yaml.org,2002:str"

_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


class StackYamlError(Exception):
    """What is wrong with a stack file's text; `key` is the config key when one is to blame."""

    def __init__(self, message: str, key: str | None = None) -> None:
        self.message = message
        self.key = key
        super().__init__(message)


class WrittenInt(int):
    """An integer and the text it was written as (`066019281614`, `0o17`)."""

    written: str


class WrittenFloat(float):
    """A float and the text it was written as (`1e3`, `-.5`)."""

    written: str


# A stack file's values may be written out again (tests, tools): a number as the number it is.
yaml.SafeDumper.add_representer(WrittenInt, yaml.SafeDumper.represent_int)
yaml.SafeDumper.add_representer(WrittenFloat, yaml.SafeDumper.represent_float)


def decode(data: bytes) -> str:
    """UTF-8 text (a byte-order mark dropped), or a StackYamlError naming what was found."""
    if len(data) > MAX_BYTES:
        raise StackYamlError(f"is larger than {MAX_BYTES // (1024 * 1024)} MB, the limit for a stack file")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            raise StackYamlError(
                f"is {encoding} (as Windows PowerShell writes files); UTF-8 is expected: save it as UTF-8"
            )
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise StackYamlError(
            f"has a NUL byte on line {line} (UTF-16 without a byte-order mark?); UTF-8 is expected"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        byte = data[err.start]
        raise StackYamlError(
            f"is not UTF-8: byte 0x{byte:02x} on line {line} (Latin-1 or Windows-1252?); "
            "UTF-8 is expected: save it as UTF-8"
        ) from None


def parse(text: str) -> Any:
    """The document in `text`, read as YAML 1.2, or a StackYamlError."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_tree(node)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as err:
        raise StackYamlError(f"is not valid YAML: {_describe(err)}") from None
    except yaml.YAMLError as err:
        raise StackYamlError(f"is not valid YAML: {excerpt(str(err), 200)}") from None
    except RecursionError:
        raise StackYamlError("is not valid YAML: nested too deeply") from None
    finally:
        loader.dispose()


def _describe(err: yaml.MarkedYAMLError) -> str:
    problem = err.problem or err.context or "error"
    mark = err.problem_mark or err.context_mark
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
    # The problem's own words, never the offending line itself (it may be megabytes long).
    return f"{excerpt(problem, 200, quote=False)}{where}"


# The YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
_CORE_SCALARS = (
    ("tag:yaml.org,2002:null", r"~|null|Null|NULL|", "~nN"),
    ("tag:yaml.org,2002:bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
    ("tag:yaml.org,2002:int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN",
        "-+.0123456789",
    ),
    # Merge keys: not in YAML 1.2, but Pulumi's YAML reader (go-yaml) honours them.
    (_MERGE_TAG, r"<<", "<"),
)


class _Resolver(BaseResolver):
    pass


for _tag, _regexp, _first in _CORE_SCALARS:
    _Resolver.add_implicit_resolver(_tag, re.compile(rf"^(?:{_regexp})$"), list(_first))
# The empty scalar is null: the resolver looks it up under the empty first character.
_Resolver.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^$"), [""])


def core_tag(text: str) -> str:
    """The tag a plain scalar gets in YAML 1.2 (`...:str` when it is a string)."""
    return _Resolver().resolve(ScalarNode, text, (True, False))


class _Constructor(SafeConstructor):
    def construct_written_int(self, node: Node) -> WrittenInt:
        text = _short_number(node)
        sign = -1 if text.startswith("-") else 1
        digits = text.lstrip("+-")
        if digits.startswith("0o"):
            value = int(digits[2:], 8)
        elif digits.startswith("0x"):
            value = int(digits[2:], 16)
        else:
            value = int(digits, 10)
        number = WrittenInt(sign * value)
        number.written = text
        return number

    def construct_written_float(self, node: Node) -> WrittenFloat:
        text = _short_number(node)
        lowered = text.lower()
        if lowered.endswith(".inf"):
            value = -math.inf if lowered.startswith("-") else math.inf
        elif lowered == ".nan":
            value = math.nan
        else:
            value = float(text)
        number = WrittenFloat(value)
        number.written = text
        return number


def _short_number(node: Node) -> str:
    text = str(node.value)
    if len(text) > MAX_NUMBER_LENGTH:
        raise ConstructorError(None, None, f"a number of {len(text)} digits", node.start_mark)
    return text


_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_written_int)
_Constructor.add_constructor("tag:yaml.org,2002:float", _Constructor.construct_written_float)
# `<<` as a value rather than a key is the text it is.
_Constructor.add_constructor(_MERGE_TAG, SafeConstructor.construct_yaml_str)

try:
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = None


if _Parser is not None:

    class _Loader(_Parser, _Constructor, _Resolver):  # type: ignore[misc,valid-type]
        def __init__(self, stream: str) -> None:
            _Parser.__init__(self, stream)
            _Constructor.__init__(self)
            _Resolver.__init__(self)

else:  # pragma: no cover - PyYAML built without libyaml

    class _Loader(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _Constructor,
        _Resolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _Constructor.__init__(self)
            _Resolver.__init__(self)


@dataclass
class _Visit:
    node: Node
    parent: _Visit | None
    step: str | int
    done: bool = False

    def path(self) -> str:
        """The key path to this value, `landing-zone:accounts[2].name` (built only for errors)."""
        steps: list[str | int] = []
        visit: _Visit | None = self
        while visit is not None and visit.parent is not None:
            steps.append(visit.step)
            visit = visit.parent
        path = ""
        for step in reversed(steps):
            if isinstance(step, int):
                path += f"[{step}]"
            else:
                name = excerpt(step, 60, quote=False)
                # The stack file's `config:` is the root of every key a user knows.
                path = name if path in ("", "config") else f"{path}.{name}"
        return path


def _check_tree(root: Node) -> None:
    """Refuse duplicate keys, aliases that refer to themselves, and more than MAX_VALUES values
    after alias expansion, in time and memory proportional to the text (each node seen once)."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack = [_Visit(root, None, "")]
    while stack:
        visit = stack.pop()
        node = visit.node
        if visit.done:
            open_nodes.discard(id(node))
            size = 1 + sum(sizes[id(child)] for child, _ in _children(node))
            if size > MAX_VALUES:
                raise StackYamlError(
                    f"stands for more than {MAX_VALUES:,} values through YAML aliases (*name); "
                    "write the values out instead"
                )
            sizes[id(node)] = size
            continue
        if id(node) in sizes:
            continue
        if id(node) in open_nodes:
            line = node.start_mark.line + 1
            raise StackYamlError(
                f"has a YAML alias on line {line} that refers to itself", visit.path() or None
            )
        open_nodes.add(id(node))
        if isinstance(node, MappingNode):
            _check_duplicates(node, visit)
        visit.done = True
        stack.append(visit)
        stack.extend(_Visit(child, visit, step) for child, step in _children(node))


def _children(node: Node) -> list[tuple[Node, str | int]]:
    if isinstance(node, SequenceNode):
        return [(child, index) for index, child in enumerate(node.value)]
    if isinstance(node, MappingNode):
        pairs: list[tuple[Node, str | int]] = []
        for key, value in node.value:
            name = _key_name(key)
            pairs += [(key, name), (value, name)]
        return pairs
    return []


def _key_name(key: Node) -> str:
    if isinstance(key, ScalarNode):
        return str(key.value)
    return f"<{key.id} key>"


def _check_duplicates(node: MappingNode, visit: _Visit) -> None:
    first_line: dict[tuple[str, str], int] = {}
    for key, _ in node.value:
        if not isinstance(key, ScalarNode) or key.tag == _MERGE_TAG:
            continue
        seen = (key.tag, str(key.value))
        line = key.start_mark.line + 1
        if seen in first_line:
            raise StackYamlError(
                f"appears twice (lines {first_line[seen]} and {line}; Pulumi keeps the last): keep one",
                _Visit(key, visit, str(key.value)).path(),
            )
        first_line[seen] = line
