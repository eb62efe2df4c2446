"""The links of the service-profit chain, one function each (Heskett et al. 1994).

Each function states its rule as an equation and names the source that motivates it. They are
pure functions of numpy arrays: `model.py` decides who and when, these decide how much. Some are also
compiled by numba and applied one person at a time inside the word-of-mouth loops (`kernels.py`), so
those are written with operations that work on single numbers too (np.minimum/np.maximum, not np.clip).
Scales: satisfaction, skill, quality, image and commitment run from 0 to 1.
"""

from __future__ import annotations

import numpy as np

# 1. Leadership and internal service quality ---------------------------------------------------

def internal_service_quality(leadership, training, wage_premium):
    """ISQ = 0.4 leadership + 0.3 training + 0.3 pay, with pay = clip(0.5 + wage_premium, 0, 1).

    Leadership is the base of the chain; training and pay are the management's other levers
    (Heskett et al. 1994). Market pay (premium 0) counts as a neutral 0.5.
    """
    pay = np.clip(0.5 + wage_premium, 0.0, 1.0)
    return 0.4 * leadership + 0.3 * training + 0.3 * pay


# 2. Internal quality and work pressure -> employee satisfaction ----------------------------------

def employee_satisfaction(current, isq, pressure, disposition, sensitivity, adjustment):
    """ES' = ES + adjustment * (target - ES), target = clip(ISQ - sensitivity * P/(1+P) + disposition).

    P is the work pressure: requests waiting per working employee (Little's law from the queue).
    Pressure wears satisfaction down (Oliva & Sterman 2001); disposition is personal.
    """
    target = np.clip(isq - sensitivity * pressure / (1.0 + pressure) + disposition, 0.0, 1.0)
    return current + adjustment * (target - current)


# 3. Employee satisfaction -> retention -------------------------------------------------------------

def daily_quit_probability(satisfaction, rate_satisfied, rate_dissatisfied):
    """p = 1 - exp(-r/365), with the yearly quit rate r log-linear between the two ends:
    r = r_dissatisfied^(1-ES) * r_satisfied^ES. Unhappy employees leave (Harter et al. 2002: r = -.30)."""
    lo, hi = max(rate_satisfied, 1e-9), max(rate_dissatisfied, 1e-9)
    rate = np.exp((1 - satisfaction) * np.log(hi) + satisfaction * np.log(lo))
    rate = np.where((rate_satisfied == 0) & (rate_dissatisfied == 0), 0.0, rate)
    return 1.0 - np.exp(-rate / 365.0)


# 4. Retention -> skill and productivity --------------------------------------------------------------

def learn(skill, learning_rate, training):
    """skill' = skill + learning_rate * (1 + 2 training) * (1 - skill): a learning curve that training
    steepens. Replacements start low, so turnover costs skill."""
    return skill + np.minimum(1.0, learning_rate * (1.0 + 2.0 * training)) * (1.0 - skill)


def service_rate(skill, satisfaction, base_rate, skill_productivity, morale_productivity):
    """mu = base_rate * (1 - skill_productivity (1 - skill)) * (1 + morale_productivity (ES - 0.5)).

    Experienced, satisfied employees serve faster (Heskett et al. 1994; Harter et al. 2002)."""
    return base_rate * (1.0 - skill_productivity * (1.0 - skill)) * np.maximum(0.05, 1.0 + morale_productivity * (satisfaction - 0.5))


# 5. The moment of truth: the value of one service encounter ---------------------------------------

def failure_probability(skill, failure_rate, novice_failure_rate):
    """p_fail = failure_rate + novice_failure_rate * (1 - skill): novices break more promises."""
    return np.clip(failure_rate + novice_failure_rate * (1.0 - skill), 0.0, 1.0)


def encounter_quality(failed, wait, skill, attitude, tangibles, noise, weights, wait_tolerance):
    """Perceived quality Q = sum_k w_k s_k / sum_k w_k + noise, over five dimensions
    (Parasuraman, Zeithaml & Berry 1988, SERVQUAL), one per phase of the encounter:

    - welcome:    responsiveness s = exp(-wait / wait_tolerance) and empathy s = attitude (employee ES)
    - diagnosis:  assurance s = the employee's skill
    - resolution: reliability s = 0 if the service failed, else 1
    - farewell:   empathy again, and tangibles s = the firm's facilities.

    Employee satisfaction reaches the customer only through this perceived quality
    (Brown & Lam 2008: full mediation).
    """
    w = weights
    scores = (w["reliability"] * (1.0 - failed) + w["responsiveness"] * np.exp(-wait / wait_tolerance)
              + w["assurance"] * skill + w["empathy"] * attitude + w["tangibles"] * tangibles)
    return np.clip(scores / sum(w.values()) + noise, 0.0, 1.0)


