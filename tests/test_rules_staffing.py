"""The staffing and employee rules computed by hand (docs/odd.md 7.2, 7.5 and 7.7), on tiny markets
or direct calls of `lealtad.modules.staffing` and the employees module:

- a staffing review's plan: k = max(1, round(n / unit_customers)) units, each with
  a = ceil(r x E / k / 1000) agents (at least one while r > 0 and E > 0), where the users expected
  when the hires arrive are E = n + max(0, n - n_prev) x (review + hiring_delay) / review;
- the review opens the missing positions (vacant for hiring_delay days, each one a hire) or closes the
  surplus (vacant positions first, then the most recent starters), and spreads the open ones a per unit;
- utilisation = busy hours within opening hours / (agents at work x opening hours x concurrency) <= 1;
- strikers (U of stream strike/FIRM at the strike's first day >= capacity) are not at work, not paid,
  and serve nobody;
- quits: a filled position's holder quits when U of stream quit/FIRM (counter: the day, keyed by the
  position's number in its firm) is below the daily quit probability.

Every expected value is written out from the rule as documented, never taken from the code's output.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import ndtri

from conftest import at, finish, run_until
from lealtad import LoyaltyModel
from lealtad.modules.market import PROSPECT
from lealtad.modules.staffing import at_work, review, staffed, striking, unit_plan
from lealtad.streams import Streams

IN_PERSON_ONLY = {"in_person_share": 1.0, "phone_share": 0.0, "chat_share": 0.0, "email_share": 0.0}
NO_QUITS = {"turnover_satisfied": 0.0, "turnover_dissatisfied": 0.0}
CHANNELS = ("in_person", "phone", "chat", "email")


def model(seed=1, **params) -> LoyaltyModel:
    return LoyaltyModel(rng=seed, **{"n_customers": 3000, **params})


def filled_on(m, day):
    """Open positions whose holder has started (not vacant) on ``day``."""
    return m.emp_open & ~(m.emp_vacant_until > day)


def set_in_person_users(m, counts):
    """Make the first counts[0] people customers of the company, the next counts[1] of the
    competitor, the rest prospects, everyone preferring the in-person channel."""
    m.firm[:] = PROSPECT
    m.channel[:] = 0
    start = 0
    for f, k in enumerate(counts):
        m.firm[start:start + k] = f
        start += k


# ------------------------------------------------------------------- the plan of a staffing review
# (n users now, n_prev at the last review, review days, hiring delay, ratio r, unit_customers) -> (k, a)
PLANS = [
    # k = round(2100/800) = round(2.625) = 3; E = 2100 + 300 x 44/30 = 2540; a = ceil(4 x 2540/3/1000) = ceil(3.387) = 4
    ((2100, 1800, 30, 14, 4.0, 800), (3, 4)),
    # a decline is not cut ahead of: E = 2100; a = ceil(4.3 x 2100/3/1000) = ceil(3.01) = 4 (cutting ahead,
    # E = 2100 - 400 x 44/30 = 1513.3, would give ceil(2.17) = 3)
    ((2100, 2500, 30, 14, 4.3, 800), (3, 4)),
    # no hiring delay: E = 1000 + 400 x 10/10 = 1400; k = round(1.25) = 1; a = ceil(5 x 1.4) = 7
    ((1000, 600, 10, 0, 5.0, 800), (1, 7)),
    # a short review and a long delay carry growth far: E = 900 + 10 x 15/1 = 1050; a = ceil(2 x 1.05) = 3
    ((900, 890, 1, 14, 2.0, 800), (1, 3)),
    # an exact quotient is not rounded up: k = 2, a = 5 x 1600/2/1000 = 4 exactly
    ((1600, 1600, 30, 14, 5.0, 800), (2, 4)),
    # E = 124 + 7 x 4/3 = 133 1/3 and 7.5 x E / 1000 = 1 exactly: one agent, not two (the floating-point
    # product is 1.0000000000000002, which a bare ceil would round up)
    ((124, 117, 3, 1, 7.5, 800), (1, 1)),
    # smaller units, more of them: k = round(1600/300) = round(5.33) = 5; a = ceil(5 x 1600/5/1000) = ceil(1.6) = 2
    ((1600, 1600, 30, 14, 5.0, 300), (5, 2)),
    # a handful of users still gets one agent: a = max(1, ceil(0.1 x 10/1000)) = 1
    ((10, 10, 30, 14, 0.1, 800), (1, 1)),
    # a ratio of 0: the firm does not answer in that channel (one unit, nobody in it)
    ((10, 10, 30, 14, 0.0, 800), (1, 0)),
    # nobody uses the channel: one unit, no agent
    ((0, 0, 30, 14, 4.0, 800), (1, 0)),
]


@pytest.mark.parametrize("case, expected", PLANS)
def test_a_review_plans_units_and_agents_for_the_users_expected_when_hires_arrive(case, expected):
    n, before, every, delay, r, size = case
    m = model(staffing_review=every, hiring_delay=delay, in_person_unit_customers=size, **IN_PERSON_ONLY)
    set_in_person_users(m, [n, 500])
    m.users_at_review[0, 0] = before
    m.policy["in_person_staff_per_1000"][0] = r
    assert unit_plan(m, 0, 0) == expected
    assert unit_plan(m, 0, 1) == (1, 0)  # the phone: nobody uses it, no agent


def test_the_expected_users_grow_with_the_hiring_delay():
    """Growth since the last review is carried over review + delay days: the same growth needs more
    agents the longer new hires take to arrive (E = 1200 + 200 x (30 + d)/30, r = 10, one unit)."""
    agents = {}
    for delay in (0, 30, 60):
        m = model(staffing_review=30, hiring_delay=delay, in_person_unit_customers=2000, **IN_PERSON_ONLY)
        set_in_person_users(m, [1200, 0])
        m.users_at_review[0, 0] = 1000
        m.policy["in_person_staff_per_1000"][0] = 10.0
        agents[delay] = unit_plan(m, 0, 0)[1]
    # E = 1400, 1600, 1800 -> 10 x E / 1000 = 14, 16, 18 agents in one unit (round(1200/2000) = 1)
    assert agents == {0: 14, 30: 16, 60: 18}


# ------------------------------------------------------------------ a review opens and closes positions
def _open(m, f=0, c=0):
    return np.flatnonzero(m.emp_open & (m.emp_firm == f) & (m.emp_channel == c))


def test_a_review_opens_vacancies_and_closes_vacant_positions_then_the_latest_starters():
    m = model(seed=5, staffing_review=1000, hiring_delay=5, in_person_unit_customers=400, **NO_QUITS,
              **IN_PERSON_ONLY, **at("company", in_person_staff_per_1000=10.0)).run(3)
    n = int(np.count_nonzero((m.firm == 0) & (m.channel == 0)))  # the company's in-person users
    before = int(m.users_at_review[0, 0])
    first = _open(m)
    competitor = m.emp_open[m.emp_firm == 1].copy()
    made, hires = int(m.positions_made[0]), float(m.new_positions[0])

    # open: a ratio of 12 per 1,000, planned by hand
    m.policy["in_person_staff_per_1000"][0] = 12.0
    k = max(1, round(n / 400))
    expected_users = n + max(0, n - before) * (1000 + 5) / 1000
    a = max(1, math.ceil(12.0 * expected_users / k / 1000 - 1e-9))
    assert k * a > first.size  # the case opens positions
    review(m, 0)
    now = _open(m)
    new = np.setdiff1d(now, first)
    assert now.size == k * a and new.size == k * a - first.size
    assert m.new_positions[0] == hires + new.size                        # each one a hire
    assert np.array_equal(m.emp_local[new], made + np.arange(new.size))  # numbers continue
    assert np.all(m.emp_vacant_until[new] == m.day + 5) and np.all(m.emp_hired_day[new] == m.day + 5)
    assert not staffed(m)[new].any() and staffed(m)[first].all()        # vacant while hiring
    assert np.all(m.emp_skill[new] == m.p["new_hire_skill"])
    assert np.array_equal(np.bincount(m.emp_unit[now], minlength=k), np.full(k, a))  # a agents per unit
    assert m.units[0, 0] == k
    assert np.array_equal(m.emp_open[m.emp_firm == 1], competitor)     # the other firm is untouched

    # close: the filled positions get distinct start days, so "the most recent starters" is known
    start_days = np.arange(first.size)[::-1]  # the first position started last
    m.emp_hired_day[first] = start_days
    keep = first.size - 3                      # all the new vacancies close, then 3 filled positions
    assert keep >= 1
    # one unit (round(n / 1e6) = 0 -> max(1, 0) = 1) of `keep` agents: r = keep x 1000 / E
    m.p["in_person_unit_customers"] = 1_000_000
    r = keep * 1000 / expected_users
    assert max(1, math.ceil(r * expected_users / 1000 - 1e-9)) == keep
    m.policy["in_person_staff_per_1000"][0] = r
    review(m, 0)
    latest = first[np.argsort(-start_days, kind="stable")[:3]]  # the three most recent starters
    closed = np.setdiff1d(now, _open(m))
    assert np.array_equal(np.sort(closed), np.sort(np.concatenate([new, latest])))
    assert _open(m).size == keep and m.units[0, 0] == 1 and np.all(m.emp_unit[_open(m)] == 0)
    assert m.new_positions[0] == hires + new.size  # closing costs no hire
    m.step()  # a closed position never serves again
    assert not at_work(m)[closed].any() and not np.isin(m.encounters["server"], closed).any()


# ------------------------------------------------------------------------------------ utilisation
def _check_utilisation(m):
    """Per firm and channel, and per firm over every channel: busy hours of the agents at work over
    their available hours (agents x opening hours x concurrency), computed by hand."""
    day, out = m.day, m.today
    here = filled_on(m, day) & ~m.emp_striking  # open, filled, not on strike
    values = []
    for f in range(m.n_firms):
        busy_all = hours_all = 0.0
        for c, name in enumerate(CHANNELS):
            agents = np.flatnonzero(here & (m.emp_firm == f) & (m.emp_channel == c))
            hours = m.p[f"{name}_opening_hours"] * m.p[f"{name}_concurrency"]
            busy = float(m.busy[agents].sum())
            assert np.all(m.busy[agents] <= hours + 1e-9)  # nobody is busier than the opening hours
            assert out[f"{name}_staff"][f] == agents.size
            if agents.size:
                assert out[f"{name}_utilisation"][f] == pytest.approx(busy / (agents.size * hours), abs=1e-12)
            busy_all += busy
            hours_all += agents.size * hours
        assert out["utilisation"][f] == pytest.approx(busy_all / hours_all, abs=1e-12)
        values.append(out["utilisation"][f])
    return np.array(values)


def test_utilisation_is_busy_over_available_hours_of_the_agents_at_work():
    strike = [{"day": 1, "firm": "company", "kind": "strike", "days": 2, "capacity": 0.5}]
    m = model(seed=7, events=strike, **at("company", in_person_staff_per_1000=20.0)).run(1)
    rest = run_until(m, "encounter")  # day 1: the strike is on, the queues have been served
    out = np.flatnonzero(m.emp_striking)
    assert out.size > 0 and np.all(m.busy[out] == 0)  # strikers serve nothing ...
    use = _check_utilisation(m)                         # ... and are not in the available hours
    assert np.all((0 < use) & (use <= 1))
    finish(m, rest)


def test_utilisation_stays_at_most_one_when_the_queue_runs_past_closing():
    """One agent for about 900 in-person users per firm: the queue is served late into the evening,
    but only the opening hours count, so utilisation is at most 1 (and near 1: the agent is never
    idle once the queue has formed)."""
    m = model(seed=8, **IN_PERSON_ONLY, **at("company", in_person_staff_per_1000=0.01),
              **at("competitor", in_person_staff_per_1000=0.01))
    m.channel[:] = 0  # everyone comes in person
    for _ in range(3):
        rest = run_until(m, "encounter")
        use = _check_utilisation(m)
        assert np.all(use <= 1.0)
        finish(m, rest)
    assert np.all(m.today["in_person_staff"] == 1) and np.all(m.today["in_person_utilisation"] > 0.9)


# ------------------------------------------------------------------------------------------ strikes
def test_strikers_are_drawn_once_by_their_stream_and_are_not_at_work():
    events = [{"day": 2, "firm": "company", "kind": "strike", "days": 3, "capacity": 0.4},
              {"day": 6, "firm": "competitor", "kind": "outage", "days": 1, "capacity": 0.0}]
    m = model(seed=9, events=events, staffing_review=1000, **NO_QUITS,
              **at("company", in_person_staff_per_1000=30.0)).run(2)
    draws = Streams(9)  # a fresh copy of the model's streams: a draw is a function of seed, name, counter, id
    for day in (2, 3, 4):
        assert m.day == day
        rest = run_until(m, "employees")  # after the staffing step, which draws the strikers
        mine = np.flatnonzero(m.emp_open & (m.emp_firm == 0))
        expected = mine[draws.uniform("strike/company", 2, m.emp_local[mine]) >= 0.4]  # counter: the FIRST day
        assert 0 < expected.size < mine.size
        assert np.array_equal(np.flatnonzero(m.emp_striking), expected)
        assert not at_work(m)[expected].any()
        others = np.setdiff1d(mine, expected)
        assert np.array_equal(at_work(m)[others], filled_on(m, day)[others])  # the others work once hired
        if day == 3:  # a position opened during the strike draws too
            m.policy["in_person_staff_per_1000"][0] = 40.0
            review(m, 0)
            assert np.flatnonzero(m.emp_open & (m.emp_firm == 0)).size > mine.size
            mine = np.flatnonzero(m.emp_open & (m.emp_firm == 0))
            expected = mine[draws.uniform("strike/company", 2, m.emp_local[mine]) >= 0.4]
            assert np.array_equal(np.flatnonzero(striking(m)), expected)
            m.emp_striking = striking(m)
        out = np.zeros(m.emp_firm.size, dtype=bool)
        out[expected] = True
        finish(m, rest)
        assert m.today["staff"][0] == np.count_nonzero(filled_on(m, day) & (m.emp_firm == 0) & ~out)  # not paid
        assert not np.isin(m.encounters["server"], expected).any()  # strikers serve nobody
    rest = run_until(m, "employees")  # day 5: the strike is over
    assert not m.emp_striking.any()
    finish(m, rest)
    rest = run_until(m, "employees")  # day 6: an outage of capacity 0 takes every open position
    assert np.array_equal(np.flatnonzero(m.emp_striking), np.flatnonzero(m.emp_open & (m.emp_firm == 1)))
    finish(m, rest)
    assert m.today["staff"][1] == 0 and m.today["staff"][0] > 0


# -------------------------------------------------------------------------------------------- quits
def test_quits_are_drawn_by_the_quit_stream_of_each_firm():
    """With both turnover rates at 5 a year, every holder quits on a day with probability
    1 - exp(-5/365), whatever its satisfaction; the holders who quit are exactly those whose draw of
    stream quit/FIRM (counter: the day, keyed by the position's number in its firm) is below it."""
    delay, rate = 4, 5.0
    p_quit = 1 - math.exp(-rate / 365)
    m = model(seed=11, hiring_delay=delay, staffing_review=1000, turnover_satisfied=rate, turnover_dissatisfied=rate,
              employee_heterogeneity=0.3,
              **{f"{firm}.{c}_staff_per_1000": 60.0 for firm in ("company", "competitor") for c in CHANNELS}).run(1)
    draws = Streams(11)
    quits = 0
    held = 0
    for _ in range(20):
        day = m.day
        rest = run_until(m, "employees")
        filled = filled_on(m, day)  # open and not vacant: only a holder can quit
        hires = m.emp_hires.copy()
        rest[0].step(m)  # the employees module
        expected = np.zeros(m.emp_firm.size, dtype=bool)
        for f, firm in enumerate(m.firms):
            ids = np.flatnonzero(filled & (m.emp_firm == f))
            held += ids.size
            expected[ids[draws.uniform(f"quit/{firm}", day, m.emp_local[ids]) < p_quit]] = True
        assert np.array_equal(m.emp_hires > hires, expected)
        assert np.array_equal(m.today["quits"], np.bincount(m.emp_firm[expected], minlength=2))
        q = np.flatnonzero(expected)
        assert np.all(m.emp_vacant_until[q] == day + delay) and np.all(m.emp_hired_day[q] == day + delay)
        assert np.all(m.emp_skill[q] == m.p["new_hire_skill"])
        for f, firm in enumerate(m.firms):  # the replacement's disposition: stream disposition/FIRM at d + 1
            mine = q[m.emp_firm[q] == f]
            assert np.allclose(m.emp_disposition[mine],
                               0.3 * ndtri(draws.uniform(f"disposition/{firm}", day + 1, m.emp_local[mine])),
                               rtol=0, atol=1e-12)
        quits += q.size
        finish(m, rest[1:])
    # the draws are uniform: quits over holder-days are binomial(held, p); within 4 sd of the mean
    mean, sd = held * p_quit, math.sqrt(held * p_quit * (1 - p_quit))
    assert quits >= 10 and abs(quits - mean) < 4 * sd
