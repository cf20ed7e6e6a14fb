"""Deterministic demo data for the example contract: January–October 2026, planted problems included.

`generate()` builds the four canonical frames (`dataset.SCHEMA`) from a fixed seed and fixed dates —
nothing depends on today's date or the machine — and `write_files()` writes them as a Chinese helpdesk
would export them (or with canonical English headers). Everything is vectorised numpy, so
`generate(1_000_000)` takes seconds; rates are planted as exact per-month quotas, so the verdicts below
are the same for every size from the default (~6,000 tickets) up.

**as_of** = 2026-11-02 18:00:00 Asia/Shanghai (the Monday after the last month, end of the working
day): October has ended but four of its tickets are still open — two P3 created on Friday 30 October
afternoon, still within 24 business hours (`pending`), one P3 from 26–28 October and one P1 from the
last week already over their resolution targets (`breached`) — so October is not final and its penalty
is provisional. Every other ticket is resolved by as_of. The exports are a snapshot at as_of: later
timestamps (mostly closed_at) are blank, and the surveys end with October.

Planted problems (example contract; monthly fee 200,000 CNY; 5% = 10,000 per response timeout and per
missed KPI; cap 20% = 40,000 per month). "timeouts" are response breaches of non-excluded tickets.

| month   | missed KPIs (value)                                                     | timeouts | penalty |
|---------|-------------------------------------------------------------------------|----------|---------|
| 2026-01 | —                                                                       | 1        | 10,000  |
| 2026-02 | resolution_within_target (~93%, Spring Festival backlog)                | 1        | 20,000  |
| 2026-03 | first_contact_resolution (~81%), backup_success_rate (30/31 = 96.77%)   | 0        | 20,000  |
| 2026-04 | first_contact_resolution (~79%), complaint_rate (~2.5%)                 | 1        | 30,000  |
| 2026-05 | first_contact_resolution (~82%) → 3 months running: improvement plan    | 2        | 30,000  |
|         | due 2026-06-15                                                          |          |         |
| 2026-06 | availability (1 − 163/43200 = 99.62%), unplanned_downtime_minutes (163),| 3        | 40,000  |
|         | restored_in_time (1 of 2 incidents, 50%) — sum 60,000: the cap bites    |          | (cap)   |
| 2026-07 | unplanned_downtime_minutes (36: maintenance announced 6 h ahead counts  | 0        | 20,000  |
|         | as unplanned; availability 99.919% still meets), feedback_on_time (~87%)|          |         |
| 2026-08 | csat_mean (~4.54: meets the old ≥ 4.5, misses the ≥ 4.6 of the 2026-07  | 1        | 20,000  |
|         | version) → satisfaction investigation due 2026-09-02, findings 09-07    |          |         |
| 2026-09 | complaint_rate (~2.3%); its one timeout is a P2 answered in 25 business  | 1        | 20,000  |
|         | minutes: met under the old 30m, breached under the 2026-07 20m target   |          |         |
| 2026-10 | recovery_time_hours (4.5 h) — provisional (pending tickets at as_of)    | 1        | 20,000  |

Other edges on purpose: May has overlapping outages of 邮件系统 and OA系统 (union 28 min meets ≤ 30
and 99.9%; their sum, 46 min, would miss both); an unplanned 统一门户 outage crosses 31 Aug → 1 Sep
(8 + 10 min); the September maintenance is announced exactly 24 h ahead (planned); excluded tickets
(不可抗力：市政停电 on 2026-03-10, 台风 on 2026-08-12, 客户原因 on 2026-09-08) have breaching times;
P2 responses before July run up to 27 min (met under 30m, they would breach 20m); the provider's
self-reported figures (measures, source = provider, January–September) equal the truth except
availability in June (reported 99.91%: the VPN outage booked as maintenance) and response_within_target
in September (reported 100%: measured against the old 30-minute P2 target). Surveys: ~40% of resolved
tickets answer; ~1.5% duplicate responses (same ticket_id, later), ~2% straight-liners (all four
dimensions equal; no other response has all four equal), ~2% speeders (4–20 s, while every other
response takes ≥ 45 s and a month's median is ~110 s).

`PLANTED` holds the table above for tests; the verdicts hold for every n_tickets ≥ 3,000 with the
default months (timeouts and exclusions are absolute counts, every rate is an exact monthly quota).

The package, one part per seam: `plan` (the months' planted values and the helpdesk vocabulary),
`base` (`DemoData` and the example contract), `arrays` (vectorised helpers), `tickets`, `other_kinds`
(surveys, outages, measures) and `helpdesk_files` (the export frames and files); `generate()` here
puts them together. Names with a leading underscore are private to the package.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from sla_core.calendar import build_calendar
from sla_core.dataset import conform
from sla_core.demo.arrays import _epoch, _month_list
from sla_core.demo.base import DemoData, demo_contract, demo_contract_text
from sla_core.demo.helpdesk_files import (
    MEASURE_HEADERS_ZH,
    OUTAGE_HEADERS_ZH,
    SHEETS,
    SURVEY_HEADERS_ZH,
    TICKET_HEADERS_ZH,
    canonical_files,
    export_frames,
    write_files,
)
from sla_core.demo.other_kinds import _measures, _outages, _surveys, unplanned_seconds
from sla_core.demo.plan import (
    ASSIGNEES,
    CATEGORY_RAW,
    CHANNEL_P,
    CHANNEL_P1,
    CHANNELS,
    COMMENTS,
    COMPLAINT,
    CUSTOMER_P,
    CUSTOMERS,
    DEFAULT_MONTHS,
    DEFAULT_SEED,
    DEFAULT_TICKETS,
    DIMENSIONS,
    EXCLUSIONS,
    FAULT,
    FEEDBACK,
    GIVEN,
    INQUIRY,
    OLD_VS_NEW_MONTH,
    OLD_VS_NEW_RESPONSE,
    OUTAGES,
    PLAN,
    PLANTED,
    PRIORITIES,
    PRIORITY_ZH,
    PROVIDER_DIFFERS,
    REQUEST,
    STATE_ZH,
    STATES,
    SUGGESTION,
    SURNAMES,
    SURVEY_CHANNEL_P,
    SURVEY_CHANNELS,
    SURVEY_SHARE,
    TEAM_P,
    TEAMS,
    MonthPlan,
)
from sla_core.demo.tickets import _tickets

__all__ = [
    "ASSIGNEES",
    "CATEGORY_RAW",
    "CHANNELS",
    "CHANNEL_P",
    "CHANNEL_P1",
    "COMMENTS",
    "COMPLAINT",
    "CUSTOMERS",
    "CUSTOMER_P",
    "DEFAULT_MONTHS",
    "DEFAULT_SEED",
    "DEFAULT_TICKETS",
    "DIMENSIONS",
    "EXCLUSIONS",
    "FAULT",
    "FEEDBACK",
    "GIVEN",
    "INQUIRY",
    "MEASURE_HEADERS_ZH",
    "OLD_VS_NEW_MONTH",
    "OLD_VS_NEW_RESPONSE",
    "OUTAGES",
    "OUTAGE_HEADERS_ZH",
    "PLAN",
    "PLANTED",
    "PRIORITIES",
    "PRIORITY_ZH",
    "PROVIDER_DIFFERS",
    "REQUEST",
    "SHEETS",
    "STATES",
    "STATE_ZH",
    "SUGGESTION",
    "SURNAMES",
    "SURVEY_CHANNELS",
    "SURVEY_CHANNEL_P",
    "SURVEY_HEADERS_ZH",
    "SURVEY_SHARE",
    "TEAMS",
    "TEAM_P",
    "TICKET_HEADERS_ZH",
    "DemoData",
    "MonthPlan",
    "canonical_files",
    "demo_contract",
    "demo_contract_text",
    "export_frames",
    "generate",
    "unplanned_seconds",
    "write_files",
]


def generate(
    n_tickets: int | None = None, seed: int = DEFAULT_SEED, months: tuple[str, str] = DEFAULT_MONTHS
) -> DemoData:
    """The demo data set: ~n_tickets tickets over the months (inclusive), fully determined by the seed."""
    n = DEFAULT_TICKETS if n_tickets is None else int(n_tickets)
    if n < 1:
        raise ValueError("n_tickets must be positive")
    contract = demo_contract()
    zone = contract.zone
    month_pairs = _month_list(months)
    labels = tuple(f"{y:04d}-{m:02d}" for y, m in month_pairs)
    plans = [PLAN.get(label, MonthPlan()) for label in labels]
    rng = np.random.default_rng(seed)

    first_day = date(*month_pairs[0], 1)
    ly, lm = month_pairs[-1]
    after_last = date(ly + 1, 1, 1) if lm == 12 else date(ly, lm + 1, 1)
    last_day = after_last - timedelta(days=1)
    bounds = np.array(
        [_epoch(datetime(y, m, 1), zone) for y, m in month_pairs]
        + [_epoch(datetime.combine(after_last, datetime.min.time()), zone)]
    )
    period_end = bounds[-1] - 1  # 23:59:59 of the last day
    as_of = _epoch(
        datetime.combine(after_last + timedelta(days=1), datetime.min.time()).replace(hour=18), zone
    )
    cal = build_calendar(contract.base.calendar, contract.base.contract.timezone, first_day, after_last)
    month_terms = [contract.terms_for_month(y, m) for y, m in month_pairs]

    t = _tickets(n, rng, cal, zone, first_day, last_day, bounds, labels, plans, month_terms, as_of, contract)
    s = _surveys(rng, t, bounds, labels, plans, min(as_of, period_end))
    o = _outages(zone, bounds[0], min(as_of, period_end))
    m = _measures(labels, plans, t, o, bounds, contract)

    tickets = conform("tickets", t["frame"])
    surveys = conform("surveys", s)
    return DemoData(
        tickets=tickets,
        surveys=surveys,
        outages=conform("outages", o),
        measures=conform("measures", m),
        as_of=pd.Timestamp(int(as_of), unit="s", tz="UTC"),
        contract_text=demo_contract_text(),
        months=labels,
    )
