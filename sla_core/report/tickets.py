"""The ticket sheets: tickets breached in the period (with their penalty share) and tickets still open at
the as-of time."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import numpy as np

from sla_core.i18n.pack import SHEETS
from sla_core.report.cells import text_cells
from sla_core.report.context import Context
from sla_core.report.layout import Col, V


def breached(ctx: Context) -> None:
    t = ctx.tickets
    b = ctx.book
    if t.empty:
        rows_frame = t
    else:
        hit = (t["response_status"] == "breached") | (t["resolution_status"] == "breached")
        rows_frame = t.loc[hit].sort_values(["month_key", "created", "ticket_id"], kind="stable")
    count = len(rows_frame)
    sh = b.sheet(
        "breached",
        f"{SHEETS['breached'][0 if ctx.lang == 'zh' else 1]} · {ctx.pname(ctx.p.label)}",
        ctx.w("breached_note").format(count=count),
    )
    cols = [
        Col(ctx.w("tcol_ticket_id"), max_width=22),
        Col(ctx.w("tcol_month"), min_width=8),
        Col(ctx.w("priority"), min_width=6),
        Col(ctx.w("col_clock"), min_width=8),
        Col(ctx.w("tcol_created"), "datetime"),
        Col(ctx.w("responded"), "datetime"),
        Col(ctx.w("resolved"), "datetime"),
        Col(ctx.w("tcol_response"), "dur"),
        Col(ctx.w("tcol_response_target"), "dur"),
        Col(ctx.w("measure_response"), min_width=8),
        Col(ctx.w("tcol_resolution"), "dur"),
        Col(ctx.w("tcol_resolution_target"), "dur"),
        Col(ctx.w("measure_resolution"), min_width=8),
        Col(ctx.w("over_by"), "dur"),
        Col(ctx.w("paused"), "dur"),
        Col(ctx.w("category"), max_width=14),
        Col(ctx.w("team"), max_width=16),
        Col(ctx.w("assignee"), max_width=12),
        Col(ctx.w("penalty"), "money"),
    ]
    rows: Iterable[Sequence[Any]] = []
    if count:
        penalty = _ticket_penalties(ctx)
        times = ctx.ticket_frame(rows_frame)
        rs = rows_frame["response_seconds"].to_numpy(dtype="float64")
        rt = rows_frame["response_target"].to_numpy(dtype="float64")
        ss = rows_frame["resolution_seconds"].to_numpy(dtype="float64")
        st_ = rows_frame["resolution_target"].to_numpy(dtype="float64")
        r_status = rows_frame["response_status"].to_numpy(dtype=object)
        s_status = rows_frame["resolution_status"].to_numpy(dtype=object)
        over = np.fmax(
            np.where(r_status == "breached", rs - rt, np.nan),
            np.where(s_status == "breached", ss - st_, np.nan),
        )
        clock_words = {"24x7": ctx.w("24x7"), "business": ctx.w("business")}
        ids = rows_frame["ticket_id"].astype("object").tolist()
        month_names = {m: ctx.pname(m) for m in rows_frame["month"].unique()}
        rows = zip(
            ids,
            [month_names[m] for m in rows_frame["month"].tolist()],
            text_cells(rows_frame["priority"]),
            [clock_words.get(c, c) for c in rows_frame["clock"].tolist()],
            times["created"],
            times["responded"],
            times["resolved"],
            rs / 86400,
            rt / 86400,
            [V(s, f"status:{s}") for s in r_status],
            ss / 86400,
            st_ / 86400,
            [V(s, f"status:{s}") for s in s_status],
            over / 86400,
            rows_frame["paused_seconds"].to_numpy(dtype="float64") / 86400,
            ctx.category(rows_frame),
            text_cells(rows_frame["team"]),
            text_cells(rows_frame["assignee"]),
            [penalty.get(i) for i in ids],
            strict=True,
        )
    sh.table(cols, rows, main=True, freeze_col=1)
    sh.finish()


def _ticket_penalties(ctx: Context) -> dict[str, float]:
    out: dict[str, float] = {}
    for m in ctx.p.months:
        for item in m.penalty.items:
            if item.kind == "breached_ticket":
                out[item.ref] = out.get(item.ref, 0.0) + float(item.amount)
    return out


def open_tickets(ctx: Context) -> None:
    ev, b = ctx.ev, ctx.book
    all_t = ev.tickets
    last = ctx.p.keys[-1]
    if all_t.empty:
        frame = all_t
    else:
        frame = all_t.loc[(all_t["month_key"] <= last) & ~all_t["resolved"] & ~all_t["excluded"]]
        frame = frame.sort_values(["created", "ticket_id"], kind="stable")
    sh = b.sheet(
        "open",
        f"{SHEETS['open'][0 if ctx.lang == 'zh' else 1]} · {ctx.w('as_of_word')} {datetime.fromtimestamp(ev.as_of, ctx.zone).strftime('%Y-%m-%d %H:%M')}",
        ctx.w("open_note").format(count=len(frame)),
    )
    cols = [
        Col(ctx.w("tcol_ticket_id"), max_width=22),
        Col(ctx.w("tcol_month"), min_width=8),
        Col(ctx.w("priority"), min_width=6),
        Col(ctx.w("tcol_created"), "datetime"),
        Col(ctx.w("responded"), "datetime"),
        Col(ctx.w("measure_response"), min_width=8),
        Col(ctx.w("tcol_resolution"), "dur"),
        Col(ctx.w("tcol_resolution_target"), "dur"),
        Col(ctx.w("measure_resolution"), min_width=8),
        Col(ctx.w("ticket_status"), max_width=14),
        Col(ctx.w("category"), max_width=14),
        Col(ctx.w("team"), max_width=16),
        Col(ctx.w("assignee"), max_width=12),
        Col(ctx.w("customer"), max_width=16),
    ]
    rows: Iterable[Sequence[Any]] = []
    if len(frame):
        times = ctx.ticket_frame(frame)
        rows = zip(
            frame["ticket_id"].astype("object").tolist(),
            [ctx.pname(m) for m in frame["month"].tolist()],
            text_cells(frame["priority"]),
            times["created"],
            times["responded"],
            [V(s, f"status:{s}") for s in frame["response_status"].tolist()],
            frame["resolution_seconds"].to_numpy(dtype="float64") / 86400,
            frame["resolution_target"].to_numpy(dtype="float64") / 86400,
            [V(s, f"status:{s}") for s in frame["resolution_status"].tolist()],
            text_cells(frame["status"]),
            ctx.category(frame),
            text_cells(frame["team"]),
            text_cells(frame["assignee"]),
            text_cells(frame["customer"]),
            strict=True,
        )
    sh.table(cols, rows, main=True, freeze_col=1)
    sh.finish()
