"""Remember what was answered, so a redelivered or doubled event gets no second reply."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict


class Seen:
    """A bounded, thread-safe set of keys that forgets them after `ttl` seconds."""

    def __init__(self, ttl: float = 600.0, size: int = 10000):
        self._ttl, self._size = ttl, size
        self._keys: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first(self, *keys: str | None) -> bool:
        """True the first time any of these keys is offered; records them all."""
        now = time.monotonic()
        present = [k for k in keys if k]
        with self._lock:
            while self._keys and (len(self._keys) > self._size or next(iter(self._keys.values())) < now - self._ttl):
                self._keys.popitem(last=False)
            if any(k in self._keys for k in present):
                return False
            for k in present:
                self._keys[k] = now
            return True
