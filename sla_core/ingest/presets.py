"""Import presets: what one helpdesk's export looks like, as data.

A preset names a source's columns as the source writes them (header → canonical column, "" = ignore),
its day/month order (used only when the values leave it open), its extra missing-value markers and
yes/no words, its priority values as levels (1 = most urgent; level n is the contract's n-th priority,
the last one for larger n; the contract's own labels win), and its raw states → canonical states
(new, active, pause, resolved, closed, cancelled). `shape` says whether a file holds one row per ticket
or one row per status change (a status history, see `history.py`).

`recognise` picks the preset whose headers a file carries best; the user can choose another one, or save
their own per contract (`Preset.to_dict` / `Preset.from_dict`, kept by the store).

Where each preset's names come from is cited beside it: the vendor's documentation where it lists the
export's columns, else the product's own source code that writes the export.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sla_core.contract import CANONICAL_STATES, Terms
from sla_core.ingest.synonyms import normalize
from sla_core.ingest.values import DateOrder

Shape = Literal["tickets", "events"]
IGNORE = ""
# a file "is" a preset when at least this many of the preset's headers are there (and its key columns)
MIN_MATCHED = 3


@dataclass(frozen=True)
class Preset:
    id: str
    name: str
    shape: Shape
    columns: Mapping[str, str]  # header as the source writes it → canonical column ("" = ignore it)
    source: str = ""  # where the column names come from
    date_order: DateOrder | None = None
    priorities: Mapping[str, int] = field(default_factory=dict)  # value → level, 1 = most urgent
    states: Mapping[str, str] = field(default_factory=dict)  # raw state → canonical state
    missing: tuple[str, ...] = ()  # cells that mean blank, besides the usual ones (-, ?, N/A …)
    true_words: tuple[str, ...] = ()
    false_words: tuple[str, ...] = ()
    base: str | None = None  # a user preset: the built-in one it started from
    user: bool = False

    def mapping(self) -> dict[str, str]:
        """The column mapping to read with (ignored headers as "忽略", the mapping's skip word)."""
        return {h: (c or "忽略") for h, c in self.columns.items()}

    def keys(self) -> set[str]:
        return {header_key(h) for h in self.columns} - {""}

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "shape": self.shape,
            "columns": dict(self.columns),
            "source": self.source,
            "date_order": self.date_order,
            "priorities": dict(self.priorities),
            "states": dict(self.states),
            "missing": list(self.missing),
            "true_words": list(self.true_words),
            "false_words": list(self.false_words),
            "base": self.base,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Preset:
        shape = data.get("shape") or "tickets"
        order = data.get("date_order")
        states = {str(k): str(v) for k, v in (data.get("states") or {}).items() if v in CANONICAL_STATES}
        return cls(
            id=str(data["id"]),
            name=str(data.get("name") or data["id"]),
            shape="events" if shape == "events" else "tickets",
            columns={str(k): str(v or "") for k, v in (data.get("columns") or {}).items()},
            source=str(data.get("source") or ""),
            date_order=order if order in ("dmy", "mdy") else None,
            priorities={str(k): int(v) for k, v in (data.get("priorities") or {}).items()},
            states=states,
            missing=tuple(str(m) for m in data.get("missing") or ()),
            true_words=tuple(str(w) for w in data.get("true_words") or ()),
            false_words=tuple(str(w) for w in data.get("false_words") or ()),
            base=data.get("base"),
            user=True,
        )

    def customised(
        self, *, id: str, name: str, mapping: Mapping[str, str] | None = None, **changes: Any
    ) -> Preset:
        """A user's copy: this preset with the user's column mapping (and other changes) on top."""
        columns = dict(self.columns)
        for header, target in (mapping or {}).items():
            columns[header] = "" if target in ("忽略", "ignore", "-", "") else target
        return replace(
            self, id=id, name=name, columns=columns, base=self.base or self.id, user=True, **changes
        )


# ---------------------------------------------------------------- the built-in presets

# ServiceNow incident list (Incident > All, list export to Excel/CSV): the column headers are the
# incident table's field labels. Labels as the incident form shows them (Number, Opened, Caller, Category,
# Channel, Assignment group, Assigned to, Priority, State, Resolved, Closed …); states New, In Progress,
# On Hold (reasons Awaiting Caller/Change/Problem/Vendor), Resolved, Closed, Canceled from the ServiceNow
# product documentation "Incident life cycle" (servicenow.com/docs … incident-management/
# c_IncidentManagementStateModel); priorities "1 - Critical" … "5 - Planning" from "Data lookup for
# prioritizing problems"/"Define priority lookup rules" (same documentation). Dates: the instance's
# format, often dd-MM-yyyy HH:mm:ss.
SERVICENOW = Preset(
    id="servicenow",
    name="ServiceNow",
    shape="tickets",
    source="ServiceNow docs: Incident life cycle (states), priority lookup rules (1 - Critical … 5 - Planning); "
    "incident form field labels",
    columns={
        "Number": "ticket_id",
        "Opened": "created_at",
        "Priority": "priority",
        "State": "status",
        "Incident state": "status",
        "Category": "category",
        "Channel": "channel",
        "Contact type": "channel",
        "Caller": "customer",
        "Assignment group": "team",
        "Assigned to": "assignee",
        "Resolved": "resolved_at",
        "Closed": "closed_at",
        "Reopen count": "reopened_count",
        "Short description": IGNORE,
        "Updated": IGNORE,
        "Updated by": IGNORE,
        "Impact": IGNORE,
        "Urgency": IGNORE,
        "Subcategory": IGNORE,
        "Resolved by": IGNORE,
        "Configuration item": IGNORE,
        "Active": IGNORE,
    },
    date_order="dmy",
    priorities={"1 - Critical": 1, "2 - High": 2, "3 - Moderate": 3, "4 - Low": 4, "5 - Planning": 5},
    states={
        "New": "new",
        "In Progress": "active",
        "Active": "active",
        "On Hold": "pause",
        "Awaiting Caller": "pause",
        "Awaiting User Info": "pause",
        "Awaiting Change": "pause",
        "Awaiting Problem": "pause",
        "Awaiting Vendor": "pause",
        "Resolved": "resolved",
        "Closed": "closed",
        "Canceled": "cancelled",
        "Cancelled": "cancelled",
    },
    missing=("(empty)",),
    true_words=("true",),
    false_words=("false",),
)

# Jira Service Management: Issues > Export > CSV (all fields). Headers "Issue key", "Issue id",
# "Summary", "Issue Type", "Status", "Priority", "Assignee", "Reporter", "Created", "Updated", "Resolved",
# SLA fields as "Custom field (Time to first response)" / "Custom field (Time to resolution)" (remaining
# SLA time, not a timestamp: ignored). Dates as "12/Mar/26 3:45 PM" (dd/MMM/yy h:mm a). Names as Jira's
# CSV export writes them (seen in public code that reads these exports, e.g. columns lists holding
# "Issue Key", "Created", "Resolved", "Custom field (Time to first response)", "Priority"); priorities are
# Jira's defaults (Highest … Lowest), statuses the Service Management workflow's.
JIRA = Preset(
    id="jira",
    name="Jira Service Management",
    shape="tickets",
    source="Jira issue CSV export (all fields): Issue key, Created, Resolved, Custom field (…) headers",
    columns={
        "Issue key": "ticket_id",
        "Created": "created_at",
        "Resolved": "resolved_at",
        "Priority": "priority",
        "Status": "status",
        "Issue Type": "category",
        "Assignee": "assignee",
        "Reporter": "customer",
        "Custom field (Request Type)": IGNORE,
        "Custom field (Time to first response)": IGNORE,
        "Custom field (Time to resolution)": IGNORE,
        "Custom field (Organizations)": IGNORE,
        "Issue id": IGNORE,
        "Summary": IGNORE,
        "Updated": IGNORE,
        "Last Viewed": IGNORE,
        "Creator": IGNORE,
        "Resolution": IGNORE,
        "Project key": IGNORE,
        "Project name": IGNORE,
        "Status Category": IGNORE,
        "Status Category Changed": IGNORE,
        "Satisfaction rating": IGNORE,
    },
    priorities={"Highest": 1, "High": 2, "Medium": 3, "Low": 4, "Lowest": 5},
    states={
        "Open": "new",
        "Waiting for support": "new",
        "To Do": "new",
        "In Progress": "active",
        "Work in progress": "active",
        "Escalated": "active",
        "Waiting for customer": "pause",
        "Pending": "pause",
        "Resolved": "resolved",
        "Done": "resolved",
        "Closed": "closed",
        "Canceled": "cancelled",
        "Cancelled": "cancelled",
        "Declined": "cancelled",
    },
    true_words=("Yes",),
    false_words=("No",),
)

# Zendesk: Admin Center > Account > Tools > Reports > CSV export. The Zendesk help article "Exporting
# data to a JSON, CSV, or XML file" lists the columns: ID, Requester, Assignee, Group, Subject, Tags,
# Status, Priority, Via, Ticket type, Created at, Updated at, Assigned at, Organization, Due date,
# Initially assigned at, Solved at, Resolution time, Reopens, Replies, First reply time in minutes …,
# On hold time in minutes; dates in the account's time zone. Statuses new, open, pending, hold (On-hold),
# solved, closed; priorities urgent, high, normal, low.
ZENDESK = Preset(
    id="zendesk",
    name="Zendesk",
    shape="tickets",
    source="Zendesk help: Exporting data to a JSON, CSV, or XML file (support.zendesk.com/hc/en-us/articles/4408886165402)",
    columns={
        "Id": "ticket_id",
        "Requester": "customer",
        "Assignee": "assignee",
        "Group": "team",
        "Status": "status",
        "Priority": "priority",
        "Via": "channel",
        "Ticket type": "category",
        "Created at": "created_at",
        "Solved at": "resolved_at",
        "Reopens": "reopened_count",
        "On hold time in minutes": "paused_minutes",
        "Requester id": IGNORE,
        "Requester external id": IGNORE,
        "Requester email": IGNORE,
        "Requester domain": IGNORE,
        "Submitter": IGNORE,
        "Subject": IGNORE,
        "Tags": IGNORE,
        "Updated at": IGNORE,
        "Assigned at": IGNORE,
        "Organization": IGNORE,
        "Due date": IGNORE,
        "Initially assigned at": IGNORE,
        "Resolution time": IGNORE,
        "Satisfaction Score": IGNORE,
        "Group stations": IGNORE,
        "Assignee stations": IGNORE,
        "Replies": IGNORE,
        "First reply time in minutes": IGNORE,
        "First reply time in minutes within business hours": IGNORE,
        "First resolution time in minutes": IGNORE,
        "First resolution time in minutes within business hours": IGNORE,
        "Full resolution time in minutes": IGNORE,
        "Full resolution time in minutes within business hours": IGNORE,
        "Agent wait time in minutes": IGNORE,
        "Agent wait time in minutes within business hours": IGNORE,
        "Requester wait time in minutes": IGNORE,
        "Requester wait time in minutes within business hours": IGNORE,
        "On hold time in minutes within business hours": IGNORE,
    },
    priorities={"Urgent": 1, "High": 2, "Normal": 3, "Low": 4},
    states={
        "New": "new",
        "Open": "active",
        "Pending": "pause",
        "Hold": "pause",
        "On-hold": "pause",
        "Solved": "resolved",
        "Closed": "closed",
    },
)

# Freshdesk: Tickets > Export. The export's field labels as Freshdesk's own ticket-export code names
# them (display_id 'Ticket ID', status_name 'Status', priority_name 'Priority', source_name 'Source',
# ticket_type 'Type', responder_name 'Agent', group_name 'Group', created_at 'Created time', due_by
# 'Due by Time', resolved_at 'Resolved time', closed_at 'Closed time', updated_at 'Last update time',
# first_response_time 'Initial response time', 'First response time (in hrs)', 'Resolution time (in hrs)',
# 'Agent interactions' …; Freshdesk helpkit tickets-export test). Priorities Low, Medium, High, Urgent;
# statuses Open, Pending, Resolved, Closed (+ custom ones).
FRESHDESK = Preset(
    id="freshdesk",
    name="Freshdesk",
    shape="tickets",
    source="Freshdesk ticket export field labels (Freshdesk tickets-export code: Ticket ID … Initial response time)",
    columns={
        "Ticket ID": "ticket_id",
        "Status": "status",
        "Priority": "priority",
        "Source": "channel",
        "Type": "category",
        "Agent": "assignee",
        "Group": "team",
        "Created time": "created_at",
        "Resolved time": "resolved_at",
        "Closed time": "closed_at",
        "Initial response time": "first_response_at",
        "Full name": "customer",
        "Subject": IGNORE,
        "Description": IGNORE,
        "Due by Time": IGNORE,
        "Last update time": IGNORE,
        "Time tracked": IGNORE,
        "First response time (in hrs)": IGNORE,
        "Resolution time (in hrs)": IGNORE,
        "Agent interactions": IGNORE,
        "Customer interactions": IGNORE,
        "Resolution status": IGNORE,
        "First response status": IGNORE,
        "Tags": IGNORE,
        "Survey results": IGNORE,
        "Product": IGNORE,
        "Email": IGNORE,
        "Contact ID": IGNORE,
        "Company Name": IGNORE,
    },
    priorities={"Urgent": 1, "High": 2, "Medium": 3, "Low": 4},
    states={
        "Open": "active",
        "Pending": "pause",
        "Waiting on Customer": "pause",
        "Waiting on Third Party": "pause",
        "Resolved": "resolved",
        "Closed": "closed",
    },
)

# Zammad: Reporting / ticket list download. Headers from Zammad's own spreadsheet writer
# (lib/excel_sheet/ticket.rb in zammad/zammad: '#', 'Title', 'State', 'Priority', 'Group', 'Owner',
# 'Customer', 'Organization', 'Create Channel', … 'Created At', 'Updated At', 'Closed At', 'First Response
# At' …); the time-accounting download names the number 'Ticket#'. Priorities "1 low", "2 normal",
# "3 high"; states new, open, pending reminder, pending close, closed, merged, removed.
ZAMMAD = Preset(
    id="zammad",
    name="Zammad",
    shape="tickets",
    source="zammad/zammad lib/excel_sheet/ticket.rb (ticket spreadsheet headers)",
    columns={
        "#": "ticket_id",
        "Ticket#": "ticket_id",
        "State": "status",
        "Priority": "priority",
        "Group": "team",
        "Owner": "assignee",
        "Customer": "customer",
        "Create Channel": "channel",
        "Created At": "created_at",
        "Closed At": "closed_at",
        "First Response At": "first_response_at",
        "Title": IGNORE,
        "Organization": IGNORE,
        "Sender": IGNORE,
        "Tags": IGNORE,
        "Time Units Total": IGNORE,
        "Updated At": IGNORE,
        "Close Escalation At": IGNORE,
        "Close In Min": IGNORE,
        "Close Diff In Min": IGNORE,
        "First Response Escalation At": IGNORE,
        "First Response In Min": IGNORE,
        "First Response Diff In Min": IGNORE,
        "Update Escalation At": IGNORE,
        "Update In Min": IGNORE,
        "Update Diff In Min": IGNORE,
        "Last Contact At": IGNORE,
        "Last Contact Agent At": IGNORE,
        "Last Contact Customer At": IGNORE,
        "Article Count": IGNORE,
        "Escalation At": IGNORE,
    },
    priorities={"3 high": 1, "2 normal": 2, "1 low": 3},
    states={
        "new": "new",
        "open": "active",
        "pending reminder": "pause",
        "pending close": "resolved",
        "closed": "closed",
        "merged": "closed",
        "removed": "cancelled",
    },
)

# GLPI: Assistance > Tickets, export the search result (CSV, ";"-separated). Column names are the search
# options' names in GLPI's CommonITILObject/Ticket (ID, Title, Status, Opening date, Closing date,
# Resolution date, Last update, Priority, Time to resolve, Category, Request source, Requester, Assigned
# to …) and the GLPI documentation "Manage tickets" (Opening date, Status, Request Source, Urgency,
# Impact, Priority). Priorities Very low … Very high, Major; statuses New, Processing (assigned),
# Processing (planned), Pending, Solved, Closed. Dates YYYY-MM-DD by default, DD-MM-YYYY in many setups.
GLPI = Preset(
    id="glpi",
    name="GLPI",
    shape="tickets",
    source="GLPI CommonITILObject search options (Opening date, Resolution date, Closing date …); "
    "GLPI docs: Manage tickets",
    columns={
        "ID": "ticket_id",
        "Opening date": "created_at",
        "Resolution date": "resolved_at",
        "Closing date": "closed_at",
        "Priority": "priority",
        "Status": "status",
        "Category": "category",
        "Request source": "channel",
        "Requester": "customer",
        "Requester - Requester": "customer",
        "Assigned to": "assignee",
        "Assigned to - Technician": "assignee",
        "Assigned to - Group": "team",
        "Title": IGNORE,
        "Last update": IGNORE,
        "Time to resolve": IGNORE,
        "Entity": IGNORE,
        "Urgency": IGNORE,
        "Impact": IGNORE,
        "Type": IGNORE,
    },
    date_order="dmy",
    priorities={"Major": 1, "Very high": 1, "High": 2, "Medium": 3, "Low": 4, "Very low": 5},
    states={
        "New": "new",
        "Processing (assigned)": "active",
        "Processing (planned)": "active",
        "Pending": "pause",
        "Solved": "resolved",
        "Closed": "closed",
    },
)

# osTicket: Tickets > Export. The standard export fields in osTicket's code (include/class.export.php,
# class.queue.php): 'Ticket Number', 'Date Created', 'Subject', 'From', 'From Email', 'Priority',
# 'Department', 'Help Topic', 'Source', 'Current Status', 'Last Updated', 'SLA Due Date', 'Due Date',
# 'Closed Date', 'Overdue', 'Answered', 'Agent Assigned', 'Team Assigned', 'Thread Count', 'Reopen Count',
# 'Attachment Count'. Priorities Emergency, High, Normal, Low; dates m/d/Y g:i a by default.
OSTICKET = Preset(
    id="osticket",
    name="osTicket",
    shape="tickets",
    source="osTicket include/class.export.php / class.queue.php standard export fields",
    columns={
        "Ticket Number": "ticket_id",
        "Date Created": "created_at",
        "Priority": "priority",
        "Department": "team",
        "Help Topic": "category",
        "Source": "channel",
        "Current Status": "status",
        "Closed Date": "closed_at",
        "Agent Assigned": "assignee",
        "From": "customer",
        "Reopen Count": "reopened_count",
        "Subject": IGNORE,
        "From Email": IGNORE,
        "Last Updated": IGNORE,
        "SLA Due Date": IGNORE,
        "Due Date": IGNORE,
        "Overdue": IGNORE,
        "Merged": IGNORE,
        "Linked": IGNORE,
        "Answered": IGNORE,
        "Team Assigned": IGNORE,
        "Thread Count": IGNORE,
        "Attachment Count": IGNORE,
        "Task Count": IGNORE,
    },
    date_order="mdy",
    priorities={"Emergency": 1, "High": 2, "Normal": 3, "Low": 4},
    states={
        "Open": "active",
        "Resolved": "resolved",
        "Closed": "closed",
        "Archived": "closed",
        "Deleted": "cancelled",
    },
)

# A Chinese helpdesk's 工单导出 (generic: the headers such exports use, as in the spec's Inputs list).
CHINESE = Preset(
    id="cn-helpdesk",
    name="中文工单导出 / Chinese helpdesk export",
    shape="tickets",
    source="the spec's Inputs (工单号/编号, 创建时间/报障时间/提交时间, 优先级/级别/紧急程度, 首次响应时间, 解决时间, 关闭时间 …)",
    columns={
        "工单编号": "ticket_id",
        "工单号": "ticket_id",
        "创建时间": "created_at",
        "报障时间": "created_at",
        "提交时间": "created_at",
        "优先级": "priority",
        "紧急程度": "priority",
        "首次响应时间": "first_response_at",
        "响应时间": "first_response_at",
        "解决时间": "resolved_at",
        "完成时间": "resolved_at",
        "关闭时间": "closed_at",
        "状态": "status",
        "工单状态": "status",
        "工单类型": "category",
        "类别": "category",
        "渠道": "channel",
        "来源渠道": "channel",
        "报障人": "customer",
        "客户": "customer",
        "处理组": "team",
        "处理人": "assignee",
        "重开次数": "reopened_count",
        "是否一次解决": "first_contact_resolved",
        "一次解决": "first_contact_resolved",
        "挂起时长(分钟)": "paused_minutes",
        "挂起分钟数": "paused_minutes",
        "标题": IGNORE,
        "描述": IGNORE,
        "问题描述": IGNORE,
    },
    priorities={
        "特急": 1,
        "紧急": 1,
        "非常紧急": 1,
        "一级": 1,
        "高": 2,
        "重要": 2,
        "严重": 2,
        "二级": 2,
        "中": 3,
        "一般": 3,
        "普通": 3,
        "三级": 3,
        "低": 4,
        "轻微": 4,
        "四级": 4,
    },
    states={
        "新建": "new",
        "待处理": "new",
        "待受理": "new",
        "待分配": "new",
        "处理中": "active",
        "已受理": "active",
        "已分配": "active",
        "挂起": "pause",
        "暂停": "pause",
        "等待客户": "pause",
        "等待客户确认": "pause",
        "已解决": "resolved",
        "待确认": "resolved",
        "已关闭": "closed",
        "已完成": "closed",
        "已取消": "cancelled",
        "已撤销": "cancelled",
        "作废": "cancelled",
    },
    missing=("无", "暂无", "--", "—", "／", "/"),
    true_words=("是", "已采纳", "Y"),
    false_words=("否", "未采纳", "N"),
)

# BPI Challenge 2013, Volvo IT Belgium incident log (VINST): one row per status change. Columns and
# states from the data set's own description (4TU.ResearchData doi:10.4121/uuid:500573e6-accc-4b0c-9576-
# aa5468b10cee; the copy's README: SR Number, Change Date+Time, Status, Sub Status, …, SR Latest Impact,
# Owner First Name, Involved ST …). The state is the Sub Status; "Wait - *" sub-states are pauses.
VOLVO = Preset(
    id="bpic2013/volvo",
    name="BPIC 2013 Volvo IT incidents (status log)",
    shape="events",
    source="BPI Challenge 2013 VINST incident log (4TU.ResearchData doi:10.4121/uuid:500573e6-accc-4b0c-9576-aa5468b10cee)",
    columns={
        "SR Number": "ticket_id",
        "Change Date+Time": "event_at",
        "Sub Status": "state",
        "SR Latest Impact": "priority",
        "Involved ST": "team",
        "Resource": "assignee",
        "Status": IGNORE,
        "Activity": IGNORE,
        "Activity Level": IGNORE,
        "Involved ST Function Div": IGNORE,
        "Involved Org line 3": IGNORE,
        "Involved ST 2": IGNORE,
        "ST Level": IGNORE,
        "Product": IGNORE,
        "Country": IGNORE,
        "Owner Country": IGNORE,
        "Owner First Name": IGNORE,
    },
    priorities={"Major": 1, "High": 2, "Medium": 3, "Low": 4},
    states={
        "Awaiting Assignment": "new",
        "In Progress": "active",
        "Assigned": "active",
        "Unmatched": "active",
        "Wait": "pause",
        "Wait - User": "pause",
        "Wait - Implementation": "pause",
        "Wait - Vendor": "pause",
        "Wait - Customer": "pause",
        "Resolved": "resolved",
        "In Call": "resolved",
        "Closed": "closed",
        "Cancelled": "cancelled",
    },
)

BUILTIN: tuple[Preset, ...] = (SERVICENOW, JIRA, ZENDESK, FRESHDESK, ZAMMAD, GLPI, OSTICKET, CHINESE, VOLVO)

# Raw states every status history understands without a preset (besides the canonical names).
GENERIC_STATES: dict[str, str] = {
    "open": "active",
    "opened": "new",
    "in progress": "active",
    "work in progress": "active",
    "assigned": "active",
    "on hold": "pause",
    "pending": "pause",
    "waiting": "pause",
    "hold": "pause",
    "solved": "resolved",
    "done": "resolved",
    "canceled": "cancelled",
    **CHINESE.states,
}


def header_key(header: str) -> str:
    """Headers compare as the synonyms do; one of punctuation only (Zammad's "#") as written."""
    return normalize(header) or str(header).strip()


def by_id(preset_id: str, extra: Iterable[Preset] = ()) -> Preset | None:
    for preset in (*extra, *BUILTIN):
        if preset.id == preset_id:
            return preset
    return None


def _required(shape: Shape) -> tuple[str, ...]:
    return ("ticket_id", "event_at", "state") if shape == "events" else ("ticket_id", "created_at")


def score(preset: Preset, headers: Iterable[str]) -> int:
    """How many of the preset's headers the file has; 0 unless its key columns are among them."""
    have = {header_key(h) for h in headers if h}
    matched = preset.keys() & have
    found = {preset.columns[h] for h in preset.columns if header_key(h) in matched}
    if not set(_required(preset.shape)) <= found:
        return 0
    return len(matched) if len(matched) >= MIN_MATCHED else 0


def recognise(
    headers: Sequence[str], shape: Shape | None = None, extra: Iterable[Preset] = ()
) -> Preset | None:
    """The preset (of that shape) whose headers the file carries most of; user presets first on ties."""
    best: tuple[int, float, int] = (0, 0.0, 0)
    chosen: Preset | None = None
    candidates = [*extra, *BUILTIN]
    for rank, preset in enumerate(candidates):
        if shape is not None and preset.shape != shape:
            continue
        points = score(preset, headers)
        if not points:
            continue
        key = (points, points / max(len(preset.keys()), 1), -rank)
        if key > best:
            best, chosen = key, preset
    return chosen


def priority_labels(preset: Preset, terms: Terms) -> dict[str, str]:
    """The preset's priority values → the contract's priority ids (level n → n-th priority, or the last)."""
    ids = [p.id for p in terms.priorities]
    if not ids:
        return {}
    return {value: ids[min(max(level, 1), len(ids)) - 1] for value, level in preset.priorities.items()}


def state_table(preset: Preset | None) -> dict[str, str]:
    """normalised raw state → canonical state: canonical names, the generic words, then the preset's."""
    table = {normalize(s): s for s in CANONICAL_STATES}
    table.update({normalize(k): v for k, v in GENERIC_STATES.items()})
    if preset is not None:
        table.update({normalize(k): v for k, v in preset.states.items()})
    return table


# ---------------------------------------------------------------- reading with a preset (used by read_file)


def choose_preset(choice: object, headers: Sequence[str], kind: str, result: Any) -> Preset | None:
    """The preset to read with: the one asked for, else the one the headers show (for tickets and
    status histories); records it on the result."""
    wanted, extra = choice if isinstance(choice, tuple) else (None, ())
    shape: Shape = "events" if kind == "events" else "tickets"
    preset: Preset | None = None
    if isinstance(wanted, Preset):
        preset = wanted
    elif wanted:
        preset = by_id(str(wanted), extra)
    elif wanted is None and kind in ("tickets", "events"):
        preset = recognise(headers, shape, extra)
        result.preset_recognised = preset is not None
    if preset is not None and preset.shape != shape:
        preset, result.preset_recognised = None, False
    if preset is not None:
        result.preset, result.preset_name = preset.id, preset.name
    if kind == "tickets":
        result.looks_like_history = recognise(headers, "events", extra) is not None
    return preset


def apply_preset(
    preset: Preset | None,
    mapping: dict[str, str] | None,
    date_order: DateOrder | None,
    terms: Terms,
    labels: dict[str, str],
) -> tuple[dict[str, str] | None, DateOrder | None]:
    """The mapping and date order to read with; the preset's priority values added to `labels`
    (label key → priority id), after the contract's own labels."""
    if preset is None:
        return mapping, date_order
    for value, pid in priority_labels(preset, terms).items():
        labels.setdefault("".join(value.casefold().split()), pid)
    return {**preset.mapping(), **(mapping or {})}, date_order or preset.date_order


def preset_cells(column: pd.Series, dtype: str | None, preset: Preset | None) -> pd.Series:
    """One raw column with the preset's own missing-value markers blanked and, in a yes/no column, its
    yes/no words written as true/false (only text cells are touched)."""
    if preset is None:
        return column
    words = dtype == "bool" and bool(preset.true_words or preset.false_words)
    if not (preset.missing or words):
        return column
    rows, texts = _text_cells(column)
    if texts is None:
        return column
    missing = {m.strip().casefold() for m in preset.missing}
    yes = {normalize(w) for w in preset.true_words} if words else set()
    no = {normalize(w) for w in preset.false_words} if words else set()
    if not words:
        # Only a text of at most the longest marker's length once stripped can be a missing marker
        # (casefold never shortens): in an id or timestamp column there is none, and nothing to do.
        length = pc.utf8_length(pc.utf8_trim(texts, characters=_python_spaces()))
        short = np.flatnonzero(length.to_numpy() <= max(map(len, missing)))
        if short.size == 0:
            return column
        rows, texts = rows[short], texts.take(pa.array(short))
    codes, uniques = pd.factorize(pd.Series(texts, dtype="string[pyarrow]"))
    replace_with: dict[int, str] = {}
    for i, u in enumerate(uniques):
        if u.strip().casefold() in missing:
            replace_with[i] = ""
        elif words:
            key = normalize(u)
            if key in yes:
                replace_with[i] = "true"
            elif key in no:
                replace_with[i] = "false"
    if not replace_with:
        return column
    hit = np.isin(codes, list(replace_with))
    values = np.full(len(uniques) + 1, "", dtype=object)
    for i, value in replace_with.items():
        values[i] = value
    out = column.copy()
    out.iloc[rows[hit]] = values[codes[hit]]
    return out


# what pandas' infer_dtype calls an object column without a single text in it
_NO_TEXT = frozenset(
    {"empty", "floating", "integer", "mixed-integer-float", "boolean", "datetime", "datetime64", "date"}
    | {"time", "timedelta", "timedelta64", "decimal", "complex", "period", "interval", "bytes"}
)


def _text_cells(column: pd.Series) -> tuple[np.ndarray, pa.Array | pa.ChunkedArray | None]:
    """The positions of a raw column's text cells (an Excel column also holds numbers and dates) and
    those texts as Arrow strings; None when it has none. No Python loop over the cells."""
    if isinstance(column.array, pd.arrays.ArrowStringArray):
        # the column's own chunks, read in place: joining them into one array copied every text
        # (0.07 s per column of a million rows) only for most columns to hold no marker at all
        chunks = column.array._pa_array  # type: ignore[attr-defined]  # no public accessor without a copy
        return np.arange(len(column)), chunks
    raw = column.to_numpy(dtype=object)
    kind = pd.api.types.infer_dtype(raw, skipna=True)
    if kind in _NO_TEXT:
        return np.zeros(0, dtype=np.int64), None
    if kind == "string":  # every cell is text or blank
        rows = np.flatnonzero(~pd.isna(raw))
    else:  # mixed: which distinct values are text
        codes, uniques = pd.factorize(raw)
        is_text = np.fromiter((isinstance(u, str) for u in uniques), dtype=bool, count=len(uniques))
        rows = np.flatnonzero(np.append(is_text, False)[codes])
    if rows.size == 0:
        return rows, None
    return rows, pa.array(raw[rows], type=pa.large_string())


@functools.cache
def _python_spaces() -> str:
    """Every character str.strip() removes (str.isspace: all in the Basic Multilingual Plane), for
    Arrow's trim to strip exactly what Python strips."""
    return "".join(c for c in map(chr, range(0x10000)) if c.isspace())
