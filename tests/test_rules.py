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

from conftest import Chooser, at, finish, run_until
from lealtad import LoyaltyModel, chain, kernels
from lealtad.modules.market import PROSPECT
from lealtad.modules.segments import alike, segment_arrays

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
    assert np.array_equal(chain.score_tally(A([3, 10]), A([0, 1])), [[0, 0, 0, 1] + [0] * 7, [0] * 10 + [1]])  # two groups
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
    kernels.listen(image, heard, 5.0, np.arange(2))
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










def test_staffing_reviews_happen_every_review_days_only():
    m = model(staffing_review=3, **at("company", in_person_staff_per_1000=4.0))
    positions = [m.emp_firm.size]
    m.base_policy["in_person_staff_per_1000"][0] = 40.0  # as if changed without a review: only a scheduled review acts on it
    for _ in range(7):
        m.step()
        positions.append(m.emp_firm.size)
    # reviews on days 3 and 6 (not day 0): the first review opens positions
    assert positions[0] == positions[1] == positions[2] == positions[3] < positions[4]




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
    assert np.all(np.isin(adopters, m.demand_today))  # they buy on the day they join
    due = m.demand_today
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
    due = m.demand_today.size
    assert abs(due - 0.1 * active) < 5 * math.sqrt(active * 0.09) + m.today["acquired"].sum()
    active = m.firm >= 0
    gaps = m.next_purchase[active & ~m.waiting] - m.day  # a contact still waiting keeps its customer due
    assert gaps.min() >= 0










@pytest.mark.parametrize("firm", [0, 1])
def test_encounter_tangibles_are_each_firms_own(firm):
    only = {f"weight_{k}": (1.0 if k == "tangibles" else 0.0) for k in DEFAULT_WEIGHTS}
    m = model(seed=10, encounter_noise=0.0, customer_heterogeneity=0.0, local_leniency_spread=0.0, **only, **DIFFERENT).run(2)
    assert close(m.today["service_quality"], [0.3, 0.8])
    e = m.encounters
    assert close(e["quality"], np.where(e["firm"] == 0, 0.3, 0.8))


@pytest.mark.parametrize("dimension", ["assurance", "empathy", "responsiveness", "reliability"])
def test_encounter_dimensions_come_from_the_server_and_the_wait(dimension):
    only = {f"weight_{k}": (1.0 if k == dimension else 0.0) for k in DEFAULT_WEIGHTS}
    m = model(seed=11, encounter_noise=0.0, customer_heterogeneity=0.0, local_leniency_spread=0.0, in_person_wait_tolerance=0.5, **only,
              **at("company", in_person_staff_per_1000=2.5)).run(2)
    e = m.encounters
    met = np.maximum(e["server"], 0)  # an unserved contact met nobody: skill and attitude 0
    assert e["served"].sum() > 10 and np.all(e["server"][~e["served"]] == -1)
    expected = {"assurance": np.where(e["served"], m.emp_skill[met], 0.0),
                "empathy": np.where(e["served"], m.emp_satisfaction[met], 0.0),
                "responsiveness": np.exp(-e["wait"] / np.array([0.5, 0.05, 0.1, 12.0])[e["channel"]]),
                "reliability": 1.0 - e["failed"]}[dimension]
    assert close(e["quality"], expected)
    assert close(m.last_quality[e["customer"]], expected) and close(m.last_wait[e["customer"]], e["wait"])


def test_failures_follow_the_servers_skill():
    m = model(seed=12, n_customers=3000, failure_rate=0.0, novice_failure_rate=1.0).run(3)
    e = m.encounters
    served = e["served"]
    p = 1.0 - m.emp_skill[e["server"][served]]
    n = p.size
    assert abs(e["failed"][served].sum() - p.sum()) < 4 * math.sqrt(np.sum(p * (1 - p))) + 1
    assert np.all(e["failed"][~served])  # an unserved contact is a failure (not counted in failures)
    assert list(m.today["failures"]) == [np.sum(e["failed"] & served & (e["firm"] == g)) for g in (0, 1)]
    assert list(m.today["encounters"]) == [np.sum(served & (e["firm"] == g)) for g in (0, 1)] and n > 0
    m = model(seed=12, failure_rate=1.0).run(1)
    assert m.encounters["failed"].all()
    m = model(seed=12, failure_rate=0.0, novice_failure_rate=0.0).run(1)
    assert np.array_equal(m.encounters["failed"], ~m.encounters["served"]) and m.encounters["served"].any()


