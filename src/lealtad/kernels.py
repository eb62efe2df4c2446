"""Compiled inner loops (numba).

These are loops over arrays. Where a loop applies a rule of the chain (commitment, the recommend
score, the image update), it calls the function in `chain.py` itself, compiled by numba as it
stands: no rule is restated here, so `chain.py` stays the one place where each rule lives.
"""

import heapq
import inspect
import types as types_module

import llvmlite.ir as ir
import numpy as np
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic, overload

from . import chain

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@njit(cache=True, inline="always")
def _splitmix64(x):
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@njit(cache=True, inline="always")
def _stream_base(key, counter):
    return _splitmix64(key ^ _splitmix64(counter))


@njit(cache=True, inline="always")
def _uniform_at(base, i):
    x = _splitmix64(base ^ (np.uint64(i) * _GOLDEN))
    return ((x >> np.uint64(11)) + 0.5) * (1.0 / 9007199254740992.0)


@njit(cache=True)
def hashed_uniform(key, counter, ids):
    """Uniform(0, 1) numbers that depend only on (key, counter, id): a counter-based generator,
    so a draw for agent ``id`` is the same whoever else draws (common random numbers)."""
    out = np.empty(ids.size, dtype=np.float64)
    base = _stream_base(key, counter)
    for k in range(ids.size):
        out[k] = _uniform_at(base, ids[k])
    return out


SERVED, ABANDONED, BALKED = 0, 1, 2


@njit(cache=True, inline="always")
def _working_time(t, opens, hours):
    """Hours of opening time from day 0 to real time ``t`` (a closed period counts nothing)."""
    day = np.floor(t / 24.0)
    h = t - 24.0 * day - opens
    return day * hours + min(max(h, 0.0), hours)


@njit(cache=True, inline="always")
def _real_time(w, opens, hours):
    """Real time of working time ``w``: the end of one day's opening is the next day's opening."""
    day = np.floor(w / hours)
    return 24.0 * day + opens + (w - day * hours)


@njit(cache=True)
def position_uniform(keys, firm, local, positions, counter):
    """One U(0,1) per position from its firm's stream (``keys[firm]``), keyed by the position's
    number within its firm (as `Streams.uniform` would give it for each firm's positions)."""
    out = np.empty(positions.size)
    for k in range(positions.size):
        a = positions[k]
        out[k] = _uniform_at(_stream_base(keys[firm[a]], counter), local[a])
    return out


@njit(cache=True)
def firm_means(at_work, firm, a, b, n_firms):
    """Per firm: the positions at work and the mean of ``a`` and of ``b`` over them (NaN for none)."""
    count, sum_a, sum_b = np.zeros(n_firms), np.zeros(n_firms), np.zeros(n_firms)
    for k in range(firm.size):
        if at_work[k]:
            count[firm[k]] += 1
            sum_a[firm[k]] += a[k]
            sum_b[firm[k]] += b[k]
    mean_a, mean_b = np.full(n_firms, np.nan), np.full(n_firms, np.nan)
    for f in range(n_firms):
        if count[f] > 0:
            mean_a[f], mean_b[f] = sum_a[f] / count[f], sum_b[f] / count[f]
    return count, mean_a, mean_b


@njit(cache=True)
def group_mean(values, groups, n_groups):
    """Mean of ``values`` per group 0..n_groups-1 (NaN where a group has none; other groups ignored)."""
    total, count = np.zeros(n_groups), np.zeros(n_groups)
    for k in range(groups.size):
        g = groups[k]
        if 0 <= g < n_groups:
            total[g] += values[k]
            count[g] += 1
    mean = np.full(n_groups, np.nan)
    for g in range(n_groups):
        if count[g] > 0:
            mean[g] = total[g] / count[g]
    return mean


@njit(cache=True)
def due_customers(next_purchase, firm, day):
    """The customers (of some firm) whose next purchase is due by ``day``, in id order."""
    out = np.empty(firm.size, dtype=np.int64)
    k = 0
    for i in range(firm.size):
        out[k] = i
        k += (next_purchase[i] <= day) & (firm[i] >= 0)  # one pass, without a branch
    return out[:k]


@njit(cache=True)
def queue_order(unit, by_time, n_units):
    """The order in which the units serve their contacts: by unit, then in the order ``by_time`` (the
    contacts by arrival, ties in their order: numpy's stable argsort, faster than numba's); and where
    each unit's contacts begin (n_units + 1 entries)."""
    first = np.zeros(n_units + 1, dtype=np.int64)
    for k in range(unit.size):
        first[unit[k] + 1] += 1
    for u in range(n_units):
        first[u + 1] += first[u]
    fill = first[:n_units].copy()
    order = np.empty(unit.size, dtype=np.int64)
    for k in by_time:
        order[fill[unit[k]]] = k
        fill[unit[k]] += 1
    return order, first


