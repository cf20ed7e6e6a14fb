"""The peers: what a reader would otherwise write, measured on the same data in the same run.

- `btd_rule`, `btd_durations`: response and resolution per ticket with the `businesstimedelta` package
  (Mon–Fri 09:00–18:00 plus China's public holidays; it cannot express make-up workdays);
- `pandas_kpis`: every ticket and survey KPI for every month and quarter × every breakdown with a plain
  pandas groupby over the same per-ticket outcomes and survey responses;
- `pandas_report`: the tables of a quarterly pack written with `DataFrame.to_excel` (xlsxwriter), no
  formats, charts or text.

`expressible_contract` is the demo contract with a calendar both sides can express exactly.
"""

from __future__ import annotations

import datetime as dt
import io
import tomllib
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from sla_core.contract import Contract
    from sla_core.evaluate import Evaluation

# ---------------------------------------------------------------- business hours


def public_holidays(first_year: int, last_year: int) -> list[dt.date]:
    """China's public holidays as the calendar reads them (years with a published schedule)."""
    from sla_core.calendar import official_days

    public, _make_up, _unpublished = official_days("CN", first_year, last_year)
    return sorted(public)


def expressible_contract(contract_text: str, first_year: int, last_year: int) -> Contract:
    """The demo contract on a calendar businesstimedelta can express: weekly hours, and China's public
    holidays given as the contract's extra_holidays (country "" — so no make-up workdays, no
    unpublished years), without special_hours (the half day on 2026-12-31)."""
    import tomli_w

    from sla_core.contract import parse_contract

    doc = tomllib.loads(contract_text)
    cal = doc["calendar"]
    cal["country"] = ""
    cal["extra_holidays"] = [d.isoformat() for d in public_holidays(first_year, last_year)]
    cal["extra_workdays"] = []
    cal.pop("special_hours", None)
    contract, issues = parse_contract(tomli_w.dumps(doc), file="bench-expressible.toml")
    if contract is None:
        raise ValueError("; ".join(i.en for i in issues))
    return contract