# 6. Service value -> customer satisfaction ----------------------------------------------------------

def transaction_satisfaction(quality, expectation, gain_sensitivity, loss_sensitivity):
    """s = clip(E + g(D) D), D = Q - E, g = gain_sensitivity if D >= 0 else loss_sensitivity.

    Expectation-disconfirmation (Oliver 1980), with negative surprises weighing more than
    positive ones (Mittal, Ross & Baldasare 1998). A higher expectation is a double edge:
    it carries satisfaction when met and costs more when missed.
    """
    d = quality - expectation
    return np.clip(expectation + np.where(d >= 0, gain_sensitivity, loss_sensitivity) * d, 0.0, 1.0)


def recovered_satisfaction(expectation, first_failure, boost):
    """After a well-resolved complaint: s = E + boost after a first failure (the recovery paradox),
    s = E - boost after a repeated one (Maxham & Netemeyer 2002; de Matos et al. 2007)."""
    return np.clip(np.where(first_failure, expectation + boost, expectation - boost), 0.0, 1.0)


def cumulative(old, new, weight):
    """Exponential memory: S' = (1 - weight) S + weight s."""
    return (1.0 - weight) * old + weight * new


# 7. Customer satisfaction -> loyalty ----------------------------------------------------------------

def commitment(satisfaction, failure_memory, failure_weight):
    """C = clip(S - failure_weight * F): satisfaction less remembered failures. Recovery lifts S but
    does not erase F, so it lifts satisfaction more than repurchase (de Matos et al. 2007)."""
    return np.minimum(np.maximum(satisfaction - failure_weight * failure_memory, 0.0), 1.0)


def defection_probability(commitment_, churn_max, midpoint, width):
    """p = churn_max / (1 + exp((C - midpoint) / width)) per purchase.

    Nonlinear like Jones & Sasser (1995): near churn_max in the zone of defection (C << midpoint),
    falling through the zone of indifference, near zero in the zone of affection."""
    return churn_max / (1.0 + np.exp((commitment_ - midpoint) / width))


PROMOTER, DETRACTOR = 9, 6  # promoters score 9-10, detractors 0-6, passives between (Reichheld 2003)


def recommend_score(commitment_):
    """Answer to "how likely are you to recommend us?" on 0-10: round(10 C) (Reichheld 2003)."""
    return np.rint(10.0 * commitment_)


def score_tally(scores, groups, n_groups=2):
    """How many in each group gave each score: a (group, score 0..10) table of counts."""
    return np.bincount(groups * 11 + scores.astype(np.intp), minlength=11 * n_groups).reshape(n_groups, 11)


def nps(tally):
    """Net Promoter Score per group from a `score_tally`: % promoters (9-10) - % detractors (0-6);
    NaN for an empty group."""
    count = tally.sum(axis=1)
    net = tally[:, PROMOTER:].sum(axis=1) - tally[:, :DETRACTOR + 1].sum(axis=1)
    return np.divide(100.0 * net, count, out=np.full(len(count), np.nan), where=count > 0)


# 8. Loyalty -> word of mouth, image and growth ------------------------------------------------------

def talk_probability(talk_promoter, talk_passive, talk_detractor):
    """Daily chance of talking about the firm, by recommend score (index 0..10): an asymmetric U in
    satisfaction, the dissatisfied talking most (Anderson 1998). Promoters recommend, detractors
    warn, passives just inform."""
    score = np.arange(11)
    return np.where(score >= PROMOTER, talk_promoter, np.where(score <= DETRACTOR, talk_detractor, talk_passive))


def update_image(image, heard_sum, heard_count, inertia):
    """I' = (inertia I + sum of what was heard) / (inertia + number heard): messages move one's
    image in proportion to their number."""
    return (inertia * image + heard_sum) / (inertia + heard_count)


def adoption_hazard(advertising, wom_effect, recommendations, warnings, warning_effect, degree,
                    image, image_prior, image_attraction):
    """h = clip((p + q (R - w W) / k) * (I / I0)^a): Bass (1969) on a network, scaled by image.

    p: advertising; q: word of mouth; R and W: recommendations and warnings heard today; k: the
    listener's number of contacts. I is the prospect's image of the firm and I0 the image of a firm
    nobody has heard of: a good image attracts (a = image_attraction), and the same image sets the
    expectations the firm must then meet (the double edge). On a complete graph with every customer a
    talking promoter and images at the prior, this is Bass's p + q F exactly.
    """
    safe = np.maximum(degree, 1e-12)
    ratio = image / image_prior
    attraction = ratio if image_attraction == 1.0 else ratio**image_attraction  # x^1 = x, without a pow call
    return np.minimum(np.maximum((advertising + wom_effect * (recommendations - warning_effect * warnings) / safe)
                                 * attraction, 0.0), 1.0)