@njit(cache=True)
def serve_units(unit_first, arrival, work, patience, server_first, rate, free_at, opens, hours, overnight, balk_queue,
                day):
    """First-come-first-served queues with impatient customers, one queue per unit (a site or team).

    Contacts are sorted by unit, then by real arrival time (hours since day 0); ``unit_first[u]`` is
    the first contact of unit u and ``server_first[u]`` its first server (one per place: an agent
    who serves k contacts at once has k places). Time at a server runs in the unit's opening hours
    (``opens``, ``hours``). A unit whose queue waits ``overnight`` (email) takes contacts around the
    clock and carries its queue to the next opening; any other unit serves everyone who arrived
    before closing, working late if it must (and starts the next day afresh). A contact goes to the
    place that frees up first; it is served if that happens within its patience (real time),
    otherwise it abandons when its patience runs out (M/M/c+M under FCFS: an abandoning contact takes
    no server). An arrival who finds at least ``balk_queue`` people waiting per place turns away.
    ``free_at`` (working hours) is updated in place. Returns each contact's outcome, wait in real
    hours, wait in opening hours, place and the real time its wait ended; and each place's busy
    hours within today's opening hours.
    """
    n = arrival.size
    outcome = np.zeros(n, dtype=np.int8)
    wait = np.zeros(n)
    wait_working = np.zeros(n)
    place = np.full(n, -1, dtype=np.int64)
    ended = np.empty(n)
    busy = np.zeros(free_at.size)
    for u in range(unit_first.size - 1):
        o, h, carry = opens[u], hours[u], overnight[u] or hours[u] >= 24.0
        today, tomorrow = day * h, (day + 1) * h
        s0, s1 = server_first[u], server_first[u + 1]
        for s in range(s0, s1):
            if not carry:  # yesterday's late work was done in the evening
                free_at[s] = min(free_at[s], today)
            elif free_at[s] > today:  # work begun on earlier days that runs into today
                busy[s] += min(free_at[s], tomorrow) - today
        leaving = [np.inf]  # real times at which the people now waiting stop waiting (a min-heap)
        leaving.pop()
        for k in range(unit_first[u], unit_first[u + 1]):
            t = arrival[k]
            while len(leaving) > 0 and leaving[0] <= t:
                heapq.heappop(leaving)
            if len(leaving) >= balk_queue[u] * max(s1 - s0, 1):
                outcome[k], ended[k] = BALKED, t
                continue
            best = -1
            for s in range(s0, s1):
                if best < 0 or free_at[s] < free_at[best]:
                    best = s
            tw = _working_time(t, o, h)
            start_w = tw if best < 0 else max(tw, free_at[best])
            if best < 0:
                start = np.inf
            elif carry:
                start = _real_time(start_w, o, h)
            else:  # the same day, late if need be
                start = 24.0 * day + o + (start_w - today)
            if start - t > patience[k]:  # gives up before a place frees up
                outcome[k], wait[k], ended[k] = ABANDONED, patience[k], t + patience[k]
                wait_working[k] = _working_time(ended[k], o, h) - tw if carry else patience[k]
            else:
                end_w = start_w + work[k] / rate[best]
                free_at[best] = end_w
                busy[best] += max(0.0, min(end_w, tomorrow) - max(start_w, today))
                wait[k], wait_working[k], ended[k], place[k] = max(start - t, 0.0), start_w - tw, start, best
            if ended[k] > t:
                heapq.heappush(leaving, ended[k])
    return outcome, wait, wait_working, place, ended, busy


@njit(cache=True)
def contact_tallies(group, served, wait, in_time, n_groups):
    """Per group of contacts (a firm and channel, or a firm): contacts ended, not served, answered
    in time, served, their mean wait and the 90th percentile of the waits (linear interpolation, as
    numpy's default quantile). NaN for a statistic of an empty group."""
    ended = np.zeros(n_groups)
    unserved = np.zeros(n_groups)
    timely = np.zeros(n_groups)
    count = np.zeros(n_groups, dtype=np.int64)
    total = np.zeros(n_groups)
    for k in range(group.size):
        g = group[k]
        ended[g] += 1
        if served[k]:
            count[g] += 1
            total[g] += wait[k]
            timely[g] += in_time[k]
        else:
            unserved[g] += 1
    mean = np.full(n_groups, np.nan)
    p90 = np.full(n_groups, np.nan)
    start = np.zeros(n_groups + 1, dtype=np.int64)
    for g in range(n_groups):
        start[g + 1] = start[g] + count[g]
        if count[g] > 0:
            mean[g] = total[g] / count[g]
    waits = np.empty(start[n_groups])
    fill = start[:n_groups].copy()
    for k in range(group.size):
        if served[k]:
            waits[fill[group[k]]] = wait[k]
            fill[group[k]] += 1
    for g in range(n_groups):
        if count[g] > 0:
            x = np.sort(waits[start[g]:start[g + 1]])
            pos = 0.9 * (x.size - 1)
            lo = int(pos)
            hi = min(lo + 1, x.size - 1)
            p90[g] = x[lo] + (pos - lo) * (x[hi] - x[lo])
    return ended, unserved, timely, mean, p90


# What `service_tallies` returns per firm, and per firm and channel, in this order.
FIRM_MEASURES = ("contacts", "abandoned", "balked", "waiting", "abandonment", "service_level", "utilisation",
                 "wait_mean", "wait_p90")
CHANNEL_MEASURES = ("contacts", "wait_mean", "wait_p90", "abandonment", "service_level", "utilisation", "staff")


@njit(cache=True, inline="always")
def _share(part, whole):
    """part / whole as numpy divides floats: NaN for 0 / 0, infinity for x / 0."""
    if whole != 0.0:
        return part / whole
    return np.nan if part == 0.0 else np.inf


