"""The Outages sheet: each outage touching the period, its span and the time inside the period, how it
counts (planned, unplanned, unplanned for late notice), severity and cause."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from sla_core.i18n.pack import SHEETS
from sla_core.periods import month_first_day
from sla_core.report.cells import excel_serials, period_start, text_cells
from sla_core.report.context import Context
from sla_core.report.layout import Col, V


def outages(ctx: Context) -> None:
    ev, b, p = ctx.ev, ctx.book, ctx.p
    facts = ev.outages
    start_p = period_start(p.first_day, ctx.zone)
    end_p = period_start(month_first_day(p.keys[-1] + 1), ctx.zone)
    sh = b.sheet(
        "outages",
        f"{SHEETS['outages'][0 if ctx.lang == 'zh' else 1]} · {ctx.pname(p.label)}",
        ctx.w("outages_note"),
    )
    cols = [
        Col(ctx.w("service"), max_width=18),
        Col(ctx.w("col_start"), "datetime"),
        Col(ctx.w("col_end"), "datetime"),
        Col(ctx.w("duration"), "dur"),
        Col(ctx.w("in_period"), "dur"),
        Col(ctx.w("counted_as"), max_width=20),
        Col(ctx.w("severity"), max_width=10),
        Col(ctx.w("col_cause"), "wrap", max_width=24),
        Col(ctx.w("col_description"), "wrap", max_width=36),
    ]
    o = facts.outages
    rows: Iterable[Sequence[Any]] = []
    if facts.given and not o.empty:
        s = o["start_s"].to_numpy(dtype="float64")
        e = o["end_s"].to_numpy(dtype="float64")
        e_eff = np.where(np.isnan(e), ev.as_of, e)
        hit = (s < end_p) & (e_eff > start_p)
        sel = o.loc[hit].sort_values("start_s", kind="stable")
        s, e_eff = (
            sel["start_s"].to_numpy(dtype="float64"),
            np.where(
                np.isnan(sel["end_s"].to_numpy(dtype="float64")),
                ev.as_of,
                sel["end_s"].to_numpy(dtype="float64"),
            ),
        )
        inside = np.clip(np.minimum(e_eff, end_p) - np.maximum(s, start_p), 0, None)
        counted = []
        for planned, reason in zip(
            sel["planned_effective"].tolist(), sel["unplanned_reason"].tolist(), strict=True
        ):
            counted.append(
                ctx.book.label("planned") if planned else ctx.book.label(str(reason or "unplanned"))
            )
        rows = zip(
            text_cells(sel["service"]),
            excel_serials(s, ctx.zone),
            excel_serials(sel["end_s"].to_numpy(dtype="float64"), ctx.zone),
            (e_eff - s) / 86400,
            inside / 86400,
            counted,
            text_cells(sel["severity"]) if "severity" in sel else [None] * len(sel),
            text_cells(sel["cause"]) if "cause" in sel else [None] * len(sel),
            text_cells(sel["description"]) if "description" in sel else [None] * len(sel),
            strict=True,
        )
    empty = None if facts.given else ctx.w("no_outage_log")
    sh.table(cols, rows, main=True, empty=empty)
    sh.skip()
    sh.heading(ctx.w("incidents_merged"))
    inc = facts.incidents
    inc_rows: Iterable[Sequence[Any]] = []
    if not inc.empty:
        sel = inc.loc[inc["month_key"].isin(p.keys)].sort_values("start", kind="stable")
        inc_rows = zip(
            text_cells(sel["service"]),
            excel_serials(sel["start"].to_numpy(dtype="float64"), ctx.zone),
            excel_serials(
                np.where(sel["open"].to_numpy(dtype=bool), np.nan, sel["end"].to_numpy(dtype="float64")),
                ctx.zone,
            ),
            sel["duration"].to_numpy(dtype="float64") / 86400,
            [
                V(None if op else bool(x), "bool")
                for x, op in zip(sel["restored_in_time"].tolist(), sel["open"].tolist(), strict=True)
            ],
            strict=True,
        )
    sh.table(
        [
            Col(ctx.w("service"), max_width=18),
            Col(ctx.w("col_start"), "datetime"),
            Col(ctx.w("col_end"), "datetime"),
            Col(ctx.w("duration"), "dur"),
            Col(ctx.w("restored_in_time"), "bool"),
        ],
        inc_rows,
        empty=empty,
    )
    sh.finish()
