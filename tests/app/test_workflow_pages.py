"""The workflow screens on a private copy of the demo store: upload, undo, contract edits, actions,
exemptions and month close — each checked through the numbers a user sees."""

from __future__ import annotations

import json
from decimal import Decimal

import pandas as pd
import pytest
from apptools import assert_clean, button, open_app, table_with, texts
from streamlit import column_config as st_config

from sla_core import store as st
from sla_core import views, workspace
from sla_core.i18n import fmt_value

CID = "demo-helpdesk"

GOOD = (
    "工单号,创建时间,优先级,首次响应时间,解决时间\n"
    "NEW-1,2026-10-12 10:00,重要,2026-10-12 11:30,2026-10-12 12:00\n"  # P2 answered after 90 min: breached
    "NEW-2,2026-10-13 10:00,重要,2026-10-13 11:00,2026-10-13 12:00\n"  # breached too
).encode()
BAD = (
    "工单号,创建时间,优先级,首次响应时间\n"
    "B-1,2026-10-12 10:00,超级紧急,2026-10-12 10:30\n"  # unknown priority
    "B-2,不是日期,重要,2026-10-12 10:30\n"  # unparseable date
).encode()


def snap(db):
    return workspace.snapshot(workspace.open_workspace(db), CID)


def upload(at, name, data):
    at.file_uploader(key="upload_file").set_value((name, data, "text/csv"))
    at.run()
    return at


def test_bad_file_shows_every_problem_and_stores_nothing(db, monkeypatch):
    before = len(st.list_batches(workspace.open_workspace(db), CID))
    at = upload(open_app(db, monkeypatch, "upload"), "bad.csv", BAD)
    assert_clean(at)
    problems = table_with(at, "说明")
    assert {(r["行号"], r["列"]) for _, r in problems.iterrows()} >= {("2", "优先级"), ("3", "创建时间")}
    assert "超级紧急" in problems["数值"].tolist()
    assert not [b for b in at.button if b.label.startswith("导入") and not b.disabled]
    assert len(st.list_batches(workspace.open_workspace(db), CID)) == before


def test_good_file_changes_the_overview_and_undo_restores_it(db, monkeypatch):
    october = snap(db).evaluation.month("2026-10")
    old_rate = fmt_value(october.verdict("response_within_target").value, "rate", "zh")
    at = upload(open_app(db, monkeypatch, "upload"), "new.csv", GOOD)
    button(at, "导入 2 行").click()
    at.run()
    assert_clean(at)
    assert any("已导入为批次" in s.value for s in at.success)

    after = snap(db).evaluation.month("2026-10")
    assert after.penalty.amount == october.penalty.amount + Decimal("20000.00")
    new_rate = fmt_value(after.verdict("response_within_target").value, "rate", "zh")
    overview = texts(open_app(db, monkeypatch))
    assert new_rate in overview and new_rate != old_rate

    at = open_app(db, monkeypatch, "upload")
    batch = max(b.batch_id for b in st.list_batches(workspace.open_workspace(db), CID))
    at.selectbox(key="upload_undo_batch").set_value(batch)
    at.run()
    button(at, "撤销批次").click()
    at.run()
    assert snap(db).evaluation.month("2026-10").penalty.amount != october.penalty.amount  # asked first
    button(at, "确认").click()
    at.run()
    assert_clean(at)
    assert snap(db).evaluation.month("2026-10").penalty.amount == october.penalty.amount
    assert old_rate in texts(open_app(db, monkeypatch))


def _toml_edit(db, monkeypatch, change):
    at = open_app(db, monkeypatch, "contract")
    text = at.text_area(key="contract_toml").value
    at.text_area(key="contract_toml").input(change(text))
    at.run()
    next(b for b in at.button if b.key == "contract_toml_save").click()
    at.run()
    return at


def test_a_bad_contract_edit_is_refused_with_the_field_named(db, monkeypatch):
    at = _toml_edit(db, monkeypatch, lambda t: t.replace('response = "30m"', 'response = "30 minutes"'))
    assert any("未保存" in e.value for e in at.error)
    assert "priorities[2].response" in table_with(at, "字段")["字段"].tolist()
    assert len(st.contract_revisions(workspace.open_workspace(db), CID)) == 1


