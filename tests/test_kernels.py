"""The compiled word-of-mouth loops apply chain.py's rules exactly, draw the same common random
numbers as the rest of the model, and follow an edited rule (no stale compiled copy)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

from lealtad import LoyaltyModel, chain
from lealtad.kernels import listen, opinions

SRC = Path(__file__).resolve().parents[1] / "src" / "lealtad"


def _survey(model, referral_growth=0.0):
    p = model.p
    talk = chain.talk_probability(p["talk_promoter"], p["talk_passive"], p["talk_detractor"])
    return opinions(model.firm, model.satisfaction, model.failure_memory, p["failure_weight"], talk,
                    np.uint64(model.streams.key("talk")), np.uint64(model.day), model.network.degree, model.n_firms,
                    model.joined, referral_growth, p["growth_years"], model.segment, 3)


def test_opinions_equal_the_chain_rules_applied_to_arrays():
    model = LoyaltyModel(rng=4, n_customers=3000, firms=3).run(40)  # a firm axis longer than two
    p, d = model.p, model.day
    tally, satisfaction_sum, reach, who, firms, messages, by_segment = _survey(model)
    active = np.flatnonzero(model.firm >= 0)
    firm = model.firm[active].astype(np.int64)
    assert np.array_equal(by_segment, np.bincount(firm * 3 + model.segment[active], minlength=9).reshape(3, 3))
    c = model.commitment(active)
    score = chain.recommend_score(c)
    assert tally.shape == (3, 11) and np.array_equal(tally, chain.score_tally(score, firm, 3))
    assert np.allclose(satisfaction_sum, np.bincount(firm, weights=model.satisfaction[active], minlength=3))
    talks = model.streams.uniform("talk", d, active) < chain.talk_probability(
        p["talk_promoter"], p["talk_passive"], p["talk_detractor"])[score.astype(int)]
    assert np.array_equal(who, active[talks]) and np.array_equal(firms, firm[talks])
    promoter, detractor = score[talks] >= chain.PROMOTER, score[talks] <= chain.DETRACTOR
    assert np.allclose(messages, np.column_stack([c[talks], np.ones(talks.sum()), promoter, detractor]))
    degree = model.network.degree[who]
    assert np.allclose(reach[:, 0], np.bincount(firms, weights=promoter * degree, minlength=3))
    assert np.allclose(reach[:, 1], np.bincount(firms, weights=detractor * degree, minlength=3))
    assert set(np.unique(firms)) == {0, 1, 2}  # every firm's customers talk
    assert 0 < who.size < active.size  # some talk, not all: the comparison above is not empty
    # grown promoters talk (1 + referral_growth x growth) times as often; nobody else changes
    who2 = _survey(model, referral_growth=2.0)[3]
    growth = chain.tenure_growth(d - model.joined[active], p["growth_years"])
    chance = chain.talk_probability(p["talk_promoter"], p["talk_passive"], p["talk_detractor"])[score.astype(int)]
    chance = np.where(score >= chain.PROMOTER, chance * (1 + 2.0 * growth), chance)
    assert np.array_equal(who2, active[model.streams.uniform("talk", d, active) < chance]) and who2.size > who.size


def test_listening_moves_only_those_with_news():
    image = np.array([[0.5, 0.5], [0.4, 0.9], [0.7, 0.2]], order="F")
    heard = np.zeros((3, 2, 4))  # person x firm x (valence sum, messages, recommendations, warnings)
    heard[1, 0, 0:2] = [1.8, 2]  # person 1 heard two messages about the company, worth 0.9 each
    heard[2, 1, 0:2] = [0.0, 1]  # person 2 heard one bad message about the competitor
    listen(image, heard, 5.0, np.arange(3))
    assert np.array_equal(image[0], [0.5, 0.5])
    assert np.isclose(image[1, 0], chain.update_image(0.4, 1.8, 2, 5.0)) and image[1, 1] == 0.9
    assert image[2, 0] == 0.7 and np.isclose(image[2, 1], chain.update_image(0.2, 0.0, 1, 5.0))


def test_an_edited_rule_reaches_the_compiled_loops(tmp_path):
    """numba caches compiled loops by their own file; editing chain.py must still recompile them."""
    package = tmp_path / "lealtad"
    shutil.copytree(SRC, package, ignore=shutil.ignore_patterns("__pycache__"))
    probe = ("from lealtad import LoyaltyModel; from lealtad.kernels import opinions; import numpy as np\n"
             "m = LoyaltyModel(rng=1, n_customers=500)\n"
             "t = opinions(m.firm, m.satisfaction, m.failure_memory, 0.15, np.full(11, 0.1), np.uint64(1),"
             " np.uint64(0), m.network.degree, m.n_firms, m.joined, 0.0, 5.0, m.segment, 3)[0]\n"
             "print(int(t[:, 10].sum()), int(t.sum()))")
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "NUMBA_CACHE_DIR": str(tmp_path / "cache")}

    def run():
        out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
        return [int(x) for x in out.stdout.split()]

    top, total = run()
    assert 0 < top < total  # with the shipped rule, only some customers are fully committed
    chain_py = package / "chain.py"
    text = chain_py.read_text()
    rule = "return np.minimum(np.maximum(satisfaction - failure_weight * failure_memory, 0.0), 1.0)"
    assert rule in text
    chain_py.write_text(text.replace(rule, "return np.minimum(np.maximum(satisfaction * 0.0 + 1.0, 0.0), 1.0)"))
    assert run() == [total, total]  # everyone fully committed under the edited rule: recompiled


def test_spread_adds_each_message_times_the_tie_weight_to_every_contact():
    import scipy.sparse as sp

    from lealtad.network import SocialNetwork, build

    rng = np.random.default_rng(0)
    ties = build("scale_free", 400, 8, 0.1, seed=3).csr  # hubs: long and short rows
    weighted = sp.csr_array((rng.uniform(0.5, 2.0, ties.nnz), ties.indices, ties.indptr), shape=ties.shape)
    net = SocialNetwork(400, weighted)
    speakers = np.sort(rng.choice(400, 60, replace=False))  # many speakers: the read-ahead runs too
    firms = rng.integers(0, 3, speakers.size)
    messages = rng.random((speakers.size, 4))
    heard = np.full((400, 3, 4), 7.0)  # yesterday's news, to be cleared
    net.tell(speakers, firms, messages, heard)
    adjacency = net.csr.toarray()
    expected = np.zeros((400, 3, 4))
    for f in range(3):
        said = np.zeros((400, 4))
        said[speakers[firms == f]] = messages[firms == f]
        expected[:, f] = adjacency.T @ said  # row i of the ties: whom speaker i tells
    assert np.allclose(heard, expected)


def test_adoption_equals_the_chain_rule_and_the_stream_applied_to_arrays():
    from lealtad.kernels import adopt

    model = LoyaltyModel(rng=6, n_customers=3000, firms=3, **{"firm_3.advertising": 0.02}).run(30)
    p, d = model.p, model.day
    key = np.uint64(model.streams.key("adopt"))
    who, chosen = adopt(model.firm, model.heard, model.network.has_news(model.heard), model.image, model.network.degree, model.policy["advertising"],
                        p["wom_effect"], p["warning_effect"], p["image_prior"], p["image_attraction"], key, np.uint64(d))
    prospects = np.flatnonzero(model.firm < 0)
    hazard = np.array([chain.adoption_hazard(model.policy["advertising"][f], p["wom_effect"], model.heard[prospects, f, 2],
                                             model.heard[prospects, f, 3], p["warning_effect"],
                                             model.network.degree[prospects], model.image[prospects, f],
                                             p["image_prior"], p["image_attraction"]) for f in range(3)])
    u = model.streams.uniform("adopt", d, prospects) * np.maximum(1.0, hazard.sum(axis=0))
    choice = (u[None, :] >= np.cumsum(hazard, axis=0)).sum(axis=0)  # 3: no firm
    assert np.array_equal(who, prospects[choice < 3]) and np.array_equal(chosen, choice[choice < 3])
    assert who.size > 10 and np.mean(chosen == 2) > 0.5  # adopters exist; the big advertiser wins most


def test_due_customers_are_the_customers_whose_purchase_is_due_in_id_order():
    from lealtad.kernels import due_customers

    rng = np.random.default_rng(3)
    next_purchase = rng.integers(0, 20, 5000).astype(np.int32)
    firm = rng.integers(-1, 3, 5000).astype(np.int8)  # -1: a prospect, never due
    for day in (0, 7, 19, 25):
        expected = np.flatnonzero((next_purchase <= day) & (firm >= 0))
        assert np.array_equal(due_customers(next_purchase, firm, day), expected)
    assert 0 < due_customers(next_purchase, firm, 7).size < 5000


def _satisfaction_by_numpy(m, e, gaps, keys):
    """The satisfaction module's day as numpy expressions (fancy assignment: the last write wins)."""
    from lealtad.kernels import hashed_uniform, rules

    p, d, buyers, f = m.p, m.day, e["customer"], e["firm"]
    draw = [hashed_uniform(k, np.uint64(d), buyers) for k in keys]
    expectation = m.image[buyers, f]
    s = rules.transaction_satisfaction(e["value"], expectation, p["gain_sensitivity"], p["loss_sensitivity"])
    first_failure = m.failure_memory[buyers] < 0.5
    dissatisfied = rules.recommend_score(s) <= chain.DETRACTOR
    complained = dissatisfied & (draw[0] < m.policy["complaint_ease"][f])
    recovered = complained & (draw[1] < m.policy["recovery"][f])
    s = np.where(recovered, np.maximum(s, rules.recovered_satisfaction(expectation, first_failure, p["recovery_boost"])), s)
    new = m.joined[buyers] == d
    m.satisfaction[buyers] = np.where(new, s, rules.cumulative(m.satisfaction[buyers], s, p["satisfaction_memory"]))
    m.failure_memory *= 1.0 - p["failure_forgetting"]
    m.failure_memory[buyers] += e["failed"]
    m.image[buyers, f] = rules.cumulative(expectation, e["quality"], p["expectation_learning"])
    m.purchases[buyers[e["served"]]] += 1
    retry = ~e["served"] & (draw[2] < p["retry"])
    m.next_purchase[buyers] = np.where(retry, d + 1, d + gaps)
    return expectation, s, complained, recovered


