"""The tickets: arrivals over the calendar's working days, category, priority, channel and team,
exclusions, and every milestone (response, workaround, resolution, closure) planted per month as
exact quotas against the targets the contract gives each ticket."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from sla_core.calendar import BusinessCalendar
from sla_core.contract import CATEGORIES, Contract, Terms
from sla_core.demo.arrays import _epoch, _ids, _month_of, _pick, _priority, _rank_in_group, _text, _ts
from sla_core.demo.plan import (
    _OFF_DAY_WEIGHT,
    _OFF_HOURS,
    _WORK_HOURS,
    ASSIGNEES,
    CATEGORY_RAW,
    CHANNEL_P,
    CHANNEL_P1,
    CHANNELS,
    COMPLAINT,
    CUSTOMER_P,
    CUSTOMERS,
    EXCLUSIONS,
    FAULT,
    FEEDBACK,
    OLD_VS_NEW_MONTH,
    OLD_VS_NEW_RESPONSE,
    PRIORITIES,
    REQUEST,
    STATES,
    SUGGESTION,
    TEAM_P,
    TEAMS,
    MonthPlan,
)
from sla_core.targets import ticket_targets


def _tickets(
    n: int,
    rng: np.random.Generator,
    cal: BusinessCalendar,
    zone: ZoneInfo,
    first_day: date,
    last_day: date,
    bounds: np.ndarray,
    labels: tuple[str, ...],
    plans: list[MonthPlan],
    month_terms: list[Terms],
    as_of: float,
    contract: Contract,
) -> dict[str, Any]:
    n_months = len(labels)
    # --- arrivals: working days of the official calendar (make-up days included) get most tickets
    days = [first_day + timedelta(days=i) for i in range((last_day - first_day).days + 1)]
    ordinals = np.array([d.toordinal() for d in days])
    working = np.isin(ordinals, cal.working_days)
    day_start = np.array([_epoch(datetime.combine(d, datetime.min.time()), zone) for d in days])
    weights = np.where(working, 1.0, _OFF_DAY_WEIGHT)
    per_day = rng.multinomial(n, weights / weights.sum())
    day_idx = np.repeat(np.arange(len(days)), per_day)
    on_work = working[day_idx]
    hour = np.where(
        on_work,
        rng.choice(24, size=n, p=_WORK_HOURS / _WORK_HOURS.sum()),
        rng.choice(24, size=n, p=_OFF_HOURS / _OFF_HOURS.sum()),
    )
    created = day_start[day_idx] + hour * 3600 + rng.integers(0, 3600, size=n)
    created = np.sort(created).astype("float64")
    g = _month_of(created, bounds)
    local_day = np.searchsorted(day_start, created, side="right") - 1

    # --- category: complaint/feedback/suggestion as exact monthly quotas, the rest by chance
    category = rng.choice(3, size=n, p=(0.31, 0.38, 0.31))  # inquiry, fault, request
    rank, counts = _rank_in_group(g, n_months, np.ones(n, dtype=bool), rng)
    k_complaint = np.array([round(p.complaint_share * c) for p, c in zip(plans, counts, strict=True)])
    k_feedback = np.round(0.03 * counts).astype(np.int64)
    k_suggestion = np.round(0.025 * counts).astype(np.int64)
    c1 = k_complaint[g]
    c2 = c1 + k_feedback[g]
    c3 = c2 + k_suggestion[g]
    category = np.where(
        rank < c1, COMPLAINT, np.where(rank < c2, FEEDBACK, np.where(rank < c3, SUGGESTION, category))
    )
    is_fb = (category == COMPLAINT) | (category == FEEDBACK)

    # --- priority by category: P1 only for faults; overall ≈ 5% / 25% / 70%
    u = rng.random(n)
    priority = np.full(n, 2)
    priority[(category == FAULT) & (u < 0.135)] = 0
    priority[(category == FAULT) & (u >= 0.135) & (u < 0.555)] = 1
    priority[(category == REQUEST) & (u < 0.36)] = 1

    channel = np.where(priority == 0, rng.choice(4, size=n, p=CHANNEL_P1), rng.choice(4, size=n, p=CHANNEL_P))
    customer = rng.choice(len(CUSTOMERS), size=n, p=CUSTOMER_P)
    team = (rng.random(n)[:, None] > np.cumsum(TEAM_P, axis=1)[category]).sum(axis=1)
    team = np.minimum(team, len(TEAMS) - 1)
    assignee = team * 4 + rng.integers(0, 4, size=n)

    # --- exclusions: a few fault tickets on given days (absolute counts)
    exclusion = np.full(n, -1)
    reasons: list[str] = []
    for day_text, count, reason in EXCLUSIONS:
        day = date.fromisoformat(day_text)
        if not first_day <= day <= last_day:
            continue
        cand = np.flatnonzero((local_day == (day - first_day).days) & (category == FAULT) & (priority > 0))
        chosen = cand[rng.permutation(cand.size)[:count]]
        exclusion[chosen] = len(reasons)
        reasons.append(reason)
    excluded = exclusion >= 0

    # --- targets in force for each ticket's month (P2 response tightens in the 2026-07 version), the
    # contract's conditional targets included (inquiries 15 min; urgent faults after hours 30 min)
    targets = _targets(contract, month_terms, g, priority, category, channel, customer, created, cal)
    tgt_resp = targets["response_target"].to_numpy(dtype="float64")
    tgt_res = targets["resolution_target"].to_numpy(dtype="float64")
    wall_resp = (targets["response_clock"] == "24x7").to_numpy()
    wall_res = (targets["resolution_clock"] == "24x7").to_numpy()

    # --- response, on the priority's clock: well within target, except planted timeouts
    u = rng.beta(1.3, 4.0, size=n)
    resp = 30 + u * (0.9 * tgt_resp - 30)
    # online chat in service hours is answered within its 2 minutes (doc 003; the contract's own KPI)
    chat = (channel == CHANNELS.index("微信")) & cal.in_working_time(created)
    resp = np.where(chat, 20 + u * 80, resp)
    ordinary = ~excluded & ~is_fb
    old_new = np.zeros(n, dtype=bool)
    if OLD_VS_NEW_MONTH in labels:
        gm = labels.index(OLD_VS_NEW_MONTH)
        in_hours = (hour >= 9) & (hour < 16) & on_work
        cand = np.flatnonzero(ordinary & (g == gm) & (priority == 1) & in_hours)
        if cand.size:
            old_new[cand[rng.integers(0, cand.size)]] = True
            resp[old_new] = OLD_VS_NEW_RESPONSE
    k_resp = np.array([p.response_breaches for p in plans])
    resp_breach = _pick(g, n_months, ordinary & ~old_new, k_resp, rng)
    resp = np.where(resp_breach, tgt_resp * rng.uniform(1.2, 2.5, size=n), resp)

    # --- resolution (net of pauses), on the priority's clock
    lo = np.maximum(resp + 300, 600)
    res = lo + rng.beta(1.6, 3.2, size=n) * np.maximum(0.95 * tgt_res - lo, 0)
    rank, counts = _rank_in_group(g, n_months, ordinary, rng)
    k_res = np.array([round(p.resolution_breach_share * c) for p, c in zip(plans, counts, strict=True)])
    res_breach = (rank >= 0) & (rank < k_res[g])
    res = np.where(res_breach, np.maximum(tgt_res * rng.uniform(1.1, 2.5, size=n), lo), res)
    # excluded tickets look bad: that is why they were excluded
    resp = np.where(excluded, tgt_resp * rng.uniform(1.5, 3.0, size=n), resp)
    res = np.where(excluded, np.maximum(tgt_res * rng.uniform(1.5, 3.0, size=n), resp + 600), res)
    paused = np.where(ordinary & (priority > 0) & (rng.random(n) < 0.08), rng.integers(20, 481, size=n), 0)

    resp, res = np.rint(resp), np.rint(res)
    wall = priority == 0
    first_response = np.where(wall_resp, created + resp, cal.add(created, resp))
    resolved = np.where(wall_res, created + res + paused * 60, cal.add(created, res + paused * 60.0))

    # --- complaint/feedback handling on the 24x7 feedback clock: ack ≤ 15m, classify ≤ 2h, process ≤ 24h
    ack = rng.integers(120, 721, size=n).astype("float64")
    classify = rng.integers(900, 6001, size=n).astype("float64")
    process = rng.integers(3600, 72001, size=n).astype("float64")
    rank, counts = _rank_in_group(g, n_months, is_fb, rng)
    k_late = np.array(
        [
            math.ceil(0.11 * c) if p.feedback_late else math.floor(0.02 * c)
            for p, c in zip(plans, counts, strict=True)
        ]
    )
    late = (rank >= 0) & (rank < k_late[g])
    kind = rng.integers(0, 3, size=n)
    ack = np.where(late & (kind == 0), rng.integers(1200, 3001, size=n), ack)
    classify = np.where(late & (kind == 1), rng.integers(9000, 18001, size=n), classify)
    process = np.where(late & (kind == 2), rng.integers(93600, 144001, size=n), process)
    process = np.maximum(process, np.maximum(classify, ack) + 600)
    first_response = np.where(is_fb, created + ack, first_response)
    resolved = np.where(is_fb, created + process, resolved)
    classified = np.where(is_fb, created + classify, np.nan)
    paused = np.where(is_fb, 0, paused)

    # --- the last month is a snapshot at as_of: tickets that would still run then finish shortly before
    # it instead (so that only the planted tickets below are open; the resolution rate stays meaningful)
    last = n_months - 1
    overflow = (g == last) & ~is_fb & (resolved > as_of - 600)
    o = np.flatnonzero(overflow)
    c, w = created[o], wall[o]
    room = np.where(w, as_of - c, cal.elapsed(c, np.full(o.size, as_of))) - rng.integers(
        600, 3601, size=o.size
    )
    total = np.maximum(room, resp[o] + 300)
    resolved[o] = np.where(w, c + total, cal.add(c, total))
    paused[o] = 0

    # --- open at as_of in the last month: pending (P3 from the last working afternoon) and breached
    open_planted = np.zeros(n, dtype=bool)
    calm = ordinary & ~resp_breach & ~old_new & (g == last)
    last_work = int(
        cal.working_days[np.searchsorted(cal.working_days, last_day.toordinal(), side="right") - 1]
    )
    last_work_start = _epoch(datetime.combine(date.fromordinal(last_work), datetime.min.time()), zone)
    rules = (
        (
            calm
            & (priority == 2)
            & (created >= last_work_start + 12 * 3600)
            & (created < last_work_start + 64800),
            2,
        ),
        (
            calm & (priority == 2) & (created >= bounds[-1] - 6 * 86400) & (created < bounds[-1] - 3 * 86400),
            1,
        ),
        (
            calm & (priority == 0) & (created >= bounds[-1] - 7 * 86400) & (created < bounds[-1] - 1 * 86400),
            1,
        ),
    )
    for mask, count in rules:
        cand = np.flatnonzero(mask & ~open_planted)
        open_planted[cand[rng.permutation(cand.size)[:count]]] = True
    resolved = np.where(open_planted, np.nan, resolved)

    # --- the snapshot at as_of
    closed = resolved + rng.integers(86400, 3 * 86400 + 1, size=n)
    first_response = np.where(first_response > as_of, np.nan, first_response)
    done = resolved <= as_of
    resolved = np.where(done, resolved, np.nan)
    classified = np.where(classified > as_of, np.nan, classified)
    closed = np.where(closed <= as_of, closed, np.nan)
    state = np.where(
        ~np.isnan(closed), 4, np.where(done, 3, np.where(np.isnan(first_response), 0, np.where(wall, 2, 1)))
    )
    workaround = _workaround_times(rng, targets, created, resp, resolved, as_of, cal)

    # --- reopened, first-contact resolution (exact monthly quota), suggestion adoption
    u = rng.random(n)
    reopened = np.where(done & ordinary & (u < 0.03), np.where(u < 0.003, 2, 1), 0)
    rank, counts = _rank_in_group(g, n_months, done & ~excluded, rng)
    k_fcr = np.array([round(p.fcr * c) for p, c in zip(plans, counts, strict=True)])
    rank2, _ = _rank_in_group(g, n_months, done & ~excluded & (reopened == 0), rng)
    fcr = (rank2 >= 0) & (rank2 < k_fcr[g])
    suggestion = (category == SUGGESTION) & ~excluded
    _, counts = _rank_in_group(g, n_months, suggestion, rng)
    k_adopt = np.array([math.ceil(0.9 * c) for c in counts])
    adopted = _pick(g, n_months, suggestion & done, k_adopt, rng)

    # --- ids and the frame
    seq = np.arange(n) - np.searchsorted(g, g, side="left") + 1
    frame = pd.DataFrame(
        {
            "ticket_id": _ids("GD", g, [label.replace("-", "") for label in labels], seq, 6),
            "created_at": _ts(created),
            "priority": _text(priority, PRIORITIES),
            "first_response_at": _ts(first_response),
            "workaround_at": _ts(workaround),
            "resolved_at": _ts(resolved),
            "closed_at": _ts(closed),
            "status": _text(state, STATES),
            "category": _text(category, CATEGORIES),
            "category_raw": _text(category, CATEGORY_RAW),
            "channel": _text(channel, CHANNELS),
            "customer": _text(customer, CUSTOMERS),
            "team": _text(team, TEAMS),
            "assignee": _text(assignee, [a for names in ASSIGNEES for a in names]),
            "reopened_count": pd.array(reopened, dtype="Int64"),
            "first_contact_resolved": fcr,
            "classified_at": _ts(classified),
            "paused_minutes": pd.array(np.where(paused > 0, paused, np.nan), dtype="Float64"),
            "suggestion_adopted": adopted,
            "excluded": excluded,
            "exclusion_reason": _text(exclusion, reasons)
            if reasons
            else pd.Series(pd.NA, index=range(n), dtype="string"),
        }
    )
    return {
        "frame": frame,
        "month": g,
        "resp": resp,
        "tgt_resp": tgt_resp,
        "priority": priority,
        "excluded": excluded,
        "resolved": resolved,
        "team": team,
        "customer": customer,
    }


def _workaround_times(
    rng: np.random.Generator,
    chosen: pd.DataFrame,
    created: np.ndarray,
    resp: np.ndarray,
    resolved: np.ndarray,
    as_of: float,
    cal: BusinessCalendar,
) -> np.ndarray:
    """A temporary fix for tickets a conditional target gives one (doc 003 临时解决方案, doc 002 初步解决
    方案): between the response and 90% of its target, on its clock; none when the ticket was solved
    first (its resolution is its workaround) or it comes after as_of. Drawn from a generator of its own, so
    the rest of the data does not depend on whether the contract names the milestone."""
    target = chosen["workaround_target"].to_numpy(dtype="float64")
    has = ~np.isnan(target)
    out = np.full(created.shape, np.nan)
    if not has.any():
        return out
    own = np.random.default_rng(rng.bit_generator.seed_seq.spawn(1)[0])  # type: ignore[attr-defined]
    took = np.rint(resp + own.random(created.size) * np.maximum(0.9 * np.nan_to_num(target) - resp, 0))
    wall = (chosen["workaround_clock"] == "24x7").to_numpy()
    at = np.where(wall, created + took, cal.add(created, np.where(has, took, 0)))
    keep = has & (at <= as_of) & (np.isnan(resolved) | (at < resolved))
    out[keep] = at[keep]
    return out


def _targets(
    contract: Contract,
    month_terms: list[Terms],
    g: np.ndarray,
    priority: np.ndarray,
    category: np.ndarray,
    channel: np.ndarray,
    customer: np.ndarray,
    created: np.ndarray,
    cal: BusinessCalendar,
) -> pd.DataFrame:
    """Each ticket's targets and clocks as the evaluation will choose them (targets.ticket_targets)."""
    version = np.array([contract.versions.index(tm) for tm in month_terms])[g]
    terms = [[_priority(tm, p) for p in PRIORITIES] for tm in month_terms]
    frame = pd.DataFrame(
        {
            "version": version,
            "priority": np.array(PRIORITIES, dtype=object)[priority],
            "clock": np.array([[p.clock for p in row] for row in terms], dtype=object)[g, priority],
            "response_target": np.array([[p.response for p in row] for row in terms], dtype="float64")[
                g, priority
            ],
            "resolution_target": np.array([[p.resolution for p in row] for row in terms], dtype="float64")[
                g, priority
            ],
            "category": np.array(CATEGORIES, dtype=object)[category],
            "category_raw": np.array(CATEGORY_RAW, dtype=object)[category],
            "channel": np.array(CHANNELS, dtype=object)[channel],
            "customer": np.array(CUSTOMERS, dtype=object)[customer],
        }
    )
    return ticket_targets(contract, frame, created, lambda _v, at: cal.in_working_time(at))
