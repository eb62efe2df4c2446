"""Each link of the service-profit chain moves its effect in the direction the theory says,
measured as paired differences under common random numbers (same seed, one policy changed).
A link passes when the 95% confidence interval of the paired difference excludes zero."""

import numpy as np
import pytest

from conftest import mean_of, paired, run

# Links run for each firm: the model must call each rule with the right firm's parameters.
FIRMS = pytest.mark.parametrize("firm", ["company", "competitor"])


def assert_positive(diff_ci):
    diff, half = diff_ci
    assert diff - half > 0, f"expected an increase, got {diff:.4g} +/- {half:.4g}"


def assert_negative(diff_ci):
    diff, half = diff_ci
    assert diff + half < 0, f"expected a decrease, got {diff:.4g} +/- {half:.4g}"


@FIRMS
def test_leadership_raises_internal_quality_and_employee_satisfaction(firm):
    assert_positive(paired(mean_of("internal_quality"), {"leadership": 0.9}, seeds=range(2), steps=30, firm=firm))
    assert_positive(paired(mean_of("employee_satisfaction"), {"leadership": 0.9}, steps=120, firm=firm))


def test_work_pressure_lowers_employee_satisfaction():
    # fewer staff -> longer queues per employee -> lower satisfaction (Oliva & Sterman 2001)
    assert_negative(paired(mean_of("employee_satisfaction"), {"in_person_staff_per_1000": 1.5}, steps=120))


def test_employee_satisfaction_lowers_turnover():
    quits = lambda m, f: m.results().query("firm == @f")["quits"].sum()
    # 20 employees: ~12 quits a year when unhappy, ~3 when happy (Poisson noise ~4 per run)
    assert_negative(paired(quits, {"leadership": 1.0, "wage_premium": 0.4},
                           base={"leadership": 0.1, "wage_premium": -0.2, "in_person_staff_per_1000": 22.0}, seeds=range(8)))


@FIRMS
def test_training_raises_skill(firm):
    assert_positive(paired(mean_of("employee_skill"), {"training": 1.0}, base={"training": 0.0}, steps=120, firm=firm))


@FIRMS
def test_more_staff_shortens_waits(firm):
    assert_negative(paired(mean_of("in_person_wait_mean"), {"in_person_staff_per_1000": 12.0}, steps=120, firm=firm))
    assert_negative(paired(mean_of("in_person_abandonment"), {"in_person_staff_per_1000": 12.0}, steps=120, firm=firm))


def test_staff_morale_raises_service_quality_and_customer_satisfaction():
    # Brown & Lam 2008: employee satisfaction -> perceived quality -> customer satisfaction
    better = {"leadership": 1.0, "training": 0.8, "wage_premium": 0.3}
    assert_positive(paired(mean_of("service_quality"), better, steps=180))
    assert_positive(paired(mean_of("customer_satisfaction"), better, steps=180))


def test_customer_satisfaction_raises_loyalty_and_profit():
    better = {"leadership": 1.0, "training": 0.8, "wage_premium": 0.3}
    churned = lambda m, f: m.results().query("firm == @f")[["lost_to_rival", "exits"]].to_numpy().sum()
    active = lambda m, f: m.results().query("firm == @f")["active"].iloc[-1]
    assert_negative(paired(churned, better))
    assert_positive(paired(active, better))


def test_longer_waits_lower_customer_satisfaction():
    assert_negative(paired(mean_of("customer_satisfaction"), {"in_person_staff_per_1000": 3.0}, steps=180))


def test_recommendations_bring_customers_and_warnings_keep_them_away():
    acquired = lambda m, f: m.results().query("firm == @f")["acquired"].sum()
    only_praise = {"wom_effect": 0.0, "warning_effect": 0.0}
    assert_positive(paired(acquired, {"wom_effect": 0.2}, base=only_praise, seeds=range(4), steps=120))
    only_warnings = {"wom_effect": 0.0, "talk_promoter": 0.0}
    assert_negative(paired(acquired, {"wom_effect": 0.2}, base=only_warnings, seeds=range(4), steps=120))


