"""Tests that catch a wrong model, not only a crashing one (the mutation-testing requirement).

1. Each rule of `chain.py` on cases computed by hand from its documented equation: the expected
   numbers below are written out from the equation, never printed by the code.
2. Each module applied per firm with that firm's own parameters: two firms with different policies,
   one day run module by module, and the module's effect checked against the equation at each firm.
3. Day boundaries of events, adopters' join day, and common random numbers checked on the streams.

Everything runs on small markets and a few days: the whole file takes seconds, so that the mutation
tool (tools/mutation.py, see docs/testing.md) can run it once per mutant.
"""

import math

import numpy as np
import pytest

from conftest import at
from lealtad import LoyaltyModel, chain, kernels
from lealtad.modules.market import PROSPECT
from lealtad.modules.service import p90
from lealtad.streams import Streams

A = np.array
TOL = 1e-12


def close(x, y, tol=TOL):
    return np.allclose(np.asarray(x, dtype=float), np.asarray(y, dtype=float), rtol=0, atol=tol, equal_nan=True)


# ================================================================ 1. rules on hand-computed cases
def test_internal_service_quality_weights_and_pay_clip():
    # ISQ = 0.4 L + 0.3 T + 0.3 clip(0.5 + premium)
    assert close(chain.internal_service_quality(1.0, 0.0, 0.0), 0.4 + 0.15)
    assert close(chain.internal_service_quality(0.0, 1.0, 0.0), 0.3 + 0.15)
    assert close(chain.internal_service_quality(0.6, 0.4, 0.1), 0.24 + 0.12 + 0.18)
    assert close(chain.internal_service_quality(0.0, 0.0, 0.7), 0.3)    # pay clipped at 1
    assert close(chain.internal_service_quality(0.0, 0.0, -0.6), 0.0)   # pay clipped at 0
    assert close(chain.internal_service_quality(A([0.5, 1.0]), A([0.0, 0.5]), A([0.0, -0.5])), [0.35, 0.55])


def test_employee_satisfaction_target_and_adjustment():
    # target = clip(0.8 - 0.5 * 1/2 + 0.05) = 0.6; ES' = 0.2 + 0.1 (0.6 - 0.2) = 0.24
    assert close(chain.employee_satisfaction(A([0.2]), 0.8, 1.0, 0.05, 0.5, 0.1), [0.24])
    # pressure 3: P/(1+P) = 3/4; target = 0.8 - 0.375 - 0.05 = 0.375; ES' = 0.5 + 0.5 (0.375 - 0.5)
    assert close(chain.employee_satisfaction(A([0.5]), 0.8, 3.0, -0.05, 0.5, 0.5), [0.4375])
    # the target is clipped to [0, 1]
    assert close(chain.employee_satisfaction(A([0.5]), 0.9, 0.0, 0.3, 0.5, 0.5), [0.75])
    assert close(chain.employee_satisfaction(A([0.4]), 0.1, 3.0, 0.0, 0.5, 0.5), [0.2])


def test_daily_quit_probability_is_log_linear_in_satisfaction():
    p = chain.daily_quit_probability(A([0.0, 0.25, 0.5, 1.0]), 0.08, 1.0)
    rates = A([1.0, 0.08 ** 0.25, math.sqrt(0.08), 0.08])  # r = 1^(1-ES) 0.08^ES
    assert close(p, 1 - np.exp(-rates / 365))
    # different ends: r(0.5) = sqrt(0.2 * 2)
    assert close(chain.daily_quit_probability(A([0.5]), 0.2, 2.0), [1 - math.exp(-math.sqrt(0.4) / 365)])
    # nobody quits when both rates are zero; a zero end counts as (almost) zero
    assert close(chain.daily_quit_probability(A([0.0, 0.7]), 0.0, 0.0), [0.0, 0.0])
    assert chain.daily_quit_probability(A([1.0]), 0.0, 1.0)[0] < 1e-11
    assert close(chain.daily_quit_probability(A([0.0]), 0.0, 1.0), [1 - math.exp(-1 / 365)])


def test_learning_curve_steepened_by_training():
    # skill' = s + lr (1 + 2 T)(1 - s)
    assert close(chain.learn(A([0.4]), 0.01, 0.5), [0.4 + 0.01 * 2.0 * 0.6])
    assert close(chain.learn(A([0.4]), 0.01, 0.0), [0.406])
    assert close(chain.learn(A([0.4, 0.9]), 0.1, A([1.0, 0.25])), [0.4 + 0.3 * 0.6, 0.9 + 0.15 * 0.1])
    assert close(chain.learn(A([0.3]), 0.5, 1.0), [1.0])  # the step is capped at the whole gap


def test_service_rate_from_skill_and_morale():
    # mu = 3 (1 - 0.5 * 0.4)(1 + 0.3 * 0.3)
    assert close(chain.service_rate(A([0.6]), A([0.8]), 3.0, 0.5, 0.3), [3 * 0.8 * 1.09])
    assert close(chain.service_rate(A([1.0]), A([0.5]), 2.0, 0.5, 0.3), [2.0])
    assert close(chain.service_rate(A([0.0]), A([0.0]), 2.0, 0.25, 0.4), [2 * 0.75 * 0.8])
    assert close(chain.service_rate(A([1.0]), A([0.0]), 2.0, 0.5, 3.0), [2 * 0.05])  # morale factor floored


def test_failure_probability():
    assert close(chain.failure_probability(A([0.4]), 0.03, 0.15), [0.03 + 0.09])
    assert close(chain.failure_probability(A([1.0]), 0.03, 0.15), [0.03])
    assert close(chain.failure_probability(A([0.0]), 0.6, 0.6), [1.0])
    assert close(chain.failure_probability(A([0.5]), -0.2, 0.2), [0.0])


