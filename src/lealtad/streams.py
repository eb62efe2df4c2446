"""Common random numbers: one stream per kind of decision.

Every random decision draws from its own stream, named after the decision ("churn", "talk", ...)
and derived from the run's seed. A draw is indexed by (stream, day, agent), not by the order of
draws, so two runs that differ in one policy use the same numbers for everything the policy does
not touch: their difference is a paired comparison (Starsim's "common random numbers").
The numbers are the same in any process and on any machine.
"""

from __future__ import annotations

import zlib

import numpy as np
from scipy.special import ndtri

from .kernels import hashed_uniform

_MASK64 = 2**64 - 1


class Streams:
    def __init__(self, seed: int):
        self.seed = int(seed)
        self._keys: dict[str, int] = {}
        self._key_arrays: dict[tuple[str, ...], np.ndarray] = {}

    def key(self, name: str) -> int:
        if name not in self._keys:
            seq = np.random.SeedSequence([self.seed & 0xFFFFFFFF, self.seed >> 32, zlib.crc32(name.encode())])
            self._keys[name] = int(seq.generate_state(1, dtype=np.uint64)[0])
        return self._keys[name]

    def keys(self, names: tuple[str, ...]) -> np.ndarray:
        """The keys of several streams at once, as an array (looked up once)."""
        if names not in self._key_arrays:
            self._key_arrays[names] = np.array([self.key(name) for name in names], dtype=np.uint64)
        return self._key_arrays[names]

    def uniform(self, name: str, counter: int, ids: np.ndarray) -> np.ndarray:
        """One U(0,1) per id for decision ``name`` at ``counter`` (usually the day)."""
        key = self._keys.get(name)
        if key is None:
            key = self.key(name)
        return hashed_uniform(np.uint64(key), np.uint64(int(counter) & _MASK64),
                              ids if isinstance(ids, np.ndarray) and ids.dtype == np.int64 and ids.flags.c_contiguous
                              else np.ascontiguousarray(ids, dtype=np.int64))

    def normal(self, name: str, counter: int, ids: np.ndarray) -> np.ndarray:
        return ndtri(self.uniform(name, counter, ids))

    def exponential(self, name: str, counter: int, ids: np.ndarray) -> np.ndarray:
        return -np.log(self.uniform(name, counter, ids))