def test_explained_waits_feel_shorter_only_at_the_firm_in_crisis():
    only = {f"weight_{k}": (1.0 if k == "responsiveness" else 0.0) for k in DEFAULT_WEIGHTS}
    events = [{"day": 1, "firm": "competitor", "kind": "strike", "days": 1, "capacity": 0.5},
              {"firm": "competitor", "kind": "playbook", "crisis_communication": 0.75}]
    m = model(seed=13, encounter_noise=0.0, customer_heterogeneity=0.0, local_leniency_spread=0.0, events=events, **only).run(2)
    e = m.encounters
    factor = np.where(e["firm"] == 1, 0.25, 1.0)
    tolerance = np.array([m.p[f"{c}_wait_tolerance"] for c in ("in_person", "phone", "chat", "email")])[e["channel"]]
    assert close(e["quality"], np.exp(-e["wait"] * factor / tolerance)) and np.any(e["wait"][e["firm"] == 1] > 0)
    assert close(m.events.felt_wait_factor, [1.0, 0.25])


SAT = dict(gain_sensitivity=0.5, loss_sensitivity=2.5, satisfaction_memory=0.4, expectation_learning=0.2,
           failure_forgetting=0.1, recovery_boost=0.2, churn_max=0.0)


@pytest.mark.parametrize("ease, recovery", [((1.0, 0.0), (1.0, 1.0)), ((0.0, 1.0), (1.0, 0.0))])
def test_satisfaction_complaints_and_recovery_per_firm(ease, recovery):
    policies = {**at("company", complaint_ease=ease[0], recovery=recovery[0]),
                **at("competitor", complaint_ease=ease[1], recovery=recovery[1])}
    m = model(seed=14, n_customers=1500, **SAT, **policies, **at("company", in_person_staff_per_1000=2.0)).run(4)
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
    assert np.array_equal(m.purchases[buyers], s0["purchases"][buyers] + e["served"])  # served contacts only
    assert np.all(m.next_purchase[buyers] > m.day)
    finish(m, rest[1:])


def test_a_recovery_after_a_repeated_failure_disappoints():
    m = model(seed=15, n_customers=1500, **SAT, **at("company", complaint_ease=1.0, recovery=1.0),
              **at("competitor", complaint_ease=1.0, recovery=1.0), **at("company", in_person_staff_per_1000=2.0)).run(3)
    rest = run_until(m, "satisfaction")
    # no failure, half a failure remembered, one, two: below half a failure counts as a first failure
    m.failure_memory[:] = np.array([0.0, 0.5, 1.0, 2.0])[np.arange(m.failure_memory.size) % 4]
    fm = m.failure_memory.copy()
    rest[0].step(m)
    e = m.encounters
    rec = e["recovered"]
    assert rec.sum() > 4
    first = fm[e["customer"]] < 0.5
    assert np.any(rec & first) and np.any(rec & (fm[e["customer"]] == 0.5)) and np.any(rec & (fm[e["customer"]] == 1.0))
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
    m = model(seed=17, churn_max=1.0, churn_midpoint=1.0, churn_width=0.01, local_competition_spread=0.0).run(1)
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
    params = dict(unit_cost=3.0, daily_wage=100.0, training_cost=30.0, hiring_cost=1000.0, recovery_cost=40.0,
                  retention_cost=73.0, onboarding_cost=11.0, advertising_cost=0.5, turnover_dissatisfied=3.0,
                  churn_max=0.9, churn_midpoint=1.0, image_prior=0.95,
                  **{**DIFFERENT, **at("company", in_person_staff_per_1000=20.0, price=7.0),
                     **at("competitor", in_person_staff_per_1000=30.0, price=9.0)})
    m = model(seed=22, **params).run(2)
    rest = run_until(m, "economics")
    new_positions = m.new_positions.copy()
    e = m.encounters
    rest[0].step(m)
    out = m.today
    # revenue: the units of served contacts at each firm's price; goods at the unit cost
    units = np.array([e["units"][(e["firm"] == g) & e["served"]].sum() for g in (0, 1)])
    assert np.all(e["units"][~e["served"]] == 0) and units.min() > 0
    assert close(out["revenue"], units * np.array([7.0, 9.0]), 1e-9) and out["encounters"].min() > 0
    assert out["staff"].min() > 1 and out["won_from_rival"].sum() > 0 and out["acquired"].sum() > 0
    premium, training, advertising = np.array([0.1, -0.2]), np.array([0.2, 0.8]), np.array([0.001, 0.004])
    won = out["acquired"] + out["won_from_rival"]
    acquisition = won * 11.0 + advertising / 0.001 * 0.5 * N
    retention = out["recoveries"] * 40.0 + out["active"] * 73.0 / 365
    costs = (units * 3.0 + out["staff"] * 100.0 * (1 + premium) + out["staff"] * 30.0 * training
             + (out["quits"] + new_positions) * 1000.0 + retention + acquisition
             + sum(out[f"{c}_contacts"] * m.p[f"{c}_contact_cost"] for c in ("in_person", "phone", "chat", "email")))
    assert close(out["costs"], costs, 1e-9)
    assert close(out["acquisition_spend"], acquisition, 1e-9) and close(out["retention_spend"], retention, 1e-9)
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
              advertising_cost=0.0, turnover_satisfied=0.0, turnover_dissatisfied=0.0, staffing_review=2,
              in_person_contact_cost=0.0, phone_contact_cost=0.0, chat_contact_cost=0.0, email_contact_cost=0.0,
              unit_cost=0.0, onboarding_cost=0.0).run(1)
    m.set_params(**at("competitor", in_person_staff_per_1000=30.0))
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
    # tenure: initial customers joined an exponential time ago (mean initial_tenure years), prospects never
    tenure = np.floor(365 * 3.0 * m.streams.exponential("initial_tenure", 0, np.arange(n)))
    assert np.array_equal(m.joined, np.where(active, -tenure, 0))
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
    changed = _names_used(**DIFFERENT, **at("company", in_person_staff_per_1000=9.0))
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


