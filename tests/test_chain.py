"""The rules of each link, as functions: shapes the theory fixes."""

import numpy as np

from lealtad import chain


def test_negative_surprise_weighs_more_than_positive():
    # Mittal, Ross & Baldasare 1998: asymmetry
    e = 0.7
    up = chain.transaction_satisfaction(np.array([e + 0.1]), e, 1.0, 2.0)[0] - e
    down = e - chain.transaction_satisfaction(np.array([e - 0.1]), e, 1.0, 2.0)[0]
    assert down == 2 * up


def test_higher_expectation_is_a_double_edge():
    # the same service satisfies less when the image promised more (Oliver 1980)
    q = np.array([0.6])
    assert chain.transaction_satisfaction(q, 0.8, 1.0, 2.0) < chain.transaction_satisfaction(q, 0.6, 1.0, 2.0)


def test_defection_falls_nonlinearly_with_commitment():
    c = np.linspace(0, 1, 101)
    p = chain.defection_probability(c, 0.3, 0.35, 0.11)
    assert np.all(np.diff(p) < 0)
    # Jones & Sasser: "completely satisfied" (0.9) far more loyal than "satisfied" (0.7)
    assert p[70] / p[90] > 5
    assert p[0] > 0.9 * 0.3


def test_recovery_paradox_only_after_a_first_failure():
    first = chain.recovered_satisfaction(np.array([0.7]), np.array([True]), 0.15)
    second = chain.recovered_satisfaction(np.array([0.7]), np.array([False]), 0.15)
    assert first > 0.7 > second


def test_commitment_keeps_the_memory_of_failures():
    assert chain.commitment(np.array([0.9]), np.array([1.0]), 0.15) < 0.9


def test_word_of_mouth_is_an_asymmetric_u():
    p = chain.talk_probability(0.06, 0.01, 0.1)  # by score 0..10
    assert p.size == 11 and p[0] == p[6] == 0.1 and p[7] == p[8] == 0.01 and p[9] == p[10] == 0.06


def test_nps_definition():
    scores = np.array([10, 9, 8, 7, 6, 0, 9, 9, 9, 6])
    groups = np.array([0, 0, 0, 0, 0, 0, 1, 1, 1, 1])
    assert np.allclose(chain.nps(chain.score_tally(scores, groups, 3)), [0.0, 50.0, np.nan], equal_nan=True)


def test_quit_probability_falls_with_satisfaction():
    p = chain.daily_quit_probability(np.array([0.0, 0.5, 1.0]), 0.08, 1.0)
    assert p[0] > p[1] > p[2]
    assert np.isclose(p[0], 1 - np.exp(-1.0 / 365)) and np.isclose(p[2], 1 - np.exp(-0.08 / 365))


def test_adoption_hazard_is_bass():
    # complete graph: R/k = F -> p + q F, with images at the prior
    h = chain.adoption_hazard(0.03, 0.38, np.array([40.0]), np.array([0.0]), 1.0, np.array([100.0]), 0.5, 0.5, 1.0)
    assert np.isclose(h[0], 0.03 + 0.38 * 0.4)


def test_a_good_image_attracts():
    args = (0.03, 0.38, np.array([40.0]), np.array([10.0]), 1.0, np.array([100.0]))
    better = chain.adoption_hazard(*args, 0.8, 0.5, 1.0)
    assert better > chain.adoption_hazard(*args, 0.5, 0.5, 1.0) > chain.adoption_hazard(*args, 0.3, 0.5, 1.0)
    assert chain.adoption_hazard(*args, 0.8, 0.5, 0.0) == chain.adoption_hazard(*args, 0.5, 0.5, 1.0)


def test_employee_satisfaction_moves_toward_its_target():
    es = chain.employee_satisfaction(np.array([0.2]), 0.8, 0.0, 0.0, 0.5, 0.1)
    assert np.isclose(es[0], 0.2 + 0.1 * 0.6)
    pressed = chain.employee_satisfaction(np.array([0.2]), 0.8, 3.0, 0.0, 0.5, 0.1)
    assert pressed < es