def test_a_tightened_target_changes_the_months_it_covers_only(db, monkeypatch):
    before = snap(db).evaluation
    assert before.month("2026-10").verdict("response_within_target").status == "met"
    assert before.month("2026-09").verdict("response_within_target").status == "met"
    version = (
        '\n[[versions]]\neffective_from = "2026-10-01"\nkpis = { response_within_target = ">= 99.9%" }\n'
    )
    at = _toml_edit(db, monkeypatch, lambda t: t + version)
    assert_clean(at)
    assert any("修订版 2" in s.value for s in at.success)
    after = snap(db).evaluation
    assert after.month("2026-10").verdict("response_within_target").status == "missed"
    assert after.month("2026-09").verdict("response_within_target").status == "met"
    assert after.month("2026-09").penalty.amount == before.month("2026-09").penalty.amount


def test_an_added_action_appears_on_the_quarterly_review(db, monkeypatch):
    at = open_app(db, monkeypatch, "breaches")
    # a table's search box says what it is for
    assert at.text_input(key="breaches_obligations_search").placeholder == "在表中搜索…"
    at.selectbox(key="breaches_action_link").set_value(
        ("obligation", "improvement_plan:first_contact_resolution:2026-05")
    )
    at.text_area(key="breaches_action_cause").input("首次解决率连续三个月不达标：知识库缺失")
    at.text_area(key="breaches_action_measure").input("补充知识库，一线培训")
    at.text_input(key="breaches_action_owner").input("张经理")
    button(at, "保存").click()
    at.run()
    assert_clean(at)
    assert any("改进措施 #1 已保存" in s.value for s in at.success)
    register = table_with(at, "measure")
    assert register["link"].tolist() == ["改进计划 · 首次解决率 · 2026年5月"]
    at.selectbox(key="breaches_action_pick").set_value(1).run()
    history = next(d.value for d in at.dataframe if "变更" in d.value.columns)
    (created,) = history["变更"].tolist()  # the creation, in words (it was a JSON dump of field ids)
    lines = created.split("\n")
    assert {"负责人: 张经理", "状态: 待办", "措施: 补充知识库，一线培训"} <= set(lines)
    assert any(line.startswith("截止日期: 20") for line in lines)
    review = open_app(db, monkeypatch, "quarterly", app_period_kind="quarter", app_quarter="2026Q2")
    assert_clean(review)
    actions = table_with(review, "measure")
    assert "补充知识库，一线培训" in actions["measure"].tolist()


def test_an_approved_exemption_changes_the_month_and_is_listed(db, monkeypatch):
    october = snap(db).evaluation
    tickets = october.tickets
    breached = tickets.loc[
        (tickets["month"] == "2026-10") & (tickets["response_status"] == "breached"), "ticket_id"
    ]
    ticket = str(breached.iloc[0])
    at = open_app(db, monkeypatch, "breaches")
    at.text_input(key="breaches_ex_ticket").input(ticket)
    at.text_input(key="breaches_ex_reason").input("客户原因，双方确认")
    button(at, "登记申请").click()
    at.run()
    assert any("待审批" in s.value for s in at.success)
    at.text_input(key="breaches_ex_why").input("同意")
    at.run()
    button(at, "批准").click()
    at.run()
    assert_clean(at)
    listed = table_with(at, "决定")
    assert ticket in listed["工单号"].tolist() and "已批准" in listed["决定"].tolist()
    after = snap(db).evaluation.month("2026-10")
    assert after.penalty.amount == october.month("2026-10").penalty.amount - Decimal("10000.00")
    row = snap(db).evaluation.tickets.set_index("ticket_id").loc[ticket]
    assert row["response_status"] == "excluded" and row["exclusion_reason"].startswith("exempted")


def test_a_closed_month_keeps_its_penalty_after_a_reimport_and_shows_the_difference(db, monkeypatch):
    september = snap(db).evaluation.month("2026-09")
    at = open_app(db, monkeypatch, "breaches")
    at.selectbox(key="breaches_close_month").set_value("2026-09")
    at.run()
    button(at, "结账").click()
    at.run()
    button(at, "确认").click()
    at.run()
    assert_clean(at)
    late = (
        "工单号,创建时间,优先级,首次响应时间,解决时间\n"
        "SEP-LATE,2026-09-15 10:00,重要,2026-09-15 12:00,2026-09-15 13:00\n"
    ).encode()
    up = upload(open_app(db, monkeypatch, "upload"), "late.csv", late)
    button(up, "导入 1 行").click()
    up.run()
    assert any("已结账月份" in w.value for w in up.warning)
    kept = snap(db).evaluation
    assert kept.month("2026-09").closed
    assert kept.month("2026-09").penalty.amount == september.penalty.amount
    page = open_app(db, monkeypatch, "breaches")
    diff = table_with(page, "settled")
    assert "违约金" in diff["item"].tolist()


