"""Results computed from published releases, kept while the releases they read are unchanged.

Releases are immutable, so a published table stays right until a new release of one of the forms it reads
is written. Every lookup compares the forms' release fingerprints (folder listing only, see
:func:`sitmon.store.warehouse.release_fingerprint`): a new release — from this process, another worker or
the CLI — invalidates at once. One long-lived analysis backend is shared; computations run one at a time on
it (a DuckDB connection is not for concurrent use), while cached answers are served concurrently.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar, cast

from ..config import Settings
from ..store.warehouse import connect, release_fingerprint
from .tables import QueryError

T = TypeVar("T")


class ReleaseCache:
    """A bounded LRU of results keyed by (key, release fingerprints of the forms read); also caches the
    :class:`~sitmon.disseminate.tables.QueryError` a query raised (e.g. a period not yet published). Bounded in
    entries and in the bytes of the rendered bodies it holds (files can be large)."""

    def __init__(
        self,
        settings: Settings,
        max_entries: int = 4096,
        backend: Any = None,
        max_bytes: int = 256 * 1024 * 1024,
    ) -> None:
        self.settings = settings
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._bytes = 0
        self._backend = backend
        self._entries: OrderedDict[Hashable, tuple[Any, Any]] = OrderedDict()
        self._compute_lock = threading.Lock()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @property
    def backend(self) -> Any:
        """The shared Ibis backend (DuckDB in process, or Spark), connected on first use."""
        if self._backend is None:
            with self._compute_lock:
                if self._backend is None:
                    self._backend = connect(self.settings)
        return self._backend

    def fingerprint(self, forms: Sequence[str]) -> tuple[Any, ...]:
        """What identifies the releases of ``forms`` now."""
        return tuple(release_fingerprint(self.settings, f) for f in forms)

    def peek(self, key: Hashable, forms: Sequence[str]) -> Any:
        """The cached result for ``key`` if it is still valid (raising the cached error, if that is what was
        kept); None on a miss. Never computes, so it does not block."""
        with self._lock:
            found = self._entries.get((key, self.fingerprint(forms)))
            if found is None:
                return None
            self.hits += 1
        value, error = found
        if error is not None:
            raise error
        return value

    def get(self, key: Hashable, forms: Sequence[str], compute: Callable[[Any], T]) -> T:
        """The cached result of ``compute(backend)`` for ``key`` if the releases of ``forms`` have not changed
        since it was computed; else compute it (one computation at a time), keep and return it."""
        full = (key, self.fingerprint(forms))
        with self._lock:
            found = self._entries.get(full)
            if found is not None:
                self._entries.move_to_end(full)
                self.hits += 1
        if found is None:
            with self._compute_lock:
                with self._lock:
                    found = self._entries.get(full)
                if found is None:
                    backend = self._backend if self._backend is not None else connect(self.settings)
                    self._backend = backend
                    try:
                        found = (compute(backend), None)
                    except QueryError as exc:
                        found = (None, exc)
                    with self._lock:
                        self.misses += 1
                        self._entries[full] = found
                        self._bytes += _size(found[0])
                        while len(self._entries) > self.max_entries or (
                            self._bytes > self.max_bytes and len(self._entries) > 1
                        ):
                            _, dropped = self._entries.popitem(last=False)
                            self._bytes -= _size(dropped[0])
        value, error = found
        if error is not None:
            raise error
        return cast(T, value)

    def clear(self) -> None:
        """Forget every result."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (bytes, bytearray)) else 0
