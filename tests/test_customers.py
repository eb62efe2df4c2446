"""Customers who grow (segments, tenure, price, lifetime value, local conditions): each mechanism's
direction under common random numbers, the formulas on hand-computed cases, conservation of
segments, and every bad input refused in one line."""

import math

import numpy as np
import pytest

from conftest import at, paired
from lealtad import LoyaltyModel, chain
from lealtad.cli import main
from lealtad.core.schema import ParameterError
from lealtad.modules.segments import SEGMENTS, segment_arrays

N = 3000


def model(seed=1, **params):
    return LoyaltyModel(rng=seed, **{"n_customers": N, **params})


# ------------------------------------------------------------------ formulas on hand-computed cases
def test_lifetime_value_formula_on_a_hand_computed_case():
    # m = 100 a year, r = 0.8, i = 0.1: 100 x 1.1 / 0.3 = 366.67, less 50 to win the customer
    assert chain.lifetime_value(100.0, 0.8, 0.1, 50.0) == pytest.approx(110 / 0.3 - 50)
    # the series it sums: m sum_t r^t / (1 + i)^t
    series = sum(100.0 * 0.8**t / 1.1**t for t in range(400))
    assert chain.lifetime_value(100.0, 0.8, 0.1, 0.0) == pytest.approx(series)
    assert chain.lifetime_value(100.0, 0.0, 0.1, 0.0) == pytest.approx(100.0)  # nobody stays: one year's margin


def test_units_grow_with_tenure_and_commitment_to_a_plateau():
    # basket 2, half grown (g = 0.5), commitment 0.9: 2 x (1 + 0.5 x 0.5 + 0.4 x 0.4) = 2.82
    assert chain.units_bought(2.0, 0.5, 0.9, 0.5, 0.4) == pytest.approx(2.82)
    g = chain.tenure_growth(np.array([0.0, 365 * 2.5, 365 * 5, 365 * 20]), 5.0)
    assert list(g) == [0.0, 0.5, 1.0, 1.0]
    assert chain.units_bought(1.0, 1.0, 0.5, -2.0, 0.0) == 0.0  # never below zero


def test_price_penalty_is_loss_averse_and_unclear_prices_hurt():
    above = chain.price_penalty(30.0, 25.0, 1.0, 0.0, 0.4, 0.5, 1.0, 0.2)   # 20 % above: 0.2
    below = chain.price_penalty(20.0, 25.0, 1.0, 0.0, 0.4, 0.5, 1.0, 0.2)   # 20 % below: -0.5 x 0.2
    assert above == pytest.approx(0.2) and below == pytest.approx(-0.1)
    grown = chain.price_penalty(30.0, 25.0, 1.0, 1.0, 0.4, 0.5, 1.0, 0.2)   # a grown customer minds 40 % less
    assert grown == pytest.approx(0.12)
    assert chain.price_penalty(25.0, 25.0, 1.0, 0.0, 0.4, 0.5, 0.5, 0.2) == pytest.approx(0.1)  # half clear


# ------------------------------------------------------------------ segments
def test_segments_are_drawn_by_their_shares_and_never_change():
    m = model(seed=2, n_customers=20_000, households_share=0.6, small_business_share=0.3, key_account_share=0.1)
    start = m.segment.copy()
    for s, share in enumerate((0.6, 0.3, 0.1)):
        assert abs(np.mean(m.segment == s) - share) < 4 * math.sqrt(share * (1 - share) / 20_000)
    m.run(60)
    assert np.array_equal(m.segment, start)
    r = m.results()
    assert np.allclose(sum(r[f"{s}_active"] for s in SEGMENTS), r["active"])  # every customer in one segment
    assert np.allclose(sum(r[f"{s}_revenue"] for s in SEGMENTS), r["revenue"])