@pytest.mark.parametrize("page", ["upload", "contract", "breaches", "quarterly"])
def test_workflow_pages_render_in_both_languages(demo_db, monkeypatch, page):
    for lang in ("zh", "en"):
        at = open_app(demo_db, monkeypatch, page, lang=lang)
        assert_clean(at)
        # an empty choice asks in the page's language, not with Streamlit's "Choose an option"
        empty = [sb for sb in at.selectbox if not sb.proto.HasField("default")]  # index=None: no choice yet
        assert all(sb.placeholder == ("请选择…" if lang == "zh" else "Choose…") for sb in empty), page


def test_the_preview_shows_blank_cells_blank_and_times_in_the_contracts_zone(db, monkeypatch):
    data = (
        "工单号,创建时间,优先级,首次响应时间,解决时间,重开次数\n"
        "P-1,2026-10-12 10:00,重要,,2026-10-12 12:00,\n"  # no first response, no reopen count
        "P-2,2026-10-13 10:00:30,重要,2026-10-13 11:00,2026-10-13 12:00,1\n"
    ).encode()
    at = upload(open_app(db, monkeypatch, "upload"), "blanks.csv", data)
    assert_clean(at)
    preview = next(d.value for d in at.dataframe if "工单号" in d.value.columns)
    assert preview["首次响应时间"].tolist() == ["", "2026-10-13 11:00:00"]
    assert preview["创建时间"].tolist() == ["2026-10-12 10:00:00", "2026-10-13 10:00:30"]
    assert preview["重开次数"].tolist() == ["", "1"]
    assert "None" not in preview.astype(str).to_numpy().ravel().tolist()


def test_obligations_count_days_left_only_for_what_is_still_open(db, monkeypatch):
    at = open_app(db, monkeypatch, "breaches")
    assert_clean(at)
    table = next(d.value for d in at.dataframe if "days_left" in d.value.columns)
    done = table.loc[table["status_code"] == "done", "days_left"]
    still_open = table.loc[table["status_code"] != "done", "days_left"]
    assert len(done) and (done == "").all()  # nothing left to count, and no "None"
    # a count always says its unit: "3 天", "逾期 140 天"
    assert len(still_open) and all(v.endswith(" 天") and v.split()[-2].isdigit() for v in still_open)
    # past its due date an obligation says how long overdue, not a negative count
    overdue = table.loc[table["status_code"] == "overdue", "days_left"].tolist()
    assert "逾期 140 天" in overdue  # the improvement plan due 2026-06-15, as of 2026-11-02
    # the regrade's priority choice names its empty option
    choice = at.selectbox(key="breaches_ex_priority")
    assert choice.options[0] == "—（不调级）" and choice.value is None


def test_quarterly_review_says_empty_tables_in_the_users_language_and_names_its_causes(db, monkeypatch):
    at = open_app(db, monkeypatch, "quarterly")
    assert_clean(at)
    assert "没有记录。" in [c.value for c in at.caption]  # no improvement actions in the demo, not "empty"
    figure = json.loads(next(c.proto.spec for c in at.get("plotly_chart") if "主要原因" not in c.proto.spec))
    assert figure["layout"]["title"]["text"] == "超时工单：按类别"
    at.segmented_control(key="quarterly_causes_dim").set_value("missed_kpis").run()
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    causes = next(f for f in specs if f["layout"]["title"]["text"].startswith("未达标指标"))
    assert causes["data"][0]["name"] == "未达标次数"
    english = open_app(db, monkeypatch, "quarterly", lang="en")
    figure = json.loads(
        next(c.proto.spec for c in english.get("plotly_chart") if "Top causes" not in c.proto.spec)
    )
    assert figure["layout"]["title"]["text"] == "Breached tickets by category"  # a word mid-sentence


def test_the_contract_editor_says_its_terms_are_the_base_ones_that_versions_change(db, monkeypatch):
    at = open_app(db, monkeypatch, "contract")
    assert_clean(at)
    notes = [i.value for i in at.info]
    # the demo contract: base terms from 2026-01-01, one version from 2026-07-01 (CSAT, P2 response)
    assert any("2026-01-01" in n and "2026-07-01" in n and "1 个后续版本" in n for n in notes), notes


def test_the_calendar_editor_names_weekdays_in_the_users_language(db, monkeypatch):
    at = open_app(db, monkeypatch, "contract")
    assert_clean(at)
    frames = [d.value for d in at.dataframe]
    hours = next(f for f in frames if "hours" in f.columns and "day" in f.columns)
    assert hours["day"].tolist() == ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
    assert hours["hours"].tolist()[:1] == ["09:00-18:00"]


