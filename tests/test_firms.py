"""A market of any number of firms: conservation, symmetry, competition, events at any firm, common
random numbers per firm, the plan, and bad input (the choice rule itself: tests/test_rules.py)."""

import numpy as np
import pytest
from scipy import stats

from conftest import at
from lealtad import Customer, Employee, LoyaltyModel, ParameterError
from lealtad.modules import PLAN

N = 2500


def model(seed=1, firms=None, **params):
    return LoyaltyModel(rng=seed, n_customers=N, firms=firms, **params)


@pytest.mark.parametrize("k", [1, 2, 3, 6])
def test_customers_are_conserved_every_day_with_k_firms(k):
    m = model(seed=k, firms=k).run(120)
    r = m.results()
    assert list(r.firm.unique()) == list(m.firms) and len(m.firms) == k
    per_day = r.groupby("day").agg(active=("active", "sum"), prospects=("prospects", "first"))
    assert ((per_day.active + per_day.prospects) == N).all()
    for firm in m.firms:
        d = r[r.firm == firm].reset_index(drop=True)
        inflow = d.acquired + d.won_from_rival - d.lost_to_rival - d.exits
        assert (d.active.diff().iloc[1:] == inflow.iloc[1:]).all(), firm
    # every switch out of one firm is a switch into another
    daily = r.groupby("day")[["won_from_rival", "lost_to_rival"]].sum()
    assert (daily.won_from_rival == daily.lost_to_rival).all()
    if k == 1:
        assert (r.won_from_rival == 0).all()  # nobody to switch to: a defector leaves the market


def test_identical_firms_have_statistically_equal_outcomes():
    """Three identical firms, paired by seed: no firm is favoured by its place in the list."""
    outcomes = []
    for seed in range(8):
        r = model(seed=seed, firms=3).run(200).results()
        year = r.groupby("firm", sort=False)[["market_share", "customer_satisfaction", "employee_satisfaction"]].mean()
        outcomes.append(year.to_numpy())
    outcomes = np.array(outcomes)  # seeds x firms x outputs
    for first, other in ((0, 1), (0, 2), (1, 2)):
        diff = outcomes[:, first] - outcomes[:, other]
        t, p = stats.ttest_1samp(diff, 0.0)
        assert np.all(p > 0.01), (first, other, diff.mean(axis=0), p)  # 9 comparisons: a 1% test each


def test_a_firm_with_better_policies_gains_share_against_two_others():
    better = at("company", leadership=1.0, training=0.8, wage_premium=0.3, in_person_staff_per_1000=6.0)
    gains = []
    for seed in range(5):
        base = model(seed=seed, firms=3).run(240).results()
        good = model(seed=seed, firms=3, **better).run(240).results()
        share = lambda r: r[r.firm == "company"]["market_share"].iloc[-30:].mean()
        gains.append(share(good) - share(base))
    gains = np.array(gains)
    half = stats.t.ppf(0.975, len(gains) - 1) * gains.std(ddof=1) / np.sqrt(len(gains))
    assert gains.mean() - half > 0, gains


# ------------------------------------------------------------------------------ events at any firm
def _strike(day, firm, days=5, capacity=0.0):
    return {"day": day, "firm": firm, "kind": "strike", "days": days, "capacity": capacity}


def test_a_strike_at_one_firm_and_a_surge_at_another_on_the_same_day():
    events = [_strike(20, "competitor"), {"day": 20, "firm": "company", "kind": "surge", "days": 5, "factor": 3.0}]
    base = model(seed=4).run(30).results()
    hit = model(seed=4, events=events).run(30).results()
    comp = lambda r, f: r[r.firm == f].reset_index(drop=True)
    assert comp(hit, "company").iloc[:20].equals(comp(base, "company").iloc[:20])  # same run before day 20
    assert comp(hit, "competitor").iloc[:20].equals(comp(base, "competitor").iloc[:20])
    # the surge: the company's demand triples on days 20-24 (binomial noise a few percent)
    ratio = comp(hit, "company").contacts.iloc[20:25].sum() / comp(base, "company").contacts.iloc[20:25].sum()
    assert 2.6 < ratio < 3.4
    # the strike: nobody works at the competitor, so nobody is served and nobody is paid there; the company serves
    struck = comp(hit, "competitor").iloc[21:25]
    assert (struck.encounters == 0).all() and (struck.staff == 0).all() and (struck.abandonment == 1).all()
    assert (comp(hit, "company").encounters.iloc[20:25] > 0).all()


