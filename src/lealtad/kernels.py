"""Compiled inner loops (numba). Everything here is a plain loop over arrays, with no model
knowledge: the rules that give these numbers meaning live in `chain.py` and `model.py`."""

import numpy as np
from numba import njit

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@njit(cache=True, inline="always")
def _splitmix64(x):
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@njit(cache=True)
def hashed_uniform(key, counter, ids):
    """Uniform(0, 1) numbers that depend only on (key, counter, id): a counter-based generator,
    so a draw for agent ``id`` is the same whoever else draws (common random numbers)."""
    out = np.empty(ids.size, dtype=np.float64)
    base = _splitmix64(key ^ _splitmix64(counter))
    for k in range(ids.size):
        x = _splitmix64(base ^ (np.uint64(ids[k]) * _GOLDEN))
        out[k] = ((x >> np.uint64(11)) + 0.5) * (1.0 / 9007199254740992.0)
    return out


@njit(cache=True)
def serve_fcfs(arrivals, work, rates, free_at):
    """First-come-first-served queue with several servers of individual speeds.

    ``arrivals`` are sorted times; ``work`` the work of each request (service time at rate 1);
    ``rates`` each server's service rate; ``free_at`` when each server is next free (updated in place:
    an absent server is simply "busy" until it returns). Each request goes to the server that frees up
    first. Returns each request's waiting time and server index.
    """
    n = arrivals.size
    waits = np.empty(n, dtype=np.float64)
    server = np.empty(n, dtype=np.int64)
    for k in range(n):
        best = 0
        for s in range(1, free_at.size):
            if free_at[s] < free_at[best]:
                best = s
        start = max(arrivals[k], free_at[best])
        waits[k] = start - arrivals[k]
        server[k] = best
        free_at[best] = start + work[k] / rates[best]
    return waits, server


@njit(cache=True)
def spread(indptr, indices, weights, speakers, columns, values, out):
    """Word of mouth along a network in CSR form: each speaker adds ``values[k]`` (times the edge
    weight) to column ``columns[k]`` of every neighbour's row in ``out``. Cost grows with the number
    of speakers, not the size of the network."""
    for k in range(speakers.size):
        i = speakers[k]
        c = columns[k]
        v = values[k]
        for e in range(indptr[i], indptr[i + 1]):
            out[indices[e], c] += weights[e] * v