def test_saving_the_calendar_keeps_the_weekly_hours(db, monkeypatch):
    at = open_app(db, monkeypatch, "contract")
    before = snap(db).contract.base.calendar.hours
    save = next(b for b in at.button if b.proto.form_id == "contract_calendar")
    save.click()
    at.run()
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    assert any("已保存" in s.value for s in at.success), [s.value for s in at.success]
    # the weekday names shown (周一…) are mapped back to the contract's keys (mon…) when saving
    assert snap(db).contract.base.calendar.hours == before


def test_a_new_version_starts_from_the_terms_in_force_now(db, monkeypatch):
    at = open_app(db, monkeypatch, "contract")
    assert_clean(at)
    frames = [d.value for d in at.dataframe]
    kpis = next(f for f in frames if {"kpi", "now", "new"} <= set(f.columns)).set_index("kpi")
    prios = next(f for f in frames if {"id", "now", "response"} <= set(f.columns)).set_index("id")
    # the demo's July version raised CSAT to 4.6 and tightened P2's response to 20 minutes
    assert kpis.loc["csat_mean", "now"] == ">= 4.6"
    assert prios.loc["P2", "now"] == "20m / 8h"


def test_a_problem_of_the_whole_file_shows_no_row_number(db, monkeypatch):
    data = "工单号,创建时间,优先级,类别\nW-1,2026-10-12 10:00,重要,奇怪的类别\n".encode()
    at = upload(open_app(db, monkeypatch, "upload"), "odd.csv", data)
    problems = table_with(at, "说明")
    unmapped = problems.loc[problems["列"] == "类别"]
    assert len(unmapped) == 1 and unmapped["行号"].tolist() == [""]  # the warning lists the values, not a row


def test_the_mapping_editor_offers_fields_by_name(db, monkeypatch):
    at = upload(
        open_app(db, monkeypatch, "upload"),
        "m.csv",
        "工单号,创建时间,优先级\nP-1,2026-10-12 10:00,重要\n".encode(),
    )
    assert_clean(at)
    editor = next(d for d in at.dataframe if '"target"' in d.proto.columns)
    options = json.loads(editor.proto.columns)["target"]["type_config"]["options"]
    labels = {o["value"]: o["label"] for o in options}
    assert labels["created_at"] == "创建时间" and labels["ignore"] == "不导入"
    assert not any("_" in label for label in labels.values())  # no field ids: ticket_id, created_at
    assert "表头在第 1 行，共 1 行数据。" in [c.value for c in at.caption]  # a CSV has no sheet to name
    batches = next(d for d in at.dataframe if '"batch_id"' in d.proto.columns)
    counts = json.loads(batches.proto.columns)
    assert all(
        counts[k]["type_config"]["format"] == "localized" for k in ("rows", "new", "updated", "skipped")
    )


def test_the_priority_editor_names_clocks_in_words(db, monkeypatch):
    at = open_app(db, monkeypatch, "contract")
    assert_clean(at)
    editor = next(d for d in at.dataframe if '"clock"' in d.proto.columns)
    options = json.loads(editor.proto.columns)["clock"]["type_config"]["options"]
    assert {o["value"]: o["label"] for o in options} == {"24x7": "7×24", "business": "工作时间"}
    # stored as the contract writes it
    assert editor.value["clock"].tolist() == ["24x7", "business", "business"]


def test_a_downloaded_table_has_the_headers_the_page_shows():
    from ui import components

    frame = pd.DataFrame({"id": ["x"], "due": ["2026-06-15"], "status": ["逾期"], "status_code": ["overdue"]})
    config = {"id": None, "due": "截止日期", "status": st_config.TextColumn("状态")}
    out = components.export_frame(frame, ("status_code",), config)
    assert list(out.columns) == [
        "id",
        "截止日期",
        "状态",
    ]  # the hidden helper gone, the id kept for reference


def test_a_flagged_response_to_exclude_is_described_not_just_numbered(db, monkeypatch):
    at = open_app(db, monkeypatch, "breaches")
    assert_clean(at)
    pick = at.selectbox(key="breaches_survey_pick")
    assert pick.options and all(len(o.split(" · ")) == 3 for o in pick.options)
    assert any(o.endswith("各维度同分") for o in pick.options)  # its id, its score, why it is flagged
    # the demo has no exclusions yet: "no records", and no download of an empty file
    downloads = {b.proto.label for b in at.get("download_button")}
    assert downloads and not any(
        k.startswith("breaches_survey_exclusions") for k in _keys(at, "download_button")
    )


def _keys(at, kind):
    return [getattr(e, "key", None) or e.proto.id for e in at.get(kind)]