# ================================================= 4. decisions checked draw by draw on their streams
from scipy.special import ndtri  # noqa: E402


def test_market_day_zero_by_the_streams():
    m = model(seed=30, initial_satisfaction=0.75, **at("company", initial_share=0.35), **at("competitor", initial_share=0.25))
    ids = np.arange(N)
    u = m.streams.uniform("initial_firm", 0, ids)
    assert np.array_equal(m.firm, np.where(u < 0.35, 0, np.where(u < 0.6, 1, PROSPECT)))
    start = np.clip(0.75 + 0.1 * ndtri(m.streams.uniform("initial_satisfaction", 0, ids)), 0, 1)
    assert close(m.satisfaction, np.where(m.firm >= 0, start, 0.0))
    for level in (0.97, 0.03):  # both ends of the clip are reached
        s = model(seed=30, initial_satisfaction=level).satisfaction
        active = s[model(seed=30).firm >= 0]
        assert np.all((active >= 0) & (active <= 1)) and np.mean((active == 0) | (active == 1)) > 0.3


def test_leniency_and_perception_noise_by_the_streams():
    only = {f"weight_{k}": (1.0 if k == "tangibles" else 0.0) for k in DEFAULT_WEIGHTS}
    m = model(seed=31, customer_heterogeneity=0.1, encounter_noise=0.05, **only, **DIFFERENT)
    hood = np.minimum((m.place * m.p["neighbourhoods"]).astype(int), m.p["neighbourhoods"] - 1)
    local = m.p["local_leniency_spread"] * ndtri(m.streams.uniform("local_leniency", 0, np.arange(m.p["neighbourhoods"])))
    assert close(m.leniency, 0.1 * ndtri(m.streams.uniform("leniency", 0, np.arange(N))) + local[hood])
    m.run(3)
    e = m.encounters
    noise = m.leniency[e["customer"]] + 0.05 * ndtri(m.streams.uniform("perception", 2, e["customer"]))
    assert close(e["quality"], np.clip(np.where(e["firm"] == 0, 0.3, 0.8) + noise, 0, 1))


def test_failures_by_the_stream():
    m = model(seed=32, failure_rate=0.1, novice_failure_rate=0.5).run(3)
    e = m.encounters
    served = e["served"]
    skill = np.where(served, m.emp_skill[np.maximum(e["server"], 0)], 0.0)  # nobody met: skill 0
    p = np.clip(0.1 + 0.5 * (1 - skill), 0, 1)
    assert np.array_equal(e["failed"], ~served | (m.streams.uniform("failure", 2, e["customer"]) < p))
    assert served.sum() > 10 and np.all(e["server"][~served] == -1)


