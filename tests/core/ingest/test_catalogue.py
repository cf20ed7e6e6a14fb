"""Export titles in the exporting user's language, from the tools' own catalogues
(`sla_core/data/catalogues/titles.csv`, written by `extract_titles.py` beside it)."""

from __future__ import annotations

import re

import pytest
from ingest_helpers import base_terms, csv_bytes, read

from sla_core.ingest.catalogue import titles
from sla_core.ingest.preset_model import header_key
from sla_core.ingest.presets import by_id
from sla_core.ingest.synonyms import normalize

TOOLS = ("glpi", "otrs", "zammad", "bk-itsm", "osticket")


def _meaning(tool: str, kind: str, text: str) -> object:
    preset = by_id(tool)
    assert preset is not None
    if kind == "column":
        return {header_key(h): c for h, c in preset.columns.items()}.get(header_key(text))
    if kind == "state":
        return {normalize(s): c for s, c in preset.states.items()}.get(normalize(text))
    return {normalize(p): str(level) for p, level in preset.priorities.items()}.get(normalize(text))


@pytest.mark.parametrize("title", titles(), ids=lambda t: f"{t.tool}-{t.lang}-{t.text}")
def test_each_catalogue_title_maps_to_its_field_in_the_tools_preset(title):
    assert _meaning(title.tool, title.kind, title.text) == title.meaning


def test_every_title_says_where_it_came_from():
    for t in titles():
        assert t.repo and t.path and t.msgid, t
        assert re.fullmatch(r"[0-9a-f]{40}", t.commit), t
        assert t.tool in TOOLS and t.kind in ("column", "state", "priority")


@pytest.mark.parametrize("tool", ["glpi", "otrs", "zammad", "osticket"])
def test_simplified_and_traditional_chinese_and_english_for_each_tool(tool):
    langs = {t.lang for t in titles() if t.tool == tool and t.kind == "column" and t.meaning}
    assert {"zh_CN", "zh_TW", "en"} <= langs


def test_bk_itsm_titles_are_its_chinese_msgids_and_their_english():
    rows = {(t.lang, t.text): t.meaning for t in titles() if t.tool == "bk-itsm" and t.kind == "column"}
    assert rows[("zh_CN", "工单编号")] == "ticket_id" and rows[("en", "Ticket NO")] == "ticket_id"
    assert rows[("zh_CN", "结束时间")] == "closed_at" and rows[("en", "CreateTime")] == "created_at"


def test_a_glpi_export_from_a_chinese_desk_reads_without_a_mapping():
    # GLPI's zh_CN catalogue: ID, 开启日期 (Opening date), 决议通过日期 (Resolution date), 优先权 (Priority),
    # 状态 (Status), 请求者 (Requester), 工程师 (Technician); statuses 已解决 (Solved), 待决定 (Pending)
    rows = [
        ["ID", "标题", "开启日期", "决议通过日期", "优先权", "状态", "请求者", "工程师"],
        ["101", "打印机", "2026-03-02 09:00", "2026-03-02 11:00", "高", "已解决", "张三", "李四"],
        ["102", "网络", "2026-03-02 10:00", "", "非常高", "待决定", "王五", "李四"],
    ]
    result = read(csv_bytes(rows, sep=";"))
    assert not result.has_errors, [i.en for i in result.errors]
    assert result.preset == "glpi" and result.preset_recognised
    assert result.frame["priority"].tolist() == ["P2", "P1"]  # High is level 2, Very high level 1
    assert result.frame["assignee"].tolist() == ["李四", "李四"]
    assert result.mapping["决议通过日期"] == "resolved_at" and result.mapping["请求者"] == "customer"


