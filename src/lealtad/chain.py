"""The links of the service-profit chain, one function each (Heskett et al. 1994).

Each function states its rule as an equation and names the source that motivates it. They are
pure functions of numpy arrays: `model.py` decides who and when, these decide how much. Some are also
compiled by numba and applied one person at a time inside the word-of-mouth loops (`kernels.py`), so
those are written with operations that work on single numbers too (np.minimum/np.maximum, not np.clip).
Scales: satisfaction, skill, quality, image and commitment run from 0 to 1.

Each docstring carries its rule in a small machine-readable form, lines ``Rule: NAME = EXPRESSION``
in the function's own argument names (``clip(x)`` clips to 0..1; ``where``, ``exp``, ``log``,
``minimum``, ``maximum`` are numpy's; earlier lines name intermediate terms, the last gives the
result). docs/odd.md prints these lines (`python -m lealtad.doc_tables`), and tests/test_equations.py
evaluates each on sample inputs and checks that it is what the function computes.
"""

from __future__ import annotations

import numpy as np


def clip(x):
    """x held within 0..1: the ``clip`` of the rules (np.clip's result, without its overhead on the
    few hundred values of a day)."""
    return np.minimum(np.maximum(x, 0.0), 1.0)


# 1. Leadership and internal service quality ---------------------------------------------------

def internal_service_quality(leadership, training, wage_premium):
    """Internal service quality of a firm from its policies (Heskett et al. 1994).

    Leadership is the base of the chain; training and pay are the management's other levers.
    Market pay (premium 0) counts as a neutral 0.5.

    Rule: pay = clip(0.5 + wage_premium)
    Rule: ISQ = 0.4 * leadership + 0.3 * training + 0.3 * pay
    """
    pay = clip(0.5 + wage_premium)
    return 0.4 * leadership + 0.3 * training + 0.3 * pay


# 2. Internal quality and work pressure -> employee satisfaction ----------------------------------

def employee_satisfaction(current, isq, pressure, disposition, sensitivity, adjustment):
    """Employee satisfaction moves a share `adjustment` of the way to its target each day
    (Oliva & Sterman 2001: pressure wears satisfaction down).

    The pressure P is the work pressure of the firm measured on the previous day: requests waiting
    per working employee (Little's law from the queue). The disposition is personal.

    Rule: target = clip(isq - sensitivity * pressure / (1 + pressure) + disposition)
    Rule: ES = current + adjustment * (target - current)
    """
    target = clip(isq - sensitivity * pressure / (1.0 + pressure) + disposition)
    return current + adjustment * (target - current)


# 3. Employee satisfaction -> retention -------------------------------------------------------------

def daily_quit_probability(satisfaction, rate_satisfied, rate_dissatisfied):
    """Daily chance that an employee quits, from a yearly rate log-linear in satisfaction between
    its two ends: unhappy employees leave (Harter et al. 2002: r = -.30). Both rates 0: nobody quits
    (a rate is floored at 1e-9 a year before its logarithm is taken).

    Rule: rate = exp((1 - satisfaction) * log(maximum(rate_dissatisfied, 1e-9)) + satisfaction * log(maximum(rate_satisfied, 1e-9)))
    Rule: p = where((rate_satisfied == 0) & (rate_dissatisfied == 0), 0, 1 - exp(-rate / 365))
    """
    lo, hi = max(rate_satisfied, 1e-9), max(rate_dissatisfied, 1e-9)
    rate = np.exp((1 - satisfaction) * np.log(hi) + satisfaction * np.log(lo))
    rate = np.where((rate_satisfied == 0) & (rate_dissatisfied == 0), 0.0, rate)
    return 1.0 - np.exp(-rate / 365.0)


# 4. Retention -> skill and productivity --------------------------------------------------------------