def test_satisfaction_pass_equals_the_numpy_expressions_even_for_a_customer_listed_twice():
    from lealtad.kernels import satisfy

    m = LoyaltyModel(rng=3, n_customers=3000, retry=0.5).run(40)
    served = int(np.flatnonzero(m.encounters["served"][1:])[0]) + 1
    twice = np.array([0, served])  # the first customer twice, and a served one twice (served both times)
    e = {k: np.concatenate([v, v[twice]]) for k, v in m.encounters.items()}
    e["served"][-2] = not e["served"][0]
    e["value"][-2] = 0.0  # the first's second contact a disaster: dissatisfied
    gaps = np.arange(e["customer"].size) % 9 + 1
    keys = m.streams.keys(("complain", "recover", "retry"))
    states = ("image", "satisfaction", "failure_memory", "purchases", "next_purchase")
    before = {k: getattr(m, k).copy() for k in states}
    expected = _satisfaction_by_numpy(m, e, gaps, keys)
    after = {k: getattr(m, k).copy() for k in states}
    for k in states:
        setattr(m, k, before[k].copy())
    p = m.p
    *got, counts = satisfy(e["customer"], e["firm"], e["value"], e["quality"], e["failed"], e["served"], gaps, m.image,
                           m.satisfaction, m.failure_memory, m.joined, m.purchases, m.next_purchase,
                           m.policy["complaint_ease"], m.policy["recovery"], keys, m.day, p["gain_sensitivity"],
                           p["loss_sensitivity"], p["recovery_boost"], p["satisfaction_memory"],
                           p["expectation_learning"], 1.0 - p["failure_forgetting"], p["retry"], m.n_firms)
    for a, b in zip(got, expected):
        assert np.array_equal(a, b)
    for k in states:
        assert np.array_equal(getattr(m, k), after[k]), k
    assert expected[2].any() and (~e["served"]).any()  # the case reaches complaints and retries
    assert np.array_equal(counts[1], np.bincount(e["firm"][expected[2]], minlength=m.n_firms))


def test_the_compiled_loops_close_over_nothing_that_changes_between_processes():
    """numba keys a cached loop by its closure variables too: a function defined in the closure (its
    pickle differs in every process) would make every process compile the loop again (seconds at
    each start of a worker, a CLI run or a test)."""
    from lealtad import kernels

    loops = [obj for obj in vars(kernels).values() if getattr(getattr(obj, "py_func", None), "__closure__", None)]
    assert {loop.__name__ for loop in loops} >= {"opinions", "lifetime_values", "satisfy", "serve_day"}
    for loop in loops:
        assert all(isinstance(cell.cell_contents, str) for cell in loop.py_func.__closure__), loop.__name__
