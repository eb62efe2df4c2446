"""Every word the visualisation shows, looked up in the message catalogs (lealtad.locale).

The parameter schema (``lealtad.params``) stays in English: it is the reference for the command line
and the documentation, and its descriptions and units are themselves the messages that the catalogs
translate. Here each parameter, output, link of the chain and group of controls gets a short English
label (marked with ``N_``: a message id, translated when shown). The competitor's policies are
labelled from one text per lever (``company.x``, ``competitor.x``), so each lever is translated once.

``t(message, lang)`` translates an interface text; ``param_label``, ``param_help``, ``unit``,
``group_label``, ``output_label``, ``chain_label`` and ``chain_detail`` cover the schema and the
outputs; ``unlabelled()`` lists what lacks a label, so the tests catch a parameter added without one.
"""

from __future__ import annotations

from ..locale import DEFAULT_LANG, LANGS, LANGUAGES, N_, gettext, t
from ..locale.numbers import significant
from ..modules.channels import CHANNELS, DESCRIPTIONS, channel_column
from ..outputs import OUTPUTS
from ..params import PARAMETERS, param_of

__all__ = ["DEFAULT_LANG", "LANGS", "LANGUAGES", "N_", "gettext", "t", "param_label", "param_help", "unit", "group_of",
           "group_label", "firm_label", "output_label", "chain_label", "chain_detail", "allowed", "value_error", "unlabelled"]

# ---------------------------------------------------------------------------------- firms
# The firms of the model's results (their `firm` column); another firm is shown by its own name.
FIRM_LABELS: dict[str, str] = {"company": N_("Company"), "competitor": N_("Competitor")}

# ------------------------------------------------------------------------- parameter groups
# The order in which the groups appear in the controls (policies first: they are the levers).
GROUPS: dict[str, str] = {
    "policies": N_("The company's policies"),
    "competitor": N_("The competitor's policies"),
    "employees": N_("Employees"),
    "channels": N_("Service channels"),
    "customers": N_("Customers"),
    "encounter": N_("Encounters (moments of truth)"),
    "network": N_("Social network"),
    "word_of_mouth": N_("Word of mouth and image"),
    "economics": N_("Economics"),
    "market": N_("Market"),
    "contingencies": N_("Contingencies"),
}

