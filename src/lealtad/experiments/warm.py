"""Imported by the process pool's fork server: a two-day run of a tiny market loads every compiled
kernel (numba's cache) once, so that each worker forked from the server starts warm instead of paying
a few seconds of loading on its first run."""

from ..model import LoyaltyModel

LoyaltyModel(rng=0, n_customers=60).run(2)
