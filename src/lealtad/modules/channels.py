"""Service channels: where a customer asks for service (in person, phone, chat, email, self-service),
and at which of the firm's units (a site for the in-person channel, a team for the others).

Each channel has its own service time, concurrency (a chat agent serves several sessions at once),
opening hours, the patience and the wait customers expect there, a cost per contact, and the share
of its contacts resolved without an agent (a self-service portal, an answering machine); each firm
staffs each channel with its own ratio. Self-service has no agents by default: what it does not
resolve, nobody answers, and the customer gives up and may try another channel. A customer has a preferred channel (drawn from the channel
shares) and a place (a number in [0, 1) that fixes the home unit: with k units of a channel, unit
floor(place k)), and may move to another channel after a contact that was not served.

The channel table below is the one place where the channels and their defaults live; each column
becomes a parameter ``CHANNEL_COLUMN`` (``phone_patience``, ``company.chat_staff_per_1000``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..core.plan import Module
from ..core.schema import FIRM, MARKET, NEXT_DAY, REVIEW, START, Output, Param, ParameterError, State
from ..kernels import move_channels, route_contacts
from .management import POLICIES

SOURCES = "Gans, Koole & Mandelbaum 2003; Brown et al. 2005 [A: ranges from call-centre studies]"


@dataclass(frozen=True)
class Channel:
    name: str
    share: float          # share of customers who prefer it
    service_minutes: float
    concurrency: int      # contacts one agent serves at once
    opens: float          # hour of the day the channel opens
    opening_hours: float
    asynchronous: bool    # contacts arrive around the clock and wait for opening hours (email)
    patience: float       # mean patience, hours (exponential)
    balk_queue: float     # people waiting per agent at which an arrival turns away (inf: never)
    wait_tolerance: float  # hours: responsiveness has fallen to 1/e
    target_wait: float    # hours: the service level counts contacts answered within it
    contact_cost: float   # EUR per contact besides wages (premises, telephony, software)
    unit_customers: int   # customers of the channel one site or team serves
    staff_per_1000: float  # firm policy: agents per 1,000 customers who use the channel
    resolution: float     # share of contacts resolved without an agent


# in person keeps the single channel's figures of earlier versions (20 minutes, 8 hours, 4.3 staff)
# self-service (optional: nobody uses it by default) resolves about half of what it is asked, and
# customers it leaves alone give up within minutes (containment of 40-70 % is common [A])
TABLE = (
    Channel("in_person", 0.50, 20.0, 1, 9.0, 8.0, False, 1.5, 6.0, 0.25, 1 / 6, 0.5, 800, 4.3, 0.0),
    Channel("phone", 0.30, 8.0, 1, 8.0, 10.0, False, 0.25, math.inf, 0.05, 20 / 3600, 0.3, 900, 1.4, 0.0),
    Channel("chat", 0.15, 15.0, 3, 8.0, 12.0, False, 0.3, math.inf, 0.1, 1 / 60, 0.1, 450, 0.7, 0.0),
    Channel("email", 0.05, 10.0, 1, 9.0, 8.0, True, 120.0, math.inf, 12.0, 24.0, 0.05, 300, 2.1, 0.0),
    Channel("self_service", 0.0, 5.0, 1, 0.0, 24.0, False, 0.05, math.inf, 0.05, 0.0, 0.02, 1_000_000, 0.0, 0.5),
)
CHANNELS = tuple(c.name for c in TABLE)


# Each column of the channel table as a parameter: (column, low, high, unit, description, group, kind, scope,
# effect). Descriptions are templates of the channel's name, so that each is written (and translated) once.
COLUMNS = (
    ("share", 0.0, 1.0, "share of customers", "Share of customers who prefer the {channel} channel (the shares of all "
     "channels sum to 1)", "channels", float, MARKET, START),
    ("service_minutes", 0.5, 480.0, "minutes", "Mean service time in the {channel} channel of a fully skilled employee "
     "of neutral morale", "channels", float, MARKET, NEXT_DAY),
    ("concurrency", 1, 8, "contacts", "Contacts one agent of the {channel} channel serves at the same time", "channels",
     int, MARKET, START),
    ("opens", 0.0, 23.0, "hour of day", "Hour the {channel} channel opens", "channels", float, MARKET, START),
    ("opening_hours", 1.0, 24.0, "hours per day", "Hours a day the {channel} channel is staffed", "channels", float,
     MARKET, START),
    ("patience", 0.001, math.inf, "hours", "Mean patience of a customer waiting in the {channel} channel (exponential; "
     "inf: nobody abandons)", "channels", float, MARKET, NEXT_DAY),
    ("balk_queue", 0.0, math.inf, "people per agent", "Queue per agent of the {channel} channel at which an arriving "
     "customer turns away (inf: never)", "channels", float, MARKET, NEXT_DAY),
    ("wait_tolerance", 0.001, 168.0, "hours", "Wait in the {channel} channel at which responsiveness has fallen to "
     "1/e: what customers expect there", "encounter", float, MARKET, NEXT_DAY),
    ("target_wait", 0.0, 168.0, "hours", "Service-level target of the {channel} channel: a contact counts as answered "
     "in time within it", "channels", float, MARKET, NEXT_DAY),
    ("contact_cost", 0.0, 1e4, "EUR per contact", "Cost of one contact in the {channel} channel besides wages "
     "(premises, telephony, software)", "economics", float, MARKET, NEXT_DAY),
    ("unit_customers", 10, 1_000_000, "customers of the channel", "Customers of the {channel} channel one site or team "
     "serves; a firm runs one for every so many (at least one)", "channels", int, MARKET, NEXT_DAY),
    ("staff_per_1000", 0.0, 100.0, "agents per 1,000 customers of the channel", "Staffing ratio of the {channel} "
     "channel, kept at each staffing review (0: the firm does not answer there)", POLICIES, float, FIRM, REVIEW),
    ("resolution", 0.0, 1.0, "share of contacts", "Share of the {channel} channel's contacts resolved without an "
     "agent (self-service, an answering machine); the others wait for an agent", "channels", float, MARKET, NEXT_DAY),
)


def _params():
    out = [Param(f"{c.name}_{column}", getattr(c, column), low, high, unit, text.format(channel=c.name.replace("_", " ")),
                 group, SOURCES if group != POLICIES else "", kind=kind, scope=scope, effect=effect)
           for c in TABLE for column, low, high, unit, text, group, kind, scope, effect in COLUMNS]
    out.append(Param("retry", 0.5, 0.0, 1.0, "probability", "Chance that a customer whose contact went unserved tries "
                     "again the next day (otherwise at their next purchase)", "channels"))
    out.append(Param("channel_switch", 0.3, 0.0, 1.0, "probability", "Chance that a customer whose contact went unserved "
                     "moves to another channel (chosen in proportion to the others' shares)", "channels"))
    return tuple(out)


def channel_column(name: str) -> tuple[str, str] | None:
    """('phone', 'patience') for 'phone_patience' (or 'company.phone_staff_per_1000'); None otherwise."""
    base = name.rpartition(".")[2]
    for c in CHANNELS:
        if base.startswith(c + "_") and base[len(c) + 1:] in DESCRIPTIONS:
            return c, base[len(c) + 1:]
    return None


DESCRIPTIONS = {column: text for column, _, _, _, text, *_ in COLUMNS}


MEASURES = (
    ("contacts", "per day", "Contacts that arrived in the {c} channel"),
    ("wait_mean", "hours", "Mean wait of the {c} contacts served today"),
    ("wait_p90", "hours", "90th percentile of the waits of the {c} contacts served today"),
    ("abandonment", "share", "Share of the {c} contacts ended today that were not served (abandoned or balked)"),
    ("service_level", "share", "Share of the {c} contacts ended today answered within the target wait"),
    ("utilisation", "share", "Busy time over available time of the {c} agents at work"),
    ("staff", "employees", "{c} agents at work"),
    ("cost", "EUR per day", "Wages of the {c} agents at work and the {c} contacts' costs"),
)

CHANNEL_RESULTS = tuple(Output(f"{c}_{m}", unit, text.format(c=c.replace("_", " ")))
                        for c in CHANNELS for m, unit, text in MEASURES)  # written by the service module


class Channels(Module):
    name = "channels"
    summary = "the channel table; each customer's preferred channel and place (home site or team)"
    daily = False  # the service module routes each day's contacts (`route`)
    parameters = _params()
    states = (
        State("channel", "customer", "channel index", "", "The channel the person uses (" + ", ".join(CHANNELS) + ")",
              "drawn by the channel shares"),
        State("place", "customer", "float", "0-1", "Where the person lives: with k units of a channel, "
              "the home unit is floor(place k)", "U(0, 1)"),
        State("waiting", "customer", "bool", "", "Whether the person has a contact waiting to be served", "false"),
    )

    def init(self, m):
        ids = np.arange(m.p["n_customers"])
        from .segments import preferred_channels

        m.channel = preferred_channels(m.p, m.segment, m.streams.uniform("segment_channel", 0, ids),
                                       m.streams.uniform("channel", 0, ids), shares(m.p))
        m.place = m.streams.uniform("place", 0, ids)
        m.waiting = np.zeros(ids.size, dtype=bool)



def route(m, segment_patience) -> dict[str, np.ndarray]:
    """Today's new contacts: every customer who comes to buy and has nothing waiting, in their
    channel, at their home unit, at a uniform time of the channel's day (of the whole day for an
    asynchronous channel), with their own exponential work (less for an experienced customer) and
    patience (``segment_patience``: their segment's share of the channel's mean). One compiled pass
    (`kernels.route_contacts`)."""
    table, d = channel_arrays(m.p), m.day
    buyers, f, c, unit, arrival, effort, patience = route_contacts(
        m.demand_today, m.waiting, m.channel, m.firm, m.place, m.units, m.joined, m.segment, table["asynchronous"],
        table["opens"], table["opening_hours"], table["patience"], segment_patience,
        np.uint64(m.streams.key("arrival")), np.uint64(d), m.p["growth_years"], m.p["experience_saving"])
    return {"customer": buyers, "firm": f, "channel": c, "unit": unit, "arrival": arrival,  # arrival: hours since day 0
            "work": m.streams.exponential("service", d, buyers) * effort,
            "patience": patience * m.streams.exponential("patience", d, buyers)}


def shares(p) -> np.ndarray:
    return np.array([p[f"{c}_share"] for c in CHANNELS])


def check_shares(p):
    total = float(shares(p).sum())
    if abs(total - 1.0) > 1e-9:
        raise ParameterError("parameters '*_share' of the channels: " + " + ".join(f"{p[f'{c}_share']:g}" for c in CHANNELS)
                             + f" = {total:g}; they must sum to 1")


_LAST: list = [None, None]  # the parameters last read and their arrays (a run reads the same dict every day)


def channel_arrays(p) -> dict[str, np.ndarray]:
    """Each channel column as an array over channels (in CHANNELS order)."""
    if _LAST[0] is p:
        return _LAST[1]
    out = {field: np.array([p[f"{c}_{field}"] for c in CHANNELS], dtype=float)
           for field in ("service_minutes", "concurrency", "opens", "opening_hours", "patience", "balk_queue",
                         "wait_tolerance", "target_wait", "contact_cost", "unit_customers", "resolution")}
    out["asynchronous"] = np.array([c.asynchronous for c in TABLE])
    _LAST[:] = [p, out]
    return out


def switch_channels(m, customers):
    """After an unserved contact a customer may move to another channel, chosen in proportion to
    the other channels' shares (a channel nobody prefers is never chosen): `kernels.move_channels`."""
    streams = m.streams
    move_channels(customers, m.channel, shares(m.p), m.p["channel_switch"], np.uint64(streams.key("channel_switch")),
                  np.uint64(streams.key("channel_choice")), np.uint64(m.day))