# ------------------------------------------------------------------- parameter labels (short)
# Competitor policies reuse the company's.
LABELS: dict[str, str] = {
    "initial_share": N_("Initial share"),
    "wage_premium": N_("Wage premium"),
    "training": N_("Training"),
    "leadership": N_("Leadership"),
    "tangibles": N_("Tangibles"),
    "promise": N_("Advertised promise"),
    "advertising": N_("Advertising"),
    "complaint_ease": N_("Ease of complaining"),
    "recovery": N_("Service recovery"),
    "n_customers": N_("People in the market"),
    "initial_satisfaction": N_("Initial satisfaction"),
    "purchase_rate": N_("Purchase rate"),
    "pressure_sensitivity": N_("Sensitivity to pressure"),
    "satisfaction_adjustment": N_("Speed of satisfaction adjustment"),
    "employee_heterogeneity": N_("Diversity of employees"),
    "turnover_satisfied": N_("Turnover of the satisfied"),
    "turnover_dissatisfied": N_("Turnover of the dissatisfied"),
    "hiring_delay": N_("Hiring delay"),
    "staffing_review": N_("Staffing review"),
    "new_hire_skill": N_("Skill of a new hire"),
    "learning_rate": N_("Learning rate"),
    "skill_productivity": N_("Skill in productivity"),
    "morale_productivity": N_("Morale in productivity"),
    "retry": N_("Retry the next day"),
    "channel_switch": N_("Move channel after no answer"),
    "failure_rate": N_("Expert failure rate"),
    "novice_failure_rate": N_("Extra novice failures"),
    "encounter_noise": N_("Perception noise"),
    "weight_reliability": N_("Weight of reliability"),
    "weight_responsiveness": N_("Weight of responsiveness"),
    "weight_assurance": N_("Weight of assurance"),
    "weight_empathy": N_("Weight of empathy"),
    "weight_tangibles": N_("Weight of tangibles"),
    "gain_sensitivity": N_("Sensitivity to good surprises"),
    "loss_sensitivity": N_("Sensitivity to bad surprises"),
    "satisfaction_memory": N_("Weight of the last encounter"),
    "expectation_learning": N_("Learning of expectations"),
    "churn_max": N_("Maximum defection"),
    "churn_midpoint": N_("Defection midpoint"),
    "churn_width": N_("Zone of indifference"),
    "failure_weight": N_("Weight of a remembered failure"),
    "choice_noise": N_("Noise in the choice of firm"),
    "failure_forgetting": N_("Forgetting of failures"),
    "recovery_boost": N_("Boost of a good recovery"),
    "network": N_("Kind of network"),
    "network_degree": N_("Contacts per person"),
    "rewiring": N_("Rewiring (small world)"),
    "network_file": N_("Network file"),
    "wom_effect": N_("Word-of-mouth effect"),
    "warning_effect": N_("Effect of a warning"),
    "talk_promoter": N_("Talk of a promoter"),
    "talk_passive": N_("Talk of a passive"),
    "talk_detractor": N_("Talk of a detractor"),
    "image_inertia": N_("Image inertia"),
    "image_prior": N_("Image without news"),
    "image_decay": N_("Image decay"),
    "ad_persuasion": N_("Advertising persuasion"),
    "price": N_("Price per unit"),
    "daily_wage": N_("Daily wage"),
    "training_cost": N_("Training cost"),
    "hiring_cost": N_("Hiring cost"),
    "recovery_cost": N_("Recovery cost"),
    "retention_cost": N_("Retention cost"),
    "onboarding_cost": N_("Onboarding cost"),
    "advertising_cost": N_("Advertising cost"),
    "strike_day": N_("Strike day"),
    "strike_days": N_("Strike length"),
    "strike_capacity": N_("Staff working during a strike"),
    "surge_day": N_("Surge day"),
    "surge_days": N_("Surge length"),
    "surge_factor": N_("Surge intensity"),
    "crisis_communication": N_("Crisis communication"),
    "image_attraction": N_("Image attraction"),
    "customer_heterogeneity": N_("Diversity of customers"),
}

# Channel parameters and outputs: one text per column or measure, with the channel's name in it.
CHANNEL_NAMES: dict[str, str] = {"in_person": N_("in person"), "phone": N_("phone"), "chat": N_("chat"),
                                 "email": N_("email")}
CHANNEL_COLUMN_LABELS: dict[str, str] = {
    "share": N_("Customers preferring {channel}"),
    "service_minutes": N_("Minutes per service, {channel}"),
    "concurrency": N_("Contacts at once, {channel}"),
    "opens": N_("Opening hour, {channel}"),
    "opening_hours": N_("Opening hours, {channel}"),
    "patience": N_("Patience, {channel} (hours)"),
    "balk_queue": N_("Queue that turns people away, {channel}"),
    "wait_tolerance": N_("Wait tolerance, {channel}"),
    "target_wait": N_("Service-level target, {channel}"),
    "contact_cost": N_("Cost per contact, {channel}"),
    "unit_customers": N_("Customers per site or team, {channel}"),
    "staff_per_1000": N_("Staff per 1,000 customers, {channel}"),
}
CHANNEL_MEASURE_LABELS: dict[str, str] = {
    "contacts": N_("Contacts, {channel}"),
    "wait_mean": N_("Mean wait, {channel} (hours)"),
    "wait_p90": N_("Wait, 90th percentile, {channel} (hours)"),
    "abandonment": N_("Unanswered share, {channel}"),
    "service_level": N_("Service level, {channel}"),
    "utilisation": N_("Utilisation, {channel}"),
    "staff": N_("Staff at work, {channel}"),
    "cost": N_("Cost, {channel} (EUR/day)"),
}