def test_a_workflow_write_shows_at_once_in_the_same_app_process(db, monkeypatch):
    """In one running app: an improvement action marked done closes its obligation, and a closed month
    is closed — on the next run of the page, with no other data changing (both stayed stale before)."""
    plan = "improvement_plan:first_contact_resolution:2026-05"
    at = open_app(db, monkeypatch, "breaches")

    def status() -> str:
        table = next(d.value for d in at.dataframe if "status_code" in d.value.columns)
        return str(table.set_index("id").loc[plan, "status_code"])

    assert status() == "overdue"
    store = workspace.open_workspace(db)
    st.add_action(
        store,
        CID,
        cause="人手不足",
        measure="增加夜班",
        owner="李",
        user="qm",
        link_kind="obligation",
        link_ref=plan,
    )
    action = st.list_actions(store, CID)[-1]
    st.update_action(store, CID, action.action_id, "qm", status="done")
    at.run()
    assert_clean(at)
    assert status() == "done"

    at.selectbox(key="breaches_close_month").set_value("2026-01")
    at.run()
    button(at, "结账").click()
    at.run()
    button(at, "确认").click()  # closing a month asks first
    at.run()
    assert_clean(at)
    assert snap(db).evaluation.month("2026-01").closed
    at.run()
    assert "2026-01" not in at.selectbox(key="breaches_close_month").options  # closed: not offered again


EXCLUDED_BY_EXPORT = (
    "工单号,创建时间,优先级,首次响应时间,解决时间,免责原因\n"
    "EX-1,2026-10-12 10:00,重要,2026-10-12 11:30,2026-10-12 12:00,客户原因\n"  # P2 answered after 90 min
).encode()


def test_every_excluded_ticket_is_listed_and_an_exports_exclusion_waits_for_the_client(db, monkeypatch):
    """Doc 003 (例外情形须双方确认): the register lists every excluded ticket with its reason, who asked
    and who approved; an exclusion the provider's export asks for counts (breached) until the client
    approves it on this screen, and is then excluded."""
    demo_excluded = snap(db).data.tickets
    demo_ids = set(demo_excluded.loc[demo_excluded["exclusion_reason"].notna(), "ticket_id"])
    at = upload(open_app(db, monkeypatch, "upload"), "ex.csv", EXCLUDED_BY_EXPORT)
    button(at, "导入 1 行").click()
    at.run()
    assert_clean(at)
    row = snap(db).evaluation.tickets.set_index("ticket_id").loc["EX-1"]
    assert row["response_status"] == "breached"  # a request: it counts until approved

    at = open_app(db, monkeypatch, "breaches")
    assert_clean(at)
    register = table_with(at, "申请方").set_index("工单号")
    # the demo's planted exclusions (agreed when loaded) and the new request, each once
    assert set(register.index) >= demo_ids | {"EX-1"} and not register.index.duplicated().any()
    demo_rows = register.loc[sorted(demo_ids)]
    assert set(demo_rows["申请方"]) == {"服务商导出"} and set(demo_rows["状态"]) <= {"已批准", "已取消"}
    assert set(demo_rows.loc[demo_rows["状态"] == "已批准", "批准方"]) == {workspace.DEMO_USER}
    ex = register.loc["EX-1"]
    assert (ex["理由"], ex["申请方"], ex["批准方"], ex["状态"]) == (
        "客户原因",
        "服务商导出",
        "",
        "待甲方批准（照常计入）",
    )
    assert at.selectbox(key="breaches_xr_pick").options == ["EX-1 · 客户原因"]
    at.text_input(key="breaches_xr_why").input("双方确认")
    at.run()
    button(at, "批准").click()
    at.run()
    assert_clean(at)
    ex = table_with(at, "申请方").set_index("工单号").loc["EX-1"]
    assert ex["状态"] == "已批准" and ex["批准方"] != ""
    assert snap(db).evaluation.tickets.set_index("ticket_id").loc["EX-1", "response_status"] == "excluded"


def test_every_obligation_column_has_a_header_in_both_languages(demo_db):
    """The obligations table's columns — who owes each one (doc 002: 甲方 or 乙方) included — are all
    named, so no downloaded file carries a bare column id such as "owner"."""
    from ui import components

    table = views.obligations_table(snap(demo_db).evaluation, "zh")
    named = set(components.obligation_columns())
    assert set(table.columns) - {"status_code"} <= named
    shown = {**components.obligation_columns(), "id": None}  # as the Breaches page shows it
    out = components.export_frame(table, ("status_code",), shown)
    assert list(out.columns)[:5] == ["id", "类型", "指标", "月份", "责任方"]
    assert set(table["owner"]) == {"甲方", "乙方"}
