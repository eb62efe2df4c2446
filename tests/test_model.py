"""Conservation, reproducibility, common random numbers, agents and bad input."""

import hashlib
import math
import subprocess
import sys

import numpy as np
import pytest

from conftest import SMALL, at, company, run
from lealtad import OUTPUTS, Customer, Employee, LoyaltyModel, ParameterError
from lealtad.modules.channels import CHANNELS
from lealtad.modules.segments import SEGMENTS


def test_customers_are_conserved(default_year):
    r = default_year.results()
    n = SMALL["n_customers"]
    per_day = r.groupby("day").agg(active=("active", "sum"), prospects=("prospects", "first"))
    assert ((per_day.active + per_day.prospects) == n).all()
    for firm in ("company", "competitor"):
        d = r[r.firm == firm].reset_index(drop=True)
        inflow = d.acquired + d.won_from_rival - d.lost_to_rival - d.exits
        assert (d.active.diff().iloc[1:] == inflow.iloc[1:]).all()
    switched = r.pivot(index="day", columns="firm", values=["won_from_rival", "lost_to_rival"])
    assert (switched["won_from_rival"]["company"] == switched["lost_to_rival"]["competitor"]).all()


def test_todays_encounters_agree_with_the_daily_outputs():
    m = run(seed=9, steps=20)
    e = m.encounters
    for f in (0, 1):
        theirs = e["firm"] == f
        mine = theirs & e["served"]  # today's contacts that ended: served, or given up (a failure)
        assert mine.sum() == m.today["encounters"][f]
        assert (theirs & ~e["served"]).sum() == m.today["abandoned"][f] + m.today["balked"][f]
        assert np.all(e["failed"][theirs & ~e["served"]])
        assert e["failed"][mine].sum() == m.today["failures"][f]
        assert e["complained"][theirs].sum() == m.today["complaints"][f]
        assert np.isclose(e["wait"][mine].mean(), m.today["wait_mean"][f])
    assert not (e["recovered"] & ~e["complained"]).any()  # only complaints can be recovered


def test_every_output_is_recorded(default_year):
    r = default_year.results()
    assert len(r) == 2 * 365
    unused = tuple(f"{c}_" for c in CHANNELS if default_year.p[f"{c}_share"] == 0)  # self-service, by default
    for o in OUTPUTS:
        assert o.name in r
        if o.name.startswith(unused):  # a channel nobody uses has no waits, shares or utilisation to report
            assert (r[o.name].fillna(0) == 0).all(), o.name
            continue
        assert r[o.name].notna().mean() > 0.95, o.name


def _digest(seed):
    r = run(seed=seed, steps=60).results()
    return hashlib.sha256(r.to_csv(index=False, float_format="%.12g").encode()).hexdigest()


def test_same_seed_same_numbers_across_processes():
    here = _digest(11)
    code = ("import sys; sys.path.insert(0, 'tests'); import test_model; print(test_model._digest(11))")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert here == other
    assert _digest(12) != here


def test_a_cost_only_change_leaves_behaviour_untouched():
    # common random numbers: a change that acts only on the accounts cannot change any decision
    a = run(seed=5, steps=90).results()
    b = run(seed=5, steps=90, advertising_cost=5.0, hiring_cost=9000).results()
    behaviour = ["active", "encounters", "quits", "complaints", "wait_mean", "customer_satisfaction"]
    assert a[behaviour].equals(b[behaviour])
    assert (b.profit <= a.profit).all() and (b.profit < a.profit).any()


def test_common_random_numbers_make_comparisons_paired():
    # the paired difference of a policy varies less across seeds than an unpaired one
    metric = lambda m: company(m.results())["service_quality"].mean()
    seeds = range(6)
    base = np.array([metric(run(seed=s, steps=90)) for s in seeds])
    better = np.array([metric(run(seed=s, steps=90, **at("company", training=1.0))) for s in seeds])
    paired_sd = np.std(better - base, ddof=1)
    unpaired_sd = np.std(better - np.roll(base, 1), ddof=1)
    assert paired_sd < unpaired_sd


def test_competitor_policy_does_not_touch_the_company_before_customers_meet_it():
    a = run(seed=2, steps=1).results()
    b = run(seed=2, steps=1, **at("competitor", leadership=1.0)).results()
    assert company(a)["employee_satisfaction"].equals(company(b)["employee_satisfaction"])


def test_agents_are_views_on_the_arrays():
    m = run(seed=4, steps=30)
    staffed = (m.employee_table().open & ~m.employee_table().vacant).sum()
    assert staffed == m.today["staff"].sum()
    assert all(isinstance(e, Employee) for e in m.employees)
    c = m.customer(5)
    assert isinstance(c, Customer) and c is m.customer(5)
    assert c.standing == {-1: "prospect", 0: "active", 1: "potential"}[int(m.firm[5])]
    assert c.segment == SEGMENTS[int(m.segment[5])] and c.segment in ("households", "small_businesses", "key_accounts")
    assert np.isclose(c.satisfaction, m.satisfaction[5])
    assert set(c.contacts) == set(m.network.to_networkx().neighbors(5))
    with pytest.raises(IndexError):
        m.customer(SMALL["n_customers"])