# ------------------------------------------------------------------------- outputs (series)
OUTPUT_LABELS: dict[str, str] = {
    "internal_quality": N_("Internal service quality"),
    "employee_satisfaction": N_("Employee satisfaction"),
    "employee_skill": N_("Employee skill"),
    "staff": N_("Staff at work"),
    "quits": N_("Employee quits"),
    "utilisation": N_("Staff utilisation"),
    "wait_mean": N_("Mean wait (hours)"),
    "wait_p90": N_("Wait, 90th percentile (hours)"),
    "contacts": N_("Contacts"),
    "abandoned": N_("Contacts abandoned"),
    "balked": N_("Contacts turned away"),
    "waiting": N_("Contacts still waiting"),
    "abandonment": N_("Unanswered share"),
    "service_level": N_("Service level"),
    "encounters": N_("Encounters"),
    "failures": N_("Service failures"),
    "service_quality": N_("Perceived service quality"),
    "dissatisfied": N_("Dissatisfying encounters"),
    "complaints": N_("Complaints"),
    "recoveries": N_("Recoveries"),
    "customer_satisfaction": N_("Customer satisfaction"),
    "nps": N_("NPS (points)"),
    "active": N_("Active customers"),
    "market_share": N_("Market share"),
    "prospects": N_("Prospects"),
    "acquired": N_("Customers acquired"),
    "won_from_rival": N_("Won from the rival"),
    "lost_to_rival": N_("Lost to the rival"),
    "exits": N_("Exits from the market"),
    "recommendations": N_("Recommendations heard"),
    "warnings": N_("Warnings heard"),
    "image": N_("Image"),
    "revenue": N_("Revenue (EUR/day)"),
    "costs": N_("Costs (EUR/day)"),
    "profit": N_("Profit (EUR/day)"),
    "cumulative_profit": N_("Cumulative profit (EUR)"),
    "acquisition_spend": N_("Acquisition spend (EUR/day)"),
    "retention_spend": N_("Retention spend (EUR/day)"),
    "cost_to_acquire": N_("Cost to win a customer (EUR)"),
    "cost_to_keep": N_("Cost to keep a customer a year (EUR)"),
    "cost_ratio": N_("Cost ratio, winning over keeping (x)"),
    "lifetime_value": N_("Customer lifetime value (EUR)"),
    "households_lifetime_value": N_("Lifetime value, households (EUR)"),
    "small_business_lifetime_value": N_("Lifetime value, small businesses (EUR)"),
    "key_account_lifetime_value": N_("Lifetime value, key accounts (EUR)"),
    "households_revenue": N_("Revenue, households (EUR/day)"),
    "small_business_revenue": N_("Revenue, small businesses (EUR/day)"),
    "key_account_revenue": N_("Revenue, key accounts (EUR/day)"),
    "households_active": N_("Active customers, households"),
    "small_business_active": N_("Active customers, small businesses"),
    "key_account_active": N_("Active customers, key accounts"),
    # derived series shown by the visualisation
    "turnover": N_("Employee turnover (%/year)"),
    "profit_week": N_("Profit, 7-day mean (EUR/day)"),
}

# -------------------------------------------------------------------- links of the chain
CHAIN_LABELS: dict[str, str] = {
    "leadership": N_("1. Leadership and internal quality"),
    "employee_satisfaction": N_("2. Employee satisfaction"),
    "employee_loyalty": N_("3. Employee loyalty"),
    "productivity": N_("4. Productivity"),
    "service_value": N_("5. Service value"),
    "customer_satisfaction": N_("6. Customer satisfaction"),
    "customer_loyalty": N_("7. Customer loyalty"),
    "profit": N_("8. Profit and growth"),
}

CHAIN_DETAILS: dict[str, str] = {
    "leadership": N_("internal quality"),
    "employee_satisfaction": N_("mean satisfaction"),
    "employee_loyalty": N_("turnover %/year"),
    "productivity": N_("skill · wait h · unanswered"),
    "service_value": N_("perceived quality"),
    "customer_satisfaction": N_("mean satisfaction"),
    "customer_loyalty": N_("NPS"),
    "profit": N_("EUR/day · share"),
}


# ---------------------------------------------------------------------------------- lookups
def _base(name: str) -> tuple[str, bool]:
    """('in_person_staff_per_1000', True) for 'competitor.in_person_staff_per_1000': every firm's levers reuse one text;
    True for a firm other than the company."""
    firm, _, base = name.rpartition(".")
    return base, bool(firm) and firm != "company"


def _firm(name: str) -> str:
    return name.rpartition(".")[0]


def base_name(name: str) -> str:
    """The company's parameter a competitor's lever mirrors ('in_person_staff_per_1000' for its competitor twin)."""
    return _base(name)[0]


