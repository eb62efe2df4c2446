"""The service operation as a whole: channels, sites and teams, impatient customers, money where it
happens (docs/odd.md, "Service: channels, patience, sites"). The exact queue limits (Erlang C and A)
are in test_validation.py; the hand-computed rules in test_rules.py."""

import numpy as np
import pytest
from scipy import stats

from conftest import at
from lealtad.core.schema import ParameterError
from lealtad.model import LoyaltyModel
from lealtad.modules.channels import CHANNELS


def year(seed, **kw):
    return LoyaltyModel(rng=seed, **kw).run(kw.pop("steps", 365) if "steps" in kw else 365)


def per_capita(m) -> dict[str, float]:
    r = m.results()
    c = r[r.firm == "company"]
    days = c.iloc[60:]  # after the first reviews
    return {"nps": days["nps"].mean(), "customer_satisfaction": days["customer_satisfaction"].mean(),
            "abandonment": days["abandonment"].mean(), "in_person_wait_mean": days["in_person_wait_mean"].mean(),
            "phone_wait_mean": days["phone_wait_mean"].mean(), "market_share": days["market_share"].mean(),
            "profit_per_customer": days["profit"].sum() / days["active"].sum(),
            "staff_per_customer": days["staff"].sum() / days["active"].sum()}


@pytest.mark.slow
def test_per_capita_outcomes_do_not_depend_on_the_size_of_the_market():
    """A larger market has more sites and teams of the same size, not bigger queues (Halfin & Whitt's
    economies of pooling would otherwise make a big market look better served)."""
    seeds = range(1, 5)
    small = [per_capita(LoyaltyModel(rng=s, n_customers=10_000).run(365)) for s in seeds]
    large = [per_capita(LoyaltyModel(rng=s + 100, n_customers=40_000).run(365)) for s in seeds]
    for key in small[0]:
        a, b = np.array([x[key] for x in small]), np.array([x[key] for x in large])
        se = np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
        t = stats.t.ppf(0.9995, a.size + b.size - 2)  # 99.9 % interval of the difference, over 8 outcomes
        assert abs(a.mean() - b.mean()) <= t * se, (key, a.mean(), b.mean(), se)


def test_contacts_are_conserved_per_firm_and_channel_every_day():
    m = LoyaltyModel(rng=5, n_customers=3000, events=[{"day": 10, "firm": "company", "kind": "strike", "days": 5,
                                                      "capacity": 0.3}])
    waiting_before = np.zeros(2)
    for _ in range(40):
        m.step()
        t = m.today
        e = m.encounters
        for f in range(2):
            ended = np.count_nonzero(e["firm"] == f)
            served = np.count_nonzero((e["firm"] == f) & e["served"])
            # arrived today + still waiting from before = served + abandoned + balked + waiting now
            assert t["contacts"][f] + waiting_before[f] == ended + t["waiting"][f]
            assert ended == served + t["abandoned"][f] + t["balked"][f] and served == t["encounters"][f]
            assert t["contacts"][f] == sum(t[f"{c}_contacts"][f] for c in CHANNELS)
        waiting_before = t["waiting"].copy()
        assert np.all(m.waiting[m.pending["customer"]])  # who is waiting does not come again
        assert np.count_nonzero(m.waiting) == m.pending["customer"].size


def test_utilisation_never_exceeds_one_even_in_overload():
    m = LoyaltyModel(rng=2, n_customers=3000, **at("company", in_person_staff_per_1000=1.0, phone_staff_per_1000=0.3),
                     events=[{"day": 20, "firm": "company", "kind": "surge", "days": 10, "factor": 4.0}]).run(40)
    r = m.results()
    cols = ["utilisation"] + [f"{c}_utilisation" for c in CHANNELS]
    values = r[cols].to_numpy()
    assert np.nanmax(values) <= 1.0 + 1e-9
    assert np.nanmax(r[r.firm == "company"]["in_person_utilisation"]) > 0.9  # the overload is real


def test_a_strike_loses_revenue_and_pays_no_strikers():
    strike = [{"day": 30, "firm": "company", "kind": "strike", "days": 10, "capacity": 0.4}]
    base = LoyaltyModel(rng=3, n_customers=4000).run(40).results().query("firm == 'company'")
    hit = LoyaltyModel(rng=3, n_customers=4000, events=strike).run(40).results().query("firm == 'company'")
    during = slice(31, 40)
    assert hit["revenue"].iloc[during].sum() < 0.9 * base["revenue"].iloc[during].sum()
    assert hit["abandonment"].iloc[during].mean() > base["abandonment"].iloc[during].mean() + 0.05
    # strikers are not at work and not paid: staff (and wages) fall to the share still working
    assert hit["staff"].iloc[during].mean() < 0.6 * base["staff"].iloc[during].mean()
    wages = hit["in_person_cost"] - hit["in_person_contacts"] * 0.5  # the in-person wages: agents at work x pay
    pay = wages / hit["in_person_staff"]
    assert np.allclose(pay, pay.iloc[0])  # the same pay per agent at work before and during the strike