@njit(cache=True)
def service_tallies(firm, channel, unit, outcome, wait, wait_working, new_firm, new_channel, waiting_firm, working,
                    emp_firm, emp_channel, emp_unit, busy, target_wait, opening_hours, concurrency, wait_tolerance,
                    first_unit, units, unit_hours, n_firms):
    """The service's day in figures, in one pass: per firm (FIRM_MEASURES) and per channel and firm
    (CHANNEL_MEASURES) from the contacts that ended today (firm, channel, unit, outcome, waits), the
    contacts that arrived, the contacts still waiting and the agents at work and their busy hours;
    and each position's work pressure for tomorrow (its unit's overdue waiting per agent hour)."""
    F, C = n_firms, target_wait.size
    G = F * C
    n = firm.size
    group = np.empty(2 * n, dtype=np.int64)  # (firm, channel) groups 0..G-1, then the firm over every channel
    served = np.empty(2 * n, dtype=np.bool_)
    waits = np.empty(2 * n)
    in_time = np.empty(2 * n, dtype=np.bool_)
    abandoned, balked = np.zeros(F), np.zeros(F)
    for k in range(n):
        group[k], group[n + k] = firm[k] * C + channel[k], G + firm[k]
        served[k] = served[n + k] = outcome[k] == SERVED
        waits[k] = waits[n + k] = wait[k]
        in_time[k] = in_time[n + k] = wait[k] <= target_wait[channel[k]]
        if outcome[k] == ABANDONED:
            abandoned[firm[k]] += 1
        elif outcome[k] == BALKED:
            balked[firm[k]] += 1
    ended, unserved, timely, mean, p90 = contact_tallies(group, served, waits, in_time, G + F)
    staff, busy_g = np.zeros(G), np.zeros(G)
    for a in range(emp_firm.size):
        g = emp_firm[a] * C + emp_channel[a]
        if working[a]:
            staff[g] += 1
        busy_g[g] += busy[a]
    available = np.empty(G)
    for g in range(G):
        available[g] = staff[g] * (opening_hours[g % C] * concurrency[g % C])
    contacts = np.zeros(G)
    for k in range(new_firm.size):
        contacts[new_firm[k] * C + new_channel[k]] += 1
    per_firm = np.zeros((len(FIRM_MEASURES), F))
    per_channel = np.zeros((len(CHANNEL_MEASURES), C, F))
    for f in range(F):
        firm_busy, firm_available = 0.0, 0.0
        for c in range(C):
            g = f * C + c
            per_firm[0, f] += contacts[g]
            firm_busy += busy_g[g]
            firm_available += available[g]
            row = per_channel[:, c, f]
            row[0], row[1], row[2] = contacts[g], mean[g], p90[g]
            row[3], row[4] = _share(unserved[g], ended[g]), _share(timely[g], ended[g])
            row[5], row[6] = _share(busy_g[g], available[g]), staff[g]
        g = G + f
        per_firm[1, f], per_firm[2, f] = abandoned[f], balked[f]
        per_firm[4, f], per_firm[5, f] = _share(unserved[g], ended[g]), _share(timely[g], ended[g])
        per_firm[6, f], per_firm[7, f], per_firm[8, f] = _share(firm_busy, firm_available), mean[g], p90[g]
    for k in range(waiting_firm.size):
        per_firm[3, waiting_firm[k]] += 1
    # pressure: overdue waiting (beyond the channel's tolerance, in opening hours) per agent hour in each unit
    n_units = first_unit[-1]
    waited = np.zeros(n_units)
    for k in range(n):
        b = firm[k] * C + channel[k]
        waited[first_unit[b] + min(unit[k], units[b] - 1)] += max(wait_working[k] - wait_tolerance[channel[k]], 0.0)
    emp_uid = np.empty(emp_firm.size, dtype=np.int64)
    agents = np.zeros(n_units)
    for a in range(emp_firm.size):
        emp_uid[a] = min(first_unit[emp_firm[a] * C + emp_channel[a]] + max(emp_unit[a], 0), n_units - 1)
        if working[a]:
            agents[emp_uid[a]] += 1
    pressure = np.empty(emp_firm.size)
    for a in range(emp_firm.size):
        u = emp_uid[a]
        pressure[a] = waited[u] / (agents[u] * unit_hours[u]) if agents[u] > 0 else 0.0
    return per_firm, per_channel, pressure


@njit(cache=True)
def move_channels(customers, channel, shares, switch, switch_key, choice_key, day):
    """Each of ``customers`` moves, with probability ``switch`` (a draw from the ``switch_key``
    stream), to another channel picked in proportion to the other channels' ``shares`` (a draw from
    the ``choice_key`` stream); a channel nobody prefers is never picked. ``channel`` is updated in place."""
    moves, picks = _stream_base(switch_key, day), _stream_base(choice_key, day)
    C = shares.size
    for i in customers:
        if not _uniform_at(moves, i) < switch:
            continue
        own = channel[i]
        total = 0.0
        for c in range(C):
            total += shares[c] if c != own else 0.0
        if not total > 0:
            continue
        u = _uniform_at(picks, i)
        cumulative, pick = 0.0, 0
        for c in range(C):
            cumulative += shares[c] if c != own else 0.0
            pick += cumulative / total < u
        channel[i] = min(pick, C - 1)


