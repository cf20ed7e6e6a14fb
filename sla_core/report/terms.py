"""The Contract terms sheet: the terms in force for the period, as the contract states them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sla_core.i18n import country_name, weekly_hours_text
from sla_core.i18n.pack import SHEETS
from sla_core.report.cells import date_serial, duration_text, target_format
from sla_core.report.context import Context
from sla_core.report.layout import Col, V


def terms(ctx: Context) -> None:
    b, p, ev = ctx.book, ctx.p, ctx.ev
    res = p.result
    terms = res.terms
    c = terms.contract
    sh = b.sheet(
        "terms",
        f"{SHEETS['terms'][0 if ctx.lang == 'zh' else 1]} · {ctx.pname(p.label)}",
        ctx.w("terms_in_force_note").format(since=terms.effective_from.isoformat()),
    )
    pt = terms.penalties
    fee = ctx.money(c.monthly_fee)

    def rate_text(rule: Any) -> str:
        if isinstance(rule, dict):
            return "; ".join(f"{k}: {rate_text(v)}" for k, v in rule.items())
        if hasattr(rule, "amount"):
            return ctx.money(rule.amount)
        return ctx.w("share_of_fee").format(share=Decimal(rule).normalize())

    per_ticket = (
        ctx.w("month_sep").join(
            f"{b.label(k)}{ctx.w('colon')}{rate_text(v)}" for k, v in pt.per_breached_ticket.items()
        )
        if pt.per_breached_ticket
        else ctx.w("none")
    )
    week = weekly_hours_text(
        [[str(i) for i in terms.calendar.hours.for_weekday(n)] for n in range(7)], ctx.lang
    )
    country = country_name(terms.calendar.country, ctx.lang)
    ob = terms.obligations
    sv = terms.surveys
    fb = terms.feedback
    av = terms.availability
    items: list[tuple[str, Any, str]] = [
        (ctx.w("contract"), f"{c.name} ({c.id})" if c.name else c.id, "text"),
        (ctx.w("client"), c.client, "text"),
        (ctx.w("provider"), c.provider, "text"),
        (
            ctx.w("contract_term"),
            f"{c.effective_from.isoformat()} – {c.effective_to.isoformat() if c.effective_to else '…'}",
            "text",
        ),
        (ctx.unagreed("月费", "Monthly fee"), float(c.monthly_fee), "money"),
        (ctx.w("timezone"), c.timezone, "text"),
        (
            ctx.unagreed("工作日历", "Business calendar"),
            (
                ctx.w("public_holidays_of").format(country=country)
                if terms.calendar.country
                else ctx.w("no_public_holidays")
            )
            + ctx.w("weekly_hours").format(week=week),
            "text",
        ),
        (
            ctx.w("no_data_counts_missed"),
            c.no_data_counts_as_missed,
            "bool",
        ),
        (ctx.w("per_breached_ticket"), per_ticket, "text"),
        (
            ctx.w("per_missed_kpi"),
            rate_text(pt.per_missed_kpi) if pt.per_missed_kpi is not None else ctx.w("none"),
            "text",
        ),
        (
            ctx.w("cap"),
            ctx.w("cap_rule").format(share=pt.cap.normalize(), period=b.label(pt.cap_period), fee=fee)
            if pt.cap is not None
            else ctx.w("no_cap"),
            "text",
        ),
        (
            ctx.book.label("improvement_plan"),
            ctx.w("improvement_plan_rule").format(
                months=ob.improvement_plan_after_months, days=ob.improvement_plan_due_days
            ),
            "text",
        ),
        (
            ctx.w("satisfaction_missed_term"),
            ctx.w("satisfaction_rule").format(
                investigation=ob.satisfaction_investigation_workdays,
                findings=ob.satisfaction_findings_workdays,
            ),
            "text",
        ),
        (
            ctx.unagreed("服务商月报", "Provider's monthly report"),
            ctx.w("report_day_rule").format(day=ob.provider_report_day)
            if ob.provider_report_day
            else ctx.w("none"),
            "text",
        ),
        (
            ctx.w("survey_scale"),
            ctx.w("survey_scale_rule").format(
                low=sv.min.normalize(), high=sv.scale.normalize(), satisfied=sv.satisfied_at.normalize()
            ),
            "text",
        ),
        (
            ctx.w("feedback_term"),
            ctx.w("feedback_rule").format(
                categories=ctx.join([b.label(x) for x in fb.categories]),
                acknowledge=duration_text(fb.acknowledge, ctx.lang),
                classify=duration_text(fb.classify, ctx.lang),
                process=duration_text(fb.process, ctx.lang),
                clock=b.w(fb.clock),
            ),
            "text",
        ),
        (
            ctx.unagreed("可用性", "Availability"),
            ctx.w("availability_rule").format(
                notice=duration_text(av.notice, ctx.lang) if av.notice else "—",
                restore=duration_text(av.restore_within, ctx.lang),
            ),
            "text",
        ),
    ]
    sh.pairs(items)
    sh.skip()
    sh.heading(ctx.w("priorities"))
    sh.table(
        [
            Col(ctx.w("priority"), min_width=8),
            Col(ctx.w("labels"), max_width=40),
            Col(ctx.w("col_clock"), min_width=10),
            Col(ctx.w("tcol_response_target"), "dur_hm"),
            Col(ctx.w("tcol_resolution_target"), "dur_hm"),
        ],
        (
            [pr.id, ", ".join(pr.labels), b.w(pr.clock), pr.response / 86400, pr.resolution / 86400]
            for pr in terms.priorities
        ),
        main=False,
    )
    sh.skip()
    sh.heading(ctx.w("tab_kpis"))
    sh.table(
        [
            Col(ctx.w("col_kpi"), max_width=24),
            Col(ctx.w("target"), "text", min_width=10),
        ],
        (
            [
                ctx.kpi_name(kpi),
                V(float(tg.value), "target:" + target_format(tg, ctx.kpi_unit(kpi) or "rate", ctx.lang))
                if (tg := terms.target(kpi))
                else V(ctx.w("shown_only"), "note"),
            ]
            for kpi in ctx.ev.kpi_ids
        ),
    )
    sh.skip()
    sh.heading(ctx.w("versions"))
    in_force = {m.terms.effective_from for m in p.months} | {terms.effective_from}
    sh.table(
        [
            Col(ctx.w("effective_from"), "date"),
            Col(ctx.w("note"), "wrap", max_width=60, min_width=30),
            Col(ctx.w("in_force"), "bool", min_width=8),
        ],
        (
            [
                date_serial(v.effective_from),
                v.note or ctx.w("base_terms"),
                v.effective_from in in_force,
            ]
            for v in ev.contract.versions
        ),
    )
    sh.finish()
