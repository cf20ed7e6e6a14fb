"""Deterministic demo data for the example contract: January–October 2026, planted problems included.

`generate()` builds the four canonical frames (`dataset.SCHEMA`) from a fixed seed and fixed dates —
nothing depends on today's date or the machine — and `write_files()` writes them as a Chinese helpdesk
would export them (or with canonical English headers). Everything is vectorised numpy, so
`generate(1_000_000)` takes seconds; rates are planted as exact per-month quotas, so the verdicts below
are the same for every size from the default (~6,000 tickets) up.

**as_of** = 2026-11-02 18:00:00 Asia/Shanghai (the Monday after the last month, end of the working
day): October has ended but four of its tickets are still open — two P3 created on Friday 30 October
afternoon, still within 24 business hours (`pending`), one P3 from 26–28 October and one P1 from the
last week already over their resolution targets (`breached`) — so October is not final and its penalty
is provisional. Every other ticket is resolved by as_of. The exports are a snapshot at as_of: later
timestamps (mostly closed_at) are blank, and the surveys end with October.

Planted problems (example contract; monthly fee 200,000 CNY; 5% = 10,000 per response timeout and per
missed KPI; cap 20% = 40,000 per month). "timeouts" are response breaches of non-excluded tickets.

| month   | missed KPIs (value)                                                     | timeouts | penalty |
|---------|-------------------------------------------------------------------------|----------|---------|
| 2026-01 | —                                                                       | 1        | 10,000  |
| 2026-02 | resolution_within_target (~93%, Spring Festival backlog)                | 1        | 20,000  |
| 2026-03 | first_contact_resolution (~81%), backup_success_rate (30/31 = 96.77%)   | 0        | 20,000  |
| 2026-04 | first_contact_resolution (~79%), complaint_rate (~2.5%)                 | 1        | 30,000  |
| 2026-05 | first_contact_resolution (~82%) → 3 months running: improvement plan    | 2        | 30,000  |
|         | due 2026-06-15                                                          |          |         |
| 2026-06 | availability (1 − 163/43200 = 99.62%), unplanned_downtime_minutes (163),| 3        | 40,000  |
|         | restored_in_time (1 of 2 incidents, 50%) — sum 60,000: the cap bites    |          | (cap)   |
| 2026-07 | unplanned_downtime_minutes (36: maintenance announced 6 h ahead counts  | 0        | 20,000  |
|         | as unplanned; availability 99.919% still meets), feedback_on_time (~87%)|          |         |
| 2026-08 | csat_mean (~4.54: meets the old ≥ 4.5, misses the ≥ 4.6 of the 2026-07  | 1        | 20,000  |
|         | version) → satisfaction investigation due 2026-09-02, findings 09-07    |          |         |
| 2026-09 | complaint_rate (~2.3%); its one timeout is a P2 answered in 25 business  | 1        | 20,000  |
|         | minutes: met under the old 30m, breached under the 2026-07 20m target   |          |         |
| 2026-10 | recovery_time_hours (4.5 h) — provisional (pending tickets at as_of)    | 1        | 20,000  |

Other edges on purpose: May has overlapping outages of 邮件系统 and OA系统 (union 28 min meets ≤ 30
and 99.9%; their sum, 46 min, would miss both); an unplanned 统一门户 outage crosses 31 Aug → 1 Sep
(8 + 10 min); the September maintenance is announced exactly 24 h ahead (planned); excluded tickets
(不可抗力：市政停电 on 2026-03-10, 台风 on 2026-08-12, 客户原因 on 2026-09-08) have breaching times;
P2 responses before July run up to 27 min (met under 30m, they would breach 20m); the provider's
self-reported figures (measures, source = provider, January–September) equal the truth except
availability in June (reported 99.91%: the VPN outage booked as maintenance) and response_within_target
in September (reported 100%: measured against the old 30-minute P2 target). Surveys: ~40% of resolved
tickets answer; ~1.5% duplicate responses (same ticket_id, later), ~2% straight-liners (all four
dimensions equal; no other response has all four equal), ~2% speeders (4–20 s, while every other
response takes ≥ 45 s and a month's median is ~110 s).

`PLANTED` holds the table above for tests; the verdicts hold for every n_tickets ≥ 3,000 with the
default months (timeouts and exclusions are absolute counts, every rate is an exact monthly quota).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from sla_core.calendar import BusinessCalendar, build_calendar
from sla_core.contract import CATEGORIES, Contract, Priority, Terms, parse_contract
from sla_core.dataset import DERIVED, DIMENSION_PREFIX, SCHEMA, Dataset, conform
from sla_core.targets import ticket_targets

DEFAULT_TICKETS = 6000
DEFAULT_SEED = 2026
DEFAULT_MONTHS = ("2026-01", "2026-10")
SURVEY_SHARE = 0.40  # of resolved, non-excluded tickets
DIMENSIONS = ("服务态度", "专业能力", "响应速度", "服务效果")

# ---------------------------------------------------------------- the plan

# month → (KPIs expected to miss, in KPI table order; response timeouts of non-excluded tickets)
PLANTED: dict[str, tuple[tuple[str, ...], int]] = {
    "2026-01": ((), 1),
    "2026-02": (("resolution_within_target",), 1),
    "2026-03": (("first_contact_resolution", "backup_success_rate"), 0),
    "2026-04": (("first_contact_resolution", "complaint_rate"), 1),
    "2026-05": (("first_contact_resolution",), 2),
    "2026-06": (("availability", "unplanned_downtime_minutes", "restored_in_time"), 3),
    "2026-07": (("feedback_on_time", "unplanned_downtime_minutes"), 0),
    "2026-08": (("csat_mean",), 1),
    "2026-09": (("complaint_rate",), 1),
    "2026-10": (("recovery_time_hours",), 1),
}
OLD_VS_NEW_MONTH = "2026-09"  # its one timeout: a P2 answered in 25 business minutes
OLD_VS_NEW_RESPONSE = 1500


@dataclass(frozen=True)
class MonthPlan:
    response_breaches: int = 1  # absolute: response timeouts are rare and carry the penalties
    resolution_breach_share: float = 0.025
    fcr: float = 0.89
    complaint_share: float = 0.013
    feedback_late: bool = False  # True: ~11% of complaint/feedback tickets late (else ≤ 2%)
    scores: tuple[float, float, float, float, float] = (0.01, 0.01, 0.03, 0.20, 0.75)  # mean 4.67
    backup: float = 1.0
    backup_note: str = ""
    recovery_hours: float = 2.5
    recovery_note: str = ""
    data_accuracy: float = 0.998  # doc 003's 数据准确率, reported monthly (the contract requires ≥ 99.5%)


_AUGUST_SCORES = (0.01, 0.02, 0.05, 0.27, 0.65)  # mean 4.53, satisfied 92%
PLAN: dict[str, MonthPlan] = {
    "2026-01": MonthPlan(fcr=0.90, complaint_share=0.012, recovery_hours=2.5),
    "2026-02": MonthPlan(resolution_breach_share=0.07, fcr=0.88, complaint_share=0.015, recovery_hours=3.0),
    "2026-03": MonthPlan(
        response_breaches=0,
        fcr=0.81,
        complaint_share=0.011,
        backup=30 / 31,
        backup_note="3月14日全量备份失败（30/31）",
        recovery_hours=2.0,
    ),
    "2026-04": MonthPlan(fcr=0.79, complaint_share=0.024, recovery_hours=1.5, data_accuracy=0.996),
    "2026-05": MonthPlan(response_breaches=2, fcr=0.82, complaint_share=0.014, recovery_hours=2.2),
    "2026-06": MonthPlan(response_breaches=3, fcr=0.87, complaint_share=0.016, recovery_hours=3.5),
    "2026-07": MonthPlan(response_breaches=0, complaint_share=0.013, feedback_late=True, recovery_hours=2.8),
    "2026-08": MonthPlan(fcr=0.90, complaint_share=0.012, scores=_AUGUST_SCORES, recovery_hours=1.8),
    "2026-09": MonthPlan(response_breaches=0, fcr=0.88, complaint_share=0.023, recovery_hours=2.0),
    "2026-10": MonthPlan(
        complaint_share=0.014, recovery_hours=4.5, recovery_note="10月恢复演练超时（4.5 小时）"
    ),
}
# (the September timeout is planted separately: OLD_VS_NEW_MONTH)

# local date, how many fault tickets of that day, reason
EXCLUSIONS: tuple[tuple[str, int, str], ...] = (
    ("2026-03-10", 3, "不可抗力：市政停电"),
    ("2026-08-12", 3, "不可抗力：台风导致运营商线路中断"),
    ("2026-09-08", 1, "客户原因：用户现场环境未就绪，经双方确认免责"),
)

# service, start, end (local), planned, announced (local), severity, cause, description
OUTAGES: tuple[tuple[str, str, str, bool, str | None, str, str, str], ...] = (
    (
        "邮件系统",
        "2026-01-14 10:12:00",
        "2026-01-14 10:24:00",
        False,
        None,
        "一般",
        "存储延迟",
        "邮件收发缓慢",
    ),
    (
        "OA系统",
        "2026-01-17 22:00:00",
        "2026-01-17 23:30:00",
        True,
        "2026-01-14 17:00:00",
        "一般",
        "计划维护",
        "OA 系统版本升级",
    ),
    (
        "统一门户",
        "2026-02-07 21:00:00",
        "2026-02-07 22:40:00",
        True,
        "2026-02-04 10:00:00",
        "一般",
        "计划维护",
        "门户证书更换",
    ),
    (
        "VPN",
        "2026-02-09 09:35:00",
        "2026-02-09 09:53:00",
        False,
        None,
        "较大",
        "认证服务异常",
        "VPN 无法登录",
    ),
    (
        "统一门户",
        "2026-03-18 15:02:00",
        "2026-03-18 15:11:00",
        False,
        None,
        "一般",
        "应用进程崩溃",
        "门户访问报 502",
    ),
    (
        "邮件系统",
        "2026-03-21 22:00:00",
        "2026-03-21 23:50:00",
        True,
        "2026-03-18 10:00:00",
        "一般",
        "计划维护",
        "邮件网关补丁",
    ),
    (
        "VPN",
        "2026-04-18 22:00:00",
        "2026-04-18 23:00:00",
        True,
        "2026-04-15 16:00:00",
        "一般",
        "计划维护",
        "VPN 网关固件升级",
    ),
    (
        "OA系统",
        "2026-04-22 11:20:00",
        "2026-04-22 11:35:00",
        False,
        None,
        "一般",
        "数据库连接池耗尽",
        "OA 审批页面超时",
    ),
    (
        "统一门户",
        "2026-05-16 22:00:00",
        "2026-05-16 23:00:00",
        True,
        "2026-05-13 09:30:00",
        "一般",
        "计划维护",
        "门户扩容",
    ),
    (
        "邮件系统",
        "2026-05-20 14:05:00",
        "2026-05-20 14:30:00",
        False,
        None,
        "较大",
        "存储阵列故障",
        "邮件系统不可用（与 OA 系统同时受影响）",
    ),
    (
        "OA系统",
        "2026-05-20 14:12:00",
        "2026-05-20 14:33:00",
        False,
        None,
        "较大",
        "存储阵列故障",
        "OA 系统不可用（与邮件系统同时受影响）",
    ),
    (
        "OA系统",
        "2026-06-13 22:00:00",
        "2026-06-13 23:30:00",
        True,
        "2026-06-10 15:00:00",
        "一般",
        "计划维护",
        "OA 数据库迁移",
    ),
    (
        "VPN",
        "2026-06-16 08:50:00",
        "2026-06-16 11:25:00",
        False,
        None,
        "重大",
        "核心交换机故障",
        "VPN 全部中断，超过 2 小时恢复",
    ),
    (
        "邮件系统",
        "2026-06-25 16:40:00",
        "2026-06-25 16:48:00",
        False,
        None,
        "一般",
        "DNS 解析异常",
        "部分用户无法收信",
    ),
    (
        "OA系统",
        "2026-07-11 20:00:00",
        "2026-07-11 20:36:00",
        True,
        "2026-07-11 14:00:00",
        "一般",
        "计划维护",
        "紧急补丁（仅提前 6 小时通知）",
    ),
    (
        "统一门户",
        "2026-07-25 22:00:00",
        "2026-07-25 23:00:00",
        True,
        "2026-07-21 11:00:00",
        "一般",
        "计划维护",
        "门户版本发布",
    ),
    (
        "邮件系统",
        "2026-08-12 09:30:00",
        "2026-08-12 09:41:00",
        False,
        None,
        "一般",
        "台风导致线路中断",
        "外网邮件收发中断",
    ),
    (
        "VPN",
        "2026-08-22 22:00:00",
        "2026-08-22 23:40:00",
        True,
        "2026-08-19 10:00:00",
        "一般",
        "计划维护",
        "VPN 证书更换",
    ),
    (
        "统一门户",
        "2026-08-31 23:52:00",
        "2026-09-01 00:10:00",
        False,
        None,
        "一般",
        "负载均衡故障",
        "门户跨月中断",
    ),
    (
        "OA系统",
        "2026-09-15 14:03:00",
        "2026-09-15 14:10:00",
        False,
        None,
        "一般",
        "应用内存溢出",
        "OA 登录失败",
    ),
    (
        "邮件系统",
        "2026-09-19 22:00:00",
        "2026-09-19 23:00:00",
        True,
        "2026-09-18 22:00:00",
        "一般",
        "计划维护",
        "邮件系统升级（恰好提前 24 小时通知）",
    ),
    (
        "统一门户",
        "2026-10-17 22:00:00",
        "2026-10-17 23:30:00",
        True,
        "2026-10-14 09:00:00",
        "一般",
        "计划维护",
        "门户安全加固",
    ),
    ("VPN", "2026-10-20 10:05:00", "2026-10-20 10:19:00", False, None, "一般", "链路抖动", "VPN 频繁掉线"),
)
# provider's self-reported figures that differ from the truth: (month, kpi) → (value, note)
PROVIDER_DIFFERS: dict[tuple[str, str], tuple[float, str]] = {
    ("2026-06", "availability"): (0.9991, "乙方将 6月16日 VPN 中断计为计划内维护"),
    ("2026-09", "response_within_target"): (1.0, "乙方仍按旧的 P2 30 分钟响应目标统计"),
}

# ---------------------------------------------------------------- vocabulary

CATEGORY_RAW = ("咨询", "故障", "服务请求", "投诉", "建议", "反馈")  # in CATEGORIES order
INQUIRY, FAULT, REQUEST, COMPLAINT, SUGGESTION, FEEDBACK = range(6)
PRIORITIES = ("P1", "P2", "P3")
PRIORITY_ZH = ("紧急", "重要", "一般")
TEAMS = ("桌面支持组", "网络组", "应用支持组", "服务台")
# P(team | category), rows in CATEGORIES order
TEAM_P = np.array(
    [
        [0.0, 0.0, 0.3, 0.7],
        [0.5, 0.3, 0.2, 0.0],
        [0.4, 0.0, 0.6, 0.0],
        [0.0, 0.0, 0.0, 1.0],
        [0.0, 0.0, 0.0, 1.0],
        [0.0, 0.0, 0.0, 1.0],
    ]
)
ASSIGNEES = (
    ("张伟", "王磊", "李强", "赵敏"),
    ("刘洋", "陈杰", "杨涛", "周勇"),
    ("吴静", "徐超", "孙娟", "马明"),
    ("朱丽", "胡斌", "郭芳", "何平"),
)
CHANNELS = ("电话", "邮件", "微信", "门户")
CHANNEL_P = (0.35, 0.20, 0.25, 0.20)
CHANNEL_P1 = (0.80, 0.05, 0.10, 0.05)
CUSTOMERS = ("财务部", "人力资源部", "市场部", "研发中心", "行政部", "销售部", "法务部")
CUSTOMER_P = (0.14, 0.10, 0.15, 0.28, 0.10, 0.17, 0.06)
STATES = ("new", "active", "pause", "resolved", "closed")
STATE_ZH = {"new": "新建", "active": "处理中", "pause": "挂起", "resolved": "已解决", "closed": "已关闭"}
SURVEY_CHANNELS = ("短信", "微信", "电话回访", "邮件")
SURVEY_CHANNEL_P = (0.35, 0.40, 0.15, 0.10)
SURNAMES = tuple("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
GIVEN = (
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
)
COMMENTS: dict[int, tuple[str, ...]] = {
    5: ("非常满意，响应很快", "工程师很专业，一次就解决了", "服务态度很好，谢谢", "处理及时，点赞"),
    4: ("整体满意", "处理及时，沟通可以更主动", "问题解决了，等待稍久", "还不错"),
    3: ("一般，等待时间有点长", "问题解决了但过程反复", "响应还行，效果一般"),
    2: ("响应太慢，影响工作", "问题没有彻底解决"),
    1: ("非常不满意，问题反复出现", "多次催促才处理"),
}

# arrivals: hour-of-day weights on working days (85% within 09:00–18:00) and on other days
_WORK_HOURS = np.array(
    [0.3] * 7 + [1, 3, 10, 12, 10, 5, 8, 11, 11, 10, 8, 3, 2, 1.5, 1, 0.6, 0.4], dtype="float64"
)
_OFF_HOURS = np.array([0.2] * 8 + [1, 2, 3, 3, 2, 2, 3, 3, 3, 2, 2, 2, 1.5, 1, 0.6, 0.3], dtype="float64")
_OFF_DAY_WEIGHT = 0.12

# ---------------------------------------------------------------- result


@dataclass
class DemoData:
    """Canonical frames (dataset.SCHEMA; surveys also `dim:<dimension>`), the instant they describe."""

    tickets: pd.DataFrame
    surveys: pd.DataFrame
    outages: pd.DataFrame
    measures: pd.DataFrame
    as_of: pd.Timestamp  # tz-aware UTC
    contract_text: str
    months: tuple[str, ...] = field(default_factory=tuple)

    def dataset(self) -> Dataset:
        """As ingest would hand it over: every optional column present."""
        frames = {
            "tickets": self.tickets,
            "surveys": self.surveys,
            "outages": self.outages,
            "measures": self.measures,
        }
        columns = {k: frozenset(c for c in f.columns if c != "_row") for k, f in frames.items()}
        return Dataset(**frames, columns=columns)  # type: ignore[arg-type]


def demo_contract_text() -> str:
    """The example contract (shipped as package data)."""
    return resources.files("sla_core").joinpath("data/contract.example.toml").read_text(encoding="utf-8")


def demo_contract() -> Contract:
    contract, issues = parse_contract(demo_contract_text(), file="contract.example.toml")
    if contract is None:  # pragma: no cover - the packaged file is tested
        raise ValueError("; ".join(i.en for i in issues))
    return contract


# ---------------------------------------------------------------- helpers


def _month_list(months: tuple[str, str]) -> list[tuple[int, int]]:
    try:
        first, last = (datetime.strptime(m, "%Y-%m") for m in months)
    except ValueError:
        raise ValueError(f"months must be ('YYYY-MM', 'YYYY-MM'), got {months!r}") from None
    out: list[tuple[int, int]] = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    if not out:
        raise ValueError(f"months {months!r}: the first month is after the last")
    return out


def _priority(terms: Terms, pid: str) -> Priority:
    found = terms.priority(pid)
    if found is None:  # the demo contract names every priority the generator uses
        raise ValueError(f"the demo contract has no priority {pid}")
    return found


def _epoch(local: datetime, zone: ZoneInfo) -> float:
    return local.replace(tzinfo=zone).timestamp()


def _local(text: str, zone: ZoneInfo) -> float:
    return _epoch(datetime.strptime(text, "%Y-%m-%d %H:%M:%S"), zone)


def _rank_in_group(
    group: np.ndarray, n_groups: int, eligible: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """A random rank 0.. within each group for eligible rows (-1 elsewhere) and the eligible count per group."""
    idx = np.flatnonzero(eligible)
    g = group[idx]
    order = np.argsort(g + rng.random(idx.size))  # by group, randomly within it (one float sort: fast)
    g_sorted = g[order]
    counts = np.bincount(g_sorted, minlength=n_groups)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rank = np.full(group.size, -1, dtype=np.int64)
    rank[idx[order]] = np.arange(idx.size) - first[g_sorted]
    return rank, counts


def _pick(
    group: np.ndarray, n_groups: int, eligible: np.ndarray, k: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Exactly min(k[g], eligible in g) random eligible rows of each group g."""
    rank, _ = _rank_in_group(group, n_groups, eligible, rng)
    picked: np.ndarray = (rank >= 0) & (rank < k[group])
    return picked