def test_policies_change_mid_run():
    m = LoyaltyModel(rng=1, **SMALL, retry=0.0).run(10)
    before = m.today["in_person_staff"][0]

    def planned(ratio):  # docs/odd.md, staffing: a site per 800 users, ceil(ratio x expected users per site / 1000)
        users = np.count_nonzero((m.firm == 0) & (m.channel == 0))
        expected = users + max(0, users - m.users_at_review[0, 0]) * (30 + 0) / 30
        sites = max(1, round(users / 800))
        return sites * int(np.ceil(ratio * expected / sites / 1000 - 1e-9))

    m.set_params(**at("company", in_person_staff_per_1000=12.0), hiring_delay=0)
    assert m.emp_open[(m.emp_firm == 0) & (m.emp_channel == 0)].sum() == planned(12.0) > before
    m.run(1)
    assert m.today["in_person_staff"][0] == planned(12.0) - m.today["quits"][0]
    m.set_params(**at("company", in_person_staff_per_1000=3.0))
    m.run(1)
    assert m.today["in_person_staff"][0] <= planned(3.0) < planned(12.0)
    with pytest.raises(ValueError, match="n_customers"):
        m.set_params(n_customers=500)
    with pytest.raises(ParameterError, match="in_person_staff_per_1000"):
        m.set_params(**at("company", in_person_staff_per_1000=-3))


def test_staff_follows_the_customer_base_at_each_review():
    m = LoyaltyModel(rng=3, **{**SMALL, "company.advertising": 0.01, "hiring_delay": 0, "staffing_review": 30}).run(95)
    r = company(m.results())
    grown = np.count_nonzero(m.firm == 0)
    assert r["active"].iloc[-1] > 1.5 * r["active"].iloc[0]  # strong advertising: the firm grows
    # the review of day 90 staffs the in-person channel for its users then (at least the ratio's share of them)
    users = m.users_at_review[0, 0]
    expected = math.ceil(SMALL["company.in_person_staff_per_1000"] * users / 1000)
    assert r["in_person_staff"].iloc[90] >= expected - r["quits"].iloc[90:].sum()
    assert r["in_person_staff"].iloc[90] > r["in_person_staff"].iloc[0]
    assert r["staff"].iloc[60:90].nunique() == 1 or r["quits"].iloc[60:90].sum() > 0  # fixed between reviews
    assert grown == r["active"].iloc[-1]


def test_triggered_strike_matches_a_scheduled_one():
    a = run(seed=8, steps=40, events=[{"day": 20, "firm": "company", "kind": "strike", "days": 5}]).results()
    m = LoyaltyModel(rng=8, **SMALL).run(20)
    m.trigger_strike(5)
    b = m.run(20).results()
    assert a.equals(b)


@pytest.mark.parametrize("kind", ["small_world", "scale_free", "random", "complete"])
def test_every_network_kind_runs(kind):
    m = LoyaltyModel(rng=1, n_customers=300, network=kind).run(20)
    assert m.network.degree.mean() > 1
    assert company(m.results())["active"].iloc[-1] > 0


@pytest.mark.parametrize("changes, field", [
    ({"bogus": 1}, "bogus"),
    ({"company.in_person_staff_per_1000": -1}, "in_person_staff_per_1000"),
    ({"phone_share": 0.5}, "_share"),
    ({"chat_concurrency": 0}, "chat_concurrency"),
    ({"email_patience": -2}, "email_patience"),
    ({"fax_patience": 1}, "fax_patience"),
    ({"staff_per_1000": 4}, "in_person_staff_per_1000"),
    ({"churn_max": 1.5}, "churn_max"),
    ({"n_customers": 10.5}, "n_customers"),
    ({"n_customers": "many"}, "n_customers"),
    ({"network": "ring"}, "network"),
    ({"network": "file", "network_file": "/no/such/file.txt"}, "network_file"),
    ({"company.initial_share": 0.7, "competitor.initial_share": 0.6}, "initial_share"),
    ({"purchase_rate": float("nan")}, "purchase_rate"),
    ({"network_degree": True}, "network_degree"),
])
def test_bad_parameters_are_refused_by_name(changes, field):
    with pytest.raises(ParameterError, match=field):
        LoyaltyModel(rng=1, **changes)


def test_bad_seed_is_refused():
    with pytest.raises(ValueError, match="rng"):
        LoyaltyModel(rng=-1)
    with pytest.raises(ValueError, match="rng"):
        LoyaltyModel(rng="x")