def test_event_days_are_exact():
    m = model(seed=2, events=[_strike(10, "competitor", days=3, capacity=0.0),
                              {"day": 12, "firm": "company", "kind": "surge", "days": 2, "factor": 2.0}])
    strikes = [[f for f, *_ in m.events.strikes_today(d)] for d in range(9, 15)]
    surges = [[f for f, _ in m.events.surges_today(d)] for d in range(9, 15)]
    assert strikes == [[], [1], [1], [1], [], []]  # days 10, 11 and 12
    assert surges == [[], [], [], [0], [0], []]    # days 12 and 13
    crisis = [list(m.events.in_crisis(d)) for d in (9, 10, 15, 16, 17)]
    assert crisis == [[False, False], [False, True], [True, True], [False, False], [False, False]]


def test_a_scheduled_policy_change_takes_effect_on_its_day_at_its_firm_only():
    change = {"day": 30, "firm": "competitor", "kind": "policy", "changes": {"leadership": 1.0}}
    base = model(seed=6).run(40).results()
    changed = model(seed=6, events=[change]).run(40).results()
    quality = lambda r, f: r[r.firm == f].internal_quality.to_numpy()
    assert np.array_equal(quality(base, "competitor")[:30], quality(changed, "competitor")[:30])
    assert np.all(quality(changed, "competitor")[30:] > quality(base, "competitor")[30:])
    assert np.array_equal(quality(base, "company"), quality(changed, "company"))


def test_a_playbook_acts_only_in_its_firms_crisis():
    playbook = {"firm": "competitor", "kind": "playbook", "crisis_communication": 0.9, "recovery": 1.0,
                "complaint_ease": 1.0}
    m = model(seed=2, events=[_strike(10, "competitor", days=4), playbook])
    m.run(10)
    assert m.policy["complaint_ease"][1] == m.p["competitor.complaint_ease"]  # no crisis yet
    m.run(1)
    assert m.policy["complaint_ease"][1] == 1.0 and m.policy["complaint_ease"][0] == m.p["company.complaint_ease"]
    assert list(m.events.felt_wait_factor) == [1.0, pytest.approx(0.1)]
    m.run(7)  # day 17 is the last of the recovery window (strike on days 10-13, as long again after it)
    assert m.policy["recovery"][1] == 1.0
    m.run(1)
    assert m.policy["recovery"][1] == m.p["competitor.recovery"] and m.events.felt_wait_factor[1] == 1.0


def test_schedule_refuses_the_past_and_unknown_firms():
    m = model().run(5)
    with pytest.raises(ParameterError, match="past"):
        m.schedule(day=3, firm="company", kind="strike")
    with pytest.raises(ParameterError, match="rival"):
        m.schedule(day=8, firm="rival", kind="strike")
    event = m.schedule(day=8, firm="competitor", kind="outage")
    assert event["days"] == 1 and event["capacity"] == 0.0


# ------------------------------------------------------------------ common random numbers per firm
@pytest.mark.parametrize("changed, other", [("company", "competitor"), ("competitor", "company")])
def test_one_firms_staffing_leaves_the_other_firms_employees_untouched(changed, other):
    a = model(seed=9).employee_table()
    b = model(seed=9, **at(changed, in_person_staff_per_1000=9.0)).employee_table()
    assert (b.firm == changed).sum() > (a.firm == changed).sum()  # the change did something
    cols = ["satisfaction", "skill"]
    assert a.loc[a.firm == other, cols].reset_index(drop=True).equals(b.loc[b.firm == other, cols].reset_index(drop=True))


def test_streams_give_the_same_draws_for_everything_a_policy_does_not_touch():
    a, b = model(seed=5), model(seed=5, **at("company", training=0.9, advertising=0.002))
    assert np.array_equal(a.leniency, b.leniency) and np.array_equal(a.firm, b.firm)
    assert np.array_equal(a.next_purchase, b.next_purchase)
    ids = np.arange(100)
    assert np.array_equal(a.streams.uniform("defect", 7, ids), b.streams.uniform("defect", 7, ids))
    assert not np.array_equal(a.streams.uniform("defect", 7, ids), a.streams.uniform("defect", 8, ids))


def test_adding_a_firm_leaves_the_first_firms_employees_alone():
    two = model(seed=3).employee_table()
    three = model(seed=3, firms=3).employee_table()
    # the company's staff are fewer (it starts with fewer customers) but those it has drew the same
    k = min((two.firm == "company").sum(), (three.firm == "company").sum())
    first = lambda t: t.loc[t.firm == "company", "skill"].to_numpy()[:k]
    assert np.array_equal(first(two), first(three))


# ----------------------------------------------------------------------------- policies mid-run
def test_a_policy_change_runs_no_staffing_review_unless_it_is_staffing():
    m = model(seed=1).run(10)
    positions = m.emp_firm.size
    m.set_params(**at("company", tangibles=0.71))
    assert m.emp_firm.size == positions and not m.new_positions.any()
    m.set_params(**at("competitor", in_person_staff_per_1000=9.0))
    assert m.new_positions[1] > 0 and m.new_positions[0] == 0  # only the competitor's review