def test_an_otrs_export_in_traditional_chinese_reads_without_a_mapping():
    # OTRS zh_TW: 工單編號 (Ticket Number), 創建於 (Created), 優先級 (Priority), 狀態 (State), 隊列 (Queue);
    # the State values translated (移除 would be "removed"), the priorities not
    rows = [
        ["工單編號", "創建於", "狀態", "優先級", "隊列", "所有者"],
        ["2026030210000011", "2026-03-02 09:00:00", "處理中", "3 normal", "Raw", "admin"],
        ["2026030210000022", "2026-03-02 10:00:00", "已刪除", "5 very high", "Raw", "admin"],
    ]
    result = read(csv_bytes(rows, sep=";"))
    assert not result.has_errors, [i.en for i in result.errors]
    assert result.preset == "otrs"
    assert result.frame["priority"].tolist() == ["P3", "P1"]
    assert result.frame["team"].tolist() == ["Raw", "Raw"]
    assert result.frame["exclusion_reason"].tolist()[1] == "cancelled"  # removed


def test_a_bk_itsm_export_as_its_code_writes_it():
    # itsm/ticket/views/ticket.py generate_csv: BOM, 序号 first, "--" for a blank, then the tickets' own
    # fields as "名称(节点)"
    header = [
        "序号",
        "工单编号",
        "标题",
        "工单类型",
        "状态",
        "创建人",
        "创建时间",
        "结束时间",
        "优先级(提单)",
    ]
    rows = [
        header,
        [
            "1",
            "REQ20260302000001",
            "申请权限",
            "请求",
            "已完成",
            "zhangsan",
            "2026-03-02 09:00:00",
            "2026-03-02 10:00:00",
            "高",
        ],
        ["2", "REQ20260302000002", "开通账号", "请求", "已撤销", "lisi", "2026-03-02 09:30:00", "--", "中"],
        ["3", "INC20260302000003", "网络中断", "事件", "处理中", "wangwu", "2026-03-02 11:00:00", "--", "低"],
    ]
    result = read(b"\xef\xbb\xbf" + csv_bytes(rows), terms=base_terms())
    assert not result.has_errors, [i.en for i in result.errors]
    assert result.preset == "bk-itsm"
    assert result.frame["ticket_id"].tolist() == [
        "REQ20260302000001",
        "REQ20260302000002",
        "INC20260302000003",
    ]
    assert result.frame["priority"].tolist() == ["P1", "P2", "P3"]  # 高 level 1, 中 level 2, 低 level 3
    assert result.frame["exclusion_reason"].tolist()[1] == "cancelled"  # 已撤销
    assert result.frame["closed_at"].isna().tolist() == [False, True, True]  # "--" is blank
    assert "序号" not in result.unknown_columns


def test_an_osticket_export_from_a_simplified_chinese_desk_reads_without_a_mapping():
    # osTicket's zh_CN language pack (1.14.x): 咨询编号 (Ticket Number), 创建日期 (Date Created), 主题
    # (Subject), 优先级 (Priority), 部门 (Department), 当前状态 (Current Status), 关闭日期 (Closed Date),
    # 代理已分配 (Agent Assigned); an install in Chinese names its statuses 打开/已解决/已关闭/已删除 and its
    # priorities 低/标准/高/紧急情况
    rows = [
        ["咨询编号", "创建日期", "主题", "优先级", "部门", "当前状态", "关闭日期", "代理已分配"],
        [
            "100231",
            "03/02/2026 9:05 am",
            "打印机",
            "紧急情况",
            "一线",
            "已关闭",
            "03/02/2026 11:00 am",
            "张三",
        ],
        ["100232", "03/02/2026 1:30 pm", "网络", "标准", "一线", "已删除", "", "李四"],
        ["100233", "03/03/2026 8:00 am", "账号", "低", "二线", "打开", "", ""],
    ]
    result = read(csv_bytes(rows))
    assert not result.has_errors, [i.en for i in result.errors]
    assert result.preset == "osticket" and result.preset_recognised
    # Emergency level 1, Normal level 3, Low level 4 — the example contract's lowest priority is P3
    assert result.frame["priority"].tolist() == ["P1", "P3", "P3"]
    assert result.frame["team"].tolist() == ["一线", "一线", "二线"]
    assert result.frame["exclusion_reason"].tolist()[1] == "cancelled"  # Deleted
    assert result.mapping["代理已分配"] == "assignee" and result.mapping["关闭日期"] == "closed_at"
