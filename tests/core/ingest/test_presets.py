"""Import presets: small hand-made exports in each source's real format (headers, date format, priority
and status values, blank markers) land in the right columns and give the KPIs worked out by hand.

The example contract: Asia/Shanghai; P1 round the clock (resolution 2 h), P2/P3 on business hours
Mon–Fri 09:00–18:00 (P2 response 30 min, resolution 8 h; P3 2 h / 24 h). 2 March 2026 is a Monday.
"""

from __future__ import annotations

import gzip
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from builders import EXAMPLE_TEXT, ROOT, make_contract

from sla_core import store as S
from sla_core import workspace
from sla_core.dataset import Dataset
from sla_core.evaluate import evaluate
from sla_core.ingest import read_file, read_history
from sla_core.ingest.presets import BUILTIN, Preset, by_id, priority_labels, recognise

ZONE = ZoneInfo("Asia/Shanghai")
CONTRACT = make_contract()
VOLVO = ROOT.parent / "shared" / "datasets" / "bpic2013_volvo_incidents" / "VINST-new.csv.gz"


def local(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=ZONE).tz_convert("UTC")


def read(text: str, name: str = "export.csv"):
    result = read_file(text.encode(), "tickets", CONTRACT, file_name=name)
    assert not result.has_errors, [i.en for i in result.errors]
    return result


def outcomes(result) -> pd.DataFrame:
    data = Dataset(tickets=result.frame, columns={"tickets": result.columns_present})
    as_of = datetime(2026, 3, 31, tzinfo=ZONE).timestamp()
    return evaluate(CONTRACT, data, as_of=as_of).tickets.set_index("ticket_id")


def row(result, ticket: str) -> pd.Series:
    return result.frame.set_index("ticket_id").loc[ticket]


def test_servicenow_incident_list():
    result = read(
        "Number,Opened,Short description,Caller,Priority,State,Category,Assignment group,Assigned to,"
        "Updated,Resolved,Closed\n"
        "INC0010001,02-03-2026 09:00:00,Email down,Abel Tuter,1 - Critical,Closed,Incident,Service Desk,"
        "Beth Anglin,02-03-2026 12:00:00,02-03-2026 10:30:00,02-03-2026 12:00:00\n"
        "INC0010002,03-03-2026 10:00:00,Printer jam,Bud Richman,3 - Moderate,Resolved,Request,Hardware,"
        "Fred Luddy,03-03-2026 15:00:00,03-03-2026 15:00:00,(empty)\n"
        "INC0010003,04-03-2026 11:00:00,New laptop,Bud Richman,5 - Planning,On Hold,Request,Hardware,"
        "Fred Luddy,04-03-2026 11:00:00,,\n"
    )
    assert (result.preset, result.preset_recognised) == ("servicenow", True)
    one = row(result, "INC0010001")
    assert one["created_at"] == local("2026-03-02 09:00")  # dd-mm-yyyy: the preset's day/month order
    assert one["resolved_at"] == local("2026-03-02 10:30") and one["closed_at"] == local("2026-03-02 12:00")
    assert (one["priority"], one["status"], one["team"], one["assignee"], one["customer"]) == (
        "P1",
        "Closed",
        "Service Desk",
        "Beth Anglin",
        "Abel Tuter",
    )
    assert one["category"] == "fault"
    assert pd.isna(row(result, "INC0010002")["closed_at"])  # "(empty)" is blank
    assert row(result, "INC0010002")["priority"] == "P3" and row(result, "INC0010003")["priority"] == "P3"
    o = outcomes(result)
    assert o.loc["INC0010001", "resolution_seconds"] == 5400  # P1, 24x7
    assert o.loc["INC0010002", "resolution_seconds"] == 5 * 3600  # P3, 10:00–15:00 on Tuesday
    assert not o.loc["INC0010003", "resolved"]  # on hold, past P3's 24 business hours by 31 March
    assert o.loc["INC0010003", "resolution_status"] == "breached"