@FIRMS
def test_advertising_raises_image_and_acquisitions(firm):
    acquired = lambda m, f: m.results().query("firm == @f")["acquired"].sum()
    # advertising pulls images toward its promise, here above what people already think
    promise = {"promise": 0.9}
    assert_positive(paired(acquired, {"advertising": 0.003}, base=promise, seeds=range(4), steps=120, firm=firm))
    assert_positive(paired(mean_of("image"), {"advertising": 0.003}, base=promise, seeds=range(4), steps=60, firm=firm))


def test_a_bigger_promise_is_a_double_edge():
    # a better image attracts more prospects, and raises the expectations the same service must meet
    acquired = lambda m, f: m.results().query("firm == @f")["acquired"].sum()
    promise = {"promise": 1.0, "advertising": 0.002}
    base = {"promise": 0.5, "advertising": 0.002}
    assert_positive(paired(mean_of("image"), promise, base=base, seeds=range(2), steps=60))
    assert_positive(paired(acquired, promise, base=base, seeds=range(4), steps=120))
    assert_negative(paired(mean_of("customer_satisfaction"), promise, base=base, seeds=range(4), steps=120))


@FIRMS
def test_service_recovery_raises_satisfaction_of_complainants(firm):
    change = {"recovery": 1.0, "complaint_ease": 0.5}
    assert_positive(paired(mean_of("customer_satisfaction"), change, base={"recovery": 0.0, "complaint_ease": 0.5},
                           steps=180, firm=firm))


def test_rival_gains_when_company_neglects_staff():
    share = lambda m, f: m.results().query("firm == @f")["market_share"].iloc[-1]
    assert_negative(paired(share, {"leadership": 0.0, "training": 0.0, "wage_premium": -0.3}))


def _strike(day, firm="company", days=10, capacity=0.2):
    return [{"day": day, "firm": firm, "kind": "strike", "days": days, "capacity": capacity}]


@FIRMS
def test_strike_raises_waits_and_hurts_satisfaction(firm):
    base = run(seed=3, steps=80).results().query("firm == @firm")
    hit = run(seed=3, steps=80, events=_strike(30, firm)).results().query("firm == @firm")
    during = slice(31, 40)
    # four in five out: the queues run long, many give up, revenue goes with them (customers stop waiting)
    assert hit["in_person_wait_mean"].iloc[during].mean() > 3 * max(base["in_person_wait_mean"].iloc[during].mean(), 1e-3)
    assert hit["abandonment"].iloc[during].mean() > 3 * base["abandonment"].iloc[during].mean()
    assert hit["revenue"].iloc[during].sum() < 0.95 * base["revenue"].iloc[during].sum()
    assert hit["customer_satisfaction"].iloc[45] < base["customer_satisfaction"].iloc[45]
    # before the strike the two runs are the same run (common random numbers)
    assert np.allclose(hit.iloc[:30]["active"], base.iloc[:30]["active"])


def test_explaining_a_strike_softens_its_blow():
    # Maister 1985: explained waits feel shorter; the queue itself is the same
    playbook = [{"firm": "company", "kind": "playbook", "crisis_communication": 0.8}]
    a = run(seed=3, steps=50, events=_strike(20)).results().query("firm == 'company'")
    b = run(seed=3, steps=50, events=_strike(20) + playbook).results().query("firm == 'company'")
    assert np.allclose(a["wait_mean"].iloc[:21], b["wait_mean"].iloc[:21])
    assert b["service_quality"].iloc[21:30].mean() > a["service_quality"].iloc[21:30].mean()
    assert b["customer_satisfaction"].iloc[35] > a["customer_satisfaction"].iloc[35]


@FIRMS
def test_surge_raises_encounters_by_its_factor(firm):
    base = run(seed=3, steps=40).results().query("firm == @firm")
    surge = [{"day": 20, "firm": firm, "kind": "surge", "days": 10, "factor": 3.0}]
    hit = run(seed=3, steps=40, events=surge).results().query("firm == @firm")
    ratio = hit["contacts"].iloc[20:30].sum() / base["contacts"].iloc[20:30].sum()
    # expected ratio ~3 (new arrivals triple; those who give up retry, a little more); binomial noise on
    # ~2,000 contacts is a few percent
    assert 2.5 < ratio < 3.3