def _largest_remainder(p: Sequence[float], n: int) -> np.ndarray:
    raw = np.asarray(p, dtype="float64") * n
    counts: np.ndarray = np.floor(raw).astype(np.int64)
    short = n - int(counts.sum())
    if short > 0:
        counts[np.argsort(-(raw - counts), kind="stable")[:short]] += 1
    return counts


def _ts(seconds: np.ndarray) -> pd.Series:
    """Epoch seconds (NaN = blank) → datetime64[s, UTC]."""
    out = np.full(seconds.shape, np.datetime64("NaT"), dtype="datetime64[s]")
    ok = ~np.isnan(seconds)
    out[ok] = np.rint(seconds[ok]).astype(np.int64).astype("datetime64[s]")
    return pd.Series(out).dt.tz_localize("UTC")


def _string(array: pa.Array) -> pd.Series:
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([array.cast(pa.large_string())])))


def _text(codes: np.ndarray, labels: Sequence[str]) -> pd.Series:
    """Small-vocabulary codes (-1 = blank) → string column, fast for a million rows (arrow take)."""
    codes = np.asarray(codes, dtype=np.int64)
    indices = pa.array(codes, mask=codes < 0)
    return _string(pc.take(pa.array(list(labels), type=pa.large_string()), indices))


def _ids(prefix: str, head_code: np.ndarray, heads: Sequence[str], seq: np.ndarray, width: int) -> pd.Series:
    """prefix + heads[head_code] + seq zero-padded to width, e.g. GD202601000001."""
    head = pc.take(pa.array([prefix + h for h in heads], type=pa.large_string()), pa.array(head_code))
    number = pc.utf8_lpad(pa.array(np.asarray(seq, dtype=np.int64)).cast(pa.large_string()), width, "0")
    return _string(pc.binary_join_element_wise(head, number, pa.scalar("", pa.large_string())))


