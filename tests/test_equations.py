"""One source for the equations: each rule's docstring in `lealtad.chain` states its equation in
``Rule:`` lines, docs/odd.md prints those lines (`python -m lealtad.doc_tables`), and here each is
evaluated on sample inputs and compared with what the function itself computes. An edit to a rule
that does not edit its equation (or the other way round) fails here."""

import inspect

import numpy as np
import pytest
from numba.core.errors import TypingError

from lealtad import chain, doc_tables
from lealtad.kernels import rules

rng = np.random.default_rng(20261202)
N = 400


def u(low=0.0, high=1.0):
    return rng.uniform(low, high, N)


WEIGHTS = {"reliability": 0.3, "responsiveness": 0.25, "assurance": 0.15, "empathy": 0.2, "tangibles": 0.1}

# Inputs for each rule, wide enough to reach every branch (clips, both signs of a surprise, both
# kinds of failure, zero rates).
SAMPLES = {
    "internal_service_quality": [dict(leadership=u(), training=u(), wage_premium=u(-0.9, 0.9))],
    "employee_satisfaction": [dict(current=u(), isq=u(), pressure=u(0, 6), disposition=u(-0.5, 0.5),
                                   sensitivity=0.7, adjustment=0.05)],
    "daily_quit_probability": [dict(satisfaction=u(), rate_satisfied=0.08, rate_dissatisfied=1.0),
                               dict(satisfaction=u(), rate_satisfied=0.0, rate_dissatisfied=2.0),
                               dict(satisfaction=u(), rate_satisfied=0.0, rate_dissatisfied=0.0)],
    "learn": [dict(skill=u(), learning_rate=0.01, training=u()), dict(skill=u(), learning_rate=0.6, training=u())],
    "service_rate": [dict(skill=u(), satisfaction=u(), base_rate=3.0, skill_productivity=0.5, morale_productivity=0.3),
                     dict(skill=u(), satisfaction=u(), base_rate=3.0, skill_productivity=0.5, morale_productivity=3.0)],
    "failure_probability": [dict(skill=u(), failure_rate=0.03, novice_failure_rate=0.15),
                            dict(skill=u(), failure_rate=0.6, novice_failure_rate=0.9)],
    "encounter_quality": [dict(failed=(u() < 0.3).astype(float), wait=u(0, 2), skill=u(), attitude=u(), tangibles=u(),
                               noise=u(-0.4, 0.4), weights=WEIGHTS, wait_tolerance=0.25)],
    "transaction_satisfaction": [dict(quality=u(), expectation=u(), gain_sensitivity=1.0, loss_sensitivity=2.0)],
    "recovered_satisfaction": [dict(expectation=u(), first_failure=u() < 0.5, boost=0.15)],
    "cumulative": [dict(old=u(), new=u(), weight=0.3)],
    "commitment": [dict(satisfaction=u(), failure_memory=u(0, 4), failure_weight=0.15)],
    "defection_probability": [dict(commitment_=u(), churn_max=0.3, midpoint=0.35, width=0.11)],
    "recommend_score": [dict(commitment_=np.concatenate([u(), np.arange(11) / 10 + 0.05]))],
    "talk_probability": [dict(talk_promoter=0.06, talk_passive=0.01, talk_detractor=0.1)],
    "update_image": [dict(image=u(), heard_sum=u(0, 5), heard_count=u(0, 8), inertia=5.0)],
    "adoption_hazard": [dict(advertising=0.0005, wom_effect=0.02, recommendations=u(0, 10), warnings=u(0, 10),
                             warning_effect=1.0, degree=u(1, 20), image=u(0.01, 1), image_prior=0.5, image_attraction=a)
                        for a in (1.0, 0.0, 2.5)] + [
        dict(advertising=0.3, wom_effect=0.9, recommendations=u(0, 20), warnings=u(0, 1), warning_effect=1.0,
             degree=u(0, 5), image=u(0.01, 1), image_prior=0.2, image_attraction=1.0)],
    "tenure_growth": [dict(tenure_days=u(-100, 3000), growth_years=5.0), dict(tenure_days=u(0, 100), growth_years=0.0)],
    "units_bought": [dict(basket=u(0, 5), growth=u(), commitment_=u(), spend_growth=0.5, commitment_spend=0.4),
                     dict(basket=u(0, 5), growth=u(), commitment_=u(), spend_growth=-1.0, commitment_spend=-2.0)],
    "service_effort": [dict(growth=u(), experience_saving=0.3), dict(growth=u(), experience_saving=-0.5)],
    "price_penalty": [dict(price=u(0, 50), reference_price=25.0, sensitivity=u(0, 2), growth=u(), price_premium=p,
                           gain_share=0.5, clarity=u(), confusion=0.2) for p in (0.4, -2.0, 1.0)],
    "encounter_value": [dict(quality=u(), penalty=u(-0.5, 1.5))],
    "exit_probability": [dict(defection=u(0, 0.4), penalty=u(-0.5, 2), price_exit=0.6, competition=u(0.2, 4))],
    "lifetime_value": [dict(margin=u(-50, 300), retention=u(0, 0.99), discount_rate=0.1, acquisition_cost=u(0, 200))],
}
# Counting definitions, not rules of behaviour: they tally scores (their tests are in test_chain.py).
NOT_RULES = {"score_tally", "nps", "clip"}  # clip: the notation of the rules, not a rule

