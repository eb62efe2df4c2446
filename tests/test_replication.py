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
          "competitor.complaint_ease": 0.3, "competitor.recovery": 0.9, "failure_rate": 0.2}


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
    leniency = p["customer_heterogeneity"] * ndtri(streams.uniform("leniency", 0, ids))  # odd.md 5, item 4
    noise = leniency + p["encounter_noise"] * ndtri(streams.uniform("perception", day, ids))
    w = {k: p[f"weight_{k}"] for k in ("reliability", "responsiveness", "assurance", "empathy", "tangibles")}
    score = (w["reliability"] * (1 - failed) + w["responsiveness"] * np.exp(-wait / tolerance)
             + w["assurance"] * skill + w["empathy"] * attitude + w["tangibles"] * policy["tangibles"][firm])
    return failed, clip(score / sum(w.values()) + noise)


def satisfaction_update(p, policy, day, ids, firm, quality, failed, before, streams):
    """odd.md 7.3 "Satisfaction, complaints, recovery, memory", items 1-7, and the commitment of 7.1."""
    expectation = before["image"][ids, firm]
    d = quality - expectation
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

    mine = satisfaction_update(p, policy, day, ids, firm, quality, failed, before, streams)
    assert mine["complained"].any() and mine["recovered"].any()
    # the day holds encounters that tell the rules apart: dissatisfied by satisfaction but not by
    # quality (complaints follow satisfaction), and recoveries after first and repeated failures
    surprise = quality - mine["expectation"]
    before_recovery = clip(mine["expectation"] + np.where(surprise >= 0, 1.0, 2.0) * surprise)
    assert np.any((np.rint(10 * before_recovery) <= 6) != (np.rint(10 * quality) <= 6))
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
