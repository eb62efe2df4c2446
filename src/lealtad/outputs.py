"""The daily outputs, one per firm: their names, units and meaning in one place."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .params import FIRMS


@dataclass(frozen=True)
class Output:
    name: str
    unit: str
    description: str


OUTPUTS = (
    Output("internal_quality", "0-1", "Internal service quality set by the firm's policies"),
    Output("employee_satisfaction", "0-1", "Mean satisfaction of working employees"),
    Output("employee_skill", "0-1", "Mean skill of working employees"),
    Output("staff", "employees", "Positions filled (vacancies excluded)"),
    Output("quits", "employees per day", "Employees who quit today"),
    Output("utilisation", "share", "Busy time over working time of the staff"),
    Output("wait_mean", "hours", "Mean waiting time of today's encounters"),
    Output("wait_p90", "hours", "90th percentile of today's waiting times"),
    Output("encounters", "per day", "Service encounters (purchases) today"),
    Output("failures", "per day", "Encounters whose service failed"),
    Output("service_quality", "0-1", "Mean perceived quality of today's encounters"),
    Output("dissatisfied", "per day", "Encounters that left the customer dissatisfied (score 0-6)"),
    Output("complaints", "per day", "Dissatisfied customers who complained"),
    Output("recoveries", "per day", "Complaints resolved well"),
    Output("customer_satisfaction", "0-1", "Mean cumulative satisfaction of active customers"),
    Output("nps", "points", "Net Promoter Score of active customers (% promoters - % detractors)"),
    Output("active", "customers", "Customers buying from the firm"),
    Output("market_share", "share", "Share of all active customers"),
    Output("prospects", "people", "People buying from neither firm (the same for both rows)"),
    Output("acquired", "per day", "Prospects who became customers"),
    Output("won_from_rival", "per day", "Customers who switched in from the rival"),
    Output("lost_to_rival", "per day", "Customers who switched to the rival"),
    Output("exits", "per day", "Customers who left the market (back to prospects)"),
    Output("recommendations", "messages per day", "Recommendations heard (promoters talking x contacts)"),
    Output("warnings", "messages per day", "Warnings heard (detractors talking x contacts)"),
    Output("image", "0-1", "Mean image of the firm among everyone in the market"),
    Output("revenue", "EUR per day", "Revenue (gross margin of purchases)"),
    Output("costs", "EUR per day", "Wages, training, hiring, recovery, retention, acquisition, advertising"),
    Output("profit", "EUR per day", "Revenue - costs"),
    Output("cumulative_profit", "EUR", "Profit since day 0"),
)
OUTPUT_NAMES = tuple(o.name for o in OUTPUTS)


def tidy(wide: pd.DataFrame) -> pd.DataFrame:
    """Mesa's wide model-variable table (``profit_company``, ...) as rows of (day, firm, outputs...)."""
    frames = []
    for firm in FIRMS:
        part = wide[[f"{n}_{firm}" for n in OUTPUT_NAMES]].copy()
        part.columns = list(OUTPUT_NAMES)
        part.insert(0, "firm", firm)
        part.insert(0, "day", range(len(part)))
        frames.append(part)
    return pd.concat(frames, ignore_index=True).sort_values(["day", "firm"], kind="stable").reset_index(drop=True)

