"""Customer segments: who the customers are. Households, small businesses and key accounts differ in
how often they buy, how much, how much price matters to them, how long they wait, and which channel
they prefer.

Segments are not the customer's state with a firm (active, potential, prospect: the market module);
a person belongs to one segment for the whole run. The segment table below is the one place where
the segments and their defaults live; each column becomes a parameter ``SEGMENT_COLUMN``
(``key_account_basket``, ``small_business_channel``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.plan import Module
from ..core.schema import MARKET, NEXT_DAY, START, Output, Param, ParameterError, State
from .channels import CHANNELS

ANY = "any"  # a segment with no preferred channel follows the market's channel shares
SOURCES = ("Mulhern 1999, J. Interactive Marketing 13(1) (revenue concentrates in few accounts); "
           "[A: illustrative defaults, the weighted mean purchase rate and basket are about 1]")


@dataclass(frozen=True)
class Segment:
    name: str
    share: float            # share of the people in the market
    frequency: float        # purchase rate relative to the market's purchase_rate
    basket: float           # units bought per purchase (price and unit cost are per unit)
    price_sensitivity: float
    patience: float         # relative to each channel's mean patience
    channel: str            # preferred channel, or ANY
    channel_weight: float   # share of the segment who use its preferred channel (the rest: market shares)


TABLE = (
    Segment("households", 0.80, 0.9, 0.7, 1.0, 1.0, ANY, 0.0),
    Segment("small_business", 0.17, 1.3, 2.0, 0.7, 0.7, "phone", 0.4),
    Segment("key_account", 0.03, 2.0, 5.0, 0.5, 0.5, "in_person", 0.6),
)
SEGMENTS = tuple(s.name for s in TABLE)

COLUMNS = (
    ("share", 0.0, 1.0, "share of people", "Share of the people in the market who are {segment} (the shares of all "
     "segments sum to 1)", float, START),
    ("frequency", 0.0, 20.0, "x purchase_rate", "How often {segment} buy, relative to the market's purchase rate", float,
     NEXT_DAY),
    ("basket", 0.0, 1000.0, "units per purchase", "Units {segment} buy in one purchase at tenure 0 (price and unit "
     "cost are per unit)", float, NEXT_DAY),
    ("price_sensitivity", 0.0, 5.0, "satisfaction per unit of relative price gap", "How much a price above the reference "
     "lowers the value {segment} see in an encounter", float, NEXT_DAY),
    ("patience", 0.01, 100.0, "x channel patience", "Patience of {segment} relative to each channel's mean patience",
     float, NEXT_DAY),
    ("channel", None, None, "channel", "Channel {segment} prefer ('any': the market's channel shares)", str, START),
    ("channel_weight", 0.0, 1.0, "share of the segment", "Share of {segment} who use their preferred channel (the "
     "others follow the market's channel shares)", float, START),
)
DESCRIPTIONS = {column: text for column, _, _, _, text, _, _ in COLUMNS}


def _params():
    out = []
    for s in TABLE:
        for column, low, high, unit, text, kind, effect in COLUMNS:
            description = text.format(segment=s.name.replace("_", " "))
            if kind is str:
                out.append(Param(f"{s.name}_{column}", getattr(s, column), unit=unit, description=description,
                                 group="segments", source=SOURCES, choices=(ANY, *CHANNELS), kind=str, effect=effect))
            else:
                out.append(Param(f"{s.name}_{column}", getattr(s, column), low, high, unit, description, "segments",
                                 SOURCES, scope=MARKET, effect=effect))
    return tuple(out)


def segment_column(name: str) -> tuple[str, str] | None:
    """('key_account', 'basket') for 'key_account_basket'; None otherwise."""
    for s in SEGMENTS:
        if name.startswith(s + "_") and name[len(s) + 1:] in DESCRIPTIONS:
            return s, name[len(s) + 1:]
    return None


MEASURES = (
    ("active", "customers", "Active customers of the firm who are {s}"),
    ("revenue", "EUR per day", "Sales to {s} (served purchases x price)"),
    ("lifetime_value", "EUR", "Customer lifetime value of {s} (Gupta, Lehmann & Stuart 2004, from the margin and "
     "retention measured since day 0)"),
)
SEGMENT_RESULTS = tuple(Output(f"{s}_{m}", unit, text.format(s=s.replace("_", " ")))
                        for s in SEGMENTS for m, unit, text in MEASURES)  # written by economics and lifetime value


class Segments(Module):
    name = "segments"
    summary = "the segment table; each person's segment (households, small businesses, key accounts)"
    daily = False
    parameters = _params()
    states = (State("segment", "customer", "segment index", "", "The person's segment (" + ", ".join(SEGMENTS) + ")",
                    "drawn by the segment shares"),)

    def init(self, m):
        ids = np.arange(m.p["n_customers"])
        m.segment = draw(shares(m.p), m.streams.uniform("segment", 0, ids))


def alike() -> dict:
    """Parameters that make every segment buy, wait and choose a channel alike (the market's rates
    and shares): for the limits of theory, which know one kind of customer."""
    return {f"{s}_{column}": value for s in SEGMENTS
            for column, value in (("frequency", 1.0), ("basket", 1.0), ("price_sensitivity", 1.0), ("patience", 1.0),
                                  ("channel", ANY))}


def shares(p) -> np.ndarray:
    return np.array([p[f"{s}_share"] for s in SEGMENTS])


def draw(weights, u) -> np.ndarray:
    """Indices drawn from U(0,1) draws in proportion to ``weights`` (which sum to 1)."""
    return np.minimum(np.searchsorted(np.cumsum(weights), u, side="right"), len(weights) - 1).astype(np.int8)


def check_segments(p):
    total = float(shares(p).sum())
    if abs(total - 1.0) > 1e-9:
        raise ParameterError("parameters '*_share' of the segments: " + " + ".join(f"{p[f'{s}_share']:g}" for s in SEGMENTS)
                             + f" = {total:g}; they must sum to 1")


_LAST: list = [None, None]


def segment_arrays(p) -> dict[str, np.ndarray]:
    """Each numeric segment column as an array over segments (in SEGMENTS order)."""
    if _LAST[0] is p:
        return _LAST[1]
    out = {field: np.array([p[f"{s}_{field}"] for s in SEGMENTS], dtype=float)
           for field in ("frequency", "basket", "price_sensitivity", "patience", "channel_weight")}
    out["channel"] = np.array([CHANNELS.index(p[f"{s}_channel"]) if p[f"{s}_channel"] != ANY else -1 for s in SEGMENTS])
    _LAST[:] = [p, out]
    return out


def preferred_channels(p, segment, u_prefers, u_market, market_shares) -> np.ndarray:
    """Each person's channel: their segment's preferred channel for a share channel_weight of the
    segment, the market's channel shares for the others."""
    table = segment_arrays(p)
    own = table["channel"][segment]
    prefers = (own >= 0) & (u_prefers < table["channel_weight"][segment])
    return np.where(prefers, own, draw(market_shares, u_market)).astype(np.int8)