DEFAULT_WEIGHTS = {"reliability": 0.30, "responsiveness": 0.25, "assurance": 0.15, "empathy": 0.20, "tangibles": 0.10}


def test_encounter_quality_is_the_weighted_mean_of_servqual():
    args = dict(wait=A([0.25]), skill=A([0.5]), attitude=A([0.6]), tangibles=A([0.7]), wait_tolerance=0.25)
    ok = 0.3 + 0.25 * math.exp(-1) + 0.15 * 0.5 + 0.2 * 0.6 + 0.1 * 0.7
    assert close(chain.encounter_quality(A([0.0]), noise=A([0.0]), weights=DEFAULT_WEIGHTS, **args), [ok])
    assert close(chain.encounter_quality(A([1.0]), noise=A([0.0]), weights=DEFAULT_WEIGHTS, **args), [ok - 0.3])
    assert close(chain.encounter_quality(A([0.0]), noise=A([-0.1]), weights=DEFAULT_WEIGHTS, **args), [ok - 0.1])
    assert close(chain.encounter_quality(A([0.0]), noise=A([0.5]), weights=DEFAULT_WEIGHTS, **args), [1.0])
    assert close(chain.encounter_quality(A([1.0]), noise=A([-0.5]), weights=DEFAULT_WEIGHTS, **args), [0.0])
    # weights need not sum to one: (0.2 * 1 + 0.2 * 0.5) / 0.4
    w = {"reliability": 0.2, "responsiveness": 0.0, "assurance": 0.0, "empathy": 0.0, "tangibles": 0.2}
    assert close(chain.encounter_quality(A([0.0]), A([9.0]), A([0.0]), A([0.0]), A([0.5]), A([0.0]), w, 1.0), [0.75])


@pytest.mark.parametrize("dimension, expected", [
    ("reliability", 1.0 - 1.0), ("responsiveness", math.exp(-0.5 / 2.0)), ("assurance", 0.3),
    ("empathy", 0.45), ("tangibles", 0.8)])
def test_each_servqual_dimension_reads_its_own_score(dimension, expected):
    w = {k: (2.0 if k == dimension else 0.0) for k in DEFAULT_WEIGHTS}
    q = chain.encounter_quality(A([1.0]), A([0.5]), A([0.3]), A([0.45]), A([0.8]), A([0.0]), w, 2.0)
    assert close(q, [expected])


def test_transaction_satisfaction_gain_and_loss():
    # s = E + g D for D >= 0, E + l D for D < 0
    assert close(chain.transaction_satisfaction(A([0.8]), 0.6, 0.5, 2.0), [0.7])
    assert close(chain.transaction_satisfaction(A([0.5]), 0.6, 0.5, 2.0), [0.4])
    assert close(chain.transaction_satisfaction(A([0.6]), 0.6, 0.5, 2.0), [0.6])
    assert close(chain.transaction_satisfaction(A([0.1]), 0.6, 0.5, 2.0), [0.0])  # clipped
    assert close(chain.transaction_satisfaction(A([1.0]), 0.5, 2.0, 0.5), [1.0])  # clipped
    assert close(chain.transaction_satisfaction(A([0.7, 0.5]), A([0.5, 0.7]), 1.5, 0.25), [0.8, 0.65])


def test_recovery_paradox_direction_after_first_and_repeated_failure():
    # first failure: E + boost (the paradox); repeated: E - boost
    assert close(chain.recovered_satisfaction(A([0.7, 0.7]), A([True, False]), 0.15), [0.85, 0.55])
    assert close(chain.recovered_satisfaction(A([0.95, 0.1]), A([True, False]), 0.15), [1.0, 0.0])


def test_cumulative_memory():
    assert close(chain.cumulative(A([0.5]), A([0.9]), 0.3), [0.5 * 0.7 + 0.9 * 0.3])
    assert close(chain.cumulative(A([0.5]), A([0.9]), 1.0), [0.9])


def test_commitment_less_remembered_failures():
    assert close(chain.commitment(A([0.9]), A([2.0]), 0.15), [0.6])
    assert close(chain.commitment(A([0.1]), A([2.0]), 0.15), [0.0])
    assert close(chain.commitment(A([1.5]), A([0.0]), 0.15), [1.0])
    assert close(chain.commitment(0.8, 1.0, 0.2), 0.6)  # single numbers too (the compiled loops)


def test_defection_probability_logistic():
    # p = 0.3 / (1 + exp((C - 0.35) / 0.11))
    p = chain.defection_probability(A([0.35, 0.46, 0.24]), 0.3, 0.35, 0.11)
    assert close(p, [0.15, 0.3 / (1 + math.e), 0.3 / (1 + 1 / math.e)])


def test_recommend_score_and_nps_boundaries():
    assert close(chain.recommend_score(A([0.0, 0.04, 0.06, 0.64, 0.86, 1.0])), [0, 0, 1, 6, 9, 10])
    assert (chain.PROMOTER, chain.DETRACTOR) == (9, 6)
    scores = A([6, 7, 8, 9, 9, 9, 7, 6, 10, 0])
    groups = A([0, 1, 2, 3, 4, 4, 4, 4, 5, 5])
    tally = chain.score_tally(scores, groups, 7)
    assert tally.shape == (7, 11) and tally.sum() == 10 and tally[4, 9] == 2 and tally[5, 0] == 1
    # a 6 is a detractor, 7 and 8 are passives, 9 and 10 promoters; group 4: (2 - 1) / 4
    assert close(chain.nps(tally), [-100.0, 0.0, 0.0, 100.0, 25.0, 0.0, np.nan])


