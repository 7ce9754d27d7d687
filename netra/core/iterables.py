"""Small helpers over iterables that several apps share."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def chunked(values: Iterable[T], size: int) -> Iterator[list[T]]:
    """``values`` in lists of ``size`` (the last one shorter): the ``IN (…)`` lists of a
    query kept under the databases' parameter limits."""
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk
