"""The lessons as data: which experiment file and scenarios each one runs, which figures and tables it
shows, and the words its generated results section uses (in English: message ids that the catalogs
of lealtad.locale translate).

A lesson page in ``docs/teaching/{es,en}/`` is written by hand except for the part between the
markers ``<!-- results:begin -->`` and ``<!-- results:end -->``, which `lealtad lessons` rewrites from
the same runs that drew the figures: numbers are never typed by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..locale import N_

# Sizes: the experiment file's own values are the "full" size except where capped here, so that
# `lealtad lessons` stays a few minutes on a laptop; "quick" is for CI and a first look in class.
QUICK = {"replications": 3, "n_customers": 2000}
FULL = {"replications": 12, "n_customers": 10_000}


@dataclass(frozen=True)
class Figure:
    """One figure of a lesson. ``kind``:

    - ``trajectories``: each output over the year, one line per scenario (mean over replications,
      95% band within the output's domain), company only, or both firms when ``firms`` has two
      entries; in a sweep, at one point (the swept parameter's default), named on the page;
    - ``differences``: each scenario minus the baseline, run by run, with 95% confidence intervals,
      per sweep point (never pooled over points); no title: "Paired difference from '<baseline>'";
    - ``sweep``: the headline against the swept parameter, one line per scenario;
    - ``segments``: active / potential / prospect customers (the company's view) per scenario.
    """

    name: str
    kind: str
    outputs: tuple[str, ...] = ()
    scenarios: tuple[str, ...] = ()      # empty: all the lesson's scenarios
    firms: tuple[str, ...] = ("company",)
    title: str = ""                      # English: a message id of the catalogs (lealtad.locale); see kind


@dataclass(frozen=True)
class Lesson:
    number: int
    key: str                                # file stem of the generated tables and figures: lesson1, ...
    experiment: str                         # experiments/<experiment>.toml
    pages: dict[str, str]                   # language -> page file name (languages with a written page)
    title: str
    scenarios: tuple[str, ...]              # the first is the baseline
    labels: dict[str, str]                  # scenario -> English label (a message id)
    table: tuple[str, ...]                  # outputs in the results tables
    figures: tuple[Figure, ...]
    sweep: bool = False                     # keep the experiment's sweep (else its first point only)
    extra: dict = field(default_factory=dict)


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        1, "lesson1", "staff_morale", {"es": "01-cadena-servicio-beneficio.md", "en": "01-service-profit-chain.md"},
        N_("The chain, from internal quality to profit"),
        ("baseline", "leadership", "training", "pay"),
        {"baseline": N_("current policies"),
         "leadership": N_("better leadership"),
         "training": N_("more training"),
         "pay": N_("higher pay")},
        ("internal_quality", "employee_satisfaction", "service_quality", "customer_satisfaction", "nps", "active", "costs", "cumulative_profit"),
        (Figure("chain", "trajectories", ("internal_quality", "employee_satisfaction", "service_quality", "customer_satisfaction", "nps", "active", "cumulative_profit"), ("baseline", "leadership"), title=N_("Each link of the chain: better leadership against current policies")),
         Figure("differences", "differences", ("employee_satisfaction", "nps", "active", "costs", "cumulative_profit"), title=N_("Paired difference from current policies (95% CI)"))),
    ),
    Lesson(
        2, "lesson2", "lesson_word_of_mouth", {"es": "02-boca-a-boca-e-imagen.md", "en": "02-word-of-mouth-and-image.md"},
        N_("Word of mouth and image: the double edge of expectations"),
        ("baseline", "big_promise", "modest_promise", "no_word_of_mouth"),
        {"baseline": N_("realistic promise"),
         "big_promise": N_("big promise"),
         "modest_promise": N_("modest promise"),
         "no_word_of_mouth": N_("no word of mouth")},
        ("image", "acquired", "won_from_rival", "dissatisfied", "customer_satisfaction", "nps", "warnings", "active", "cumulative_profit"),
        (Figure("expectations", "trajectories", ("image", "acquired", "customer_satisfaction", "nps", "active"), ("baseline", "big_promise", "modest_promise"), title=N_("The promise lifts image and expectations")),
         Figure("word_of_mouth", "trajectories", ("recommendations", "warnings", "image", "active"), ("baseline", "no_word_of_mouth"), title=N_("What word of mouth adds")),
         Figure("differences", "differences", ("image", "acquired", "customer_satisfaction", "nps", "active", "cumulative_profit"), title=N_("Paired difference from the realistic promise (95% CI)"))),
    ),
    Lesson(
        3, "lesson3", "lesson_response_vs_morale", {"es": "03-respuesta-rapida-o-moral.md", "en": "03-faster-response-or-staff-morale.md"},
        N_("Faster response or better staff morale?"),
        ("baseline", "faster_response", "better_morale", "both"),
        {"baseline": N_("current plan"),
         "faster_response": N_("faster response (more staff)"),
         "better_morale": N_("better staff morale"),
         "both": N_("both plans")},
        ("wait_mean", "employee_satisfaction", "quits", "service_quality", "customer_satisfaction", "nps", "costs", "cumulative_profit"),
        (Figure("links", "trajectories", ("wait_mean", "employee_satisfaction", "service_quality", "customer_satisfaction", "active", "cumulative_profit"), ("baseline", "faster_response", "better_morale"), title=N_("Two plans, two different links")),
         Figure("differences", "differences", ("wait_mean", "employee_satisfaction", "service_quality", "nps", "costs", "cumulative_profit"), title=N_("Paired difference from the current plan (95% CI)"))),
    ),
    Lesson(
        4, "lesson4", "acquire_vs_retain", {"es": "04-captar-o-retener.md", "en": "04-acquire-or-retain.md"},
        N_("Acquire or retain? The cost of a new customer"),
        ("baseline", "advertise", "service", "both"),
        {"baseline": N_("current spending"),
         "advertise": N_("more advertising"),
         "service": N_("better service"),
         "both": N_("advertising and service")},
        ("acquired", "lost_to_rival", "exits", "customer_satisfaction", "active", "cost_to_acquire", "cost_to_keep", "cost_ratio", "costs", "cumulative_profit"),
        (Figure("advertising_cost", "sweep", ("cumulative_profit",), title=N_("Profit against the media price of advertising")),
         Figure("cost_ratio", "sweep", ("cost_ratio",), title=N_("The measured cost ratio (winning over keeping a customer) against the media price of advertising")),
         Figure("customers", "trajectories", ("acquired", "lost_to_rival", "active", "cumulative_profit"), ("baseline", "advertise", "service"), title=N_("Customers who come and customers who go")),
         Figure("differences", "differences", ("acquired", "lost_to_rival", "active", "cost_ratio", "costs", "cumulative_profit"))),
        sweep=True,
    ),
    Lesson(
        5, "lesson5", "service_recovery", {"es": "05-quejas-y-recuperacion.md", "en": "05-complaints-and-recovery.md"},
        N_("Complaints and service recovery"),
        ("baseline", "easy_complaints", "good_recovery", "both"),
        {"baseline": N_("few complaints, weak recovery"),
         "easy_complaints": N_("easy complaints"),
         "good_recovery": N_("good recovery"),
         "both": N_("easy complaints and good recovery")},
        ("dissatisfied", "complaints", "recoveries", "customer_satisfaction", "nps", "lost_to_rival", "warnings", "active", "cumulative_profit"),
        (Figure("complaints", "trajectories", ("dissatisfied", "complaints", "recoveries", "customer_satisfaction", "active", "cumulative_profit"), ("baseline", "good_recovery", "both"), title=N_("From dissatisfaction to complaint to recovery")),
         Figure("differences", "differences", ("complaints", "recoveries", "customer_satisfaction", "nps", "lost_to_rival", "cumulative_profit"), title=N_("Paired difference from the current situation (95% CI)"))),
    ),
    Lesson(
        6, "lesson6", "strike", {"es": "06-huelga-y-recuperacion.md", "en": "06-strike-and-the-road-back.md"},
        N_("Contingencies: a strike and the road back"),
        ("baseline", "strike", "long_strike", "strike_with_playbook"),
        {"baseline": N_("no strike"),
         "strike": N_("10-day strike"),
         "long_strike": N_("30-day strike"),
         "strike_with_playbook": N_("10-day strike with emergency playbook")},
        ("wait_mean", "customer_satisfaction", "nps", "lost_to_rival", "warnings", "active", "cumulative_profit"),
        (Figure("strike", "trajectories", ("wait_mean", "service_quality", "customer_satisfaction", "warnings", "active", "cumulative_profit"), ("baseline", "strike", "long_strike", "strike_with_playbook"), title=N_("The strike starts on day 120: the queue, the service, the customers")),
         Figure("differences", "differences", ("customer_satisfaction", "nps", "lost_to_rival", "active", "cumulative_profit"), title=N_("Paired difference from the year without a strike (95% CI)"))),
    ),
    Lesson(
        7, "lesson7", "lesson_segments", {"es": "07-clientes-y-competencia.md", "en": "07-customers-and-the-competitor.md"},
        N_("Active, potential and prospect customers, and the competitor"),
        ("baseline", "rival_invests", "both_invest"),
        {"baseline": N_("two equal firms"),
         "rival_invests": N_("the competitor invests in service"),
         "both_invest": N_("both firms invest in service")},
        ("active", "prospects", "acquired", "won_from_rival", "lost_to_rival", "exits", "market_share", "cumulative_profit"),
        (Figure("segments", "segments", title=N_("Active, potential and prospects (seen from the company)")),
         Figure("flows", "trajectories", ("acquired", "won_from_rival", "lost_to_rival", "market_share"), ("baseline", "rival_invests"), firms=("company", "competitor"), title=N_("Flows between segments, both firms")),
         Figure("differences", "differences", ("active", "acquired", "won_from_rival", "lost_to_rival", "market_share", "cumulative_profit"), title=N_("Paired difference from two equal firms (95% CI)"))),
    ),
    Lesson(
        8, "lesson8", "customer_value", {"es": "08-clientes-que-crecen.md", "en": "08-customers-who-grow.md"},
        N_("Customers who grow: lifetime value"),
        ("baseline", "no_growth", "long_life_costly", "price_premium"),
        {"baseline": N_("customers who grow"),
         "no_growth": N_("customers who do not grow"),
         "long_life_costly": N_("long-life customers cost more (Reinartz & Kumar)"),
         "price_premium": N_("a 12 % price premium")},
        ("lifetime_value", "households_lifetime_value", "small_business_lifetime_value", "key_account_lifetime_value", "households_revenue", "small_business_revenue", "key_account_revenue", "active", "customer_satisfaction", "lost_to_rival", "cumulative_profit"),
        (Figure("retention", "sweep", ("lifetime_value",), title=N_("Lifetime value against churn_max: what a point of retention is worth")),
         Figure("households_value", "sweep", ("households_lifetime_value",), title=N_("Lifetime value of households, by scenario and churn_max")),
         Figure("small_business_value", "sweep", ("small_business_lifetime_value",), title=N_("Lifetime value of small businesses, by scenario and churn_max")),
         Figure("key_account_value", "sweep", ("key_account_lifetime_value",), title=N_("Lifetime value of key accounts, by scenario and churn_max")),
         Figure("differences", "differences", ("lifetime_value", "households_lifetime_value", "small_business_lifetime_value", "key_account_lifetime_value", "cumulative_profit"), title=N_("Paired difference from customers who grow (95% CI, at each value of churn_max)"))),
        sweep=True,
    ),
)

def lesson(number_or_key) -> Lesson:
    for item in LESSONS:
        if number_or_key in (item.number, item.key, str(item.number)):
            return item
    raise KeyError(f"no lesson {number_or_key!r}; lessons are " + ", ".join(str(x.number) for x in LESSONS))


def figure_files(item: Lesson, lang: str, png: bool = False) -> list[str]:
    """File names of a lesson's figures in one language."""
    suffixes = (".html", ".png") if png else (".html",)
    return [f"{item.key}_{f.name}.{lang}{s}" for f in item.figures for s in suffixes]