def test_talk_probability_by_score():
    p = chain.talk_probability(0.3, 0.2, 0.1)
    assert close(p, [0.1] * 7 + [0.2, 0.2, 0.3, 0.3])


def test_image_update_on_hand_cases():
    # I' = (5 * 0.5 + 3 * 0.9) / (5 + 3)
    assert close(chain.update_image(0.5, 2.7, 3.0, 5.0), 0.65)
    assert close(chain.update_image(0.5, 2.7, 3.0, 0.0), 0.9)   # no inertia: the mean of what was heard
    assert close(chain.update_image(0.2, 0.0, 2.0, 2.0), 0.1)


def test_image_update_in_the_compiled_listening_loop():
    """The loop that applies the image update (numba), on the same hand cases."""
    image = np.array([[0.5, 0.2], [0.4, 0.8]], order="F")
    heard = np.zeros((2, 2, 4))
    heard[0, 0, :2] = 2.7, 3.0        # three messages of 0.9
    heard[0, 1, :2] = 0.0, 2.0        # two messages of 0
    kernels.listen(image, heard, 5.0)
    assert close(image, [[0.65, 1.0 / 7.0], [0.4, 0.8]])  # no news, no change


def test_adoption_hazard_on_hand_cases():
    # (0.01 + 0.2 (3 - 2 * 1) / 10) (0.6 / 0.5)^2
    h = chain.adoption_hazard(0.01, 0.2, A([3.0]), A([1.0]), 2.0, A([10.0]), 0.6, 0.5, 2.0)
    assert close(h, [0.03 * 1.44])
    h = chain.adoption_hazard(0.01, 0.2, A([0.0, 50.0, 0.0]), A([5.0, 0.0, 0.0]), 2.0, A([10.0, 10.0, 0.0]),
                              A([0.5, 0.5, 0.5]), 0.5, 1.0)
    assert close(h, [0.0, 1.0, 0.01])  # clipped below and above; no contacts, advertising only


# ======================================================= 2. the modules, per firm, one day at a time
N = 600
TWO = {"n_customers": N}


def model(seed=1, **params):
    return LoyaltyModel(rng=seed, **{**TWO, **params})


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


def snapshot(m, *names):
    return {n: np.array(getattr(m, n), copy=True) for n in names}


DIFFERENT = {**at("company", leadership=0.9, training=0.2, wage_premium=0.1, tangibles=0.3, advertising=0.001,
                  promise=0.9, complaint_ease=0.2, recovery=0.9),
             **at("competitor", leadership=0.3, training=0.8, wage_premium=-0.2, tangibles=0.8, advertising=0.004,
                  promise=0.4, complaint_ease=0.6, recovery=0.1)}


def test_management_internal_quality_per_firm():
    m = model(**DIFFERENT).run(1)
    # company 0.4*0.9 + 0.3*0.2 + 0.3*0.6; competitor 0.4*0.3 + 0.3*0.8 + 0.3*0.3
    assert close(m.today["internal_quality"], [0.60, 0.45])
    assert close(m.isq, [0.60, 0.45])


@pytest.mark.parametrize("day", [0, 3])
def test_employees_learn_and_feel_with_their_own_firms_policies(day):
    m = model(**DIFFERENT, turnover_satisfied=0.0, turnover_dissatisfied=0.0, learning_rate=0.05,
              pressure_sensitivity=0.7, satisfaction_adjustment=0.2).run(day)
    rest = run_until(m, "employees")
    s = snapshot(m, "emp_skill", "emp_satisfaction", "emp_disposition", "emp_firm", "pressure", "isq")
    rest[0].step(m)
    f = s["emp_firm"]
    training = np.where(f == 0, 0.2, 0.8)
    assert close(m.emp_skill, s["emp_skill"] + 0.05 * (1 + 2 * training) * (1 - s["emp_skill"]))
    isq, pressure = s["isq"][f], s["pressure"][f]
    target = np.clip(isq - 0.7 * pressure / (1 + pressure) + s["emp_disposition"], 0, 1)
    assert close(m.emp_satisfaction, s["emp_satisfaction"] + 0.2 * (target - s["emp_satisfaction"]))
    assert m.today["quits"].sum() == 0
    assert list(m.today["staff"]) == [np.sum(f == 0), np.sum(f == 1)]
    for g in (0, 1):
        assert close(m.today["employee_skill"][g], m.emp_skill[f == g].mean())
        assert close(m.today["employee_satisfaction"][g], m.emp_satisfaction[f == g].mean())
    if day:
        assert np.any(s["pressure"] > 0)  # yesterday's queues weigh on today's satisfaction


def test_quits_make_vacancies_for_the_hiring_delay():
    m = model(seed=2, n_customers=3000, turnover_satisfied=5.0, turnover_dissatisfied=5.0, hiring_delay=3,
              new_hire_skill=0.25, **at("company", staff_per_1000=100.0), **at("competitor", staff_per_1000=100.0))
    for _ in range(10):  # about 2.5 quits a day: the first day with some
        rest = run_until(m, "employees")
        before = m.emp_hires.copy()
        rest[0].step(m)
        quit_ids = np.flatnonzero(m.emp_hires > before)
        if quit_ids.size:
            break
        finish(m, rest[1:])
    d = m.day
    assert quit_ids.size == m.today["quits"].sum() > 0
    assert np.all(m.emp_vacant_until[quit_ids] == d + 3) and np.all(m.emp_hired_day[quit_ids] == d + 3)
    assert np.all(m.emp_skill[quit_ids] == 0.25) and np.all(m.emp_free_at[quit_ids] >= (d + 3) * m.hours)
    assert list(m.today["quits"]) == [np.sum(m.emp_firm[quit_ids] == g) for g in (0, 1)]
    assert m.today["staff"].sum() == m.emp_firm.size - quit_ids.size
    finish(m, rest[1:])


