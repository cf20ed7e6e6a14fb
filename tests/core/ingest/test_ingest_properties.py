"""Properties: any written form of a time reads back to the same instant; no input ends in a traceback."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_helpers import base_terms, csv_bytes, read, xlsx_bytes

FORMS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y年%m月%d日 %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",  # day-first: a day over 12 in the column proves it (see below)
    "%m/%d/%Y %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S+08:00",
)
TERMS = base_terms()
SHANGHAI = ZoneInfo("Asia/Shanghai")
# from 2006: the example contract starts 2026-01-01, and a time more than 20 years before its contract
# is an error (test_ingest_dates); (Shanghai kept daylight-saving time until 1991 besides)
moments = st.datetimes(min_value=datetime(2006, 1, 1), max_value=datetime(2060, 12, 31)).map(
    lambda d: d.replace(microsecond=0)
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(moments, min_size=1, max_size=20), st.sampled_from(FORMS))
def test_any_form_reads_back_to_the_same_instant(local_times, form):
    # a 13th day in the column fixes the day/month order, as a real month of data does
    anchor = datetime(2026, 10, 13, 8, 0, 0)
    values = [anchor, *local_times]
    rows = [["工单号", "创建时间", "优先级"]] + [
        [f"T{i}", v.strftime(form), "P1"] for i, v in enumerate(values)
    ]
    result = read(csv_bytes(rows), now=datetime(2100, 1, 1, tzinfo=SHANGHAI))
    assert not result.has_errors, result.issues[:3]
    if form.endswith("+08:00"):
        expected = [pd.Timestamp(v - timedelta(hours=8), tz="UTC") for v in values]
    else:
        expected = [pd.Timestamp(v, tz=SHANGHAI).tz_convert("UTC") for v in values]
    assert result.frame["created_at"].tolist() == expected


@settings(max_examples=40, deadline=None)
@given(st.lists(moments, min_size=1, max_size=10))
def test_excel_cells_read_back(local_times):
    rows = [["工单号", "创建时间", "优先级"]] + [[f"T{i}", v, "P1"] for i, v in enumerate(local_times)]
    result = read(xlsx_bytes(rows), now=datetime(2100, 1, 1, tzinfo=SHANGHAI))
    assert not result.has_errors, result.issues[:3]
    expected = [pd.Timestamp(v, tz=SHANGHAI).tz_convert("UTC") for v in local_times]
    got = result.frame["created_at"].tolist()
    assert all(abs(g - e) <= timedelta(seconds=1) for g, e in zip(got, expected, strict=True))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data):
    result = read(data)
    assert "ingest.internal" not in {i.code for i in result.issues}
    assert result.frame is not None or result.has_errors


cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["", "-", "#N/A", "N/A", "2026-10-01", "13/10/2026", "是", "P1", "紧急", "99.5%", "1e309"]
    ),
    st.integers(-(10**12), 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["tickets", "surveys", "outages", "measures"]),
    st.lists(st.lists(cells, min_size=6, max_size=6), max_size=8),
)
def test_random_cells_never_raise(kind, body):
    headers = {
        "tickets": ["工单号", "创建时间", "优先级", "解决时间", "一次解决", "重开次数"],
        "surveys": ["提交时间", "评分", "服务态度", "回访编号", "答题时长", "工单号"],
        "outages": ["服务", "开始时间", "结束时间", "计划内", "通知时间", "级别"],
        "measures": ["月份", "指标", "数值", "来源", "备注", "x"],
    }[kind]
    result = read(csv_bytes([headers, *body]), kind)
    assert "ingest.internal" not in {i.code for i in result.issues}, result.issues
    if result.frame is not None:
        assert set(result.error_rows) <= set(result.frame["_row"].tolist())
