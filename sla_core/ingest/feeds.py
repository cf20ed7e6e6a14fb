"""Which KPIs a file cannot feed, said before anything is stored (spec "Rule (periods and rates)"):
"this file has no first-response column: 首次响应达标率 will show no data"."""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd

from sla_core.contract import KPI_IDS
from sla_core.dataset import Dataset
from sla_core.i18n import KPIS
from sla_core.ingest.synonyms import COLUMN_LABELS
from sla_core.kpis import source_presence
from sla_core.problems import Issue, warning


def unfed_kpis(
    kind: str, columns: frozenset[str], kpi_ids: Collection[str] = KPI_IDS
) -> dict[str, list[str]]:
    """Missing column → the KPIs of the contract's table (`kpi_ids`) fed by files of `kind` that it
    leaves without data (table order): a workaround column is missed only where targets name it."""
    if kind not in ("tickets", "surveys"):
        return {}
    data = Dataset(columns={kind: columns})
    setattr(data, kind, pd.DataFrame())
    out: dict[str, list[str]] = {}
    for kpi, why in source_presence(data).items():
        if kpi not in kpi_ids or why is None or not why.startswith("no_column:") or KPIS[kpi].source != kind:
            continue
        if kind == "surveys" and kpi != "survey_response_rate":
            continue
        out.setdefault(why.split(":", 1)[1], []).append(kpi)
    return out


def unfed_issues(missing: dict[str, list[str]], file: str | None) -> list[Issue]:
    """One warning per missing column, naming the KPIs it leaves without data (for the command line;
    the Upload page shows them as a list of their own)."""
    issues = []
    for column, kpis in missing.items():
        zh_col, en_col = COLUMN_LABELS.get(column, (column, column))
        zh_kpis = "、".join(KPIS[k].zh for k in kpis)
        en_kpis = ", ".join(KPIS[k].en for k in kpis)
        issues.append(
            warning(
                "ingest.kpi_no_data",
                f"文件没有「{zh_col}」列（{column}）：{zh_kpis} 将显示无数据",
                f"this file has no {en_col} column ({column}): {en_kpis} will show no data",
                file=file,
                column=column,
                value=", ".join(kpis),
            )
        )
    return issues