def test_initial_staff_follow_each_firms_ratio():
    m = model(**at("company", staff_per_1000=10.0), **at("competitor", staff_per_1000=30.0),
              **at("company", initial_share=0.3), **at("competitor", initial_share=0.2))
    for g, ratio in ((0, 10.0), (1, 30.0)):
        customers = np.count_nonzero(m.firm == g)
        assert np.count_nonzero(m.emp_firm == g) == max(1, round(ratio * customers / 1000))
    assert m.emp_skill.min() >= m.p["new_hire_skill"]
    assert np.all(m.emp_vacant_until == -1) and np.all(m.emp_hires == 1) and np.all(m.emp_open)


def test_a_staffing_review_on_its_day_matches_the_ratio_at_each_firm():
    m = model(staffing_review=4, **at("competitor", staff_per_1000=20.0)).run(4)
    before = np.bincount(m.emp_firm[m.emp_open], minlength=2)
    m.set_params(**{"company.staff_per_1000": 40.0, "competitor.staff_per_1000": 1.0})  # reviews at once
    open_now = np.bincount(m.emp_firm[m.emp_open], minlength=2)
    for g, ratio in ((0, 40.0), (1, 1.0)):
        assert open_now[g] == max(1, round(ratio * np.count_nonzero(m.firm == g) / 1000))
    assert open_now[0] > before[0] and open_now[1] < before[1]
    assert m.new_positions[0] == open_now[0] - before[0] and m.new_positions[1] == 0
    new = np.flatnonzero(m.emp_open & (m.emp_firm == 0))[before[0]:]
    assert np.all(m.emp_vacant_until[new] == m.day + m.p["hiring_delay"])
    assert np.all(m.emp_skill[new] == m.p["new_hire_skill"])
    closed = ~m.emp_open
    assert np.all(np.isinf(m.emp_free_at[closed]))


def test_staffing_reviews_happen_every_review_days_only():
    m = model(staffing_review=3, **at("company", staff_per_1000=4.0))
    positions = [m.emp_firm.size]
    m.base_policy["staff_per_1000"][0] = 40.0  # as if changed without a review: only a scheduled review acts on it
    for _ in range(7):
        m.step()
        positions.append(m.emp_firm.size)
    # reviews on days 3 and 6 (not day 0): the first review opens positions
    assert positions[0] == positions[1] == positions[2] == positions[3] < positions[4]


def test_a_review_closes_vacancies_first_then_the_latest_hires():
    m = model(n_customers=3000, staffing_review=1000, hiring_delay=50, **at("company", staff_per_1000=10.0)).run(2)
    m.set_params(**at("company", staff_per_1000=20.0))   # new positions, vacant for 50 days
    vacant = np.flatnonzero(m.emp_open & (m.emp_vacant_until > m.day))
    assert vacant.size > 1
    m.set_params(**at("company", staff_per_1000=19.0))
    still = np.flatnonzero(m.emp_open & (m.emp_vacant_until > m.day))
    assert still.size < vacant.size and np.all(np.isin(still, vacant))
    m.set_params(**at("company", staff_per_1000=2.0))
    kept = np.flatnonzero(m.emp_open & (m.emp_firm == 0))
    assert np.all(m.emp_vacant_until[kept] <= m.day)  # every vacancy went before any holder


def test_demand_each_firm_adopts_by_its_own_advertising_and_adopters_join_that_day():
    m = model(seed=3, wom_effect=0.0, image_attraction=0.0,
              **at("company", advertising=0.0), **at("competitor", advertising=0.2)).run(3)
    prospects = np.flatnonzero(m.firm == PROSPECT)
    rest = run_until(m, "demand")
    rest[0].step(m)
    adopters = prospects[m.firm[prospects] != PROSPECT]
    # hazard 0.2 at the competitor, 0 at the company: binomial(n, 0.2)
    n = prospects.size
    assert abs(adopters.size - 0.2 * n) < 4 * math.sqrt(n * 0.2 * 0.8)
    assert np.all(m.firm[adopters] == 1) and list(m.today["acquired"]) == [0, adopters.size]
    assert np.all(m.joined[adopters] == 3) and np.all(m.next_purchase[adopters] == 3)
    assert close(m.satisfaction[adopters], m.image[adopters, 1]) and np.all(m.failure_memory[adopters] == 0)
    assert np.all(np.isin(adopters, m.encounters["customer"]))  # they buy on the day they join
    due = m.encounters["customer"]
    assert np.all(m.firm[due] >= 0)
    finish(m, rest[1:])
    assert np.all(m.joined[adopters] == 3)


def test_adoption_follows_the_hazard_split_between_firms():
    m = model(seed=4, wom_effect=0.0, image_attraction=0.0,
              **at("company", advertising=0.15), **at("competitor", advertising=0.05))
    prospects = np.flatnonzero(m.firm == PROSPECT)
    m.step()
    went = m.firm[prospects]
    n = prospects.size
    for g, h in ((0, 0.15), (1, 0.05)):
        assert abs(np.sum(went == g) - h * n) < 4 * math.sqrt(n * h * (1 - h)), g
    m2 = model(seed=4, wom_effect=0.0, image_attraction=0.0,
               **at("company", advertising=0.2), **at("competitor", advertising=0.2))
    prospects = np.flatnonzero(m2.firm == PROSPECT)
    m2.step()
    went = m2.firm[prospects]
    assert abs(np.sum(went == 0) - np.sum(went == 1)) < 4 * math.sqrt(0.4 * prospects.size)