def test_jira_service_management_issue_export():
    result = read(
        "Issue key,Issue id,Summary,Issue Type,Status,Priority,Assignee,Reporter,Created,Updated,Resolved,"
        "Custom field (Time to first response),Custom field (Time to resolution)\n"
        "HD-1,10001,VPN down,Incident,Resolved,Highest,Ann Lee,Bob Ma,02/Mar/26 9:00 AM,02/Mar/26 11:00 AM,"
        "02/Mar/26 10:30 AM,-0:30,1:30\n"
        "HD-2,10002,Access,Service request,Waiting for customer,Medium,Ann Lee,Cat Wu,02/Mar/26 2:15 PM,"
        "02/Mar/26 3:00 PM,,,\n"
    )
    assert (result.preset, result.preset_recognised) == ("jira", True)
    one = row(result, "HD-1")
    assert one["created_at"] == local("2026-03-02 09:00") and one["resolved_at"] == local("2026-03-02 10:30")
    assert (one["priority"], one["status"], one["category"], one["assignee"], one["customer"]) == (
        "P1",
        "Resolved",
        "fault",
        "Ann Lee",
        "Bob Ma",
    )
    assert row(result, "HD-2")["priority"] == "P3"  # Medium: level 3
    assert row(result, "HD-2")["created_at"] == local("2026-03-02 14:15")
    assert "Custom field (Time to first response)" not in result.unknown_columns  # ignored on purpose
    assert outcomes(result).loc["HD-1", "resolution_seconds"] == 5400


def test_zendesk_ticket_export():
    result = read(
        "Id,Requester,Requester id,Assignee,Group,Subject,Tags,Status,Priority,Via,Ticket type,Created at,"
        "Updated at,Solved at,Reopens,Replies,First reply time in minutes,On hold time in minutes\n"
        "101,Ann Lee,9,Bob Ma,Support,VPN,,solved,urgent,Email,incident,2026-03-02 09:00:00,"
        "2026-03-02 10:00:00,2026-03-02 10:00:00,1,2,5,30\n"
        "102,Cat Wu,10,Bob Ma,Support,How to,,pending,normal,Web form,question,2026-03-02 11:00:00,"
        "2026-03-02 11:30:00,,0,1,30,0\n"
    )
    assert (result.preset, result.preset_recognised) == ("zendesk", True)
    one = row(result, "101")
    assert (one["priority"], one["channel"], one["category"], one["team"], one["reopened_count"]) == (
        "P1",
        "Email",
        "fault",
        "Support",
        1,
    )
    assert one["paused_minutes"] == 30 and one["resolved_at"] == local("2026-03-02 10:00")
    assert row(result, "102")["category"] == "inquiry" and row(result, "102")["priority"] == "P3"
    o = outcomes(result)
    assert o.loc["101", "resolution_seconds"] == 3600 - 1800  # on hold 30 minutes
    assert bool(o.loc["101", "reopened"])


def test_freshdesk_ticket_export():
    result = read(
        "Ticket ID,Subject,Status,Priority,Source,Type,Agent,Group,Created time,Due by Time,Resolved time,"
        "Closed time,Last update time,Initial response time,Time tracked,First response time (in hrs),"
        "Resolution time (in hrs),Agent interactions,Customer interactions,Resolution status,"
        "First response status,Tags,Survey results,Product,Full name\n"
        "1,Login,Closed,Urgent,Email,Incident,Agent A,L1,2026-03-02 09:00:00,2026-03-02 13:00:00,"
        "2026-03-02 09:45:00,2026-03-02 10:00:00,2026-03-02 10:00:00,2026-03-02 09:05:00,00:30,0.08,0.75,"
        "2,1,Within SLA,Within SLA,,,,Carol Xu\n"
        "2,Access,Pending,Medium,Portal,Request,Agent B,L2,2026-03-02 10:00:00,2026-03-03 10:00:00,,,"
        "2026-03-02 10:20:00,2026-03-02 10:20:00,,0.33,,1,1,,Within SLA,,,,Dan Li\n"
    )
    assert (result.preset, result.preset_recognised) == ("freshdesk", True)
    one = row(result, "1")
    assert one["first_response_at"] == local("2026-03-02 09:05") and one["closed_at"] == local(
        "2026-03-02 10:00"
    )
    assert (one["priority"], one["channel"], one["assignee"], one["team"], one["customer"]) == (
        "P1",
        "Email",
        "Agent A",
        "L1",
        "Carol Xu",
    )
    o = outcomes(result)
    assert (o.loc["1", "response_seconds"], o.loc["1", "resolution_seconds"]) == (300, 2700)
    assert o.loc["2", "response_seconds"] == 1200 and row(result, "2")["priority"] == "P3"