NAMESPACE = {"clip": lambda x: np.clip(x, 0.0, 1.0), "where": np.where, "exp": np.exp, "log": np.log,
             "minimum": np.minimum, "maximum": np.maximum, "rint": np.rint, "arange": np.arange, "sum": sum}


def evaluate(lines, inputs):
    """The docstring's equation: each line NAME = EXPRESSION evaluated in turn, the last is the result."""
    scope = dict(inputs)
    for line in lines:
        name, _, expression = line.partition("=")
        scope[name.strip()] = eval(expression, dict(NAMESPACE), scope)  # noqa: S307 - our own docstrings
    return scope[lines[-1].partition("=")[0].strip()]


RULES = {name: lines for name, _, lines in doc_tables.rules()}


def test_every_function_of_the_chain_states_its_equation_or_is_a_tally():
    functions = {name for name, fn in vars(chain).items()
                 if inspect.isfunction(fn) and fn.__module__ == chain.__name__}
    assert functions - NOT_RULES == RULES.keys()
    assert RULES.keys() == SAMPLES.keys()


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_documented_equation_is_what_the_function_computes(name):
    fn = getattr(chain, name)
    for inputs in SAMPLES[name]:
        assert set(inputs) == set(inspect.signature(fn).parameters), name
        documented = np.asarray(evaluate(RULES[name], inputs), dtype=float)
        computed = np.asarray(fn(**inputs), dtype=float)
        assert documented.shape == computed.shape
        np.testing.assert_allclose(documented, computed, rtol=1e-12, atol=1e-15, err_msg=name)


def test_the_samples_reach_both_sides_of_every_clip_and_branch():
    """Without values beyond the bounds, an equation that forgot its clip (or its floor) would pass."""
    s = SAMPLES
    pay = 0.5 + s["internal_service_quality"][0]["wage_premium"]
    assert (pay < 0).any() and (pay > 1).any()
    d = s["transaction_satisfaction"][0]["quality"] - s["transaction_satisfaction"][0]["expectation"]
    assert (d < 0).any() and (d > 0).any()
    morale = 1 + 3.0 * (s["service_rate"][1]["satisfaction"] - 0.5)
    assert (morale < 0.05).any() and (morale > 0.05).any()
    assert (chain.adoption_hazard(**s["adoption_hazard"][3]) == 1).any()
    assert (chain.adoption_hazard(**s["adoption_hazard"][0]) == 0).any()
    g = s["tenure_growth"][0]["tenure_days"] / (365 * 5)
    assert (g < 0).any() and (g > 1).any()
    pp = s["price_penalty"][0]
    assert (pp["price"] > 25).any() and (pp["price"] < 25).any()
    assert ((1 - s["price_penalty"][1]["price_premium"] * s["price_penalty"][1]["growth"]) > 0).all()
    assert ((1 - 1.0 * s["price_penalty"][2]["growth"]) >= 0).all()
    ep = s["exit_probability"][0]
    assert (ep["defection"] * ep["competition"] > 1).any() or (ep["price_exit"] * ep["penalty"] > 1).any()
    assert (ep["penalty"] < 0).any()
    units = s["units_bought"][1]
    assert ((1 - units["growth"] - 2 * (units["commitment_"] - 0.5)) < 0).any()


def test_a_wrong_equation_would_be_caught():
    """The comparison has teeth: the service rate's equation without its floor of 0.05 differs."""
    lines = [RULES["service_rate"][0].replace("maximum(0.05, ", "(")]
    inputs = SAMPLES["service_rate"][1]
    assert not np.allclose(evaluate(lines, inputs), chain.service_rate(**inputs))


def test_the_model_description_prints_every_equation():
    text = doc_tables.ODD.read_text(encoding="utf-8")
    block = text[text.index(doc_tables.EQ_BEGIN):text.index(doc_tables.EQ_END)]
    for name, lines in RULES.items():
        assert f"chain.{name}" in block
        for line in lines:
            assert line in block, (name, line)


@pytest.mark.parametrize("name", sorted(vars(rules)))
def test_a_compiled_rule_is_the_chain_rule_to_the_last_bit(name):
    """kernels.rules: the rules a day applies, compiled by numba; the same numbers, bit for bit,
    on the documented samples and on a day's worth of random inputs of the same kinds."""
    fn, compiled = getattr(chain, name), getattr(rules, name)
    rng = np.random.default_rng(7)
    for inputs in SAMPLES[name]:
        as_arrays = {k: np.asarray(v) for k, v in inputs.items()}
        wide = {k: (rng.permutation(np.resize(v, 300)) if v.ndim else v[()]) for k, v in as_arrays.items()}
        for case in (as_arrays, wide):
            try:
                got = compiled(**case)
            except TypingError:  # a rule with np.where takes no single numbers in numba; a day passes arrays
                assert case is as_arrays and all(v.ndim == 0 for v in case.values()), name
                continue
            np.testing.assert_array_equal(np.asarray(got), np.asarray(fn(**case)), err_msg=name)
        # one person at a time, as the compiled loops apply it (single numbers, not arrays)
        expected = np.asarray(fn(**wide))
        for j in range(0, 300, 37) if expected.shape == (300,) else ():  # not talk_probability's table of scores
            one = {k: (v[j].item() if np.ndim(v) else v) for k, v in wide.items()}
            assert compiled(**one) == expected[j], (name, one)