def test_word_of_mouth_hazard_reads_each_firms_recommendations():
    m = model(seed=5, wom_effect=1.0, warning_effect=0.0, image_attraction=0.0, talk_promoter=0.0,
              **at("company", advertising=0.0), **at("competitor", advertising=0.0))
    rest = run_until(m, "demand")
    prospects = np.flatnonzero(m.firm == PROSPECT)
    m.heard[prospects, 0, 2] = m.network.degree[prospects]  # every contact recommends the company
    rest[0].step(m)
    assert np.all(m.firm[prospects] == 0)


def test_customers_buy_at_the_purchase_rate():
    m = model(seed=6, n_customers=3000, purchase_rate=0.1).run(10)
    rest = run_until(m, "demand")
    rest[0].step(m)
    active = np.count_nonzero(m.firm >= 0)
    due = m.encounters["customer"].size
    assert abs(due - 0.1 * active) < 5 * math.sqrt(active * 0.09) + m.today["acquired"].sum()
    gaps = m.next_purchase[m.firm >= 0] - m.day
    assert gaps.min() >= 0


def test_a_surge_acts_on_exactly_its_days_at_its_firm():
    surge = [{"day": 4, "firm": "competitor", "kind": "surge", "days": 3, "factor": 15.0}]
    base = model(seed=7, purchase_rate=0.05).run(9).results()
    hit = model(seed=7, purchase_rate=0.05, events=surge).run(9).results()
    enc = lambda r, f: r[r.firm == f].encounters.to_numpy()
    comp_b, comp_h = enc(base, "competitor"), enc(hit, "competitor")
    active = hit[hit.firm == "competitor"].active.to_numpy()
    assert np.array_equal(comp_b[:4], comp_h[:4])              # nothing before day 4
    assert np.all(comp_h[4:7] > 0.6 * active[3:6])             # 14 x 0.05 = 70 % extra, on days 4, 5 and 6
    assert np.all(comp_h[7:] < 0.3 * active[6:8])              # over on day 7
    assert np.array_equal(enc(base, "company")[:5], enc(hit, "company")[:5])  # the other firm: no surge


def test_service_outputs_are_each_firms_own_queue():
    m = model(seed=8, **at("company", staff_per_1000=2.0), **at("competitor", staff_per_1000=12.0)).run(3)
    e, out = m.encounters, m.today
    for g in (0, 1):
        w = e["wait"][e["firm"] == g]
        assert close(out["wait_mean"][g], w.mean()) and close(out["wait_p90"][g], np.quantile(w, 0.9))
        staff = np.count_nonzero(m.emp_open & (m.emp_firm == g) & (m.emp_vacant_until <= m.day - 1))
        assert close(m.pressure[g], w.sum() / (m.hours * staff))
    assert np.all(m.emp_firm[e["server"]] == e["firm"])  # each firm's customers are served by its staff
    assert out["wait_mean"][0] > out["wait_mean"][1]


def test_utilisation_is_busy_time_over_working_time():
    m = model(seed=8).run(2)
    rest = run_until(m, "service")
    rates = chain.service_rate(m.emp_skill, m.emp_satisfaction, 60.0 / m.p["service_minutes"],
                               m.p["skill_productivity"], m.p["morale_productivity"])
    rest[0].step(m)
    e = m.encounters
    work = m.streams.exponential("service", m.day, e["customer"])
    for g in (0, 1):
        mine = e["firm"] == g
        staff = np.count_nonzero(m.emp_open & (m.emp_firm == g) & (m.emp_vacant_until <= m.day))
        assert close(m.today["utilisation"][g], np.sum(work[mine] / rates[e["server"][mine]]) / (m.hours * staff))
    finish(m, rest[1:])


def test_p90_is_the_linearly_interpolated_quantile():
    x = np.array([3.0, 1.0, 2.0, 10.0, 4.0, 7.0])
    assert close(p90(x), np.quantile(x, 0.9)) and close(p90(np.array([5.0])), 5.0) and np.isnan(p90(np.array([])))
    assert close(p90(np.array([0.0, 10.0])), 9.0)


def test_a_strike_takes_staff_out_from_its_first_to_its_last_day():
    strike = [{"day": 2, "firm": "competitor", "kind": "strike", "days": 2, "capacity": 0.0}]
    m = model(seed=9, events=strike).run(2)
    rest = run_until(m, "service")
    rest[0].step(m)
    theirs = m.emp_open & (m.emp_firm == 1)
    assert np.all(m.emp_free_at[theirs] >= 4 * m.hours)  # busy until the end of day 3
    assert np.all(m.encounters["wait"][m.encounters["firm"] == 1] > 0)
    finish(m, rest[1:])


@pytest.mark.parametrize("firm", [0, 1])
def test_encounter_tangibles_are_each_firms_own(firm):
    only = {f"weight_{k}": (1.0 if k == "tangibles" else 0.0) for k in DEFAULT_WEIGHTS}
    m = model(seed=10, encounter_noise=0.0, customer_heterogeneity=0.0, **only, **DIFFERENT).run(2)
    assert close(m.today["service_quality"], [0.3, 0.8])
    e = m.encounters
    assert close(e["quality"], np.where(e["firm"] == 0, 0.3, 0.8))


@pytest.mark.parametrize("dimension", ["assurance", "empathy", "responsiveness", "reliability"])
def test_encounter_dimensions_come_from_the_server_and_the_wait(dimension):
    only = {f"weight_{k}": (1.0 if k == dimension else 0.0) for k in DEFAULT_WEIGHTS}
    m = model(seed=11, encounter_noise=0.0, customer_heterogeneity=0.0, wait_tolerance=0.5, **only,
              **at("company", staff_per_1000=2.5)).run(2)
    e = m.encounters
    expected = {"assurance": m.emp_skill[e["server"]], "empathy": m.emp_satisfaction[e["server"]],
                "responsiveness": np.exp(-e["wait"] / 0.5), "reliability": 1.0 - e["failed"]}[dimension]
    assert close(e["quality"], expected)
    assert close(m.last_quality[e["customer"]], expected) and close(m.last_wait[e["customer"]], e["wait"])