def _month_of(t: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    return np.searchsorted(bounds, t, side="right") - 1


# ---------------------------------------------------------------- generation


def generate(
    n_tickets: int | None = None, seed: int = DEFAULT_SEED, months: tuple[str, str] = DEFAULT_MONTHS
) -> DemoData:
    """The demo data set: ~n_tickets tickets over the months (inclusive), fully determined by the seed."""
    n = DEFAULT_TICKETS if n_tickets is None else int(n_tickets)
    if n < 1:
        raise ValueError("n_tickets must be positive")
    contract = demo_contract()
    zone = contract.zone
    month_pairs = _month_list(months)
    labels = tuple(f"{y:04d}-{m:02d}" for y, m in month_pairs)
    plans = [PLAN.get(label, MonthPlan()) for label in labels]
    rng = np.random.default_rng(seed)

    first_day = date(*month_pairs[0], 1)
    ly, lm = month_pairs[-1]
    after_last = date(ly + 1, 1, 1) if lm == 12 else date(ly, lm + 1, 1)
    last_day = after_last - timedelta(days=1)
    bounds = np.array(
        [_epoch(datetime(y, m, 1), zone) for y, m in month_pairs]
        + [_epoch(datetime.combine(after_last, datetime.min.time()), zone)]
    )
    period_end = bounds[-1] - 1  # 23:59:59 of the last day
    as_of = _epoch(
        datetime.combine(after_last + timedelta(days=1), datetime.min.time()).replace(hour=18), zone
    )
    cal = build_calendar(contract.base.calendar, contract.base.contract.timezone, first_day, after_last)
    month_terms = [contract.terms_for_month(y, m) for y, m in month_pairs]

    t = _tickets(n, rng, cal, zone, first_day, last_day, bounds, labels, plans, month_terms, as_of, contract)
    s = _surveys(rng, t, bounds, labels, plans, min(as_of, period_end))
    o = _outages(zone, bounds[0], min(as_of, period_end))
    m = _measures(labels, plans, t, o, bounds, contract)

    tickets = conform("tickets", t["frame"])
    surveys = conform("surveys", s)
    return DemoData(
        tickets=tickets,
        surveys=surveys,
        outages=conform("outages", o),
        measures=conform("measures", m),
        as_of=pd.Timestamp(int(as_of), unit="s", tz="UTC"),
        contract_text=demo_contract_text(),
        months=labels,
    )


def _tickets(
    n: int,
    rng: np.random.Generator,
    cal: BusinessCalendar,
    zone: ZoneInfo,
    first_day: date,
    last_day: date,
    bounds: np.ndarray,
    labels: tuple[str, ...],
    plans: list[MonthPlan],
    month_terms: list[Terms],
    as_of: float,
    contract: Contract,
) -> dict[str, Any]:
    n_months = len(labels)
    # --- arrivals: working days of the official calendar (make-up days included) get most tickets
    days = [first_day + timedelta(days=i) for i in range((last_day - first_day).days + 1)]
    ordinals = np.array([d.toordinal() for d in days])
    working = np.isin(ordinals, cal.working_days)
    day_start = np.array([_epoch(datetime.combine(d, datetime.min.time()), zone) for d in days])
    weights = np.where(working, 1.0, _OFF_DAY_WEIGHT)
    per_day = rng.multinomial(n, weights / weights.sum())
    day_idx = np.repeat(np.arange(len(days)), per_day)
    on_work = working[day_idx]
    hour = np.where(
        on_work,
        rng.choice(24, size=n, p=_WORK_HOURS / _WORK_HOURS.sum()),
        rng.choice(24, size=n, p=_OFF_HOURS / _OFF_HOURS.sum()),
    )
    created = day_start[day_idx] + hour * 3600 + rng.integers(0, 3600, size=n)
    created = np.sort(created).astype("float64")
    g = _month_of(created, bounds)
    local_day = np.searchsorted(day_start, created, side="right") - 1

    # --- category: complaint/feedback/suggestion as exact monthly quotas, the rest by chance
    category = rng.choice(3, size=n, p=(0.31, 0.38, 0.31))  # inquiry, fault, request
    rank, counts = _rank_in_group(g, n_months, np.ones(n, dtype=bool), rng)
    k_complaint = np.array([round(p.complaint_share * c) for p, c in zip(plans, counts, strict=True)])
    k_feedback = np.round(0.03 * counts).astype(np.int64)
    k_suggestion = np.round(0.025 * counts).astype(np.int64)
    c1 = k_complaint[g]
    c2 = c1 + k_feedback[g]
    c3 = c2 + k_suggestion[g]
    category = np.where(
        rank < c1, COMPLAINT, np.where(rank < c2, FEEDBACK, np.where(rank < c3, SUGGESTION, category))
    )
    is_fb = (category == COMPLAINT) | (category == FEEDBACK)

    # --- priority by category: P1 only for faults; overall ≈ 5% / 25% / 70%
    u = rng.random(n)
    priority = np.full(n, 2)
    priority[(category == FAULT) & (u < 0.135)] = 0
    priority[(category == FAULT) & (u >= 0.135) & (u < 0.555)] = 1
    priority[(category == REQUEST) & (u < 0.36)] = 1

    channel = np.where(priority == 0, rng.choice(4, size=n, p=CHANNEL_P1), rng.choice(4, size=n, p=CHANNEL_P))
    customer = rng.choice(len(CUSTOMERS), size=n, p=CUSTOMER_P)
    team = (rng.random(n)[:, None] > np.cumsum(TEAM_P, axis=1)[category]).sum(axis=1)
    team = np.minimum(team, len(TEAMS) - 1)
    assignee = team * 4 + rng.integers(0, 4, size=n)

    # --- exclusions: a few fault tickets on given days (absolute counts)
    exclusion = np.full(n, -1)
    reasons: list[str] = []
    for day_text, count, reason in EXCLUSIONS:
        day = date.fromisoformat(day_text)
        if not first_day <= day <= last_day:
            continue
        cand = np.flatnonzero((local_day == (day - first_day).days) & (category == FAULT) & (priority > 0))
        chosen = cand[rng.permutation(cand.size)[:count]]
        exclusion[chosen] = len(reasons)
        reasons.append(reason)
    excluded = exclusion >= 0

    # --- targets in force for each ticket's month (P2 response tightens in the 2026-07 version), the
    # contract's conditional targets included (inquiries 15 min; urgent faults after hours 30 min)
    targets = _targets(contract, month_terms, g, priority, category, channel, customer, created, cal)
    tgt_resp = targets["response_target"].to_numpy(dtype="float64")
    tgt_res = targets["resolution_target"].to_numpy(dtype="float64")
    wall_resp = (targets["response_clock"] == "24x7").to_numpy()
    wall_res = (targets["resolution_clock"] == "24x7").to_numpy()

    # --- response, on the priority's clock: well within target, except planted timeouts
    u = rng.beta(1.3, 4.0, size=n)
    resp = 30 + u * (0.9 * tgt_resp - 30)
    # online chat in service hours is answered within its 2 minutes (doc 003; the contract's own KPI)
    chat = (channel == CHANNELS.index("微信")) & cal.in_working_time(created)
    resp = np.where(chat, 20 + u * 80, resp)
    ordinary = ~excluded & ~is_fb
    old_new = np.zeros(n, dtype=bool)
    if OLD_VS_NEW_MONTH in labels:
        gm = labels.index(OLD_VS_NEW_MONTH)
        in_hours = (hour >= 9) & (hour < 16) & on_work
        cand = np.flatnonzero(ordinary & (g == gm) & (priority == 1) & in_hours)
        if cand.size:
            old_new[cand[rng.integers(0, cand.size)]] = True
            resp[old_new] = OLD_VS_NEW_RESPONSE
    k_resp = np.array([p.response_breaches for p in plans])
    resp_breach = _pick(g, n_months, ordinary & ~old_new, k_resp, rng)
    resp = np.where(resp_breach, tgt_resp * rng.uniform(1.2, 2.5, size=n), resp)

    # --- resolution (net of pauses), on the priority's clock
    lo = np.maximum(resp + 300, 600)
    res = lo + rng.beta(1.6, 3.2, size=n) * np.maximum(0.95 * tgt_res - lo, 0)
    rank, counts = _rank_in_group(g, n_months, ordinary, rng)
    k_res = np.array([round(p.resolution_breach_share * c) for p, c in zip(plans, counts, strict=True)])
    res_breach = (rank >= 0) & (rank < k_res[g])
    res = np.where(res_breach, np.maximum(tgt_res * rng.uniform(1.1, 2.5, size=n), lo), res)
    # excluded tickets look bad: that is why they were excluded
    resp = np.where(excluded, tgt_resp * rng.uniform(1.5, 3.0, size=n), resp)
    res = np.where(excluded, np.maximum(tgt_res * rng.uniform(1.5, 3.0, size=n), resp + 600), res)
    paused = np.where(ordinary & (priority > 0) & (rng.random(n) < 0.08), rng.integers(20, 481, size=n), 0)

    resp, res = np.rint(resp), np.rint(res)
    wall = priority == 0
    first_response = np.where(wall_resp, created + resp, cal.add(created, resp))
    resolved = np.where(wall_res, created + res + paused * 60, cal.add(created, res + paused * 60.0))

    # --- complaint/feedback handling on the 24x7 feedback clock: ack ≤ 15m, classify ≤ 2h, process ≤ 24h
    ack = rng.integers(120, 721, size=n).astype("float64")
    classify = rng.integers(900, 6001, size=n).astype("float64")
    process = rng.integers(3600, 72001, size=n).astype("float64")
    rank, counts = _rank_in_group(g, n_months, is_fb, rng)
    k_late = np.array(
        [
            math.ceil(0.11 * c) if p.feedback_late else math.floor(0.02 * c)
            for p, c in zip(plans, counts, strict=True)
        ]
    )
    late = (rank >= 0) & (rank < k_late[g])
    kind = rng.integers(0, 3, size=n)
    ack = np.where(late & (kind == 0), rng.integers(1200, 3001, size=n), ack)
    classify = np.where(late & (kind == 1), rng.integers(9000, 18001, size=n), classify)
    process = np.where(late & (kind == 2), rng.integers(93600, 144001, size=n), process)
    process = np.maximum(process, np.maximum(classify, ack) + 600)
    first_response = np.where(is_fb, created + ack, first_response)
    resolved = np.where(is_fb, created + process, resolved)
    classified = np.where(is_fb, created + classify, np.nan)
    paused = np.where(is_fb, 0, paused)

    # --- the last month is a snapshot at as_of: tickets that would still run then finish shortly before
    # it instead (so that only the planted tickets below are open; the resolution rate stays meaningful)
    last = n_months - 1
    overflow = (g == last) & ~is_fb & (resolved > as_of - 600)
    o = np.flatnonzero(overflow)
    c, w = created[o], wall[o]
    room = np.where(w, as_of - c, cal.elapsed(c, np.full(o.size, as_of))) - rng.integers(
        600, 3601, size=o.size
    )
    total = np.maximum(room, resp[o] + 300)
    resolved[o] = np.where(w, c + total, cal.add(c, total))
    paused[o] = 0

    # --- open at as_of in the last month: pending (P3 from the last working afternoon) and breached
    open_planted = np.zeros(n, dtype=bool)
    calm = ordinary & ~resp_breach & ~old_new & (g == last)
    last_work = int(
        cal.working_days[np.searchsorted(cal.working_days, last_day.toordinal(), side="right") - 1]
    )
    last_work_start = _epoch(datetime.combine(date.fromordinal(last_work), datetime.min.time()), zone)
    rules = (
        (
            calm
            & (priority == 2)
            & (created >= last_work_start + 12 * 3600)
            & (created < last_work_start + 64800),
            2,
        ),
        (
            calm & (priority == 2) & (created >= bounds[-1] - 6 * 86400) & (created < bounds[-1] - 3 * 86400),
            1,
        ),
        (
            calm & (priority == 0) & (created >= bounds[-1] - 7 * 86400) & (created < bounds[-1] - 1 * 86400),
            1,
        ),
    )
    for mask, count in rules:
        cand = np.flatnonzero(mask & ~open_planted)
        open_planted[cand[rng.permutation(cand.size)[:count]]] = True
    resolved = np.where(open_planted, np.nan, resolved)

    # --- the snapshot at as_of
    closed = resolved + rng.integers(86400, 3 * 86400 + 1, size=n)
    first_response = np.where(first_response > as_of, np.nan, first_response)
    done = resolved <= as_of
    resolved = np.where(done, resolved, np.nan)
    classified = np.where(classified > as_of, np.nan, classified)
    closed = np.where(closed <= as_of, closed, np.nan)
    state = np.where(
        ~np.isnan(closed), 4, np.where(done, 3, np.where(np.isnan(first_response), 0, np.where(wall, 2, 1)))
    )
    workaround = _workaround_times(rng, targets, created, resp, resolved, as_of, cal)

    # --- reopened, first-contact resolution (exact monthly quota), suggestion adoption
    u = rng.random(n)
    reopened = np.where(done & ordinary & (u < 0.03), np.where(u < 0.003, 2, 1), 0)
    rank, counts = _rank_in_group(g, n_months, done & ~excluded, rng)
    k_fcr = np.array([round(p.fcr * c) for p, c in zip(plans, counts, strict=True)])
    rank2, _ = _rank_in_group(g, n_months, done & ~excluded & (reopened == 0), rng)
    fcr = (rank2 >= 0) & (rank2 < k_fcr[g])
    suggestion = (category == SUGGESTION) & ~excluded
    _, counts = _rank_in_group(g, n_months, suggestion, rng)
    k_adopt = np.array([math.ceil(0.9 * c) for c in counts])
    adopted = _pick(g, n_months, suggestion & done, k_adopt, rng)

    # --- ids and the frame
    seq = np.arange(n) - np.searchsorted(g, g, side="left") + 1
    frame = pd.DataFrame(
        {
            "ticket_id": _ids("GD", g, [label.replace("-", "") for label in labels], seq, 6),
            "created_at": _ts(created),
            "priority": _text(priority, PRIORITIES),
            "first_response_at": _ts(first_response),
            "workaround_at": _ts(workaround),
            "resolved_at": _ts(resolved),
            "closed_at": _ts(closed),
            "status": _text(state, STATES),
            "category": _text(category, CATEGORIES),
            "category_raw": _text(category, CATEGORY_RAW),
            "channel": _text(channel, CHANNELS),
            "customer": _text(customer, CUSTOMERS),
            "team": _text(team, TEAMS),
            "assignee": _text(assignee, [a for names in ASSIGNEES for a in names]),
            "reopened_count": pd.array(reopened, dtype="Int64"),
            "first_contact_resolved": fcr,
            "classified_at": _ts(classified),
            "paused_minutes": pd.array(np.where(paused > 0, paused, np.nan), dtype="Float64"),
            "suggestion_adopted": adopted,
            "excluded": excluded,
            "exclusion_reason": _text(exclusion, reasons)
            if reasons
            else pd.Series(pd.NA, index=range(n), dtype="string"),
        }
    )
    return {
        "frame": frame,
        "month": g,
        "resp": resp,
        "tgt_resp": tgt_resp,
        "priority": priority,
        "excluded": excluded,
        "resolved": resolved,
        "team": team,
        "customer": customer,
    }


def _workaround_times(
    rng: np.random.Generator,
    chosen: pd.DataFrame,
    created: np.ndarray,
    resp: np.ndarray,
    resolved: np.ndarray,
    as_of: float,
    cal: BusinessCalendar,
) -> np.ndarray:
    """A temporary fix for tickets a conditional target gives one (doc 003 临时解决方案, doc 002 初步解决
    方案): between the response and 90% of its target, on its clock; none when the ticket was solved
    first (its resolution is its workaround) or it comes after as_of. Drawn from a generator of its own, so
    the rest of the data does not depend on whether the contract names the milestone."""
    target = chosen["workaround_target"].to_numpy(dtype="float64")
    has = ~np.isnan(target)
    out = np.full(created.shape, np.nan)
    if not has.any():
        return out
    own = np.random.default_rng(rng.bit_generator.seed_seq.spawn(1)[0])  # type: ignore[attr-defined]
    took = np.rint(resp + own.random(created.size) * np.maximum(0.9 * np.nan_to_num(target) - resp, 0))
    wall = (chosen["workaround_clock"] == "24x7").to_numpy()
    at = np.where(wall, created + took, cal.add(created, np.where(has, took, 0)))
    keep = has & (at <= as_of) & (np.isnan(resolved) | (at < resolved))
    out[keep] = at[keep]
    return out


def _targets(
    contract: Contract,
    month_terms: list[Terms],
    g: np.ndarray,
    priority: np.ndarray,
    category: np.ndarray,
    channel: np.ndarray,
    customer: np.ndarray,
    created: np.ndarray,
    cal: BusinessCalendar,
) -> pd.DataFrame:
    """Each ticket's targets and clocks as the evaluation will choose them (targets.ticket_targets)."""
    version = np.array([contract.versions.index(tm) for tm in month_terms])[g]
    terms = [[_priority(tm, p) for p in PRIORITIES] for tm in month_terms]
    frame = pd.DataFrame(
        {
            "version": version,
            "priority": np.array(PRIORITIES, dtype=object)[priority],
            "clock": np.array([[p.clock for p in row] for row in terms], dtype=object)[g, priority],
            "response_target": np.array([[p.response for p in row] for row in terms], dtype="float64")[
                g, priority
            ],
            "resolution_target": np.array([[p.resolution for p in row] for row in terms], dtype="float64")[
                g, priority
            ],
            "category": np.array(CATEGORIES, dtype=object)[category],
            "category_raw": np.array(CATEGORY_RAW, dtype=object)[category],
            "channel": np.array(CHANNELS, dtype=object)[channel],
            "customer": np.array(CUSTOMERS, dtype=object)[customer],
        }
    )
    return ticket_targets(contract, frame, created, lambda _v, at: cal.in_working_time(at))


def _surveys(
    rng: np.random.Generator,
    t: dict[str, Any],
    bounds: np.ndarray,
    labels: tuple[str, ...],
    plans: list[MonthPlan],
    cutoff: float,
) -> pd.DataFrame:
    """Responses to ~40% of resolved tickets; scores as exact monthly quotas; planted integrity flags."""
    tickets: pd.DataFrame = t["frame"]
    resolved: np.ndarray = t["resolved"]
    n_months = len(labels)
    answer = ~np.isnan(resolved) & ~t["excluded"] & (rng.random(resolved.size) < SURVEY_SHARE)
    idx = np.flatnonzero(answer)
    submitted = resolved[idx] + rng.integers(1800, 216001, size=idx.size)
    keep = submitted <= cutoff
    idx, submitted = idx[keep], submitted[keep]
    names = [s + given for s in SURNAMES for given in GIVEN]
    person = rng.integers(0, len(names), size=idx.size)
    # duplicates: the same ticket answered again later (the respondent clicked the link twice)
    dup = rng.random(idx.size) < 0.015
    d_sub = submitted[dup] + rng.integers(600, 86401, size=int(dup.sum()))
    d_keep = d_sub <= cutoff
    ticket = np.concatenate([idx, idx[dup][d_keep]])
    submitted = np.concatenate([submitted, d_sub[d_keep]])
    person = np.concatenate([person, person[dup][d_keep]])
    order = np.argsort(submitted, kind="stable")
    ticket, submitted, person = ticket[order], submitted[order], person[order]
    m = ticket.size

    g = _month_of(submitted, bounds)
    rank, counts = _rank_in_group(g, n_months, np.ones(m, dtype=bool), rng)
    cum = np.array(
        [np.cumsum(_largest_remainder(p.scores, int(c))) for p, c in zip(plans, counts, strict=True)]
    )
    score = 1 + (rank[:, None] >= cum[g]).sum(axis=1)

    straight = rng.random(m) < 0.02
    speeder = rng.random(m) < 0.02
    dims = np.clip(
        score[:, None] + rng.choice(np.array([-1, 0, 0, 0, 0, 1]), size=(m, len(DIMENSIONS))), 1, 5
    )
    fix = (dims == dims[:, :1]).all(axis=1) & ~straight
    d0 = dims[fix, 0]
    dims[fix, 2] = np.where(d0 >= 2, d0 - 1, d0 + 1)
    dims[straight] = score[straight, None]
    duration = np.clip(np.rint(rng.lognormal(np.log(110), 0.5, size=m)), 45, 1200)
    duration = np.where(speeder, rng.integers(4, 21, size=m), duration)

    comments = [c for s in range(1, 6) for c in COMMENTS[s]]
    offset = np.cumsum([0] + [len(COMMENTS[s]) for s in range(1, 6)])
    size = np.diff(offset)
    comment = offset[score - 1] + np.floor(rng.random(m) * size[score - 1]).astype(np.int64)
    comment = np.where(rng.random(m) < 0.45, -1, comment)

    frame = pd.DataFrame(
        {
            "response_id": _ids("HF", np.zeros(m, dtype=np.int64), [""], np.arange(1, m + 1), 7),
            "submitted_at": _ts(submitted),
            "score": pd.array(score.astype("float64"), dtype="Float64"),
            "ticket_id": tickets["ticket_id"].iloc[ticket].reset_index(drop=True),
            "respondent": _text(person, names),
            "channel": _text(rng.choice(len(SURVEY_CHANNELS), size=m, p=SURVEY_CHANNEL_P), SURVEY_CHANNELS),
            "team": _text(t["team"][ticket], TEAMS),
            "comment": _text(comment, comments),
            "duration_seconds": pd.array(duration.astype("float64"), dtype="Float64"),
        }
    )
    for j, name in enumerate(DIMENSIONS):
        frame[DIMENSION_PREFIX + name] = pd.array(dims[:, j].astype("float64"), dtype="Float64")
    return frame


def _outages(zone: ZoneInfo, start: float, cutoff: float) -> pd.DataFrame:
    rows = [o for o in OUTAGES if start <= _local(o[1], zone) <= cutoff]
    begin = np.array([_local(o[1], zone) for o in rows], dtype="float64")
    end = np.array([_local(o[2], zone) for o in rows], dtype="float64")
    announced = np.array([_local(o[4], zone) if o[4] else np.nan for o in rows], dtype="float64")
    return pd.DataFrame(
        {
            "service": pd.array([o[0] for o in rows], dtype="string"),
            "start": _ts(begin),
            "end": _ts(np.where(end > cutoff, np.nan, end)),
            "planned": np.array([o[3] for o in rows], dtype=bool),
            "announced_at": _ts(announced),
            "severity": pd.array([o[5] for o in rows], dtype="string"),
            "cause": pd.array([o[6] for o in rows], dtype="string"),
            "description": pd.array([o[7] for o in rows], dtype="string"),
        }
    )


def unplanned_seconds(
    outages: pd.DataFrame, bounds: Sequence[float] | np.ndarray, notice: float | None
) -> np.ndarray:
    """Union of unplanned outage time per month (bounds: month starts and the end, epoch seconds)."""
    start = _epochs(outages["start"])
    end = _epochs(outages["end"])
    end = np.where(np.isnan(end), bounds[-1], end)
    announced = _epochs(outages["announced_at"])
    planned = outages["planned"].to_numpy(dtype=bool).copy()
    if notice is not None:
        planned &= announced <= start - notice
    pieces = sorted(zip(start[~planned], end[~planned], strict=True))
    merged: list[list[float]] = []
    for a, b in pieces:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    edges = np.asarray(bounds, dtype="float64")
    out = np.zeros(edges.size - 1)
    for a, b in merged:
        out += np.clip(np.minimum(b, edges[1:]) - np.maximum(a, edges[:-1]), 0, None)
    return out


def _epochs(series: pd.Series) -> np.ndarray:
    values = series.to_numpy(dtype="datetime64[s]")
    out = values.astype("int64").astype("float64")
    out[np.isnat(values)] = np.nan
    return out


def _measures(
    labels: tuple[str, ...],
    plans: list[MonthPlan],
    t: dict[str, Any],
    outages: pd.DataFrame,
    bounds: np.ndarray,
    contract: Contract,
) -> pd.DataFrame:
    rows: list[tuple[str, str, float, str | None, str | None]] = []
    for label, plan in zip(labels, plans, strict=True):
        rows.append((label, "backup_success_rate", plan.backup, None, plan.backup_note or None))
        rows.append((label, "recovery_time_hours", plan.recovery_hours, None, plan.recovery_note or None))
        rows.append((label, "data_accuracy", plan.data_accuracy, None, None))
    # the provider's own monthly report, January to the month before the last (the last is not due yet)
    down = unplanned_seconds(outages, bounds, contract.base.availability.notice)
    length = np.diff(bounds)
    g, excluded = t["month"], t["excluded"]
    breach = t["resp"] > t["tgt_resp"]
    for i, label in enumerate(labels[:-1]):
        counted = (g == i) & ~excluded
        truth = {
            "availability": float(1 - down[i] / length[i]),
            "response_within_target": float(1 - breach[counted].sum() / max(counted.sum(), 1)),
        }
        for kpi, value in truth.items():
            reported, note = PROVIDER_DIFFERS.get((label, kpi), (value, "乙方月度服务报告"))
            rows.append((label, kpi, reported, "provider", note))
    frame = pd.DataFrame(rows, columns=["month", "kpi", "value", "source", "note"])
    frame["value"] = frame["value"].astype("Float64")
    return frame


# ---------------------------------------------------------------- files

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
