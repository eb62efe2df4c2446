"""Replication from the model description alone.

The functions below re-implement two submodels from docs/odd.md, without `lealtad.chain` or the
modules: the encounter and the satisfaction/commitment update (section 7.3, "The encounter" and
"Satisfaction, complaints, recovery, memory", with the equations of section 7.1), and the daily fading
and advertising pull of images (section 7.4, "Fading and advertising"). The random numbers are the
model's named streams, used as section 4 (Stochasticity) and the notation of odd.md describe them: a
U(0, 1) per (stream, day, person), N(0, 1) as its inverse normal CDF. The model is then driven through
one day, and what it computed for each of the day's encounters must be what the description says.
"""

import numpy as np
from scipy.special import ndtri

from lealtad import LoyaltyModel
from lealtad.streams import Streams

FIRMS = ("company", "competitor")
PARAMS = {"n_customers": 3000, "company.in_person_staff_per_1000": 6.0, "competitor.in_person_staff_per_1000": 6.0,
          "company.advertising": 0.01,  # some prospects adopt on the day observed (their first encounter)
          "company.complaint_ease": 1.0, "company.recovery": 0.6,  # complaints and recoveries happen
          "competitor.complaint_ease": 0.3, "competitor.recovery": 0.9, "failure_rate": 0.2,
          "company.price": 30.0, "competitor.price": 22.0, "company.price_clarity": 0.7}  # price moves the value


def clip(x):
    return np.minimum(np.maximum(x, 0.0), 1.0)


CHANNEL_NAMES = ("in_person", "phone", "chat", "email")  # odd.md 7.7, in the channels' order


def perceived_quality(p, policy, day, ids, firm, channel, served, wait, skill, attitude, streams):
    """odd.md 7.3 "The encounter" with 7.1 failure_probability and encounter_quality (no playbook:
    the felt wait is the wait); 7.7 "Unserved contacts": nobody met (skill and attitude 0), a failure;
    the tolerance is the contact's channel's."""
    skill, attitude = np.where(served, skill, 0.0), np.where(served, attitude, 0.0)
    p_fail = clip(p["failure_rate"] + p["novice_failure_rate"] * (1 - skill))
    failed = ~served | (streams.uniform("failure", day, ids) < p_fail)
    tolerance = np.array([p[f"{CHANNEL_NAMES[c]}_wait_tolerance"] for c in channel])
    # odd.md 5, item 4: personal leniency plus the neighbourhood's (floor(place x neighbourhoods))
    k = p["neighbourhoods"]
    hood = np.minimum((streams.uniform("place", 0, ids) * k).astype(int), k - 1)
    local = p["local_leniency_spread"] * ndtri(streams.uniform("local_leniency", 0, np.arange(k)))[hood]
    leniency = p["customer_heterogeneity"] * ndtri(streams.uniform("leniency", 0, ids)) + local
    noise = leniency + p["encounter_noise"] * ndtri(streams.uniform("perception", day, ids))
    w = {k: p[f"weight_{k}"] for k in ("reliability", "responsiveness", "assurance", "empathy", "tangibles")}
    score = (w["reliability"] * (1 - failed) + w["responsiveness"] * np.exp(-wait / tolerance)
             + w["assurance"] * skill + w["empathy"] * attitude + w["tangibles"] * policy["tangibles"][firm])
    return failed, clip(score / sum(w.values()) + noise)


SEGMENT_NAMES = ("households", "small_business", "key_account")  # odd.md 7.8, in the table's order


def encounter_value(p, policy, day, ids, firm, served, quality, before, streams):
    """odd.md 7.8 "Price": the penalty of the firm's price against the reference, felt less by grown
    customers, and of unclear prices; nothing for an unserved contact. V = clip(Q - penalty)."""
    u = streams.uniform("segment", 0, ids)  # odd.md 5, item 4: the first segment whose cumulative share exceeds U
    segment = np.searchsorted(np.cumsum([p[f"{s}_share"] for s in SEGMENT_NAMES]), u, side="right")
    sensitivity = np.array([p[f"{s}_price_sensitivity"] for s in SEGMENT_NAMES])[segment]
    growth = clip((day - before["joined"][ids]) / (365 * p["growth_years"]))
    gap = policy["price"][firm] / p["reference_price"] - 1
    felt = sensitivity * np.maximum(1 - p["price_premium"] * growth, 0)
    penalty = felt * np.where(gap > 0, gap, p["price_gain_share"] * gap) + p["price_confusion"] * (1 - policy["price_clarity"][firm])
    penalty = np.where(served, penalty, 0.0)
    return clip(quality - penalty)


