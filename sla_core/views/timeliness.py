"""The Timeliness screen: response and resolution KPIs per month and priority, their distributions,
breaches by weekday × hour and by dimension, tickets at risk and breached, one ticket's timeline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from sla_core.dataset import Dataset
from sla_core.evaluate import Evaluation
from sla_core.i18n import category_label, clock_label, status_label
from sla_core.views.common import Filters, Period, active, period_tickets, values_for


def local_times(epochs: pd.Series, evaluation: Evaluation) -> pd.Series:
    return pd.to_datetime(epochs, unit="s", utc=True).dt.tz_convert(evaluation.contract.zone)


@dataclass
class Distribution:
    priority: str
    measure: str  # response | resolution
    seconds: np.ndarray
    target: float | None
    median: float | None
    p90: float | None
    clock: str = "business"  # the priority's clock the seconds are counted on: business | 24x7


@dataclass
class TimelinessView:
    response_series: pd.DataFrame  # month, priority, value, numerator, denominator
    resolution_series: pd.DataFrame
    targets: dict[str, pd.DataFrame]  # kpi → month, target
    distributions: list[Distribution]
    heatmap: np.ndarray  # 7 × 24 breached tickets by local weekday × hour of creation
    pareto: dict[str, pd.Series]  # dimension → breaches per member
    at_risk: pd.DataFrame
    breached: pd.DataFrame
    filtered: bool


def _nearest_rank(values: np.ndarray, q: float) -> float | None:
    if values.size == 0:
        return None
    ordered = np.sort(values)
    return float(ordered[max(int(np.ceil(q * ordered.size)) - 1, 0)])


def timeliness(
    evaluation: Evaluation, data: Dataset, period: Period, filters: Filters | None, lang: str
) -> TimelinessView:
    values = (
        values_for(
            evaluation, data, Period.month(period.label) if period.kind == "month" else period, filters
        )
        if active(filters)
        else evaluation.values
    )
    months = [m.label for m in evaluation.months]
    series = {}
    for kpi in ("response_within_target", "resolution_within_target"):
        rows = values.loc[
            (values["kpi"] == kpi) & (values["dimension"] == "priority") & values["period"].isin(months)
        ]
        series[kpi] = rows.rename(columns={"period": "month", "member": "priority"})[
            ["month", "priority", "value", "numerator", "denominator"]
        ].sort_values(["month", "priority"])
    targets = {
        kpi: pd.DataFrame(
            [
                {"month": m.label, "target": float(t.value) if (t := m.terms.target(kpi)) else np.nan}
                for m in evaluation.months
            ]
        )
        for kpi in ("response_within_target", "resolution_within_target")
    }
    tickets = period_tickets(evaluation, period, filters)
    judged = tickets.loc[~tickets["excluded"]] if not tickets.empty else tickets
    dists = []
    result = evaluation.period(period.label)
    terms = result.terms if result else evaluation.contract.base
    for p in terms.priorities:
        rows = judged.loc[judged["priority"] == p.id] if not judged.empty else judged
        for measure, done in (("response", "responded"), ("resolution", "resolved")):
            secs = (
                rows.loc[rows[done], f"{measure}_seconds"].to_numpy(dtype="float64")
                if not rows.empty
                else np.zeros(0)
            )
            dists.append(
                Distribution(
                    p.id,
                    measure,
                    secs,
                    float(getattr(p, measure)),
                    _nearest_rank(secs, 0.5),
                    _nearest_rank(secs, 0.9),
                    p.clock,
                )
            )
    breached_rows = (
        tickets.loc[(tickets["response_status"] == "breached") | (tickets["resolution_status"] == "breached")]
        if not tickets.empty
        else tickets
    )
    grid = np.zeros((7, 24), dtype="int64")
    if not breached_rows.empty:
        local = local_times(breached_rows["created"], evaluation)
        np.add.at(grid, (local.dt.day_of_week.to_numpy(), local.dt.hour.to_numpy()), 1)
    pareto = {
        dim: breached_rows[dim].fillna("").value_counts()
        if not breached_rows.empty
        else pd.Series(dtype="int64")
        for dim in ("team", "category", "channel")
    }
    return TimelinessView(
        response_series=series["response_within_target"],
        resolution_series=series["resolution_within_target"],
        targets=targets,
        distributions=dists,
        heatmap=grid,
        pareto=pareto,
        at_risk=at_risk(evaluation, tickets, lang),
        breached=breached_table(evaluation, breached_rows, lang),
        filtered=active(filters),
    )


def _names(values: pd.Series, name: Callable[[str], str]) -> pd.Series:
    """Each value's name (a status, a category), looked up once per distinct value, not once per ticket."""
    return values.map({v: name(str(v)) for v in values.dropna().unique()})