def test_zammad_ticket_spreadsheet():
    result = read(
        "#,Title,State,Priority,Group,Owner,Customer,Organization,Create Channel,Sender,Tags,"
        "Time Units Total,Created At,Updated At,Closed At,First Response At\n"
        "31001,VPN,closed,3 high,Users,Agent One,Ann Lee,,email,Customer,,0,2026-03-02 09:00:00,"
        "2026-03-02 11:00:00,2026-03-02 11:00:00,2026-03-02 09:10:00\n"
        "31002,Printer,open,2 normal,Users,Agent Two,Bob Ma,,phone,Customer,,0,2026-03-02 14:00:00,"
        "2026-03-02 14:30:00,,2026-03-02 14:30:00\n"
    )
    assert (result.preset, result.preset_recognised) == ("zammad", True)
    one = row(result, "31001")
    assert (one["priority"], one["team"], one["assignee"], one["customer"], one["channel"]) == (
        "P1",
        "Users",
        "Agent One",
        "Ann Lee",
        "email",
    )
    assert row(result, "31002")["priority"] == "P2"
    o = outcomes(result)
    assert (o.loc["31001", "response_seconds"], o.loc["31001", "resolution_seconds"]) == (600, 7200)
    assert o.loc["31001", "resolution_status"] == "met"  # closed at exactly 2 h: inclusive
    assert (o.loc["31002", "response_seconds"], o.loc["31002", "response_status"]) == (1800, "met")


def test_glpi_ticket_search_export_semicolons_and_day_first_dates():
    result = read(
        "ID;Title;Status;Last update;Opening date;Priority;Requester;Assigned to;Category;Resolution date;"
        "Closing date\n"
        "1;PC broken;Closed;02-03-2026 12:00;02-03-2026 09:00;Very high;Ann Lee;Tech One;Incident;"
        "02-03-2026 11:00;02-03-2026 12:00\n"
        "2;Mail;Processing (assigned);02-03-2026 14:00;02-03-2026 14:00;Medium;Bob Ma;Tech Two;Request;;\n"
    )
    assert (result.preset, result.preset_recognised) == ("glpi", True)
    one = row(result, "1")
    assert one["created_at"] == local("2026-03-02 09:00") and one["resolved_at"] == local("2026-03-02 11:00")
    assert (one["priority"], one["assignee"], one["customer"], one["category"]) == (
        "P1",
        "Tech One",
        "Ann Lee",
        "fault",
    )
    assert row(result, "2")["priority"] == "P3" and row(result, "2")["status"] == "Processing (assigned)"
    assert outcomes(result).loc["1", "resolution_seconds"] == 7200