def test_the_plan_runs_every_module_once_a_day_in_chain_order():
    m = model(seed=1)
    calls = []
    for module in m.day_plan.modules:
        step = module.step
        module.step = lambda mm, step=step, name=module.name: (calls.append((mm.day, name)), step(mm))
    m.run(3)
    order = [cls.name for cls in PLAN if cls.daily]
    assert order == ["events", "management", "staffing", "employees", "demand", "service", "encounter", "purchase",
                     "satisfaction", "loyalty", "word_of_mouth", "image", "economics", "lifetime_value"]
    assert calls == [(d, name) for d in range(3) for name in order]
    table = m.plan()
    assert list(table.module) == order and (table.calls == 3).all() and np.isclose(table.share.sum(), 1.0)


def test_mesa_agents_are_there_when_asked_for():
    m = model(seed=1, firms=3).run(2)
    customers = m.agents_by_type[Customer]
    assert len(customers) == N and len(m.agents_by_type[Employee]) == m.emp_firm.size
    active = customers.select(lambda c: c.firm == "firm_3")
    assert len(active) == np.count_nonzero(m.firm == 2)
    assert np.isclose(sum(customers.agg("satisfaction", np.mean) for _ in [0]), m.satisfaction.mean())
    assert set(m.customer(0).image) == set(m.firms)


def test_the_datacollector_holds_the_stores_numbers():
    m = model(seed=1, firms=["a", "b", "c"]).run(4)
    wide = m.datacollector.get_model_vars_dataframe()
    assert len(wide) == 4 and np.array_equal(wide["nps_b"].to_numpy(), m.store.array("nps")[:, 1])


# ------------------------------------------------------------------------------------ bad input
@pytest.mark.parametrize("kwargs, words", [
    ({"firms": 11}, ["firms", "11", "1 to 10"]),
    ({"firms": 0}, ["firms", "1 to 10"]),
    ({"firms": ["a", "b", "a"]}, ["firms", "a", "twice"]),
    ({"firms": ["Big Co"]}, ["firms", "'Big Co'", "lower-case"]),
    ({"firms": {"company": {"training": 2}}}, ["company.training", "2", "from 0 to 1"]),
    ({"firms": {"company": {"n_customers": 20}}}, ["n_customers", "market-wide"]),
    ({"training": 0.5}, ["training", "set per firm", "company.training"]),
    ({"competitor_training": 0.5}, ["competitor_training", "competitor.training"]),
    ({"rival.training": 0.5}, ["rival", "not in this market"]),
    ({"strike_day": 40}, ["strike_day", "event"]),
    ({"events": [{"day": 3, "firm": "rival", "kind": "strike"}]}, ["firm", "'rival'", "company, competitor"]),
    ({"events": [{"day": -1, "firm": "company", "kind": "strike"}]}, ["day", "-1", "0 to"]),
    ({"events": [{"day": 3, "firm": "company", "kind": "strike", "days": 2.5}]}, ["days", "2.5", "whole number"]),
    ({"events": [{"day": 3, "firm": "company", "kind": "policy", "changes": {"network": "random"}}]},
     ["network", "cannot change during a run"]),
    ({"events": "strike"}, ["events", "list of events"]),
])
def test_bad_firms_policies_and_events_are_refused_by_name(kwargs, words):
    with pytest.raises(ParameterError) as err:
        LoyaltyModel(rng=1, n_customers=200, **kwargs)
    for w in words:
        assert w in str(err.value), (w, str(err.value))


def test_every_state_array_is_declared_by_a_module_and_the_docs_table_is_the_schema():
    from lealtad import doc_tables

    m = model(seed=1, firms=3).run(2)
    declared = {s.name: s for module in PLAN for s in module.states}
    sizes = {"customer": N, "customer x firm": N, "customer x firm x 4": N, "position": m.emp_firm.size,
             "position x concurrency": m.emp_firm.size, "firm": m.n_firms, "firm x channel": m.n_firms,
             "firm x segment x 3": m.n_firms, "firm x 3": m.n_firms, "firm x segment": m.n_firms}
    for name, s in declared.items():
        if s.entity == "contact":  # a table of contacts (service.Contacts): every field of one length
            table = getattr(m, name)
            assert len({table[field].size for field in (*table.INTS, *table.FLOATS)}) == 1, name
            continue
        assert getattr(m, name).shape[0] == sizes[s.entity], name
    per_agent = {k for k, v in vars(m).items() if isinstance(v, np.ndarray) and v.ndim >= 1
                 and v.shape[0] in (N, m.emp_firm.size) and not k.startswith("_")}
    assert per_agent <= declared.keys(), per_agent - declared.keys()
    assert doc_tables.refreshed(doc_tables.ODD.read_text()) == doc_tables.ODD.read_text(), \
        "run `python -m lealtad.doc_tables` to refresh docs/odd.md"