def satisfaction_update(p, policy, day, ids, firm, quality, value, failed, before, streams):
    """odd.md 7.3 "Satisfaction, complaints, recovery, memory", items 1-7 (the value judged against the
    expectation, 7.8), and the commitment of 7.1."""
    expectation = before["image"][ids, firm]
    d = value - expectation
    s = clip(expectation + np.where(d >= 0, p["gain_sensitivity"], p["loss_sensitivity"]) * d)
    first = before["failure_memory"][ids] < 0.5
    dissatisfied = np.rint(10 * s) <= 6
    complained = dissatisfied & (streams.uniform("complain", day, ids) < policy["complaint_ease"][firm])
    recovered = complained & (streams.uniform("recover", day, ids) < policy["recovery"][firm])
    boost = p["recovery_boost"]
    s = np.where(recovered, np.maximum(s, clip(np.where(first, expectation + boost, expectation - boost))), s)
    m = p["satisfaction_memory"]
    joined_today = before["joined"][ids] == day
    satisfaction = np.where(joined_today, s, (1 - m) * before["satisfaction"][ids] + m * s)
    memory = (1 - p["failure_forgetting"]) * before["failure_memory"]  # everyone's memory fades
    memory[ids] += failed
    l = p["expectation_learning"]
    image = (1 - l) * expectation + l * quality
    commitment = clip(satisfaction - p["failure_weight"] * memory[ids])
    return dict(expectation=expectation, transaction=s, complained=complained, recovered=recovered,
                satisfaction=satisfaction, failure_memory=memory, image=image, commitment=commitment)


def faded(p, policy, image):
    """odd.md 7.4 "Fading and advertising": every image, every day."""
    pull = np.minimum(1.0, p["ad_persuasion"] * policy["advertising"])
    return (1 - pull) * ((1 - p["image_decay"]) * image + p["image_decay"] * p["image_prior"]) + pull * policy["promise"]


def drive_one_day(model, seen):
    """Run one day of the model module by module, calling ``seen(name, model)`` before each step and
    once at the end (name None)."""
    model.today = model.store.begin_day()
    for module in model.day_plan.modules:
        seen(module.name, model)
        module.step(model)
    seen(None, model)
    model.day += 1


def test_the_encounter_and_satisfaction_update_replicate_from_the_description():
    model = LoyaltyModel(rng=11, **PARAMS).run(40)
    states = {}

    def seen(name, m):
        copy = {k: np.array(getattr(m, k), copy=True) for k in ("image", "satisfaction", "failure_memory", "joined",
                                                                   "emp_skill", "emp_satisfaction")}
        states[name] = dict(copy, encounters={k: np.array(v, copy=True) for k, v in m.encounters.items()})

    drive_one_day(model, seen)
    p, policy, day = model.p, model.policy, model.day - 1
    streams = Streams(model.seed)
    before, after = states["encounter"], states["loyalty"]  # just before the encounter; just after satisfaction
    e = after["encounters"]
    ids, firm, server = e["customer"], e["firm"], e["server"]
    assert ids.size > 20 and np.any(before["joined"][ids] == day) and len(set(firm)) == 2

    served = e["served"]
    failed, quality = perceived_quality(p, policy, day, ids, firm, e["channel"], served, e["wait"],
                                        before["emp_skill"][server], before["emp_satisfaction"][server], streams)
    np.testing.assert_array_equal(failed, e["failed"])
    np.testing.assert_allclose(quality, e["quality"], rtol=0, atol=1e-12)

    value = encounter_value(p, policy, day, ids, firm, served, quality, before, streams)
    np.testing.assert_allclose(value, e["value"], rtol=0, atol=1e-12)
    assert np.any(value < quality - 0.01) and np.any(value > quality + 0.01)  # the price moved some values both ways
    mine = satisfaction_update(p, policy, day, ids, firm, quality, value, failed, before, streams)
    assert mine["complained"].any() and mine["recovered"].any()
    # the day holds encounters that tell the rules apart: dissatisfied by satisfaction but not by
    # quality (complaints follow satisfaction), and recoveries after first and repeated failures
    surprise = value - mine["expectation"]
    before_recovery = clip(mine["expectation"] + np.where(surprise >= 0, 1.0, 2.0) * surprise)
    assert np.any((np.rint(10 * before_recovery) <= 6) != (np.rint(10 * value) <= 6))
    first = before["failure_memory"][ids] < 0.5
    assert np.any(mine["recovered"] & first) and np.any(mine["recovered"] & ~first)
    np.testing.assert_allclose(mine["expectation"], e["expectation"], atol=1e-12)
    np.testing.assert_allclose(mine["transaction"], e["satisfaction"], atol=1e-12)
    np.testing.assert_array_equal(mine["complained"], e["complained"])
    np.testing.assert_array_equal(mine["recovered"], e["recovered"])
    np.testing.assert_allclose(mine["satisfaction"], after["satisfaction"][ids], atol=1e-12)
    np.testing.assert_allclose(mine["failure_memory"], after["failure_memory"], atol=1e-12)
    np.testing.assert_allclose(mine["image"], after["image"][ids, firm], atol=1e-12)
    model_commitment = np.clip(after["satisfaction"][ids] - p["failure_weight"] * after["failure_memory"][ids], 0, 1)
    np.testing.assert_allclose(mine["commitment"], model_commitment, atol=1e-12)


def test_every_image_fades_and_is_pulled_by_advertising_as_described():
    model = LoyaltyModel(rng=5, **PARAMS).run(10)
    images = {}
    drive_one_day(model, lambda name, m: images.__setitem__(name, m.image.copy()))
    before, after = images["image"], images["economics"]
    np.testing.assert_allclose(faded(model.p, model.policy, before), after, atol=1e-12)
    assert not np.allclose(before, after)  # the rule has effect on every image, news or not