def test_osticket_export_month_first_dates():
    result = read(
        "Ticket Number,Date Created,Subject,From,From Email,Priority,Department,Help Topic,Source,"
        "Current Status,Last Updated,Due Date,Closed Date,Overdue,Answered,Agent Assigned,Team Assigned,"
        "Thread Count,Reopen Count\n"
        "123456,3/2/2026 9:00 am,VPN,Ann Lee,ann@example.com,Emergency,Support,Report a Problem,Email,Closed,"
        "3/2/2026 10:00 am,,3/2/2026 10:00 am,0,1,Agent A,,3,1\n"
        "123457,3/2/2026 2:00 pm,Question,Bob Ma,bob@example.com,Normal,Support,General Inquiry,Web,Open,"
        "3/2/2026 2:00 pm,,,0,0,,,1,0\n"
    )
    assert (result.preset, result.preset_recognised) == ("osticket", True)
    one = row(result, "123456")
    assert one["created_at"] == local("2026-03-02 09:00") and one["closed_at"] == local("2026-03-02 10:00")
    assert (one["priority"], one["team"], one["assignee"], one["reopened_count"]) == (
        "P1",
        "Support",
        "Agent A",
        1,
    )
    assert row(result, "123457")["priority"] == "P3"
    assert outcomes(result).loc["123456", "resolution_seconds"] == 3600  # closed, used as resolved


def test_chinese_helpdesk_export():
    result = read(
        "工单编号,标题,创建时间,优先级,状态,工单类型,处理组,处理人,首次响应时间,解决时间,关闭时间,挂起时长(分钟),"
        "是否一次解决,重开次数\n"
        "GD-1,邮箱无法登录,2026/03/02 09:00,高,已关闭,故障,一线,张伟,2026/03/02 09:20,2026/03/02 12:00,"
        "2026/03/02 13:00,60,是,0\n"
        "GD-2,咨询报销,2026年3月2日 14:00,紧急,处理中,咨询,二线,王磊,无,无,无,无,否,0\n"
    )
    assert (result.preset, result.preset_recognised) == ("cn-helpdesk", True)
    one = row(result, "GD-1")
    assert (one["priority"], one["team"], one["assignee"], one["category"]) == ("P2", "一线", "张伟", "fault")
    assert bool(one["first_contact_resolved"]) and one["paused_minutes"] == 60
    two = row(result, "GD-2")
    assert two["priority"] == "P1" and pd.isna(two["first_response_at"]) and pd.isna(two["paused_minutes"])
    o = outcomes(result)
    assert (o.loc["GD-1", "response_seconds"], o.loc["GD-1", "resolution_seconds"]) == (1200, 3 * 3600 - 3600)


def test_the_demo_header_for_paused_minutes_is_recognised():
    result = read("工单号,创建时间,优先级,挂起分钟数\nT1,2026-03-02 09:00,P2,15\n")
    assert result.mapping["挂起分钟数"] == "paused_minutes"
    result = read("工单号,创建时间,优先级,挂起时长（分钟）\nT1,2026-03-02 09:00,P2,15\n")
    assert result.mapping["挂起时长（分钟）"] == "paused_minutes"


def test_the_user_can_choose_another_preset_or_none():
    text = "Number,Opened,Priority,State\nINC1,02-03-2026 09:00:00,1 - Critical,New\n"
    assert read_file(text.encode(), "tickets", CONTRACT, preset="").preset is None
    unknown = read_file(text.encode(), "tickets", CONTRACT, preset="")
    assert any(i.code == "ingest.unknown_priority" for i in unknown.errors)  # no preset: no priority levels
    chosen = read_file(text.encode(), "tickets", CONTRACT, preset="servicenow")
    assert (chosen.preset, chosen.preset_recognised) == ("servicenow", False)


def test_a_saved_user_preset_is_recognised_and_applied(tmp_path):
    store = workspace.open_workspace(tmp_path / "sla.duckdb")
    S.save_contract(store, EXAMPLE_TEXT, "tester")
    mine = by_id("servicenow").customised(
        id="user:ours", name="Our ServiceNow", mapping={"Business service": "category", "Caller": ""}
    )
    S.save_preset(store, CONTRACT.id, mine.to_dict(), "tester")
    presets = workspace.user_presets(store, CONTRACT.id)
    assert [p.id for p in presets] == ["user:ours"] and presets[0].user
    text = (
        "Number,Opened,Priority,State,Business service,Caller\n"
        "INC1,02-03-2026 09:00:00,2 - High,New,Incident,Ann\n"
    )
    result = read_file(text.encode(), "tickets", CONTRACT, presets=presets)
    assert result.preset == "user:ours" and result.mapping["Business service"] == "category"
    assert "customer" not in result.columns_present
    report = workspace.import_file(store, CONTRACT.id, "tickets", text.encode(), user="t", file_name="s.csv")
    assert report.stored and report.result.preset == "user:ours"