def test_a_segments_preferred_channel_takes_its_weight():
    m = model(seed=3, n_customers=20_000, small_business_channel="email", small_business_channel_weight=0.8)
    sb = m.segment == SEGMENTS.index("small_business")
    email_share = m.p["email_share"]
    expected = 0.8 + 0.2 * email_share  # the rest follow the market's shares
    assert abs(np.mean(m.channel[sb] == 3) - expected) < 4 * math.sqrt(expected * (1 - expected) / sb.sum())


def test_units_of_each_served_contact_follow_the_rule_and_unserved_buy_nothing():
    m = model(seed=4).run(20)
    e = m.encounters
    # recompute by hand from the states after the day: tenure, the segment's basket; commitment as before the update
    assert np.all(e["units"][~e["served"]] == 0) and np.all(e["sales"][~e["served"]] == 0)
    served = e["served"]
    basket = segment_arrays(m.p)["basket"][m.segment[e["customer"][served]]]
    g = chain.tenure_growth(m.day - 1 - m.joined[e["customer"][served]], 5.0)
    low = basket * np.maximum(1 + 0.5 * g + 0.4 * (0 - 0.5), 0)   # commitment between 0 and 1
    high = basket * np.maximum(1 + 0.5 * g + 0.4 * (1 - 0.5), 0)
    stayed = m.joined[e["customer"][served]] < m.day - 1  # switchers' tenure restarted after the purchase
    units = e["units"][served][stayed]
    assert np.all(units >= low[stayed] - 1e-12) and np.all(units <= high[stayed] + 1e-12) and units.size > 50


# ------------------------------------------------------------------ each mechanism's direction (paired)
def units_per_purchase(m, firm):
    r = m.results().query("firm == @firm")
    return float(r["revenue"].sum() / r["encounters"].sum() / m.p[f"{firm}.price"])


def test_longer_tenure_more_spend():
    diff, half = paired(units_per_purchase, {"initial_tenure": 8.0}, base={"initial_tenure": 0.5}, seeds=range(4), steps=90)
    assert diff - half > 0.05  # of a basket near 1: grown customers buy more


def test_with_reinartz_kumar_values_long_tenure_spends_less():
    costly = {"spend_growth": -0.3, "commitment_spend": 0.0}
    diff, half = paired(units_per_purchase, {**costly, "initial_tenure": 8.0}, base={**costly, "initial_tenure": 0.5},
                        seeds=range(4), steps=90)
    assert diff + half < 0


def test_experienced_customers_cost_less_to_serve():
    hours = lambda m, f: float(m.results().query("firm == @f")["in_person_utilisation"].mean())
    diff, half = paired(hours, {"experience_saving": 0.6}, base={"experience_saving": 0.0}, seeds=range(4), steps=90)
    assert diff + half < 0  # the same contacts take less of the agents' time


@pytest.mark.parametrize("firm", ["company", "competitor"])
def test_higher_price_lower_satisfaction_and_more_defection(firm):
    sat = lambda m, f: float(m.results().query("firm == @f")["customer_satisfaction"].mean())
    lost = lambda m, f: float(m.results().query("firm == @f")[["lost_to_rival", "exits"]].sum().sum())
    assert (lambda d: d[0] + d[1] < 0)(paired(sat, {"price": 32.0}, seeds=range(4), steps=120, firm=firm))
    assert (lambda d: d[0] - d[1] > 0)(paired(lost, {"price": 32.0}, seeds=range(4), steps=120, firm=firm))


def test_unclear_prices_lower_satisfaction():
    sat = lambda m, f: float(m.results().query("firm == @f")["customer_satisfaction"].mean())
    diff, half = paired(sat, {"price_clarity": 0.2}, seeds=range(4), steps=120)
    assert diff + half < 0


def test_grown_promoters_refer_more():
    recs = lambda m, f: float(m.results().query("firm == @f")["recommendations"].sum())
    diff, half = paired(recs, {"referral_growth": 3.0}, base={"referral_growth": 0.0}, seeds=range(3), steps=60)
    assert diff - half > 0