def test_failures_follow_the_servers_skill():
    m = model(seed=12, n_customers=3000, failure_rate=0.0, novice_failure_rate=1.0).run(3)
    e = m.encounters
    p = 1.0 - m.emp_skill[e["server"]]
    n = p.size
    assert abs(e["failed"].sum() - p.sum()) < 4 * math.sqrt(np.sum(p * (1 - p))) + 1
    assert list(m.today["failures"]) == [np.sum(e["failed"] & (e["firm"] == g)) for g in (0, 1)]
    assert list(m.today["encounters"]) == [np.sum(e["firm"] == g) for g in (0, 1)] and n > 0
    m = model(seed=12, failure_rate=1.0).run(1)
    assert m.encounters["failed"].all()
    m = model(seed=12, failure_rate=0.0, novice_failure_rate=0.0).run(1)
    assert not m.encounters["failed"].any()


def test_explained_waits_feel_shorter_only_at_the_firm_in_crisis():
    only = {f"weight_{k}": (1.0 if k == "responsiveness" else 0.0) for k in DEFAULT_WEIGHTS}
    events = [{"day": 1, "firm": "competitor", "kind": "strike", "days": 1, "capacity": 0.5},
              {"firm": "competitor", "kind": "playbook", "crisis_communication": 0.75}]
    m = model(seed=13, encounter_noise=0.0, customer_heterogeneity=0.0, events=events, **only).run(2)
    e = m.encounters
    factor = np.where(e["firm"] == 1, 0.25, 1.0)
    assert close(e["quality"], np.exp(-e["wait"] * factor / m.p["wait_tolerance"]))
    assert close(m.events.felt_wait_factor, [1.0, 0.25])


SAT = dict(gain_sensitivity=0.5, loss_sensitivity=2.5, satisfaction_memory=0.4, expectation_learning=0.2,
           failure_forgetting=0.1, recovery_boost=0.2, churn_max=0.0)


@pytest.mark.parametrize("ease, recovery", [((1.0, 0.0), (1.0, 1.0)), ((0.0, 1.0), (1.0, 0.0))])
def test_satisfaction_complaints_and_recovery_per_firm(ease, recovery):
    policies = {**at("company", complaint_ease=ease[0], recovery=recovery[0]),
                **at("competitor", complaint_ease=ease[1], recovery=recovery[1])}
    m = model(seed=14, n_customers=1500, **SAT, **policies, **at("company", staff_per_1000=2.0)).run(4)
    rest = run_until(m, "satisfaction")
    s0 = snapshot(m, "satisfaction", "failure_memory", "image", "joined", "purchases")
    rest[0].step(m)
    e, out = m.encounters, m.today
    buyers, f, q = e["customer"], e["firm"], e["quality"]
    expectation = s0["image"][buyers, f]
    assert close(e["expectation"], expectation)
    d = q - expectation
    raw = np.clip(expectation + np.where(d >= 0, 0.5, 2.5) * d, 0, 1)
    dissatisfied = np.rint(10 * raw) <= 6
    assert list(out["dissatisfied"]) == [np.sum(dissatisfied & (f == g)) for g in (0, 1)]
    assert dissatisfied.sum() > 5
    for g in (0, 1):
        mine = dissatisfied & (f == g)
        expected_complaints = mine.sum() if ease[g] == 1.0 else 0
        assert out["complaints"][g] == expected_complaints and out["recoveries"][g] == (expected_complaints if recovery[g] else 0)
    first = s0["failure_memory"][buyers] < 0.5
    lifted = np.maximum(raw, np.clip(np.where(first, expectation + 0.2, expectation - 0.2), 0, 1))
    s = np.where(e["recovered"], lifted, raw)
    assert close(e["satisfaction"], s)
    new = s0["joined"][buyers] == m.day
    assert close(m.satisfaction[buyers], np.where(new, s, 0.6 * s0["satisfaction"][buyers] + 0.4 * s))
    memory = 0.9 * s0["failure_memory"]
    memory[buyers] += e["failed"]
    assert close(m.failure_memory, memory)
    assert close(m.image[buyers, f], 0.8 * expectation + 0.2 * q)
    others = np.ones(m.image.shape, dtype=bool)
    others[buyers, f] = False
    assert np.array_equal(m.image[others], s0["image"][others])
    assert np.array_equal(m.purchases[buyers], s0["purchases"][buyers] + 1)
    assert np.all(m.next_purchase[buyers] > m.day)
    finish(m, rest[1:])


def test_a_recovery_after_a_repeated_failure_disappoints():
    m = model(seed=15, n_customers=1500, **SAT, **at("company", complaint_ease=1.0, recovery=1.0),
              **at("competitor", complaint_ease=1.0, recovery=1.0), **at("company", staff_per_1000=2.0)).run(3)
    rest = run_until(m, "satisfaction")
    m.failure_memory[:] = np.where(np.arange(N * 0 + m.failure_memory.size) % 2 == 0, 0.0, 2.0)
    fm = m.failure_memory.copy()
    rest[0].step(m)
    e = m.encounters
    rec = e["recovered"]
    assert rec.sum() > 4
    first = fm[e["customer"]] < 0.5
    assert np.any(rec & first) and np.any(rec & ~first)
    E, q = e["expectation"], e["quality"]
    raw = np.clip(E + np.where(q >= E, 0.5, 2.5) * (q - E), 0, 1)
    # a first failure recovered: lifted to E + boost; a repeated one: only to E - boost
    assert close(e["satisfaction"][rec & first], np.maximum(raw, np.minimum(E + 0.2, 1))[rec & first])
    assert close(e["satisfaction"][rec & ~first], np.maximum(raw, np.maximum(E - 0.2, 0))[rec & ~first])
    assert np.all(e["satisfaction"][rec & first] > E[rec & first])
    finish(m, rest[1:])