@intrinsic
def _prefetch(typingctx, array, row):
    """Ask the CPU to start fetching ``array[row]`` (its first element) into the cache: LLVM's
    prefetch hint, which changes no result, only when the memory arrives."""
    def codegen(context, builder, signature, args):
        aryty = signature.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        index = [context.cast(builder, args[1], signature.args[1], types.intp)]
        index += [context.get_constant(types.intp, 0)] * (aryty.ndim - 1)
        ptr = cgutils.get_item_pointer(context, builder, aryty, ary, index, wraparound=False)
        i32 = ir.IntType(32)
        hint = builder.module.declare_intrinsic("llvm.prefetch", [ptr.type],
                                                ir.FunctionType(ir.VoidType(), [ptr.type, i32, i32, i32]))
        builder.call(hint, [ptr, i32(0), i32(3), i32(1)])  # read, keep in all cache levels, data
        return context.get_dummy_value()

    return types.void(array, row), codegen


@njit(cache=True)
def spread(indptr, indices, weights, speakers, firms, messages, out, heard_before, marked):
    """Word of mouth along a network in CSR form: each speaker's four message values (row of
    ``messages``) are added, times the edge weight, to ``out[j, f]`` of every neighbour j, f being
    the firm the speaker talks about. Cost grows with the number of speakers, not the size of the
    network: only the rows ``heard_before`` (yesterday's listeners) are cleared first, and the rows
    heard today are returned in order (``marked`` flags them, for the next call): in order, so that
    whoever goes through them next reads memory forwards.

    At a million people the ties and rows are far apart in memory and each speaker would wait for
    them in turn; fetching the ties and rows of the speakers a few places ahead overlaps the waits
    (about a third less time there; results are unchanged)."""
    for j in heard_before:
        out[j] = 0.0
        marked[j] = False
    n = speakers.size
    for k in range(n):
        if k + 16 < n:
            _prefetch(indptr, speakers[k + 16])
        if k + 8 < n:
            _prefetch(indices, indptr[speakers[k + 8]])
            _prefetch(weights, indptr[speakers[k + 8]])
        if k + 4 < n:
            ahead = speakers[k + 4]
            for e in range(indptr[ahead], indptr[ahead + 1]):
                _prefetch(out, indices[e])
        i = speakers[k]
        f = firms[k]
        for e in range(indptr[i], indptr[i + 1]):
            j = indices[e]
            w = weights[e]
            for t in range(4):
                out[j, f, t] += w * messages[k, t]
            marked[j] = True
    n_heard = 0
    for j in range(marked.size):
        n_heard += marked[j]
    heard = np.empty(n_heard + 1, dtype=np.int64)  # one spare place: the branch-free fill writes past the last
    h = 0
    for j in range(marked.size):  # without a branch: most rows are a coin flip
        heard[h] = j
        h += marked[j]
    return heard[:n_heard]


# numba caches a compiled function under its own file's timestamp, so an edit to a rule in chain.py
# would not reach a cached loop that applies it. Closure variables are part of numba's cache key:
# the loops below close over the source of the rules they apply, and an edited rule recompiles them.
_commitment = njit(chain.commitment)
_recommend_score = njit(chain.recommend_score)
_update_image = njit(chain.update_image)
_adoption_hazard = njit(chain.adoption_hazard)
_tenure_growth = njit(chain.tenure_growth)
_lifetime_value = njit(chain.lifetime_value)
_service_effort = njit(chain.service_effort)
_clip = njit(chain.clip)


def _where(condition, a, b):
    """np.where, in compiled rules: for a single condition, the chosen value itself (numba's
    np.where makes an array of each single choice: a heap allocation per person in a loop)."""
    return np.where(condition, a, b)


@overload(_where)
def _where_compiled(condition, a, b):
    if isinstance(condition, types.Array):
        return lambda condition, a, b: np.where(condition, a, b)
    return lambda condition, a, b: a if condition else b


# numpy as the rules see it when compiled. A cached rule is keyed by chain.py's own file: a change
# here reaches it once chain.py changes or the cache (__pycache__/chain.*.nbi, .nbc) is removed.
_numpy_for_rules = types_module.ModuleType("numpy")
_numpy_for_rules.__dict__.update(np.__dict__)
_numpy_for_rules.where = _where


def _rule(fn, cache=False):
    """A rule of the chain compiled by numba (for single numbers or arrays), with the chain's own
    ``clip`` compiled too (numba cannot call a plain Python function from compiled code) and a
    np.where that costs nothing on single numbers."""
    scope = dict(fn.__globals__, clip=_clip, np=_numpy_for_rules)
    rule = types_module.FunctionType(fn.__code__, scope, fn.__name__, fn.__defaults__, fn.__closure__)
    return njit(cache=cache)(rule)