def test_first_purchase_days_and_later_gaps_by_the_stream():
    m = model(seed=33, purchase_rate=0.2)
    u = m.streams.uniform("purchase_gap", -1, np.arange(N))
    # a geometric gap (1, 2, ...) with the person's daily rate (the market's x segment's x neighbourhood's), minus one
    rate = 0.2 * segment_arrays(m.p)["frequency"][m.segment] * m.local_demand
    assert np.array_equal(m.next_purchase, np.floor(np.log(u) / np.log1p(-rate)))
    m.run(3)
    e = m.encounters
    buyers = e["customer"]
    u = m.streams.uniform("purchase_gap", 2, buyers)
    retry = ~e["served"] & (m.streams.uniform("retry", 2, buyers) < m.p["retry"])  # unserved: tomorrow, perhaps
    assert np.array_equal(m.next_purchase[buyers], np.where(retry, 3, 2 + 1 + np.floor(np.log(u) / np.log1p(-rate[buyers]))))
    m = model(seed=33, purchase_rate=1.0, local_demand_spread=0.0, **alike()).run(2)
    assert np.all(m.next_purchase[m.encounters["customer"]] == 2)  # a rate of one: every day


def test_adoption_decisions_by_the_stream_with_three_firms():
    m = model(seed=34, firms=3, wom_effect=0.3, warning_effect=0.5, image_attraction=1.5, image_prior=0.5,
              **at("company", advertising=0.01), **at("competitor", advertising=0.05), **at("firm_3", advertising=0.0))
    m.run(2)
    rest = run_until(m, "demand")
    prospects = np.flatnonzero(m.firm == PROSPECT)
    k = m.network.degree[prospects]
    rng = np.random.default_rng(0)
    m.heard = m.heard.copy()  # news the network did not tell: a new array, which every prospect is read from
    for g in range(3):
        m.heard[prospects, g, 2] = rng.integers(0, 2 * k + 1)
        m.heard[prospects, g, 3] = rng.integers(0, k + 1)
        m.image[prospects, g] = rng.uniform(0.3, 0.9, prospects.size)
    heard, image = m.heard[prospects].copy(), m.image[prospects].copy()
    rest[0].step(m)
    advertising = (0.01, 0.05, 0.0)
    h = np.array([np.clip((advertising[g] + 0.3 * (heard[:, g, 2] - 0.5 * heard[:, g, 3]) / np.maximum(k, 1e-12))
                          * (image[:, g] / 0.5) ** 1.5, 0, 1) for g in range(3)])
    bounds = np.cumsum(h, axis=0)
    u = m.streams.uniform("adopt", 2, prospects) * np.maximum(1.0, bounds[-1])  # sure odds split in proportion
    choice = np.sum(u >= bounds, axis=0)
    expected = np.where(choice < 3, choice, PROSPECT)
    assert np.array_equal(m.firm[prospects], expected)
    assert np.any(bounds[-1] > 1) and set(expected) == {0, 1, 2, PROSPECT}
    assert list(m.today["acquired"]) == [np.sum(expected == g) for g in range(3)]
    finish(m, rest[1:])


def test_surge_extra_buyers_by_the_stream():
    surge = [{"day": 3, "firm": "competitor", "kind": "surge", "days": 2, "factor": 3.0}]
    base = model(seed=35, purchase_rate=0.1).run(3)
    hit = model(seed=35, purchase_rate=0.1, events=surge).run(3)
    for m in (base, hit):
        run_until(m, "demand")[0].step(m)
    due = base.demand_today  # the same before the surge (common random numbers)
    theirs = np.setdiff1d(np.flatnonzero(hit.firm == 1), due)
    rate = 0.1 * segment_arrays(hit.p)["frequency"][hit.segment[theirs]] * hit.local_demand[theirs]  # each person's
    extra = theirs[hit.streams.uniform("surge", 3, theirs) < (3.0 - 1) * rate]
    assert extra.size > 5
    assert np.array_equal(np.sort(hit.demand_today), np.union1d(due, extra))




