import numpy as np
import pytest
from scipy import stats

from lealtad import LoyaltyModel
from lealtad.params import FIRM_POLICIES

# small market; staff scaled up a little so that queues of a handful of servers stay in the
# same regime as the default market (queues pool less with few servers: Erlang C)
SMALL = {"n_customers": 3000, "company.in_person_staff_per_1000": 6.0, "competitor.in_person_staff_per_1000": 6.0}


def at(firm, **policy):
    """One firm's policy changes as FIRM.NAME keys: ``run(**at("company", training=0.8))``."""
    return {f"{firm}.{name}": value for name, value in policy.items()}


def run(seed=1, steps=365, **params):
    return LoyaltyModel(rng=seed, **{**SMALL, **params}).run(steps)


def company(results):
    return results[results.firm == "company"].reset_index(drop=True)


def paired(metric, change, base=None, seeds=range(6), steps=365, firm="company"):
    """Paired differences (change - base) of a run-level metric of ``firm`` over seeds, under common
    random numbers; firm policies named plainly in ``change`` and ``base`` are that firm's.
    Returns (mean difference, half-width of its 95% t confidence interval)."""
    change, base = _for_firm(change, firm), _for_firm(base or {}, firm)
    diffs = []
    for s in seeds:
        a = run(seed=s, steps=steps, **(base or {}))
        b = run(seed=s, steps=steps, **{**(base or {}), **change})
        diffs.append(metric(b, firm) - metric(a, firm))
    diffs = np.array(diffs)
    half = stats.t.ppf(0.975, len(diffs) - 1) * diffs.std(ddof=1) / np.sqrt(len(diffs)) if len(diffs) > 1 else np.inf
    return diffs.mean(), half


def _for_firm(changes, firm):
    return {f"{firm}.{k}" if k in FIRM_POLICIES else k: v for k, v in changes.items()}


def mean_of(name):
    """Year mean of a daily output for one firm."""
    def metric(model, firm):
        r = model.results()
        return float(np.nanmean(r.loc[r.firm == firm, name]))
    return metric


@pytest.fixture(scope="session")
def default_year():
    return run(seed=7)


class Chooser:
    """The least of a model that `modules.loyalty.choose` needs: images, firms, the day, the streams
    and the choice noise."""

    def __init__(self, image, noise, seed=3):
        from lealtad.streams import Streams

        self.image = np.asarray(image, dtype=float)
        self.n_firms = self.image.shape[1]
        self.firms = ("company", "competitor", "firm_3", "firm_4")[:self.n_firms]
        self.p = {"choice_noise": noise}
        self.day = 5
        self.streams = Streams(seed)


def run_until(m, name):
    """Open a day and run its modules before ``name``; returns the modules still to run."""
    m.today = m.store.begin_day()
    mods = m.day_plan.modules
    k = [x.name for x in mods].index(name)
    for mod in mods[:k]:
        mod.step(m)
    return mods[k:]


def finish(m, rest):
    for mod in rest:
        mod.step(m)
    m.day += 1