# The rules a day applies to arrays, compiled: one call instead of one numpy call per operation of
# the rule (most of a rule's cost on a day's few hundred values), with the same results to the last
# bit (tests/test_equations.py). Rules with exp or log stay numpy's, whose logarithm numba's does not
# match to the last bit; the mean of a firm's values (nps) and encounter_quality (a dict of weights)
# numba cannot compile.
rules = types_module.SimpleNamespace(**{name: _rule(getattr(chain, name), cache=True) for name in (
    "talk_probability", "service_rate", "cumulative", "recovered_satisfaction", "recommend_score",
    "transaction_satisfaction", "encounter_value", "price_penalty", "units_bought", "tenure_growth",
    "exit_probability", "failure_probability", "commitment")})

_employee_satisfaction = _rule(chain.employee_satisfaction)
_learn = _rule(chain.learn)
_units_bought, _price_penalty, _encounter_value = rules.units_bought, rules.price_penalty, rules.encounter_value
_transaction_satisfaction, _recovered_satisfaction = rules.transaction_satisfaction, rules.recovered_satisfaction
_cumulative, _failure_probability, _service_rate = rules.cumulative, rules.failure_probability, rules.service_rate


@njit(cache=True)
def segment_margin(firm, segment, channel, hours, sales, goods, recovered, staff_cost, hiring, contact_cost,
                   recovery_cost, retention_per_day, segment_active):
    """Today's margin per firm and segment: sales less goods, less each channel's pay and the firm's
    hiring shared by the service hours each contact took (a channel that served nobody: its pay goes
    to the firm's hours), less contact costs, recoveries and the retention programme per customer."""
    F, C = staff_cost.shape
    hours_fc = np.zeros((F, C))
    for k in range(firm.size):
        hours_fc[firm[k], channel[k]] += hours[k]
    per_hour = np.zeros((F, C))
    firm_pool = hiring.copy()
    firm_hours = np.zeros(F)
    for f in range(F):
        for c in range(C):
            firm_hours[f] += hours_fc[f, c]
            if hours_fc[f, c] > 0:
                per_hour[f, c] = staff_cost[f, c] / hours_fc[f, c]
            else:
                firm_pool[f] += staff_cost[f, c]
    pool_per_hour = np.zeros(F)
    for f in range(F):
        if firm_hours[f] > 0:
            pool_per_hour[f] = firm_pool[f] / firm_hours[f]
    margin = -retention_per_day * segment_active.astype(np.float64)
    for k in range(firm.size):
        f, c = firm[k], channel[k]
        cost = hours[k] * (per_hour[f, c] + pool_per_hour[f]) + contact_cost[c] + recovered[k] * recovery_cost
        margin[f, segment[k]] += sales[k] - goods[k] - cost
    return margin


@njit(cache=True, inline="always")
def _value(margin, days, defections, discount_rate, win):
    """A lifetime value from tallies (`lifetime_values`): outside the loops' closure, whose variables
    are part of their cache key (a function defined inside would make the key new in every process)."""
    if days <= 0:
        return np.nan
    years = days / 365.0
    retention = min(max(1.0 - defections / years, 0.0), 1.0)
    return _lifetime_value(margin / years, retention, discount_rate, 0.0 if np.isnan(win) else win)