def _fmt_hms(seconds: pd.Series) -> pd.Series:
    s = seconds.fillna(0).astype("int64")
    return (
        (s // 3600).astype(str)
        + ":"
        + (s % 3600 // 60).astype(str).str.zfill(2)
        + ":"
        + (s % 60).astype(str).str.zfill(2)
    )


# the columns of the two ticket tables (the page heads them from this list: `ui.components.ticket_columns`)
AT_RISK_COLUMNS = ("ticket_id", "priority", "team", "target", "created", "used", "elapsed", "limit", "status")
BREACHED_COLUMNS = (
    "ticket_id",
    "month",
    "priority",
    "team",
    "category",
    "channel",
    "created",
    "response",
    "response_target",
    "response_status",
    "resolution",
    "resolution_target",
    "resolution_status",
)


def at_risk(evaluation: Evaluation, tickets: pd.DataFrame, lang: str, threshold: float = 0.8) -> pd.DataFrame:
    """Open tickets at as_of that used ≥ 80% of a target (breached ones included, marked)."""
    cols = list(AT_RISK_COLUMNS)
    if tickets.empty:
        return pd.DataFrame(columns=cols)
    parts = []
    for measure, done in (("response", "responded"), ("resolution", "resolved")):
        rows = tickets.loc[~tickets[done] & ~tickets["excluded"]]
        used = rows[f"{measure}_seconds"] / rows[f"{measure}_target"]
        rows = rows.assign(used=used).loc[used >= threshold]
        if rows.empty:
            continue
        parts.append(
            pd.DataFrame(
                {
                    "ticket_id": rows["ticket_id"],
                    "priority": rows["priority"],
                    "team": rows["team"],
                    "target": ("首次响应" if lang == "zh" else "response")
                    if measure == "response"
                    else ("解决" if lang == "zh" else "resolution"),
                    "created": local_times(rows["created"], evaluation).dt.tz_localize(None),
                    "used": rows["used"].astype(float),
                    "elapsed": _fmt_hms(rows[f"{measure}_seconds"]),
                    "limit": _fmt_hms(rows[f"{measure}_target"]),
                    "status": _names(rows[f"{measure}_status"], lambda v: status_label(v, lang)),
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True).sort_values("used", ascending=False)


def breached_table(evaluation: Evaluation, rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    cols = list(BREACHED_COLUMNS)
    if rows.empty:
        return pd.DataFrame(columns=cols)
    return pd.DataFrame(
        {
            "ticket_id": rows["ticket_id"],
            "month": rows["month"],
            "priority": rows["priority"],
            "team": rows["team"],
            "category": _names(rows["category"], lambda v: category_label(v, lang)),
            "channel": rows["channel"],
            "created": local_times(rows["created"], evaluation).dt.tz_localize(None),
            "response": _fmt_hms(rows["response_seconds"]),
            "response_target": _fmt_hms(rows["response_target"]),
            "response_status": _names(rows["response_status"], lambda v: status_label(v, lang)),
            "resolution": _fmt_hms(rows["resolution_seconds"]),
            "resolution_target": _fmt_hms(rows["resolution_target"]),
            "resolution_status": _names(rows["resolution_status"], lambda v: status_label(v, lang)),
        }
    ).sort_values(["month", "ticket_id"])


def breached_in_cell(breached: pd.DataFrame, weekday: int, hour: int) -> pd.DataFrame:
    """The breached tickets behind one heatmap cell: created on that local weekday (0 = Monday) and hour."""
    if breached.empty:
        return breached
    created = pd.to_datetime(breached["created"])
    return breached.loc[(created.dt.day_of_week == weekday) & (created.dt.hour == hour)]


@dataclass
class TicketDetail:
    ticket_id: str
    facts: list[tuple[str, str]]  # label, value
    timeline: pd.DataFrame  # event, time (local)


def ticket_detail(evaluation: Evaluation, data: Dataset, ticket_id: str, lang: str) -> TicketDetail | None:
    """One ticket's times, business durations, targets and outcome."""
    t = evaluation.tickets
    rows = t.loc[t["ticket_id"] == ticket_id]
    if rows.empty:
        return None
    r = rows.iloc[0]
    zh = lang == "zh"
    zone = evaluation.contract.zone

    def when(epoch: float) -> str:
        return (
            "—"
            if pd.isna(epoch)
            else datetime.fromtimestamp(float(epoch), zone).strftime("%Y-%m-%d %H:%M:%S")
        )

    clock = clock_label(str(r["clock"]), lang)
    facts = [
        (
            "优先级" if zh else "Priority",
            f"{r['priority']}（{clock}）" if zh else f"{r['priority']} ({clock})",
        ),
        ("处理组" if zh else "Team", str(r["team"]) if pd.notna(r["team"]) else "—"),
        (
            "首次响应" if zh else "Response",
            f"{_fmt_hms(pd.Series([r['response_seconds']])).iloc[0]} / {_fmt_hms(pd.Series([r['response_target']])).iloc[0]}"
            f" · {status_label(str(r['response_status']), lang)}",
        ),
        (
            "解决" if zh else "Resolution",
            f"{_fmt_hms(pd.Series([r['resolution_seconds']])).iloc[0]} / {_fmt_hms(pd.Series([r['resolution_target']])).iloc[0]}"
            f" · {status_label(str(r['resolution_status']), lang)}",
        ),
        ("挂起" if zh else "Paused", _fmt_hms(pd.Series([r["paused_seconds"]])).iloc[0]),
    ]
    judged_workaround = pd.notna(r.get("workaround_target", np.nan))
    if judged_workaround:
        facts.insert(
            3,
            (
                "临时解决" if zh else "Workaround",
                f"{_fmt_hms(pd.Series([r['workaround_seconds']])).iloc[0]} / {_fmt_hms(pd.Series([r['workaround_target']])).iloc[0]}"
                f" · {status_label(str(r['workaround_status']), lang)}",
            ),
        )
    facts.append(("目标规则" if zh else "Target rule", _rule_fact(r, zh)))
    if bool(r["excluded"]):
        facts.append(("免责原因" if zh else "Exclusion", str(r["exclusion_reason"])))
    events = [
        ("创建" if zh else "created", r["created"]),
        ("首次响应" if zh else "first response", r["response_end"]),
        ("临时解决" if zh else "workaround", r["workaround_end"] if judged_workaround else np.nan),
        ("解决" if zh else "resolved", r["resolved_time"]),
        ("分类" if zh else "classified", r["classified"]),
    ]
    src = data.tickets
    spans: list[tuple[str, float, float, str]] = []
    if src is not None:
        raw = src.loc[src["ticket_id"] == ticket_id]
        if not raw.empty and pd.notna(raw.iloc[0]["closed_at"]):
            events.append(("关闭" if zh else "closed", raw.iloc[0]["closed_at"].timestamp()))
        if not raw.empty and "pause_intervals" in raw.columns:
            spans = _derived_spans(raw["pause_intervals"].iloc[:1], r, evaluation, zh)
        reopens = (
            int(raw.iloc[0]["reopened_count"])
            if not raw.empty and pd.notna(raw.iloc[0]["reopened_count"])
            else 0
        )
        if reopens:
            facts.append(("重开" if zh else "Reopened", f"{reopens} 次" if zh else f"{reopens}×"))
    entries = [{"event": e, "time": when(x), "until": "", "paused": ""} for e, x in events if not pd.isna(x)]
    entries += [{"event": e, "time": when(a), "until": when(b), "paused": p} for e, a, b, p in spans]
    timeline = pd.DataFrame(entries, columns=["event", "time", "until", "paused"])
    if not timeline.empty:
        timeline = timeline.sort_values("time", kind="stable").reset_index(drop=True)
    return TicketDetail(ticket_id, facts, timeline)


_MILESTONE_WORDS = {
    "response": ("首次响应", "response"),
    "workaround": ("临时解决", "workaround"),
    "resolution": ("解决", "resolution"),
}


def _rule_fact(r: pd.Series, zh: bool) -> str:
    """Which conditional target (spec "Rule (conditional targets)") set each of the ticket's targets —
    the `target_rule` of `--tickets-out`, per milestone; none: the priority's targets."""
    parts = [
        (words[0] if zh else words[1], str(r[f"{m}_rule"]))
        for m, words in _MILESTONE_WORDS.items()
        if pd.notna(r.get(f"{m}_rule", None))
    ]
    if not parts:
        return "优先级目标" if zh else "the priority's targets"
    return ("；" if zh else "; ").join(f"{w}：{rule}" if zh else f"{w}: {rule}" for w, rule in parts)


def _derived_spans(
    cell: pd.Series, r: pd.Series, evaluation: Evaluation, zh: bool
) -> list[tuple[str, float, float, str]]:
    """A status history's derived intervals of one ticket: (label, start, end, business time paused)."""
    from sla_core.calendar import WALL_CLOCK, build_calendar
    from sla_core.ingest.history import parse_intervals

    iv = parse_intervals(cell)
    if iv.empty:
        return []
    created = float(r["created"])
    stop = float(r["resolved_time"]) if pd.notna(r["resolved_time"]) else float(evaluation.as_of)
    starts = np.maximum(iv["start"].to_numpy(dtype="float64"), created)
    ends = np.fmin(iv["end"].to_numpy(dtype="float64"), stop)
    if str(r["clock"]) == "business":
        terms = evaluation.contract.versions[int(r["version"])]
        first = datetime.fromtimestamp(float(np.nanmin(starts)), evaluation.contract.zone).date()
        last = datetime.fromtimestamp(float(np.nanmax(ends)), evaluation.contract.zone).date()
        clock = build_calendar(terms.calendar, terms.contract.timezone, first, last)
        took = np.where(ends > starts, clock.elapsed(starts, np.maximum(ends, starts)), 0)
    else:
        took = np.where(ends > starts, WALL_CLOCK.elapsed(starts, ends), 0)
    names = {"pause": ("挂起", "paused"), "reopen": ("已解决后重开", "resolved, then reopened")}
    out = []
    for (_, row), b, seconds in zip(iv.iterrows(), ends, took, strict=True):
        zh_name, en_name = names.get(str(row["reason"]), (str(row["reason"]),) * 2)
        label = f"{zh_name}（{row['state']}）" if zh else f"{en_name} ({row['state']})"
        shown = _fmt_hms(pd.Series([max(float(seconds), 0.0)])).iloc[0]
        out.append((label, float(row["start"]), float(b) if not np.isnan(b) else np.nan, shown))
    return out