def learn(skill, learning_rate, training):
    """A day's learning: a learning curve that training steepens (at most the whole gap closes in a
    day). Replacements start low, so turnover costs skill.

    Rule: skill_next = skill + minimum(1, learning_rate * (1 + 2 * training)) * (1 - skill)
    """
    return skill + np.minimum(1.0, learning_rate * (1.0 + 2.0 * training)) * (1.0 - skill)


def service_rate(skill, satisfaction, base_rate, skill_productivity, morale_productivity):
    """Requests an employee serves per hour: experienced, satisfied employees serve faster
    (Heskett et al. 1994; Harter et al. 2002). The morale factor has a floor of 0.05, so that even a
    desperate employee serves at a twentieth of the neutral pace rather than not at all.

    Rule: mu = base_rate * (1 - skill_productivity * (1 - skill)) * maximum(0.05, 1 + morale_productivity * (satisfaction - 0.5))
    """
    return base_rate * (1.0 - skill_productivity * (1.0 - skill)) * np.maximum(0.05, 1.0 + morale_productivity * (satisfaction - 0.5))


# 5. The moment of truth: the value of one service encounter ---------------------------------------

def failure_probability(skill, failure_rate, novice_failure_rate):
    """Chance that the service of an encounter fails: novices break more promises.

    Rule: p_fail = clip(failure_rate + novice_failure_rate * (1 - skill))
    """
    return clip(failure_rate + novice_failure_rate * (1.0 - skill))


def encounter_quality(failed, wait, skill, attitude, tangibles, noise, weights, wait_tolerance):
    """Perceived quality of one encounter: a weighted mean of five scores (Parasuraman, Zeithaml &
    Berry 1988, SERVQUAL), one per phase of the encounter, plus the customer's noise.

    The scores, by phase:

    - welcome:    responsiveness s = exp(-wait / wait_tolerance) and empathy s = attitude (employee ES)
    - diagnosis:  assurance s = the employee's skill
    - resolution: reliability s = 0 if the service failed, else 1
    - farewell:   empathy again, and tangibles s = the firm's facilities.

    Employee satisfaction reaches the customer only through this perceived quality
    (Brown & Lam 2008: full mediation). `noise` is the customer's lasting leniency plus today's
    perception noise; `wait` is the wait as felt.

    Rule: score = weights["reliability"] * (1 - failed) + weights["responsiveness"] * exp(-wait / wait_tolerance) + weights["assurance"] * skill + weights["empathy"] * attitude + weights["tangibles"] * tangibles
    Rule: Q = clip(score / sum(weights.values()) + noise)
    """
    w = weights
    scores = (w["reliability"] * (1.0 - failed) + w["responsiveness"] * np.exp(-wait / wait_tolerance)
              + w["assurance"] * skill + w["empathy"] * attitude + w["tangibles"] * tangibles)
    return clip(scores / sum(w.values()) + noise)


# 6. Service value -> customer satisfaction ----------------------------------------------------------

def transaction_satisfaction(quality, expectation, gain_sensitivity, loss_sensitivity):
    """Satisfaction with one encounter: expectation-disconfirmation (Oliver 1980), with negative
    surprises weighing more than positive ones (Mittal, Ross & Baldasare 1998). A higher expectation
    is a double edge: it carries satisfaction when met and costs more when missed.

    Rule: D = quality - expectation
    Rule: s = clip(expectation + where(D >= 0, gain_sensitivity, loss_sensitivity) * D)
    """
    d = quality - expectation
    return clip(expectation + np.where(d >= 0, gain_sensitivity, loss_sensitivity) * d)


def recovered_satisfaction(expectation, first_failure, boost):
    """Satisfaction after a well-resolved complaint: above expectation after a first failure (the
    recovery paradox), below it after a repeated one (Maxham & Netemeyer 2002; de Matos et al. 2007).

    Rule: s_recovered = clip(where(first_failure, expectation + boost, expectation - boost))
    """
    return clip(np.where(first_failure, expectation + boost, expectation - boost))


