"""Real exports as downloaded (spec "Rule (real files as downloaded)"): each defect found by trying real
files, reproduced on a tiny sample (tests/fixtures/ingest/README.md says where each comes from) and
checked against values worked out by hand from the sample's own rows.

The example contract reads naive times in Asia/Shanghai (UTC+8, no daylight saving): 01:16 local is
17:16 UTC the day before.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from builders import make_contract
from ingest_helpers import base_terms, codes, csv_bytes, issues, read

from sla_core.ingest import read_tickets
from sla_core.ingest.readers import open_book, sniff_delimiter

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ingest"
JIRA = FIXTURES / "jira_all_fields_multiline.csv"
SERVICENOW = FIXTURES / "servicenow_incident_event_log_sample.csv"
BPIC = FIXTURES / "bpic2013_vinst_sample.csv"


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def by_id(result, ticket_id: str) -> pd.Series:
    frame = result.frame.set_index("ticket_id")
    return frame.loc[ticket_id]


# ---------------------------------------------------------------- CSV dialect from whole records


def test_jira_export_with_pipe_tables_in_quoted_descriptions_is_comma_separated():
    # the descriptions' "|" tables span many physical lines; per line "|" looked the most regular
    book = open_book(JIRA.read_bytes())
    assert book.delimiter == ","
    assert book.grid(None).shape == (4, 17)  # the header and three records, each of 17 fields


def test_jira_export_reads_with_its_preset_and_keeps_the_multiline_cell_whole():
    result = read(JIRA)
    assert result.preset == "jira" and result.header_row == 1
    assert result.frame["ticket_id"].tolist() == ["HD-101", "HD-102", "HD-103"]
    assert by_id(result, "HD-101")["created_at"] == utc("2026-03-02 01:05")  # 02/Mar/26 9:05 AM


def test_the_delimiter_is_judged_over_records_not_lines():
    text = 'a;b;c\n1;"x, y\nz, w";2\n3;"p, q";4\n'
    assert sniff_delimiter(text) == ";"
    # a single column: nothing to split, the default
    assert sniff_delimiter("only\none\ncolumn\n") == ","


def test_delimiter_and_encoding_overrides():
    data = "工单号|创建时间|优先级\nT1|2026-10-01 09:00|P1\n".encode("gb18030")
    result = read(data, delimiter="|", encoding="gb18030")
    assert not result.has_errors
    assert result.frame["ticket_id"].tolist() == ["T1"]
    wrong = read(data, encoding="no-such-codec")
    assert codes(wrong) == {"ingest.encoding"}


# ---------------------------------------------------------------- the header row


def test_bpic_header_is_row_1_not_the_closed_row_18_whose_values_are_status_words():
    # row 18 of the real log reads "…,Completed,Closed,…": column names of the resolved and closed
    # times, over cells that are states, not times
    result = read_tickets(BPIC, base_terms())
    assert result.header_row == 1 and result.rows_above == []
    assert result.preset == "bpic2013/volvo"
    assert result.frame["ticket_id"].tolist() == ["1-364285768", "1-503573772"]


def test_rows_above_the_header_are_reported_not_dropped():
    rows = [
        ["工单导出 2026-03"],
        ["导出人：张伟", "", ""],
        [],
        ["工单号", "创建时间", "优先级"],
        ["T1", "2026-03-02 09:00", "P1"],
    ]
    result = read(csv_bytes(rows))
    assert result.header_row == 4 and result.rows_above == [1, 2]
    [note] = issues(result, "ingest.rows_above_header")
    assert note.level == "warning" and note.value == "1, 2"
    assert "工单导出 2026-03" in note.en and "导出人：张伟" in note.zh


def test_header_row_override():
    rows = [["工单号", "创建时间", "优先级"], ["编号", "时间", "级别"], ["T1", "2026-03-02 09:00", "P1"]]
    result = read(csv_bytes(rows), header_row=2)
    assert result.header_row == 2 and result.rows_above == [1]
    assert result.frame["ticket_id"].tolist() == ["T1"]
    assert codes(read(csv_bytes(rows), header_row=9)) >= {"ingest.no_header_row"}


def test_a_data_row_of_status_words_never_beats_the_header_above_rows_of_times():
    # row 2's values name four columns (Completed/Resolved → resolved, Closed → closed, Accepted →
    # adopted, Reopened → reopen count), the real header only three; but under row 2 no cell is a time,
    # a yes/no or a number, while under row 1 the Created cells are times
    states = ["Completed", "Closed", "Resolved", "Accepted", "Reopened"]
    rows = [
        ["Ticket", "Created", "Priority", "Stage", "Step", "Outcome", "Flag", "Again"],
        ["T1", "2026-03-02 09:00", "P1", *states],
        ["T2", "2026-03-02 10:00", "P2", *states],
        ["T3", "2026-03-02 11:00", "P3", *states],
    ]
    result = read(csv_bytes(rows))
    assert result.header_row == 1 and result.rows_above == []
    assert result.frame["ticket_id"].tolist() == ["T1", "T2", "T3"]


# ---------------------------------------------------------------- no preset matches


def test_missing_columns_say_which_row_was_the_header_what_it_held_and_the_closest_preset():
    rows = [["Issue key", "Summary", "Status"], ["HD-1", "VPN", "Done"]]
    result = read(csv_bytes(rows))
    [note] = issues(result, "ingest.header_not_recognised")
    assert note.level == "error" and note.row == 1
    assert '"Issue key", "Summary", "Status"' in note.en
    assert "Jira Service Management" in note.en and "Created" in note.en  # what it lacks


# ---------------------------------------------------------------- the shape, from the file itself


def test_servicenow_event_log_is_a_status_history_with_no_mapping():
    # INC0000045: opened 29/2 01:16; New 01:23, Resolved 08:53, Resolved 11:29, Closed 5/3 12:00.
    # INC0003663: opened 7/3 14:55; New 15:02, Awaiting User Info 17:41, Resolved 10/3 11:11, Active
    # 12:04 (twice: the second is a duplicate), Resolved 12/4 09:12, Closed 17/4 10:07.
    result = read_tickets(SERVICENOW, base_terms())
    assert not result.has_errors, [i.en for i in result.errors]
    assert (result.shape, result.preset, result.shape_forced) == ("events", "servicenow-log", False)
    assert result.history.events == 10 and result.history.duplicates == 1
    a = by_id(result, "INC0000045")
    assert a["created_at"] == utc("2016-02-28 17:16")  # opened_at, not the first event (01:23)
    assert a["first_response_at"] == utc("2016-02-29 00:53")  # the first state past New
    assert a["resolved_at"] == utc("2016-02-29 00:53")  # resolved → resolved is not a second resolution
    assert a["closed_at"] == utc("2016-03-05 04:00")
    assert a["priority"] == "P3"  # "3 - Moderate" is level 3: the contract's third priority
    assert a["reopened_count"] == 0 and pd.isna(a["pause_intervals"])
    b = by_id(result, "INC0003663")
    assert b["first_response_at"] == utc("2016-03-07 09:41")
    assert b["resolved_at"] == utc("2016-04-12 01:12")  # the last cycle's resolution
    assert b["reopened_count"] == 1
    assert b["pause_intervals"] == (
        "2016-03-07T09:41:00Z/2016-03-10T03:11:00Z|pause|Awaiting User Info;"
        "2016-03-10T03:11:00Z/2016-03-10T04:04:00Z|reopen|Resolved"
    )


def test_servicenow_event_log_read_one_row_per_incident_through_its_own_resolved_at():
    result = read_tickets(SERVICENOW, base_terms(), shape="ticket")
    assert not result.has_errors, [i.en for i in result.errors]
    assert (result.shape, result.preset, result.shape_forced) == ("tickets", "servicenow-fields", True)
    assert result.earlier_rows == 9 and result.frame["_row"].tolist() == [5, 12]  # each incident's last row
    assert "ingest.history_as_tickets" in codes(result)
    a = by_id(result, "INC0000045")
    assert a["resolved_at"] == utc("2016-02-29 03:29")  # the export's resolved_at: 11:29, the last Resolved
    assert a["status"] == "Closed" and a["reopened_count"] == 0
    assert by_id(result, "INC0003663")["reopened_count"] == 1


def test_a_ticket_list_stays_one_row_per_ticket_and_history_can_be_forced():
    rows = [
        ["工单号", "创建时间", "优先级", "状态", "更新时间"],
        ["T1", "2026-03-02 09:00", "P1", "处理中", "2026-03-02 10:00"],
    ]
    as_list = read_tickets(csv_bytes(rows), base_terms())
    assert (as_list.shape, as_list.looks_like_history) == ("tickets", False)
    forced = read_tickets(csv_bytes(rows), base_terms(), shape="history")
    assert (forced.shape, forced.shape_forced) == ("events", True)
    assert forced.frame["first_response_at"].tolist() == [utc("2026-03-02 01:00")]  # at once: active


def test_a_repeated_id_at_the_same_change_time_is_a_duplicate_row_not_a_history():
    rows = [
        ["工单号", "创建时间", "优先级", "状态", "更新时间"],
        ["T1", "2026-03-02 09:00", "P1", "处理中", "2026-03-02 10:00"],
        ["T1", "2026-03-02 09:00", "P1", "处理中", "2026-03-02 10:00"],
    ]
    result = read_tickets(csv_bytes(rows), base_terms())
    assert result.shape == "tickets" and "ingest.duplicate_id" in codes(result)


def test_process_mining_event_log_with_activities_for_states():
    # the XES keys pm4py writes; activities named as people name them
    rows = [
        ["case:concept:name", "concept:name", "time:timestamp", "org:resource"],
        ["C1", "Insert ticket", "2026-03-02 09:00:00", "Value 1"],
        ["C1", "Assign seriousness", "2026-03-02 09:20:00", "Value 1"],
        ["C1", "Wait", "2026-03-02 10:00:00", "Value 2"],
        ["C1", "Take in charge ticket", "2026-03-02 11:00:00", "Value 2"],
        ["C1", "Resolve ticket", "2026-03-02 12:00:00", "Value 2"],
        ["C1", "Closed", "2026-03-02 13:00:00", "Value 2"],
        ["C2", "Insert ticket", "2026-03-03 09:00:00", "Value 1"],
        ["C2", "Cancel request", "2026-03-03 09:30:00", "Value 1"],
    ]
    terms = make_contract({"contract": {"default_priority": "P3"}})
    result = read_tickets(csv_bytes(rows), terms)
    assert not result.has_errors, [i.en for i in result.errors]
    assert (result.shape, result.preset) == ("events", "event-log")
    c1 = by_id(result, "C1")
    assert c1["first_response_at"] == utc("2026-03-02 01:20")  # "Assign" is the first past new
    assert c1["resolved_at"] == utc("2026-03-02 04:00") and c1["closed_at"] == utc("2026-03-02 05:00")
    assert c1["pause_intervals"] == "2026-03-02T02:00:00Z/2026-03-02T03:00:00Z|pause|Wait"
    assert c1["priority"] == "P3" and c1["assignee"] == "Value 2"
    assert by_id(result, "C2")["exclusion_reason"] == "cancelled"
    assert "history.unknown_states" not in codes(result)
    assert "ingest.default_priority" in codes(result)


def test_bpic_volvo_log_without_mapping():
    result = read_tickets(BPIC, base_terms())
    assert not result.has_errors
    first = by_id(result, "1-364285768")
    # Completed/Resolved on 2010-04-06 15:44:51, reopened (Queued) at 15:45:07; the last cycle resolves
    # on 2012-05-03 10:10:12 and closes on 2012-05-11 00:26:15, all at a fixed +01:00
    assert first["resolved_at"] == utc("2012-05-03 09:10:12")
    assert first["closed_at"] == utc("2012-05-10 23:26:15")
    assert first["reopened_count"] == 1
    assert first["priority"] == "P3"  # Medium: level 3
    assert result.history.open_at_end == 1  # 1-503573772's three events end queued


# ---------------------------------------------------------------- cancelled, undated, unprioritised


def test_jira_cancelled_ticket_is_excluded_with_reason_cancelled():
    result = read(JIRA)
    assert by_id(result, "HD-102")["excluded"] and by_id(result, "HD-102")["exclusion_reason"] == "cancelled"
    assert not by_id(result, "HD-101")["excluded"] and pd.isna(by_id(result, "HD-101")["exclusion_reason"])
    assert {"excluded", "exclusion_reason"} <= result.columns_present


def test_cancelled_states_of_each_source_and_of_the_contract():
    cases = [
        (["Ticket Number", "Date Created", "Priority", "Current Status"], "Deleted"),  # osTicket
        (["Id", "Created at", "Priority", "Status"], "Deleted"),  # Zendesk
        (["Number", "Opened", "Priority", "State"], "Canceled"),  # ServiceNow
        (["工单号", "创建时间", "优先级", "状态"], "作废"),
        (["工单号", "创建时间", "优先级", "状态"], "已撤销"),
    ]
    for header, state in cases:
        rows = [header, ["T1", "2026-03-02 09:00", "P1", state], ["T2", "2026-03-02 10:00", "P1", "Closed"]]
        result = read(csv_bytes(rows))
        assert result.frame["exclusion_reason"].tolist()[0] == "cancelled", (header, state)
        assert result.frame["excluded"].tolist() == [True, False], (header, state)
    rows = [["工单号", "创建时间", "优先级", "状态"], ["T1", "2026-03-02 09:00", "P1", "Void"]]
    assert read(csv_bytes(rows)).frame["excluded"].tolist() == [False]  # nobody said Void cancels
    own = make_contract({"statuses": {"cancelled": ["Void"]}})
    assert read(csv_bytes(rows), terms=own).frame["exclusion_reason"].tolist() == ["cancelled"]


def test_a_stated_exclusion_reason_wins_over_cancelled():
    rows = [
        ["工单号", "创建时间", "优先级", "状态", "免责原因"],
        ["T1", "2026-03-02 09:00", "P1", "已取消", "停电"],
    ]
    assert read(csv_bytes(rows)).frame["exclusion_reason"].tolist() == ["停电"]


def test_resolved_status_without_a_resolution_time():
    rows = [
        ["Issue key", "Created", "Priority", "Status", "Resolved", "Status Category Changed"],
        ["HD-1", "02/Mar/26 9:00 AM", "High", "Done", "02/Mar/26 11:00 AM", "02/Mar/26 11:05 AM"],
        ["HD-2", "02/Mar/26 9:00 AM", "High", "Done", "", "02/Mar/26 3:00 PM"],
        ["HD-3", "02/Mar/26 9:00 AM", "High", "Resolved", "", ""],
        ["HD-4", "02/Mar/26 9:00 AM", "High", "Done", "", ""],
        ["HD-5", "02/Mar/26 9:00 AM", "High", "In Progress", "", "02/Mar/26 10:00 AM"],
    ]
    result = read(csv_bytes(rows))
    resolved = result.frame.set_index("ticket_id")["resolved_at"]
    assert resolved["HD-1"] == utc("2026-03-02 03:00")  # its own date
    assert resolved["HD-2"] == utc("2026-03-02 07:00")  # the status change: 3 PM
    assert pd.isna(resolved["HD-3"]) and pd.isna(resolved["HD-4"]) and pd.isna(resolved["HD-5"])
    [note] = issues(result, "ingest.resolved_without_time")
    assert note.level == "warning" and note.value == "2"  # HD-3 and HD-4, one warning for both


def test_resolved_status_takes_closed_at_first():
    # closed_at stands in for the resolution in outcomes (with its own warning): nothing filled here
    rows = [
        ["工单号", "创建时间", "优先级", "状态", "关闭时间"],
        ["T1", "2026-03-02 09:00", "P1", "已解决", "2026-03-02 12:00"],
    ]
    result = read(csv_bytes(rows))
    assert "ingest.resolved_without_time" not in codes(result)
    assert result.frame["closed_at"].tolist() == [utc("2026-03-02 04:00")]


def test_blank_priority_takes_the_default_priority_else_it_is_an_error():
    rows = [
        ["工单号", "创建时间", "优先级"],
        ["T1", "2026-03-02 09:00", ""],
        ["T2", "2026-03-02 09:00", "P1"],
    ]
    without = read(csv_bytes(rows))
    assert [(i.row, i.code) for i in without.errors] == [(2, "ingest.missing_value")]
    terms = make_contract({"contract": {"default_priority": "P3"}})
    result = read(csv_bytes(rows), terms=terms)
    assert not result.has_errors and result.frame["priority"].tolist() == ["P3", "P1"]
    [note] = issues(result, "ingest.default_priority")
    assert note.level == "warning" and "1" in note.en and "P3" in note.en


def test_no_priority_column_takes_the_default_priority_else_it_is_a_missing_column():
    rows = [["工单号", "创建时间"], ["T1", "2026-03-02 09:00"]]
    assert [i.column for i in issues(read(csv_bytes(rows)), "ingest.missing_column")] == ["priority"]
    terms = make_contract({"contract": {"default_priority": "P2"}})
    result = read(csv_bytes(rows), terms=terms)
    assert not result.has_errors and result.frame["priority"].tolist() == ["P2"]
    assert "priority" in result.columns_present


def test_a_status_history_without_priorities_needs_the_default_priority():
    rows = [
        ["case:concept:name", "concept:name", "time:timestamp"],
        ["C1", "Insert ticket", "2026-03-02 09:00"],
        ["C1", "Closed", "2026-03-02 10:00"],
    ]
    result = read_tickets(csv_bytes(rows), base_terms())
    [error] = result.errors
    assert error.code == "ingest.no_priority" and "C1" in error.en and "default_priority" in error.en


def test_default_priority_must_be_a_priority_of_the_contract():
    import copy

    from builders import EXAMPLE_RAW

    from sla_core.contract import contract_from_raw

    raw = copy.deepcopy(EXAMPLE_RAW)
    raw["contract"]["default_priority"] = "P9"
    contract, problems = contract_from_raw(raw)
    assert contract is None
    assert [(p.column, p.code) for p in problems] == [("contract.default_priority", "contract.invalid")]
    assert "P9" in problems[0].en and "P1, P2, P3" in problems[0].en


# ---------------------------------------------------------------- what a file cannot feed


def test_validation_lists_the_kpis_a_file_cannot_feed_before_import():
    as_list = read_tickets(SERVICENOW, base_terms(), shape="ticket")
    assert as_list.unfed["first_response_at"] == ["response_within_target"]
    assert as_list.unfed["first_contact_resolved"] == ["first_contact_resolution"]
    assert "resolved_at" not in as_list.unfed and "reopened_count" not in as_list.unfed
    history = read_tickets(SERVICENOW, base_terms())  # a history gives first responses
    assert "first_response_at" not in history.unfed


def test_the_unfed_kpis_read_as_one_warning_per_missing_column():
    from sla_core.ingest.feeds import unfed_issues

    [note] = unfed_issues({"first_response_at": ["response_within_target"]}, "t.csv")
    assert note.level == "warning" and note.code == "ingest.kpi_no_data" and note.file == "t.csv"
    assert note.zh == "文件没有「首次响应时间」列（first_response_at）：首次响应达标率 将显示无数据"
    assert note.en == (
        "this file has no first response column (first_response_at): Response within target will show no data"
    )


def test_a_history_read_one_row_per_ticket_still_says_what_it_looks_like():
    result = read_tickets(SERVICENOW, base_terms(), shape="ticket")
    assert result.looks_like_history and result.shape == "tickets"
    as_list = read_tickets(JIRA, base_terms())
    assert not as_list.looks_like_history and as_list.shape == "tickets"
