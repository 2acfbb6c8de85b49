"""The user-facing Vietnamese texts, kept as data: one TOML catalogue per stage in this folder.

A key is ``<catalogue>.<name>`` (``read.file_missing`` is `file_missing` in ``read.toml``); a text
has named placeholders in braces (``{path}``), filled by `say`. Code refers to keys only, so an
official's wording can be corrected without touching code, and tests/messages/test_catalogue.py
checks that every key is used and every placeholder filled.
"""

from __future__ import annotations

import functools
import string
import tomllib
from importlib import resources


class UnknownMessage(KeyError):
    """A key the catalogues do not hold: a bug, caught by the catalogue test."""


@functools.lru_cache(maxsize=None)
def catalogue(name: str) -> dict[str, str]:
    """The texts of catalogue `name` (``read`` for ``read.toml``), by key."""
    data = resources.files(__package__).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(data)


def text(key: str) -> str:
    """The raw text of `key`, placeholders unfilled."""
    name, _, entry = key.partition(".")
    try:
        return catalogue(name)[entry]
    except (FileNotFoundError, KeyError):
        raise UnknownMessage(key) from None


def placeholders(key: str) -> set[str]:
    """The names of the placeholders in the text of `key`."""
    return {field for _, field, _, _ in string.Formatter().parse(text(key)) if field}


def say(key: str, **values: object) -> str:
    """The text of `key` with its placeholders filled from `values` (every one must be given)."""
    return text(key).format_map(values)


def names() -> list[str]:
    """Every catalogue in this folder."""
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in resources.files(__package__).iterdir()
        if entry.name.endswith(".toml")
    )


def keys() -> list[str]:
    """Every key of every catalogue."""
    return [f"{name}.{entry}" for name in names() for entry in catalogue(name)]