def cumulative(old, new, weight):
    """Exponential memory (cumulative satisfaction; one's image of one's own firm).

    Rule: S_next = (1 - weight) * old + weight * new
    """
    return (1.0 - weight) * old + weight * new


# 7. Customer satisfaction -> loyalty ----------------------------------------------------------------

def commitment(satisfaction, failure_memory, failure_weight):
    """Commitment: satisfaction less remembered failures. Recovery lifts satisfaction but does not
    erase the failure, so it lifts satisfaction more than repurchase (de Matos et al. 2007).

    Rule: C = clip(satisfaction - failure_weight * failure_memory)
    """
    return np.minimum(np.maximum(satisfaction - failure_weight * failure_memory, 0.0), 1.0)


def defection_probability(commitment_, churn_max, midpoint, width):
    """Chance of defecting after a purchase, nonlinear like Jones & Sasser (1995): near churn_max in
    the zone of defection (C << midpoint), falling through the zone of indifference, near zero in the
    zone of affection.

    Rule: p_defect = churn_max / (1 + exp((commitment_ - midpoint) / width))
    """
    return churn_max / (1.0 + np.exp((commitment_ - midpoint) / width))


PROMOTER, DETRACTOR = 9, 6  # promoters score 9-10, detractors 0-6, passives between (Reichheld 2003)


def recommend_score(commitment_):
    """Answer to "how likely are you to recommend us?" on 0-10 (Reichheld 2003); numpy's rounding,
    halves to even.

    Rule: score = rint(10 * commitment_)
    """
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
    """Daily chance of talking about one's firm, by recommend score 0..10: an asymmetric U in
    satisfaction, the dissatisfied talking most (Anderson 1998). Promoters recommend, detractors
    warn, passives just inform.

    Rule: score = arange(11)
    Rule: p_talk = where(score >= 9, talk_promoter, where(score <= 6, talk_detractor, talk_passive))
    """
    score = np.arange(11)
    return np.where(score >= PROMOTER, talk_promoter, np.where(score <= DETRACTOR, talk_detractor, talk_passive))


def update_image(image, heard_sum, heard_count, inertia):
    """A listener's image of a firm after today's news: messages move it in proportion to their
    number. heard_sum adds the commitments the talkers told (each times the tie's weight),
    heard_count the weights; applied only when something was heard.

    Rule: I_next = (inertia * image + heard_sum) / (inertia + heard_count)
    """
    return (inertia * image + heard_sum) / (inertia + heard_count)


def adoption_hazard(advertising, wom_effect, recommendations, warnings, warning_effect, degree,
                    image, image_prior, image_attraction):
    """A prospect's daily chance of adopting a firm: Bass (1969) on a network, scaled by image.

    advertising is Bass's p, wom_effect his q; recommendations and warnings are what the prospect
    heard about the firm on the previous day (weighted by tie), degree its number (weight) of
    contacts. image is the prospect's image of the firm and image_prior the image of a firm nobody
    has heard of: a good image attracts (image_attraction is its elasticity), and the same image
    sets the expectations the firm must then meet (the double edge). On a complete graph of n people
    with A promoters talking every day and images at the prior, R/k = A/(n - 1), so the hazard is
    p + q' F with F = A/n and q' = q n/(n - 1): Bass's curve with q slightly enlarged.

    Rule: h = minimum(maximum((advertising + wom_effect * (recommendations - warning_effect * warnings) / maximum(degree, 1e-12)) * (image / image_prior) ** image_attraction, 0), 1)
    """
    safe = np.maximum(degree, 1e-12)
    ratio = image / image_prior
    attraction = ratio if image_attraction == 1.0 else ratio**image_attraction  # x^1 = x, without a pow call
    return np.minimum(np.maximum((advertising + wom_effect * (recommendations - warning_effect * warnings) / safe)
                                 * attraction, 0.0), 1.0)