def test_local_manager_quality_moves_employee_satisfaction_of_its_unit_only():
    a = model(seed=6, manager_spread=0.0).run(60)
    b = model(seed=6, manager_spread=0.2).run(60)
    from lealtad.modules.local import manager_quality

    effect = manager_quality(b)
    assert np.std(effect) > 0.05 and np.all(manager_quality(a) == 0)
    same_unit = (b.emp_firm[:, None] == b.emp_firm) & (b.emp_channel[:, None] == b.emp_channel) & (b.emp_unit[:, None] == b.emp_unit)
    assert np.all((effect[:, None] == effect) | ~same_unit)  # one manager per unit


# ------------------------------------------------------------------ the measured cost ratio, exactly
def test_measured_cost_ratio_on_an_exact_case():
    # nobody defects, nobody complains, no advertising: winning costs the onboarding (100 EUR per customer
    # won), keeping costs the retention programme (20 EUR per customer-year): ratio exactly 5
    m = model(seed=7, churn_max=0.0, price_exit=0.0, onboarding_cost=100.0, retention_cost=20.0,
              **at("company", advertising=0.0, complaint_ease=0.0), **at("competitor", advertising=0.0, complaint_ease=0.0),
              wom_effect=0.05).run(60)
    r = m.results().groupby("firm").tail(1)
    assert (m.results()["acquired"].sum()) > 0
    assert np.allclose(r["cost_to_acquire"], 100.0) and np.allclose(r["cost_to_keep"], 20.0)
    assert np.allclose(r["cost_ratio"], 5.0)


def test_lifetime_value_outputs_are_the_formula_on_the_tallies():
    m = model(seed=8).run(90)
    margin, days, defections = (m.segment_tallies[:, :, k] for k in range(3))
    years = days / 365
    last = m.results().groupby("firm").tail(1).reset_index(drop=True)
    for f in range(2):
        ac = m.spend_tallies[f, 0] / m.spend_tallies[f, 2]
        for s, name in enumerate(SEGMENTS):
            expected = chain.lifetime_value(margin[f, s] / years[f, s], np.clip(1 - defections[f, s] / years[f, s], 0, 1),
                                            0.1, ac)
            assert last.loc[f, f"{name}_lifetime_value"] == pytest.approx(expected)
    assert (last["key_account_lifetime_value"] > last["households_lifetime_value"]).all()  # bigger baskets, more value


# ------------------------------------------------------------------ bad inputs
@pytest.mark.parametrize("changes, words", [
    ({"households_share": 0.5}, ["segments", "sum to 1"]),
    ({"company.price": -1.0}, ["company.price", "-1.0", "from 0"]),
    ({"vip_share": 0.1}, ["vip_share", "unknown parameter"]),
    ({"key_account_channel": "fax"}, ["key_account_channel", "fax", "one of any, in_person"]),
    ({"price": 20.0}, ["price", "per firm"]),
    ({"acquisition_cost_ratio": 6.0}, ["acquisition_cost_ratio", "measured", "onboarding_cost"]),
    ({"households_frequency": float("nan")}, ["households_frequency", "nan"]),
])
def test_bad_inputs_are_refused_in_one_line(changes, words):
    with pytest.raises(ParameterError) as err:
        LoyaltyModel(rng=1, **changes)
    text = str(err.value)
    assert "\n" not in text and all(w in text for w in words), text


def test_bad_input_on_the_command_line_exits_2_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "run.csv"
    code = main(["run", "--set", "households_share=0.9", "--out", str(out)])
    assert code == 2 and not out.exists()
    assert "sum to 1" in capsys.readouterr().err


def test_a_bad_segment_in_an_experiment_file_exits_2_and_writes_nothing(tmp_path, capsys):
    spec = tmp_path / "bad.toml"
    spec.write_text('name = "bad"\nsteps = 5\nreplications = 1\n[base]\nn_customers = 200\nkey_account_share = 0.5\n'
                    '[firms.company]\nprice = 30.0\n[firms.competitor]\n')
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "sum to 1" in err and err.strip().count("\n") == 0 and not out.exists()
