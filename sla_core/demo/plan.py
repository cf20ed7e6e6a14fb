"""The plan: what each month of the demo plants (rates as exact quotas, timeouts, exclusions, outages,
the provider's own figures that differ), and the helpdesk vocabulary the tickets and surveys draw from.
The package docstring (`sla_core.demo`) tells what each planted value makes the contract judge."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DEFAULT_TICKETS = 6000
DEFAULT_SEED = 2026
DEFAULT_MONTHS = ("2026-01", "2026-10")
SURVEY_SHARE = 0.40  # of resolved, non-excluded tickets
DIMENSIONS = ("服务态度", "专业能力", "响应速度", "服务效果")


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
