"""The demo data as a Chinese helpdesk would export it (or with canonical English headers): the
export frames, and the xlsx or csv files written from them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from sla_core.contract import parse_contract
from sla_core.dataset import DERIVED, DIMENSION_PREFIX, SCHEMA
from sla_core.demo.base import DemoData
from sla_core.demo.plan import DIMENSIONS, PRIORITIES, PRIORITY_ZH, STATE_ZH

TICKET_HEADERS_ZH = {
    "ticket_id": "工单号",
    "created_at": "创建时间",
    "priority": "优先级",
    "first_response_at": "首次响应时间",
    "workaround_at": "临时解决时间",
    "resolved_at": "解决时间",
    "closed_at": "关闭时间",
    "status": "状态",
    "category": "类别",
    "channel": "渠道",
    "customer": "客户",
    "team": "处理组",
    "assignee": "处理人",
    "reopened_count": "重开次数",
    "first_contact_resolved": "一次解决",
    "classified_at": "分类时间",
    "paused_minutes": "挂起分钟数",
    "suggestion_adopted": "建议采纳",
    "excluded": None,  # zh exports carry only the reason
    "exclusion_reason": "免责原因",
}
SURVEY_HEADERS_ZH = {
    "response_id": "回访编号",
    "ticket_id": "工单号",
    "submitted_at": "提交时间",
    "score": "总体满意度",
    **{DIMENSION_PREFIX + d: d for d in DIMENSIONS},
    "respondent": "受访人",
    "channel": "渠道",
    "team": "处理组",
    "comment": "评价",
    "duration_seconds": "答题时长(秒)",
}
OUTAGE_HEADERS_ZH = {
    "service": "服务",
    "start": "开始时间",
    "end": "结束时间",
    "planned": "计划内",
    "announced_at": "通知时间",
    "severity": "级别",
    "cause": "原因",
    "description": "描述",
}
MEASURE_HEADERS_ZH = {"month": "月份", "kpi": "指标", "value": "数值", "source": "来源", "note": "备注"}
SHEETS = {
    "tickets": ("工单", "tickets"),
    "surveys": ("满意度调查", "surveys"),
    "outages": ("故障停机", "outages"),
    "measures": ("其他指标", "measures"),
}


def _local_text(series: pd.Series, zone: str) -> pd.Series:
    """UTC instants → naive local 'YYYY-MM-DD HH:MM:SS' text (blank stays blank)."""
    local = series.dt.tz_convert(zone).dt.tz_localize(None).to_numpy(dtype="datetime64[s]")
    text = pd.Series(np.datetime_as_string(local, unit="s"), dtype="string").str.replace(
        "T", " ", regex=False
    )
    return text.mask(series.isna().to_numpy())


def _bool_text(series: pd.Series, lang: str, blank: np.ndarray | None = None) -> pd.Series:
    yes, no = ("是", "否") if lang == "zh" else ("true", "false")
    out = pd.Series(np.where(series.to_numpy(dtype=bool), yes, no), dtype="string")
    return out if blank is None else out.mask(blank)


def _integral(series: pd.Series) -> pd.Series:
    return series.round().astype("Int64")


def export_frames(data: DemoData, lang: str = "zh") -> dict[str, pd.DataFrame]:
    """The four files as a helpdesk exports them: Chinese headers and values, or canonical English ones."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
    contract = parse_contract(data.contract_text)[0]
    zone = contract.base.contract.timezone if contract else "Asia/Shanghai"
    zh = lang == "zh"

    t = data.tickets.reset_index(drop=True)
    out_t = pd.DataFrame(index=t.index)
    done = t["resolved_at"].isna().to_numpy()
    for col in SCHEMA["tickets"]:
        if col == "category_raw" or col in DERIVED or (zh and col == "excluded"):
            continue
        s = t[col]
        if col == "priority" and zh:
            s = s.map(dict(zip(PRIORITIES, PRIORITY_ZH, strict=True))).astype("string")
        elif col == "status" and zh:
            s = s.map(STATE_ZH).astype("string")
        elif col == "category":
            s = t["category_raw"] if zh else s
        elif col == "first_contact_resolved":
            s = _bool_text(s, lang, done)
        elif col == "suggestion_adopted":
            s = _bool_text(s, lang, (t["category"] != "suggestion").to_numpy())
        elif col == "excluded":
            s = _bool_text(s, lang)
        elif col == "paused_minutes":
            s = _integral(s)
        elif SCHEMA["tickets"][col].startswith("datetime"):
            s = _local_text(s, zone)
        out_t[TICKET_HEADERS_ZH[col] if zh else col] = s

    sv = data.surveys.reset_index(drop=True)
    out_s = pd.DataFrame(index=sv.index)
    for col in SURVEY_HEADERS_ZH:
        s = sv[col]
        if col == "submitted_at":
            s = _local_text(s, zone)
        elif col in ("score", "duration_seconds") or col.startswith(DIMENSION_PREFIX):
            s = _integral(s)
        header = SURVEY_HEADERS_ZH[col] if zh else col.removeprefix(DIMENSION_PREFIX)
        out_s[header] = s

    o = data.outages.reset_index(drop=True)
    out_o = pd.DataFrame(index=o.index)
    for col, header in OUTAGE_HEADERS_ZH.items():
        s = o[col]
        if col == "planned":
            s = _bool_text(s, lang)
        elif SCHEMA["outages"][col].startswith("datetime"):
            s = _local_text(s, zone)
        out_o[header if zh else col] = s

    me = data.measures.reset_index(drop=True)
    out_m = pd.DataFrame({(MEASURE_HEADERS_ZH[c] if zh else c): me[c] for c in MEASURE_HEADERS_ZH})
    return {"tickets": out_t, "surveys": out_s, "outages": out_o, "measures": out_m}


