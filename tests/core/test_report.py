"""The Excel exports: monthly report and quarterly pack, opened back with openpyxl.

Checked against `evaluate`: the scorecard's values, statuses, numerators and denominators; the status
fills (the product palette); the Trends sheet's native line charts and their series; breached tickets,
penalties, obligations; text beginning with = + - @ stays text; the store-backed sheets; the CLI.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.chart import LineChart

from sla_core import store as st
from sla_core import workspace
from sla_core.access import LOCAL, Guard, Principal
from sla_core.charts import STATUS_COLORS
from sla_core.cli import main
from sla_core.contract import KPI_IDS
from sla_core.demo import demo_contract, generate
from sla_core.evaluate import Evaluation, evaluate
from sla_core.i18n import KPIS, status_label
from sla_core.periods import month_key
from sla_core.problems import error
from sla_core.report import TREND_KPIS, ReportError, build_report, report_filename, write_report

SHEETS_EN = [
    "Summary",
    "KPI scorecard",
    "Trends",
    "Breached tickets",
    "Open tickets",
    "Outages",
    "Penalties",
    "Obligations & actions",
    "Exemptions",
    "Reconciliation",
    "Survey flags",
    "Data quality",
    "Contract terms",
    "Audit log",
]
SHEETS_ZH = [
    "概要",
    "指标记分卡",
    "趋势",
    "超时工单",
    "未解决工单",
    "故障停机",
    "违约金",
    "义务与改进措施",
    "免责与调级",
    "数据核对",
    "问卷标记",
    "数据质量",
    "合同条款",
    "审计日志",
]
Q2 = ("2026-04", "2026-05", "2026-06")
INJECTED = '=HYPERLINK("http://example.com/x","click me")'
STAMP = datetime(2026, 11, 3, 9, 0)


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def demo_ev() -> Evaluation:
    """The demo year evaluated from files (no store), with text that looks like formulas planted."""
    demo = generate()
    data = demo.dataset()
    surveys = data.surveys.copy()
    flagged_first = surveys.index[
        surveys["ticket_id"].duplicated(keep="first") & surveys["ticket_id"].notna()
    ]
    submitted = surveys["submitted_at"]
    in_q2 = flagged_first[
        (submitted.loc[flagged_first].dt.tz_convert("Asia/Shanghai").dt.strftime("%Y-%m").isin(Q2)).to_numpy()
    ]
    surveys.loc[in_q2[0], "comment"] = INJECTED
    data.surveys = surveys
    tickets = data.tickets.copy()
    data.tickets = tickets
    ev0 = evaluate(demo_contract(), data, as_of=demo.as_of.timestamp())
    t = ev0.tickets
    breached = t.loc[t["month"].isin(Q2) & (t["resolution_status"] == "breached"), "ticket_id"].tolist()
    rows = tickets.index[tickets["ticket_id"].isin(breached[:3])]
    tickets.loc[rows[0], "assignee"] = "+1-1"
    tickets.loc[rows[1], "assignee"] = "@SUM(A1:A2)"
    tickets.loc[rows[2], "assignee"] = "-2+3"
    data.tickets = tickets
    return evaluate(demo_contract(), data, as_of=demo.as_of.timestamp())


@pytest.fixture(scope="module")
def q2_en(demo_ev: Evaluation) -> bytes:
    return build_report(demo_ev, "2026Q2", "en", generated_at=STAMP)


@pytest.fixture(scope="module")
def q2_book(q2_en: bytes):
    return load_workbook(io.BytesIO(q2_en))


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory):
    """The demo in a store, with an action (and its history), an approved exemption, a survey
    exclusion, a batch with skipped rows and a closed month."""
    path = tmp_path_factory.mktemp("report") / "t.duckdb"
    store = workspace.open_workspace(path)
    cid = workspace.load_demo(store)
    snap = workspace.snapshot(store, cid)
    ev = snap.evaluation
    action = st.add_action(
        store,
        cid,
        cause="=1+1 培训不足",
        measure="@全员培训",
        owner="张三",
        user="qm",
        kpi="first_contact_resolution",
        months=["2026-03", "2026-04", "2026-05"],
        link_kind="obligation",
        link_ref="improvement_plan:first_contact_resolution:2026-05",
    )
    st.update_action(store, cid, action.action_id, "qm", status="in_progress", owner="李四")
    t = ev.tickets
    ticket = t.loc[(t["month"] == "2026-05") & (t["response_status"] == "breached"), "ticket_id"].iloc[0]
    exemption = st.request_exemption(store, cid, str(ticket), "exempt", "客户现场断电", "provider")
    st.decide_exemption(store, cid, exemption.exemption_id, "approved", "client", "双方确认")
    r = ev.responses
    response = r.loc[r["month_key"] == month_key("2026-06"), "response_id"].iloc[0]
    st.exclude_survey(store, cid, str(response), "测试评价", "qm")
    measures = snap.data.measures.iloc[:1]
    st.import_frame(
        store,
        cid,
        "measures",
        measures,
        file_name="measures-july.xlsx",
        sha256="skipped-rows-test",
        columns_present=["month", "kpi", "value", "source", "note"],
        user="qm",
        skipped=[
            error(
                "value.not_a_number",
                "值不是数字",
                "the value is not a number",
                row=7,
                column="值",
                value="=A1",
            )
        ],
    )
    snap = workspace.snapshot(store, cid)
    april = snap.evaluation.month("2026-04")
    st.close_month(store, cid, "2026-04", json.dumps(april.to_json()), snap.version, "qm")
    # after the close, April's one response timeout is exempted: the settled penalty stands
    late = t.loc[(t["month"] == "2026-04") & (t["response_status"] == "breached"), "ticket_id"].iloc[0]
    exemption = st.request_exemption(store, cid, str(late), "exempt", "事后补充证明", "provider")
    st.decide_exemption(store, cid, exemption.exemption_id, "approved", "client", "同意")
    return store, cid, workspace.snapshot(store, cid), action.action_id, str(ticket), str(response)


# ---------------------------------------------------------------- helpers


def find_row(ws, text: str, col: int = 1, start: int = 1) -> int:
    for (cell,) in ws.iter_rows(min_row=start, min_col=col, max_col=col):
        if cell.value == text:
            return cell.row
    raise AssertionError(f"{text!r} not found in column {col} of {ws.title}")


def table(ws, first_header: str, start: int = 1) -> tuple[dict[str, int], list[list]]:
    """The table whose header row starts with `first_header`: header → column, rows of cells."""
    r = find_row(ws, first_header, start=start)
    headers = {}
    for cell in ws[r]:
        if cell.value is not None and cell.value not in headers:
            headers[cell.value] = cell.column
    rows = []
    for row in ws.iter_rows(min_row=r + 1):
        if row[0].value is None and all(c.value is None for c in row[:4]):
            break
        rows.append(list(row))
    return headers, rows


def days(value) -> float:
    """A duration cell as openpyxl reads it ([h]:mm:ss comes back as a timedelta) → days."""
    return value.total_seconds() / 86400 if isinstance(value, timedelta) else float(value)


def fill(cell) -> str:
    return str(cell.fill.fgColor.rgb)[-6:].lower()


def color(status: str) -> str:
    return STATUS_COLORS[status].lstrip("#").lower()


# ---------------------------------------------------------------- sheets and layout


def test_sheets_in_order_and_language(q2_book, demo_ev):
    assert q2_book.sheetnames == SHEETS_EN
    zh = load_workbook(io.BytesIO(build_report(demo_ev, "2026Q2", "zh")))
    assert zh.sheetnames == SHEETS_ZH
    summary = zh["概要"]
    assert summary["A1"].value == "季度评审报告 · 2026年第2季度"
    assert summary["A1"].font.name == "Microsoft YaHei"
    headers, rows = table(zh["指标记分卡"], "指标")
    # the contract's table: the spec's KPIs with the workaround KPI after resolution, then its own two
    assert [r[0].value for r in rows[::2]] == [demo_ev.definition(k).zh for k in demo_ev.kpi_ids]
    assert [r[0].value for r in rows[::2]][-2:] == ["在线客服2分钟响应率", "数据准确率"]


def test_every_table_sheet_frozen_filtered_and_printable(q2_book):
    for name in SHEETS_EN:
        ws = q2_book[name]
        assert ws.freeze_panes is not None, name
        assert ws.page_setup.orientation == "landscape", name
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert ws.page_setup.fitToWidth in (None, 1), name  # 1 is the default, left out
        assert ws.page_setup.paperSize == 9, name
        if name not in ("Summary", "Contract terms"):
            assert ws.auto_filter.ref, name
            assert ws.print_title_rows or name == "Trends", name
    # the scorecard prints on one page; the trends table's header is not repeated over the charts
    assert q2_book["KPI scorecard"].page_setup.fitToHeight in (None, 1)
    assert q2_book["Breached tickets"].page_setup.fitToHeight == 0
    assert q2_book["Breached tickets"].print_title_rows == "$4:$4"


def test_no_formulas_anywhere(q2_en):
    with zipfile.ZipFile(io.BytesIO(q2_en)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name


# ---------------------------------------------------------------- Summary and scorecard


def test_summary_states_the_verdict(q2_book, demo_ev):
    ws = q2_book["Summary"]
    q = demo_ev.quarter("2026Q2")
    row = find_row(ws, "Overall verdict")
    met = sum(v.status == "met" for v in q.verdicts)
    missed = sum(v.status == "missed" for v in q.verdicts)
    sentence = ws.cell(row, 2).value
    # counted by hand: the demo contract's table has 20 KPIs (the spec's 17, workaround_within_target —
    # its conditional targets name the workaround — and its own chat_reply_2m and data_accuracy); 3 not
    # judged: reopen_rate, survey_response_rate and mttr_minutes have no target
    assert sentence.startswith(f"{met} of 20 KPIs met; {missed} missed; 3 without data or not judged")
    assert "penalty ¥100,000.00 (capped, final)" in sentence
    # by hand: reopen_rate, survey_response_rate and mttr_minutes have no target in the demo contract
    assert "; 3 without data or not judged;" in sentence
    penalty = ws.cell(find_row(ws, "Penalty"), 2)
    assert penalty.value == 100000.0 and "¥" in penalty.number_format
    assert ws.cell(find_row(ws, "Open obligations"), 2).value == sum(
        1 for o in demo_ev.obligations if o.status != "done" and min(o.months) <= "2026-06"
    )
    headers, rows = table(ws, "KPI")
    assert len(rows) >= len(demo_ev.kpi_ids)
    for kpi, r in zip(demo_ev.kpi_ids, rows, strict=False):
        v = q.verdict(kpi)
        assert r[0].value == demo_ev.definition(kpi).en
        assert r[headers["Explanation"] - 1].value == v.en
        assert r[headers["Status"] - 1].value == status_label(v.status, "en")
        assert fill(r[headers["Status"] - 1]) == color(v.status)


def test_summary_lists_each_months_misses_under_a_quarter(q2_book, demo_ev):
    ws = q2_book["Summary"]
    text = ws.cell(find_row(ws, "Missed in a month"), 2).value
    expected = []
    for label, name in (("2026-04", "Apr 2026"), ("2026-05", "May 2026"), ("2026-06", "Jun 2026")):
        missed = [KPIS[v.kpi].en for v in demo_ev.month(label).verdicts if v.status == "missed"]
        if missed:
            expected.append(f"{name}: {', '.join(missed)}")
    assert expected, "the demo plants misses in Q2's months"
    assert text == "; ".join(expected)


def test_a_monthly_report_has_no_month_by_month_row(demo_ev):
    wb = load_workbook(io.BytesIO(build_report(demo_ev, "2026-05", "en", generated_at=STAMP)))
    ws = wb["Summary"]
    assert not any(c.value == "Missed in a month" for c in ws["A"])
    assert ws.cell(find_row(ws, "Missed KPIs"), 2).value == ", ".join(
        KPIS[v.kpi].en for v in demo_ev.month("2026-05").verdicts if v.status == "missed"
    )


def test_scorecard_matches_evaluate(q2_book, demo_ev):
    ws = q2_book["KPI scorecard"]
    head = find_row(ws, "KPI")
    groups: dict[int, str] = {}
    current = None
    for cell in ws[head - 1]:
        if cell.value:
            current = cell.value
        groups[cell.column] = current
    periods = {
        "2026 Q2 (quarter)": demo_ev.quarter("2026Q2"),
        "Apr 2026": demo_ev.month("2026-04"),
        "May 2026": demo_ev.month("2026-05"),
        "Jun 2026": demo_ev.month("2026-06"),
        "2026 Q1 (previous)": demo_ev.quarter("2026Q1"),
    }
    columns = {
        label: next(c for c, g in groups.items() if g == label and ws.cell(head, c).value == "Value")
        for label in periods
    }
    seen_status = set()
    for i, kpi in enumerate(demo_ev.kpi_ids):
        r = head + 1 + 2 * i
        assert ws.cell(r, 1).value == demo_ev.definition(kpi).en
        for label, result in periods.items():
            v = result.verdict(kpi)
            col = columns[label]
            value, status = ws.cell(r, col), ws.cell(r, col + 1)
            assert value.value == (None if v.value is None else pytest.approx(v.value, rel=1e-12)), (
                kpi,
                label,
            )
            assert status.value == status_label(v.status, "en")
            assert fill(status) == color(v.status)
            seen_status.add(v.status)
            num, den = ws.cell(r + 1, col), ws.cell(r + 1, col + 1)
            assert num.value == v.numerator and den.value == v.denominator, (kpi, label)
        target = demo_ev.quarter("2026Q2").verdict(kpi).target
        tcell = ws.cell(r, 2)
        if target is None:
            assert tcell.value is None
        else:
            assert tcell.value == float(target.value)
    assert {"met", "missed", "unjudged"} <= seen_status
    # formats: rates as fractions with %, targets as numbers showing the operator, outline rows
    rate = ws.cell(head + 1, columns["Apr 2026"])
    assert rate.number_format == "0.00%" and isinstance(rate.value, float)
    assert ws.cell(head + 1, 2).number_format == '"≥ "0%'
    assert ws.cell(head + 1 + 2 * demo_ev.kpi_ids.index("csat_mean"), 2).number_format == '"≥ "0.0'
    assert ws.cell(head + 1 + 2 * demo_ev.kpi_ids.index("availability"), 2).number_format == '"≥ "0.0%'
    assert ws.row_dimensions[head + 2].outlineLevel == 1
    change = ws.cell(head + 1, max(groups) if ws.cell(head, max(groups)).value == "Change vs previous" else 0)
    q2, q1 = (
        periods["2026 Q2 (quarter)"].verdict(KPI_IDS[0]).value,
        periods["2026 Q1 (previous)"].verdict(KPI_IDS[0]).value,
    )
    assert change.value == pytest.approx(q2 - q1)


def test_monthly_report_compares_with_previous_month(demo_ev):
    wb = load_workbook(io.BytesIO(build_report(demo_ev, "2026-10", "en")))
    ws = wb["KPI scorecard"]
    head = find_row(ws, "KPI")
    labels = [c.value for c in ws[head - 1] if c.value]
    assert labels == ["Oct 2026", "Sep 2026 (previous)"]
    summary = wb["Summary"]
    sentence = summary.cell(find_row(summary, "Overall verdict"), 2).value
    assert sentence.endswith("penalty ¥20,000.00 (provisional)")
    # October: the four tickets still open at as_of
    _, rows = table(wb["Open tickets"], "Ticket")
    open_ids = set(
        demo_ev.tickets.loc[~demo_ev.tickets["resolved"] & ~demo_ev.tickets["excluded"], "ticket_id"]
    )
    assert {r[0].value for r in rows} == open_ids and len(open_ids) == 4
    _, rows = table(wb["Penalties"], "Month")
    assert rows[0][0].value == "Oct 2026" and rows[0][-1].value == "provisional"


# ---------------------------------------------------------------- Trends


def test_trends_are_native_line_charts_with_targets(q2_book, demo_ev):
    ws = q2_book["Trends"]
    months = [m for m in demo_ev.months if m.label <= "2026-06"]
    extra = ["workaround_within_target", "chat_reply_2m", "data_accuracy"]  # after the built-in trends
    kpis = [k for k in (*TREND_KPIS, *extra) if any(m.verdict(k).value is not None for m in months)]
    assert kpis[-3:] == extra
    charts = ws._charts
    assert len(charts) == len(kpis) >= 8
    head = find_row(ws, "KPI")
    assert [ws.cell(head, 3 + i).value for i in range(len(months))] == [
        "Jan 2026",
        "Feb 2026",
        "Mar 2026",
        "Apr 2026",
        "May 2026",
        "Jun 2026",
    ]
    for kpi, chart in zip(kpis, charts, strict=True):
        assert isinstance(chart, LineChart)
        names = [s.tx.v if s.tx.v is not None else s.tx.strRef.f for s in chart.series]
        assert names[:2] == ["Actual", "Target"]
        value_ref, target_ref = chart.series[0].val.numRef.f, chart.series[1].val.numRef.f
        assert value_ref.startswith("Trends!$C$") and target_ref.startswith("Trends!$C$")
        value_row = int(value_ref.split("$")[2].rstrip(":"))
        target_row = int(target_ref.split("$")[2].rstrip(":"))
        assert (
            ws.cell(value_row, 1).value == demo_ev.definition(kpi).en
            and ws.cell(target_row, 2).value == "Target"
        )
        for i, m in enumerate(months):
            v = m.verdict(kpi).value
            assert ws.cell(value_row, 3 + i).value == (None if v is None else pytest.approx(v))
            t = m.terms.target(kpi)
            assert ws.cell(target_row, 3 + i).value == (None if t is None else float(t.value))
        assert chart.series[0].cat.strRef.f == f"Trends!$C${head}:${chr(ord('C') + len(months) - 1)}${head}"
        missed = [m for m in months if m.verdict(kpi).status == "missed"]
        assert (len(chart.series) == 3) == bool(missed)
    # the CSAT target changes with the July version; its target line follows each month's terms
    wb = load_workbook(io.BytesIO(build_report(demo_ev, "2026Q3", "en")))
    ws = wb["Trends"]
    row = find_row(ws, "CSAT mean") + 1
    assert ws.cell(row, 2).value == "Target"
    assert [ws.cell(row, 3 + i).value for i in range(9)] == [4.5] * 6 + [4.6] * 3


# ---------------------------------------------------------------- tickets, penalties, obligations


def test_breached_tickets_with_durations_and_targets(q2_book, demo_ev):
    ws = q2_book["Breached tickets"]
    headers, rows = table(ws, "Ticket")
    t = demo_ev.tickets
    expected = t.loc[
        t["month"].isin(Q2) & ((t["response_status"] == "breached") | (t["resolution_status"] == "breached"))
    ]
    assert [r[0].value for r in rows] == expected.sort_values(["month_key", "created", "ticket_id"])[
        "ticket_id"
    ].tolist()
    by_id = expected.set_index("ticket_id")
    for r in rows:
        truth = by_id.loc[r[0].value]
        response = r[headers["Response time"] - 1]
        assert days(response.value) == pytest.approx(truth["response_seconds"] / 86400, abs=1e-9)
        assert response.number_format == "[h]:mm:ss"
        target = r[headers["Response target"] - 1]
        assert days(target.value) == pytest.approx(truth["response_target"] / 86400, abs=1e-9)
        assert target.number_format == "[h]:mm"
        res_status = r[headers["Resolution"] - 1]
        assert res_status.value == status_label(truth["resolution_status"], "en")
        assert fill(res_status) == color(truth["resolution_status"])
        created = r[headers["Created"] - 1].value
        local = datetime.fromtimestamp(truth["created"], demo_ev.contract.zone).replace(tzinfo=None)
        assert abs((created - local).total_seconds()) < 1
    penalised = [r for r in rows if r[headers["Penalty"] - 1].value]
    items = [i for m in Q2 for i in demo_ev.month(m).penalty.items if i.kind == "breached_ticket"]
    assert len(penalised) == len(items)
    # by hand, from the demo's plan (sla_core/demo.py): response timeouts April 1, May 2, June 3, each
    # 5% of 200,000 — the pack's own count, not evaluate's
    assert len(penalised) == 6
    assert sum(r[headers["Penalty"] - 1].value for r in penalised) == 60000.0


def test_penalties_itemised_with_the_cap(q2_book, demo_ev):
    ws = q2_book["Penalties"]
    headers, months = table(ws, "Month")
    june = demo_ev.month("2026-06").penalty
    row = next(r for r in months if r[0].value == "Jun 2026")
    assert row[headers["Items total"] - 1].value == 60000.0
    assert row[headers["Cap"] - 1].value == 40000.0
    assert row[headers["Charged"] - 1].value == float(june.amount) == 40000.0
    assert row[headers["Capped"] - 1].value == "yes"
    total = next(r for r in months if r[0].value == "2026 Q2 total")
    assert total[headers["Charged"] - 1].value == float(demo_ev.quarter("2026Q2").penalty.amount)
    item_headers, items = table(ws, "Month", start=find_row(ws, "Penalty items"))
    amounts = [r[item_headers["Amount"] - 1].value for r in items]
    expected = [i for m in Q2 for i in demo_ev.month(m).penalty.items]
    assert len(items) == len(expected)
    assert Decimal(str(sum(amounts))) == sum(i.amount for i in expected)
    assert "Missed KPI" in {r[item_headers["Kind"] - 1].value for r in items}


def test_obligations_and_store_less_registers(q2_book, demo_ev):
    ws = q2_book["Obligations & actions"]
    headers, rows = table(ws, "Obligation")
    ids = [r[headers["ID"] - 1].value for r in rows]
    assert "improvement_plan:first_contact_resolution:2026-05" in ids
    assert {o.id for o in demo_ev.obligations if set(o.months) & set(Q2)} <= set(ids)
    plan = next(r for r in rows if r[headers["ID"] - 1].value.startswith("improvement_plan"))
    assert plan[0].value == "Improvement plan" and plan[headers["Months"] - 1].value == "2026-03 – 2026-05"
    assert plan[headers["Status"] - 1].value == "overdue"
    assert fill(plan[headers["Status"] - 1]) == color("overdue")
    assert plan[headers["Due"] - 1].value == datetime(2026, 6, 15)
    # without a store, the registers say where their records live
    _, actions = table(ws, "Action")
    assert actions[0][0].value.startswith("No records: these are kept in the store")
    _, requests = table(q2_book["Exemptions"], "ID")
    assert requests[0][0].value.startswith("No records")
    _, batches = table(q2_book["Data quality"], "Batch")
    assert batches[0][0].value.startswith("No records")
    # …and list what the evaluation knows: excluded tickets, reconciliation, survey flags
    _, excluded = table(q2_book["Exemptions"], "Ticket")
    assert excluded[0][0].value.startswith("No records")  # the demo's excluded tickets fall in Mar/Aug/Sep
    _, rec = table(q2_book["Reconciliation"], "Month")
    june = next(r for r in rec if r[0].value == "Jun 2026" and r[1].value == "Availability")
    assert june[5].value == "yes" and june[2].value == pytest.approx(0.9991)


# ---------------------------------------------------------------- text stays text


def test_text_that_looks_like_a_formula_stays_text(q2_book):
    ws = q2_book["Survey flags"]
    headers, rows = table(ws, "Response")
    comments = [r[headers["Comment"] - 1] for r in rows]
    injected = [c for c in comments if c.value == INJECTED]
    assert len(injected) == 1 and injected[0].data_type == "s"
    ws = q2_book["Breached tickets"]
    headers, rows = table(ws, "Ticket")
    assignees = {r[headers["Assignee"] - 1].value: r[headers["Assignee"] - 1].data_type for r in rows}
    for text in ("+1-1", "@SUM(A1:A2)", "-2+3"):
        assert assignees[text] == "s"
    for ws in q2_book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)


# ---------------------------------------------------------------- with a store


def test_store_backed_registers(stored):
    store, cid, snap, action_id, ticket, response = stored
    wb = load_workbook(io.BytesIO(build_report(snap, "2026Q2", "en", guard=Guard(store, LOCAL))))
    ws = wb["Obligations & actions"]
    headers, rows = table(ws, "Obligation")
    plan = next(
        r for r in rows if r[headers["ID"] - 1].value == "improvement_plan:first_contact_resolution:2026-05"
    )
    assert plan[headers["Linked action"] - 1].value == str(action_id)
    a_headers, actions = table(ws, "Action")
    action = next(r for r in actions if r[0].value == action_id)
    assert action[a_headers["Cause"] - 1].value == "=1+1 培训不足"
    assert action[a_headers["Cause"] - 1].data_type == "s"
    assert action[a_headers["Measure"] - 1].value == "@全员培训"
    assert action[a_headers["Owner"] - 1].value == "李四"
    assert action[a_headers["Status"] - 1].value == "in progress"
    # what the action answers, in words rather than the obligation's id
    assert (
        action[a_headers["Linked to"] - 1].value == "Improvement plan · First-contact resolution · May 2026"
    )
    h_headers, history = table(ws, "Action", start=find_row(ws, "Action history"))
    changes = [r for r in history if r[0].value == action_id]
    assert len(changes) == 2
    assert "Owner: 张三 → 李四" in changes[1][h_headers["Changes"] - 1].value
    assert "Status: open → in progress" in changes[1][h_headers["Changes"] - 1].value

    headers, requests = table(wb["Exemptions"], "ID")
    request = next(r for r in requests if r[1].value == ticket)
    assert request[headers["Month"] - 1].value == "May 2026"
    assert request[headers["Decision"] - 1].value == "approved"
    assert fill(request[headers["Decision"] - 1]) == color("done")
    assert request[headers["Approver"] - 1].value == "client"
    _, excluded = table(wb["Exemptions"], "Ticket")
    assert ticket in {r[0].value for r in excluded}  # approved: excluded from every KPI

    headers, flags = table(wb["Survey flags"], "Response")
    row = next(r for r in flags if r[0].value == response)
    assert row[headers["Excluded"] - 1].value == "yes"
    assert row[headers["Excluded by"] - 1].value == "qm"
    assert row[headers["Reason"] - 1].value == "测试评价"

    ws = wb["Data quality"]
    headers, batches = table(ws, "Batch")
    assert len(batches) == len(st.list_batches(store, cid)) == 5
    skipped = next(r for r in batches if r[headers["File"] - 1].value == "measures-july.xlsx")
    assert skipped[headers["Rows skipped"] - 1].value == 1
    i_headers, issues = table(ws, "Batch", start=find_row(ws, "Rows skipped and why"))
    assert issues[0][i_headers["Message"] - 1].value == "the value is not a number"
    assert issues[0][i_headers["Value"] - 1].value == "=A1"
    assert issues[0][i_headers["Value"] - 1].data_type == "s"

    summary = wb["Summary"]
    row = find_row(summary, "Month close")
    close = summary.cell(row, 2).value
    assert close.startswith("2026-04 closed on ") and close.endswith(" by qm")
    assert summary.cell(row + 1, 1).value == "Month close"
    differences = summary.cell(row + 1, 2).value
    assert differences.startswith(
        "2026-04 is closed and its settled figures stand; recomputed from the data now: "
        "Response within target 99.84% → 100.00%;"
    )
    assert differences.endswith("; Penalty ¥30,000.00 → ¥20,000.00")
    ws = wb["KPI scorecard"]
    assert "Apr 2026 (closed)" in [c.value for c in ws[find_row(ws, "KPI") - 1]]
    headers, months = table(wb["Penalties"], "Month")
    april = next(r for r in months if r[0].value == "Apr 2026")
    assert april[headers["Charged"] - 1].value == 30000.0 and april[-1].value == "closed"


def test_report_from_snapshot_equals_report_from_its_evaluation(stored):
    store, _cid, snap, *_ = stored
    a = load_workbook(io.BytesIO(build_report(snap, "2026-06", "zh", generated_at=STAMP)))
    b = load_workbook(io.BytesIO(build_report(snap.evaluation, "2026-06", "zh", generated_at=STAMP)))
    for name in ("指标记分卡", "超时工单", "违约金"):
        values_a = [[c.value for c in row] for row in a[name].iter_rows()]
        values_b = [[c.value for c in row] for row in b[name].iter_rows()]
        assert values_a == values_b, name


# ---------------------------------------------------------------- periods and the command line


def test_unknown_or_malformed_periods_are_refused(demo_ev):
    with pytest.raises(ReportError) as exc:
        build_report(demo_ev, "2027Q1", "en")
    assert "2027Q1" in exc.value.en and "2027Q1" in exc.value.zh and "2026Q1" in exc.value.en
    for bad in ("2026-13", "2025-12", "June", "2026Q5"):
        with pytest.raises(ReportError):
            build_report(demo_ev, bad, "en")
    assert report_filename("demo-helpdesk", "2026Q2", "zh") == "demo-helpdesk_2026Q2_季度评审报告.xlsx"
    assert report_filename("demo-helpdesk", "2026-06", "en") == "demo-helpdesk_2026-06_monthly-report.xlsx"


def test_command_line(stored, tmp_path, capsys):
    store, cid, *_ = stored
    out = tmp_path / "pack.xlsx"
    db = str(store.path)
    assert (
        main(
            [
                "report",
                "--db",
                db,
                "--contract",
                cid,
                "--quarter",
                "2026Q2",
                "--lang",
                "en",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    wb = load_workbook(out)
    assert wb.sheetnames == SHEETS_EN
    assert wb["Summary"]["A1"].value == "Quarterly review pack · 2026 Q2"
    month = tmp_path / "month.xlsx"
    assert (
        main(
            [
                "report",
                "--db",
                db,
                "--contract",
                cid,
                "--month",
                "2026-09",
                "--as-of",
                "2026-10-15",
                "--out",
                str(month),
            ]
        )
        == 0
    )
    summary = load_workbook(month)["概要"]
    assert summary["A1"].value == "月度服务报告 · 2026年9月"
    capsys.readouterr()
    assert main(["report", "--db", db, "--contract", "nope", "--month", "2026-06", "--out", str(month)]) == 2
    err = capsys.readouterr().err
    assert "数据库中没有合同 nope" in err and "no contract nope in the store" in err
    assert main(["report", "--db", db, "--contract", cid, "--month", "2030-01", "--out", str(month)]) == 2
    err = capsys.readouterr().err
    assert "月份 2030-01 没有数据" in err and "month 2030-01 has no data" in err
    assert (
        main(
            [
                "report",
                "--db",
                str(tmp_path / "missing.duckdb"),
                "--contract",
                cid,
                "--month",
                "2026-06",
                "--out",
                str(month),
            ]
        )
        == 2
    )
    assert not (tmp_path / "missing.duckdb").exists()


def test_write_report_creates_the_folder(demo_ev, tmp_path):
    path = write_report(tmp_path / "out" / "r.xlsx", demo_ev, "2026-03", "en")
    assert path.exists() and load_workbook(path)["Summary"]["A1"].value == "Monthly service report · Mar 2026"


def test_the_audit_log_goes_with_an_admins_pack(tmp_path):
    store = workspace.open_workspace(tmp_path / "audit.duckdb")
    workspace.load_demo(store)
    st.add_action(store, "demo-helpdesk", cause="c", measure="补充知识库", owner="o", user="张经理")
    admin = Guard(store, Principal("审计员", "admin", frozenset({"demo-helpdesk"})))
    data = build_report(workspace.snapshot(store, "demo-helpdesk"), "2026Q3", "zh", guard=admin)
    path = tmp_path / "pack.xlsx"
    path.write_bytes(data)
    sheet = load_workbook(path)["审计日志"]
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    # what each entry records, in words (not the store's codes action.add, batch.import)
    assert "张经理" in cells and "新增改进措施" in cells and "导入批次" in cells
    assert "action.add" not in cells


@pytest.mark.parametrize("period", ["2026-05", "2026Q2"])
@pytest.mark.parametrize(("role", "has_audit"), [("viewer", False), ("editor", False), ("admin", True)])
def test_the_audit_sheet_is_only_for_a_reader_with_the_audit_permission(stored, role, period, has_audit):
    store, cid, snap, *_ = stored
    reader = Guard(store, Principal("someone", role, frozenset({cid})))
    wb = load_workbook(io.BytesIO(build_report(snap, period, "en", guard=reader)))
    # every other sheet, in order, for every role; the audit log only for the admin
    assert wb.sheetnames == (SHEETS_EN if has_audit else [n for n in SHEETS_EN if n != "Audit log"])
    cells = {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    assert ("Improvement action added" in cells) is has_audit  # an audit entry's words, nowhere else
    # the registers come with the pack for every role
    headers, actions = table(wb["Obligations & actions"], "Action")
    assert any(r[headers["Owner"] - 1].value == "李四" for r in actions)


def test_an_export_through_the_guard_follows_the_role(stored):
    store, cid, *_ = stored
    for role, has_audit in (("viewer", False), ("editor", False), ("admin", True)):
        data = Guard(store, Principal("x", role, frozenset({cid}))).export_report(cid, "2026Q2", "zh")
        assert ("审计日志" in load_workbook(io.BytesIO(data)).sheetnames) is has_audit, role