def btd_rule(contract: Contract, holidays: list[dt.date]) -> object:
    """Weekly hours (one interval a day, the same every working weekday) + a holiday list."""
    import businesstimedelta as btd
    import pytz

    hours = contract.base.calendar.hours
    days = [d for d in range(7) if hours.for_weekday(d)]
    spans = {hours.for_weekday(d) for d in days}
    if len(spans) != 1 or len(next(iter(spans))) != 1:
        raise ValueError("businesstimedelta's WorkDayRule takes one interval, the same every working day")
    (interval,) = next(iter(spans))
    tz = pytz.timezone(contract.base.contract.timezone)

    def clock(seconds: int) -> dt.time:
        return dt.time(seconds // 3600, seconds % 3600 // 60)

    work = btd.WorkDayRule(
        start_time=clock(interval.open), end_time=clock(interval.close), working_days=days, tz=tz
    )
    # HolidayRule looks at most five years ahead for the next holiday and fails when it finds none:
    # a far sentinel (outside every benchmark's dates) keeps it going past the last listed one
    off = btd.HolidayRule([*holidays, dt.date(2029, 1, 1)], tz=tz)
    return btd.Rules([work, off])


def btd_inputs(tickets: pd.DataFrame, contract: Contract, as_of: float) -> dict[str, list]:
    """Per ticket, as Python objects: created, response end, resolved (aware datetimes or None),
    paused seconds, and whether its priority runs on the business clock (the terms of its month)."""
    zone = contract.zone

    def times(col: str) -> list:
        values = tickets[col].dt.tz_convert(zone)
        return [None if pd.isna(v) else v.to_pydatetime() for v in values]

    created = times("created_at")
    first = times("first_response_at")
    resolved = times("resolved_at")
    closed = times("closed_at")
    limit = dt.datetime.fromtimestamp(as_of, zone)
    resolved = [r if r is not None else c for r, c in zip(resolved, closed, strict=True)]
    resolved = [None if r is not None and r > limit else r for r in resolved]
    first = [None if f is not None and f > limit else f for f in first]
    response_end = [
        min(x for x in (f, r) if x is not None) if (f is not None or r is not None) else None
        for f, r in zip(first, resolved, strict=True)
    ]
    paused = (tickets["paused_minutes"].astype("Float64").fillna(0).to_numpy(dtype="float64") * 60).round()
    business = []
    for c, p in zip(created, tickets["priority"].astype(str), strict=True):
        terms = contract.terms_on(c.date().replace(day=1))
        business.append(terms.priority(p).clock == "business")
    return {
        "ticket_id": tickets["ticket_id"].astype(str).tolist(),
        "created": created,
        "response_end": response_end,
        "resolved": resolved,
        "paused": paused.tolist(),
        "business": business,
        "as_of": [limit] * len(created),
    }


def btd_durations(rule: object, inputs: dict[str, list]) -> tuple[list[int], list[int]]:
    """Response and resolution seconds per ticket, the spec's rule (pauses off the resolution only,
    floored at 0; not done yet → measured to as_of), business time from businesstimedelta."""
    response: list[int] = []
    resolution: list[int] = []
    for created, r_end, res, paused, business, now in zip(
        inputs["created"],
        inputs["response_end"],
        inputs["resolved"],
        inputs["paused"],
        inputs["business"],
        inputs["as_of"],
        strict=True,
    ):
        a = r_end if r_end is not None else now
        b = res if res is not None else now
        if business:
            r = rule.difference(created, a).timedelta.total_seconds()  # type: ignore[attr-defined]
            g = rule.difference(created, b).timedelta.total_seconds()  # type: ignore[attr-defined]
        else:
            r = (a - created).total_seconds()
            g = (b - created).total_seconds()
        response.append(int(max(r, 0)))
        resolution.append(int(max(g - paused, 0)))
    return response, resolution


# ---------------------------------------------------------------- KPIs with pandas

TICKET_SUMS = (
    "tickets_all",
    "tickets",
    "response_met",
    "response_judged",
    "resolution_met",
    "resolution_judged",
    "resolved",
    "first_contact",
    "reopened",
    "complaints",
    "feedback_on_time",
    "feedback_judged",
    "suggestions",
    "suggestions_adopted",
    "resolved_surveyed",
)
RATIOS = {
    "response_within_target": ("response_met", "response_judged"),
    "resolution_within_target": ("resolution_met", "resolution_judged"),
    "resolution_rate": ("resolved", "tickets"),
    "first_contact_resolution": ("first_contact", "resolved"),
    "reopen_rate": ("reopened", "resolved"),
    "complaint_rate": ("complaints", "tickets"),
    "feedback_on_time": ("feedback_on_time", "feedback_judged"),
    "suggestion_adoption_rate": ("suggestions_adopted", "suggestions"),
    "survey_response_rate": ("resolved_surveyed", "resolved"),
    "csat_mean": ("score_sum", "responses"),
    "csat_satisfied_share": ("satisfied", "responses"),
}
DIMENSIONS = ("priority", "team", "category", "channel", "customer")


def _quarter(key: pd.Series) -> pd.Series:
    return (key // 12).astype(str) + "Q" + ((key % 12) // 3 + 1).astype(str)


def _month(key: pd.Series) -> pd.Series:
    return (key // 12).astype(str) + "-" + (key % 12 + 1).astype(str).str.zfill(2)


def pandas_kpis(tickets: pd.DataFrame, responses: pd.DataFrame) -> pd.DataFrame:
    """period (month and quarter labels), dimension, member, kpi, value — from per-ticket outcomes."""
    t = tickets
    excl = t["excluded"].to_numpy(dtype=bool)
    ok = ~excl
    resolved = t["resolved"].to_numpy(dtype=bool) & ok
    category = t["category"].fillna("")
    rs, ss, fb = t["response_status"], t["resolution_status"], t["feedback_status"]
    flags = pd.DataFrame(
        {
            "tickets_all": np.ones(len(t), dtype="int64"),
            "tickets": ok,
            "response_met": rs == "met",
            "response_judged": rs.isin(["met", "breached"]),
            "resolution_met": ss == "met",
            "resolution_judged": ss.isin(["met", "breached"]),
            "resolved": resolved,
            "first_contact": resolved & t["first_contact_resolved"].to_numpy(dtype=bool),
            "reopened": resolved & t["reopened"].to_numpy(dtype=bool),
            "complaints": ok & (category == "complaint"),
            "feedback_on_time": fb == "on_time",
            "feedback_judged": fb.isin(["on_time", "late"]),
            "suggestions": ok & (category == "suggestion"),
            "suggestions_adopted": ok
            & (category == "suggestion")
            & t["suggestion_adopted"].to_numpy(dtype=bool),
            "resolved_surveyed": resolved & t["surveyed"].to_numpy(dtype=bool),
        }
    ).astype("int64")
    r = responses.loc[~responses["excluded"].to_numpy(dtype=bool)]
    score = r["score"].astype("float64")
    s_flags = pd.DataFrame(
        {
            "responses": score.notna().astype("int64"),
            "score_sum": score.fillna(0.0),
            "satisfied": (r["satisfied"].to_numpy(dtype=bool) & score.notna()).astype("int64"),
        }
    )
    frames = []
    for period_of in (_month, _quarter):
        t_period = period_of(t["month_key"])
        s_period = period_of(r["month_key"])
        for dim in (None, *DIMENSIONS):
            t_keys = [t_period] if dim is None else [t_period, t[dim].fillna("")]
            s_keys = [s_period] if dim is None else [s_period, r[dim].fillna("")]
            a = flags.groupby(t_keys, sort=False).sum()
            b = s_flags.set_index(s_period.index).groupby(s_keys, sort=False).sum()
            both = a.join(b, how="outer").fillna(0)
            both.index = both.index.set_names(["period"] if dim is None else ["period", "member"])
            both = both.reset_index()
            both["dimension"] = "all" if dim is None else dim
            if dim is None:
                both["member"] = ""
            frames.append(both)
    counts = pd.concat(frames, ignore_index=True)
    out = []
    for kpi, (num, den) in RATIOS.items():
        d = counts[den].to_numpy(dtype="float64")
        n = counts[num].to_numpy(dtype="float64")
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(d > 0, n / np.where(d > 0, d, 1), np.nan)
        out.append(
            pd.DataFrame(
                {
                    "period": counts["period"],
                    "dimension": counts["dimension"],
                    "member": counts["member"],
                    "kpi": kpi,
                    "value": value,
                }
            )
        )
    return pd.concat(out, ignore_index=True)


def compare_kpis(ours: pd.DataFrame, peer: pd.DataFrame) -> dict[str, object]:
    """Do both give the same value for every (period, dimension, member, KPI) the peer computes?"""
    keys = ["period", "dimension", "member", "kpi"]
    # (ours also has per-service rows for the availability KPIs; the ticket KPIs there are empty)
    rows = ours["kpi"].isin(list(RATIOS)) & ours["dimension"].isin(["all", *DIMENSIONS])
    mine = ours.loc[rows, [*keys, "value"]]
    joined = peer.merge(mine, on=keys, how="outer", suffixes=("_peer", "_ours"), indicator=True)
    only_peer = int((joined["_merge"] == "left_only").sum())
    only_ours = int((joined["_merge"] == "right_only").sum())
    both = joined.loc[joined["_merge"] == "both"]
    a = both["value_peer"].to_numpy(dtype="float64")
    b = both["value_ours"].to_numpy(dtype="float64")
    same = (np.isnan(a) & np.isnan(b)) | (np.abs(a - b) <= 1e-12)
    return {
        "values_compared": len(both),
        "values_differing": int((~same).sum()),
        "rows_only_in_peer": only_peer,
        "rows_only_in_ours": only_ours,
        "identical": bool(same.all() and only_peer == 0 and only_ours == 0),
    }


# ---------------------------------------------------------------- report with pandas


def pandas_report(evaluation: Evaluation, quarter: str) -> bytes:
    """The quarter's tables as plain sheets: KPI values, breached tickets, open tickets, outages."""
    from sla_core.periods import month_label, quarter_months

    ev = evaluation
    keys = quarter_months(quarter)
    months = [month_label(k) for k in keys]
    t = ev.tickets
    in_q = t["month_key"].isin(keys)
    hit = in_q & ((t["response_status"] == "breached") | (t["resolution_status"] == "breached"))
    cols = [
        "ticket_id",
        "month",
        "priority",
        "clock",
        "created",
        "response_end",
        "resolved_time",
        "response_seconds",
        "response_target",
        "response_status",
        "resolution_seconds",
        "resolution_target",
        "resolution_status",
        "paused_seconds",
        "category",
        "team",
        "assignee",
        "exclusion_reason",
    ]
    breached = t.loc[hit, cols].sort_values(["month", "created", "ticket_id"], kind="stable")
    open_t = t.loc[(t["month_key"] <= keys[-1]) & ~t["resolved"] & ~t["excluded"], cols]
    values = ev.values.loc[ev.values["period"].isin([quarter, *months])]
    zone = ev.contract.zone
    for frame in (breached, open_t):
        for col in ("created", "response_end", "resolved_time"):
            frame[col] = (
                pd.to_datetime(frame[col], unit="s", utc=True).dt.tz_convert(zone).dt.tz_localize(None)
            )
    outages = ev.outages.incidents if not ev.outages.incidents.empty else pd.DataFrame()
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as w:
        values.to_excel(w, sheet_name="kpis", index=False)
        breached.to_excel(w, sheet_name="breached", index=False)
        open_t.to_excel(w, sheet_name="open", index=False)
        outages.to_excel(w, sheet_name="outages", index=False)
    return buffer.getvalue()