def test_a_new_customers_first_satisfaction_is_its_first_encounter():
    m = model(seed=16, wom_effect=0.0, churn_max=0.0, **at("competitor", advertising=0.2)).run(2)
    rest = run_until(m, "demand")
    rest[0].step(m)
    adopters = np.flatnonzero(m.joined == m.day)
    adopters = adopters[m.firm[adopters] >= 0]
    assert adopters.size > 10
    for mod in rest[1:rest.index(next(x for x in rest if x.name == "satisfaction")) + 1]:
        mod.step(m)
    e = m.encounters
    k = np.isin(e["customer"], adopters)
    assert close(m.satisfaction[e["customer"][k]], e["satisfaction"][k])
    finish(m, rest[rest.index(next(x for x in rest if x.name == "satisfaction")) + 1:])


def test_loyalty_defectors_switch_only_to_a_better_image():
    # every buyer defects (churn_max 1, midpoint 2): p = 1 / (1 + exp((C - 2) / 0.01)) = 1
    m = model(seed=17, churn_max=1.0, churn_midpoint=1.0, churn_width=0.01).run(1)
    rest = run_until(m, "loyalty")
    buyers, f = m.encounters["customer"], m.encounters["firm"]
    c = m.commitment(buyers)
    image = m.image.copy()
    rest[0].step(m)
    assert m.encounters["defected"].all() and buyers.size > 10
    rival = 1 - f
    switch = image[buyers, rival] > c
    assert np.array_equal(m.firm[buyers], np.where(switch, rival, PROSPECT))
    movers = buyers[switch]
    assert close(m.satisfaction[movers], image[movers, rival[switch]])
    assert np.all(m.failure_memory[movers] == 0) and np.all(m.joined[movers] == m.day)
    assert np.all(m.satisfaction[buyers[~switch]] == 0)
    out = m.today
    assert list(out["lost_to_rival"]) == [np.sum(switch & (f == g)) for g in (0, 1)]
    assert list(out["won_from_rival"]) == [np.sum(switch & (rival == g)) for g in (0, 1)]
    assert list(out["exits"]) == [np.sum(~switch & (f == g)) for g in (0, 1)]
    finish(m, rest[1:])


def test_defection_follows_its_probability():
    m = model(seed=18, n_customers=4000, churn_max=0.5, churn_midpoint=0.5, churn_width=0.2).run(2)
    rest = run_until(m, "loyalty")
    c = m.commitment(m.encounters["customer"])
    rest[0].step(m)
    p = 0.5 / (1 + np.exp((c - 0.5) / 0.2))
    d = m.encounters["defected"]
    assert abs(d.sum() - p.sum()) < 4 * math.sqrt(np.sum(p * (1 - p)))
    finish(m, rest[1:])


def test_word_of_mouth_outputs_from_the_customers_state():
    m = model(seed=19, failure_weight=0.1).run(3)
    rest = run_until(m, "word_of_mouth")
    sat, fm, firm = m.satisfaction.copy(), m.failure_memory.copy(), m.firm.copy()
    rest[0].step(m)
    out = m.today
    score = np.rint(10 * np.clip(sat - 0.1 * fm, 0, 1))
    for g in (0, 1):
        mine = firm == g
        assert out["active"][g] == mine.sum()
        assert close(out["customer_satisfaction"][g], sat[mine].mean())
        nps = 100 * (np.sum(score[mine] >= 9) - np.sum(score[mine] <= 6)) / mine.sum()
        assert close(out["nps"][g], nps, 1e-9)
    finish(m, rest[1:])


def test_image_fades_and_advertising_pulls_per_firm():
    m = model(seed=20, image_decay=0.1, ad_persuasion=50.0, image_prior=0.4, **DIFFERENT).run(2)
    rest = run_until(m, "image")
    before = m.image.copy()
    rest[0].step(m)
    # company: pull = 50 * 0.001 = 0.05, promise 0.9; competitor: pull = min(1, 50 * 0.004) = 0.2, promise 0.4
    for g, pull, promise in ((0, 0.05, 0.9), (1, 0.2, 0.4)):
        expected = (1 - pull) * (0.9 * before[:, g] + 0.1 * 0.4) + pull * promise
        assert close(m.image[:, g], expected)
    assert close(m.today["image"], m.image.mean(axis=0))
    finish(m, rest[1:])


def test_advertising_pull_is_capped_at_one():
    m = model(seed=21, ad_persuasion=1000.0, **at("company", advertising=0.01, promise=0.9)).run(1)
    assert close(m.image[:, 0], 0.9)


