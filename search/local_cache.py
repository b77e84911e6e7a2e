"""Values that are the same for every request, kept in the process for a short while.

A trip to the shared cache costs a page more than building such a small value from memory, and several
were made on every search page; these values are as stale at worst as they were in the shared cache.
"""

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

_entries: dict[str, tuple[float, object]] = {}


def get_or_set(key: str, compute: Callable[[], T], seconds: float) -> T:
    """``key``'s value while younger than ``seconds``, computed again after that."""
    now = time.monotonic()
    entry = _entries.get(key)
    if entry is not None and entry[0] > now:
        return entry[1]
    value = compute()
    _entries[key] = (now + seconds, value)
    return value


def clear() -> None:
    _entries.clear()
