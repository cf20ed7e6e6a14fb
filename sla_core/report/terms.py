"""The Contract terms sheet: the terms in force for the period, as the contract states them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sla_core.i18n.pack import SHEETS
from sla_core.report.cells import date_serial, duration_text, target_format
from sla_core.report.context import Context
from sla_core.report.xlsx import Col, Sheet, V


def terms(ctx: Context) -> None:
    b, p, ev = ctx.book, ctx.p, ctx.ev
    res = p.result
    terms = res.terms
    c = terms.contract
    sh = Sheet(
        b,
        "terms",
        f"{SHEETS['terms'][0 if ctx.lang == 'zh' else 1]} · {ctx.pname(p.label)}",
        ctx.t(
            f"本期按 {terms.effective_from.isoformat()} 起生效的条款评判（每月按其第一天有效的条款）。",
            f"The period is judged by the terms in force from {terms.effective_from.isoformat()} "
            "(each month by the terms in force on its first day).",
        ),
    )
    pt = terms.penalties
    fee = ctx.money(c.monthly_fee)

    def rate_text(rule: Any) -> str:
        if isinstance(rule, dict):
            return "; ".join(f"{k}: {rate_text(v)}" for k, v in rule.items())
        if hasattr(rule, "amount"):
            return ctx.money(rule.amount)
        return ctx.t(
            f"月费的 {Decimal(rule).normalize():f}%", f"{Decimal(rule).normalize():f}% of the monthly fee"
        )

    per_ticket = (
        "; ".join(f"{b.label(k)}: {rate_text(v)}" for k, v in pt.per_breached_ticket.items())
        if pt.per_breached_ticket
        else ctx.t("无", "none")
    )
    week = ", ".join(
        f"{d}: {' '.join(str(i) for i in terms.calendar.hours.for_weekday(n))}"
        for n, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
        if terms.calendar.hours.for_weekday(n)
    )
    ob = terms.obligations
    sv = terms.surveys
    fb = terms.feedback
    av = terms.availability
    items: list[tuple[str, Any, str]] = [
        (ctx.w("contract"), f"{c.name} ({c.id})" if c.name else c.id, "text"),
        (ctx.w("client"), c.client, "text"),
        (ctx.w("provider"), c.provider, "text"),
        (
            ctx.t("合同期", "Contract term"),
            f"{c.effective_from.isoformat()} – {c.effective_to.isoformat() if c.effective_to else '…'}",
            "text",
        ),
        (ctx.t("月费", "Monthly fee"), float(c.monthly_fee), "money"),
        (ctx.t("时区", "Time zone"), c.timezone, "text"),
        (
            ctx.t("工作日历", "Business calendar"),
            ctx.t(
                f"国家 {terms.calendar.country or '无'}（法定节假日与调休）；每周：{week}",
                f"country {terms.calendar.country or 'none'} (public holidays and make-up workdays); weekly: {week}",
            ),
            "text",
        ),
        (
            ctx.t("无数据视为未达标", "Missing data counts as missed"),
            c.no_data_counts_as_missed,
            "bool",
        ),
        (ctx.t("每张超时工单", "Per breached ticket"), per_ticket, "text"),
        (
            ctx.t("每项未达标指标", "Per missed KPI"),
            rate_text(pt.per_missed_kpi) if pt.per_missed_kpi is not None else ctx.t("无", "none"),
            "text",
        ),
        (
            ctx.w("cap"),
            ctx.t(
                f"月费的 {pt.cap.normalize():f}%，按{b.label(pt.cap_period)}累计（月费 {fee}）",
                f"{pt.cap.normalize():f}% of the monthly fee per {b.label(pt.cap_period)} (fee {fee})",
            )
            if pt.cap is not None
            else ctx.t("无上限", "no cap"),
            "text",
        ),
        (
            ctx.t("改进计划", "Improvement plan"),
            ctx.t(
                f"同一指标连续 {ob.improvement_plan_after_months} 个月未达标，须在该月结束后 {ob.improvement_plan_due_days} 天内提交",
                f"after {ob.improvement_plan_after_months} consecutive missed months of a KPI, due "
                f"{ob.improvement_plan_due_days} days after the month",
            ),
            "text",
        ),
        (
            ctx.t("满意度未达标", "Satisfaction missed"),
            ctx.t(
                f"月末后第 {ob.satisfaction_investigation_workdays} 个工作日前启动调查，第 {ob.satisfaction_findings_workdays} 个工作日前提交结论",
                f"investigation by working day {ob.satisfaction_investigation_workdays}, findings by working "
                f"day {ob.satisfaction_findings_workdays} after the month",
            ),
            "text",
        ),
        (
            ctx.t("服务商月报", "Provider's monthly report"),
            ctx.t(
                f"次月 {ob.provider_report_day} 日前",
                f"by day {ob.provider_report_day} of the next month",
            )
            if ob.provider_report_day
            else ctx.t("无", "none"),
            "text",
        ),
        (
            ctx.t("满意度量表", "Survey scale"),
            ctx.t(
                f"{sv.min.normalize():f}–{sv.scale.normalize():f} 分，≥ {sv.satisfied_at.normalize():f} 分为满意",
                f"{sv.min.normalize():f}–{sv.scale.normalize():f}, satisfied at ≥ {sv.satisfied_at.normalize():f}",
            ),
            "text",
        ),
        (
            ctx.t("投诉/反馈处理", "Complaint and feedback handling"),
            ctx.t(
                f"{'、'.join(b.label(x) for x in fb.categories)}：{duration_text(fb.acknowledge, ctx.lang)} 内受理，{duration_text(fb.classify, ctx.lang)} 内分类，{duration_text(fb.process, ctx.lang)} 内处理（{b.w(fb.clock)}）",
                f"{', '.join(b.label(x) for x in fb.categories)}: acknowledged within {duration_text(fb.acknowledge, ctx.lang)}, "
                f"classified within {duration_text(fb.classify, ctx.lang)}, processed within {duration_text(fb.process, ctx.lang)} ({b.w(fb.clock)})",
            ),
            "text",
        ),
        (
            ctx.t("可用性", "Availability"),
            ctx.t(
                f"计划停机须提前 {duration_text(av.notice, ctx.lang) if av.notice else '—'} 通知；故障须在 {duration_text(av.restore_within, ctx.lang)} 内恢复",
                f"maintenance announced {duration_text(av.notice, ctx.lang) if av.notice else '—'} ahead counts as planned; "
                f"restore within {duration_text(av.restore_within, ctx.lang)}",
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
            Col("ID", max_width=28),
            Col(ctx.w("target"), "text", min_width=10),
        ],
        (
            [
                ctx.kpi_name(kpi),
                kpi,
                V(float(tg.value), "target:" + target_format(tg, ctx.kpi_unit(kpi) or "rate", ctx.lang))
                if (tg := terms.target(kpi))
                else V(ctx.t("仅展示", "shown only"), "note"),
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