def test_a_hire_starts_work_on_the_day_the_vacancy_ends():
    from lealtad.modules.staffing import staffed

    m = model(seed=37, hiring_delay=2).run(1)
    m.set_params(**at("company", in_person_staff_per_1000=30.0))
    new = np.flatnonzero(m.emp_vacant_until == m.day + 2)
    assert new.size > 0 and np.all(m.emp_hired_day[new] == m.day + 2)
    m.run(1)
    assert not staffed(m)[new].any()
    m.run(1)
    assert staffed(m)[new].all()


def test_initial_positions_by_the_streams_and_each_firms_quality():
    m = model(seed=38, n_customers=3000, employee_heterogeneity=0.5, new_hire_skill=0.3, **DIFFERENT,
              **at("company", in_person_staff_per_1000=20.0), **at("competitor", in_person_staff_per_1000=25.0))
    for g, firm, isq in ((0, "company", 0.60), (1, "competitor", 0.45)):
        mine = np.flatnonzero(m.emp_firm == g)
        local = np.arange(mine.size)
        assert np.array_equal(m.emp_local[mine], local)
        disposition = 0.5 * ndtri(m.streams.uniform(f"disposition/{firm}", 0, local))
        assert close(m.emp_disposition[mine], disposition)
        assert close(m.emp_satisfaction[mine], np.clip(isq + disposition, 0, 1))
        assert close(m.emp_skill[mine], 0.3 + 0.7 * m.streams.uniform(f"initial_skill/{firm}", 0, local))
    assert np.all(m.emp_hired_day == 0) and np.all(m.emp_free_at == 0)
    assert np.any(m.emp_satisfaction == 1.0) and np.any(m.emp_satisfaction == 0.0)  # both ends of the clip
    assert len(m.employees) == m.emp_firm.size


def test_a_review_closes_the_latest_hires_first():
    m = model(n_customers=3000, seed=39, hiring_delay=1, staffing_review=1000, turnover_satisfied=0.0,
              turnover_dissatisfied=0.0, **at("company", in_person_staff_per_1000=10.0)).run(2)
    first = np.flatnonzero(m.emp_firm == 0)
    m.set_params(**at("company", in_person_staff_per_1000=14.0))
    later = np.setdiff1d(np.flatnonzero(m.emp_firm == 0), first)
    m.run(3)  # the new hires have started (hired on day 3)
    assert np.all(m.emp_hired_day[later] == 3) and np.all(m.emp_vacant_until[later] <= m.day)
    m.set_params(**at("company", in_person_staff_per_1000=12.0))
    assert m.emp_open[first].all() and not m.emp_open[later].all() and m.emp_open[later].any()


def test_defection_decisions_by_the_stream():
    m = model(seed=40, n_customers=2000, churn_max=0.4, churn_midpoint=0.6, churn_width=0.15, failure_weight=0.2).run(2)
    rest = run_until(m, "loyalty")
    buyers = m.encounters["customer"]
    c = np.clip(m.satisfaction[buyers] - 0.2 * m.failure_memory[buyers], 0, 1)
    rest[0].step(m)
    # the loyalty zones' chance, scaled by the neighbourhood's competition; no price reason at the reference price
    p = np.minimum(0.4 / (1 + np.exp((c - 0.6) / 0.15)) * m.local_competition[buyers], 1)
    assert np.all(m.encounters["penalty"] == 0)
    assert np.array_equal(m.encounters["defected"], m.streams.uniform("defect", 2, buyers) < p)
    assert m.encounters["defected"].sum() > 3
    finish(m, rest[1:])


def test_choice_without_noise_switches_only_to_a_strictly_better_image():
    from lealtad.modules.loyalty import choose

    image = [[0.9, 0.6], [0.9, 0.4], [0.3, 0.8], [0.5, 0.5]]
    target = choose(Chooser(image, 0.0), np.arange(4), np.array([0, 0, 1, 0]), np.array([0.5, 0.5, 0.7, 0.5]))
    assert list(target) == [1, PROSPECT, PROSPECT, PROSPECT]  # 0.5 = 0.5 is not better: leaves
    three = [[0.9, 0.6, 0.7], [0.2, 0.4, 0.3], [0.1, 0.8, 0.9]]
    target = choose(Chooser(three, 0.0), np.arange(3), np.array([0, 0, 2]), np.array([0.5, 0.5, 0.5]))
    assert list(target) == [2, PROSPECT, 1]