def _channel_text(texts: dict[str, str], name: str, lang: str) -> str | None:
    """A channel parameter's or output's text ('Patience, phone (hours)'), or None for any other name."""
    for channel in CHANNELS:
        if name.startswith(channel + "_") and name[len(channel) + 1:] in texts:
            return t(texts[name[len(channel) + 1:]], lang, channel=gettext(CHANNEL_NAMES[channel], lang))
    return None


def param_label(name: str, lang: str) -> str:
    base, _ = _base(name)
    channel = _channel_text(CHANNEL_COLUMN_LABELS, base, lang)
    if channel is not None:
        return channel
    return gettext(LABELS[base], lang) if base in LABELS else base


def param_help(name: str, lang: str) -> str:
    """One-line help: the schema's description (the English), translated."""
    base, rival = _base(name)
    split = channel_column(base)
    if split is not None:  # one translated template for every channel
        text = t(DESCRIPTIONS[split[1]], lang, channel=gettext(CHANNEL_NAMES[split[0]], lang))
    elif lang == "en" or not rival:
        return gettext(param_of(name).description, lang)
    else:
        text = gettext(PARAMETERS[base].description, lang)
    if not rival:
        return text
    return t("Competitor: {description}", lang, description=text[0].lower() + text[1:])


def unit(name: str, lang: str) -> str:
    return gettext(param_of(name).unit, lang)


def firm_label(firm: str, lang: str) -> str:
    return gettext(FIRM_LABELS[firm], lang) if firm in FIRM_LABELS else firm


def group_of(name: str) -> str:
    """The control group a parameter is shown in (the competitor's levers get a group of their own)."""
    firm = _firm(name)
    return firm if firm and firm != "company" else param_of(name).group


def group_label(group: str, lang: str) -> str:
    return gettext(GROUPS[group], lang) if group in GROUPS else group


def output_label(name: str, lang: str) -> str:
    channel = _channel_text(CHANNEL_MEASURE_LABELS, name, lang)
    if channel is not None:
        return channel
    return gettext(OUTPUT_LABELS[name], lang) if name in OUTPUT_LABELS else name


def chain_label(link: str, lang: str) -> str:
    return gettext(CHAIN_LABELS[link], lang)


def chain_detail(link: str, lang: str) -> str:
    return gettext(CHAIN_DETAILS[link], lang)


def allowed(name: str, lang: str) -> str:
    """What a parameter accepts, in ``lang`` (the words of the schema's Param.allowed())."""
    p = param_of(name)
    if p.choices:
        return t("one of {choices}", lang, choices=", ".join(p.choices))
    if p.kind is bool:
        return t("true or false", lang)
    if p.kind is str:
        return t("a text value", lang)
    bounds = dict(low=significant(p.low, lang), high=significant(p.high, lang))
    if p.kind is int:
        return t("an integer from {low} to {high}", lang, **bounds)
    return t("a number from {low} to {high}", lang, **bounds)


def value_error(name: str, raw, error: str, lang: str) -> str:
    """The message for a refused value: the field, the value and what is allowed, in ``lang``. A
    problem that involves other parameters (two shares adding up to more than the market) keeps the
    schema's own English words."""
    if error.startswith(f"parameter '{name}': ") and "is not allowed" in error:
        return t("{label}: '{value}' is not allowed; expected {allowed}", lang, label=param_label(name, lang),
                 value=raw, allowed=allowed(name, lang))
    return f"{param_label(name, lang)}: {error}"


def unlabelled() -> list[str]:
    """Parameters, groups and outputs shown without a label of their own (empty when complete)."""
    gaps = [f"LABELS[{_base(n)[0]}]" for n in PARAMETERS
            if _base(n)[0] not in LABELS and _channel_text(CHANNEL_COLUMN_LABELS, _base(n)[0], "en") is None]
    gaps += [f"GROUPS[{group_of(n)}]" for n in PARAMETERS if group_of(n) not in GROUPS]
    gaps += [f"OUTPUT_LABELS[{o.name}]" for o in OUTPUTS
             if o.name not in OUTPUT_LABELS and _channel_text(CHANNEL_MEASURE_LABELS, o.name, "en") is None]
    return sorted(set(gaps))