def test_priority_levels_follow_the_contract_order_and_its_own_labels_win():
    levels = priority_labels(by_id("servicenow"), CONTRACT.base)
    assert levels == {
        "1 - Critical": "P1",
        "2 - High": "P2",
        "3 - Moderate": "P3",
        "4 - Low": "P3",
        "5 - Planning": "P3",
    }


def test_every_builtin_preset_recognises_its_own_headers():
    for preset in BUILTIN:
        assert recognise(list(preset.columns), preset.shape) is preset, preset.id
        assert preset.source, preset.id
        assert Preset.from_dict(preset.to_dict()).columns == preset.columns


@pytest.mark.skipif(not VOLVO.exists(), reason="../shared/datasets is not beside the repository")
def test_real_volvo_incident_status_log():
    """BPIC 2013 VINST: 65,533 real status changes of 7,554 incidents (README.txt beside the data)."""
    result = read_history(gzip.decompress(VOLVO.read_bytes()), CONTRACT, file_name="VINST-new.csv")
    assert (result.preset, result.preset_recognised) == ("bpic2013/volvo", True)
    assert not result.has_errors
    h = result.history
    assert (h.events, h.tickets, h.duplicates, h.unknown_states) == (65_533, 7_554, 0, [])
    assert h.open_at_end < 20 and h.cancelled >= 1 and h.reopened > 100 and h.paused > 1000
    frame = result.frame.set_index("ticket_id")
    first = frame.loc["1-364285768"]  # the README's first case, in the file's first rows
    assert first["created_at"] == pd.Timestamp("2010-03-31 14:59:42", tz="UTC")  # +01:00 offset converted
    assert first["resolved_at"] == pd.Timestamp("2012-05-03 09:10:12", tz="UTC")  # last cycle's resolution
    assert first["closed_at"] == pd.Timestamp("2012-05-10 23:26:15", tz="UTC")
    assert first["reopened_count"] == 1 and first["status"] == "Closed"
    ticks = evaluate(
        CONTRACT, Dataset(tickets=result.frame, columns={"tickets": result.columns_present})
    ).tickets
    assert len(ticks) == 7_554 and (ticks["resolution_seconds"] >= 0).all()


def test_presets_module_cites_a_source_for_every_builtin():
    text = (
        Path(__file__)
        .resolve()
        .parents[3]
        .joinpath("sla_core", "ingest", "builtin_presets.py")
        .read_text("utf-8")
    )
    for name in (
        "ServiceNow",
        "Jira",
        "Zendesk",
        "Freshdesk",
        "zammad/zammad",
        "GLPI",
        "osTicket",
        "BPI Challenge",
    ):
        assert name in text


def test_missing_markers_and_yes_no_words_in_every_chunk_of_an_arrow_column():
    """A large CSV's columns arrive as several Arrow chunks; markers are found in each, in place."""
    import pyarrow as pa

    from sla_core.ingest.presets import CHINESE, preset_cells

    chunks = pa.chunked_array([pa.array(["无", "T-1", " -- "]), pa.array(["T-2", "暂无", "", "/"])])
    column = pd.Series(pd.arrays.ArrowStringArray(chunks.cast(pa.large_string())), index=range(2, 9))
    out = preset_cells(column, "string", CHINESE)
    assert out.tolist() == ["", "T-1", "", "T-2", "", "", ""]
    assert out.index.tolist() == list(range(2, 9))
    words = pd.Series(
        pd.arrays.ArrowStringArray(
            pa.chunked_array([pa.array(["是"]), pa.array(["否", "x"])]).cast(pa.large_string())
        )
    )
    assert preset_cells(words, "bool", CHINESE).tolist() == ["true", "false", "x"]