@pytest.mark.parametrize("image, utilities", [([0.0, 0.5], [0.45, 0.5]), ([0.0, 0.6, 0.5, 0.4], [0.45, 0.6, 0.5, 0.4])])
def test_choice_with_noise_is_a_multinomial_logit(image, utilities):
    """Gumbel-max with scale s: P(option) = exp(U/s) / sum exp(U/s) (McFadden 1974)."""
    from lealtad.modules.loyalty import choose

    n, s = 12_000, 0.1
    target = choose(Chooser(np.tile(image, (n, 1)), s), np.arange(n), np.zeros(n, dtype=np.int64), np.full(n, 0.45))
    u = np.array(utilities)
    expected = np.exp(u / s) / np.exp(u / s).sum()
    observed = np.array([np.mean(target == PROSPECT)] + [np.mean(target == g) for g in range(1, len(image))])
    assert np.all(np.abs(observed - expected) < 4.5 * np.sqrt(expected * (1 - expected) / n)), (observed, expected)
    assert not np.any(target == 0)


def test_choice_ties_between_firms_are_broken_evenly_by_a_draw():
    from lealtad.modules.loyalty import choose

    n = 9000
    target = choose(Chooser(np.tile([0.2, 0.7, 0.7, 0.7], (n, 1)), 0.0), np.arange(n), np.zeros(n, dtype=np.int64),
                    np.full(n, 0.5))
    counts = np.bincount(target, minlength=4)
    assert counts[0] == 0 and counts.sum() == n
    assert np.all(np.abs(counts[1:] / n - 1 / 3) < 4.5 * np.sqrt(2 / 9 / n))
    # a tie only among the best: the worse firm is never chosen
    target = choose(Chooser(np.tile([0.2, 0.7, 0.7, 0.6], (n, 1)), 0.0), np.arange(n), np.zeros(n, dtype=np.int64),
                    np.full(n, 0.5))
    counts = np.bincount(target, minlength=4)
    assert counts[3] == 0 and abs(counts[1] - counts[2]) < 4.5 * math.sqrt(n / 2)


@pytest.mark.parametrize("talk, reach", [((1.0, 0.0, 0.0), 0), ((0.0, 0.0, 1.0), 1)])
def test_word_of_mouth_reach_and_listening(talk, reach):
    m = model(seed=41, talk_promoter=talk[0], talk_passive=talk[1], talk_detractor=talk[2], image_inertia=3.0,
              failure_weight=0.1).run(3)
    rest = run_until(m, "word_of_mouth")
    sat, fm, firm, image = m.satisfaction.copy(), m.failure_memory.copy(), m.firm.copy(), m.image.copy()
    rest[0].step(m)
    score = np.rint(10 * np.clip(sat - 0.1 * fm, 0, 1))
    talker = (score >= 9) if reach == 0 else (score <= 6)
    for g in (0, 1):
        heard = np.sum(m.network.degree[talker & (firm == g)])
        assert m.today["recommendations" if reach == 0 else "warnings"][g] == heard > 0
        assert m.today["warnings" if reach == 0 else "recommendations"][g] == 0
    count, total = m.heard[:, :, 1], m.heard[:, :, 0]
    assert np.any(count > 0)
    assert close(m.image, np.where(count > 0, (3.0 * image + total) / (3.0 + count), image), 1e-12)
    finish(m, rest[1:])




def test_a_firm_without_customers_has_an_idle_queue():
    m = model(seed=44, **at("company", initial_share=0.0, advertising=0.0), **at("competitor", initial_share=0.5)).run(2)
    assert m.today["encounters"][0] == 0 and m.today["contacts"][0] == 0 and np.isnan(m.today["wait_mean"][0])
    assert m.today["staff"][0] == 0 and np.isnan(m.today["utilisation"][0])  # nobody uses it: no agents
    assert np.isnan(m.today["wait_p90"][0]) and np.all(m.pressure[m.emp_firm == 0] == 0.0)
    assert m.today["encounters"][1] > 0


def test_a_single_request_at_a_single_server():
    m = model(seed=2, purchase_rate=1.0, wom_effect=0.0, churn_max=0.0, in_person_share=1.0, phone_share=0.0, chat_share=0.0, email_share=0.0, **at("company", initial_share=0.002, advertising=0.0, in_person_staff_per_1000=0.1))
    assert np.count_nonzero(m.firm == 0) == 1 and np.count_nonzero(m.emp_firm == 0) == 1
    m.run(2)
    assert m.today["encounters"][0] == 1 and np.isfinite(m.today["wait_mean"][0])