def test_revenue_is_price_times_encounters_and_costs_add_up_per_firm():
    params = dict(price=7.0, daily_wage=100.0, training_cost=30.0, hiring_cost=1000.0, recovery_cost=40.0,
                  retention_cost=73.0, acquisition_cost_ratio=2.0, advertising_cost=0.5, turnover_dissatisfied=3.0,
                  **DIFFERENT)
    m = model(seed=22, **params).run(2)
    rest = run_until(m, "economics")
    new_positions = m.new_positions.copy()
    rest[0].step(m)
    out = m.today
    assert close(out["revenue"], 7.0 * out["encounters"]) and out["encounters"].min() > 0
    premium, training, advertising = np.array([0.1, -0.2]), np.array([0.2, 0.8]), np.array([0.001, 0.004])
    costs = (out["staff"] * 100.0 * (1 + premium) + out["staff"] * 30.0 * training
             + (out["quits"] + new_positions) * 1000.0 + out["recoveries"] * 40.0 + out["active"] * 73.0 / 365
             + (out["acquired"] + out["won_from_rival"]) * 2.0 * 73.0 + advertising / 0.001 * 0.5 * N)
    assert close(out["costs"], costs, 1e-9)
    assert close(out["profit"], out["revenue"] - out["costs"], 1e-9)
    assert close(out["market_share"], out["active"] / out["active"].sum())
    assert list(out["prospects"]) == [np.count_nonzero(m.firm == PROSPECT)] * 2
    assert np.all(m.new_positions == 0)
    m.day += 1
    m.run(2)
    r = m.results()
    for firm in ("company", "competitor"):
        d = r[r.firm == firm]
        assert close(d.cumulative_profit, np.cumsum(d.profit), 1e-6)


def test_a_new_position_costs_one_hire():
    m = model(seed=23, hiring_cost=1000.0, daily_wage=0.0, training_cost=0.0, recovery_cost=0.0, retention_cost=0.0,
              advertising_cost=0.0, turnover_satisfied=0.0, turnover_dissatisfied=0.0, staffing_review=2).run(1)
    m.set_params(**at("competitor", staff_per_1000=30.0))
    made = m.new_positions.copy()
    assert made[1] > 0
    m.step()
    assert close(m.today["costs"], 1000.0 * made)


def test_market_starts_with_each_firms_share():
    m = model(seed=24, n_customers=4000, initial_satisfaction=0.7, image_prior=0.45,
              **at("company", initial_share=0.5), **at("competitor", initial_share=0.2))
    n = 4000
    for g, share in ((0, 0.5), (1, 0.2), (PROSPECT, 0.3)):
        assert abs(np.mean(m.firm == g) - share) < 4 * math.sqrt(share * (1 - share) / n)
    active = m.firm >= 0
    assert np.all(m.satisfaction[~active] == 0) and abs(m.satisfaction[active].mean() - 0.7) < 0.01
    own = m.image[np.flatnonzero(active), m.firm[active]]
    assert close(own, m.satisfaction[active])
    other = m.image[np.flatnonzero(active), 1 - m.firm[active]]
    assert np.all(other == 0.45) and np.all(m.image[~active] == 0.45)
    assert np.all(m.joined == 0)
    # the initial satisfaction has a spread of 0.1 (before clipping)
    assert abs(m.satisfaction[active].std() - 0.1) < 0.01


def test_events_module_applies_playbooks_only_in_crisis_and_policy_changes_on_their_day():
    events = [{"day": 3, "firm": "company", "kind": "surge", "days": 1, "factor": 1.5},
              {"firm": "company", "kind": "playbook", "crisis_communication": 0.5, "complaint_ease": 0.9},
              {"firm": "competitor", "kind": "playbook", "recovery": 0.8},
              {"day": 2, "firm": "competitor", "kind": "policy", "changes": {"training": 0.1}}]
    m = model(seed=25, events=events, **DIFFERENT)
    seen = []
    for _ in range(6):
        m.step()
        seen.append((m.policy["complaint_ease"].tolist(), m.policy["recovery"].tolist(),
                     m.events.felt_wait_factor.tolist(), m.policy["training"][1]))
    base = ([0.2, 0.6], [0.9, 0.1], [1.0, 1.0])
    crisis = ([0.9, 0.6], [0.9, 0.1], [0.5, 1.0])  # the company's surge: day 3, and as long again (day 4)
    assert [s[:3] for s in seen] == [base, base, base, crisis, crisis, base]
    assert [s[3] for s in seen] == [0.8, 0.8, 0.1, 0.1, 0.1, 0.1]
    assert m.base_policy["complaint_ease"][0] == 0.2  # the playbook never changes the firm's own policy


# ============================================================ 3. common random numbers by the streams
def _names_used(**params):
    used = []
    key = Streams.key

    def spy(self, name):
        used.append(name)
        return key(self, name)

    Streams.key = spy
    try:
        model(seed=26, **params).run(4)
    finally:
        Streams.key = key
    return sorted(set(used))


def test_stream_names_do_not_depend_on_policies():
    base = _names_used()
    changed = _names_used(**DIFFERENT, **at("company", staff_per_1000=9.0))
    assert base == changed
    assert {"adopt", "defect", "failure", "perception", "complain", "recover", "arrival", "service",
            "talk", "leniency", "initial_firm"} <= set(base)
    assert "quit/company" in base and "quit/competitor" in base


def test_a_stream_is_a_function_of_seed_name_counter_and_id_only():
    a, b = Streams(5), Streams(5)
    ids = np.array([0, 7, 3])
    u = a.uniform("defect", 9, ids)
    assert np.array_equal(u, b.uniform("defect", 9, ids[[0, 1, 2]]))
    assert np.array_equal(u[[2, 0]], b.uniform("defect", 9, np.array([3, 0])))  # per id, not per position
    assert not np.array_equal(u, a.uniform("defect", 10, ids))
    assert not np.array_equal(u, a.uniform("churn", 9, ids))
    assert not np.array_equal(u, Streams(6).uniform("defect", 9, ids))
    assert np.all((u > 0) & (u < 1))


def test_policies_leave_the_draws_of_other_decisions_alone():
    a, b = model(seed=27).run(3), model(seed=27, **DIFFERENT).run(3)
    assert a.streams._keys == {k: v for k, v in b.streams._keys.items() if k in a.streams._keys}
    assert np.array_equal(a.leniency, b.leniency) and np.array_equal(a.network.degree, b.network.degree)