def test_abandonment_lowers_satisfaction_and_revenue_under_common_random_numbers():
    """Impatient customers (phone patience of a minute vs ten hours), same market and draws, nobody
    changing channel or retrying: more give up (a failed moment of truth, no sale) instead of being
    served late, so satisfaction and revenue fall."""
    kw = dict(n_customers=4000, channel_switch=0.0, retry=0.0, **at("company", phone_staff_per_1000=0.8))
    patient = LoyaltyModel(rng=4, phone_patience=10.0, **kw).run(120).results().query("firm == 'company'")
    hasty = LoyaltyModel(rng=4, phone_patience=0.02, **kw).run(120).results().query("firm == 'company'")
    assert hasty["phone_abandonment"].mean() > patient["phone_abandonment"].mean() + 0.1
    assert hasty["customer_satisfaction"].iloc[-30:].mean() < patient["customer_satisfaction"].iloc[-30:].mean()
    assert hasty["revenue"].sum() < patient["revenue"].sum()


def test_a_long_visible_queue_turns_arrivals_away():
    kw = dict(n_customers=3000, **at("company", in_person_staff_per_1000=1.0))
    never = LoyaltyModel(rng=6, in_person_balk_queue=float("inf"), **kw).run(30).results().query("firm == 'company'")
    soon = LoyaltyModel(rng=6, in_person_balk_queue=1.0, **kw).run(30).results().query("firm == 'company'")
    assert never["balked"].sum() == 0 and soon["balked"].sum() > 0
    assert soon["in_person_wait_mean"].mean() < never["in_person_wait_mean"].mean()  # who stays waits less


def test_email_waits_overnight_and_chat_agents_serve_several_at_once():
    m = LoyaltyModel(rng=7, n_customers=5000).run(60)
    r = m.results().query("firm == 'company'").iloc[30:]
    assert r["email_wait_mean"].mean() > 2.0  # hours: an evening email is answered the next morning
    assert r["in_person_wait_mean"].mean() < 0.5
    chat = np.flatnonzero(m.emp_open & (m.emp_channel == CHANNELS.index("chat")))
    assert np.any(np.isfinite(m.emp_free_at[chat, 1]))  # a second place per chat agent (concurrency 3)


def test_a_young_market_is_staffed_for_its_growth():
    """Reviews plan for the customers expected when hires arrive: a fast-growing firm staffs ahead."""
    kw = dict(n_customers=10_000, **{"company.initial_share": 0.05, "competitor.initial_share": 0.05},
              **at("company", advertising=0.01))
    r = LoyaltyModel(rng=8, **kw).run(150).results().query("firm == 'company'")
    assert r["active"].iloc[-1] > 3 * r["active"].iloc[0]
    assert r["in_person_wait_mean"].iloc[60:].mean() < 1.0  # hours, not the 40 hours of an unplanned queue


@pytest.mark.parametrize("changes, words", [
    ({"fax_share": 0.1}, ["fax_share", "unknown parameter"]),
    ({"phone_patience": -1}, ["phone_patience", "-1", "0.001"]),
    ({"phone_share": 0.5}, ["_share", "1.2", "sum to 1"]),
    ({"chat_concurrency": 0}, ["chat_concurrency", "0", "integer from 1 to 8"]),
    ({"chat_concurrency": 1.5}, ["chat_concurrency", "1.5", "integer"]),
    ({"email_unit_customers": 0}, ["email_unit_customers", "0"]),
    ({"company.phone_staff_per_1000": -0.5}, ["company.phone_staff_per_1000", "-0.5"]),
    ({"phone_staff_per_1000": 1.0}, ["phone_staff_per_1000", "set per firm"]),
    ({"opening_hours": 8}, ["opening_hours", "per channel", "in_person_opening_hours"]),
    ({"phone_patience": float("nan")}, ["phone_patience", "nan"]),
])
def test_bad_channel_parameters_are_refused_in_one_line(changes, words):
    with pytest.raises(ParameterError) as err:
        LoyaltyModel(rng=1, n_customers=500, **changes)
    text = str(err.value)
    assert "\n" not in text
    for w in words:
        assert w in text, (w, text)


def test_self_service_resolves_its_share_without_an_agent_and_leaves_the_rest_unanswered():
    m = LoyaltyModel(rng=31, n_customers=6000, in_person_share=0.2, self_service_share=0.3,
                     self_service_resolution=0.6).run(30)
    r = m.results()
    contacts, aband = r["self_service_contacts"].sum(), (r["self_service_abandonment"] * r["self_service_contacts"]).sum()
    # no agents there: each contact is resolved at once (p = 0.6) or given up; about 40 % unanswered
    share = aband / contacts
    assert abs(share - 0.4) < 4 * (0.4 * 0.6 / contacts) ** 0.5 + 0.02 and contacts > 500
    assert r["self_service_staff"].max() == 0
    e = m.encounters
    mine = e["channel"] == 4
    assert np.all(e["server"][mine & e["served"]] == -1) and np.all(e["wait"][mine & e["served"]] == 0)
    assert np.all(e["hours"][mine] == 0)


def test_an_answering_machine_in_front_of_the_phone_takes_work_from_its_agents():
    base = dict(n_customers=6000, phone_share=0.6, in_person_share=0.2)
    plain = LoyaltyModel(rng=32, **base).run(60).results()
    machine = LoyaltyModel(rng=32, **base, phone_resolution=0.5).run(60).results()
    # the same callers: half are answered by the machine, so the agents are busy about half as much
    ratio = machine["phone_utilisation"].mean() / plain["phone_utilisation"].mean()
    assert 0.35 < ratio < 0.65
    assert np.isclose(machine["phone_contacts"].sum(), plain["phone_contacts"].sum(), rtol=0.05)