# 9. Customers who grow: tenure, spend, cost to serve, price and lifetime value ----------------------

def tenure_growth(tenure_days, growth_years):
    """How far a customer has grown, 0 at joining to 1 after growth_years with the firm: the sources
    of profit of a retained customer build up over the first years (Reichheld & Sasser 1990, whose
    figures level off after about five years). growth_years = 0 means grown at once.

    Rule: g = clip(tenure_days / maximum(365 * growth_years, 1e-9))
    """
    return np.minimum(np.maximum(tenure_days / np.maximum(365.0 * growth_years, 1e-9), 0.0), 1.0)


def units_bought(basket, growth, commitment_, spend_growth, commitment_spend):
    """Units one purchase buys: the segment's basket, more with tenure (spend_growth at full growth)
    and with commitment (commitment_spend per unit of commitment above a neutral 0.5). Negative
    values express customers who buy less as they age (Reinartz & Kumar 2000); never below 0.

    Rule: units = basket * maximum(1 + spend_growth * growth + commitment_spend * (commitment_ - 0.5), 0)
    """
    return basket * np.maximum(1.0 + spend_growth * growth + commitment_spend * (commitment_ - 0.5), 0.0)


def service_effort(growth, experience_saving):
    """Work a contact needs, relative to a new customer's: experienced customers know the product and
    the firm, so serving them takes less time (Reichheld & Sasser 1990's lower cost to serve).

    Rule: effort = 1 - experience_saving * growth
    """
    return 1.0 - experience_saving * growth


def price_penalty(price, reference_price, sensitivity, growth, price_premium, gain_share, clarity, confusion):
    """What the price takes from an encounter's value: a price above the reference hurts, one below
    helps by a share gain_share as much (Kalyanaram & Winer 1995); unclear pricing hurts
    (Xia, Monroe & Cox 2004). Grown customers accept a premium: their sensitivity falls by
    price_premium at full growth (negative: long-life customers expect discounts, Reinartz & Kumar 2002).

    Rule: gap = price / maximum(reference_price, 1e-9) - 1
    Rule: felt = sensitivity * maximum(1 - price_premium * growth, 0)
    Rule: penalty = felt * where(gap > 0, gap, gain_share * gap) + confusion * (1 - clarity)
    """
    gap = price / np.maximum(reference_price, 1e-9) - 1.0
    felt = sensitivity * np.maximum(1.0 - price_premium * growth, 0.0)
    return felt * np.where(gap > 0, gap, gain_share * gap) + confusion * (1.0 - clarity)


def encounter_value(quality, penalty):
    """The value of a moment of truth: the quality received for the price paid.

    Rule: V = clip(quality - penalty)
    """
    return np.minimum(np.maximum(quality - penalty, 0.0), 1.0)


def exit_probability(defection, penalty, price_exit, competition):
    """Chance of leaving after a contact: the loyalty zones' defection, scaled by the local
    competition (more rivals nearby, more chances to leave), plus price as a reason of its own
    (Xia, Monroe & Cox 2004: unfair prices drive exit).

    Rule: p_exit = 1 - (1 - minimum(defection * competition, 1)) * (1 - clip(price_exit * penalty))
    """
    return 1.0 - (1.0 - np.minimum(defection * competition, 1.0)) * (
        1.0 - np.minimum(np.maximum(price_exit * penalty, 0.0), 1.0))


def lifetime_value(margin, retention, discount_rate, acquisition_cost):
    """Customer lifetime value with a constant yearly margin and retention rate (Gupta, Lehmann &
    Stuart 2004): the margin of this year and of each later year the customer stays, discounted,
    minus what winning the customer cost.

    Rule: CLV = margin * (1 + discount_rate) / (1 + discount_rate - retention) - acquisition_cost
    """
    return margin * (1.0 + discount_rate) / (1.0 + discount_rate - retention) - acquisition_cost
