"""The config model's keys as a user reads them: which keys a place allows, and in what order.

Used for "did you mean" hints and to list problems in the order of the stack file.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel

from .model import LandingZoneConfig

# After every known key: keys of a dict (tags), or keys the model does not know.
_UNORDERED = 10**6


def known_keys(loc: tuple[str | int, ...], model: type[BaseModel] = LandingZoneConfig) -> list[str]:
    """The camelCase keys allowed at `loc` below `model`, in the model's order."""
    current = _unwrap(_annotation_at(model, loc))
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or n for n, f in current.model_fields.items()]
    return []


def config_position(
    loc: tuple[str | int, ...], model: type[BaseModel] = LandingZoneConfig
) -> tuple[int, ...]:
    """A sort key that puts `loc` where it stands in a stack file: model fields in their
    declared order, list items by index."""
    position: list[int] = []
    for depth, part in enumerate(loc):
        if isinstance(part, int):
            position.append(part)
            continue
        keys = known_keys(loc[:depth], model)
        position.append(keys.index(part) if part in keys else _UNORDERED)
    return tuple(position)


def _annotation_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> Any:
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else Any
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = next((f for n, f in current.model_fields.items() if part in (n, f.alias)), None)
            current = field.annotation if field else Any
        else:  # a dict's value
            args = typing.get_args(current)
            current = args[1] if len(args) == 2 else Any
    return current


def _unwrap(annotation: Any) -> Any:
    """`X | None` -> X, so that the walk can go on into X."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(options) == 1:
            return _unwrap(options[0])
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    return annotation