def test_a_review_every_day_starts_on_day_one():
    m = model(staffing_review=1)
    positions = m.emp_firm.size
    m.base_policy["in_person_staff_per_1000"][0] = 40.0
    m.step()
    assert m.emp_firm.size == positions  # no review on day 0
    m.step()
    assert m.emp_firm.size > positions


def test_striking_takes_the_drawn_positions_for_the_whole_strike_only():
    from lealtad.modules.staffing import at_work, striking

    strike = [{"day": 2, "firm": "competitor", "kind": "strike", "days": 3, "capacity": 0.4}]
    m = model(seed=46, n_customers=3000, events=strike, **at("competitor", in_person_staff_per_1000=30.0),
              **at("company", in_person_staff_per_1000=30.0)).run(3)
    theirs = np.flatnonzero(m.emp_open & (m.emp_firm == 1))
    out = theirs[m.streams.uniform("strike/competitor", 2, m.emp_local[theirs]) >= 0.4]  # drawn on the first day
    expected = np.zeros(m.emp_firm.size, dtype=bool)
    expected[out] = True
    assert 2 < out.size < theirs.size and np.array_equal(striking(m), expected)  # day 3
    assert np.array_equal(m.emp_striking, expected) and not at_work(m)[out].any()
    assert not np.isin(m.encounters["server"], out).any()  # strikers serve nobody
    assert m.today["staff"][1] == np.count_nonzero(at_work(m) & (m.emp_firm == 1))  # and are not paid
    m.day = 5  # the strike's days are 2, 3 and 4
    assert not striking(m).any()
    m.day = 1
    assert not striking(m).any()


def test_choice_ties_among_three_firms_are_broken_by_a_draw():
    from lealtad.modules.loyalty import choose

    n = 6000
    target = choose(Chooser(np.tile([0.2, 0.7, 0.7], (n, 1)), 0.0), np.arange(n), np.zeros(n, dtype=np.int64),
                    np.full(n, 0.5))
    counts = np.bincount(target, minlength=3)
    assert counts[0] == 0 and abs(counts[1] - counts[2]) < 4.5 * math.sqrt(n)


def test_unit_plan_units_by_customers_and_agents_by_the_ratio_rounded_up():
    from lealtad.modules.staffing import unit_plan

    m = model(n_customers=3000, in_person_share=1.0, phone_share=0.0, chat_share=0.0, email_share=0.0, **alike(),
              in_person_unit_customers=800, staffing_review=30, hiring_delay=15,
              **at("company", in_person_staff_per_1000=10.0), **at("competitor", in_person_staff_per_1000=2.0))
    m.firm[:] = PROSPECT
    m.firm[:1150] = 0        # round(1150 / 800) = 1 unit; 10 x 1150 / 1000 = 11.5 -> 12
    m.firm[1150:1400] = 1    # 1 unit; 2 x 250 / 1000 = 0.5 -> 1
    m.users_at_review[:] = [[1150, 0, 0, 0, 0], [250, 0, 0, 0, 0]]  # no growth since the review
    assert unit_plan(m, 0, 0) == (1, 12) and unit_plan(m, 1, 0) == (1, 1)
    assert unit_plan(m, 0, 1) == (1, 0)  # nobody uses the phone: no agent
    m.firm[:] = PROSPECT
    m.firm[:2100] = 0        # round(2100 / 800) = 3 units; no growth: 10 x 700 / 1000 = 7 per unit
    m.users_at_review[0, 0] = 2100
    m.firm[2100:2600] = 1    # 1 unit; grew from 250 to 500: 500 + 250 x (30 + 15) / 30 = 875 expected -> 2 x 0.875 -> 2
    assert unit_plan(m, 0, 0) == (3, 7) and unit_plan(m, 1, 0) == (1, 2)
    m.users_at_review[0, 0] = 3000  # a decline is not cut ahead of: 2100 users, 3 x 7
    assert unit_plan(m, 0, 0) == (3, 7)
    m.policy["in_person_staff_per_1000"][1] = 0.0
    assert unit_plan(m, 1, 0) == (1, 0)  # a ratio of 0: the firm does not answer there