def _write_xlsx(frame: pd.DataFrame, path: Path, sheet: str) -> None:
    import xlsxwriter  # only here: the computing core never needs it

    options = {
        # constant_memory keeps one row in memory but writes inline strings, which is slower here than
        # the shared-string table; use it only when the sheet is large
        "constant_memory": len(frame) > 100_000,
        "strings_to_formulas": False,  # text starting with = + - @ stays text
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    with xlsxwriter.Workbook(str(path), options) as book:
        ws = book.add_worksheet(sheet)
        ws.write_row(0, 0, list(frame.columns))
        columns = [
            [
                None if v is pd.NA or v is None or (isinstance(v, float) and v != v) else v
                for v in frame[c].tolist()
            ]
            for c in frame.columns
        ]
        for r, row in enumerate(zip(*columns, strict=True), start=1):
            ws.write_row(r, 0, row)


def _write_csv(frame: pd.DataFrame, path: Path, bom: bool) -> None:
    """Arrow's CSV writer: a million rows in a few seconds; blanks are empty fields."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    with path.open("wb") as sink:
        if bom:
            sink.write(b"\xef\xbb\xbf")
        pa_csv.write_csv(table, sink, pa_csv.WriteOptions(quoting_style="needed"))


def write_files(data: DemoData, out_dir: Path, *, lang: str = "zh", fmt: str = "xlsx") -> dict[str, Path]:
    """Write contract.toml and tickets/surveys/outages/measures as .xlsx or .csv; return name → path.

    lang="zh": Chinese headers and values (优先级 紧急/重要/一般, 状态 已关闭…, 是/否), as a Chinese helpdesk
    exports them. lang="en": the canonical column names and values (P1, closed, complaint, true/false),
    dimension columns under their own names. Times are naive local "YYYY-MM-DD HH:MM:SS" in the
    contract's zone. CSV is UTF-8 (with a BOM for lang="zh", as Excel-minded tools write it).
    """
    if fmt not in ("xlsx", "csv"):
        raise ValueError(f"fmt must be 'xlsx' or 'csv', got {fmt!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {"contract": out_dir / "contract.toml"}
    paths["contract"].write_text(data.contract_text, encoding="utf-8")
    for kind, frame in export_frames(data, lang).items():
        path = out_dir / f"{kind}.{fmt}"
        if fmt == "csv":
            _write_csv(frame, path, bom=lang == "zh")
        else:
            _write_xlsx(frame, path, SHEETS[kind][0 if lang == "zh" else 1])
        paths[kind] = path
    paths["exclusions"] = _write_exclusions(data, out_dir / "exclusions.csv")
    return paths


def _write_exclusions(data: DemoData, path: Path) -> Path:
    """The exclusions the client agreed (doc 003: both parties): one row per ticket the provider's
    export excludes — what `evaluate --exclusions` takes under provider_exclusions = "request"."""
    t = data.tickets
    agreed = t.loc[t["exclusion_reason"].notna(), ["ticket_id", "exclusion_reason"]]
    client = parse_contract(data.contract_text)[0]
    by = client.base.contract.client if client is not None else ""
    frame = pd.DataFrame({"ticket_id": agreed["ticket_id"], "by": by, "reason": agreed["exclusion_reason"]})
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def canonical_files(data: DemoData, out_dir: Path, *, fmt: str = "csv") -> dict[str, Path]:
    """The files with canonical headers (what `python -m sla_core evaluate` reads most directly)."""
    return write_files(data, out_dir, lang="en", fmt=fmt)