def _rule_loops(rules_source):
    @njit(cache=True)
    def opinions(firm, satisfaction, failure_memory, failure_weight, talk_by_score, key, day, degree, n_firms,
                 joined, referral_growth, growth_years, segment, n_segments):
        """Each active customer's commitment and 0-10 score, tallied per firm and score, and whether
        they talk today (a draw from the ``key`` stream, as `Streams.uniform` would give it); a
        promoter who has grown with the firm talks (1 + referral_growth x growth) times as often.
        Returns (tally[firm, score], satisfaction sum per firm, reach of promoters and of detractors
        per firm, the speakers: ids, firms and messages (valence, 1, promoter, detractor), and the
        customers per firm and segment)."""
        rules_source  # noqa: B018 (part of the cache key, see above)
        tally = np.zeros((n_firms, 11), dtype=np.int64)
        by_segment = np.zeros((n_firms, n_segments), dtype=np.int64)
        satisfaction_sum = np.zeros(n_firms)
        n = firm.size
        who = np.empty(n, dtype=np.int64)
        base = _stream_base(key, day)
        k = 0
        for i in range(n):
            row = firm[i]
            if row < 0:  # a prospect: nothing to say
                continue
            score = int(_recommend_score(_commitment(satisfaction[i], failure_memory[i], failure_weight)))
            tally[row, score] += 1
            by_segment[row, segment[i]] += 1
            satisfaction_sum[row] += satisfaction[i]
            who[k] = i
            chance = talk_by_score[score]
            if score >= chain.PROMOTER and referral_growth != 0.0:
                chance *= 1.0 + referral_growth * _tenure_growth(float(day) - joined[i], growth_years)
            k += _uniform_at(base, i) < chance
        who = who[:k]
        firms = firm[who].astype(np.int64)
        messages = np.empty((k, 4))
        reach = np.zeros((n_firms, 2))
        for s in range(k):
            i = who[s]
            c = _commitment(satisfaction[i], failure_memory[i], failure_weight)
            score = _recommend_score(c)
            promoter = 1.0 if score >= chain.PROMOTER else 0.0
            detractor = 1.0 if score <= chain.DETRACTOR else 0.0
            messages[s, 0], messages[s, 1], messages[s, 2], messages[s, 3] = c, 1.0, promoter, detractor
            reach[firms[s], 0] += promoter * degree[i]
            reach[firms[s], 1] += detractor * degree[i]
        return tally, satisfaction_sum, reach, who, firms, messages, by_segment

    @njit(cache=True)
    def listen(image, heard, inertia, listeners):
        """Each of ``listeners`` folds today's news about each firm into their image of it (no news, no change)."""
        rules_source  # noqa: B018
        for j in listeners:
            for g in range(image.shape[1]):
                count = heard[j, g, 1]
                if count > 0:
                    image[j, g] = _update_image(image[j, g], heard[j, g, 0], count, inertia)

    @njit(cache=True)
    def adopt(firm, heard, has_news, image, degree, advertising, wom_effect, warning_effect, image_prior,
              image_attraction, key, day):
        """Each prospect's adoption hazard for every firm (`chain.adoption_hazard`) and one draw from
        the ``key`` stream (as `Streams.uniform` would give it) that picks a firm in proportion:
        firm f when the cumulative hazards up to f - 1 are at most u max(1, total) and up to f
        exceed it; no firm if u max(1, total) is past them all. Returns the adopters and their firms.
        ``heard`` is read only for prospects who ``has_news`` (every other row is zero): most
        prospects heard nothing, and their rows need not come from memory."""
        rules_source  # noqa: B018
        n, n_firms = firm.size, image.shape[1]
        who = np.empty(n, dtype=np.int64)
        chosen = np.empty(n, dtype=np.int64)
        hazard = np.empty(n_firms)
        base = _stream_base(key, day)
        k = 0
        for i in range(n):
            if firm[i] >= 0:
                continue
            total = 0.0
            news = has_news[i]
            for f in range(n_firms):
                recommendations = heard[i, f, 2] if news else 0.0
                warnings = heard[i, f, 3] if news else 0.0
                hazard[f] = _adoption_hazard(advertising[f], wom_effect, recommendations, warnings, warning_effect,
                                             degree[i], image[i, f], image_prior, image_attraction)
                total += hazard[f]
            u = _uniform_at(base, i) * max(1.0, total)
            cumulative = 0.0
            for f in range(n_firms):
                cumulative += hazard[f]
                if u < cumulative:
                    who[k], chosen[k] = i, f
                    k += 1
                    break
        return who[:k], chosen[:k]

    @njit(cache=True)
    def lifetime_values(tallies, spend, discount_rate, value, to_win, to_keep, ratio, per_segment):
        """From the tallies since day 0 (per firm and segment: margin, customer-days, defections; per
        firm: acquisition spend, retention spend, customers won), each firm's lifetime value, its
        cost to win a customer and to keep one a year and their ratio, and each segment's lifetime
        value (NaN where a count is zero)."""
        rules_source  # noqa: B018
        F, S = tallies.shape[0], tallies.shape[1]
        for f in range(F):
            win = spend[f, 0] / spend[f, 2] if spend[f, 2] > 0 else np.nan
            margin, days, defections = 0.0, 0.0, 0.0
            for s in range(S):
                margin += tallies[f, s, 0]
                days += tallies[f, s, 1]
                defections += tallies[f, s, 2]
                per_segment[f, s] = _value(tallies[f, s, 0], tallies[f, s, 1], tallies[f, s, 2], discount_rate, win)
            kept = max(days / 365.0 - defections, 0.0)
            keep = spend[f, 1] / kept if kept > 0 else np.nan
            to_win[f], to_keep[f] = win, keep
            ratio[f] = win / keep if keep > 0 else np.nan
            value[f] = _value(margin, days, defections, discount_rate, win)

    @njit(cache=True)
    def route_contacts(buyers_today, waiting, channel, firm, place, units, joined, segment, asynchronous, opens,
                       opening_hours, channel_patience, segment_patience, arrival_key, day, growth_years,
                       experience_saving):
        """Today's new contacts (see `channels.route`): the buyers with nothing waiting, their channel,
        firm and home unit, their arrival (real hours since day 0, a draw from the ``arrival_key``
        stream), the work their contact needs relative to a new customer's, and their mean patience.
        The exponential draws of work and patience are left to the caller (numpy's logarithm)."""
        rules_source  # noqa: B018
        n = 0
        for i in buyers_today:
            n += not waiting[i]
        buyers = np.empty(n, dtype=np.int64)
        f, c, unit = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
        arrival, effort, patience = np.empty(n), np.empty(n), np.empty(n)
        base = _stream_base(arrival_key, day)
        k = 0
        for i in buyers_today:
            if waiting[i]:
                continue
            ck, fk = np.int64(channel[i]), np.int64(firm[i])
            buyers[k], c[k], f[k] = i, ck, fk
            unit[k] = min(np.int64(place[i] * units[fk, ck]), units[fk, ck] - 1)
            length = 24.0 if asynchronous[ck] else opening_hours[ck]
            start = 0.0 if asynchronous[ck] else opens[ck]
            arrival[k] = 24.0 * day + start + _uniform_at(base, i) * length
            effort[k] = _service_effort(_tenure_growth(np.int64(day) - np.int64(joined[i]), growth_years),
                                        experience_saving)
            patience[k] = channel_patience[ck] * segment_patience[segment[i]]
            k += 1
        return buyers, f, c, unit, arrival, effort, patience

    @njit(cache=True)
    def employee_day(working, satisfaction, skill, internal_quality, pressure, disposition, training, sensitivity,
                     adjustment, learning_rate):
        """A day of every position whose holder is at work (filled, on strike or not): satisfaction
        moves toward its target and skill along the learning curve (`chain.employee_satisfaction`,
        `chain.learn`). ``satisfaction`` and ``skill`` are updated in place."""
        rules_source  # noqa: B018
        for a in range(working.size):
            if working[a]:
                satisfaction[a] = _employee_satisfaction(satisfaction[a], internal_quality[a], pressure[a],
                                                         disposition[a], sensitivity, adjustment)
                skill[a] = _learn(skill[a], learning_rate, training[a])

    @njit(cache=True)
    def purchases(buyers, firm, served, quality, segment, joined, satisfaction, failure_memory, failure_weight, day,
                  basket, sensitivity, price, clarity, reference_price, unit_cost, growth_years, spend_growth,
                  commitment_spend, price_premium, gain_share, confusion):
        """What each of today's contacts buys and the value its price leaves (see the purchase module):
        units (`chain.units_bought`, none for an unserved contact), sales, cost of goods, the price's
        penalty (`chain.price_penalty`, none unserved) and the encounter's value (`chain.encounter_value`)."""
        rules_source  # noqa: B018
        n = buyers.size
        units, sales, goods, penalty, value = np.empty(n), np.empty(n), np.empty(n), np.empty(n), np.empty(n)
        for k in range(n):
            i, f, s = buyers[k], firm[k], segment[k]
            bought, taken = 0.0, 0.0
            if served[k]:
                growth = _tenure_growth(day - joined[i], growth_years)
                bought = _units_bought(basket[s], growth, _commitment(satisfaction[i], failure_memory[i], failure_weight),
                                       spend_growth, commitment_spend)
                taken = _price_penalty(price[f], reference_price, sensitivity[s], growth, price_premium, gain_share,
                                       clarity[f], confusion)
            units[k], sales[k], goods[k] = bought, bought * price[f], bought * unit_cost
            penalty[k], value[k] = taken, _encounter_value(quality[k], taken)
        return units, sales, goods, penalty, value

    @njit(cache=True)
    def satisfy(buyers, firm, value, quality, failed, served, gaps, image, satisfaction, failure_memory, joined,
                purchases, next_purchase, complaint_ease, recovery, keys, day, gain, loss, boost, memory, learning,
                keep_failures, retry, n_firms):
        """Today's encounters judged and remembered (see the satisfaction module): satisfaction against
        expectation (`chain.transaction_satisfaction`), complaints and recovery (draws from the
        ``keys`` streams complain, recover and retry, as `Streams.uniform` would give them), cumulative
        satisfaction, fading failures, one's image of the firm, purchases and the next purchase day.
        Every value is computed from the states as they were before any is written, so a customer
        listed twice is treated as numpy's fancy assignment would (the last write wins).
        Returns (expectation, satisfaction, complained, recovered, counts[dissatisfied, complaints,
        recoveries][firm])."""
        rules_source  # noqa: B018
        n = buyers.size
        expectation, s_out = np.empty(n), np.empty(n)
        complained, recovered = np.zeros(n, dtype=np.bool_), np.zeros(n, dtype=np.bool_)
        counts = np.zeros((3, n_firms), dtype=np.int64)
        counter = np.uint64(day)
        complain, recover, again = (_stream_base(keys[0], counter), _stream_base(keys[1], counter),
                                    _stream_base(keys[2], counter))
        remembered, fading, image_next = np.empty(n), np.empty(n), np.empty(n)
        bought = np.empty(n, dtype=purchases.dtype)
        for k in range(n):
            i, f = buyers[k], firm[k]
            bought[k] = purchases[i] + served[k]
            e = image[i, f]
            s = _transaction_satisfaction(value[k], e, gain, loss)
            dissatisfied = _recommend_score(s) <= chain.DETRACTOR
            complained[k] = dissatisfied and _uniform_at(complain, i) < complaint_ease[f]
            recovered[k] = complained[k] and _uniform_at(recover, i) < recovery[f]
            if recovered[k]:
                s = np.maximum(s, _recovered_satisfaction(e, failure_memory[i] < 0.5, boost))
            counts[0, f] += dissatisfied
            counts[1, f] += complained[k]
            counts[2, f] += recovered[k]
            expectation[k], s_out[k] = e, s
            remembered[k] = s if joined[i] == day else _cumulative(satisfaction[i], s, memory)
            image_next[k] = _cumulative(e, quality[k], learning)
        for i in range(failure_memory.size):
            failure_memory[i] *= keep_failures
        for k in range(n):
            fading[k] = failure_memory[buyers[k]] + failed[k]
        for k in range(n):
            i = buyers[k]
            satisfaction[i], failure_memory[i], image[i, firm[k]] = remembered[k], fading[k], image_next[k]
            if not served[k] and _uniform_at(again, i) < retry:  # unserved: may try again tomorrow
                next_purchase[i] = day + 1
            else:
                next_purchase[i] = day + gaps[k]
            if served[k]:
                purchases[i] = bought[k]
        return expectation, s_out, complained, recovered, counts

    @njit(cache=True)
    def meet(firm, channel, served, server, wait, emp_skill, emp_satisfaction, tangibles, felt_wait_factor,
             wait_tolerance, customers, failure_key, day, failure_rate, novice_failure_rate, n_firms):
        """Who each of today's contacts met and whether its service failed (see the encounter module):
        the skill and attitude met (the server's; the firm's tangibles for a contact resolved without
        an agent; none for an unserved one), failure (unserved, or a draw from the ``failure_key``
        stream below `chain.failure_probability`), the wait as felt, the channel's tolerance, the
        firm's tangibles, and the served contacts and their failures per firm."""
        rules_source  # noqa: B018
        n = firm.size
        skill, attitude, failed = np.zeros(n), np.zeros(n), np.empty(n, dtype=np.bool_)
        felt_wait, tolerance, facilities = np.empty(n), np.empty(n), np.empty(n)
        counts = np.zeros((2, n_firms), dtype=np.int64)
        base = _stream_base(failure_key, np.uint64(day))
        for k in range(n):
            f = firm[k]
            if served[k] and server[k] >= 0:
                skill[k], attitude[k] = emp_skill[server[k]], emp_satisfaction[server[k]]
            elif served[k]:
                skill[k] = attitude[k] = tangibles[f]
            failed[k] = not served[k] or _uniform_at(base, customers[k]) < _failure_probability(
                skill[k], failure_rate, novice_failure_rate)
            felt_wait[k] = wait[k] * felt_wait_factor[f]
            tolerance[k], facilities[k] = wait_tolerance[channel[k]], tangibles[f]
            if served[k]:
                counts[0, f] += 1
                counts[1, f] += failed[k]
        return skill, attitude, failed, felt_wait, tolerance, facilities, counts

    @njit(cache=True)
    def serve_day(customer, firm, channel, home, arrival, work, patience, by_time, first_unit, overflow, server_first,
                  position, slot, base_rate, opens, hours, overnight, balk_queue, emp_skill, emp_satisfaction,
                  emp_free_at, skill_productivity, morale_productivity, day, n_channels):
        """A day of every unit's queue (see the service module): each contact's unit (its home unit, or
        the one its contacts overflow to), the units' queues in order (`queue_order`), each place's
        service rate (`chain.service_rate`) and when it is free (``emp_free_at``, updated in place), the
        queues served (`serve_units`). Returns the contacts in the order served, with their unit,
        outcome, waits, server (-1: none), end and service hours (the whole numbers and the times of
        `service.Contacts`), and each place's busy hours."""
        rules_source  # noqa: B018
        n, P = customer.size, position.size
        unit, queue = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
        for k in range(n):
            block = first_unit[firm[k] * n_channels + channel[k]]
            unit[k] = overflow[block + home[k]]
            queue[k] = block + unit[k]
        order, unit_first = queue_order(queue, by_time, server_first.size - 1)
        rate, free_at = np.empty(P), np.empty(P)
        for j in range(P):
            a = position[j]
            rate[j] = _service_rate(emp_skill[a], emp_satisfaction[a], base_rate[j], skill_productivity,
                                    morale_productivity)
            free_at[j] = emp_free_at[a, slot[j]]
        arrival, work, patience = arrival[order], work[order], patience[order]
        outcome, wait, wait_working, place, ended, busy = serve_units(
            unit_first, arrival, work, patience, server_first, rate, free_at, opens, hours, overnight, balk_queue, day)
        for j in range(P):
            emp_free_at[position[j], slot[j]] = free_at[j]
        ints, floats = np.empty((6, n), dtype=np.int64), np.empty((7, n))  # the fields of service.Contacts
        for k in range(n):
            j = order[k]
            ints[0, k], ints[1, k], ints[2, k], ints[3, k] = customer[j], firm[j], channel[j], unit[j]
            ints[4, k], ints[5, k] = outcome[k], position[place[k]] if place[k] >= 0 else -1
            floats[0, k], floats[1, k], floats[2, k], floats[3, k] = arrival[k], work[k], patience[k], wait[k]
            floats[4, k], floats[5, k] = wait_working[k], ended[k]
            floats[6, k] = work[k] / rate[place[k]] if place[k] >= 0 else 0.0
        return ints, floats, busy

    return opinions, listen, adopt, lifetime_values, route_contacts, employee_day, purchases, satisfy, meet, serve_day


def _source(rule) -> str:
    """A rule's source text (its bytecode where no source ships, e.g. a .pyc-only install)."""
    try:
        return inspect.getsource(rule)
    except OSError:
        return repr((rule.__code__.co_code, rule.__code__.co_consts))


_RULES_SOURCE = repr((chain.PROMOTER, chain.DETRACTOR)) + "".join(
    _source(rule) for rule in (chain.commitment, chain.recommend_score, chain.update_image, chain.adoption_hazard,
                               chain.tenure_growth, chain.lifetime_value, chain.service_effort, chain.clip,
                               chain.employee_satisfaction, chain.learn, chain.units_bought, chain.price_penalty,
                               chain.encounter_value, chain.transaction_satisfaction, chain.recovered_satisfaction,
                               chain.cumulative, chain.failure_probability, chain.service_rate))
(opinions, listen, adopt, lifetime_values, route_contacts, employee_day, purchases, satisfy, meet,
 serve_day) = _rule_loops(_RULES_SOURCE)
