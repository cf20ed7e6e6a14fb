"""What every sheet builder shares: the workbook, the evaluation, the period and its tickets and
obligations, the store's records, and names and words in the report's language."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pandas as pd

from sla_core.consequences import Obligation
from sla_core.evaluate import Evaluation
from sla_core.i18n import CATEGORY_NAMES, Unit, fmt_money
from sla_core.i18n import month_label as period_name
from sla_core.periods import month_label
from sla_core.report.cells import excel_serials
from sla_core.report.layout import BookWriter
from sla_core.report.period import ReportPeriod
from sla_core.report.records import Records


class Context:
    """What every sheet builder reads: the workbook, the evaluation and period, the store's records, and
    the words and names in the report's language."""

    def __init__(
        self,
        book: BookWriter,
        ev: Evaluation,
        p: ReportPeriod,
        records: Records,
        now: datetime,
        with_store: bool,
    ) -> None:
        self.book = book
        self.ev = ev
        self.p = p
        self.rec = records
        self.now = now
        self.with_store = with_store
        self.lang = book.lang
        self.zone = ev.contract.zone
        tickets = ev.tickets
        if tickets.empty:
            self.tickets = tickets
        else:
            self.tickets = tickets.loc[tickets["month_key"].isin(p.keys)]
        self.obligations = self._obligations()

    def w(self, key: str) -> str:
        return self.book.w(key)

    def unagreed(self, zh: str, en: str) -> str:
        """A word the pack says differently from the vocabulary (`sla_core.i18n`), kept here until one
        wording is agreed: moving it there as it is would give one word two translations, and taking
        the vocabulary's would change the pack. Each is named, with its rival, in
        tests/core/test_report_literals.py."""
        return zh if self.lang == "zh" else en

    def kpi_name(self, kpi: str) -> str:
        d = self.ev.find_definition(kpi)  # built-in or the contract's own
        return d.label(self.lang) if d else kpi

    def kpi_unit(self, kpi: str) -> Unit | None:
        d = self.ev.find_definition(kpi)
        return d.unit if d else None

    def pname(self, label: str) -> str:
        return period_name(label, self.lang)

    def money(self, amount: Decimal | float) -> str:
        return fmt_money(amount, self.ev.contract.base.contract.currency, self.lang)

    def period_title(self) -> str:
        kind = self.w("quarterly" if self.p.quarterly else "monthly")
        return f"{kind} · {self.pname(self.p.label)}"

    def subtitle(self) -> str:
        c = self.ev.contract.base.contract
        return f"{c.name or c.id} · {self.pname(self.p.label)}"

    def _obligations(self) -> list[Obligation]:
        """Obligations raised in the period, and earlier ones still open at as_of."""
        labels = self.p.month_labels
        last = month_label(self.p.keys[-1])
        return [
            o
            for o in self.ev.obligations
            if set(o.months) & labels or (o.status != "done" and min(o.months) <= last)
        ]

    def join(self, names: list[str]) -> str:
        return self.w("kpi_sep").join(names)

    def obligation_kpis(self, o: Obligation) -> str:
        if not o.kpi:
            return ""
        return self.join([self.kpi_name(k) for k in o.kpi.split(",")])

    def ticket_frame(self, t: pd.DataFrame) -> dict[str, Any]:
        """Columns shared by the ticket sheets, vectorised."""
        return {
            "created": excel_serials(t["created"].to_numpy(dtype="float64"), self.zone),
            "responded": excel_serials(t["response_end"].to_numpy(dtype="float64"), self.zone),
            "resolved": excel_serials(t["resolved_time"].to_numpy(dtype="float64"), self.zone),
        }

    def category(self, t: pd.DataFrame) -> list[Any]:
        canon = t["category"].astype("object").where(t["category"].notna(), None).tolist()
        raw = (
            t["category_raw"].astype("object").where(t["category_raw"].notna(), None).tolist()
            if "category_raw" in t
            else canon
        )
        out = []
        for c, r in zip(canon, raw, strict=True):
            if c in CATEGORY_NAMES:
                out.append(self.book.label(c))
            else:
                out.append(r if r is not None else c)
        return out
