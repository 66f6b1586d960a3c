"""Deterministic uniform draws, the seed of every simulated number.

Draws come from SHA-512 of their key (never Python's `hash()`, which is salted per process), so
two servers started with the same accounts serve identical numbers.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal


class Draws:
    """Uniform draws in [0, 1) taken from SHA-512 of a key, 8 bytes each (indices 0-7)."""

    def __init__(self, *parts: object) -> None:
        key = "\x1f".join(str(part) for part in parts).encode()
        self._digest = hashlib.sha512(key).digest()

    def uniform(self, index: int) -> Decimal:
        chunk = self._digest[index * 8 : index * 8 + 8]
        return Decimal(int.from_bytes(chunk, "big")) / Decimal(2**64)

    def integer(self, index: int, low: int, high: int) -> int:
        """Draw an integer in [low, high]."""
        return low + int(self.uniform(index) * (high - low + 1))