def _one_unit(free, balk, patience=(np.inf, np.inf, 0.3, np.inf)):
    """Two places of rate 1 in one unit open 9:00-17:00 on day 0; arrivals 9:00, 9:00, 9:30, 9:36 with an
    hour of work each."""
    F = lambda *x: np.array(x, dtype=float)
    free_at = F(*free)
    out = kernels.serve_units(np.array([0, 4]), F(9.0, 9.0, 9.5, 9.6), F(1, 1, 1, 1), F(*patience), np.array([0, 2]),
                              F(1, 1), free_at, F(9.0), F(8.0), np.array([False]), F(balk), 0)
    return out, free_at


def test_serve_units_first_come_first_served_with_abandonment_and_balking_by_hand():
    S, A_, B = kernels.SERVED, kernels.ABANDONED, kernels.BALKED
    # 9:00 two at once take both places; 9:30 would start at 10:00 (0.5 h) but gives up after 0.3 h (9:48);
    # 9:36 waits for place 0 (free at 10:00): wait 0.4, busy until 11:00
    (outcome, wait, wait_w, place, ended, busy), free_at = _one_unit([0, 0], np.inf)
    assert list(outcome) == [S, S, A_, S] and list(place) == [0, 1, -1, 0]
    assert close(wait, [0, 0, 0.3, 0.4]) and close(wait_w, [0, 0, 0.3, 0.4]) and close(ended, [9, 9, 9.8, 10])
    assert close(free_at, [2, 1]) and close(busy, [2, 1])
    # balking at 0.5 per place (one waiting of two places): 9:36 finds the 9:30 customer waiting and turns away
    (outcome, wait, wait_w, place, ended, busy), free_at = _one_unit([0, 0], 0.5)
    assert list(outcome) == [S, S, A_, B] and list(place) == [0, 1, -1, -1]
    assert close(wait, [0, 0, 0.3, 0]) and close(ended, [9, 9, 9.8, 9.6]) and close(free_at, [1, 1]) and close(busy, [1, 1])
    # patient customers: 9:30 waits for place 0 until 10:00, 9:36 for place 1 until 10:00
    (outcome, wait, _, place, ended, busy), free_at = _one_unit([0, 0], np.inf, patience=(np.inf,) * 4)
    assert list(outcome) == [S] * 4 and list(place) == [0, 1, 0, 1] and close(wait, [0, 0, 0.5, 0.4])
    assert close(free_at, [2, 2]) and close(busy, [2, 2])
    # a unit that does not carry its queue starts each day afresh: work left from earlier (free at 1.0 and 0.5
    # working hours, i.e. before today's opening on day 1) is done in the evening, so day 1 runs as day 0 did
    F = lambda *x: np.array(x, dtype=float)
    free_at = F(1.0, 8.5)
    out = kernels.serve_units(np.array([0, 4]), F(9.0, 9.0, 9.5, 9.6) + 24, F(1, 1, 1, 1), F(*(np.inf,) * 4),
                              np.array([0, 2]), F(1, 1), free_at, F(9.0), F(8.0), np.array([False]), F(np.inf), 1)
    assert list(out[3]) == [0, 1, 0, 1] and close(out[1], [0, 0, 0.5, 0.4]) and close(free_at, [10, 10])


def test_p90_of_the_waits_is_the_linearly_interpolated_quantile():
    # group 0: served waits 0, 10, 5 (sorted 0, 5, 10: position 0.9 x 2 = 1.8 -> 5 + 0.8 x 5 = 9), one unserved;
    # group 1: one wait of 3; group 2: nothing
    group = np.array([0, 0, 0, 0, 1])
    served = np.array([True, True, True, False, True])
    ended, unserved, timely, mean, p90 = kernels.contact_tallies(group, served, np.array([0.0, 10.0, 5.0, 7.0, 3.0]),
                                                                 np.array([True, False, True, True, False]), 3)
    assert close(ended, [4, 1, 0]) and close(unserved, [1, 0, 0]) and close(timely, [2, 0, 0])
    assert close(mean, [5.0, 3.0, np.nan]) and close(p90, [9.0, 3.0, np.nan])
    # through the outputs: each firm's served waits
    m = model(seed=8, **at("company", in_person_staff_per_1000=2.0), **at("competitor", in_person_staff_per_1000=12.0)).run(3)
    e = m.encounters
    for g in (0, 1):
        w = e["wait"][(e["firm"] == g) & e["served"]]
        assert w.size > 5 and close(m.today["wait_p90"][g], np.quantile(w, 0.9)) and close(m.today["wait_mean"][g], w.mean())
