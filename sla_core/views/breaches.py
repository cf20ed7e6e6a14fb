"""The Breaches & actions screen: a period's penalty items, the misses actions answer, month closes and
what changed since, the provider's reported values reconciled with the computed ones; and the rules of
its forms (which months may close, what an action answers, whether a request may be recorded, which
survey responses may be excluded)."""

from __future__ import annotations

import json

import pandas as pd

from sla_core.contract import KPI_IDS
from sla_core.evaluate import Evaluation
from sla_core.i18n import Unit, fmt_money, fmt_value, month_label, status_label, word
from sla_core.views.common import _delta
from sla_core.views.satisfaction import flag_text


def penalty_items(evaluation: Evaluation, label: str, lang: str) -> pd.DataFrame:
    result = evaluation.period(label)
    if result is None:
        return pd.DataFrame(columns=["kind", "ref", "target", "amount"])
    kinds = {kind: word(f"penalty_{kind}", lang) for kind in ("breached_ticket", "missed_kpi")}
    targets = {
        "response": word("penalty_target_response", lang),
        # lower case like its neighbours mid-table ("Temporary fix" heads the KPI page's ticket share)
        "workaround": word("kpi_share_workaround", lang).lower(),
        "resolution": word("penalty_target_resolution", lang),
    }
    rows = [
        {
            "kind": kinds.get(i.kind, i.kind),
            "ref": d.label(lang)
            if i.kind == "missed_kpi" and (d := evaluation.find_definition(i.ref))
            else i.ref,
            "target": targets.get(i.target or "", ""),
            "amount": float(i.amount),
        }
        for i in result.penalty.items
    ]
    return pd.DataFrame(rows, columns=["kind", "ref", "target", "amount"])


def misses(evaluation: Evaluation) -> list[tuple[str, str]]:
    """(month, kpi) of every judged miss, for linking improvement actions."""
    return [(m.label, v.kpi) for m in evaluation.months for v in m.verdicts if v.status == "missed"]


def closed_table(evaluation: Evaluation, lang: str) -> pd.DataFrame:
    rows = []
    for month, diffs in evaluation.closed_differences.items():
        if not diffs:
            rows.append(
                {
                    "month": month_label(month, lang),
                    "item": "—",
                    "settled": "",
                    "now": "",
                    "note": word("closed_matches_now", lang),
                }
            )
        for d in diffs:
            item = str(d["item"])
            found = evaluation.find_definition(item)
            unit = found.unit if found else None
            currency = evaluation.contract.base.contract.currency

            def fmt(x: float | None, unit: Unit | None = unit, currency: str = currency) -> str:
                if unit:
                    return fmt_value(x, unit, lang)
                return fmt_money(x, currency, lang) if x is not None else "—"

            rows.append(
                {
                    "month": month_label(month, lang),
                    "item": found.label(lang) if found else word("penalty", lang),
                    "settled": fmt(d["settled"]),
                    "now": fmt(d["now"]),
                    "note": (
                        f"{status_label(str(d['settled_status']), lang)} → {status_label(str(d['now_status']), lang)}"
                        if d["settled_status"]
                        else ""
                    ),
                }
            )
    return pd.DataFrame(rows, columns=["month", "item", "settled", "now", "note"])


def _difference(diff: float, unit: str, lang: str) -> str:
    """The provider's figure less ours in the KPI's units: '+0.31 pp' (rates to a hundredth of a
    point, as the pack shows them), '+2.0 min', '0' when they agree."""
    if diff == 0:
        return "0"
    if unit == "rate":
        return f"{diff * 100:+.2f} 个百分点" if lang == "zh" else f"{diff * 100:+.2f} pp"
    return _delta(diff, unit, lang)


def reconciliation_table(evaluation: Evaluation, lang: str) -> pd.DataFrame:
    rec = evaluation.reconciliation
    rows = []
    for _, r in rec.iterrows():
        kpi = str(r["kpi"])
        found = evaluation.find_definition(kpi)
        unit = found.unit if found else "score"
        rows.append(
            {
                "month": month_label(str(r["month"]), lang),
                "kpi": found.label(lang) if found else kpi,
                "provider": fmt_value(r["provider_value"], unit, lang),
                "computed": fmt_value(
                    None if pd.isna(r["computed_value"]) else r["computed_value"], unit, lang
                ),
                "difference": ""
                if pd.isna(r["difference"])
                else _difference(float(r["difference"]), unit, lang),
                "flagged": bool(r["flagged"]),
            }
        )
    return pd.DataFrame(rows, columns=["month", "kpi", "provider", "computed", "difference", "flagged"])


# what the screen's forms decide: which months may close, what an action answers, whether a request
# may be recorded, which responses may be excluded

ActionLink = tuple[str, str]  # (link kind, reference): ("obligation", id) or ("miss", "kpi:YYYY-MM")


def closable_months(evaluation: Evaluation) -> list[str]:
    """Months that may be closed: judged, final (ended with no pending ticket) and not closed yet."""
    return [m.label for m in evaluation.months if m.final and not m.closed and m.judged]


def settled_json(evaluation: Evaluation, month: str) -> str:
    """What closing `month` settles: its result as JSON (the figures later imports are compared with)."""
    result = evaluation.month(month)
    if result is None:
        raise KeyError(month)
    return json.dumps(result.to_json(), ensure_ascii=False)


def action_links(evaluation: Evaluation) -> list[ActionLink]:
    """What an improvement action may answer: an obligation (other than a provider's report) or a miss."""
    links: list[ActionLink] = [
        ("obligation", o.id) for o in evaluation.obligations if o.kind != "provider_report"
    ]
    return links + [("miss", f"{kpi}:{month}") for month, kpi in misses(evaluation)]


def link_target(evaluation: Evaluation, link: ActionLink | None) -> tuple[str | None, list[str]]:
    """The KPI and months an action answering `link` is about (None and [] for none or an unknown one)."""
    if link is None:
        return None, []
    kind, ref = link
    if kind == "miss":
        kpi, month = ref.split(":")
        return kpi, [month]
    o = next((o for o in evaluation.obligations if o.id == ref), None)
    if o is None:
        return None, []
    return (o.kpi if o.kpi in KPI_IDS else None), list(o.months)


def exemption_problem(
    evaluation: Evaluation, ticket: str, kind: str, new_priority: str | None, reason: str, lang: str
) -> str | None:
    """Why an exemption or regrade request cannot be recorded, in words; None when it can: the ticket and
    a reason are required, the ticket must be in the data, a regrade needs its new priority."""
    if not ticket.strip() or not reason.strip():
        return word("exemption_required", lang)
    tickets = evaluation.tickets
    if tickets.empty or not tickets["ticket_id"].eq(ticket.strip()).any():
        return word("unknown_ticket", lang).format(ticket=ticket)
    if kind == "regrade" and not new_priority:
        return word("regrade_needs_priority", lang)
    return None


def excludable_responses(evaluation: Evaluation, lang: str) -> dict[str, str]:
    """Flagged survey responses not yet excluded: response id → its id, score and why it is flagged
    (an id alone says nothing), in the file's order."""
    responses = evaluation.responses
    if responses.empty:
        return {}
    flagged = responses.loc[(responses["flags"].fillna("") != "") & ~responses["excluded"]]
    if flagged.empty:
        return {}
    ids = flagged["response_id"].astype(str)
    flags = flagged["flags"].astype(str)
    reasons = flags.map({f: flag_text(f, lang) for f in flags.unique()})  # named once per distinct set
    scores = flagged["score"].map("{:g}".format)
    return dict(zip(ids, ids + " · " + scores + " · " + reasons, strict=True))
